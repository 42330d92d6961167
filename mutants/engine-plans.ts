/**
 * Bugs inside the engine, written outside it: each is a JetEndSession plan (oracle/endsession.ts)
 * made from the reference's checks and clean-up steps, with one of them dropped, reordered or
 * replaced by a step written here from the engine's primitives. The engine itself has no mutant
 * flags; it only lets an operation be replaced (`EngineOptions.ops`).
 */
import type { Implementation } from '../adapters/types';
import type { TargetVersion } from '../api';
import { createReferenceImplementation } from '../adapters/reference';
import { JET_errors as E } from '../api';
import type { JET_ERR } from '../api';
import {
  checkCallInFlight,
  checkInstanceUnavailable,
  checkNotInitialized,
  checkProcessTerm,
  checkRestoreInProgress,
  checkSessionContext,
  checkTermInProgress,
  closeDatabases,
  closeTempTables,
  endSessionFree,
  freeSession,
  makeJetEndSession,
  referenceEndSession,
  rollbackTransaction,
  type EndSessionCheck,
  type EndSessionPlan,
  type EndSessionStep,
} from '../oracle/endsession';
import { abandonCursor, closeDatabaseOnce, finalClose } from '../oracle/resources';
import { commitLevel, rollbackLevel, trxContextOk } from '../oracle/transaction';

/** The reference with JetEndSession built from `plan`. */
export function withEndSession(plan: EndSessionPlan, options?: { readonly target?: TargetVersion }): Implementation {
  return createReferenceImplementation({
    engine: { ops: { JetEndSession: makeJetEndSession(plan) } },
    ...(options?.target === undefined ? {} : { target: options.target }),
  });
}

/** The reference plan with some of its parts replaced. */
export function plan(changes: Partial<EndSessionPlan>): EndSessionPlan {
  return { ...referenceEndSession, ...changes };
}

const ref = referenceEndSession;
const without = <T>(list: readonly T[], ...gone: T[]): T[] => list.filter((x) => !gone.includes(x));
const replace = <T>(list: readonly T[], from: T, ...to: T[]): T[] => list.flatMap((x) => (x === from ? to : [x]));

// ---- Checks ------------------------------------------------------------------------------------

/** StopService honoured: -1329 after JetStopService*, where ESENT ignores it at JetEndSession. */
const checkStopService: EndSessionCheck = (_p, s) => (s.instance.stopService ? E.JET_errClientRequestToStopJetService : 0);

/** The context blocks only when another thread set it. */
const contextOfOtherThreads: EndSessionCheck = (_p, s, thread) => (s.context !== null && s.context.thread !== thread ? E.JET_errSessionInUse : 0);

// ---- Clean-up steps ------------------------------------------------------------------------------

/** Every level committed, no thread check: the work becomes durable. */
const commitWithoutCheck: EndSessionStep = (core, s) => {
  while (s.level > 0) commitLevel(core.p, s);
  return 0;
};

/** Every level committed, after the thread-binding check a rollback would make. */
const commitInsteadOfRollback: EndSessionStep = (core, s, thread) => {
  if (s.level > 0 && !trxContextOk(s, thread, 'end')) return E.JET_errSessionSharingViolation;
  return commitWithoutCheck(core, s, thread);
};

/** The innermost level rolled back, the outer ones committed. */
const rollbackInnermostOnly: EndSessionStep = (core, s, thread) => {
  if (s.level === 0) return 0;
  let undoFailed = false;
  const err = rollbackLevel(core.p, s, thread, 'end', () => {
    const e = core.faults.take('undo');
    undoFailed = e !== 0;
    return e;
  });
  if (err !== 0) {
    if (undoFailed) s.instance.unavailableCause = err;
    return err;
  }
  return commitWithoutCheck(core, s, thread);
};

/** An undo failure returned but not fatal: the instance stays up. */
const undoFailureNotFatal: EndSessionStep = (core, s, thread) => {
  while (s.level > 0) {
    const err = rollbackLevel(core.p, s, thread, 'end', () => core.faults.take('undo'));
    if (err !== 0) return err;
  }
  return 0;
};

/** Database opens closed, but not the cursors on them: their locks and quota stay. */
const closeDatabasesKeepCursors: EndSessionStep = (core, s) => {
  for (const db of [...s.dbOpens.keys()].sort((x, y) => x.dbid - y.dbid)) {
    while (s.dbOpens.has(db)) {
      const err = core.faults.take('close-database');
      if (err !== 0) return err;
      closeDatabaseOnce(core.p, s, db, false);
    }
  }
  return 0;
};

