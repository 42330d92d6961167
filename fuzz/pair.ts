/**
 * Runs each symbolic call on the reference (the model) and on the implementation under test,
 * compares the two answers (codes exactly, handles by role, other out-values exactly), records
 * the step and teaches the World what happened. The first difference is thrown as a
 * `DivergenceError`, which ends the fast-check run and starts shrinking.
 */
import { isDeepStrictEqual } from 'node:util';
import type { AdapterStatus, CallResult, HoldResult, Implementation } from '../adapters/types';
import type { FaultSpec, Handle } from '../api';
import { describeResult } from '../harness/traced';
import { describeErr, JET_errors as E } from '../api/codes';
import type { RoleKind, SymCall } from './roles';
import { alsoAllowed } from './tolerance';
import type { CallStep, Divergence, TraceStep } from './trace';
import type { AvoidRule } from './avoid';
import type { PendingRec, World } from './world';

export class DivergenceError extends Error {
  constructor(readonly divergence: Divergence) {
    super(divergence.message);
    this.name = 'DivergenceError';
  }
}

/** The reference itself failed: a bug of the fuzzer or the reference, never of the implementation. */
export class ModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelError';
  }
}

export interface PairOptions {
  /**
   * How long a term the reference keeps waiting is given to show that it returned early anyway, when
   * the implementation cannot say at once (no `sync`, e.g. a process speaking protocol 1.0).
   */
  readonly settleMs: number;
  /** How long any call is awaited on the implementation (an in-process one has no timeout of its own). */
  readonly awaitTimeoutMs: number;
  /** Calls made on neither side (known engine defects that kill its process); counted in `avoided`. */
  readonly avoid?: readonly AvoidRule[];
  /**
   * How many calls' time the implementation's answer to the call just made may take (a pipelined
   * run's chain: fuzz/pipeline.ts); that many `awaitTimeoutMs`. One when absent.
   */
  readonly waits?: () => number;
}

const handleKinds: Readonly<Record<string, RoleKind>> = { instance: 'instance', sesid: 'session', tableid: 'cursor' };

const notYet: unique symbol = Symbol('not yet');

/** Resolves to the promise's value if it settles within `ms` (0: this turn of the event loop). */
async function settledWithin<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  // Already settled (an in-process engine answers at once): no timer to make and clear.
  const now = await Promise.race([p, Promise.resolve(notYet)]);
  if (now !== notYet) return now;
  let timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  const later = new Promise<undefined>((resolve) => {
    timer = ms <= 0 ? setImmediate(() => resolve(undefined)) : setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([p, later]);
  } finally {
    if (ms <= 0) clearImmediate(timer as NodeJS.Immediate);
    else clearTimeout(timer as NodeJS.Timeout);
  }
}

async function withTimeout<T extends CallResult | HoldResult>(p: Promise<T>, ms: number, what: string): Promise<T | CallResult> {
  const r = await settledWithin(p, ms);
  return r ?? { kind: 'timeout', reason: `${what} did not return within ${ms} ms` };
}

function isTerm(op: string): boolean {
  return op === 'JetTerm' || op === 'JetTerm2';
}

/** A term that freed its instance. */
function termFreed(err: number): boolean {
  return err === 0 || err === E.JET_errDirtyShutdown;
}

export class Pair {
  readonly trace: TraceStep[] = [];
  /** API calls made on the implementation under test (holds and releases included). */
  calls = 0;
  /** The role of the handle the last call issued, if it issued one, and the reference's out-values. */
  lastIssued: string | undefined;
  lastOut: Readonly<Record<string, unknown>> = {};
  /** Calls not made, by avoid rule name. */
  readonly avoided = new Map<string, number>();
  /** Holds the implementation answered `unsupported`: made on neither side, never a divergence. */
  notHoldable = 0;
  /** Faults the implementation answered `unsupported` (its engine has no failure at that step): armed on neither side, never a divergence. */
  notInjectable = 0;
  /** Calls held in flight on both sides (a hold either side answered at once is a compared call, not counted). */
  held = 0;

  constructor(
    readonly model: Implementation,
    readonly sut: Implementation,
    readonly world: World,
    private readonly options: PairOptions,
  ) {}

