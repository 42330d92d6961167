/**
 * Wraps an Implementation so that every interaction lands in the scenario's trace, the record the
 * reports show next to each verdict. The verdict takes the trace once (verdictTrace()): a call still
 * in flight then is in it as pending, and what settles later (a waiting JetTerm ended by the next
 * reset) goes to afterVerdict, never into the trace that was judged.
 */
import type {
  AdapterStatus,
  CallResult,
  HoldResult,
  Implementation,
  Returned,
} from '../adapters/types';
import type {
  ApiCall,
  ArgsOf,
  FaultSpec,
  ForcedInstanceState,
  HandleArg,
  OperationName,
} from '../api';
import { describeErr } from './codes';
import type { TraceEntry } from './results';

export function describeResult(result: HoldResult | AdapterStatus): string {
  switch (result.kind) {
    case 'returned':
      return describeErr(result.err);
    case 'held':
      return `held (${result.hold})`;
    case 'ok':
      return 'ok';
    case 'unsupported':
      return `unsupported: ${result.reason}`;
    case 'crash':
      return `CRASH: ${result.reason}`;
    case 'timeout':
      return `TIMEOUT: ${result.reason}`;
    case 'protocol-error':
      return `PROTOCOL_ERROR: ${result.reason}`;
  }
}

/**
 * An adapter method that throws instead of returning a fault is a CRASH of the implementation
 * behind it (adapters/types.ts: faults are data), never a FAIL and never the end of the run.
 */
async function guarded<R>(what: string, body: () => Promise<R>): Promise<R | { kind: 'crash'; reason: string }> {
  try {
    return await body();
  } catch (e) {
    return thrown(what, e);
  }
}

function thrown(what: string, e: unknown): { kind: 'crash'; reason: string } {
  const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return { kind: 'crash', reason: `the adapter's ${what} threw ${text.split('\n')[0].slice(0, 500)}` };
}

/** A returned call's code and out-values as the trace holds them: no `out` key without out-values, as its JSON reads. */
function returnedFields(result: Returned): { err: number; out?: unknown } {
  return result.out === undefined ? { err: result.err } : { err: result.err, out: result.out };
}

/** The result shown for a call that had not settled when the scenario's verdict was reached. */
export const PENDING_AT_VERDICT = 'pending: no result yet when the scenario ended';

type Started = Omit<TraceEntry, 'seq' | 'result' | 'err' | 'out'>;

/**
 * A speculated program's hook on calls (harness/speculate.ts): while it plans, every call is answered
 * by the predictor and not traced; while it runs, calls are answered from the chain and traced.
 * Undefined: the call is made as usual.
 */
export interface Speculation {
  answer(thread: string, op: OperationName, args: object): { readonly result: CallResult; readonly traced: boolean } | undefined;
}

export class TracedImplementation {
  /** The scenario's trace; after verdictTrace() it no longer changes. */
  readonly trace: TraceEntry[] = [];
  /** Results that arrived after the verdict: kept, numbered on, and never part of what was judged. */
  readonly afterVerdict: TraceEntry[] = [];
  private seq = 0;
  private readonly inFlight = new Set<Started>();
  private judged?: readonly TraceEntry[];
  /** Set while a speculated program plans or runs (harness/speculate.ts). */
  speculation: Speculation | undefined;

  /**
   * @param now answers a call at once when it can (both sides in-process: MirroredImplementation.callSync),
   *   else undefined; such a call is traced as call() traces it, without a promise per layer.
   */
  constructor(
    readonly inner: Implementation,
    private readonly now?: <O extends OperationName>(thread: string, op: O, args: ArgsOf<O>) => CallResult<O> | undefined,
  ) {}

  /**
   * The trace the verdict judges, taken once: what settled so far, then every call still in flight
   * as PENDING_AT_VERDICT. The same frozen array on every later call.
   */
  verdictTrace(): readonly TraceEntry[] {
    if (this.judged === undefined) {
      for (const started of this.inFlight) this.trace.push({ seq: ++this.seq, ...started, result: PENDING_AT_VERDICT });
      this.judged = Object.freeze([...this.trace]);
    }
    return this.judged;
  }

  private record(entry: Omit<TraceEntry, 'seq'>): void {
    (this.judged === undefined ? this.trace : this.afterVerdict).push({ seq: ++this.seq, ...entry });
  }

