/**
 * Bugs of refusals (red team F): implementations whose JetEndSession answers the right error and
 * then, on that error path, has already done part of the clean-up on one resource kind the refused
 * session keeps (a lock, an exclusive open, one of several opens, a temp table, a prepared update, a
 * cursor's position, a transaction level), or whose invalid-handle path touches another session,
 * or whose refused session no longer works in full. Each does everything else as the reference.
 */
import type { AdapterStatus, CallResult, Implementation } from '../adapters/types';
import type { ArgsOf, OperationName } from '../api';
import { createReferenceImplementation } from '../adapters/reference';
import { JET_errors as E } from '../api';
import type { JET_ERR } from '../api';
import type { OpImpl, OpTable } from '../oracle/api';
import {
  checkCallInFlight,
  checkNotInitialized,
  checkProcessTerm,
  checkRestoreInProgress,
  checkSessionContext,
  checkTermInProgress,
  makeJetEndSession,
  referenceEndSession,
  rollbackTransaction,
  type EndSessionCheck,
  type EndSessionPlan,
  type EndSessionStep,
} from '../oracle/endsession';
import { Pos } from '../oracle/cursor';
import type { Cursor } from '../oracle/cursor';
import type { ProcessState } from '../oracle/process';
import { cancelPrepared, closeDatabaseOnce, finalClose } from '../oracle/resources';
import type { Session } from '../oracle/session';
import { commitLevel } from '../oracle/transaction';
import type { MutantSpec } from './types';
import { WrappedImplementation, handleKey } from './wrap';
import { plan, replace } from './engine-plans';
import { both, made, wrapped, type MutantOptions } from './entries';

type Effect = (p: ProcessState, s: Session, thread: string) => void;

const ref = referenceEndSession;

/** The reference with some operations (JetEndSession's plan among them, when given) replaced. */
function engine(ops: Partial<OpTable>, endPlan: EndSessionPlan | null, options: MutantOptions): Implementation {
  const all: Partial<OpTable> = endPlan === null ? ops : { ...ops, JetEndSession: makeJetEndSession(endPlan) };
  return createReferenceImplementation({ engine: { ops: all }, ...(options?.target === undefined ? {} : { target: options.target }) });
}

// ---- What a half-clean error path does to one resource kind ----------------------------------------

function* cursorsOf(s: Session): Iterable<Cursor> {
  for (const set of s.cursorsByDb.values()) yield* set;
  yield* s.temps;
}

/** Table locks (DenyRead and DenyWrite) of the session's open cursors released; the cursors stay open. */
const releaseTableLocks: Effect = (_p, s) => {
  for (const c of cursorsOf(s)) {
    if (c.denyRead) {
      c.denyRead = false;
      c.table.denyReadCount--;
    }
    if (c.denyWrite) {
      c.denyWrite = false;
      c.table.denyWriteCount--;
    }
  }
};

/** Exclusivity of the databases the session holds exclusively dropped; the opens stay. */
const dropExclusivity: Effect = (_p, s) => {
  for (const db of s.dbOpens.keys()) if (db.exclusiveBy === s) db.exclusiveBy = null;
};

/** One open of every database the session opened several times closed (a refcount decremented once). */
const closeOneOpenEach: Effect = (p, s) => {
  for (const [db, n] of [...s.dbOpens]) if (n > 1) closeDatabaseOnce(p, s, db, false);
};

/** Every temp table of the session closed: sorts and materialized ones. */
const closeTempTables: Effect = (p, s) => {
  for (const c of [...s.temps]) finalClose(p, c);
};

/** The materialized temp tables (no sort slot) closed; the sorts stay. */
const closeMaterializedTempTables: Effect = (p, s) => {
  for (const c of [...s.temps]) if (!c.sortSlot) finalClose(p, c);
};

/** Prepared updates cancelled. */
const cancelPreparedUpdates: Effect = (_p, s) => {
  for (const c of [...s.prepared]) cancelPrepared(c);
};

/** Prepared updates kept, but the values set into them dropped (the copy buffer freed). */
const emptyPreparedUpdates: Effect = (_p, s) => {
  for (const c of s.prepared) if (c.prep !== null) c.prep = { ...c.prep, values: [] };
};

/** Cursors standing on a record put back where a fresh open puts them (virtually on the first record). */
const rewindToFirst: Effect = (_p, s) => {
  for (const c of cursorsOf(s)) {
    if (c.pos !== Pos.On) continue;
    c.pos = Pos.DeferredFirst;
    c.rec = null;
  }
};

