/**
 * Whole-state postconditions. Before every JetEndSession a scenario makes (as its call), the state
 * of the implementation and of the shadow reference is observed (harness/observe.ts); the steps
 * then observe again and compare:
 * - "as ESENT leaves it": with the shadow reference after the same calls (the esent tier always;
 *   the documented tier when the implementation took ESENT's outcome; a documented failure that is
 *   not ESENT's outcome must leave the state as it was before the call);
 * - "as before the call": with the implementation's own state before the call, exactly.
 *
 * Allowed variation, and only that: handle, dbid and column id values (never observed), the order
 * of records (compared as sets), warnings (compared as success), and the session and cursor
 * limits' slack: ESENT allows at least the declared number, so the implementation may count more
 * free slots than the reference, by the same amount before and after the call; in the documented
 * tier only, a temp-table count cut short by JET_errOutOfSessions (ESENT's temp-database session).
 */
import type { Returned } from '../adapters/types';
import type { ScenarioContext } from './context';
import { ConformanceFailure, SuiteError } from './errors';
import { JET_errors } from './codes';
import { defaultThread } from './fixtures';
import { observe, observeNow, type Observation, type Side } from './observe';
import { observePlanned, planningSide } from './speculate';
import { buildRegistry, type Registry } from './registry';
import { logComponents } from './failed-step';
import { nativeEntry, synchronousBatch, synchronousCall } from '../adapters/reference';
import { judge, type Judge } from './judge';
import { then, type Maybe } from './maybe';

interface Pair {
  readonly impl: Observation;
  readonly ref: Observation;
}

interface StateTrack {
  before?: Pair;
  /** Whether `before` was observed right before the last JetEndSession (not before an earlier one). */
  beforeThisCall: boolean;
  /** The state before the instance was first forced into not-initialized or restore-in-progress. */
  beforeForce?: Pair;
  /** Whether such a forced state is in effect now (it hides everything behind its code). */
  forced: boolean;
  /** The call's code from the implementation and from the reference (undefined: the reference still waits). */
  act?: { readonly impl: number; readonly ref?: number };
  readonly debt: { readonly impl: Map<string, number>; readonly ref: Map<string, number> };
  /** Every thread the scenario's JetEndSession calls were made on: observed every time, so observations compare. */
  readonly threads: Set<string>;
}

const tracks = new WeakMap<ScenarioContext, StateTrack>();

function track(ctx: ScenarioContext): StateTrack {
  let t = tracks.get(ctx);
  if (t === undefined) {
    t = { beforeThisCall: false, forced: false, debt: { impl: new Map(), ref: new Map() }, threads: new Set() };
    tracks.set(ctx, t);
  }
  return t;
}

/** Forgets what was observed (the implementation was reset). */
export function forgetState(ctx: ScenarioContext): void {
  tracks.delete(ctx);
}

/** Threads the probes may use: not holding a call, not waiting; t1 first. One thread without `threads`. */
function usableThreads(ctx: ScenarioContext, used: Iterable<string>): string[] {
  const busy = new Set([...ctx.holds.keys(), ...[...ctx.pending].filter(([, p]) => p.settled === undefined).map(([t]) => t)]);
  if (!ctx.info.capabilities.includes('threads')) return [defaultThread];
  const all = [...new Set([defaultThread, ...used])].filter((t) => !busy.has(t));
  return all.length > 0 ? all : ['observer'];
}

function nameIndex(ctx: ScenarioContext): (handle: string) => string | undefined {
  const byHandle = new Map<string, string>();
  for (const [name, v] of ctx.names) if ('handle' in v && !byHandle.has(v.handle) && !name.startsWith('_setup')) byHandle.set(v.handle, name);
  return (h) => byHandle.get(h);
}

/** An in-process engine's batch entry, when it has one: a repeated call's arguments are converted once (harness/observe.ts). */
function batchSyncOf(impl: Parameters<typeof synchronousBatch>[0], from: Pick<Judge, 'synchronousBatch'> = { synchronousBatch }): Pick<Side, 'callBatchSync'> {
  const batch = from.synchronousBatch(impl);
  return batch === undefined ? {} : { callBatchSync: batch };
}

