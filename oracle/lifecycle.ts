/**
 * Instance life cycle: JetCreateInstance, JetSetSystemParameter, JetInit, JetTerm/JetTerm2,
 * JetStopService*, JetBeginSession (ese-source-notes.md §5; jetapi.cxx ErrNewInst, JetInitEx,
 * ErrTermComplete, ErrIsamTerm, JetStopServiceInstanceEx; Errata 3 and 8).
 */
import type { OperationName } from '../api';
import { JET_bits as B, JET_errors as E } from '../api/codes';
import type { JET_ERR } from '../api/codes';
import { entered, findInstance, isNullInstance, sessionOf } from './entry';
import type { Core, EngineArgs, EngineResult, Entered, OpImpl, PendingTerm } from './api';
import { fail, ok } from './api';
import type { JET_HANDLE } from './handles';
import { Instance } from './instance';
import { modelledParams, paramIdLimit } from './params';
import type { ProcessState } from './process';
import { closeDatabaseOnce, finalClose } from './resources';
import { Session } from './session';
import { rollbackAll } from './transaction';

/** Instance APIs do all their work in the body (nothing to hold). */
function pass<O extends OperationName>(body: (core: Core, e: Entered, a: EngineArgs<O>) => EngineResult<O> | PendingTerm): OpImpl<O> {
  return { enter: (_core, thread) => entered(thread, null, null), body };
}

/** ErrNewInst: a new, not yet initialized instance with the process-wide parameters. */
function newInstance(p: ProcessState, name: string | null): Instance | JET_ERR {
  for (const other of p.instances) if (other.name === name) return E.JET_errInstanceNameInUse;
  const inst = new Instance(name, { ...p.globalParams });
  inst.handle = p.handles.issue(inst);
  p.instances.add(inst);
  return inst;
}

function freeInstance(p: ProcessState, inst: Instance): void {
  p.instances.delete(inst);
  p.handles.free(inst.handle);
  if (p.instances.size === 0) p.mode = 'none';
}

export const JetCreateInstance = pass<'JetCreateInstance'>((core, _e, a) => {
  const p = core.p;
  if (p.mode === 'single') return fail(E.JET_errRunningInOneInstanceMode);
  const inst = newInstance(p, a.name);
  if (typeof inst === 'number') return fail(inst);
  p.mode = 'multi';
  return ok({ instance: inst.handle });
});

export const JetSetSystemParameter = pass<'JetSetSystemParameter'>((core, _e, a) => {
  const p = core.p;
  let inst: Instance | null = null;
  if (p.mode === 'single') {
    for (const i of p.instances) inst = i;
  } else if (p.mode === 'multi') {
    if (a.sesid !== null && !isNullInstance(a.sesid)) {
      const s = sessionOf(p, a.sesid);
      if (s === undefined) return fail(E.JET_errInvalidSesid);
      inst = s.instance;
    } else if (!isNullInstance(a.instance)) {
      const found = findInstance(p, a.instance);
      if (typeof found === 'number') return fail(found);
      inst = found;
    }
  }
  if (inst !== null) {
    // APICALL_INST::FEnterWithoutInit: only a locked API refuses (our forced restore).
    if (inst.forcedRestoreInProgress) return fail(E.JET_errRestoreInProgress);
  }
  if (a.paramid < 0 || a.paramid >= paramIdLimit) return fail(E.JET_errInvalidParameter);
  const def = modelledParams.get(a.paramid);
  if (def === undefined) return ok(); // a real ESE parameter the model does not act on
  const params = inst === null ? p.globalParams : inst.params;
  if (params[def.key] === a.lParam) return ok(); // an unchanged value is always accepted
  if (inst !== null && inst.initialized) return fail(E.JET_errAlreadyInitialized);
  if (!Number.isInteger(a.lParam) || a.lParam < def.low || a.lParam > def.high) return fail(E.JET_errInvalidParameter);
  params[def.key] = a.lParam;
  return ok();
});