  /** Runs an adapter method, known as in flight until it settles. */
  private async track<R>(started: Started, what: string, body: () => Promise<R>): Promise<R | { kind: 'crash'; reason: string }> {
    this.inFlight.add(started);
    try {
      return await guarded(what, body);
    } finally {
      this.inFlight.delete(started);
    }
  }

  async reset(): Promise<AdapterStatus> {
    const result = await this.track({ thread: '-', kind: 'reset' }, 'reset()', () => this.inner.reset());
    this.record({ thread: '-', kind: 'reset', result: describeResult(result) });
    return result;
  }

  async call<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<CallResult<O>> {
    const result = await this.track({ thread, kind: 'call', op, args }, 'call()', () => this.inner.call(thread, op, args));
    this.recordCall(thread, op, args, result);
    return result;
  }

  /** The call answered at once, traced as call() traces it; undefined when it cannot be (then call() it). */
  callNow<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): CallResult<O> | { kind: 'crash'; reason: string } | undefined {
    if (this.speculation !== undefined) {
      const s = this.speculation.answer(thread, op, args);
      if (s !== undefined) {
        if (s.traced) this.recordCall(thread, op, args, s.result);
        return s.result;
      }
    }
    if (this.now === undefined) return undefined;
    let result: CallResult<O> | { kind: 'crash'; reason: string } | undefined;
    try {
      result = this.now(thread, op, args);
    } catch (e) {
      result = thrown('call()', e);
    }
    if (result !== undefined) this.recordCall(thread, op, args, result);
    return result;
  }

  /**
   * Runs a chain of calls (harness/setup-chain.ts), its first call known as in flight meanwhile, as
   * call() runs one; the caller traces each result with recordChained(), in order. A throw of the
   * adapter is a CRASH of the first call.
   */
  async chain(first: { readonly thread: string; readonly op: OperationName; readonly args: object }, body: () => Promise<CallResult[]>): Promise<CallResult[]> {
    const result = await this.track({ thread: first.thread, kind: 'call', op: first.op, args: first.args }, 'callChain()', body);
    return Array.isArray(result) ? result : [result];
  }

  /** A call made in a chain, traced as call() traces it. */
  recordChained(thread: string, op: OperationName, args: object, result: CallResult): void {
    this.recordCall(thread, op, args, result);
  }

  private recordCall(thread: string, op: OperationName, args: object, result: CallResult | { kind: 'crash'; reason: string }): void {
    this.record({
      thread,
      kind: 'call',
      op,
      args,
      result: describeResult(result),
      ...(result.kind === 'returned' ? returnedFields(result) : {}),
    });
  }

  async hold(thread: string, call: ApiCall): Promise<HoldResult> {
    if (!this.inner.hold) return { kind: 'unsupported', reason: 'the adapter has no hold()' };
    const inner = this.inner;
    const result = await this.track({ thread, kind: 'hold', op: call.op, args: call.args }, 'hold()', () => inner.hold!(thread, call));
    this.record({ thread, kind: 'hold', op: call.op, args: call.args, result: describeResult(result), ...(result.kind === 'returned' ? { err: result.err } : {}) });
    return result;
  }

  async release(thread: string, hold: string): Promise<CallResult> {
    if (!this.inner.release) return { kind: 'unsupported', reason: 'the adapter has no release()' };
    const inner = this.inner;
    const result = await this.track({ thread, kind: 'release' }, 'release()', () => inner.release!(hold));
    this.record({ thread, kind: 'release', result: describeResult(result), ...(result.kind === 'returned' ? returnedFields(result) : {}) });
    return result;
  }

  async forceInstanceState(instance: HandleArg, state: ForcedInstanceState): Promise<AdapterStatus> {
    if (!this.inner.forceInstanceState) return { kind: 'unsupported', reason: 'the adapter has no forceInstanceState()' };
    const inner = this.inner;
    const result = await this.track({ thread: '-', kind: 'force-instance-state', args: { instance, ...state } }, 'forceInstanceState()', () => inner.forceInstanceState!(instance, state));
    this.record({ thread: '-', kind: 'force-instance-state', args: { instance, ...state }, result: describeResult(result) });
    return result;
  }

  async injectFault(fault: FaultSpec): Promise<AdapterStatus> {
    if (!this.inner.injectFault) return { kind: 'unsupported', reason: 'the adapter has no injectFault()' };
    const inner = this.inner;
    const result = await this.track({ thread: '-', kind: 'inject-fault', args: fault }, 'injectFault()', () => inner.injectFault!(fault));
    this.record({ thread: '-', kind: 'inject-fault', args: fault, result: describeResult(result) });
    return result;
  }
}
