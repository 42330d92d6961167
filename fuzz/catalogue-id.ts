/**
 * Which catalogue ID a finding bears on, read from its trace: the diverging operation first,
 * then what the run did before it. The catalogue only has JetEndSession outcomes, so:
 * a divergence of JetEndSession itself maps by its handle and code; one after a JetEndSession
 * maps to the postcondition it breaks (slot freed, cursors/sorts/databases closed, rolled back,
 * committed kept, others untouched); one in the rest of the life cycle maps by its code and
 * operation. What matches nothing falls back to ES-SUCCESS-IDLE: every scenario of the catalogue
 * is built on the plain life cycle (instance, session, work, end), and a divergence there breaks
 * its most basic case first. The promoter reviews the choice (docs/fuzzing.md).
 */
import { JET_bits as B, JET_errors as E } from '../api/codes';
import { isRoleRef, type HandleRef, type SymCall } from './roles';
import type { TraceStep } from './trace';

export interface CatalogueChoice {
  readonly id: string;
  /** One line: why this ID. */
  readonly why: string;
}

interface SessionFacts {
  level: number;
  /** The deepest level its transaction reached. */
  deepest: number;
  context: boolean;
  trxUnderContext: boolean;
  ended?: 'end' | 'term';
  /** The level it had when it was ended. */
  endedAtLevel?: number;
  endedUnderContext?: boolean;
  /** Cursors it opened. */
  readonly cursors: Set<string>;
}

/** What the steps before the divergence did, as far as the choice needs it. */
class Facts {
  readonly sessions = new Map<string, SessionFacts>();
  stopService = false;
  undoFault = false;
  closeFault = false;
  held = false;
  endedOne: SessionFacts | undefined;
  /** Sessions that were inside a transaction when another session was ended. */
  readonly othersInTrx = new Set<string>();
  /** Sessions whose JetEndSession failed while a clean-up fault was armed. */
  readonly failedCleanup = new Set<string>();

  session(name: string): SessionFacts {
    let s = this.sessions.get(name);
    if (!s) {
      s = { level: 0, deepest: 0, context: false, trxUnderContext: false, cursors: new Set() };
      this.sessions.set(name, s);
    }
    return s;
  }

  learn(step: TraceStep): void {
    if (step.kind === 'inject') {
      if (step.fault.step === 'undo') this.undoFault = true;
      else this.closeFault = true;
      return;
    }
    if (step.kind === 'hold' || step.kind === 'start') this.held = true;
    if (step.kind !== 'call' && step.kind !== 'release') return;
    if (step.kind === 'call' && step.save?.out === 'sesid') this.session(step.save.as);
    const { call, err } = step;
    const dirtyTerm = (call.op === 'JetTerm' || call.op === 'JetTerm2') && err === E.JET_errDirtyShutdown;
    if (err < 0 && call.op === 'JetEndSession' && (this.closeFault || this.undoFault) && isRoleRef((call.args as { sesid?: unknown }).sesid)) {
      this.failedCleanup.add(((call.args as { sesid: { role: string } }).sesid).role);
    }
    if (err < 0 && !dirtyTerm) return;
    const a = call.args as Record<string, unknown>;
    const ses = isRoleRef(a.sesid) ? this.session(a.sesid.role) : undefined;
    if (step.kind === 'call' && step.save?.out === 'tableid' && ses) ses.cursors.add(step.save.as);
    switch (call.op) {
      case 'JetStopService':
      case 'JetStopServiceInstance':
      case 'JetStopServiceInstance2':
        this.stopService = true;
        return;
      case 'JetBeginTransaction':
      case 'JetBeginTransaction2':
        if (ses) {
          if (ses.level === 0) ses.trxUnderContext = ses.context;
          ses.level++;
          ses.deepest = Math.max(ses.deepest, ses.level);
        }
        return;
      case 'JetCommitTransaction':
        if (ses && ses.level > 0 && ((a.grbit as number) & ~B.JET_bitCommitLazyFlush) === 0) ses.level--;
        return;
      case 'JetRollback':
        if (ses) ses.level = ((a.grbit as number) & B.JET_bitRollbackAll) !== 0 ? 0 : Math.max(0, ses.level - 1);
        return;
      case 'JetSetSessionContext':
        if (ses) ses.context = true;
        return;
      case 'JetResetSessionContext':
        if (ses) ses.context = false;
        return;
      case 'JetEndSession':
        if (ses) {
          ses.ended = 'end';
          ses.endedAtLevel = ses.level;
          ses.endedUnderContext = ses.trxUnderContext;
          this.endedOne = ses;
          for (const [name, other] of this.sessions) if (other !== ses && other.ended === undefined && other.level > 0) this.othersInTrx.add(name);
        }
        return;
      case 'JetTerm':
      case 'JetTerm2':
        for (const s of this.sessions.values()) s.ended ??= 'term';
        return;
      default:
        return;
    }
  }
}

