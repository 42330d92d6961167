/**
 * Bugs of calls in flight, limits and reused handles (red team E): implementations that are right
 * while one call at a time runs, far from every limit and with handles never seen again, and wrong
 * when a call is held in flight (or fails while held), a JetTerm waits, a limit is reached, or a
 * handle value comes back. Each violates one postcondition and does everything else as the
 * reference does.
 */
import type { Implementation } from '../adapters/types';
import type { CallResult, HoldResult, AdapterStatus } from '../adapters/types';
import type { ApiCall, ArgsOf, OperationName } from '../api';
import { createReferenceImplementation } from '../adapters/reference';
import { JET_errors as E } from '../api';
import type { Core, OpImpl, OpTable } from '../oracle/api';
import {
  checkCallInFlight,
  checkProcessTerm,
  checkSessionContext,
  checkTermInProgress,
  endSessionFree,
  makeJetEndSession,
  referenceEndSession,
  rollbackTransaction,
  type EndSessionCheck,
  type EndSessionPlan,
  type EndSessionStep,
} from '../oracle/endsession';
import type { JET_HANDLE } from '../oracle/handles';
import type { Instance } from '../oracle/instance';
import { JetBeginSession } from '../oracle/lifecycle';
import type { ProcessState } from '../oracle/process';
import type { Session } from '../oracle/session';
import type { Cursor } from '../oracle/cursor';
import { JetOpenTable, JetOpenTempTable } from '../oracle/dbops';
import { finalClose } from '../oracle/resources';
import type { MutantSpec } from './types';
import { WrappedImplementation, handleKey } from './wrap';
import { plan, replace } from './engine-plans';
import { both, made, wrapped, type MutantOptions } from './entries';

const ref = referenceEndSession;

/** The reference with some operations (JetEndSession's plan among them, when given) replaced. */
function engine(ops: Partial<OpTable>, endPlan: EndSessionPlan | null, options: MutantOptions): Implementation {
  const all: Partial<OpTable> = endPlan === null ? ops : { ...ops, JetEndSession: makeJetEndSession(endPlan) };
  return createReferenceImplementation({ engine: { ops: all }, ...(options?.target === undefined ? {} : { target: options.target }) });
}

// ---- Reused handle values ----------------------------------------------------------------------

/** The live handle map of a process state (private to HandleTable: a recycling port owns its own). */
function liveHandles(p: ProcessState): Map<bigint, unknown> {
  return (p.handles as unknown as { readonly live: Map<bigint, unknown> }).live;
}

/** Session handle values given back, last freed first, per process state. */
const freedSesids = new WeakMap<ProcessState, JET_HANDLE[]>();

function pushFreed(p: ProcessState, h: JET_HANDLE): void {
  let list = freedSesids.get(p);
  if (list === undefined) freedSesids.set(p, (list = []));
  list.push(h);
}

/** JetBeginSession handing out the last freed session handle value again (a PIB pool, LIFO). */
const beginRecycles: OpImpl<'JetBeginSession'> = {
  enter: (core, thread, a) => JetBeginSession.enter(core, thread, a),
  body(core, e, a) {
    const r = JetBeginSession.body(core, e, a);
    if ('pending' in r || r.err !== 0 || r.sesid === undefined) return r;
    const value = freedSesids.get(core.p)?.pop();
    if (value === undefined) return r;
    const live = liveHandles(core.p);
    const s = live.get(r.sesid) as Session;
    live.delete(r.sesid);
    // A value still in use (a leak of the bug below) now points to the new session.
    live.set(value, s);
    s.handle = value;
    return { ...r, sesid: value };
  },
};

/** The end's last step: the session freed, its handle value back in the pool. */
const freeToPool: EndSessionStep = (core, s, thread) => {
  const h = s.handle;
  const err = endSessionFree(core, s, thread);
  if (err === 0) pushFreed(core.p, h);
  return err;
};