/** The deferred closes of cursors that wrote in the transaction (Errata 7) completed: their locks go early. */
const completeDeferredCloses: Effect = (p, s) => {
  for (const c of [...s.deferred]) finalClose(p, c);
};

/** The innermost level popped into its parent (the level count decremented, its work kept). */
const popInnermostLevel: Effect = (p, s) => {
  if (s.level > 1) commitLevel(p, s);
};

/** The session contexts the calling thread set, on any session, reset (a thread-local cache cleared). */
const resetCallersContexts = (p: ProcessState, thread: string): void => {
  for (const inst of p.instances) for (const o of inst.sessions) if (o.context !== null && o.context.thread === thread) o.context = null;
};

/** Another session's temp tables closed (an instance-wide clean-up on the refusal path). */
const closeOthersTempTables: Effect = (p, s) => {
  for (const o of s.instance.sessions) if (o !== s) for (const c of [...o.temps]) finalClose(p, c);
};

// ---- Which refusal ---------------------------------------------------------------------------------

function onRefusal(check: EndSessionCheck, effect: Effect): EndSessionCheck {
  return (p, s, thread) => {
    const err = check(p, s, thread);
    if (err !== 0) effect(p, s, thread);
    return err;
  };
}

/** The term refusals (-1000): the process-wide check and the instance's. */
const termRefusal = (effect: Effect): EndSessionPlan =>
  plan({ entry: replace(replace(ref.entry, checkProcessTerm, onRefusal(checkProcessTerm, effect)), checkTermInProgress, onRefusal(checkTermInProgress, effect)) });

/** The forced-state refusals (-1029, -506): an "instance not running" error path. */
const forcedStateRefusal = (effect: Effect): EndSessionPlan =>
  plan({ entry: replace(replace(ref.entry, checkNotInitialized, onRefusal(checkNotInitialized, effect)), checkRestoreInProgress, onRefusal(checkRestoreInProgress, effect)) });

/** The session-context refusal (-1914). */
const contextRefusal = (effect: Effect): EndSessionPlan => plan({ body: replace(ref.body, checkSessionContext, onRefusal(checkSessionContext, effect)) });

/** The refusal because a call is in flight on another thread (-1910). */
const inFlightRefusal = (effect: Effect): EndSessionPlan => plan({ entry: replace(ref.entry, checkCallInFlight, onRefusal(checkCallInFlight, effect)) });

/** The refusal of a transaction bound to another thread (-1910, after the innermost level's cursors are closed). */
const wrongThreadRefusal = (effect: Effect): EndSessionPlan => {
  const step: EndSessionStep = (core, s, thread) => {
    const err = rollbackTransaction(core, s, thread);
    if (err === E.JET_errSessionSharingViolation) effect(core.p, s, thread);
    return err;
  };
  return plan({ cleanup: replace(ref.cleanup, rollbackTransaction, step) });
};

/** JetStopServiceInstance2 honoured (-1329, as the doc allows), with an effect on that path. */
const stopServiceRefusal = (effect: Effect): EndSessionPlan => {
  const check: EndSessionCheck = (p, s, thread) => {
    if (!s.instance.stopService) return 0;
    effect(p, s, thread);
    return E.JET_errClientRequestToStopJetService;
  };
  return plan({ entry: replace(ref.entry, checkProcessTerm, checkProcessTerm, check) });
};

/** JetEndSession whose invalid-handle answer (-1104) comes from a path that does something first. */
function invalidHandlePath(effect: (p: ProcessState, thread: string) => void): OpImpl<'JetEndSession'> {
  const base = makeJetEndSession(ref);
  return {
    enter(core, thread, a) {
      const r = base.enter(core, thread, a);
      if (r === E.JET_errInvalidSesid) effect(core.p, thread);
      return r;
    },
    body: (core, e, a) => base.body(core, e, a),
  };
}

/** JetEndSession refusing an unknown grbit (-1003, as the doc allows) after an effect on the session. */
function unknownGrbitRefused(effect: Effect): OpImpl<'JetEndSession'> {
  const base = makeJetEndSession(ref);
  return {
    enter: (core, thread, a) => base.enter(core, thread, a),
    body(core, e, a) {
      const s = e.s;
      if (s !== null && ((a.grbit >>> 0) & ~1) !== 0) {
        effect(core.p, s, e.thread);
        return { err: E.JET_errInvalidParameter };
      }
      return base.body(core, e, a);
    },
  };
}

/** A count decremented on the invalid-handle path: one temp-table slot of each instance given back. */
const freeOneTempSlot = (p: ProcessState): void => {
  for (const inst of p.instances) if (inst.tempTableCount > 0) inst.tempTableCount--;
};

