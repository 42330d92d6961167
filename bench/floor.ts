/**
 * The engine's share of the suite's floor: every call a suite run makes on a reference engine (the
 * implementation under test and each shadow reference of harness/mirror.ts), recorded once, then
 * replayed straight on fresh engines, with no adapter, harness or cucumber in between.
 *
 * Recording wraps every reference implementation the run creates (`createReferenceImplementation`
 * is replaced for the recording run only); the timed runs are not recorded.
 */
import type {
  AdapterStatus,
  ApiCall,
  ArgsOf,
  CallResult,
  FaultSpec,
  ForcedInstanceState,
  HandleArg,
  HoldResult,
  Implementation,
  OperationName,
} from '../adapters/types';
import { Engine, forgedHandle, handleKeys, parseHandle } from '../oracle';
import type { EngineCall, JET_HANDLE } from '../oracle';

type Entry =
  | { readonly kind: 'reset' }
  | { readonly kind: 'call'; readonly thread: string; readonly op: OperationName; readonly args: Record<string, unknown> }
  | { readonly kind: 'hold'; readonly thread: string; readonly call: EngineCall }
  | { readonly kind: 'release'; readonly hold: number }
  | { readonly kind: 'force'; readonly instance: JET_HANDLE; readonly state: ForcedInstanceState }
  | { readonly kind: 'inject'; readonly fault: FaultSpec };

function toHandle(arg: HandleArg | null): JET_HANDLE | null {
  if (arg === null) return null;
  if (typeof arg === 'string') return parseHandle(arg);
  return forgedHandle(arg.forged);
}

/** The engine's arguments, converted once at recording time, so that the replay pays the engine only. */
function engineArgs(args: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(args)) out[k] = handleKeys.has(k) ? toHandle(v as HandleArg | null) : v;
  return out;
}

class Recorder implements Implementation {
  constructor(
    private readonly inner: Implementation,
    readonly log: Entry[],
  ) {}

  get info() {
    return this.inner.info;
  }

  reset(): Promise<AdapterStatus> {
    this.log.push({ kind: 'reset' });
    return this.inner.reset();
  }

  call<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<CallResult<O>> {
    this.log.push({ kind: 'call', thread, op, args: engineArgs(args) });
    return this.inner.call(thread, op, args);
  }

  hold(thread: string, call: ApiCall): Promise<HoldResult> {
    this.log.push({ kind: 'hold', thread, call: { op: call.op, args: engineArgs(call.args) } as EngineCall });
    return this.inner.hold!(thread, call);
  }

  release(hold: string): Promise<CallResult> {
    this.log.push({ kind: 'release', hold: Number(hold) });
    return this.inner.release!(hold);
  }

  forceInstanceState(instance: HandleArg, state: ForcedInstanceState): Promise<AdapterStatus> {
    this.log.push({ kind: 'force', instance: toHandle(instance) as JET_HANDLE, state });
    return this.inner.forceInstanceState!(instance, state);
  }

  injectFault(fault: FaultSpec): Promise<AdapterStatus> {
    this.log.push({ kind: 'inject', fault });
    return this.inner.injectFault!(fault);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

export interface Recording {
  /** One log per reference implementation the run created, in creation order. */
  readonly logs: readonly (readonly Entry[])[];
}

/** Runs `body` with every reference implementation it creates recorded. */
export async function record<T>(body: () => Promise<T>): Promise<{ result: T; recording: Recording }> {
  const logs: Entry[][] = [];
  // The module object itself (not an import copy): harness/context.ts reads the export at each call.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require('../adapters/reference') as { createReferenceImplementation: (options?: object) => Implementation };
  const original = mod.createReferenceImplementation;
  mod.createReferenceImplementation = (options) => {
    const log: Entry[] = [];
    logs.push(log);
    return new Recorder(original(options), log);
  };
  try {
    return { result: await body(), recording: { logs } };
  } finally {
    mod.createReferenceImplementation = original;
  }
}

/** Interactions in a recording (every call, hold, release, reset, forced state and injection). */
export function interactions(r: Recording): number {
  return r.logs.reduce((n, l) => n + l.length, 0);
}

/** Replays a recording on fresh engines; returns the milliseconds spent, wall and CPU. */
export function replay(r: Recording): { wallMs: number; cpuMs: number } {
  const engines = r.logs.map(() => new Engine());
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < r.logs.length; i++) {
    const e = engines[i];
    for (const x of r.logs[i]) {
      switch (x.kind) {
        case 'reset':
          e.reset();
          break;
        case 'call':
          e.call(x.thread, x.op, x.args as never);
          break;
        case 'hold':
          e.hold(x.thread, x.call);
          break;
        case 'release':
          e.release(x.hold);
          break;
        case 'force':
          e.forceInstanceState(x.instance, x.state);
          break;
        case 'inject':
          e.injectFault(x.fault);
          break;
      }
    }
  }
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  return { wallMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}
