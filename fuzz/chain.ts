/**
 * The run of a pipelined fuzz campaign made after its plan (fuzz/pipeline.ts), against the
 * implementation: planned calls sent as protocol 1.1 chains and answered one by one from them,
 * every operation checked against the plan, and off the plan call by call.
 */
import { isDeepStrictEqual } from 'node:util';
import type { AdapterStatus, CallResult, ChainCall, HoldResult, Implementation } from '../adapters/types';
import type { ApiCall, FaultSpec, ForcedInstanceState, HandleArg, OperationName } from '../api';
import { ModelError } from './pair';
import {
  chainResults,
  endedShort,
  outcomeOf,
  placeholderOf,
  realValue,
  within,
  wire,
  type Chainable,
  type Made,
  type Outcome,
  type PipelineStats,
  type Plan,
  type PlannedOp,
} from './planned';

/**
 * The implementation during a run made after its plan: the ops the plan made while it speculated
 * are answered as they were answered then, calls of the plan come from chains, the rest goes
 * through as it is. Every operation the run asks for is checked against the plan first.
 */
export class ChainedSut implements Implementation {
  readonly info: Implementation['info'];
  readonly callTimeoutMs?: number;
  readonly hold?: (thread: string, call: ApiCall) => Promise<HoldResult>;
  readonly release?: (hold: string) => Promise<CallResult>;
  readonly injectFault?: (fault: FaultSpec) => Promise<AdapterStatus>;
  readonly forceInstanceState?: (instance: HandleArg, state: ForcedInstanceState) => Promise<AdapterStatus>;
  readonly sync?: () => Promise<AdapterStatus>;
  /** Off the plan: from here on every operation is its own request, unchecked. */
  private live = false;
  private next = 0;
  /** Ops before this index have been sent or made; results[i] is what planned call i answered. */
  private sentEnd: number;
  private readonly results: (CallResult | undefined)[];
  /** The first op of the chain each chained op went in, and that chain's answer. */
  private readonly chainStart: number[] = [];
  private readonly answered = new Map<number, Promise<void>>();
  /** How many calls the answer of the call just made waits for (its chain's length). */
  private waiting = 1;
  private faulted = false;

  constructor(
    private readonly sut: Chainable,
    private readonly plan: Plan,
    private readonly stats: PipelineStats,
    /** One call's time (the Pair's awaitTimeoutMs): a chain of n calls gets n of them, as the adapter gives a batch. */
    private readonly callMs: number,
    /** What the plan made while it speculated (it reset the implementation then); absent: nothing, and no reset. */
    made?: Made,
  ) {
    this.made = made ?? { end: 0, results: [], answers: [] };
    this.resetDone = made !== undefined;
    this.info = sut.info;
    if (sut.callTimeoutMs !== undefined) this.callTimeoutMs = sut.callTimeoutMs;
    this.sentEnd = this.made.end;
    this.results = [...this.made.results];
    // Optional operations only where the implementation has them (each made through it, bound).
    const none = (what: string) => Promise.resolve({ kind: 'unsupported' as const, reason: `no ${what}` });
    if (sut.hold) this.hold = (thread, call) => this.barrier('hold', thread, call.op, call.args, () => sut.hold?.(thread, call) ?? none('hold'));
    if (sut.release) this.release = (token) => this.barrier('release', '-', 'release', undefined, () => sut.release?.(token) ?? none('release'));
    if (sut.injectFault) this.injectFault = (fault) => this.barrier('inject', '-', fault.step, { ...fault }, () => sut.injectFault?.(fault) ?? none('injectFault'));
    if (sut.forceInstanceState) this.forceInstanceState = (instance, state) => this.barrier('force', '-', state.state, { instance, ...state }, () => sut.forceInstanceState?.(instance, state) ?? none('forceInstanceState'));
    // Not planned: it asks nothing of the engine, and everything sent before it has been answered.
    if (sut.sync) this.sync = () => sut.sync?.() ?? none('sync');
  }

  private readonly made: Made;
  /** The plan reset the implementation already (its speculation began from there). */
  private resetDone: boolean;

  /** Whether the run's failure may be the chain's doing: a chain answered a crash or a timeout, which names no call. */
  get suspect(): boolean {
    return this.faulted;
  }

  /** How many calls' time the answer of the last call may take: its chain's answer comes first. */
  waits(): number {
    return this.waiting;
  }

  /** Leaves the plan (after a divergence: what the run's end does goes through as it is). */
  goLive(): void {
    this.live = true;
  }