  private diverge(step: TraceStep, d: Divergence): never {
    step.divergence = d;
    this.trace.push(step);
    throw new DivergenceError(d);
  }

  /** One call on both sides; returns the reference's code, or undefined when the reference keeps it waiting. */
  async call(thread: string, call: SymCall): Promise<number | undefined> {
    const w = this.world;
    if (this.avoids(call)) return undefined;
    const m = w.roles.resolve(call, 'model');
    const s = w.toSutIds(call, w.roles.resolve(call, 'sut'));
    const term = isTerm(call.op);
    const target = term ? w.termTarget((call.args as { instance: never }).instance) : undefined;
    const mp = this.model.call(thread, m.op, m.args) as Promise<CallResult>;
    const sp = this.sut.call(thread, s.op, s.args) as Promise<CallResult>;
    this.calls++;
    let mr: CallResult | undefined;
    if (term && w.holds.size > 0) {
      mr = await settledWithin(mp, 0);
      if (mr === undefined) {
        await this.started(thread, call, target, mp, sp);
        return undefined;
      }
    } else mr = await mp;
    const sr = await withTimeout(sp, this.options.awaitTimeoutMs * (this.options.waits?.() ?? 1), call.op);
    const err = await this.compare({ kind: 'call', thread, call, err: this.modelErr(mr, call.op) }, mr, sr);
    if (term && termFreed(err)) w.terminated(target);
    return err;
  }

  private modelErr(r: CallResult | HoldResult, op: string): number {
    if (r.kind !== 'returned') throw new ModelError(`the reference answered ${describeResult(r)} to ${op}`);
    return r.err;
  }

  /** Compares two returned answers of a call step; records it; binds a new handle. */
  private async compare(step: CallStep, mr: CallResult, sr: CallResult | HoldResult): Promise<number> {
    const op = step.call.op;
    const err = this.modelErr(mr, op);
    if (sr.kind !== 'returned') {
      this.diverge(step, {
        kind: sr.kind === 'held' ? 'held' : 'fault',
        message: `${op}: expected ${describeErr(err)}, the implementation answered ${describeResult(sr)}`,
        expected: describeErr(err),
        actual: describeResult(sr),
      });
    }
    if (sr.err !== err && !alsoAllowed(step.call, err).includes(sr.err)) {
      this.diverge(step, { kind: 'code', message: `${op}: expected ${describeErr(err)}, got ${describeErr(sr.err)}`, expected: describeErr(err), actual: describeErr(sr.err) });
    }
    let save: CallStep['save'];
    let dbid: number | undefined;
    let issued;
    const mout = (mr as { out?: Record<string, unknown> }).out ?? {};
    const sout = (sr.out ?? {}) as Record<string, unknown>;
    if (err >= 0) {
      for (const [key, mv] of Object.entries(mout)) {
        const sv = sout[key];
        const kind = handleKinds[key];
        if (key === 'columnid' || key === 'columnids') {
          // Column ids, like handles, are the implementation's to choose: compared by role (World).
          const problem = columnIdProblem(key, mv, sv, this.world.knownSutColumns(step.call));
          if (problem !== undefined) {
            this.diverge(step, { kind: 'out', message: `${op}: ${key} ${problem}`, expected: key === 'columnid' ? 'a new column id' : `${(mv as unknown[]).length} distinct column ids`, actual: JSON.stringify(sv) ?? 'nothing' });
          }
          continue;
        }
        if (key === 'dbid' && typeof mv === 'number') {
          dbid = mv;
          // So are dbids: the same database keeps its dbid, two databases never share one (World).
          const problem = this.world.dbidProblem(mv, sv);
          if (problem !== undefined) this.diverge(step, { kind: 'out', message: `${op}: dbid ${problem.problem}`, expected: problem.expected, actual: JSON.stringify(sv) ?? 'nothing' });
          continue;
        }
        if (kind === undefined) {
          if (!isDeepStrictEqual(mv, sv)) {
            this.diverge(step, {
              kind: 'out',
              message: `${op}: ${key} expected ${JSON.stringify(mv)}, got ${JSON.stringify(sv)}`,
              expected: JSON.stringify(mv),
              actual: JSON.stringify(sv) ?? 'nothing',
              out: { name: key, value: mv },
            });
          }
          continue;
        }
        if (typeof sv !== 'string' || sv === '') {
          // The feature's "saving <out> as <name>" fails on a missing handle by itself.
          save = { out: key, as: this.peekName(kind) };
          this.diverge({ ...step, save }, { kind: 'out', message: `${op}: returned no ${key}`, expected: `a new ${key}`, actual: JSON.stringify(sv) ?? 'nothing' });
        }
        await this.world.retireStale(this.model);
        let alias = this.world.roles.liveWithSutHandle(sv);
        if (alias !== undefined && alias.model === mv) {
          // The reference handed out that role's handle again itself, as the implementation did: its
          // object was closed and is taken again (ESE's ErrBTOpen reuses a defer-closed cursor that
          // a refused JetEndSession's rollback closed, bt.cxx 496-560). Not an alias: the old role retires.
          alias.status = 'retired';
          alias = undefined;
        }
        if (alias !== undefined) {
          save = { out: key, as: this.peekName(kind) };
          const others = [...this.world.roles.all()].filter((r) => r.status === 'live').map((r) => r.name);
          this.diverge({ ...step, save }, {
            kind: 'alias',
            message: `${op}: the new ${key} ${sv} is the handle of ${alias.name}, which is still in use`,
            expected: `a ${key} unlike ${others.join(', ')}`,
            actual: `the handle of ${alias.name}`,
            others,
          });
        }
        issued = this.world.roles.bind(kind, mv as Handle, sv);
        save = { out: key, as: issued.name };
      }
    }
    this.trace.push({ ...step, ...(save === undefined ? {} : { save }), ...(dbid === undefined ? {} : { dbid }) });
    this.lastIssued = issued?.name;
    this.lastOut = mout;
    this.world.learn(step.thread, step.call, err, mout, issued, sout);
    return err;
  }

