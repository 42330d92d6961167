/**
 * Pipelined fuzz runs over an implementation that speaks protocol 1.1 `chain` (docs/protocol.md
 * section 16): the implementation makes exactly the calls it makes one request at a time, in far
 * fewer round trips.
 *
 * A run is made twice. First as a plan, in-process and cheap: the reference against a twin
 * reference (the shadow) that answers for the implementation, with every handle and column id it
 * issues replaced by a placeholder naming the call that issued it. The shadow records the calls
 * the implementation would get if it answered as the reference does. Then for real, against the
 * implementation, through ChainedSut: at the first call of a stretch of plain calls it sends the
 * whole stretch as one chain, each call expecting the reference's code and naming the handles of
 * earlier calls by index; the chain stops at the first unexpected code. The run reads the chain's
 * answers one by one as if each came from its own request, and every comparison is the Pair's,
 * on the implementation's real answers. Holds, releases, injections, forced states and terms made
 * while calls are held stay single requests (they end a stretch); from the first answer that is
 * not the plan's, the rest of the run is made one call at a time.
 *
 * A chain that ends in a crash or a timeout cannot say which of its calls failed (a process that
 * died answers nothing): such a run is made again one call at a time from a reset, and the
 * campaign stops chaining, so the finding is the one the calls one by one give. A plan the real
 * run does not follow is a fuzzer bug, reported as a ModelError, never a verdict.
 */
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import type { AdapterStatus, CallResult, ChainCall, HoldResult, Implementation } from '../adapters/types';
import type { ApiCall, Capability, FaultSpec, ForcedInstanceState, HandleArg, OperationName } from '../api';
import { describeResult } from '../harness/traced';
import { runEpilogue, runPrologue, type Prologue } from './bookends';
import type { FuzzModel } from './exec';
import { columnIdProblem, DivergenceError, ModelError, Pair, type PairOptions } from './pair';
import { World } from './world';

/** fast-check's command sequence of one run. */
export type Cmds = Iterable<fc.AsyncCommand<FuzzModel, Implementation>>;

// ---- Placeholders: the shadow's issued values, naming the planned call that issued them ------

const handleOuts = ['instance', 'sesid', 'tableid'] as const;
const mark = '\u0001planned:';
/** columnid of planned op i: columnBase - i; columnids[k]: columnsBase - (i * maxColumns + k). */
const columnBase = -(2 ** 40);
const columnsBase = -(2 ** 46);
const maxColumns = 4096;

/** What a placeholder stands for: out-value `out` (element `index` of it) of planned op `op`. */
interface Placeholder {
  readonly op: number;
  readonly out: string;
  readonly index?: number;
}

function placeholderOf(v: unknown): Placeholder | undefined {
  if (typeof v === 'string' && v.startsWith(mark)) {
    const [op, out] = v.slice(mark.length).split(':');
    return { op: Number(op), out };
  }
  if (typeof v !== 'number' || v > columnBase) return undefined;
  if (v > columnsBase) return { op: columnBase - v, out: 'columnid' };
  const n = columnsBase - v;
  return { op: Math.floor(n / maxColumns), out: 'columnids', index: n % maxColumns };
}

// ---- The plan ----------------------------------------------------------------------------------

/** How a hold, release, injection or forced state came out: the real one must come out alike. */
type Outcome = string;

function outcomeOf(r: HoldResult | AdapterStatus): Outcome {
  return r.kind === 'returned' ? `returned ${r.err}` : r.kind;
}

/** The value a placeholder stands for, from the implementation's answers by op index. */
function realValue(results: readonly (CallResult | undefined)[], ph: Placeholder): unknown {
  const r = results[ph.op];
  const v = r?.kind === 'returned' ? (r.out as Record<string, unknown> | undefined)?.[ph.out] : undefined;
  return ph.index === undefined ? v : Array.isArray(v) ? (v as unknown[])[ph.index] : undefined;
}

/**
 * Planned args as the chain that starts at op `start` sends them: a placeholder of a call in the
 * chain becomes a reference to it, one of an earlier call the value that call returned.
 * Undefined when one cannot be sent (an element of a list another call of the chain returns, which
 * a reference cannot name; or a value an earlier call did not return).
 */