/** A refused end (-1914) that has already put the session's handle value back in the pool. */
const contextCheckFreesHandle: EndSessionCheck = (p, s, thread) => {
  const err = checkSessionContext(p, s, thread);
  if (err !== 0) pushFreed(p, s.handle);
  return err;
};

/** Cursor handle values given back by an end (or a refused one), last freed first, per process state. */
const freedTableids = new WeakMap<ProcessState, JET_HANDLE[]>();

function pushTableids(p: ProcessState, s: Session): void {
  let list = freedTableids.get(p);
  if (list === undefined) freedTableids.set(p, (list = []));
  for (const set of s.cursorsByDb.values()) for (const c of set) list.push(c.handle);
  for (const c of s.temps) list.push(c.handle);
}

/** An open (JetOpenTable, JetOpenTempTable) handing out the last freed cursor handle value again. */
function openRecycles<O extends 'JetOpenTable' | 'JetOpenTempTable'>(op: OpImpl<O>): OpImpl<O> {
  return {
    enter: (core, thread, a) => op.enter(core, thread, a),
    body(core, e, a) {
      const r = op.body(core, e, a);
      if ('pending' in r || r.err < 0) return r;
      const tableid = (r as { readonly tableid?: JET_HANDLE }).tableid;
      const value = freedTableids.get(core.p)?.pop();
      if (tableid === undefined || value === undefined) return r;
      const live = liveHandles(core.p);
      const c = live.get(tableid) as Cursor;
      live.delete(tableid);
      live.set(value, c);
      c.handle = value;
      return { ...r, tableid: value };
    },
  };
}

const recyclingOpens = (): Partial<OpTable> => ({ JetOpenTable: openRecycles(JetOpenTable), JetOpenTempTable: openRecycles(JetOpenTempTable) });

/** The cursor handle values of a session being ended, taken before the closes free them. */
const endingTableids = new WeakMap<Session, JET_HANDLE[]>();

/** The end's first step: note the session's cursor handle values. */
const noteTableids: EndSessionStep = (_core, s) => {
  const list: JET_HANDLE[] = [];
  for (const set of s.cursorsByDb.values()) for (const c of set) list.push(c.handle);
  for (const c of s.temps) list.push(c.handle);
  endingTableids.set(s, list);
  return 0;
};

/** The end's last step: the session freed, and only then its cursor handle values put in the pool. */
const freeTableidsToPool: EndSessionStep = (core, s, thread) => {
  const err = endSessionFree(core, s, thread);
  if (err !== 0) return err;
  let pool = freedTableids.get(core.p);
  if (pool === undefined) freedTableids.set(core.p, (pool = []));
  pool.push(...(endingTableids.get(s) ?? []));
  return 0;
};

/** A refused end (-1914) that has already put the session's cursor handle values in the pool. */
const contextCheckFreesTableids: EndSessionCheck = (p, s, thread) => {
  const err = checkSessionContext(p, s, thread);
  if (err !== 0) pushTableids(p, s);
  return err;
};

/** The end from the deepest level (7) refused: the rollback needs one more level (-1103). */
const deepestLevelRefused: EndSessionCheck = (_p, s) => (s.level >= 7 ? E.JET_errTransTooDeep : 0);

// ---- A JetTerm waiting -------------------------------------------------------------------------

/** A term check (the process's or the instance's) that refuses (-1000) only a session with a transaction: an idle session is ended. */
const inTransactionOnly = (check: EndSessionCheck): EndSessionCheck => (p, s, thread) => (s.level > 0 ? check(p, s, thread) : 0);

/** A term check that refuses (-1000) once per waiting term (a one-shot event): a second end during the same term goes ahead. */
const termRefusedOnce = new WeakMap<Instance, object>();
const onceper = (check: EndSessionCheck): EndSessionCheck => (p, s, thread) => {
  const err = check(p, s, thread);
  const term = s.instance.pendingTerm;
  if (err === 0 || term === null) return err;
  if (termRefusedOnce.get(s.instance) === term) return 0;
  termRefusedOnce.set(s.instance, term);
  return err;
};