/** Both sides' state: at once when both are in-process (their native entries), else when the probes have answered. */
function observeBoth(ctx: ScenarioContext): Maybe<Pair> {
  const t = track(ctx);
  const reg = buildRegistry(ctx.traced.trace);
  for (const th of reg.threads) t.threads.add(th);
  const threads = usableThreads(ctx, t.threads);
  const nameOf = nameIndex(ctx);
  const m = ctx.mirror;
  // An in-process reference engine (the shadow, or the implementation itself in-process) is probed synchronously.
  const implSync = synchronousCall(m.impl);
  const refSync = judge().synchronousCall(m.ref);
  const implBatch = m.impl.callBatch?.bind(m.impl);
  // Both in-process: each engine is probed through its native entry, handles as the engine's own values.
  const implNative = nativeEntry(m.impl);
  const refNative = implNative === undefined ? undefined : judge().nativeEntry(m.ref);
  const implSide: Side = {
    call: (th, op, args) => m.impl.call(th, op, args),
    ...(implSync ? { callSync: implSync, ...batchSyncOf(m.impl) } : implBatch ? { callBatch: implBatch } : {}),
    ...(implNative && refNative ? { native: implNative } : {}),
    handle: (h) => h,
    number: (_k, n) => n,
  };
  if (implNative !== undefined && refNative !== undefined) {
    const refNativeSide: Side = { call: (th, op, args) => m.ref.call(th, op, args), native: refNative, handle: (h) => m.handle(h), number: (k, n) => m.number(k, n) };
    return { impl: observeNow(implSide, implNative, reg, { threads, nameOf, debt: t.debt.impl }), ref: observeNow(refNativeSide, refNative, reg, { threads, nameOf, debt: t.debt.ref }) };
  }
  // Over a process that chains (protocol 1.1), the reference goes first and its run plans the implementation's probes (harness/speculate.ts).
  const implChain = implSync === undefined && m.impl.callChain !== undefined ? (m.impl as Parameters<typeof observePlanned>[0]) : undefined;
  const planning = refSync !== undefined && implChain !== undefined ? planningSide(refSync, (k, v) => m.translateArg(k, v)) : undefined;
  const refSide: Side = planning?.side ?? { call: (th, op, args) => m.ref.call(th, op, args), ...(refSync ? { callSync: refSync, ...batchSyncOf(m.ref, judge()) } : {}), handle: (h) => m.handle(h), number: (k, n) => m.number(k, n) };
  return observeAsync(reg, threads, nameOf, t, implSide, refSide, implChain !== undefined && planning !== undefined ? { implChain, planned: planning.planned } : undefined);
}

/** observeBoth when a side answers through promises (a process; an implementation wrapped or not in-process). */
async function observeAsync(
  reg: Registry,
  threads: string[],
  nameOf: (handle: string) => string | undefined,
  t: StateTrack,
  implSide: Side,
  refSide: Side,
  chained: { readonly implChain: Parameters<typeof observePlanned>[0]; readonly planned: Parameters<typeof observePlanned>[3] } | undefined,
): Promise<Pair> {
  if (chained !== undefined) {
    const ref = await observe(refSide, reg, { threads, nameOf, debt: t.debt.ref });
    const impl = await observePlanned(chained.implChain, reg, { threads, nameOf, debt: t.debt.impl }, chained.planned);
    return { impl, ref };
  }
  const impl = await observe(implSide, reg, { threads, nameOf, debt: t.debt.impl });
  const ref = await observe(refSide, reg, { threads, nameOf, debt: t.debt.ref });
  return { impl, ref };
}

/**
 * Called by ScenarioContext.act before a JetEndSession: the state before the call. For the handle
 * of a session that has ended, an observation before an earlier end stands if there is one (the
 * shadow run saw every call since, so the change from it still compares): observing begins
 * sessions, and ESENT may hand a stale handle's memory to a new one (outcomes.md ES-HANDLE-CLOSED).
 * Without one the state is observed; every observer session is ended again before the call, so
 * the stale handle names freed memory again.
 */
export function observeBeforeEnd(ctx: ScenarioContext, sesid: unknown, thread: string): Maybe<void> {
  const t = track(ctx);
  t.threads.add(thread);
  const stale = typeof sesid === 'string' && buildRegistry(ctx.traced.trace).ended.has(sesid);
  const keep = stale && t.before !== undefined;
  if (keep) {
    t.beforeThisCall = false;
    return;
  }
  return then(observeBoth(ctx), (pair) => {
    t.before = pair;
    t.beforeThisCall = true;
  });
}

/**
 * Called by ScenarioContext.force. A liftable forced state answers every probe with its code, so a
 * failed end inside it is compared, once the state is lifted, with the state before it was forced.
 */
export async function noteForce(ctx: ScenarioContext, state: string): Promise<void> {
  const t = track(ctx);
  const liftable = state === 'not-initialized' || state === 'restore-in-progress';
  if (liftable && !t.forced) {
    t.beforeForce ??= await observeBoth(ctx);
    t.forced = true;
  } else if (state === 'normal') t.forced = false;
}

/** The state a failed call must have left: before the call, or before a forced state since lifted. */
function baseline(t: StateTrack): Pair | undefined {
  if (!t.forced && t.beforeForce !== undefined) return t.beforeForce;
  return t.beforeThisCall ? t.before : undefined;
}