  /** Whether an avoid rule keeps the call out; counts it, and leaves no last answer behind. */
  private avoids(call: SymCall): boolean {
    const rule = this.options.avoid?.find((r) => r.matches(this.world, call));
    if (rule === undefined) return false;
    this.avoided.set(rule.name, (this.avoided.get(rule.name) ?? 0) + 1);
    this.lastIssued = undefined;
    this.lastOut = {};
    return true;
  }

  /** The name the next handle of a kind would get (for a step that diverges before binding). */
  private peekName(kind: RoleKind): string {
    let n = 0;
    for (const r of this.world.roles.all()) if (r.kind === kind) n++;
    return `${{ instance: 'i', session: 's', cursor: 'c' }[kind]}${n + 1}`;
  }

  /** A term the reference keeps waiting: the implementation must keep it waiting too. */
  private async started(thread: string, call: SymCall, target: PendingRec['instance'], mp: Promise<CallResult>, sp: Promise<CallResult>): Promise<void> {
    this.trace.push({ kind: 'start', thread, call });
    const rec: PendingRec = { thread, call, instance: target, model: mp, sut: sp };
    void sp.then((r) => (rec.sutSettled = r));
    this.world.pending.set(thread, rec);
    await this.stillWaiting(rec, this.options.settleMs);
  }

  /**
   * The call's answer if it has come. An implementation that can tell (`sync`: every earlier call
   * has returned or waits) says so at once; otherwise the answer gets `ms` to show up.
   */
  private async answered(p: Promise<CallResult>, ms: number): Promise<CallResult | undefined> {
    if (ms > 0 && this.sut.sync !== undefined) {
      const synced = await settledWithin(this.sut.sync(), this.options.awaitTimeoutMs);
      if (synced?.kind === 'ok') return settledWithin(p, 0);
    }
    return settledWithin(p, ms);
  }

  /** Records that the started term still waits; `ms` is how long its answer is given to show up. */
  private async stillWaiting(rec: PendingRec, ms: number): Promise<void> {
    const early = rec.sutSettled ?? (await this.answered(rec.sut, ms));
    const step: TraceStep = { kind: 'waiting', thread: rec.thread };
    if (early !== undefined) {
      this.diverge(step, {
        kind: 'waiting',
        message: `${rec.call.op} on ${rec.thread}: the reference waits for the held calls, the implementation returned ${describeResult(early)}`,
        expected: 'still waiting',
        actual: describeResult(early),
      });
    }
    this.trace.push(step);
  }