export const JetInit = pass<'JetInit'>((core, _e, a) => {
  const p = core.p;
  if (p.mode === 'multi' && isNullInstance(a.instance)) {
    // JetInit(&nil) in multi-instance mode allocates an unnamed instance (whose handle our
    // interface cannot return).
    const inst = newInstance(p, null);
    if (typeof inst === 'number') return fail(inst);
    inst.initialized = true;
    return ok();
  }
  if (p.mode === 'none') {
    p.mode = 'single';
    const inst = newInstance(p, null) as Instance;
    inst.initialized = true;
    return ok();
  }
  if (p.mode === 'single') return fail(E.JET_errAlreadyInitialized);
  const inst = findInstance(p, a.instance);
  if (typeof inst === 'number') return fail(inst);
  if (inst.initialized) return fail(E.JET_errAlreadyInitialized);
  inst.initialized = true;
  // Recovery of the oldest dirty term (ProcessState.dirtyTerms). Engine (ESENT flavour, the bridge
  // placing the instance in the dirty one's log folder): JetInit 0, then JetAttachDatabase 0 and the
  // committed records only; the recovered files are left detached.
  for (const db of p.dirtyTerms.shift() ?? []) db.dirty = false;
  return ok();
});

/** JetTerm is JetTerm2(JET_bitTermAbrupt) (jetapi.cxx JetTerm). */
export const JetTerm: OpImpl<'JetTerm'> = {
  enter: (_core, thread) => entered(thread, null, null),
  body: (core, e, a) => startTerm(core, e.thread, a.instance, B.JET_bitTermAbrupt),
};

export const JetTerm2 = pass<'JetTerm2'>((core, e, a) => startTerm(core, e.thread, a.instance, a.grbit));

/** ErrTermComplete up to the wait for calls in flight; the grbit is not validated (Errata 8). */
function startTerm(core: Core, thread: string, h: JET_HANDLE, grbit: number): EngineResult<'JetTerm2'> | PendingTerm {
  const p = core.p;
  const inst = findInstance(p, h);
  if (typeof inst === 'number') return fail(inst);
  if (inst.pendingTerm !== null) {
    const id = p.nextWaitId++;
    inst.queuedTerms.push({ id, thread });
    return { pending: id };
  }
  if (!inst.initialized) {
    freeInstance(p, inst);
    return ok();
  }
  // FEnterForTerm = ErrAPIEnter(fTerminating): stop-service and unavailability do not refuse.
  if (inst.forcedRestoreInProgress) return fail(E.JET_errRestoreInProgress);
  if (inst.forcedNotInitialized) return fail(E.JET_errNotInitialized);
  if (inst.termInProgress) return fail(E.JET_errTermInProgress);
  inst.termInProgress = true;
  p.termsInProgress++;
  if (inst.heldCalls > 0) {
    const id = p.nextWaitId++;
    inst.pendingTerm = { id, thread, grbit };
    return { pending: id };
  }
  return completeTerm(core, inst, grbit);
}

/**
 * A term that waited behind the pending one (Instance.queuedTerms): once that term leaves the
 * critical section it has locked the instance's API for termination (jetapi.cxx 20931-20932), so
 * FEnterForTerm answers -1000. Engine (ESENT flavour, JetUpdate held, JetTerm2 waiting, JetTerm
 * started on another thread): the JetTerm waits too, and answers -1000 after the release while the
 * JetTerm2 answers 0. (Had the first term already freed the instance, ESE would answer -1029: a race
 * this model does not take.)
 */
export function queuedTermResult(): EngineResult<'JetTerm'> {
  return fail(E.JET_errTermInProgress);
}

/**
 * The rest of the term, once no call is in flight (ErrIsamTerm, INST::ErrINSTTerm): open
 * transactions stop a clean or abrupt term with -1059 (term-in-progress cleared, instance usable);
 * a dirty term or an unavailable instance goes ahead. Idle sessions are ended, databases detached.
 */
export function completeTerm(core: Core, inst: Instance, grbit: number): EngineResult<'JetTerm2'> {
  const p = core.p;
  inst.pendingTerm = null;
  const errorTerm = inst.unavailableCause !== null || (grbit & B.JET_bitTermDirty) !== 0;
  if (!errorTerm) {
    for (const s of inst.sessions) {
      if (s.level > 0) {
        inst.termInProgress = false;
        p.termsInProgress--;
        return fail(E.JET_errTooManyActiveUsers);
      }
    }
  }
  for (const s of inst.sessions) endForTerm(p, s);
  inst.sessions.clear();
  const dirty = (grbit & B.JET_bitTermDirty) !== 0;
  for (const db of inst.attached) {
    p.dbids.delete(db.dbid);
    db.detach();
    db.dirty = dirty;
  }
  if (dirty) p.dirtyTerms.push([...inst.attached]);
  inst.attached.clear();
  if (inst.tempDbid !== 0) p.dbids.delete(inst.tempDbid); // the temp database goes with the instance
  p.termsInProgress--;
  inst.termInProgress = false;
  freeInstance(p, inst);
  return (grbit & B.JET_bitTermDirty) !== 0 ? fail(E.JET_errDirtyShutdown) : ok();
}