/** Called by ScenarioContext.act after a JetEndSession: its code on both sides. */
export function noteEnd(ctx: ScenarioContext, result: Returned): void {
  const ref = ctx.mirror.lastRef;
  track(ctx).act = { impl: result.err, ...(ref?.kind === 'returned' ? { ref: ref.err } : {}) };
}

export interface Difference {
  readonly component: string;
  readonly expected: unknown;
  readonly actual: unknown;
}

type Slots = { readonly free: number; readonly then: number; readonly bound: number };

function isSlots(v: unknown): v is Slots {
  return typeof v === 'object' && v !== null && 'free' in v && 'then' in v && 'bound' in v;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** A component's value as JSON, once per observation (an observation is compared with several, and never changes). */
const texts = new WeakMap<Observation, Map<string, string | undefined>>();
function textOf(obs: Observation | undefined, component: string): string | undefined {
  if (obs === undefined) return undefined;
  let t = texts.get(obs);
  if (t === undefined) texts.set(obs, (t = new Map<string, string | undefined>()));
  if (!t.has(component)) t.set(component, JSON.stringify(obs.get(component)));
  return t.get(component);
}

/** Differences between two observations of the same implementation: exact. */
export function compareObservations(actual: Observation, expected: Observation): Difference[] {
  const out: Difference[] = [];
  for (const component of new Set([...expected.keys(), ...actual.keys()])) {
    const a = actual.get(component);
    const e = expected.get(component);
    if (!same(a, e)) out.push({ component, expected: e ?? '(not observed)', actual: a ?? '(not observed)' });
  }
  return out;
}

/** A slot count that reached the probe's bound without a refusal: the implementation enforces no such limit. */
const unlimited = (v: Slots) => v.then === 0 && v.free >= v.bound;

/**
 * What the call changed, compared with what it changed in the shadow reference. A component the
 * reference's call left as it was must be left as it was, or read as the reference reads (so the
 * probing calls' own semantics, outside JetEndSession, do not count); a component the reference's call
 * changed must now read as the reference reads. Slot counts compare by how many slots the call
 * freed (ESENT allows more sessions than the limit, and more cursors may be counted); a cursor
 * limit an implementation does not enforce at all cannot show a leak and is not compared. Without
 * an observation before the call (a handle naming no live session) the states are compared as
 * they are, with the same allowances.
 */
export function compareWithReference(now: Pair, before: Pair | undefined): Difference[] {
  const out: Difference[] = [];
  for (const component of new Set([...now.ref.keys(), ...now.impl.keys()])) {
    const a = now.impl.get(component);
    const e = now.ref.get(component);
    const ba = before?.impl.get(component);
    const be = before?.ref.get(component);
    const known = before !== undefined && before.impl.has(component) && before.ref.has(component);
    // As same(): JSON texts, each made once.
    const [ta, te, tba, tbe] = [textOf(now.impl, component), textOf(now.ref, component), textOf(before?.impl, component), textOf(before?.ref, component)];
    if (isSlots(a) && isSlots(e)) {
      if (ta === te || (known && tbe === te && tba === ta)) continue;
      const cursors = component.startsWith('state: cursor slots');
      if (cursors && unlimited(a) && (!isSlots(ba) || unlimited(ba))) continue;
      if (a.then === e.then && a.then < 0) {
        const freed = isSlots(ba) && isSlots(be) ? { impl: a.free - ba.free, ref: e.free - be.free } : undefined;
        const slack = /^state: (session|cursor) slots/.test(component);
        // ESENT's session pool is MaxSessions + 69 slots shared with internal sessions (Errata 10;
        // jetapi.cxx 5110-5115, daeconst.hxx 178-179: "OLD, TTMAPS, async tasks all use PIBs") that
        // come and go: ESE under Wine counted 54 free slots right before a JetEndSession and 65 right
        // after it. What the call freed is not measurable there; at least the reference's count is.
        if (component.startsWith('state: session slots') && a.free >= e.free) continue;
        if (freed !== undefined ? freed.impl === freed.ref && (slack || a.free === e.free) : slack ? a.free >= e.free : a.free === e.free) continue;
      }
      out.push({ component, expected: e, actual: a });
      continue;
    }
    if (known && tbe === te) {
      // Unchanged in ESENT: unchanged here too, or now reading as ESENT reads.
      if (tba !== ta && ta !== te) out.push({ component, expected: ba ?? '(not observed)', actual: a ?? '(not observed)' });
      continue;
    }
    if (ta !== te) out.push({ component, expected: e ?? '(not observed)', actual: a ?? '(not observed)' });
  }
  return out;
}

function clip(v: unknown): string {
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return text.length > 2000 ? `${text.slice(0, 2000)}… (${text.length} characters)` : text;
}

function fail(diffs: readonly Difference[], what: string, ctx?: ScenarioContext): never {
  const [first, ...rest] = diffs;
  const d = ctx?.mirror.divergences[0];
  const since = d === undefined ? '' : ` [the shadow run first answered differently at call ${d.index}, ${d.op}: ${d.implementation} here, ${d.reference} in the reference]`;
  const more = (rest.length === 0 ? '' : ` (also: ${rest.map((x) => x.component).join('; ')})`) + since;
  // `check` names the component that failed, for the per-check kill matrix (harness/failed-step.ts).
  throw Object.assign(new ConformanceFailure(`${first.component}: not ${what}${more}`, clip(first.expected), clip(first.actual)), { check: first.component });
}

/** "the whole observable state is as before the call". */
export function stateAsBefore(ctx: ScenarioContext): Maybe<void> {
  const t = track(ctx);
  const before = baseline(t);
  if (before === undefined) throw new SuiteError('no observation right before the last JetEndSession (there was none, or it was made on the handle of a session that had ended): use "as ESENT leaves it"');
  return then(observeBoth(ctx), (now) => {
    logComponents(ctx.tier, now.impl.keys());
    const diffs = compareObservations(now.impl, before.impl);
    if (diffs.length > 0) fail(diffs, 'as before the call');
  });
}

/**
 * "the whole observable state is as ESENT leaves it". The esent tier: what the call changed is what
 * it changed in the reference. The documented tier, where the documentation names a failure's code
 * but not every consequence ESENT gives it (the instance brought down by an undo failure, the
 * innermost level's cursors closed by a wrong-thread end): after a failure with ESENT's code, each
 * component is either as it was before the call or as ESENT leaves it; after a failure with another
 * code (a refusal ESENT does not make), as before the call; after a success, as ESENT leaves it.
 */
export function stateAsEsent(ctx: ScenarioContext): Maybe<void> {
  const t = track(ctx);
  const act = t.act;
  if (act === undefined) throw new SuiteError('no JetEndSession call before this step: there is nothing to compare the state with');
  return then(observeBoth(ctx), (now) => compareAsEsent(ctx, t, act, now));
}

function compareAsEsent(ctx: ScenarioContext, t: StateTrack, act: NonNullable<StateTrack['act']>, now: Pair): void {
  logComponents(ctx.tier, now.impl.keys());
  const esentOutcome = act.ref !== undefined && act.ref === act.impl;
  if (ctx.tier === 'documented' && act.impl < 0) {
    const before = baseline(t);
    // ESENT's state stands beside the state before only for ESENT's own code: another code, a refusal, changes nothing.
    const fromEsent = esentOutcome ? compareWithReference(now, t.before) : undefined;
    // On the handle of an ended session there is no observation right before the call: the change since an earlier one, as in ESENT.
    const fromBefore = before === undefined ? compareWithReference(now, t.before) : compareObservations(now.impl, before.impl);
    const diffs = fromEsent === undefined ? fromBefore : fromBefore.filter((d) => fromEsent.some((e) => e.component === d.component));
    if (diffs.length > 0) fail(diffs, `as before the call${esentOutcome ? ' nor as ESENT leaves it' : ` (the call failed with ${act.impl}, which is not ESENT's outcome)`}`, ctx);
    return;
  }
  if (ctx.tier === 'documented' && !esentOutcome) {
    throw new SuiteError(`the documented tier allowed ${act.impl} where ESENT answers ${act.ref ?? '(nothing yet)'}: the suite defines no state for that outcome`);
  }
  const diffs = compareWithReference(now, t.before).filter((d) => ctx.tier === 'esent' || !esentInternalSession(d));
  if (diffs.length > 0) fail(diffs, 'as ESENT leaves it', ctx);
}

/**
 * A temp-table count that JET_errOutOfSessions cut short, on either side: ESENT's first temp table
 * of an instance creates the temp database in an internal session, which needs a free session slot
 * (sysinit.cxx 343-392; the pool is shared with internal sessions, Errata 10). The documentation
 * says nothing of it, so the documented tier does not compare such a count; the esent tier does.
 */
function esentInternalSession(d: Difference): boolean {
  const cutShort = (v: unknown) => typeof v === 'object' && v !== null && (v as { then?: unknown }).then === JET_errors.JET_errOutOfSessions;
  return d.component.startsWith('state: temp-table slots') && (cutShort(d.expected) || cutShort(d.actual));
}

/** The esent-tier-only form: the documentation says nothing of the state this outcome leaves. */
export function stateAsEsentInEsentTier(ctx: ScenarioContext): Maybe<boolean> {
  if (ctx.tier !== 'esent') return false;
  return then(stateAsEsent(ctx), () => true);
}