  /** `in-flight`: the call entered and kept in progress on both sides. */
  async hold(thread: string, call: SymCall): Promise<void> {
    const w = this.world;
    if (this.avoids(call)) return;
    // The implementation first: one that declares in-flight may still be unable to hold this call
    // (the bridge over a real engine holds only what a blocking JET callback can: JetUpdate,
    // JetDelete). Then the call is made on neither side, counted as not holdable, as the suite's
    // refused holds are NOT_APPLICABLE, never a divergence.
    const held = (this.sut.hold as NonNullable<Implementation['hold']>)(thread, w.toSutIds(call, w.roles.resolve(call, 'sut')));
    // A pipelined implementation may send the chain before the hold first: its time counts too (waits).
    const sh = await withTimeout(held, this.options.awaitTimeoutMs * (this.options.waits?.() ?? 1), `hold of ${call.op}`);
    if (sh.kind === 'unsupported') {
      this.notHoldable++;
      this.lastIssued = undefined;
      this.lastOut = {};
      return;
    }
    const mh = await (this.model.hold as NonNullable<Implementation['hold']>)(thread, w.roles.resolve(call, 'model'));
    this.calls++;
    if (mh.kind !== 'held') {
      // The reference refused at entry: the same as a plain call, and written as one.
      await this.compare({ kind: 'call', thread, call, err: this.modelErr(mh, call.op) }, mh, sh);
      return;
    }
    if (sh.kind !== 'held') {
      this.diverge({ kind: 'hold', thread, call }, {
        kind: 'held',
        message: `${call.op} on ${thread}: the reference holds it in flight, the implementation answered ${describeResult(sh)}`,
        expected: 'held',
        actual: describeResult(sh),
      });
    }
    this.trace.push({ kind: 'hold', thread, call });
    this.held++;
    const sesid = (call.args as { sesid?: unknown }).sesid;
    const session = sesid !== null && typeof sesid === 'object' && 'role' in sesid ? w.sessionOf((sesid as { role: string }).role) : undefined;
    w.holds.set(thread, { thread, call, session, modelHold: mh.hold, sutHold: sh.hold });
  }

  /** Releases the held call on the thread; terms that waited for it return. */
  async release(thread: string): Promise<void> {
    const w = this.world;
    const h = w.holds.get(thread);
    if (h === undefined) throw new ModelError(`no call is held on ${thread}`);
    // Time has passed since the term started: an early answer has had its chance to arrive.
    for (const rec of w.pending.values()) await this.stillWaiting(rec, 0);
    w.holds.delete(thread);
    const mr = await (this.model.release as NonNullable<Implementation['release']>)(h.modelHold);
    const released = (this.sut.release as NonNullable<Implementation['release']>)(h.sutHold);
    const sr = await withTimeout(released, this.options.awaitTimeoutMs * (this.options.waits?.() ?? 1), `release of ${h.call.op}`);
    this.calls++;
    const err = this.modelErr(mr, h.call.op);
    const step: TraceStep = { kind: 'release', thread, call: h.call, err };
    if (sr.kind !== 'returned' || sr.err !== err) {
      this.diverge(step, { kind: sr.kind === 'returned' ? 'code' : 'fault', message: `${h.call.op} released on ${thread}: expected ${describeErr(err)}, got ${describeResult(sr)}`, expected: describeErr(err), actual: describeResult(sr) });
    }
    this.trace.push(step);
    w.learn(thread, h.call, err, (mr as { out?: Record<string, unknown> }).out ?? {}, undefined, (sr as { out?: Record<string, unknown> }).out ?? {});
    for (const rec of [...w.pending.values()]) {
      const done = await settledWithin(rec.model, 0);
      if (done === undefined) continue;
      w.pending.delete(rec.thread);
      const termErr = this.modelErr(done, rec.call.op);
      const sdone = await withTimeout(rec.sut, this.options.awaitTimeoutMs, rec.call.op);
      const rstep: TraceStep = { kind: 'returned', thread: rec.thread, call: rec.call, err: termErr };
      if (sdone.kind !== 'returned' || sdone.err !== termErr) {
        this.diverge(rstep, { kind: sdone.kind === 'returned' ? 'code' : 'fault', message: `${rec.call.op} on ${rec.thread}: expected ${describeErr(termErr)}, got ${describeResult(sdone)}`, expected: describeErr(termErr), actual: describeResult(sdone) });
      }
      this.trace.push(rstep);
      if (termFreed(termErr)) w.terminated(rec.instance);
    }
  }