// ---- A refused session that no longer works in full ------------------------------------------------

/**
 * A refused JetEndSession marks the session as ending before its checks and never clears the mark:
 * the session's transaction can still nest and roll back, but JetCommitTransaction answers -1914.
 */
class RefusalBlocksCommit extends WrappedImplementation {
  private ending = new Set<string>();

  override async reset(): Promise<AdapterStatus> {
    this.ending = new Set();
    return super.reset();
  }

  override async call<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<CallResult<O>> {
    const sesid = (args as { readonly sesid?: unknown }).sesid;
    const key = sesid === undefined ? undefined : handleKey(sesid as never);
    if (op === 'JetCommitTransaction' && key !== undefined && this.ending.has(key)) return { kind: 'returned', err: E.JET_errSessionInUse };
    const r = await super.call(thread, op, args);
    if (op === 'JetEndSession' && key !== undefined && r.kind === 'returned') {
      if (r.err < 0 && r.err !== E.JET_errInvalidSesid) this.ending.add(key);
      else if (r.err >= 0) this.ending.delete(key);
    }
    return r;
  }
}

// ---- The catalogue entries -------------------------------------------------------------------------

const docOnly = 'esent: ESENT cannot reach the forced state, so the esent tier has no such scenario';

/** Every bug written by red team F, registered or not (the scratch runs take them from here). */
export const redTeamFCandidates: readonly MutantSpec[] = [
  made('term-refusal-cancels-prepared-updates', 'a JetEndSession refused while a JetTerm waits (-1000) has already cancelled the session\'s prepared updates',
    both(['ES-TERM-IN-PROGRESS']), (o) => engine({}, termRefusal(cancelPreparedUpdates), o)),
  made('term-refusal-releases-table-locks', 'a JetEndSession refused while a JetTerm waits (-1000) has already released the DenyRead and DenyWrite locks of the cursors it keeps open',
    both(['ES-TERM-IN-PROGRESS']), (o) => engine({}, termRefusal(releaseTableLocks), o)),
  made('term-refusal-drops-exclusive-open', 'a JetEndSession refused while a JetTerm waits (-1000) has already dropped the exclusivity of the databases the session keeps open exclusively',
    both(['ES-TERM-IN-PROGRESS']), (o) => engine({}, termRefusal(dropExclusivity), o)),
  made('term-refusal-rewinds-cursors', 'a JetEndSession refused while a JetTerm waits (-1000) has already put the session\'s cursors back where a fresh open puts them',
    both(['ES-TERM-IN-PROGRESS']), (o) => engine({}, termRefusal(rewindToFirst), o)),
  made('forced-state-refusal-closes-temp-tables', 'a JetEndSession refused on a not-initialized or restoring instance (-1029, -506) has already closed the session\'s temp tables',
    { documented: ['ES-NOT-INITIALIZED', 'ES-RESTORE-IN-PROGRESS'] }, (o) => engine({}, forcedStateRefusal(closeTempTables), o), docOnly),
  made('forced-state-refusal-releases-table-locks', 'a JetEndSession refused on a not-initialized or restoring instance (-1029, -506) has already released the session\'s DenyRead and DenyWrite locks',
    { documented: ['ES-NOT-INITIALIZED', 'ES-RESTORE-IN-PROGRESS'] }, (o) => engine({}, forcedStateRefusal(releaseTableLocks), o), docOnly),
  made('forced-state-refusal-closes-one-open-each', 'a JetEndSession refused on a not-initialized or restoring instance (-1029, -506) has already closed one open of every database the session opened several times',
    { documented: ['ES-NOT-INITIALIZED', 'ES-RESTORE-IN-PROGRESS'] }, (o) => engine({}, forcedStateRefusal(closeOneOpenEach), o), docOnly),
  made('context-refusal-closes-one-open-each', 'a JetEndSession refused because a session context is set (-1914) has already closed one open of every database the session opened several times',
    both(['ES-SESSION-IN-USE']), (o) => engine({}, contextRefusal(closeOneOpenEach), o)),
  made('context-refusal-drops-exclusive-open', 'a JetEndSession refused because a session context is set (-1914) has already dropped the exclusivity of the databases the session keeps open exclusively',
    both(['ES-SESSION-IN-USE']), (o) => engine({}, contextRefusal(dropExclusivity), o)),
  made('context-refusal-closes-materialized-temp-tables', 'a JetEndSession refused because a session context is set (-1914) has already closed the session\'s materialized temp tables (its sorts stay)',
    both(['ES-SESSION-IN-USE']), (o) => engine({}, contextRefusal(closeMaterializedTempTables), o)),
  made('context-refusal-empties-prepared-update', 'a JetEndSession refused because a session context is set (-1914) keeps the prepared update but has freed the values set into it: the JetUpdate that follows writes the record without them',
    both(['ES-SESSION-IN-USE']), (o) => engine({}, contextRefusal(emptyPreparedUpdates), o)),
  made('in-flight-refusal-cancels-prepared-updates', 'a JetEndSession refused because a call is in flight on another thread (-1910) has already cancelled the session\'s prepared updates',
    both(['ES-SHARING-VIOLATION']), (o) => engine({}, inFlightRefusal(cancelPreparedUpdates), o)),
  made('wrong-thread-refusal-pops-level', 'a JetEndSession refused because the transaction belongs to another thread (-1910) has already taken the innermost level off (merged into its parent)',
    both(['ES-SHARING-VIOLATION']), (o) => engine({}, wrongThreadRefusal(popInnermostLevel), o)),
  made('wrong-thread-refusal-completes-deferred-closes', 'a JetEndSession refused because the transaction belongs to another thread (-1910) completes the deferred closes of cursors that wrote (Errata 7): their table locks go while the transaction lives',
    both(['ES-SHARING-VIOLATION']), (o) => engine({}, wrongThreadRefusal(completeDeferredCloses), o)),
  made('invalid-sesid-resets-callers-contexts', 'JetEndSession with an invalid handle answers -1104, but its error path has reset the session contexts the calling thread set',
    both(['ES-INVALID-SESID']), (o) => engine({ JetEndSession: invalidHandlePath(resetCallersContexts) }, null, o)),
  made('invalid-sesid-frees-temp-slot', 'JetEndSession with an invalid handle answers -1104, but its error path gives one JET_paramMaxTemporaryTables slot back',
    both(['ES-INVALID-SESID']), (o) => engine({ JetEndSession: invalidHandlePath(freeOneTempSlot) }, null, o)),
  made('stop-service-refusal-closes-others-temp-tables', 'JetEndSession honours JetStopServiceInstance2 (-1329, which the doc allows) through an instance-wide path that closes the other sessions\' temp tables',
    { documented: ['ES-STOP-SERVICE'], esent: ['ES-STOP-SERVICE'] }, (o) => engine({}, stopServiceRefusal(closeOthersTempTables), o)),
  made('unknown-grbit-refusal-releases-table-locks', 'an unknown grbit is refused with -1003 (which the doc allows) only after the session\'s DenyRead and DenyWrite locks were released',
    { documented: ['ES-GRBIT-UNKNOWN'], esent: ['ES-GRBIT-UNKNOWN'] }, (o) => engine({ JetEndSession: unknownGrbitRefused(releaseTableLocks) }, null, o)),
  wrapped('refusal-blocks-commit', 'a refused JetEndSession leaves the session marked as ending: its transaction still nests and rolls back, but JetCommitTransaction answers -1914',
    both(['ES-SESSION-IN-USE', 'ES-TERM-IN-PROGRESS']), (inner, name) => new RefusalBlocksCommit(inner, name)),
];

