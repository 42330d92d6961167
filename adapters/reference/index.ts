/**
 * The reference engine (oracle/) in-process, behind the adapter interface, every capability
 * declared. Handles travel as '0x…' strings; forged handles map to the engine's nil (all ones at
 * pointer width 64), zero and never-issued values; a string that does not parse is never-issued.
 * Promises never reject: an engine exception becomes a `crash` fault carrying its message.
 */
import type {
  AdapterFactory,
  AdapterStatus,
  ApiCall,
  ArgsOf,
  CallResult,
  FaultSpec,
  ForcedInstanceState,
  HandleArg,
  HoldResult,
  Implementation,
  ImplementationInfo,
  OperationName,
  TargetVersion,
} from '../types';
import { capabilities } from '../types';
import { packageVersion } from '../package-version';
import { Engine, holdableOps, isPending } from '../../oracle';
import type { EngineCall, EngineOptions, EngineResult, JET_HANDLE, PendingTerm } from '../../oracle';
import { forgedHandle, formatHandle, handleKeys, parseHandle } from '../../oracle';

export interface ReferenceOptions {
  /** How the engine is built: operations to use instead of the reference's (the mutant catalogue's). */
  readonly engine?: EngineOptions;
  readonly target?: TargetVersion;
}

/**
 * Handle strings -> engine handles, remembered: the suite's whole-state probes pass the same few
 * handles tens of thousands of times per run (parsing is two regular expressions and a BigInt).
 * Bounded (the probes also pass each of the thousand cursors they count once); cleared at reset.
 */
const rememberedHandles = 4096;

class HandleCodec {
  private readonly parsed = new Map<string, JET_HANDLE>();

  toHandle(arg: HandleArg | null): JET_HANDLE | null {
    if (arg === null) return null;
    if (typeof arg === 'string') {
      let h = this.parsed.get(arg);
      if (h === undefined) {
        h = parseHandle(arg);
        if (this.parsed.size >= rememberedHandles) this.parsed.clear();
        this.parsed.set(arg, h);
      }
      return h;
    }
    const kind = arg.forged;
    return kind === 'nil' || kind === 'zero' || kind === 'never-issued' ? forgedHandle(kind) : parseHandle('');
  }

  clear(): void {
    this.parsed.clear();
  }

  /** An engine handle as the interface carries it, remembered: the probes pass most handles they get back (to close them). */
  fromHandle(h: JET_HANDLE): string {
    const text = formatHandle(h);
    // Only a real handle value: parsing its text gives that value back.
    if (typeof h !== 'bigint') return text;
    if (this.parsed.size >= rememberedHandles) this.parsed.clear();
    this.parsed.set(text, h);
    return text;
  }

  /** Interface arguments -> engine arguments: handle-named fields become engine handles. */
  toEngineArgs(args: object): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const k in args) {
      const v = (args as Record<string, unknown>)[k];
      out[k] = handleKeys.has(k) ? this.toHandle(v as HandleArg | null) : v;
    }
    return out;
  }

  toCallResult(r: EngineResult): CallResult {
    const err = r.err;
    if (err < 0) return { kind: 'returned', err };
    const out: Record<string, unknown> = {};
    for (const k in r) {
      if (k === 'err') continue;
      const v = (r as Record<string, unknown>)[k];
      out[k] = handleKeys.has(k) ? this.fromHandle(v as JET_HANDLE) : v;
    }
    return { kind: 'returned', err, out };
  }
}

function crash(e: unknown): { kind: 'crash'; reason: string } {
  return { kind: 'crash', reason: `reference engine threw: ${e instanceof Error ? e.message : String(e)}` };
}

class ReferenceImplementation implements Implementation {
  readonly info: ImplementationInfo;
  private readonly engine: Engine;
  /** Callers of JetTerm/JetTerm2 waiting for held calls, by pending id. */
  private readonly waiting = new Map<number, (r: CallResult) => void>();
  private readonly codec = new HandleCodec();
  /** The engine for the whole-state probes, without handle conversions (nativeEntry). */
  readonly native: NativeEntry;

  constructor(options: ReferenceOptions) {
    this.engine = new Engine(options.engine);
    this.native = new NativeEngine(this.engine, this.codec);
    this.info = {
      name: 'ese-conformance reference engine',
      version: packageVersion(),
      target: options.target ?? 'current',
      pointerWidth: 64,
      capabilities: [...capabilities],
    };
  }

  /* eslint-disable @typescript-eslint/require-await -- the engine answers at once; each body catches its own errors (crash()), `async` only gives the promise the interface asks for */
  async reset(): Promise<AdapterStatus> {
    try {
      this.engine.reset();
      this.codec.clear();
      for (const resolve of this.waiting.values()) resolve({ kind: 'crash', reason: 'reset while JetTerm was waiting for a held call' });
      this.waiting.clear();
      return { kind: 'ok' };
    } catch (e) {
      return crash(e);
    }
  }

