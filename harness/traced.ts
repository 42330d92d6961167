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
import { describeErr } from '../oracle/codes';
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

export class TracedImplementation {
  readonly trace: TraceEntry[] = [];
  private seq = 0;

  constructor(readonly inner: Implementation) {}

  private record(entry: Omit<TraceEntry, 'seq'>): void {
    this.trace.push({ seq: ++this.seq, ...entry });
  }

  async reset(): Promise<AdapterStatus> {
    const result = await this.inner.reset();
    this.record({ thread: '-', kind: 'reset', result: describeResult(result) });
    return result;
  }

  async call<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<CallResult<O>> {
    const result = await this.inner.call(thread, op, args);
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
    const result = await this.inner.hold(thread, call);
    this.record({ thread, kind: 'hold', op: call.op, args: call.args, result: describeResult(result), ...(result.kind === 'returned' ? { err: result.err } : {}) });
    return result;
  }

  async release(thread: string, hold: string): Promise<CallResult> {
    if (!this.inner.release) return { kind: 'unsupported', reason: 'the adapter has no release()' };
    const result = await this.inner.release(hold);
    this.record({ thread, kind: 'release', result: describeResult(result), ...(result.kind === 'returned' ? { err: result.err, out: result.out } : {}) });
    return result;
  }

  async forceInstanceState(instance: HandleArg, state: ForcedInstanceState): Promise<AdapterStatus> {
    if (!this.inner.forceInstanceState) return { kind: 'unsupported', reason: 'the adapter has no forceInstanceState()' };
    const result = await this.inner.forceInstanceState(instance, state);
    this.record({ thread: '-', kind: 'force-instance-state', args: { instance, ...state }, result: describeResult(result) });
    return result;
  }

  async injectFault(fault: FaultSpec): Promise<AdapterStatus> {
    if (!this.inner.injectFault) return { kind: 'unsupported', reason: 'the adapter has no injectFault()' };
    const result = await this.inner.injectFault(fault);
    this.record({ thread: '-', kind: 'inject-fault', args: fault, result: describeResult(result) });
    return result;
  }
}