/**
 * The ones the catalogue registers: those no scenario killed before red team F's scenarios. The
 * others were killed already (in-flight-refusal-cancels-prepared-updates, wrong-thread-refusal-*,
 * unknown-grbit-refusal-releases-table-locks by their own IDs' scenarios; invalid-sesid-frees-temp-slot
 * by ES-SORTS-CLOSED's, and now by ES-INVALID-SESID's too); docs/mutants.md does not list them.
 */
const registered: ReadonlySet<string> = new Set<string>([
  'term-refusal-cancels-prepared-updates',
  'term-refusal-releases-table-locks',
  'term-refusal-drops-exclusive-open',
  'term-refusal-rewinds-cursors',
  'forced-state-refusal-closes-temp-tables',
  'forced-state-refusal-releases-table-locks',
  'forced-state-refusal-closes-one-open-each',
  'context-refusal-closes-one-open-each',
  'context-refusal-drops-exclusive-open',
  'context-refusal-closes-materialized-temp-tables',
  'context-refusal-empties-prepared-update',
  'invalid-sesid-resets-callers-contexts',
  'stop-service-refusal-closes-others-temp-tables',
  'refusal-blocks-commit',
]);
export const redTeamFMutants: readonly MutantSpec[] = redTeamFCandidates.filter((m) => registered.has(m.name));

export type { JET_ERR };
