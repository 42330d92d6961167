/**
 * Wraps an Implementation so that every interaction lands in the scenario's trace, the record the
 * reports show next to each verdict.
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
    const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    return { kind: 'crash', reason: `the adapter's ${what} threw ${text.split('\n')[0].slice(0, 500)}` };
  }
}

export class TracedImplementation {
  readonly trace: TraceEntry[] = [];
  private seq = 0;

  constructor(readonly inner: Implementation) {}

  private record(entry: Omit<TraceEntry, 'seq'>): void {
    this.trace.push({ seq: ++this.seq, ...entry });
  }

  async reset(): Promise<AdapterStatus> {
    const result = await guarded('reset()', () => this.inner.reset());
    this.record({ thread: '-', kind: 'reset', result: describeResult(result) });
    return result;
  }

  async call<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<CallResult<O>> {
    const result = await guarded('call()', () => this.inner.call(thread, op, args));
    this.record({
      thread,
      kind: 'call',
      op,
      args,
      result: describeResult(result),
      ...(result.kind === 'returned' ? { err: result.err, out: result.out } : {}),
    });
    return result;
  }

  async hold(thread: string, call: ApiCall): Promise<HoldResult> {
    if (!this.inner.hold) return { kind: 'unsupported', reason: 'the adapter has no hold()' };
    const inner = this.inner;
    const result = await guarded('hold()', () => inner.hold!(thread, call));
    this.record({ thread, kind: 'hold', op: call.op, args: call.args, result: describeResult(result), ...(result.kind === 'returned' ? { err: result.err } : {}) });
    return result;
  }

  async release(thread: string, hold: string): Promise<CallResult> {
    if (!this.inner.release) return { kind: 'unsupported', reason: 'the adapter has no release()' };
    const inner = this.inner;
    const result = await guarded('release()', () => inner.release!(hold));
    this.record({ thread, kind: 'release', result: describeResult(result), ...(result.kind === 'returned' ? { err: result.err, out: result.out } : {}) });
    return result;
  }

  async forceInstanceState(instance: HandleArg, state: ForcedInstanceState): Promise<AdapterStatus> {
    if (!this.inner.forceInstanceState) return { kind: 'unsupported', reason: 'the adapter has no forceInstanceState()' };
    const inner = this.inner;
    const result = await guarded('forceInstanceState()', () => inner.forceInstanceState!(instance, state));
    this.record({ thread: '-', kind: 'force-instance-state', args: { instance, ...state }, result: describeResult(result) });
    return result;
  }

  async injectFault(fault: FaultSpec): Promise<AdapterStatus> {
    if (!this.inner.injectFault) return { kind: 'unsupported', reason: 'the adapter has no injectFault()' };
    const inner = this.inner;
    const result = await guarded('injectFault()', () => inner.injectFault!(fault));
    this.record({ thread: '-', kind: 'inject-fault', args: fault, result: describeResult(result) });
    return result;
  }
}