function wire(args: Readonly<Record<string, unknown>>, start: number, results: readonly (CallResult | undefined)[]): Record<string, unknown> | undefined {
  let out: Record<string, unknown> | undefined;
  for (const k in args) {
    const ph = placeholderOf(args[k]);
    if (ph === undefined) continue;
    out ??= { ...args };
    if (ph.op >= start) {
      if (ph.index !== undefined) return undefined;
      out[k] = { ref: ph.op - start, out: ph.out };
      continue;
    }
    const value = realValue(results, ph);
    if (value === undefined) return undefined;
    out[k] = value;
  }
  return out ?? (args);
}

/** The chain's answers as results of its n calls (undefined: not answered within its time of `ms`). */
function chainResults(rs: readonly CallResult[] | undefined, calls: readonly ChainCall[], ms: number, callMs: number): CallResult[] {
  if (rs === undefined) return [{ kind: 'timeout', reason: `a chain of ${calls.length} calls (${calls[0].op}, ...) was not answered within ${ms} ms (${calls.length} calls of ${callMs} ms)` }];
  const out = rs.slice(0, calls.length);
  if (rs.length > calls.length) out[calls.length - 1] = { kind: 'protocol-error', reason: `a chain of ${calls.length} calls got ${rs.length} answers` };
  return out;
}

/** A chain that stopped before its end at an answer that does not end it (or with none): its next call's result. */
function endedShort(results: readonly CallResult[], calls: readonly ChainCall[]): CallResult | undefined {
  if (results.length >= calls.length) return undefined;
  const last = results[results.length - 1] as CallResult | undefined;
  if (last !== undefined && (last.kind !== 'returned' || last.err !== calls[results.length - 1].expect)) return undefined;
  return {
    kind: 'protocol-error',
    reason: `the chain of ${calls.length} calls was answered with ${results.length} answers, the last ${last === undefined ? 'none' : describeResult(last)} as expected (a chain stops only after an unexpected answer)`,
  };
}

/** One operation the implementation gets, in order; args as the run passes them, with placeholders where the shadow's values stood. */
export type PlannedOp =
  | {
      readonly kind: 'call';
      readonly thread: string;
      readonly op: OperationName;
      readonly args: Readonly<Record<string, unknown>>;
      /** The code the shadow returned (undefined: it has not, or faulted). */
      expect?: number;
      /** Made as a single request: a term while calls are held may wait for them. */
      readonly single: boolean;
    }
  | { readonly kind: 'hold' | 'release' | 'inject' | 'force'; readonly thread: string; readonly op: string; readonly args?: Readonly<Record<string, unknown>>; outcome?: Outcome };

export interface Plan {
  readonly ops: readonly PlannedOp[];
}

/** What the plan made on the implementation while it speculated: ops before `end`, their answers by op index. */
export interface Made {
  end: number;
  /** Answers of calls (a chain's), for the values later calls refer to. */
  readonly results: (CallResult | undefined)[];
  /** Every made op's answer as the run made after the plan gets it (a barrier's as its promise). */
  readonly answers: (Promise<CallResult | HoldResult | AdapterStatus> | undefined)[];
}

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
 */
class PlanSut implements Implementation {
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

  constructor(
    private readonly shadow: Implementation,
    real: Implementation,
    private readonly spec: Speculation | undefined,
    private readonly stats: PipelineStats,
  ) {
    this.info = real.info;
    this.speculating = spec !== undefined;
  }

  reset(): Promise<AdapterStatus> {
    this.values.clear();
    this.held = 0;
    return this.shadow.reset();
  }

  call<O extends OperationName>(thread: string, op: O, args: ApiCall['args']): Promise<CallResult<O>> {
    const i = this.ops.length;
    const rec: PlannedOp & { kind: 'call' } = { kind: 'call', thread, op, args, single: (op === 'JetTerm' || op === 'JetTerm2') && this.held > 0 };
    this.ops.push(rec);
    if (rec.single) this.stop('a term while calls are held');
    // An element of a list a call of the chain returns cannot be referred to: that chain goes first.
    const first = this.speculating && wire(args, this.made.end, this.made.results) === undefined ? this.flush(i) : undefined;
    const answer = () =>
      this.shadow.call(thread, op, this.toShadow(args) as never).then((r) => {
        if (r.kind === 'returned') rec.expect = r.err;
        return (this.seen[i] = this.shown(r, i));
      });
    return first === undefined ? answer() : first.then(answer);
  }