/** A session refused (-1000) while a term waited stays marked: its ends after the term failed still answer -1000. */
const refusedByTerm = new WeakSet<Session>();
const sticky = (check: EndSessionCheck): EndSessionCheck => (p, s, thread) => {
  const err = check(p, s, thread);
  if (err !== 0) refusedByTerm.add(s);
  return err !== 0 || !refusedByTerm.has(s) ? err : E.JET_errTermInProgress;
};

/** The reference entry with both term checks (the process-wide one and the instance's) changed alike. */
const termChecks = (change: (c: EndSessionCheck) => EndSessionCheck): EndSessionPlan =>
  plan({ entry: replace(replace(ref.entry, checkProcessTerm, change(checkProcessTerm)), checkTermInProgress, change(checkTermInProgress)) });

/** A term check whose refusal (-1000) comes after the session's temp tables were closed (sorts cleaned up first). */
const closesTempsFirst = (check: EndSessionCheck): EndSessionCheck => (p, s, thread) => {
  const err = check(p, s, thread);
  if (err !== 0) for (const c of [...s.temps]) finalClose(p, c);
  return err;
};

// ---- Limits --------------------------------------------------------------------------------------

/** Sessions ended with a transaction to roll back: their slot is not given back. */
const rollbackKeepsSlot: EndSessionStep = (core, s, thread) => {
  const had = s.level > 0;
  const err = rollbackTransaction(core, s, thread);
  if (err === 0 && had) s.instance.slotsUsed++;
  return err;
};

/** Temp tables opened inside the transaction: given back by the rollback, and once more by the end. */
const rollbackFreesTempSlotsTwice: EndSessionStep = (core, s, thread) => {
  let inside = 0;
  for (let l = 1; l <= s.level; l++) for (const c of s.frames[l]?.opened ?? []) if (c.temp && c.sortSlot && !c.closed) inside++;
  const err = rollbackTransaction(core, s, thread);
  if (err === 0) s.instance.tempTableCount -= inside;
  return err;
};

/** A session slot given back twice when the end rolled back a transaction. */
const rollbackFreesSlotTwice: EndSessionStep = (core, s, thread) => {
  const had = s.level > 0;
  const err = rollbackTransaction(core, s, thread);
  if (err === 0 && had) s.instance.slotsUsed--;
  return err;
};

/** A refused end (-1914) that has already given back the session's temp-table slots (its temp tables stay open). */
const contextCheckFreesTempSlots: EndSessionCheck = (p, s, thread) => {
  const err = checkSessionContext(p, s, thread);
  if (err !== 0) for (const c of s.temps) if (c.sortSlot && !c.closed) s.instance.tempTableCount--;
  return err;
};

/** A refused JetBeginSession (-1101) that still took a slot. */
const beginConsumesSlotWhenRefused: OpImpl<'JetBeginSession'> = {
  enter: (core, thread, a) => JetBeginSession.enter(core, thread, a),
  body(core, e, a) {
    const r = JetBeginSession.body(core, e, a);
    if (!('pending' in r) && r.err === E.JET_errOutOfSessions) {
      for (const inst of core.p.instances) if (inst.slotsUsed >= inst.params.maxSessions) inst.slotsUsed++;
    }
    return r;
  },
};

// ---- Calls in flight ------------------------------------------------------------------------------

/**
 * The in-API count is given back on the success path of a held call only: a held call that
 * returns an error leaves the session counted in use, and every later call on it answers -1910.
 */
class FailedHoldLeaksInApi extends WrappedImplementation {
  private readonly heldOn = new Map<string, string>();
  private stuck = new Set<string>();

  override async reset(): Promise<AdapterStatus> {
    this.heldOn.clear();
    this.stuck = new Set();
    return super.reset();
  }

  override call<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<CallResult<O>> {
    const sesid = (args as { readonly sesid?: unknown }).sesid;
    if (sesid !== undefined && this.stuck.has(handleKey(sesid as never))) return Promise.resolve({ kind: 'returned', err: E.JET_errSessionSharingViolation });
    return super.call(thread, op, args);
  }

