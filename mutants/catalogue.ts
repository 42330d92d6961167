/**
 * The mutant catalogue (issue 6): one entry per plausible bug, each with the catalogue IDs that must
 * kill it in the tiers it deviates in. Mutants that change what the engine does use its variation
 * points (oracle/variations.ts); mutants that change what an implementation answers wrap it.
 * docs/mutants.md is generated from this table (mutants/docs.ts).
 */
import type { Implementation } from '../adapters/types';
import { JET_errors as E } from '../api';
import { plans, withEndSession, type PlanName } from './engine-plans';
import { morePlans, type MorePlanName } from './more-plans';
import {
  DoubleEndSucceeds,
  DupSessionSameHandle,
  FailedCleanupLeavesSessionEnding,
  ForceResetsContext,
  GrbitRejectedAfterRollback,
  OpCodeRewrite,
  RefusedEndCancelsCallInFlight,
  WaitedTermFails,
  sessionLimitOneEarly,
} from './more-wrappers';
import { createAlwaysSuccess } from './always-success';
import { redTeamBMutants } from './red-team-b';
import { redTeamAMutants } from './red-team-a';
import { redTeamCMutants } from './red-team-c';
import { redTeamDMutants } from './red-team-d';
import { redTeamEMutants } from './red-team-e';
import { redTeamGMutants } from './red-team-g';
import { redTeamFMutants } from './red-team-f';
import { redTeamHMutants } from './red-team-h';
import { redTeamIMutants } from './red-team-i';
import { redTeamKMutants } from './red-team-k';
import { redTeamLMutants } from './red-team-l';
import type { MutantSpec } from './types';
import { WrappedImplementation } from './wrap';
import {
  CodeRewrite,
  ForceSessionClosedActedUpon,
  ForcedStateUnchecked,
  NilAcceptedAsLive,
  StaleHandleNotInitialized,
  ThreadBindingIgnored,
  UnknownGrbitRejected,
} from './wrappers';
import { both, reference } from './entries';

/** A mutant whose JetEndSession is built from another plan (mutants/engine-plans.ts). */
function variation(
  name: string,
  flag: PlanName,
  description: string,
  killedBy: MutantSpec['killedBy'],
  survives?: string,
): MutantSpec {
  return {
    name,
    description,
    kind: 'engine',
    plan: flag,
    killedBy,
    ...(survives === undefined ? {} : { survives }),
    create: (options) => new WrappedImplementation(withEndSession(plans[flag], options), name),
  };
}

/** A mutant whose JetEndSession is one of mutants/more-plans.ts. */
function planned(name: string, which: MorePlanName, description: string, killedBy: MutantSpec['killedBy'], survives?: string): MutantSpec {
  return {
    name,
    description,
    kind: 'engine',
    plan: which,
    killedBy,
    ...(survives === undefined ? {} : { survives }),
    create: (options) => new WrappedImplementation(withEndSession(morePlans[which], options), name),
  };
}

/** A mutant that wraps the reference. */
function wrapper(
  name: string,
  description: string,
  killedBy: MutantSpec['killedBy'],
  make: (inner: Implementation, name: string) => Implementation,
  survives?: string,
): MutantSpec {
  return {
    name,
    description,
    kind: 'wrapper',
    killedBy,
    ...(survives === undefined ? {} : { survives }),
    create: (options) => make(reference(options), name),
  };
}