/** A failed close frees the session anyway (and still returns the error). */
function closeFailureEndsSession(close: EndSessionStep): EndSessionStep {
  return (core, s, thread) => {
    const err = close(core, s, thread);
    if (err !== 0) freeSession(core.p, s);
    return err;
  };
}

/** A failed close is ignored: what it should have closed is dropped, and the end goes on. */
const closeDatabasesIgnoringFailure: EndSessionStep = (core, s) => {
  for (const db of [...s.dbOpens.keys()].sort((x, y) => x.dbid - y.dbid)) {
    while (s.dbOpens.has(db)) {
      if (core.faults.take('close-database') !== 0) {
        s.dbOpens.delete(db);
        break;
      }
      closeDatabaseOnce(core.p, s, db, true);
    }
  }
  return 0;
};

const closeTempTablesIgnoringFailure: EndSessionStep = (core, s) => {
  for (const c of s.temps) {
    if (core.faults.take('close-sort') !== 0) abandonCursor(core.p, c);
    else finalClose(core.p, c);
  }
  return 0;
};

/** The handle is not freed: the session is cleaned up but its handle keeps working. */
const keepHandle: EndSessionStep = () => 0;

/** The session freed, but its MaxSessions slot not returned. */
const freeLeakingSlot: EndSessionStep = (core, s) => {
  freeSession(core.p, s);
  s.instance.slotsUsed++;
  return 0;
};

/** After the end, every other session of the instance is rolled back. */
const rollbackOtherSessions: EndSessionStep = (core, s, thread) => {
  for (const other of s.instance.sessions) while (other.level > 0) rollbackLevel(core.p, other, thread, 'none', null);
  return 0;
};

/** The former variation points of the reference, as plans. */
export const plans = {
  skipRollbackAtEnd: plan({ cleanup: replace(ref.cleanup, rollbackTransaction, commitWithoutCheck) }),
  rollbackInnermostOnly: plan({ cleanup: replace(ref.cleanup, rollbackTransaction, rollbackInnermostOnly) }),
  commitInsteadOfRollback: plan({ cleanup: replace(ref.cleanup, rollbackTransaction, commitInsteadOfRollback) }),
  handleValidAfterEnd: plan({ cleanup: replace(ref.cleanup, endSessionFree, keepHandle) }),
  leakSessionSlot: plan({ cleanup: replace(ref.cleanup, endSessionFree, freeLeakingSlot) }),
  leaveCursorsOpen: plan({ cleanup: replace(ref.cleanup, closeDatabases, closeDatabasesKeepCursors) }),
  leaveTempTablesOpen: plan({ cleanup: without(ref.cleanup, closeTempTables) }),
  leaveDatabasesOpen: plan({ cleanup: without(ref.cleanup, closeDatabases) }),
  honourStopService: plan({ entry: replace(ref.entry, checkProcessTerm, checkProcessTerm, checkStopService) }),
  ignoreSessionContext: plan({ body: without(ref.body, checkSessionContext) }),
  contextCheckedOnlyForOtherThreads: plan({ body: replace(ref.body, checkSessionContext, contextOfOtherThreads) }),
  skipInstanceUnavailableCheck: plan({ entry: without(ref.entry, checkInstanceUnavailable) }),
  skipTermInProgressCheck: plan({ entry: without(ref.entry, checkProcessTerm, checkTermInProgress) }),
  contextCheckBeforeInstanceCheck: plan({ entry: [checkSessionContext, ...ref.entry], body: [] }),
  closeFailureEndsSession: plan({
    cleanup: replace(replace(ref.cleanup, closeDatabases, closeFailureEndsSession(closeDatabases)), closeTempTables, closeFailureEndsSession(closeTempTables)),
  }),
  closeFailureReportedAsSuccess: plan({
    cleanup: replace(replace(ref.cleanup, closeDatabases, closeDatabasesIgnoringFailure), closeTempTables, closeTempTablesIgnoringFailure),
  }),
  undoFailureNotFatal: plan({ cleanup: replace(ref.cleanup, rollbackTransaction, undoFailureNotFatal) }),
  endDisturbsOtherSessions: plan({ cleanup: [...ref.cleanup, rollbackOtherSessions] }),
} satisfies Record<string, EndSessionPlan>;

export type PlanName = keyof typeof plans;

// Kept for plans written elsewhere in mutants/.
export {
  checkCallInFlight,
  checkInstanceUnavailable,
  checkNotInitialized,
  checkProcessTerm,
  checkRestoreInProgress,
  checkSessionContext,
  checkTermInProgress,
  closeDatabases,
  closeTempTables,
  endSessionFree,
  rollbackTransaction,
  without,
  replace,
  ref,
};
export type { JET_ERR };