  async hold(thread: string, call: ApiCall): Promise<HoldResult> {
    const i = this.ops.length;
    const rec: PlannedOp = { kind: 'hold', thread, op: call.op, args: call.args };
    this.ops.push(rec);
    const real = await this.barrier(i, (sut) => {
      const args = this.toReal(call.args);
      return args === undefined ? undefined : sut.hold?.(thread, { op: call.op, args } as ApiCall);
    });
    const r = await (this.shadow.hold as NonNullable<Implementation['hold']>)(thread, { op: call.op, args: this.toShadow(call.args) } as ApiCall);
    rec.outcome = outcomeOf(r);
    if (r.kind === 'held') this.held++;
    this.check(real, r);
    if (real?.kind === 'held' && r.kind === 'held') this.realHolds.set(r.hold, real.hold);
    return r.kind === 'held' ? r : this.shown(r, i);
  }

  async release(hold: string): Promise<CallResult> {
    const i = this.ops.length;
    const rec: PlannedOp = { kind: 'release', thread: '-', op: 'release' };
    this.ops.push(rec);
    const token = this.realHolds.get(hold);
    const real = await this.barrier(i, (sut) => (token === undefined ? undefined : sut.release?.(token)));
    const r = await (this.shadow.release as NonNullable<Implementation['release']>)(hold);
    this.held--;
    rec.outcome = outcomeOf(r);
    this.check(real, r);
    return this.shown(r, i);
  }

  async injectFault(fault: FaultSpec): Promise<AdapterStatus> {
    const i = this.ops.length;
    const rec: PlannedOp = { kind: 'inject', thread: '-', op: fault.step, args: { ...fault } };
    this.ops.push(rec);
    const real = await this.barrier(i, (sut) => sut.injectFault?.(fault));
    const r = await (this.shadow.injectFault as NonNullable<Implementation['injectFault']>)(fault);
    rec.outcome = outcomeOf(r);
    this.check(real, r);
    return r;
  }

