/**
 * The plan of a pipelined fuzz run (fuzz/pipeline.ts): the run made in-process against a shadow
 * reference that answers for the implementation, recording the operations the implementation
 * would get; while it speculates, the same operations made on the implementation in chains.
 */
import { isDeepStrictEqual } from 'node:util';
import type { AdapterStatus, CallResult, ChainCall, HoldResult, Implementation } from '../adapters/types';
import type { ApiCall, FaultSpec, ForcedInstanceState, HandleArg, OperationName } from '../api';
import { columnIdProblem } from './pair';
import {
  chainResults,
  columnBase,
  columnsBase,
  dbidBase,
  endedShort,
  handleOuts,
  mark,
  maxColumns,
  outcomeOf,
  placeholderOf,
  realValue,
  within,
  wire,
  type Chainable,
  type Made,
  type PipelineStats,
  type PlannedOp,
} from './planned';

/** Speculation: the implementation a plan also makes its operations on, in chains, and one call's time. */
export interface Speculation {
  readonly sut: Chainable;
  readonly callMs: number;
}

/**
 * The implementation's side of the plan: the shadow reference, its handles and column ids shown as
 * placeholders, every operation recorded. Declares what the real implementation offers, no `sync`
 * (the plan waits for nothing: its terms are as pending as the reference's).
 *
 * Speculating, it also makes the operations on the implementation: plain calls collected into a
 * chain, sent before the next hold, release, injection or forced state (which it then makes too)
 * and at the end of the run. Each answer must be one the Pair would have taken exactly as the
 * shadow's: the same code, the same out-values but handles and column ids, every handle new in
 * the run, every column id new in the run (stricter than the Pair, which only asks that no live
 * handle and no column of the same table has it). The first answer that is not, a term made while
 * calls are held (it may wait, which only the real Pair can judge), or anything it cannot send
 * ends the speculation: the plan goes on with the shadow alone, and the run is then made against
 * the implementation from where the speculation ended (its answers so far kept in `made`).
 *
 * The plan never waits for the implementation: its run goes on with the shadow's answers while
 * the chains and barriers go out in a queue, each sent only after the one before it was answered
 * and checked (so a stop still keeps every later op from being sent, and the implementation gets
 * the same requests in the same order as when the plan waited for each). The two processes then
 * work at once: the plan's run (the reference, the shadow, fast-check) while the implementation
 * answers a chain.
 */
export class PlanSut implements Implementation {
  readonly ops: PlannedOp[] = [];
  readonly info: Implementation['info'];
  readonly made: Made = { end: 0, results: [], answers: [] };
  /** Whether the implementation has answered every op made so far as the shadow did. */
  speculating: boolean;
  /** placeholder -> the shadow's own value. */
  private readonly values = new Map<string | number, unknown>();
  private held = 0;
  /** The shadow's answers as the run saw them, by op index. */
  private readonly seen: (CallResult | undefined)[] = [];
  /** The shadow's hold token -> the implementation's. */
  private readonly realHolds = new Map<string, string>();
  /** Every handle and column id the implementation issued in this run. */
  private readonly issued = new Set<unknown>();
  private readonly issuedColumns: number[] = [];
  /** Every dbid the implementation gave in this run. */
  private readonly issuedDbids = new Set<number>();
  /**
   * What is being made on the implementation, in order (chains and barriers, each sent after the
   * one before was answered and checked): the plan's run goes on with the shadow's answers
   * meanwhile, and ends only after it.
   */
  private busy: Promise<unknown> = Promise.resolve();
  /** Ops from this index are never made on the implementation (a stop): earlier ones still may be. */
  private limit = Infinity;
  /** Ops before this index are queued to be made: the next chain starts here. */
  private queued = 0;
  /** Calls of the chain being sent: an op that waits for it may take their time too (`waits`). */
  private sending = 0;

  constructor(
    private readonly shadow: Implementation,
    real: Implementation,
    private readonly spec: Speculation | undefined,
    private readonly stats: PipelineStats,
    /**
     * The placeholder the plan's run has bound to a dbid of the reference while it keeps that
     * database (World.sutDbid): the shadow, a reference too, gives a database opened again the
     * same dbid, which is then shown as the same placeholder.
     */
    private readonly boundDbid: (dbid: number) => number | undefined = () => undefined,
  ) {
    this.info = real.info;
    this.speculating = spec !== undefined;
  }

  reset(): Promise<AdapterStatus> {
    this.values.clear();
    this.held = 0;
    this.queued = 0;
    return this.shadow.reset();
  }