  /** Releases every held call, so that every started term returns: the end of each run. */
  async finish(): Promise<void> {
    while (this.world.holds.size > 0) await this.release(this.world.holds.keys().next().value as string);
    if (this.world.pending.size > 0) throw new ModelError(`a term still waits with no call held: ${[...this.world.pending.keys()].join(', ')}`);
  }

  /**
   * After a divergence: lets what is still held or waiting finish on both sides, without
   * comparing, so that the next reset finds no call in progress (a process adapter would
   * otherwise restart its process).
   */
  async abandon(): Promise<void> {
    const w = this.world;
    for (const h of w.holds.values()) {
      await this.model.release?.(h.modelHold);
      await withTimeout(this.sut.release?.(h.sutHold) ?? Promise.resolve({ kind: 'unsupported', reason: '' } as CallResult), 1000, 'release');
    }
    w.holds.clear();
    for (const rec of w.pending.values()) await withTimeout(rec.sut, 1000, rec.call.op);
    w.pending.clear();
  }

  private status(step: TraceStep, what: string, m: AdapterStatus, s: AdapterStatus): void {
    if (m.kind !== 'ok') throw new ModelError(`the reference answered ${describeResult(m)} to ${what}`);
    if (s.kind !== 'ok') this.diverge(step, { kind: 'status', message: `${what}: the implementation answered ${describeResult(s)}`, expected: 'ok', actual: describeResult(s) });
    this.trace.push(step);
  }

  /**
   * `fault-injection` on both sides. The implementation first: one that declares it may still have
   * no failure at a step (ESE's database and sort closes cannot fail, so the bridge over a test build
   * refuses them); then the fault is armed on neither side and counted, as the suite's refused
   * injections are NOT_APPLICABLE, never a divergence.
   */
  async inject(fault: FaultSpec): Promise<void> {
    const s = await (this.sut.injectFault as NonNullable<Implementation['injectFault']>)(fault);
    if (s.kind === 'unsupported') {
      this.notInjectable++;
      return;
    }
    const m = await (this.model.injectFault as NonNullable<Implementation['injectFault']>)(fault);
    this.status({ kind: 'inject', thread: '-', fault }, `inject-fault ${fault.step}`, m, s);
  }

  /** `instance-state`: instance i1 (the one the feature steps call "the instance") brought down. */
  async forceFatal(cause: number): Promise<void> {
    const i1 = this.world.roles.get('i1');
    const state = { state: 'fatal-error', cause } as const;
    const m = await (this.model.forceInstanceState as NonNullable<Implementation['forceInstanceState']>)(i1.model, state);
    const s = await (this.sut.forceInstanceState as NonNullable<Implementation['forceInstanceState']>)(i1.sut, state);
    this.status({ kind: 'force', thread: '-', cause }, 'force-instance-state fatal-error', m, s);
  }
}

/**
 * Why an implementation's column id(s) cannot stand for the reference's, or undefined: a column id
 * is a whole number, new for its table; a temp table's are as many as the reference's, distinct.
 */
export function columnIdProblem(key: 'columnid' | 'columnids', model: unknown, sut: unknown, known: readonly number[]): string | undefined {
  if (key === 'columnid') {
    if (typeof sut !== 'number' || !Number.isInteger(sut)) return `is not a column id: ${JSON.stringify(sut) ?? 'nothing'}`;
    return known.includes(sut) ? `${sut} is the id of another column of the same table` : undefined;
  }
  const n = Array.isArray(model) ? model.length : 0;
  if (!Array.isArray(sut) || sut.length !== n || !sut.every((v) => typeof v === 'number' && Number.isInteger(v))) {
    return `expected ${n} column ids, got ${JSON.stringify(sut) ?? 'nothing'}`;
  }
  return new Set(sut).size === sut.length ? undefined : `repeats a column id: ${JSON.stringify(sut)}`;
}