  call<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<CallResult<O>> {
    let r: EngineResult | PendingTerm;
    try {
      r = this.engine.call(thread, op, this.codec.toEngineArgs(args) as never);
    } catch (e) {
      return Promise.resolve(crash(e));
    }
    if (isPending(r)) {
      const id = r.pending;
      return new Promise((resolve) => this.waiting.set(id, resolve));
    }
    return Promise.resolve(this.codec.toCallResult(r) as CallResult<O>);
  }

  /**
   * call() answered at once, for a caller that drives the in-process engine without a promise per
   * call (the whole-state probes, harness/observe.ts). A JetTerm that waits has no such answer.
   */
  callSync<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): CallResult<O> {
    if (op === 'JetTerm' || op === 'JetTerm2') throw new Error(`${op} may wait for held calls: call() it`);
    let r: EngineResult | PendingTerm;
    try {
      r = this.engine.call(thread, op, this.codec.toEngineArgs(args) as never);
    } catch (e) {
      return crash(e);
    }
    if (isPending(r)) throw new Error(`${op} waits for held calls: call() it`);
    return this.codec.toCallResult(r);
  }

  /**
   * Calls in a row answered at once, as callBatch() answers them: the whole-state probes' batches
   * repeat one call many times (counting slots), so each run of the same arguments object is
   * converted once (the batch is made synchronously, so nothing changes the object in between).
   */
  callBatchSync(thread: string, calls: readonly ApiCall[], stopOnError: boolean): CallResult[] {
    const results: CallResult[] = [];
    let args: object | undefined;
    let engineArgs: Record<string, unknown> | undefined;
    for (const c of calls) {
      if (c.op === 'JetTerm' || c.op === 'JetTerm2') throw new Error(`${c.op} may wait for held calls: call() it`);
      // As callSync: the conversion and the engine inside the crash guard, the answer's conversion outside.
      let e: EngineResult | PendingTerm;
      try {
        if (c.args !== args || engineArgs === undefined) {
          engineArgs = this.codec.toEngineArgs(c.args);
          args = c.args;
        }
        e = this.engine.call(thread, c.op, engineArgs as never);
      } catch (x) {
        results.push(crash(x));
        break;
      }
      if (isPending(e)) throw new Error(`${c.op} waits for held calls: call() it`);
      const r = this.codec.toCallResult(e);
      results.push(r);
      if (r.kind !== 'returned' || (stopOnError && r.err < 0)) break;
    }
    return results;
  }

  /** The engine answers or registers a waiting term within each call: everything made so far has settled. */
  async sync(): Promise<AdapterStatus> {
    return { kind: 'ok' };
  }

  async hold(thread: string, call: ApiCall): Promise<HoldResult> {
    if (!holdableOps.has(call.op)) return { kind: 'unsupported', reason: `${call.op} cannot be held: only calls that enter through a session` };
    try {
      const h = this.engine.hold(thread, { op: call.op, args: this.codec.toEngineArgs(call.args) } as EngineCall);
      return 'held' in h ? { kind: 'held', hold: String(h.held) } : this.codec.toCallResult(h.result);
    } catch (e) {
      return crash(e);
    }
  }

  async release(hold: string): Promise<CallResult> {
    try {
      const { result, completed } = this.engine.release(Number(hold));
      for (const c of completed) {
        const resolve = this.waiting.get(c.pending);
        this.waiting.delete(c.pending);
        resolve?.(this.codec.toCallResult(c.result));
      }
      return this.codec.toCallResult(result);
    } catch (e) {
      return crash(e);
    }
  }

  async forceInstanceState(instance: HandleArg, state: ForcedInstanceState): Promise<AdapterStatus> {
    try {
      const err = this.engine.forceInstanceState(this.codec.toHandle(instance) as JET_HANDLE, state);
      return err === 0 ? { kind: 'ok' } : { kind: 'unsupported', reason: `no such instance (${err})` };
    } catch (e) {
      return crash(e);
    }
  }

  async injectFault(fault: FaultSpec): Promise<AdapterStatus> {
    try {
      this.engine.injectFault(fault);
      return { kind: 'ok' };
    } catch (e) {
      return crash(e);
    }
  }

  async close(): Promise<void> {
    for (const resolve of this.waiting.values()) resolve({ kind: 'crash', reason: 'adapter closed while JetTerm was waiting' });
    this.waiting.clear();
  }
  /* eslint-enable @typescript-eslint/require-await */
}

declare const nativeHandleBrand: unique symbol;