  call<O extends OperationName>(thread: string, op: O, args: ApiCall['args']): Promise<CallResult<O>> {
    const i = this.ops.length;
    const rec: PlannedOp & { kind: 'call' } = { kind: 'call', thread, op, args, single: (op === 'JetTerm' || op === 'JetTerm2') && this.held > 0 };
    this.ops.push(rec);
    if (rec.single) this.stop('a term while calls are held', i);
    // An element of a list a call of the chain returns cannot be referred to: the chain before this call goes first.
    if (this.speculating && listElementOf(args, this.queued)) void this.flush(i);
    return this.shadow.call(thread, op, this.toShadow(args) as never).then((r) => {
      if (r.kind === 'returned') rec.expect = r.err;
      return (this.seen[i] = this.shown(r, i));
    });
  }

  async hold(thread: string, call: ApiCall): Promise<HoldResult> {
    const i = this.ops.length;
    const rec: PlannedOp = { kind: 'hold', thread, op: call.op, args: call.args };
    this.ops.push(rec);
    const shadow = (this.shadow.hold as NonNullable<Implementation['hold']>)(thread, { op: call.op, args: this.toShadow(call.args) } as ApiCall);
    this.barrier(i, shadow, (sut) => {
      const args = this.toReal(call.args);
      return args === undefined ? undefined : sut.hold?.(thread, { op: call.op, args } as ApiCall);
    }, (real, r) => {
      if (real.kind === 'held' && r.kind === 'held') this.realHolds.set(r.hold, real.hold);
    });
    const r = await shadow;
    rec.outcome = outcomeOf(r);
    if (r.kind === 'held') this.held++;
    return r.kind === 'held' ? r : this.shown(r, i);
  }

  async release(hold: string): Promise<CallResult> {
    const i = this.ops.length;
    const rec: PlannedOp = { kind: 'release', thread: '-', op: 'release' };
    this.ops.push(rec);
    const shadow = (this.shadow.release as NonNullable<Implementation['release']>)(hold);
    // The token is the hold barrier's, known once that barrier (queued before this one) was answered.
    this.barrier(i, shadow, (sut) => {
      const token = this.realHolds.get(hold);
      return token === undefined ? undefined : sut.release?.(token);
    });
    const r = await shadow;
    this.held--;
    rec.outcome = outcomeOf(r);
    return this.shown(r, i);
  }

  async injectFault(fault: FaultSpec): Promise<AdapterStatus> {
    const i = this.ops.length;
    const rec: PlannedOp = { kind: 'inject', thread: '-', op: fault.step, args: { ...fault } };
    this.ops.push(rec);
    const shadow = (this.shadow.injectFault as NonNullable<Implementation['injectFault']>)(fault);
    this.barrier(i, shadow, (sut) => sut.injectFault?.(fault));
    const r = await shadow;
    rec.outcome = outcomeOf(r);
    return r;
  }