function opAndCall(step: TraceStep): SymCall | undefined {
  return step.kind === 'call' || step.kind === 'hold' || step.kind === 'release' || step.kind === 'start' || step.kind === 'returned' ? step.call : undefined;
}

/** The code the reference gave on the diverging step, when it gave one. */
function expectedCode(step: TraceStep): number | undefined {
  return step.kind === 'call' || step.kind === 'release' || step.kind === 'returned' ? step.err : undefined;
}

const dataOps = new Set(['JetMove', 'JetRetrieveColumn', 'JetUpdate', 'JetDelete', 'JetPrepareUpdate', 'JetSetColumn']);

export function chooseCatalogueId(trace: readonly TraceStep[]): CatalogueChoice {
  const facts = new Facts();
  for (const step of trace.slice(0, -1)) facts.learn(step);
  const last = trace[trace.length - 1];
  const actual = last.divergence?.actual ?? '';
  if (last.kind === 'inject') {
    if (last.fault.step !== 'undo') return { id: 'ES-CLEANUP-FAILURE-LEAVES-SESSION', why: 'a close fault could not be injected' };
    return undoFaultId(last.fault.err, 'an undo fault could not be injected');
  }
  if (last.kind === 'force') return { id: 'ES-INSTANCE-UNAVAILABLE', why: 'the instance could not be forced into a fatal error' };
  const call = opAndCall(last);
  if (last.kind === 'waiting' || (call !== undefined && (call.op === 'JetTerm' || call.op === 'JetTerm2') && facts.held)) {
    return { id: 'ES-TERM-IN-PROGRESS', why: 'a term waiting for calls in flight behaves differently' };
  }
  if (call === undefined) return { id: 'ES-SUCCESS-IDLE', why: 'general: a divergence in the life cycle every scenario builds on' };
  const err = expectedCode(last);
  const a = call.args as Record<string, unknown>;
  const sesid = a.sesid as HandleRef | undefined;
  const code = (c: number) => err === c || actual.includes(`(${c})`);
  /** The first rule whose codes the reference gave; failing that, the first the implementation gave. */
  const byCode = (rules: readonly (readonly [readonly number[], () => CatalogueChoice])[]): CatalogueChoice | undefined => {
    for (const match of [(c: number) => err === c, (c: number) => actual.includes(`(${c})`)]) {
      for (const [codes, choose] of rules) if (codes.some(match)) return choose();
    }
    return undefined;
  };

  if (call.op === 'JetEndSession') {
    if (!isRoleRef(sesid)) return { id: 'ES-INVALID-SESID', why: 'JetEndSession on a forged handle' };
    const s = facts.sessions.get(sesid.role);
    if (s === undefined) return { id: 'ES-INVALID-SESID', why: `JetEndSession on ${sesid.role}, which is not a session handle` };
    if (s.ended === 'end') return { id: 'ES-HANDLE-CLOSED', why: `JetEndSession on ${sesid.role}, already ended` };
    if (s.ended === 'term') return { id: 'ES-AFTER-TERM', why: `JetEndSession on ${sesid.role}, ended by JetTerm` };
    const byEntry = byCode([
      [[E.JET_errSessionInUse], () => ({ id: 'ES-SESSION-IN-USE', why: 'JetEndSession with a session context set' })],
      [[E.JET_errSessionSharingViolation], () => ({ id: 'ES-SHARING-VIOLATION', why: "JetEndSession from another thread than the transaction's, or with a call in flight" })],
      [[E.JET_errTermInProgress], () => ({ id: 'ES-TERM-IN-PROGRESS', why: 'JetEndSession while a term is in progress' })],
      [
        [E.JET_errInstanceUnavailable, E.JET_errInstanceUnavailableDueToFatalLogDiskFull],
        () =>
          facts.undoFault
            ? { id: 'ES-UNDO-FAILURE-FATAL', why: 'JetEndSession after an undo failure took the instance down' }
            : { id: 'ES-INSTANCE-UNAVAILABLE', why: 'JetEndSession on an unavailable instance' },
      ],
    ]);
    if (byEntry !== undefined) return byEntry;
    if (err !== undefined && err < 0 && facts.undoFault && s.level > 0) return undoFaultId(err, 'JetEndSession with an undo fault injected');
    if (err !== undefined && err < 0 && facts.closeFault) return { id: 'ES-CLEANUP-FAILURE-LEAVES-SESSION', why: 'JetEndSession with a close fault injected' };
    if (facts.stopService || code(E.JET_errClientRequestToStopJetService)) return { id: 'ES-STOP-SERVICE', why: 'JetEndSession after stop-service' };
    const grbit = (a.grbit as number) >>> 0;
    if (grbit !== 0 && grbit !== B.JET_bitForceSessionClosed) return { id: 'ES-GRBIT-UNKNOWN', why: `JetEndSession with the unknown grbit 0x${grbit.toString(16)}` };
    if (s.level > 0 && s.trxUnderContext && !s.context) return { id: 'ES-CONTEXT-MIGRATED-TRX', why: 'JetEndSession of a transaction begun under a context since reset' };
    if (s.level > 1) return { id: 'ES-ROLLBACK-NESTED', why: `JetEndSession with a level ${s.level} transaction` };
    if (s.level === 1) return { id: 'ES-ROLLBACK-LEVEL1', why: 'JetEndSession with a level 1 transaction' };
    return { id: 'ES-SUCCESS-IDLE', why: 'JetEndSession of a session with no transaction' };
  }

  if (isRoleRef(sesid) && facts.failedCleanup.has(sesid.role)) {
    return facts.undoFault
      ? { id: 'ES-UNDO-FAILURE-FATAL', why: `${call.op} with ${sesid.role}, whose JetEndSession failed in its clean-up` }
      : { id: 'ES-CLEANUP-FAILURE-LEAVES-SESSION', why: `${call.op} with ${sesid.role}, whose JetEndSession failed in its clean-up` };
  }
  const ended = facts.endedOne;
  if (ended !== undefined) {
    if (isRoleRef(sesid) && facts.sessions.get(sesid.role)?.ended === 'end') return { id: 'ES-HANDLE-CLOSED', why: `${call.op} with ${sesid.role}, ended by JetEndSession` };
    const tableid = a.tableid as HandleRef | undefined;
    if (isRoleRef(tableid) && [...facts.sessions.values()].some((s) => s.ended === 'end' && s.cursors.has(tableid.role))) {
      return { id: 'ES-CURSORS-CLOSED', why: `${call.op} with ${tableid.role}, a cursor of an ended session` };
    }
    if (call.op === 'JetBeginSession' || call.op === 'JetDupSession') return { id: 'ES-SESSION-SLOT-FREED', why: `${call.op} after a JetEndSession` };
    if (call.op === 'JetOpenTable') return { id: 'ES-CURSORS-CLOSED', why: 'JetOpenTable after a JetEndSession' };
    if (call.op === 'JetOpenTempTable') return { id: 'ES-SORTS-CLOSED', why: 'JetOpenTempTable after a JetEndSession' };
    if (call.op === 'JetOpenDatabase' || call.op === 'JetAttachDatabase' || call.op === 'JetCloseDatabase') return { id: 'ES-DATABASES-CLOSED', why: `${call.op} after a JetEndSession` };
    if (isRoleRef(sesid) && facts.othersInTrx.has(sesid.role)) return { id: 'ES-OTHER-SESSIONS-UNTOUCHED', why: `${call.op} of ${sesid.role}, in a transaction when another session was ended` };
    if (dataOps.has(call.op)) {
      const level = ended.endedAtLevel ?? 0;
      if (level > 1) return { id: 'ES-ROLLBACK-NESTED', why: `${call.op} sees data after a JetEndSession of a level ${level} transaction` };
      if (level === 1) return { id: 'ES-ROLLBACK-LEVEL1', why: `${call.op} sees data after a JetEndSession of a level 1 transaction` };
      return { id: 'ES-COMMITTED-KEPT', why: `${call.op} sees data after a JetEndSession` };
    }
    return { id: 'ES-OTHER-SESSIONS-UNTOUCHED', why: `${call.op} of another session after a JetEndSession` };
  }

  const byLifeCycle = byCode([
    [[E.JET_errOutOfSessions], () => ({ id: 'ES-SESSION-SLOT-FREED', why: `${call.op} at the session limit` })],
    [[E.JET_errClientRequestToStopJetService], () => ({ id: 'ES-STOP-SERVICE', why: `${call.op} after stop-service` })],
    [[E.JET_errTermInProgress], () => ({ id: 'ES-TERM-IN-PROGRESS', why: `${call.op} while a term is in progress` })],
    [[E.JET_errSessionSharingViolation], () => ({ id: 'ES-SHARING-VIOLATION', why: `${call.op} on a session bound to another thread or in use` })],
    [[E.JET_errSessionInUse, E.JET_errSessionContextAlreadySet, E.JET_errSessionContextNotSetByThisThread], () => ({ id: 'ES-SESSION-IN-USE', why: `${call.op}: session contexts` })],
    [
      [E.JET_errInstanceUnavailable, E.JET_errInstanceUnavailableDueToFatalLogDiskFull],
      () => (facts.undoFault ? { id: 'ES-UNDO-FAILURE-FATAL', why: `${call.op} after an undo failure` } : { id: 'ES-INSTANCE-UNAVAILABLE', why: `${call.op} on an unavailable instance` }),
    ],
  ]);
  if (byLifeCycle !== undefined) return byLifeCycle;
  if (facts.stopService) return { id: 'ES-STOP-SERVICE', why: `${call.op} after stop-service` };
  if (call.op === 'JetSetSessionContext' || call.op === 'JetResetSessionContext') return { id: 'ES-SESSION-IN-USE', why: `${call.op}: session contexts` };
  if (call.op === 'JetTerm' || call.op === 'JetTerm2') return { id: 'ES-AFTER-TERM', why: `${call.op} ending the sessions of the instance` };
  if (isRoleRef(sesid) && facts.sessions.get(sesid.role)?.ended === 'term') return { id: 'ES-AFTER-TERM', why: `${call.op} with ${sesid.role}, ended by JetTerm` };
  if (code(E.JET_errInvalidSesid)) return { id: 'ES-INVALID-SESID', why: `${call.op}: session handle validation` };
  if (call.op === 'JetOpenTable') return { id: 'ES-CURSORS-CLOSED', why: 'JetOpenTable: table locks' };
  if (call.op === 'JetOpenTempTable') return { id: 'ES-SORTS-CLOSED', why: 'JetOpenTempTable: the temp-table quota' };
  if (call.op === 'JetOpenDatabase') return { id: 'ES-DATABASES-CLOSED', why: 'JetOpenDatabase: database opens' };
  if (call.op === 'JetBeginSession') return { id: 'ES-SESSION-SLOT-FREED', why: 'JetBeginSession: the session pool' };
  return { id: 'ES-SUCCESS-IDLE', why: `general: ${call.op} diverges in the life cycle every scenario builds on` };
}

function undoFaultId(err: number, why: string): CatalogueChoice {
  if (err === E.JET_errOutOfMemory) return { id: 'ES-CLEANUP-OOM', why };
  if (err === E.JET_errOutOfBuffers) return { id: 'ES-CLEANUP-OUT-OF-BUFFERS', why };
  return { id: 'ES-UNDO-FAILURE-FATAL', why };
}
