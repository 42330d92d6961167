/**
 * JetEndSession, in ESENT's order (ese-source-notes.md §2.1, §2.2, §6; outcomes.md "Rules for the
 * reference engine"). Entry: handle validation; forced not-initialized (-1029); the process-wide
 * term check; the instance: unavailable (-1090/-1092), term in progress (-1000), forced restore
 * (-506); the session: a call in flight on another thread (-1910). Body: a session context set
 * (-1914); the clean-up: the transaction (wrong thread: -1910 after closing the innermost level's
 * cursors; rollback of every level, an undo failure being fatal); database closes; temp-table
 * closes; free. The grbit is never read.
 *
 * The checks and clean-up steps are values composed into a plan (`referenceEndSession`), so that
 * other plans (an implementation's bugs, built outside oracle/) can reorder, drop or replace them
 * without the engine knowing: `new Engine({ ops: { JetEndSession: makeJetEndSession(plan) } })`.
 */
import { JET_errors as E } from '../api/codes';
import type { JET_ERR } from '../api/codes';
import type { Core, EngineArgs, EngineResult, Entered, OpImpl } from './api';
import { fail, ok } from './api';
import { entered, sessionOf } from './entry';
import type { ProcessState } from './process';
import { abandonCursor, closeDatabaseOnce, finalClose } from './resources';
import type { Session } from './session';
import { rollbackLevel } from './transaction';

/** One check of JetEndSession: an error that stops the call, or 0 to go on. */
export type EndSessionCheck = (p: ProcessState, s: Session, thread: string) => JET_ERR;

/** One clean-up step: 0, or an error that stops the end (the session stays, with what is left). */
export type EndSessionStep = (core: Core, s: Session, thread: string) => JET_ERR;

export interface EndSessionPlan {
  /** Checks before the session is entered (a held call runs them at hold), in order. */
  readonly entry: readonly EndSessionCheck[];
  /** Checks after it is entered (a held call runs them at release), in order. */
  readonly body: readonly EndSessionCheck[];
  /** The clean-up, in order; the last step frees the session. */
  readonly cleanup: readonly EndSessionStep[];
}

/** A not-initialized state forced with the instance-state capability. */
export const checkNotInitialized: EndSessionCheck = (_p, s) => (s.instance.forcedNotInitialized ? E.JET_errNotInitialized : 0);

/**
 * The process-wide term check: every instance is terminating. (FEnter also answers -1029 when no
 * instance is left, but a session handle that is still valid always has its live instance.)
 */
export const checkProcessTerm: EndSessionCheck = (p) => (p.termsInProgress < p.instances.size ? 0 : E.JET_errTermInProgress);

// StopService is deliberately not checked (FEnter(sesid, fIgnoreStopService = fTrue)).

/** An instance brought down by a fatal error (-1090, or -1092 for a full log disk). */
export const checkInstanceUnavailable: EndSessionCheck = (_p, s) => (s.instance.unavailableCause === null ? 0 : s.instance.unavailableCode());

/** A JetTerm in progress on the session's instance. */
export const checkTermInProgress: EndSessionCheck = (_p, s) => (s.instance.termInProgress ? E.JET_errTermInProgress : 0);

/** A restore in progress forced with the instance-state capability. */
export const checkRestoreInProgress: EndSessionCheck = (_p, s) => (s.instance.forcedRestoreInProgress ? E.JET_errRestoreInProgress : 0);

/** A call of the session in progress on another thread. */
export const checkCallInFlight: EndSessionCheck = (_p, s) => (s.inApi > 0 ? E.JET_errSessionSharingViolation : 0);

/** A session context still set, by any thread. */
export const checkSessionContext: EndSessionCheck = (_p, s) => (s.context === null ? 0 : E.JET_errSessionInUse);