/** PIBTerm: a session ended by the term (its transaction, if any, is lost). */
function endForTerm(p: ProcessState, s: Session): void {
  rollbackAll(p, s, '');
  for (const set of s.cursorsByDb.values()) for (const c of set) finalClose(p, c);
  for (const c of s.temps) finalClose(p, c);
  for (const db of [...s.dbOpens.keys()]) while (s.dbOpens.has(db)) closeDatabaseOnce(p, s, db, false);
  s.context = null;
  p.handles.free(s.handle);
}

export const JetStopService = pass<'JetStopService'>((core) => {
  const p = core.p;
  if (p.mode === 'none') return fail(E.JET_errInvalidParameter);
  if (p.mode === 'multi') return fail(E.JET_errRunningInMultiInstanceMode);
  for (const inst of p.instances) inst.stopService = true;
  return ok();
});

/** The legacy call sets the stop flag without recording a stopped bit (Errata 3). */
export const JetStopServiceInstance = pass<'JetStopServiceInstance'>((core, _e, a) => {
  const found = findInstance(core.p, a.instance);
  if (typeof found === 'number') return fail(found);
  found.stopService = true;
  return ok();
});

const stopAllInternal = 0x1;
const resumable = B.JET_bitStopServiceBackgroundUserTasks | B.JET_bitStopServiceQuiesceCaches;
const userBits = resumable | B.JET_bitStopServiceStopAndEmitLog | B.JET_bitStopServiceResume;

export const JetStopServiceInstance2 = pass<'JetStopServiceInstance2'>((core, _e, a) => {
  const inst = findInstance(core.p, a.instance);
  if (typeof inst === 'number') return fail(inst);
  let grbit = a.grbit >>> 0;
  if ((grbit & ~userBits) !== 0) return fail(E.JET_errInvalidGrbit);
  if ((grbit & B.JET_bitStopServiceResume) !== 0) {
    grbit = grbit & ~B.JET_bitStopServiceResume ? grbit & ~B.JET_bitStopServiceResume : inst.grbitStopped;
    if ((grbit & ~resumable & userBits) !== 0) return fail(E.JET_errInvalidGrbit);
    if ((grbit & ~resumable) !== 0) return fail(E.JET_errClientRequestToStopJetService);
    inst.grbitStopped &= ~grbit;
    return ok();
  }
  if ((grbit & B.JET_bitStopServiceStopAndEmitLog) !== 0) {
    // ErrLGStopAndEmitLog ends with LOG_STREAM::ErrEmitSignalLogEnd (log.cxx 3888-3901,
    // logshadow.cxx 67-72): +2100 when no JET_paramEmitLogDataCallback is set (the suite sets none).
    return grbit === B.JET_bitStopServiceStopAndEmitLog ? { err: E.JET_wrnCallbackNotRegistered } : fail(E.JET_errInvalidGrbit);
  }
  if (grbit === B.JET_bitStopServiceAll) grbit = stopAllInternal | resumable;
  inst.grbitStopped |= grbit;
  if ((grbit & stopAllInternal) !== 0) inst.stopService = true;
  return ok();
});


/** JetBeginSession: APICALL_INST::FEnter (INST::ErrAPIEnter), then the session pool (-1101). */
export const JetBeginSession = pass<'JetBeginSession'>((core, _e, a) => {
  const inst = findInstance(core.p, a.instance);
  if (typeof inst === 'number') return fail(inst);
  const err = apiEnter(core, inst);
  if (err !== 0) return fail(err);
  const s = beginSession(core.p, inst);
  return typeof s === 'number' ? fail(s) : ok({ sesid: s.handle });
});

function apiEnter(core: Core, inst: Instance): JET_ERR {
  if (inst.stopService) return E.JET_errClientRequestToStopJetService;
  if (inst.unavailableCause !== null) return inst.unavailableCode();
  if (inst.forcedRestoreInProgress) return E.JET_errRestoreInProgress;
  if (!inst.initialized || inst.forcedNotInitialized) return E.JET_errNotInitialized;
  return 0;
}

/** ErrIsamBeginSession: a new user session, or -1101 when MaxSessions are in use. */
export function beginSession(p: ProcessState, inst: Instance): Session | JET_ERR {
  if (inst.slotsUsed >= inst.params.maxSessions) return E.JET_errOutOfSessions;
  const s = new Session(inst);
  s.handle = p.handles.issue(s);
  inst.sessions.add(s);
  inst.slotsUsed++;
  return s;
}