/** An engine's own handle value, as the whole-state probes carry it on the native path: opaque outside this adapter. */
export type NativeHandle = { readonly [nativeHandleBrand]: 'NativeHandle' };

/** A call's answer on the native path: the engine's result object itself as out-values (handles as NativeHandles), or a crash. */
export type NativeResult =
  | { readonly kind: 'returned'; readonly err: number; readonly out?: Readonly<Record<string, unknown>> }
  | { readonly kind: 'crash'; readonly reason: string };

/** One call of a native batch: arguments as the engine takes them (handles as NativeHandles). */
export interface NativeCall {
  readonly op: OperationName;
  readonly args: object;
}

/**
 * The engine of an in-process reference, for the whole-state probes (harness/observe.ts): calls with
 * the engine's own handle values in and out, so that the ~230,000 probe calls of a suite run convert
 * no handle to or from its interface string. What each call does in the engine is what call() does;
 * only the conversions go. The probes' values never include handles, so nothing observable changes.
 */
export interface NativeEntry {
  /** An interface handle (or forged handle) as the engine's value. */
  handle(arg: HandleArg): NativeHandle;
  /** Whether an out-value is an engine handle. */
  isHandle(v: unknown): v is NativeHandle;
  call(thread: string, op: OperationName, args: object): NativeResult;
  /** Calls on one thread in a row, as callBatch answers them (a crash always ends the batch). */
  batch(thread: string, calls: readonly NativeCall[], stopOnError: boolean): NativeResult[];
}

class NativeEngine implements NativeEntry {
  constructor(
    private readonly engine: Engine,
    private readonly codec: HandleCodec,
  ) {}

  handle(arg: HandleArg): NativeHandle {
    return this.codec.toHandle(arg) as unknown as NativeHandle;
  }

  isHandle(v: unknown): v is NativeHandle {
    return typeof v === 'bigint';
  }

  call(thread: string, op: OperationName, args: object): NativeResult {
    if (op === 'JetTerm' || op === 'JetTerm2') throw new Error(`${op} may wait for held calls: call() it`);
    let r: EngineResult | PendingTerm;
    try {
      r = this.engine.call(thread, op, args as never);
    } catch (e) {
      return crash(e);
    }
    if (isPending(r)) throw new Error(`${op} waits for held calls: call() it`);
    // As toCallResult: out-values only with a success or a warning.
    return r.err < 0 ? { kind: 'returned', err: r.err } : { kind: 'returned', err: r.err, out: r };
  }

  batch(thread: string, calls: readonly NativeCall[], stopOnError: boolean): NativeResult[] {
    const results: NativeResult[] = [];
    for (const c of calls) {
      const r = this.call(thread, c.op, c.args);
      results.push(r);
      if (r.kind !== 'returned' || (stopOnError && r.err < 0)) break;
    }
    return results;
  }
}

/** The native probe entry of an in-process reference engine (or a mutant of it) as built, or undefined for any other implementation. */
export function nativeEntry(impl: Implementation): NativeEntry | undefined {
  return answersAtOnce(impl) ? impl.native : undefined;
}

/**
 * The synchronous entry of an in-process reference engine (or a mutant of it built by
 * createReferenceImplementation), or undefined for any other implementation.
 */
export function synchronousCall(impl: Implementation): ReferenceImplementation['callSync'] | undefined {
  return answersAtOnce(impl) ? impl.callSync.bind(impl) : undefined;
}

/**
 * An in-process reference engine as built, whose calls may be answered synchronously: not one
 * whose call() was replaced or intercepted (a Proxy or subclass wrapping it answers through call()).
 */
function answersAtOnce(impl: Implementation): impl is ReferenceImplementation {
  const own = ReferenceImplementation.prototype;
  return impl instanceof ReferenceImplementation && impl.call === own.call && impl.callSync === own.callSync && impl.callBatchSync === own.callBatchSync;
}

/** The synchronous batch entry (callBatchSync) of an in-process reference engine, or undefined. */
export function synchronousBatch(impl: Implementation): ReferenceImplementation['callBatchSync'] | undefined {
  return answersAtOnce(impl) ? impl.callBatchSync.bind(impl) : undefined;
}

export function createReferenceImplementation(options: ReferenceOptions = {}): Implementation {
  return new ReferenceImplementation(options);
}

export const referenceAdapterFactory: AdapterFactory = {
  name: 'reference',
  description: 'the reference engine (oracle/), in-process, every capability declared',
  // eslint-disable-next-line @typescript-eslint/require-await -- async so that a throw while building the engine rejects, as open() promises
  async open(options) {
    return createReferenceImplementation(options.target === undefined ? {} : { target: options.target });
  },
};