  override async hold(thread: string, call: ApiCall): Promise<HoldResult> {
    const r = await super.hold(thread, call);
    const sesid = (call.args as { readonly sesid?: unknown }).sesid;
    if (r.kind === 'held' && sesid !== undefined) this.heldOn.set(r.hold, handleKey(sesid as never));
    return r;
  }

  override async release(hold: string): Promise<CallResult> {
    const r = await super.release(hold);
    const key = this.heldOn.get(hold);
    this.heldOn.delete(hold);
    if (key !== undefined && r.kind === 'returned' && r.err < 0) this.stuck.add(key);
    return r;
  }
}

/** The in-flight refusal (-1910) after the session's temp-table slots were given back (its temp tables stay open). */
const inFlightRefusalFreesTempSlots: EndSessionCheck = (p, s, thread) => {
  const err = checkCallInFlight(p, s, thread);
  if (err !== 0) for (const c of s.temps) if (c.sortSlot && !c.closed) s.instance.tempTableCount--;
  return err;
};

/** The in-flight refusal (-1910) only for a session with a transaction. */
const inFlightCheckedInTransactionOnly: EndSessionCheck = (_p, s) => (s.level > 0 && s.inApi > 0 ? E.JET_errSessionSharingViolation : 0);

// ---- The catalogue entries -------------------------------------------------------------------------

const withoutPlanFree = (step: EndSessionStep): EndSessionPlan => plan({ cleanup: replace(ref.cleanup, endSessionFree, step) });

