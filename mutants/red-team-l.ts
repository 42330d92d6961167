/**
 * Red team L: an independent implementation (docs/mutants.md, "Red team L"). The gaps that the
 * mutation campaign on examples/python-adapter/model.py (mutants/python/) found, written again as
 * bugs of the reference, so the kill matrix keeps them killed:
 * - doc "all resources related to this session are cleaned up": the lock of a cursor closed inside
 *   the ending transaction after it wrote (defer-closed, Errata 7) survived the end in the documented
 *   tier (only esent scenarios closed such a cursor before the end);
 * - Errata 7, the same lock released by a JetRollback to level 0 before the end: a rollback that keeps
 *   it was seen only by an esent regression scenario (the end's whole state after it, in no tier);
 * - JetTerm ends idle sessions only (source notes, JetTerm: -1059 with a transaction open): a term
 *   that rolls the open transactions back and ends every session was not seen by any scenario
 *   without the threads and in-flight capabilities.
 */
import type { OpTable } from '../oracle/api';
import { createReferenceImplementation } from '../adapters/reference';
import type { Implementation } from '../adapters/types';
import { makeJetEndSession, referenceEndSession, rollbackTransaction, type EndSessionPlan, type EndSessionStep } from '../oracle/endsession';
import { findInstance } from '../oracle/entry';
import { JetTerm2 } from '../oracle/lifecycle';
import type { Session } from '../oracle/session';
import { JetRollback } from '../oracle/sessionops';
import type { Table } from '../oracle/table';
import { rollbackAll } from '../oracle/transaction';
import type { MutantSpec } from './types';
import { both, made, type MutantOptions } from './entries';
import { plan, replace } from './engine-plans';

const ref = referenceEndSession;

/** The reference with some operations (JetEndSession's plan among them, when given) replaced. */
function engine(ops: Partial<OpTable>, endPlan: EndSessionPlan | null, options: MutantOptions): Implementation {
  const all: Partial<OpTable> = endPlan === null ? ops : { ...ops, JetEndSession: makeJetEndSession(endPlan) };
  return createReferenceImplementation({ engine: { ops: all }, ...(options?.target === undefined ? {} : { target: options.target }) });
}

/**
 * The end's rollback finishes the deferred closes but the table locks they held are released only
 * by JetCommitTransaction and JetRollback (the paths that implementer wrote the release in): the
 * DenyRead and DenyWrite counts of a defer-closed cursor's table stay.
 */
const rollbackKeepingDeferredLocks: EndSessionStep = (core, s, thread) => {
  const kept = deferredLocks(s);
  const err = rollbackTransaction(core, s, thread);
  if (err !== 0) return err;
  relock(s, kept);
  return 0;
};

interface KeptLock {
  readonly t: Table;
  readonly denyRead: boolean;
  readonly denyWrite: boolean;
}

/** The locks the session's defer-closed cursors hold. */
function deferredLocks(s: Session): KeptLock[] {
  const kept: KeptLock[] = [];
  for (const c of s.deferred) if (c.denyRead || c.denyWrite) kept.push({ t: c.table, denyRead: c.denyRead, denyWrite: c.denyWrite });
  return kept;
}

/** Takes the locks again after the deferred closes released them: a leak on the tables. */
function relock(s: Session, kept: readonly KeptLock[]): void {
  for (const k of kept) {
    if (k.denyRead) {
      k.t.denyReadCount++;
      k.t.denyReadBy = s;
    }
    if (k.denyWrite) k.t.denyWriteCount++;
  }
}

/** JetRollback to level 0 finishes the deferred closes but keeps their locks (the release is written in the end's path only). */
const rollbackOpKeepingDeferredLocks: OpTable['JetRollback'] = {
  enter: (core, thread, a) => JetRollback.enter(core, thread, a),
  body(core, e, a) {
    const s = e.s as Session;
    const kept = deferredLocks(s);
    const r = JetRollback.body(core, e, a);
    if (!('pending' in r) && r.err === 0 && s.level === 0) relock(s, kept);
    return r;
  },
};

/** JetTerm2 that rolls every open transaction of the instance back first, so no term is refused with -1059. */
const termRollingBack: OpTable['JetTerm2'] = {
  enter: (core, thread, a) => JetTerm2.enter(core, thread, a),
  body(core, e, a) {
    const inst = findInstance(core.p, a.instance);
    if (typeof inst !== 'number' && inst.initialized) for (const s of inst.sessions) rollbackAll(core.p, s, e.thread);
    return JetTerm2.body(core, e, a);
  },
};

export const redTeamLMutants: readonly MutantSpec[] = [
  made('end-keeps-deferred-locks', 'the end\'s rollback finishes the deferred closes of cursors that wrote in the ending transaction but keeps their DenyRead and DenyWrite locks on the tables',
    both(['ES-CURSORS-CLOSED']), (o) => engine({}, plan({ cleanup: replace(ref.cleanup, rollbackTransaction, rollbackKeepingDeferredLocks) }), o)),
  made('rollback-keeps-deferred-locks', 'JetRollback to level 0 finishes the deferred closes of cursors that wrote in the transaction but keeps their DenyRead and DenyWrite locks on the tables (the end later leaves them too)',
    both(['ES-CURSORS-CLOSED']), (o) => engine({ JetRollback: rollbackOpKeepingDeferredLocks }, null, o)),
  made('term-rolls-back-open-transactions', 'JetTerm2 rolls back the open transactions of the instance and ends every session instead of answering JET_errTooManyActiveUsers',
    both(['ES-AFTER-TERM']), (o) => engine({ JetTerm2: termRollingBack }, null, o)),
];
