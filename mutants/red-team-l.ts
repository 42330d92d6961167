/**
 * Red team L: an independent implementation (docs/mutants.md, "Red team L"). The gaps that the
 * mutation campaign on examples/python-adapter/model.py (mutants/python/) found, written again as
 * bugs of the reference, so the kill matrix keeps them killed:
 * - doc "all resources related to this session are cleaned up": the lock of a cursor closed inside
 *   the ending transaction after it wrote (defer-closed, Errata 7) survived the end in the documented
 *   tier (only esent scenarios closed such a cursor before the end);
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
  const kept: { t: Table; denyRead: boolean; denyWrite: boolean }[] = [];
  for (const c of s.deferred) if (c.denyRead || c.denyWrite) kept.push({ t: c.table, denyRead: c.denyRead, denyWrite: c.denyWrite });
  const err = rollbackTransaction(core, s, thread);
  if (err !== 0) return err;
  for (const k of kept) {
    if (k.denyRead) {
      k.t.denyReadCount++;
      k.t.denyReadBy = s;
    }
    if (k.denyWrite) k.t.denyWriteCount++;
  }
  return 0;
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
  made('term-rolls-back-open-transactions', 'JetTerm2 rolls back the open transactions of the instance and ends every session instead of answering JET_errTooManyActiveUsers',
    both(['ES-AFTER-TERM']), (o) => engine({ JetTerm2: termRollingBack }, null, o)),
];