export const mutants: readonly MutantSpec[] = [
  {
    name: 'always-success',
    description: 'answers JET_errSuccess to every call (a stub such as Wine\'s, had it not crashed)',
    kind: 'stub',
    killedBy: both(['ES-HANDLE-CLOSED', 'ES-INVALID-SESID', 'ES-SESSION-SLOT-FREED', 'ES-CURSORS-CLOSED', 'ES-SESSION-IN-USE']),
    create: (options) => createAlwaysSuccess(options ?? {}),
  },
  variation('no-rollback-at-end', 'skipRollbackAtEnd', 'the open transaction is not rolled back at the end: its work becomes durable',
    both(['ES-ROLLBACK-LEVEL1', 'ES-ROLLBACK-NESTED', 'ES-COMMITTED-KEPT', 'ES-CONTEXT-MIGRATED-TRX'])),
  variation('rollback-innermost-only', 'rollbackInnermostOnly', 'only the innermost transaction level is rolled back; the outer levels are committed',
    both(['ES-ROLLBACK-NESTED', 'ES-COMMITTED-KEPT'])),
  variation('commit-instead-of-rollback', 'commitInsteadOfRollback', 'every open level is committed instead of rolled back',
    both(['ES-ROLLBACK-LEVEL1', 'ES-ROLLBACK-NESTED', 'ES-COMMITTED-KEPT'])),
  variation('handle-valid-after-end', 'handleValidAfterEnd', 'after a successful end the session is cleaned up but its handle keeps working',
    both(['ES-SUCCESS-IDLE', 'ES-HANDLE-CLOSED'])),
  variation('session-slot-leaked', 'leakSessionSlot', 'the ended session\'s slot is not returned to the JET_paramMaxSessions pool',
    both(['ES-SESSION-SLOT-FREED'])),
  variation('cursors-left-open', 'leaveCursorsOpen', 'the session\'s cursors are not closed: a JET_bitTableDenyRead lock stays',
    both(['ES-CURSORS-CLOSED'])),
  variation('temp-tables-left-open', 'leaveTempTablesOpen', 'the session\'s temp tables are not closed: their JET_paramMaxTemporaryTables slots stay taken',
    both(['ES-SORTS-CLOSED'])),
  variation('databases-left-open', 'leaveDatabasesOpen', 'the session\'s database opens are not closed: an exclusive open stays',
    both(['ES-DATABASES-CLOSED'])),
  wrapper('force-session-closed-acted-upon', 'JET_bitForceSessionClosed is acted upon: a session in use (-1914) is forced closed',
    both(['ES-GRBIT-FORCE-NOOP']), (inner, name) => new ForceSessionClosedActedUpon(inner, name)),
  wrapper('unknown-grbit-rejected', 'a grbit with unknown bits (0xFFFFFFFF) is refused with JET_errInvalidParameter',
    { esent: ['ES-GRBIT-UNKNOWN'] }, (inner, name) => new UnknownGrbitRejected(inner, name),
    'documented: the doc allows -1003 with the session unchanged for an unknown grbit'),
  variation('stop-service-honoured', 'honourStopService', 'JetEndSession honours JetStopServiceInstance2 and answers -1329',
    { esent: ['ES-STOP-SERVICE', 'ES-GRBIT-FORCE-NOOP'] },
    'documented: the doc lists JET_errClientRequestToStopJetService among JetEndSession\'s codes'),
  variation('session-context-ignored', 'ignoreSessionContext', 'a session context still set does not stop JetEndSession (no -1914)',
    both(['ES-SESSION-IN-USE', 'ES-GRBIT-FORCE-NOOP'])),
  variation('context-checked-only-for-other-threads', 'contextCheckedOnlyForOtherThreads',
    'a session context set by the calling thread itself does not stop JetEndSession',
    both(['ES-SESSION-IN-USE', 'ES-GRBIT-FORCE-NOOP'])),
  wrapper('wrong-code-number', 'JET_errInvalidSesid has the wrong number: -1014 (digits swapped, the number of JET_errOutOfBuffers) instead of -1104',
    both(['ES-INVALID-SESID', 'ES-HANDLE-CLOSED', 'ES-AFTER-TERM']),
    (inner, name) => new CodeRewrite(inner, name, E.JET_errInvalidSesid, E.JET_errOutOfBuffers, true)),
  wrapper('nil-accepted-as-live', 'JET_sesidNil (~0) passes handle validation: JetEndSession answers success',
    both(['ES-INVALID-SESID']), (inner, name) => new NilAcceptedAsLive(inner, name)),
  variation('instance-unavailable-unchecked', 'skipInstanceUnavailableCheck', 'JetEndSession does not check for an instance brought down by a fatal error (-1090/-1092)',
    { documented: ['ES-INSTANCE-UNAVAILABLE'], esent: ['ES-INSTANCE-UNAVAILABLE', 'ES-UNDO-FAILURE-FATAL'] }),
  variation('term-in-progress-unchecked', 'skipTermInProgressCheck', 'JetEndSession does not check for a JetTerm in progress (-1000)',
    both(['ES-TERM-IN-PROGRESS'])),
  variation('context-checked-before-instance', 'contextCheckBeforeInstanceCheck',
    'two checks in the wrong order: the session context (-1914) is checked before the instance (-1090, -1000)',
    { esent: ['ES-INSTANCE-UNAVAILABLE'] },
    'documented: the doc does not order JetEndSession\'s checks, so -1914 and -1090 are both allowed when both apply'),
  variation('close-failure-ends-session', 'closeFailureEndsSession', 'a failed database or sort close ends the session anyway (the error is still returned)',
    both(['ES-CLEANUP-FAILURE-LEAVES-SESSION'])),
  variation('close-failure-reported-as-success', 'closeFailureReportedAsSuccess', 'a failed database or sort close is ignored: the end completes and returns JET_errSuccess',
    both(['ES-CLEANUP-FAILURE-LEAVES-SESSION'])),
  variation('undo-failure-not-fatal', 'undoFailureNotFatal', 'an undo failure during the rollback returns its error but does not take the instance down',
    { esent: ['ES-UNDO-FAILURE-FATAL'] },
    'documented: the doc says nothing of the instance after a clean-up failure'),
  variation('end-disturbs-other-sessions', 'endDisturbsOtherSessions', 'ending one session rolls back the transactions of the instance\'s other sessions',
    both(['ES-OTHER-SESSIONS-UNTOUCHED'])),
  wrapper('log-disk-full-as-1090', 'an instance brought down by a full log disk answers -1090 where ESENT gives -1092',
    { esent: ['ES-INSTANCE-UNAVAILABLE', 'ES-UNDO-FAILURE-FATAL'] },
    (inner, name) => new CodeRewrite(inner, name, E.JET_errInstanceUnavailableDueToFatalLogDiskFull, E.JET_errInstanceUnavailable, true),
    'documented: the doc lists only JET_errInstanceUnavailable, so -1090 is allowed for a full log disk'),
  wrapper('session-in-use-untranslated', 'the engine\'s internal -1912 (SessionContextAlreadySet) leaks out of JetEndSession instead of -1914',
    both(['ES-SESSION-IN-USE', 'ES-GRBIT-FORCE-NOOP']),
    (inner, name) => new CodeRewrite(inner, name, E.JET_errSessionInUse, E.JET_errSessionContextAlreadySet, false)),
  wrapper('sharing-violation-as-session-in-use', 'JetEndSession answers -1914 (SessionInUse) where ESENT gives -1910 (SessionSharingViolation), after closing what ESENT closes before -1910',
    both(['ES-SHARING-VIOLATION']),
    (inner, name) => new CodeRewrite(inner, name, E.JET_errSessionSharingViolation, E.JET_errSessionInUse, false)),
  wrapper('stale-handle-not-initialized', 'JetEndSession on a session that JetTerm ended answers -1029 (NotInitialized) instead of -1104',
    { esent: ['ES-AFTER-TERM', 'ES-UNDO-FAILURE-FATAL'] }, (inner, name) => new StaleHandleNotInitialized(inner, name),
    'documented: after JetTerm the doc allows -1029 as well as -1104'),
  wrapper('not-initialized-unchecked', 'JetEndSession does not check for a not-initialized instance: it ends the session',
    { documented: ['ES-NOT-INITIALIZED'] }, (inner, name) => new ForcedStateUnchecked(inner, name, 'not-initialized'),
    'esent: ESENT cannot reach the state, so the esent tier has no such scenario'),
  wrapper('restore-in-progress-unchecked', 'JetEndSession does not check for a restore in progress: it ends the session',
    { documented: ['ES-RESTORE-IN-PROGRESS'] }, (inner, name) => new ForcedStateUnchecked(inner, name, 'restore-in-progress'),
    'esent: ESENT cannot reach the state, so the esent tier has no such scenario'),
  wrapper('thread-binding-ignored', 'a transaction begun on another thread without a context is rolled back and the session ended (no -1910)',
    both(['ES-SHARING-VIOLATION']), (inner, name) => new ThreadBindingIgnored(inner, name)),
  // ---- Resources leaked, one kind at a time -------------------------------------------------------
  planned('deny-read-lock-leaked', 'denyReadLocksLeaked', 'the session\'s cursors are closed but their JET_bitTableDenyRead locks stay', both(['ES-CURSORS-CLOSED'])),
  planned('deny-write-lock-leaked', 'denyWriteLocksLeaked', 'the session\'s cursors are closed but their JET_bitTableDenyWrite locks stay', both(['ES-CURSORS-CLOSED'])),
  planned('cursor-slots-leaked', 'cursorSlotsLeaked', 'the session\'s cursors are closed but not given back to the JET_paramMaxCursors count', both(['ES-CURSORS-CLOSED'])),
  planned('temp-table-slots-leaked', 'tempTableSlotsLeaked', 'the session\'s temp tables are closed but not given back to the JET_paramMaxTemporaryTables count', both(['ES-SORTS-CLOSED'])),
  planned('exclusive-open-leaked', 'exclusiveOpenLeaked', 'an exclusive database open of the session is closed but its exclusivity stays', both(['ES-DATABASES-CLOSED'])),
  planned('write-locks-leaked', 'writeLocksLeaked', 'the rollback restores the records, but their write locks stay with the ended session', both(['ES-ROLLBACK-NESTED', 'ES-ROLLBACK-LEVEL1'])),
  planned('ddl-kept', 'ddlKept', 'a table created inside the open transaction survives the rollback at the end', both(['ES-ROLLBACK-LEVEL1'])),
  planned('deferred-closes-lost', 'deferredClosesLost', 'cursors closed inside the transaction after writing (deferred, Errata 7) are never finally closed: their locks stay', both(['ES-CURSORS-CLOSED'])),
  planned('first-database-only', 'firstDatabaseOnly', 'only the session\'s first database is closed; its other databases stay open', both(['ES-DATABASES-CLOSED'])),
  planned('one-close-per-database', 'oneCloseEach', 'a database the session opened several times is closed once: the other opens stay', both(['ES-DATABASES-CLOSED'])),
  planned('temp-tables-in-transaction-leaked', 'tempTablesInTrxLeaked', 'temp tables opened inside the open transaction are forgotten: their slots stay taken', both(['ES-SORTS-CLOSED'])),
  // ---- Other sessions and instances disturbed ----------------------------------------------------
  planned('others-cursors-closed', 'othersCursorsClosed', 'other sessions\' cursors on the tables the session had open are closed too', both(['ES-OTHER-SESSIONS-UNTOUCHED'])),
  planned('others-contexts-reset', 'othersContextsReset', 'the session contexts the calling thread set on other sessions are reset too', both(['ES-OTHER-SESSIONS-UNTOUCHED'])),
  planned('others-temp-tables-closed', 'othersTempTablesClosed', 'every temp table of the instance is closed, not only the session\'s', both(['ES-CLEANUP-FAILURE-LEAVES-SESSION', 'ES-OTHER-SESSIONS-UNTOUCHED'])),
  planned('others-on-thread-rolled-back', 'othersRolledBackOnThread', 'the transactions of other sessions bound to the calling thread are rolled back too', both(['ES-OTHER-SESSIONS-UNTOUCHED'])),
  planned('other-instances-rolled-back', 'otherInstancesRolledBack', 'the transactions of every other instance\'s sessions are rolled back', both(['ES-OTHER-SESSIONS-UNTOUCHED'])),
  // ---- Checks in the wrong order -------------------------------------------------------------------
  planned('call-in-flight-checked-first', 'callInFlightBeforeInstance', 'a call in flight on another thread (-1910) is checked before the instance\'s states', { esent: ['ES-INSTANCE-UNAVAILABLE', 'ES-TERM-IN-PROGRESS'] },
    'documented: the doc does not order JetEndSession\'s checks'),
  planned('process-term-checked-last', 'processTermAfterInstance', 'the process-wide term check comes after the instance\'s own checks', { esent: ['ES-TERM-IN-PROGRESS'] },
    'documented: the doc does not order JetEndSession\'s checks'),
  planned('context-checked-before-call-in-flight', 'contextBeforeCallInFlight', 'the session context (-1914) is checked before a call in flight on another thread (-1910)', { esent: ['ES-SHARING-VIOLATION'] },
    'documented: the doc allows -1914 as well as -1910 for a call in flight on another thread'),
  planned('binding-checked-before-context', 'trxBindingBeforeContext', 'the transaction\'s thread binding (-1910) is checked before the session context (-1914)', { esent: ['ES-SHARING-VIOLATION'] },
    'documented: the doc does not order the session context and the transaction\'s thread binding, and allows -1914 as well as -1910'),
  planned('databases-closed-before-context-check', 'databasesClosedBeforeContextCheck', 'the databases are closed before the session context is checked: a session in use (-1914) loses them', both(['ES-SESSION-IN-USE', 'ES-SHARING-VIOLATION'])),
  planned('temp-tables-closed-before-rollback', 'tempTablesBeforeRollback', 'the temp tables are closed before the transaction is rolled back (a close failure strikes first)', both(['ES-CLEANUP-FAILURE-LEAVES-SESSION'])),
  planned('checks-after-cleanup', 'checksAfterCleanup', 'the clean-up runs before the checks\' verdict: the session is ended and the error still returned', both(['ES-INSTANCE-UNAVAILABLE', 'ES-TERM-IN-PROGRESS', 'ES-SESSION-IN-USE'])),
  // ---- Refusals that ESENT does not make -------------------------------------------------------------
  planned('open-transaction-refused', 'refuseOpenTransaction', 'a session with an open transaction is refused with JET_errInTransaction instead of rolled back', both(['ES-ROLLBACK-LEVEL1', 'ES-ROLLBACK-NESTED'])),
  planned('open-cursors-refused', 'refuseOpenCursors', 'a session with table cursors open is refused (-1059) instead of having them closed', both(['ES-CURSORS-CLOSED'])),
  // ---- Wrong codes, stale handles, limits ------------------------------------------------------------
  wrapper('term-in-progress-as-not-initialized', 'JetEndSession answers -1029 (NotInitialized) where a term is in progress (-1000)', both(['ES-TERM-IN-PROGRESS']),
    (inner, name) => new OpCodeRewrite(inner, name, 'JetEndSession', E.JET_errTermInProgress, E.JET_errNotInitialized)),
  wrapper('session-in-use-as-sharing-violation', 'JetEndSession answers -1910 (SessionSharingViolation) where a context is set (-1914)', both(['ES-SESSION-IN-USE', 'ES-GRBIT-FORCE-NOOP']),
    (inner, name) => new OpCodeRewrite(inner, name, 'JetEndSession', E.JET_errSessionInUse, E.JET_errSessionSharingViolation)),
  wrapper('unavailable-as-not-initialized', 'JetEndSession answers -1029 (NotInitialized) where the instance is unavailable (-1090)', { documented: ['ES-INSTANCE-UNAVAILABLE'], esent: ['ES-INSTANCE-UNAVAILABLE', 'ES-UNDO-FAILURE-FATAL'] },
    (inner, name) => new OpCodeRewrite(inner, name, 'JetEndSession', E.JET_errInstanceUnavailable, E.JET_errNotInitialized)),
  wrapper('cleanup-error-as-out-of-memory', 'every clean-up failure of JetEndSession is reported as JET_errOutOfMemory (-1011)', { documented: ['ES-CLEANUP-OUT-OF-BUFFERS'], esent: ['ES-CLEANUP-OUT-OF-BUFFERS', 'ES-UNDO-FAILURE-FATAL'] },
    (inner, name) => new OpCodeRewrite(inner, name, 'JetEndSession', E.JET_errOutOfBuffers, E.JET_errOutOfMemory)),
  wrapper('out-of-sessions-wrong-code', 'JetBeginSession past JET_paramMaxSessions answers -1059 (TooManyActiveUsers) instead of -1101', both(['ES-SESSION-SLOT-FREED']),
    (inner, name) => new OpCodeRewrite(inner, name, 'JetBeginSession', E.JET_errOutOfSessions, E.JET_errTooManyActiveUsers)),
  wrapper('double-end-succeeds', 'JetEndSession on a session it already ended answers JET_errSuccess again', both(['ES-HANDLE-CLOSED']), (inner, name) => new DoubleEndSucceeds(inner, name)),
  wrapper('dup-session-same-handle', 'JetDupSession hands back the session it was given instead of a new one', both(['ES-HANDLE-CLOSED']), (inner, name) => new DupSessionSameHandle(inner, name)),
  wrapper('grbit-rejected-after-rollback', 'an unknown grbit is refused (-1003) only after the open transaction was rolled back', both(['ES-GRBIT-UNKNOWN']),
    (inner, name) => new GrbitRejectedAfterRollback(inner, name)),
  wrapper('waited-term-fails', 'a JetTerm that had to wait for calls in flight returns -1000 when it completes, whatever its outcome', both(['ES-TERM-IN-PROGRESS']), (inner, name) => new WaitedTermFails(inner, name)),
  wrapper('refused-end-cancels-call-in-flight', 'a JetEndSession refused because another thread has a call in flight (-1910) makes that call fail with -1104 when it completes', both(['ES-SHARING-VIOLATION']),
    (inner, name) => new RefusedEndCancelsCallInFlight(inner, name)),
  wrapper('failed-cleanup-leaves-session-ending', 'after a clean-up failure the session stays marked as ending: it is not gone, but JetBeginTransaction on it answers -1914', both(['ES-CLEANUP-FAILURE-LEAVES-SESSION']),
    (inner, name) => new FailedCleanupLeavesSessionEnding(inner, name)),
  wrapper('force-resets-context', 'JET_bitForceSessionClosed resets the session context of a session in use, though the end is still refused with -1914', both(['ES-GRBIT-FORCE-NOOP']),
    (inner, name) => new ForceResetsContext(inner, name)),
  {
    name: 'session-limit-one-early',
    description: 'JetBeginSession and JetDupSession refuse one session early: at most JET_paramMaxSessions - 1 sessions',
    kind: 'engine',
    killedBy: { esent: ['ES-SESSION-SLOT-FREED'] },
    survives: 'documented: the doc does not say how many sessions JET_paramMaxSessions lets begin (the documented tier counts "any")',
    create: (options) => new WrappedImplementation(sessionLimitOneEarly(options), 'session-limit-one-early'),
  },
  // ---- Handles, instance states, threads and clean-up failures (red team B) --------------------------
  ...redTeamBMutants,
  // ---- Success postconditions and the grbit (red team A) ----------------------------------------------
  ...redTeamAMutants,
  // ---- Probe fidelity: states a whole-state probe concluded right on (red team C) ----------------------
  ...redTeamCMutants,
  // ---- History and scale: the second time, the n-th session, another instance (red team D) ----------
  ...redTeamDMutants,
  ...redTeamEMutants,
  // ---- What survives the end, later; what a failed clean-up leaves (red team G) --------------------------
  ...redTeamGMutants,
  // ---- Refusals across every resource kind; invalid handles (red team F) --------------------------------
  ...redTeamFMutants,
  // ---- Other instances, and what other sessions' snapshots and locks show of an end (red team H) ------
  ...redTeamHMutants,
  // ---- Stryker over the neighbours: gaps its survivors showed (red team I) ----------------------------
  ...redTeamIMutants,
  // ---- The specification clause by clause: clauses no check looked at (red team K) -------------------
  ...redTeamKMutants,
  // ---- An independent implementation: gaps the Python campaign found (red team L) ---------------------
  ...redTeamLMutants,
];

export function findMutant(name: string): MutantSpec | undefined {
  return mutants.find((m) => m.name === name);
}

export function mutantNames(): string[] {
  return mutants.map((m) => m.name);
}