/** Every bug written by red team E, registered or not (the scratch runs take them from here). */
export const redTeamECandidates: readonly MutantSpec[] = [
  made('sesid-recycled', 'an ended session\'s handle value is handed out again by the next JetBeginSession (allowed: ESENT may recycle PIB memory)',
    {}, (o) => engine({ JetBeginSession: beginRecycles }, withoutPlanFree(freeToPool), o), 'allowed'),
  made('refused-end-frees-handle', 'a JetEndSession refused because a session context is set (-1914) has already put the session\'s handle value back in the pool: the next JetBeginSession hands it out again while the refused session lives',
    both(['ES-SESSION-IN-USE']), (o) => engine({ JetBeginSession: beginRecycles }, plan({ body: replace(withoutPlanFree(freeToPool).body, checkSessionContext, contextCheckFreesHandle), cleanup: withoutPlanFree(freeToPool).cleanup }), o)),
  made('term-refusal-in-transaction-only', 'while a JetTerm2 waits, JetEndSession refuses (-1000) only a session with a transaction: an idle session is ended',
    both(['ES-TERM-IN-PROGRESS']), (o) => engine({}, termChecks(inTransactionOnly), o)),
  made('term-refusal-once', 'while a JetTerm2 waits, JetEndSession refuses (-1000) once: a second end during the same term goes ahead',
    both(['ES-TERM-IN-PROGRESS']), (o) => engine({}, termChecks(onceper), o)),
  made('term-refusal-sticks', 'a session refused (-1000) while a JetTerm2 waited stays marked: after the term failed (-1059) its end still answers -1000',
    both(['ES-TERM-IN-PROGRESS']), (o) => engine({}, termChecks(sticky), o)),
  made('rollback-end-keeps-slot', 'a session ended with a transaction to roll back does not give its JET_paramMaxSessions slot back',
    both(['ES-SESSION-SLOT-FREED']), (o) => engine({}, plan({ cleanup: replace(ref.cleanup, rollbackTransaction, rollbackKeepsSlot) }), o)),
  made('rollback-end-frees-slot-twice', 'a session ended with a transaction to roll back gives its JET_paramMaxSessions slot back twice (allowed: ESENT allows at least MaxSessions)',
    {}, (o) => engine({}, plan({ cleanup: replace(ref.cleanup, rollbackTransaction, rollbackFreesSlotTwice) }), o), 'allowed'),
  made('transaction-temp-slots-freed-twice', 'temp tables opened inside the transaction give their JET_paramMaxTemporaryTables slots back at the rollback and again at the end: the limit is exceeded afterwards',
    both(['ES-SORTS-CLOSED']), (o) => engine({}, plan({ cleanup: replace(ref.cleanup, rollbackTransaction, rollbackFreesTempSlotsTwice) }), o)),
  made('refused-end-frees-temp-slots', 'a JetEndSession refused because a session context is set (-1914) has already given back the temp-table slots of the temp tables it keeps open',
    both(['ES-SESSION-IN-USE']), (o) => engine({}, plan({ body: replace(ref.body, checkSessionContext, contextCheckFreesTempSlots) }), o)),
  made('refused-begin-takes-slot', 'a JetBeginSession refused with -1101 still takes a slot: after an end, the next JetBeginSession is refused again',
    both(['ES-SESSION-SLOT-FREED']), (o) => engine({ JetBeginSession: beginConsumesSlotWhenRefused }, null, o)),
  wrapped('failed-held-call-keeps-session-in-use', 'a call held in flight that completes with an error does not give the session\'s in-API count back: every later call on the session, JetEndSession too, answers -1910',
    both(['ES-SHARING-VIOLATION']), (inner, name) => new FailedHoldLeaksInApi(inner, name)),
  made('in-flight-refusal-in-transaction-only', 'a call in flight on another thread refuses the end (-1910) only when the session has a transaction',
    both(['ES-SHARING-VIOLATION']), (o) => engine({}, plan({ entry: replace(ref.entry, checkCallInFlight, inFlightCheckedInTransactionOnly) }), o)),
  made('tableid-recycled', 'the cursor handle values an end frees are handed out again by the next JetOpenTable or JetOpenTempTable (allowed: nothing says a stale tableid stays invalid)',
    {}, (o) => engine(recyclingOpens(), plan({ cleanup: [noteTableids, ...replace(ref.cleanup, endSessionFree, freeTableidsToPool)] }), o), 'allowed'),
  made('refused-end-frees-tableids', 'a JetEndSession refused because a session context is set (-1914) has already put the cursor handle values of the session in the pool: the next open hands one out again while the refused session keeps its cursor',
    both(['ES-SESSION-IN-USE']), (o) => engine(recyclingOpens(), plan({ body: replace(ref.body, checkSessionContext, contextCheckFreesTableids) }), o)),
  made('deepest-level-end-refused', 'JetEndSession of a session at the deepest transaction level (7) is refused with -1103 (TransTooDeep): its rollback needs one more level',
    both(['ES-ROLLBACK-NESTED']), (o) => engine({}, plan({ body: [...ref.body, deepestLevelRefused] }), o)),
  made('term-refusal-closes-temp-tables', 'while a JetTerm2 waits, JetEndSession closes the session\'s temp tables before it refuses (-1000)',
    both(['ES-TERM-IN-PROGRESS']), (o) => engine({}, termChecks(closesTempsFirst), o)),
  made('in-flight-refusal-frees-temp-slots', 'a JetEndSession refused because a call is in flight on another thread (-1910) has already given back the temp-table slots of the temp tables the session keeps open',
    both(['ES-SHARING-VIOLATION']), (o) => engine({}, plan({ entry: replace(ref.entry, checkCallInFlight, inFlightRefusalFreesTempSlots) }), o)),
];

/**
 * The ones the catalogue registers: those no scenario killed before red team E's scenarios (the
 * others were killed already, and the allowed ones are not bugs; docs/mutants.md lists neither).
 */
const registered: ReadonlySet<string> = new Set(['failed-held-call-keeps-session-in-use', 'in-flight-refusal-frees-temp-slots', 'term-refusal-closes-temp-tables']);
export const redTeamEMutants: readonly MutantSpec[] = redTeamECandidates.filter((m) => registered.has(m.name));

export type { Core, JET_HANDLE };