  reset(): Promise<AdapterStatus> {
    if (this.resetDone) {
      this.resetDone = false;
      return Promise.resolve({ kind: 'ok' });
    }
    return this.sut.reset();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  call<O extends OperationName>(thread: string, op: O, args: ApiCall['args']): Promise<CallResult<O>> {
    this.waiting = 1;
    const i = this.next;
    const p = this.live ? undefined : this.plan.ops[i];
    if (p === undefined) return this.single(thread, op, args, undefined);
    if (p.kind !== 'call' || p.thread !== thread || p.op !== op) this.offPlan(p, `${op} on ${thread}`);
    if (i < this.made.end) {
      this.check(i, args);
      this.next++;
      return this.taken(i, this.results[i]);
    }
    if (p.single || p.expect === undefined) {
      this.check(i, args);
      this.next++;
      return this.single(thread, op, args, i);
    }
    if (i >= this.sentEnd && !this.send(i)) return this.single(thread, op, args, undefined);
    // One more call's time than the chain has: the chain's own timer (below) fires first.
    if (i === this.chainStart[i]) this.waiting = this.sentEnd - i + 1;
    return this.chained(i, args);
  }

  /**
   * A call as its own request. Planned (i given): an answer other than the plan's leaves the plan
   * (a term that waits answers much later; the release compares it).
   */
  private single<O extends OperationName>(thread: string, op: O, args: ApiCall['args'], i: number | undefined): Promise<CallResult<O>> {
    this.stats.singleCalls++;
    const made = this.sut.call(thread, op, args);
    if (i === undefined) return made;
    const expect = (this.plan.ops[i] as PlannedOp & { kind: 'call' }).expect;
    return made.then((r) => {
      this.results[i] = r;
      if (r.kind !== 'returned' || r.err !== expect) this.live = true;
      return r;
    });
  }

  /** Planned call i, answered from its chain. */
  private async chained(i: number, args: ApiCall['args']): Promise<CallResult> {
    const start = this.chainStart[i];
    await this.answered.get(start);
    this.check(i, args);
    this.next = i + 1;
    return this.taken(i, this.results[i]);
  }

  /** The answer a chain gave planned call i (none: the chain stopped short of it, wrongly, or it would have been taken). */
  private taken(i: number, r: CallResult | undefined): Promise<CallResult> {
    const p = this.plan.ops[i] as PlannedOp & { kind: 'call' };
    if (r === undefined) {
      this.live = true;
      return Promise.resolve({ kind: 'protocol-error', reason: 'a chain stopped before this call without an answer that ends it' });
    }
    if (r.kind !== 'returned' || r.err !== p.expect) {
      this.live = true;
      if (r.kind === 'crash' || r.kind === 'timeout') this.faulted = true;
    }
    return Promise.resolve(r);
  }

  /**
   * Sends the stretch of plain calls that starts at op i as one chain; false when op i cannot be
   * sent (an out-value it needs is missing: the run is off the plan, and goes on call by call).
   */
  private send(i: number): boolean {
    const calls: ChainCall[] = [];
    let j = i;
    for (; j < this.plan.ops.length; j++) {
      const p = this.plan.ops[j];
      if (p.kind !== 'call' || p.single || p.expect === undefined) break;
      const args = wire(p.args, i, this.results);
      if (args === undefined) break;
      calls.push({ thread: p.thread, op: p.op, args, expect: p.expect });
    }
    if (calls.length === 0) {
      this.live = true;
      return false;
    }
    for (let k = i; k < j; k++) this.chainStart[k] = i;
    this.sentEnd = j;
    this.stats.chains++;
    this.stats.chainedCalls += calls.length;
    const ms = this.callMs * calls.length;
    this.answered.set(
      i,
      within(this.sut.callChain(calls), ms).then((rs) => {
        const results = chainResults(rs, calls, ms, this.callMs);
        results.forEach((r, k) => (this.results[i + k] = r));
        const short = endedShort(results, calls);
        if (short !== undefined) this.results[i + results.length] = short;
      }),
    );
    return true;
  }

  /** The run asks for planned op i with these args: they must be the planned ones, with the real values. */
  private check(i: number, args: Readonly<Record<string, unknown>>): void {
    const p = this.plan.ops[i];
    const planned: Record<string, unknown> = { ...p.args };
    for (const k in planned) {
      const ph = placeholderOf(planned[k]);
      if (ph !== undefined) planned[k] = realValue(this.results, ph);
    }
    if (!isDeepStrictEqual(planned, args)) {
      throw new ModelError(`pipelined run: ${p.kind} ${p.op} on ${p.thread} (planned op ${i}) is asked for with ${JSON.stringify(args)}, planned with ${JSON.stringify(planned)}`);
    }
  }

  private offPlan(p: PlannedOp, asked: string): never {
    throw new ModelError(`pipelined run: the run asks for ${asked} where its plan has ${p.kind} ${p.op} on ${p.thread} (op ${this.next}): the plan and the run differ`);
  }

  /** A hold, release, injection or forced state: its own request (or its answer when the plan made it); an outcome other than the plan's leaves the plan. */
  private async barrier<R extends HoldResult | AdapterStatus>(
    kind: 'hold' | 'release' | 'inject' | 'force',
    thread: string,
    op: string,
    args: Readonly<Record<string, unknown>> | undefined,
    make: () => Promise<R>,
  ): Promise<R> {
    // Its own request, made after every earlier answer: one call's time.
    this.waiting = 1;
    const i = this.next;
    const p = this.live ? undefined : this.plan.ops[i];
    if (p === undefined) {
      this.live = true;
      return make();
    }
    if (p.kind !== kind || p.thread !== thread || p.op !== op) this.offPlan(p, `${kind} ${op} on ${thread}`);
    if (args !== undefined) this.check(i, args);
    this.next++;
    const r = i < this.made.end ? await (this.made.answers[i] as Promise<R>) : await make();
    if (outcomeOf(r) !== (p as { outcome?: Outcome }).outcome) this.live = true;
    return r;
  }
}
