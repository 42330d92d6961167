/**
 * Session APIs other than JetEndSession: JetDupSession, session contexts and transactions
 * (ese-source-notes.md §5; tm.cxx ErrIsamBeginTransaction/CommitTransaction/Rollback; Errata 4-6).
 */
import { JET_bits as B, JET_errors as E, levelUserMost } from '../api/codes';
import type { OpImpl } from './api';
import { fail, ok } from './api';
import { enterSesid } from './entry';
import { beginSession } from './lifecycle';
import type { Session } from './session';
import { beginTransaction, commitLevel, rollbackLevel, trxContextOk } from './transaction';

export const JetDupSession: OpImpl<'JetDupSession'> = {
  enter: (core, thread, a) => enterSesid(core, thread, a.sesid, false),
  body: (core, e) => {
    const s = beginSession(core.p, (e.s as Session).instance);
    return typeof s === 'number' ? fail(s) : ok({ sesid: s.handle });
  },
};

/** 0 and all ones (-1; 2^64 as a rounded double) are reserved (pib.hxx dwPIBSessionContextNull/Unusable). */
function reservedContext(context: number): boolean {
  return context === 0 || context === -1 || context === 2 ** 64;
}

export const JetSetSessionContext: OpImpl<'JetSetSessionContext'> = {
  enter: (core, thread, a) => enterSesid(core, thread, a.sesid, false),
  body: (_core, e, a) => {
    const s = e.s as Session;
    if (reservedContext(a.context)) return fail(E.JET_errInvalidParameter);
    if (s.context !== null) return fail(E.JET_errSessionContextAlreadySet);
    s.context = { value: a.context, thread: e.thread };
    return ok();
  },
};

export const JetResetSessionContext: OpImpl<'JetResetSessionContext'> = {
  enter: (core, thread, a) => enterSesid(core, thread, a.sesid, true),
  body: (_core, e) => {
    const s = e.s as Session;
    if (s.context === null || s.context.thread !== e.thread) return fail(E.JET_errSessionContextNotSetByThisThread);
    s.context = null;
    return ok();
  },
};

/** Only JET_bitTransactionReadOnly is honoured, and only at level 0 (Errata 4). */
function begin(readOnlyBit: number): OpImpl<'JetBeginTransaction2'>['body'] {
  return (core, e, a) => {
    const s = e.s as Session;
    if (s.level >= levelUserMost) return fail(E.JET_errTransTooDeep);
    if (s.rollbackFailure !== 0) return fail(E.JET_errRollbackError);
    if (s.level > 0 && !trxContextOk(s, e.thread, 'thread')) return fail(E.JET_errSessionSharingViolation);
    beginTransaction(core.p, s, e.thread, ((a.grbit >>> 0) & readOnlyBit) !== 0);
    return ok();
  };
}

export const JetBeginTransaction2: OpImpl<'JetBeginTransaction2'> = {
  enter: (core, thread, a) => enterSesid(core, thread, a.sesid, false),
  body: begin(B.JET_bitTransactionReadOnly),
};

export const JetBeginTransaction: OpImpl<'JetBeginTransaction'> = {
  enter: (core, thread, a) => enterSesid(core, thread, a.sesid, false),
  body: (core, e, a) => begin(0)(core, e, { sesid: a.sesid, grbit: 0 }),
};

const commitBits =
  B.JET_bitCommitLazyFlush | B.JET_bitWaitLastLevel0Commit | B.JET_bitWaitAllLevel0Commit | B.JET_bitForceNewLog | B.JET_bitCommitRedoCallback;

/** The grbit is validated before the level (Errata 4); the flush-only bits commit nothing. */
export const JetCommitTransaction: OpImpl<'JetCommitTransaction'> = {
  enter: (core, thread, a) => enterSesid(core, thread, a.sesid, false),
  body: (core, e, a) => {
    const s = e.s as Session;
    const grbit = a.grbit >>> 0;
    if ((grbit & ~commitBits) !== 0) return fail(E.JET_errInvalidGrbit);
    for (const alone of [B.JET_bitForceNewLog, B.JET_bitWaitAllLevel0Commit, B.JET_bitWaitLastLevel0Commit]) {
      if ((grbit & alone) !== 0) return grbit === alone ? ok() : fail(E.JET_errInvalidGrbit);
    }
    if (s.level === 0) return fail(E.JET_errNotInTransaction);
    if (!trxContextOk(s, e.thread, 'thread')) return fail(E.JET_errSessionSharingViolation);
    commitLevel(core.p, s);
    return ok();
  },
};

/** JetRollback ignores StopService; without RollbackAll only one level is undone. */
export const JetRollback: OpImpl<'JetRollback'> = {
  enter: (core, thread, a) => enterSesid(core, thread, a.sesid, true),
  body: (core, e, a) => {
    const s = e.s as Session;
    const grbit = a.grbit >>> 0;
    if ((grbit & ~(B.JET_bitRollbackAll | B.JET_bitRollbackRedoCallback)) !== 0) return fail(E.JET_errInvalidGrbit);
    if (s.level === 0) return fail(E.JET_errNotInTransaction);
    do {
      const err = rollbackLevel(core.p, s, e.thread, 'thread', null);
      if (err !== 0) return fail(err);
    } while ((grbit & B.JET_bitRollbackAll) !== 0 && s.level > 0);
    return ok();
  },
};