  async forceInstanceState(instance: HandleArg, state: ForcedInstanceState): Promise<AdapterStatus> {
    const i = this.ops.length;
    const rec: PlannedOp = { kind: 'force', thread: '-', op: state.state, args: { instance, ...state } };
    this.ops.push(rec);
    const real = await this.barrier(i, (sut) => {
      const args = this.toReal({ instance });
      return args === undefined ? undefined : sut.forceInstanceState?.(args.instance as HandleArg, state);
    });
    const r = await (this.shadow.forceInstanceState as NonNullable<Implementation['forceInstanceState']>)(this.toShadow({ instance }).instance as HandleArg, state);
    rec.outcome = outcomeOf(r);
    this.check(real, r);
    return r;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  /**
   * Sends the calls not yet made before op `upTo` as one chain and checks each answer; the
   * speculation ends at the first answer the Pair might not take as the shadow's.
   */
  async flush(upTo = this.ops.length): Promise<void> {
    if (!this.speculating || this.spec === undefined) return;
    const start = this.made.end;
    const calls: ChainCall[] = [];
    for (let j = start; j < upTo; j++) {
      const p = this.ops[j];
      const args = p.kind === 'call' && !p.single && p.expect !== undefined ? wire(p.args, start, this.made.results) : undefined;
      if (args === undefined) {
        this.stop('a call it cannot send');
        return;
      }
      calls.push({ thread: p.thread, op: p.op as OperationName, args, expect: (p as { expect: number }).expect });
    }
    if (calls.length === 0) return;
    this.stats.chains++;
    this.stats.chainedCalls += calls.length;
    const ms = this.spec.callMs * calls.length;
    const results = chainResults(await within(this.spec.sut.callChain(calls), ms), calls, ms, this.spec.callMs);
    const short = endedShort(results, calls);
    for (const [k, r] of [...results, ...(short ? [short] : [])].entries()) {
      this.made.results[start + k] = r;
      this.made.answers[start + k] = Promise.resolve(r);
    }
    this.made.end = start + results.length + (short ? 1 : 0);
    if (short !== undefined || results.length < calls.length) this.stop('a chain that stopped');
    for (const [k, r] of results.entries()) {
      if (!this.speculating) return;
      if (!this.likeShadow(start + k, r)) this.stop('an answer unlike the shadow\'s');
    }
  }

  /**
   * A hold, release, injection or forced state while speculating: the chain before it first, then
   * the op on the implementation, waited for one call's time (a later answer is the run's to wait
   * for and judge). Undefined when the speculation has ended.
   */
  private async barrier<R extends HoldResult | CallResult | AdapterStatus>(i: number, make: (sut: Chainable) => Promise<R> | undefined): Promise<R | undefined> {
    await this.flush(i);
    if (!this.speculating || this.spec === undefined) return undefined;
    const p = make(this.spec.sut);
    if (p === undefined) {
      this.stop('a barrier it cannot make');
      return undefined;
    }
    this.made.answers[i] = p;
    this.made.end = i + 1;
    const r = await within(p, this.spec.callMs);
    if (r === undefined) this.stop('a barrier not answered in time');
    return r;
  }

  /** Ends the speculation (counted by reason). */
  private stop(why: string): void {
    if (!this.speculating) return;
    this.speculating = false;
    this.stats.unspeculated[why] = (this.stats.unspeculated[why] ?? 0) + 1;
  }

  /** A barrier's answer from the implementation against the shadow's: another outcome ends the speculation. */
  private check(real: HoldResult | CallResult | AdapterStatus | undefined, shadow: HoldResult | CallResult | AdapterStatus): void {
    if (real === undefined) return;
    const same = outcomeOf(real) === outcomeOf(shadow) && (real.kind !== 'returned' || shadow.kind !== 'returned' || isDeepStrictEqual(real.out ?? {}, shadow.out ?? {}));
    if (!same) this.stop('a barrier unlike the shadow\'s');
  }

  /**
   * Whether the Pair, given the implementation's answer to planned call i instead of the shadow's,
   * would have taken it alike: the same code, the same out-values but handles and column ids, a
   * handle that is a non-empty string new in this run, a new column's id new in this run, a temp
   * table's ids as many as the shadow's and distinct.
   */
  private likeShadow(i: number, real: CallResult): boolean {
    const seen = this.seen[i];
    if (seen === undefined || seen.kind !== 'returned' || real.kind !== 'returned' || real.err !== seen.err) return false;
    if (seen.err < 0) return true;
    const shadowOut = (seen.out ?? {}) as Record<string, unknown>;
    const realOut = (real.out ?? {}) as Record<string, unknown>;
    const handles: unknown[] = [];
    const columns: number[] = [];
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
      } else if (!isDeepStrictEqual(shadowOut[key], v)) return false;
    }
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

// ---- The real run ------------------------------------------------------------------------------

type Chainable = Implementation & Required<Pick<Implementation, 'callChain'>>;

/** Counts of a campaign's pipelining, for the bench and the tests. */
export interface PipelineStats {
  /** Runs planned; of those, runs whose plan was the run (speculation held to the end). */
  plans: number;
  speculated: number;
  /** Why the others' speculation ended, by reason. */
  readonly unspeculated: Record<string, number>;
  /** Chains sent and the calls they carried; calls made one request at a time. */
  chains: number;
  chainedCalls: number;
  singleCalls: number;
  /** Runs made again one call at a time after a chain crashed or timed out. */
  remade: number;
}

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

/** The promise's value, or undefined after `ms`. */
async function within<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

// ---- Campaign state and one run -----------------------------------------------------------------

/**
 * A campaign's pipelining: the shadow, whether chains are sent at all (not after one crashed or
 * timed out), and the counts.
 */
export class Pipeline {
  readonly stats: PipelineStats = { plans: 0, speculated: 0, unspeculated: {}, chains: 0, chainedCalls: 0, singleCalls: 0, remade: 0 };
  /** Why the campaign stopped chaining, once it has. */
  stopped: string | undefined;

  /**
   * @param twin a reference like the model, for the shadow
   * @param speculate whether plans also make their operations on the implementation (else the
   *   run is always made again after its plan)
   */
  constructor(
    private readonly twin: () => Implementation,
    private readonly speculate = true,
  ) {}

  private shadow: Implementation | undefined;

  /** Whether runs against `sut` are planned and chained. */
  usable(sut: Implementation): sut is Chainable {
    return sut.callChain !== undefined && this.stopped === undefined;
  }

