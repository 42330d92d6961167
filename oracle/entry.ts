/**
 * Entry checks shared by the operations: handle validation (ESENT's JET_VALIDATE_*), instance
 * lookup (ErrFindPinst) and the session-API entry (APICALL_SESID::FEnter, ese-source-notes.md §2.1).
 */
import { JET_errors as E } from '../api/codes';
import type { JET_ERR } from '../api/codes';
import type { Core, Entered } from './api';
import type { Cursor } from './cursor';
import { JET_handleNil, JET_handleZero } from './handles';
import type { JET_HANDLE } from './handles';
import type { Instance } from './instance';
import type { ProcessState } from './process';
import type { Session } from './session';
import type { DbFile } from './table';

export function sessionOf(p: ProcessState, h: JET_HANDLE): Session | undefined {
  const t = p.handles.get(h);
  return t !== undefined && t.kind === 'session' ? t : undefined;
}

export function cursorOf(p: ProcessState, h: JET_HANDLE): Cursor | undefined {
  const t = p.handles.get(h);
  return t !== undefined && t.kind === 'cursor' ? t : undefined;
}

export function isNullInstance(h: JET_HANDLE | null): boolean {
  return h === null || h === JET_handleZero || h === JET_handleNil;
}

/**
 * JET_VALIDATE_INSTANCE, then ErrFindPinst. NULL and nil pass the validation and name the only
 * instance in single-instance mode (-1003 otherwise). Any other value must be a live instance
 * (-1115), also when no instance is left: ESENT's validation (JET_VALIDATE, jetapi.cxx 5234-5270)
 * rejects a freed INST before ErrFindPinst could answer -1003 (Errata 8's -1003 is the retail ESE
 * flavour's; engine: JetBeginSession, JetTerm, JetStopServiceInstance on a terminated instance's
 * handle or a never-issued one give -1115 with no instance left). A live instance handle is the instance in either mode (in single-instance mode
 * it is the only one).
 */
export function findInstance(p: ProcessState, h: JET_HANDLE | null): Instance | JET_ERR {
  if (isNullInstance(h)) {
    if (p.mode === 'single') for (const inst of p.instances) return inst;
    return E.JET_errInvalidParameter;
  }
  const t = p.handles.get(h as JET_HANDLE);
  if (t !== undefined && t.kind === 'instance') return t;
  return E.JET_errInvalidInstance;
}

/** APICALL_SESID::FEnter after validation, in ESE's order, plus the forced states. */
export function enterChecks(core: Core, s: Session, ignoreStop: boolean): JET_ERR {
  const p = core.p;
  const inst = s.instance;
  if (inst.forcedNotInitialized) return E.JET_errNotInitialized;
  // FEnter answers -1029 when no instance is left at all, but a valid session has its live instance.
  if (p.termsInProgress >= p.instances.size) return E.JET_errTermInProgress;
  if (!ignoreStop && inst.stopService) return E.JET_errClientRequestToStopJetService;
  if (inst.unavailableCause !== null) return inst.unavailableCode();
  if (inst.termInProgress) return E.JET_errTermInProgress;
  if (inst.forcedRestoreInProgress) return E.JET_errRestoreInProgress;
  if (s.inApi > 0) return E.JET_errSessionSharingViolation;
  return 0;
}

export function entered(thread: string, s: Session | null, c: Cursor | null): Entered {
  return { thread, s, c };
}

/** A session API: JET_VALIDATE_SESID then FEnter. */
export function enterSesid(core: Core, thread: string, sesid: JET_HANDLE, ignoreStop: boolean): JET_ERR | Entered {
  const s = sessionOf(core.p, sesid);
  if (s === undefined) return E.JET_errInvalidSesid;
  const err = enterChecks(core, s, ignoreStop);
  return err !== 0 ? err : entered(thread, s, null);
}

/** A cursor API: JET_VALIDATE_SESID_TABLEID, FEnter, then the dispatch of a defer-closed tableid. */
export function enterTableid(
  core: Core,
  thread: string,
  sesid: JET_HANDLE,
  tableid: JET_HANDLE,
  ignoreStop: boolean,
): JET_ERR | Entered {
  const s = sessionOf(core.p, sesid);
  if (s === undefined) return E.JET_errInvalidSesid;
  const c = cursorOf(core.p, tableid);
  if (c === undefined) return E.JET_errInvalidTableId;
  if (c.session !== s) return E.JET_errSesidTableIdMismatch;
  const err = enterChecks(core, s, ignoreStop);
  if (err !== 0) return err;
  if (c.deferred) return E.JET_errInvalidTableId;
  return entered(thread, s, c);
}

/** The database a session opened under dbid, or undefined (-1010). */
export function openedDb(core: Core, s: Session, dbid: number): DbFile | undefined {
  const db = core.p.dbids.get(dbid);
  return s.dbOpens.has(db as DbFile) ? db : undefined; // an unknown dbid (undefined) is not open either
}

/** A database API: FEnter, then the dbid must be one the session opened. */
export function enterDbid(core: Core, thread: string, sesid: JET_HANDLE, dbid: number, ignoreStop: boolean): JET_ERR | Entered {
  const e = enterSesid(core, thread, sesid, ignoreStop);
  if (typeof e === 'number') return e;
  return openedDb(core, e.s as Session, dbid) === undefined ? E.JET_errInvalidDatabaseId : e;
}