  async forceInstanceState(instance: HandleArg, state: ForcedInstanceState): Promise<AdapterStatus> {
    const i = this.ops.length;
    const rec: PlannedOp = { kind: 'force', thread: '-', op: state.state, args: { instance, ...state } };
    this.ops.push(rec);
    const shadow = (this.shadow.forceInstanceState as NonNullable<Implementation['forceInstanceState']>)(this.toShadow({ instance }).instance as HandleArg, state);
    this.barrier(i, shadow, (sut) => {
      const args = this.toReal({ instance });
      return args === undefined ? undefined : sut.forceInstanceState?.(args.instance as HandleArg, state);
    });
    const r = await shadow;
    rec.outcome = outcomeOf(r);
    return r;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  /**
   * How many calls' time the op just asked for may take: a call or barrier that first sends the
   * chain before it waits for that chain's answer (n calls' time) and then its own.
   */
  waits(): number {
    return this.sending + 1;
  }

  /**
   * Resolves once nothing is being made on the implementation. The plan's Pair may give up on an op
   * (a DivergenceError, a timeout) while its chain or barrier is still on the way; the run made
   * after the plan must not start before that traffic has ended and `made` is final (else the
   * implementation gets the chain twice and a stray hold: the slow chain's -1086/-1906 from itself).
   */
  async idle(): Promise<void> {
    for (let seen: Promise<unknown> | undefined; seen !== this.busy; ) {
      seen = this.busy;
      await seen.catch(() => undefined);
    }
  }

  /**
   * Queues the calls not yet made before op `upTo`, to go as one chain once what is queued before
   * has been answered and checked; the speculation ends at the first answer the Pair might not
   * take as the shadow's. Resolves when the chain has been answered and checked.
   */
  flush(upTo = this.ops.length): Promise<void> {
    this.queued = Math.max(this.queued, upTo);
    return this.enqueue(() => this.flushNow(upTo));
  }

  /**
   * The implementation's reset of this run, at the head of the queue (before the plan's first op):
   * a reset that does not answer ok ends the speculation before anything is sent.
   */
  after(reset: Promise<AdapterStatus>): void {
    void this.enqueue(async () => {
      if ((await reset).kind !== 'ok') this.stop('a reset that failed', 0);
    });
  }

  /** Runs `send` after everything queued before it; a throw ends the speculation there. */
  private enqueue<T>(send: () => Promise<T>): Promise<T | undefined> {
    const p = this.busy.then(send).catch(() => {
      this.stop('a chain or barrier that threw', this.made.end);
      return undefined;
    });
    this.busy = p;
    return p;
  }

  private async flushNow(upTo: number): Promise<void> {
    if (this.spec === undefined) return;
    const start = this.made.end;
    const end = Math.min(upTo, this.limit);
    const calls: ChainCall[] = [];
    for (let j = start; j < end; j++) {
      const p = this.ops[j];
      const args = p.kind === 'call' && !p.single && p.expect !== undefined ? wire(p.args, start, this.made.results) : undefined;
      if (args === undefined) {
        this.stop('a call it cannot send', start);
        return;
      }
      calls.push({ thread: p.thread, op: p.op as OperationName, args, expect: (p as { expect: number }).expect });
    }
    if (calls.length === 0) return;
    this.stats.chains++;
    this.stats.chainedCalls += calls.length;
    const ms = this.spec.callMs * calls.length;
    this.sending = calls.length;
    const answer = await within(this.spec.sut.callChain(calls), ms).finally(() => (this.sending = 0));
    const results = chainResults(answer, calls, ms, this.spec.callMs);
    const short = endedShort(results, calls);
    for (const [k, r] of [...results, ...(short ? [short] : [])].entries()) {
      this.made.results[start + k] = r;
      this.made.answers[start + k] = Promise.resolve(r);
    }
    this.made.end = start + results.length + (short ? 1 : 0);
    if (short !== undefined || results.length < calls.length) this.stop('a chain that stopped', this.made.end);
    for (const [k, r] of results.entries()) {
      if (start + k >= this.limit) return;
      if (!this.likeShadow(start + k, r)) this.stop('an answer unlike the shadow\'s', this.made.end);
    }
  }

  /**
   * A hold, release, injection or forced state while speculating, queued: the chain before it
   * first, then the op on the implementation, waited for one call's time (a later answer is the
   * run's to wait for and judge) and checked against the shadow's answer (`shadow`, which the plan
   * has at once); `matched` then sees both. Nothing is made once the speculation has ended before op i.
   */
  private barrier<R extends HoldResult | CallResult | AdapterStatus>(
    i: number,
    shadow: Promise<R>,
    make: (sut: Chainable) => Promise<R> | undefined,
    matched?: (real: R, shadow: R) => void,
  ): void {
    this.queued = i + 1;
    void this.enqueue(async () => {
      await this.flushNow(i);
      if (i >= this.limit || this.spec === undefined) return;
      const p = make(this.spec.sut);
      if (p === undefined) {
        this.stop('a barrier it cannot make', i);
        return;
      }
      this.made.answers[i] = p;
      this.made.end = i + 1;
      const real = await within(p, this.spec.callMs);
      if (real === undefined) {
        this.stop('a barrier not answered in time', i + 1);
        return;
      }
      const r = await shadow;
      if (!this.check(real, r)) this.stop('a barrier unlike the shadow\'s', i + 1);
      else matched?.(real, r);
    });
  }

  /**
   * Ends the speculation (counted by reason): no op from index `at` on is made on the
   * implementation; ops before it that are queued still are (the plan went on past them).
   */
  private stop(why: string, at: number): void {
    this.limit = Math.min(this.limit, at);
    if (!this.speculating) return;
    this.speculating = false;
    this.stats.unspeculated[why] = (this.stats.unspeculated[why] ?? 0) + 1;
  }

  /** Whether a barrier's answer from the implementation came out as the shadow's. */
  private check(real: HoldResult | CallResult | AdapterStatus, shadow: HoldResult | CallResult | AdapterStatus): boolean {
    return outcomeOf(real) === outcomeOf(shadow) && (real.kind !== 'returned' || shadow.kind !== 'returned' || isDeepStrictEqual(real.out ?? {}, shadow.out ?? {}));
  }

  /**
   * Whether the Pair, given the implementation's answer to planned call i instead of the shadow's,
   * would have taken it alike: the same code, the same out-values but handles, column ids and
   * dbids, a handle that is a non-empty string new in this run, a new column's id new in this run,
   * a temp table's ids as many as the shadow's and distinct, a database's dbid the one the
   * implementation gave it before, a new database's dbid new in this run.
   */
  private likeShadow(i: number, real: CallResult): boolean {
    const seen = this.seen[i];
    if (seen === undefined || seen.kind !== 'returned' || real.kind !== 'returned' || real.err !== seen.err) return false;
    if (seen.err < 0) return true;
    const shadowOut = (seen.out ?? {}) as Record<string, unknown>;
    const realOut = (real.out ?? {}) as Record<string, unknown>;
    const handles: unknown[] = [];
    const columns: number[] = [];
    const dbids: number[] = [];
    for (const key of Object.keys(shadowOut)) {
      const v = realOut[key];
      if ((handleOuts as readonly string[]).includes(key)) {
        if (typeof v !== 'string' || v === '' || this.issued.has(v) || handles.includes(v)) return false;
        handles.push(v);
      } else if (key === 'columnids') {
        // A temp table's ids: as many as the shadow's, distinct (the Pair asks no more).
        if (columnIdProblem(key, shadowOut[key], v, []) !== undefined) return false;
      } else if (key === 'columnid') {
        if (columnIdProblem(key, shadowOut[key], v, this.issuedColumns) !== undefined) return false;
        columns.push(v as number);
      } else if (key === 'dbid') {
        const ph = placeholderOf(shadowOut[key]);
        if (ph === undefined || typeof v !== 'number' || !Number.isInteger(v)) return false;
        if (ph.op !== i) {
          if (realValue(this.made.results, ph) !== v) return false;
        } else if (this.issuedDbids.has(v) || dbids.includes(v)) return false;
        else dbids.push(v);
      } else if (!isDeepStrictEqual(shadowOut[key], v)) return false;
    }
    for (const d of dbids) this.issuedDbids.add(d);
    for (const h of handles) this.issued.add(h);
    this.issuedColumns.push(...columns);
    return true;
  }

  /** Args with each placeholder as the implementation's value (undefined: one is not known). */
  private toReal(args: Readonly<Record<string, unknown>>): Record<string, unknown> | undefined {
    const out: Record<string, unknown> = { ...args };
    for (const k in out) {
      const ph = placeholderOf(out[k]);
      if (ph === undefined) continue;
      const v = realValue(this.made.results, ph);
      if (v === undefined) return undefined;
      out[k] = v;
    }
    return out;
  }

  /** The args with each placeholder back to the shadow's value. */
  private toShadow(args: Readonly<Record<string, unknown>>): Record<string, unknown> {
    let out: Record<string, unknown> | undefined;
    for (const k in args) {
      const v = args[k];
      if ((typeof v === 'string' || typeof v === 'number') && this.values.has(v)) {
        out ??= { ...args };
        out[k] = this.values.get(v);
      }
    }
    return out ?? (args);
  }

  /** The shadow's answer as the run sees it: issued handles and column ids as placeholders of op i. */
  private shown(r: CallResult, i: number): CallResult {
    if (r.kind !== 'returned' || r.err < 0 || r.out === undefined) return r;
    const out: Record<string, unknown> = { ...(r.out as Record<string, unknown>) };
    for (const k of handleOuts) {
      if (typeof out[k] !== 'string') continue;
      const p = `${mark}${i}:${k}`;
      this.values.set(p, out[k]);
      out[k] = p;
    }
    if (typeof out.columnid === 'number') {
      const p = columnBase - i;
      this.values.set(p, out.columnid);
      out.columnid = p;
    }
    if (typeof out.dbid === 'number') {
      const bound = this.boundDbid(out.dbid);
      const p = bound !== undefined && placeholderOf(bound)?.out === 'dbid' ? bound : dbidBase - i;
      this.values.set(p, out.dbid);
      out.dbid = p;
    }
    if (Array.isArray(out.columnids) && out.columnids.length <= maxColumns) {
      out.columnids = (out.columnids as unknown[]).map((v, k) => {
        const p = columnsBase - (i * maxColumns + k);
        this.values.set(p, v);
        return p;
      });
    }
    return { ...r, out };
  }
}

/** Whether args refer to an element of a list that planned op `from` or a later one returns (a chain's reference cannot name one). */
function listElementOf(args: Readonly<Record<string, unknown>>, from: number): boolean {
  for (const k in args) {
    const ph = placeholderOf(args[k]);
    if (ph !== undefined && ph.index !== undefined && ph.op >= from) return true;
  }
  return false;
}