  /**
   * The run made on the reference and the shadow: the operations the implementation would get,
   * also made on it while the speculation holds. `model` is the run when it held to the end.
   * Resets the implementation (a failed reset is thrown as `env.resetFailed` throws it).
   */
  async plan(env: RunEnv, prologue: Prologue, cmds: Cmds, real: Chainable): Promise<{ plan: Plan; made: Made; model?: FuzzModel }> {
    this.stats.plans++;
    this.shadow ??= this.twin();
    const sut = new PlanSut(this.shadow, real, this.speculate ? { sut: real, callMs: env.pairOptions.awaitTimeoutMs } : undefined, this.stats);
    const m = await env.model.reset();
    if (m.kind !== 'ok') throw new ModelError(`reset of the reference failed: ${describeResult(m)}`);
    const shadowReset = await sut.reset();
    if (shadowReset.kind !== 'ok') throw new ModelError(`reset of the shadow reference failed: ${describeResult(shadowReset)}`);
    const s = await real.reset();
    if (s.kind !== 'ok') env.resetFailed(s);
    const world = new World(env.threads, env.caps);
    // The plan waits for nothing: its shadow's terms are exactly as pending as the reference's.
    const current: FuzzModel = { world, pair: new Pair(env.model, sut, world, { ...env.pairOptions, settleMs: 0 }) };
    let complete = false;
    try {
      // A clone: fast-check marks the commands that ran, and only the run it judges may (they are the counterexample).
      await fc.asyncModelRun(async () => {
        await runPrologue(current, prologue);
        return { model: current, real: sut };
      }, fc.cloneIfNeeded(cmds));
      await current.pair.finish();
      await runEpilogue(current);
      await sut.flush();
      complete = true;
    } catch {
      // The plan ends where its run stopped; the run made after it goes on one call at a time from there.
    }
    const spoke = complete && sut.speculating;
    if (spoke) this.stats.speculated++;
    return { plan: { ops: sut.ops }, made: sut.made, ...(spoke ? { model: current } : {}) };
  }
}

/** What every run of a campaign shares. */
export interface RunEnv {
  readonly model: Implementation;
  readonly sut: Implementation;
  readonly threads: readonly string[];
  readonly caps: ReadonlySet<Capability>;
  readonly pairOptions: PairOptions;
  /** Absent: every call is its own request. */
  readonly pipeline?: Pipeline;
  /** The implementation's reset failed: throws what the caller makes of it. */
  readonly resetFailed: (status: AdapterStatus) => never;
}

/**
 * One run: a reset of both sides, the prologue, the commands, the release of what is held, the
 * epilogue. `onModel` gets the run's model (its pair's trace and counts) as soon as it exists.
 * Throws what the run threw (a DivergenceError, a ModelError) after letting held calls finish.
 */
export async function runOnce(env: RunEnv, prologue: Prologue, cmds: Cmds, onModel: (m: FuzzModel) => void): Promise<void> {
  const pipeline = env.pipeline;
  if (pipeline === undefined || !pipeline.usable(env.sut)) return attempt(env, prologue, cmds, undefined, onModel);
  const sut = env.sut;
  const { plan, made, model } = await pipeline.plan(env, prologue, cmds, sut);
  if (model !== undefined) {
    // Every answer was one the Pair takes as the shadow's: the plan's run is the run.
    onModel(model);
    return;
  }
  const chained = new ChainedSut(sut, plan, pipeline.stats, env.pairOptions.awaitTimeoutMs, made);
  try {
    await attempt(env, prologue, cmds, chained, onModel);
  } catch (e) {
    if (!(e instanceof DivergenceError) || !chained.suspect) throw e;
    // Which call of the chain crashed or hung is unknown: the run again, one call at a time.
    pipeline.stopped = `a chain answered ${e.divergence.actual}`;
    pipeline.stats.remade++;
    await attempt(env, prologue, cmds, undefined, onModel);
  }
}

async function attempt(env: RunEnv, prologue: Prologue, cmds: Cmds, chained: ChainedSut | undefined, onModel: (m: FuzzModel) => void): Promise<void> {
  const m = await env.model.reset();
  if (m.kind !== 'ok') throw new ModelError(`reset of the reference failed: ${describeResult(m)}`);
  const sut = chained ?? env.sut;
  const s = await sut.reset();
  if (s.kind !== 'ok') env.resetFailed(s);
  const world = new World(env.threads, env.caps);
  const options: PairOptions = chained === undefined ? env.pairOptions : { ...env.pairOptions, waits: () => chained.waits() };
  const current: FuzzModel = { world, pair: new Pair(env.model, sut, world, options) };
  onModel(current);
  try {
    await fc.asyncModelRun(async () => {
      await runPrologue(current, prologue);
      return { model: current, real: sut };
    }, cmds);
    await current.pair.finish();
    await runEpilogue(current);
  } catch (e) {
    chained?.goLive();
    await current.pair.abandon();
    throw e;
  }
}
