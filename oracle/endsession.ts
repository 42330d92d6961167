/**
 * JetEndSession, in ESENT's order (ese-source-notes.md §2.1, §2.2, §6; outcomes.md "Rules for the
 * reference engine"). Entry: handle validation; forced not-initialized (-1029); the process-wide
 * term check; the instance: unavailable (-1090/-1092), term in progress (-1000), forced restore
 * (-506); the session: a call in flight on another thread (-1910). Body: a session context set
 * (-1914); the transaction (wrong thread: -1910 after closing the innermost level's cursors;
 * rollback of every level, an undo failure being fatal); database closes; temp-table closes; free.
 * The grbit is never read. Every variation point of variations.ts except logDiskFullAs1090 is here.
 */
import type { CleanupStep } from '../adapters/types';
import { JET_errors as E } from './codes';
import type { JET_ERR } from './codes';
import type { Core, EngineArgs, EngineResult, Entered, OpImpl } from './api';
import { fail, ok } from './api';
import { entered, sessionOf } from './entry';
import type { ProcessState } from './process';
import { abandonCursor, closeDatabaseOnce, finalClose } from './resources';
import type { Session } from './session';
import { commitLevel, rollbackLevel, trxContextOk } from './transaction';
import type { EngineVariations } from './variations';

function contextBlocks(s: Session, thread: string, v: EngineVariations): boolean {
  if (s.context === null || v.ignoreSessionContext) return false;
  if (v.contextCheckedOnlyForOtherThreads) return s.context.thread !== thread;
  return true;
}

function enter(core: Core, thread: string, a: EngineArgs<'JetEndSession'>): JET_ERR | Entered {
  const { p, v } = core;
  const s = sessionOf(p, a.sesid);
  if (s === undefined) return E.JET_errInvalidSesid;
  const inst = s.instance;
  if (v.contextCheckBeforeInstanceCheck && contextBlocks(s, thread, v)) return E.JET_errSessionInUse;
  if (inst.forcedNotInitialized) return E.JET_errNotInitialized;
  const termChecks = !v.skipTermInProgressCheck;
  if (termChecks && p.termsInProgress >= p.instances.size) {
    return p.instances.size === 0 ? E.JET_errNotInitialized : E.JET_errTermInProgress;
  }
  // StopService is deliberately not checked (FEnter(sesid, fIgnoreStopService = fTrue)).
  if (v.honourStopService && inst.stopService) return E.JET_errClientRequestToStopJetService;
  if (!v.skipInstanceUnavailableCheck && inst.unavailableCause !== null) return inst.unavailableCode(v);
  if (termChecks && inst.termInProgress) return E.JET_errTermInProgress;
  if (inst.forcedRestoreInProgress) return E.JET_errRestoreInProgress;
  if (s.inApi > 0) return E.JET_errSessionSharingViolation;
  return entered(thread, s, null);
}

function body(core: Core, e: Entered): EngineResult<'JetEndSession'> {
  const { p, v } = core;
  const s = e.s as Session;
  if (!v.contextCheckBeforeInstanceCheck && contextBlocks(s, e.thread, v)) return fail(E.JET_errSessionInUse);
  if (s.level > 0) {
    const err = endTransaction(core, s, e.thread);
    if (err !== 0) return fail(err);
  }
  if (!v.leaveDatabasesOpen) {
    const dbs = [...s.dbOpens.keys()].sort((x, y) => x.dbid - y.dbid);
    for (const db of dbs) {
      while (s.dbOpens.has(db)) {
        const err = closeStep(core, s, 'close-database');
        if (err === 'skip') {
          s.dbOpens.delete(db);
          break;
        }
        if (err !== 0) return fail(err);
        closeDatabaseOnce(p, s, db, !v.leaveCursorsOpen);
      }
    }
  }
  if (!v.leaveTempTablesOpen) {
    for (const c of s.temps) {
      const err = closeStep(core, s, 'close-sort');
      if (err === 'skip') abandonCursor(p, c);
      else if (err !== 0) return fail(err);
      else finalClose(p, c);
    }
  }
  if (v.handleValidAfterEnd) return ok();
  freeSession(p, s, !v.leakSessionSlot);
  if (v.endDisturbsOtherSessions) {
    for (const other of s.instance.sessions) while (other.level > 0) rollbackLevel(p, other, e.thread, 'none', null);
  }
  return ok();
}

/**
 * One attempt of a close step: 0, an injected error (the session stays, already rolled back),
 * or 'skip' when the failure is ignored (variation closeFailureReportedAsSuccess).
 */
function closeStep(core: Core, s: Session, step: CleanupStep): JET_ERR | 'skip' {
  const err = core.faults.take(step);
  if (err === 0) return 0;
  if (core.v.closeFailureReportedAsSuccess) return 'skip';
  if (core.v.closeFailureEndsSession) freeSession(core.p, s, true);
  return err;
}

/** The transaction part of the clean-up; 0, -1910, or an undo failure (fatal). */
function endTransaction(core: Core, s: Session, thread: string): JET_ERR {
  const { p, v } = core;
  if (v.skipRollbackAtEnd) {
    while (s.level > 0) commitLevel(p, s);
    return 0;
  }
  if (v.commitInsteadOfRollback) {
    if (!trxContextOk(s, thread, 'end')) return E.JET_errSessionSharingViolation;
    while (s.level > 0) commitLevel(p, s);
    return 0;
  }
  let undoFailed = false;
  const undoFault = (): JET_ERR => {
    const err = core.faults.take('undo');
    undoFailed = err !== 0;
    return err;
  };
  do {
    const err = rollbackLevel(p, s, thread, 'end', undoFault);
    if (err !== 0) {
      if (undoFailed && !v.undoFailureNotFatal) s.instance.unavailableCause = err;
      return err;
    }
    if (v.rollbackInnermostOnly) {
      while (s.level > 0) commitLevel(p, s);
    }
  } while (s.level > 0);
  return 0;
}

/** PIBEndSession: the handle dies; whatever is still held is leaked (only reachable through variations). */
function freeSession(p: ProcessState, s: Session, returnSlot: boolean): void {
  for (const set of s.cursorsByDb.values()) for (const c of set) abandonCursor(p, c);
  for (const c of s.temps) abandonCursor(p, c);
  s.ended = true;
  p.handles.free(s.handle);
  s.instance.sessions.delete(s);
  if (returnSlot) s.instance.slotsUsed--;
}

export const JetEndSession: OpImpl<'JetEndSession'> = { enter, body };
