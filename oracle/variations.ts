/**
 * Variation points for the mutant catalogue (issue 6). Each flag is a plausible bug of an ESE
 * implementation, off by default; the engine consults each one at exactly one place, named here.
 * With every flag off the engine is the reference.
 */
export interface EngineVariations {
  /** endsession.ts: the open transaction is not rolled back; its work becomes durable (and the rollback's wrong-thread check is skipped with it). */
  readonly skipRollbackAtEnd?: boolean;
  /** endsession.ts: only the innermost level is rolled back; the outer levels are committed (durable). */
  readonly rollbackInnermostOnly?: boolean;
  /** endsession.ts: every level is committed instead of rolled back (the commit's wrong-thread check still applies). */
  readonly commitInsteadOfRollback?: boolean;
  /** endsession.ts: after a successful end the session is cleaned up but not freed: its handle keeps working. */
  readonly handleValidAfterEnd?: boolean;
  /** endsession.ts: the session is freed but its slot is not returned to the MaxSessions pool. */
  readonly leakSessionSlot?: boolean;
  /** endsession.ts: table cursors are not closed: their DenyRead/DenyWrite locks and cursor quota stay taken. */
  readonly leaveCursorsOpen?: boolean;
  /** endsession.ts: temp tables are not closed: the instance-wide temp-table quota stays taken. */
  readonly leaveTempTablesOpen?: boolean;
  /** endsession.ts: database opens are not closed: pins and exclusive opens stay. */
  readonly leaveDatabasesOpen?: boolean;
  /** endsession.ts (entry): JetEndSession honours StopService and returns -1329 after StopService(All). */
  readonly honourStopService?: boolean;
  /** endsession.ts: the session context is ignored: no -1914. */
  readonly ignoreSessionContext?: boolean;
  /** endsession.ts: -1914 only when the context was set by another thread than the caller. */
  readonly contextCheckedOnlyForOtherThreads?: boolean;
  /** endsession.ts (entry): the instance-unavailable check (-1090/-1092) is skipped. */
  readonly skipInstanceUnavailableCheck?: boolean;
  /** endsession.ts (entry): the term-in-progress checks (-1000) are skipped. */
  readonly skipTermInProgressCheck?: boolean;
  /** endsession.ts (entry): the session-context check (-1914) runs before the instance checks. */
  readonly contextCheckBeforeInstanceCheck?: boolean;
  /** endsession.ts: a failed database or sort close ends the session anyway (the error is still returned). */
  readonly closeFailureEndsSession?: boolean;
  /** endsession.ts: a failed database or sort close is ignored: the end completes and returns 0. */
  readonly closeFailureReportedAsSuccess?: boolean;
  /** endsession.ts: an undo failure returns its error but does not take the instance down. */
  readonly undoFailureNotFatal?: boolean;
  /** endsession.ts: after a successful end, every other session of the instance is rolled back. */
  readonly endDisturbsOtherSessions?: boolean;
  /** instance.ts: an instance brought down by a full log disk answers -1090 instead of -1092. */
  readonly logDiskFullAs1090?: boolean;
}

/** The names of every variation, for listings and validation. */
export const variationNames: readonly (keyof EngineVariations)[] = [
  'skipRollbackAtEnd',
  'rollbackInnermostOnly',
  'commitInsteadOfRollback',
  'handleValidAfterEnd',
  'leakSessionSlot',
  'leaveCursorsOpen',
  'leaveTempTablesOpen',
  'leaveDatabasesOpen',
  'honourStopService',
  'ignoreSessionContext',
  'contextCheckedOnlyForOtherThreads',
  'skipInstanceUnavailableCheck',
  'skipTermInProgressCheck',
  'contextCheckBeforeInstanceCheck',
  'closeFailureEndsSession',
  'closeFailureReportedAsSuccess',
  'undoFailureNotFatal',
  'endDisturbsOtherSessions',
  'logDiskFullAs1090',
];

/** The reference: every variation off. */
export const noVariations: EngineVariations = Object.freeze({});
