/**
 * The mutant catalogue (issue 6): one entry per plausible bug, each with the catalogue IDs that must
 * kill it in the tiers it deviates in. Mutants that change what the engine does use its variation
 * points (oracle/variations.ts); mutants that change what an implementation answers wrap it.
 * docs/mutants.md is generated from this table (mutants/docs.ts).
 */
import type { Implementation, TargetVersion } from '../adapters/types';
import { createReferenceImplementation } from '../adapters/reference';
import { JET_errors as E } from '../oracle/codes';
import { plans, withEndSession, type PlanName } from './engine-plans';
import { createAlwaysSuccess } from './always-success';
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

type Options = { readonly target?: TargetVersion } | undefined;

function reference(options: Options): Implementation {
  return createReferenceImplementation(options?.target === undefined ? {} : { target: options.target });
}

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
    killedBy,
    ...(survives === undefined ? {} : { survives }),
    create: (options) => new WrappedImplementation(withEndSession(plans[flag], options), name),
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

const both = (ids: readonly string[]): MutantSpec['killedBy'] => ({ documented: ids, esent: ids });

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
    { esent: ['ES-CLEANUP-OOM', 'ES-CLEANUP-OUT-OF-BUFFERS', 'ES-UNDO-FAILURE-FATAL'] },
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
  wrapper('sharing-violation-as-session-in-use', 'JetEndSession answers -1914 (SessionInUse) where ESENT gives -1910 (SessionSharingViolation)',
    { esent: ['ES-SHARING-VIOLATION'] },
    (inner, name) => new CodeRewrite(inner, name, E.JET_errSessionSharingViolation, E.JET_errSessionInUse, false),
    'documented: the doc describes -1914 as "in use on another thread", so both codes are allowed'),
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
];

export function findMutant(name: string): MutantSpec | undefined {
  return mutants.find((m) => m.name === name);
}

export function mutantNames(): string[] {
  return mutants.map((m) => m.name);
}