/** Every open level rolled back on the caller's thread; an undo failure takes the instance down. */
export const rollbackTransaction: EndSessionStep = (core, s, thread) => {
  // Only an undo that fails now is fatal; -1910 and a stored failure leave the instance up.
  const undoFault = (): JET_ERR => {
    const err = core.faults.take('undo');
    if (err !== 0) s.instance.unavailableCause = err;
    return err;
  };
  while (s.level > 0) {
    const err = rollbackLevel(core.p, s, thread, 'end', undoFault);
    if (err !== 0) return err;
  }
  return 0;
};

/**
 * Every database open closed, once per open; a failed close stops the end. The order is not
 * observable (ESE goes by dbid): all are closed before the end returns, and a failed close fails
 * at the first attempt whichever database it is.
 */
export const closeDatabases: EndSessionStep = (core, s) => {
  for (const db of [...s.dbOpens.keys()]) {
    while (s.dbOpens.has(db)) {
      const err = core.faults.take('close-database');
      if (err !== 0) return err;
      closeDatabaseOnce(core.p, s, db, true);
    }
  }
  return 0;
};

/**
 * Every temp table closed, newest first (tm.cxx 132-182 walks the session's cursor list, which
 * ErrFUCBOpen links at its head, fucb.cxx 147-149). A sort's close (ErrIsamSortClose) can fail and
 * stops the end; a materialized temp table's (ErrDispCloseTable under CallS) cannot (Errata 11).
 */
export const closeTempTables: EndSessionStep = (core, s) => {
  for (const c of [...s.temps].reverse()) {
    if (c.sort !== null) {
      const err = core.faults.take('close-sort');
      if (err !== 0) return err;
    }
    finalClose(core.p, c);
  }
  return 0;
};

/** PIBEndSession: the handle dies and the slot returns to the pool; whatever is still held is leaked. */
export function freeSession(p: ProcessState, s: Session): void {
  for (const set of s.cursorsByDb.values()) for (const c of set) abandonCursor(p, c);
  for (const c of s.temps) abandonCursor(p, c);
  p.handles.free(s.handle);
  s.instance.sessions.delete(s);
  s.instance.slotsUsed--;
}

export const endSessionFree: EndSessionStep = (core, s) => {
  freeSession(core.p, s);
  return 0;
};

/** ESENT's JetEndSession. */
export const referenceEndSession: EndSessionPlan = Object.freeze({
  entry: Object.freeze([checkNotInitialized, checkProcessTerm, checkInstanceUnavailable, checkTermInProgress, checkRestoreInProgress, checkCallInFlight]),
  body: Object.freeze([checkSessionContext]),
  cleanup: Object.freeze([rollbackTransaction, closeDatabases, closeTempTables, endSessionFree]),
});

function firstError(checks: readonly EndSessionCheck[], p: ProcessState, s: Session, thread: string): JET_ERR {
  for (const check of checks) {
    const err = check(p, s, thread);
    if (err !== 0) return err;
  }
  return 0;
}

/** JetEndSession made of a plan's checks and steps. */
export function makeJetEndSession(plan: EndSessionPlan): OpImpl<'JetEndSession'> {
  return {
    enter(core: Core, thread: string, a: EngineArgs<'JetEndSession'>): JET_ERR | Entered {
      const s = sessionOf(core.p, a.sesid);
      if (s === undefined) return E.JET_errInvalidSesid;
      const err = firstError(plan.entry, core.p, s, thread);
      return err !== 0 ? err : entered(thread, s, null);
    },
    body(core: Core, e: Entered): EngineResult<'JetEndSession'> {
      const s = e.s as Session;
      const err = firstError(plan.body, core.p, s, e.thread);
      if (err !== 0) return fail(err);
      for (const step of plan.cleanup) {
        const stepErr = step(core, s, e.thread);
        if (stepErr !== 0) return fail(stepErr);
      }
      return ok();
    },
  };
}

export const JetEndSession: OpImpl<'JetEndSession'> = makeJetEndSession(referenceEndSession);
