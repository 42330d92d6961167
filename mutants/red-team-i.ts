/**
 * Bugs found by Stryker over the neighbours (red team I): the oracle files JetEndSession's path
 * reaches but the official score does not mutate (sort, dbops, inflight, table, lifecycle, dml,
 * sessionops, navigate, records, params). A mutant that survived there and changes an observable
 * postcondition of an outcome ID is written again here as the bug an implementation would have, so
 * the kill matrix proves the scenario that closed the gap keeps killing it (docs/mutants.md,
 * "Stryker over the neighbours"). Each violates one postcondition and does everything else as the
 * reference does.
 */
import type { OpTable } from '../oracle/api';
import { fail } from '../oracle/api';
import { JET_errors as E } from '../api';
import { createReferenceImplementation } from '../adapters/reference';
import type { Implementation } from '../adapters/types';
import { makeJetEndSession, referenceEndSession, rollbackTransaction, type EndSessionCheck, type EndSessionPlan, type EndSessionStep } from '../oracle/endsession';
import { findInstance } from '../oracle/entry';
import { JetStopServiceInstance } from '../oracle/lifecycle';
import type { Instance } from '../oracle/instance';
import { Rec } from '../oracle/records';
import type { Session } from '../oracle/session';
import type { Table } from '../oracle/table';
import type { MutantSpec } from './types';
import { both, made, type MutantOptions } from './entries';
import { plan, replace } from './engine-plans';

const ref = referenceEndSession;

/** The reference with some operations (JetEndSession's plan among them, when given) replaced. */
function engine(ops: Partial<OpTable>, endPlan: EndSessionPlan | null, options: MutantOptions): Implementation {
  const all: Partial<OpTable> = endPlan === null ? ops : { ...ops, JetEndSession: makeJetEndSession(endPlan) };
  return createReferenceImplementation({ engine: { ops: all }, ...(options?.target === undefined ? {} : { target: options.target }) });
}

// ---- The legacy JetStopServiceInstance (lifecycle.ts: no scenario called it) ------------------------

/** Instances stopped through the legacy call, per engine (an instance belongs to one engine). */
const legacyStopped = new WeakSet<Instance>();

/** The legacy JetStopServiceInstance as the reference does it, with the instance noted. */
const legacyStopNoted: OpTable['JetStopServiceInstance'] = {
  enter: (core, thread, a) => JetStopServiceInstance.enter(core, thread, a),
  body(core, e, a) {
    const r = JetStopServiceInstance.body(core, e, a);
    const inst = findInstance(core.p, a.instance);
    if (!('pending' in r) && r.err === 0 && typeof inst !== 'number') legacyStopped.add(inst);
    return r;
  },
};

/** JetEndSession ignores only JetStopServiceInstance2(All)'s stop: after the legacy call it refuses (-1329) and changes nothing. */
const refusedAfterLegacyStop: EndSessionCheck = (_p, s) => (legacyStopped.has(s.instance) ? E.JET_errClientRequestToStopJetService : 0);

/** The legacy JetStopServiceInstance answers 0 and stops nothing: sessions still begin on the instance. */
const legacyStopStopsNothing: OpTable['JetStopServiceInstance'] = {
  enter: (core, thread, a) => JetStopServiceInstance.enter(core, thread, a),
  body(core, _e, a) {
    const inst = findInstance(core.p, a.instance);
    return typeof inst === 'number' ? fail(inst) : { err: 0 };
  },
};

// ---- A column added to a committed table inside the ending transaction (dbops.ts JetAddColumn) -------

/** Tables the session's open transaction created (their columns go with them). */
function createdBy(s: Session): Set<Table> {
  const made = new Set<Table>();
  for (let level = 1; level <= s.level; level++) for (const u of s.frames[level]?.undo ?? []) if (!(u instanceof Rec) && u.kind === 'create-table') made.add(u.table);
  return made;
}

/**
 * The end's rollback, with the undo of a JetAddColumn on a table committed before changed by `change`
 * (its undo entry kept, dropped or replaced); every other entry as the reference undoes it.
 */
function rollbackWithColumnUndo(change: 'kept' | 'drops-table'): EndSessionStep {
  return (core, s, thread) => {
    const made = createdBy(s);
    for (let level = 1; level <= s.level; level++) {
      const f = s.frames[level];
      if (f === undefined) continue;
      f.undo = f.undo.flatMap((u) => {
        if (u instanceof Rec || u.kind !== 'add-column' || made.has(u.table)) return [u];
        if (change === 'kept') {
          u.column.uncommittedBy = null;
          return [];
        }
        return [{ kind: 'create-table' as const, table: u.table }];
      });
    }
    return rollbackTransaction(core, s, thread);
  };
}

// ---- The catalogue entries -------------------------------------------------------------------------

/** Every bug written by red team I, registered or not (the scratch runs take them from here). */
export const redTeamICandidates: readonly MutantSpec[] = [
  made('end-refused-after-legacy-stop', 'JetEndSession ignores the stop of JetStopServiceInstance2(All) only: after the legacy JetStopServiceInstance it answers JET_errClientRequestToStopJetService and changes nothing',
    { esent: ['ES-STOP-SERVICE'] }, (o) => engine({ JetStopServiceInstance: legacyStopNoted }, plan({ entry: [...ref.entry, refusedAfterLegacyStop] }), o),
    'documented: after a stop the doc allows JET_errClientRequestToStopJetService with nothing changed'),
  made('legacy-stop-stops-nothing', 'the legacy JetStopServiceInstance answers 0 and sets no stop: after it JetBeginSession still begins sessions on the instance',
    both(['ES-STOP-SERVICE']), (o) => engine({ JetStopServiceInstance: legacyStopStopsNothing }, null, o)),
  made('end-keeps-column-added-to-committed-table', 'the end rolls back a JetAddColumn only with the table created in the same transaction: a column added to a table committed before stays, committed',
    both(['ES-ROLLBACK-LEVEL1']), (o) => engine({}, plan({ cleanup: replace(ref.cleanup, rollbackTransaction, rollbackWithColumnUndo('kept')) }), o)),
  made('end-undo-of-added-column-drops-table', 'the undo entry of a JetAddColumn on a committed table is logged as the table\'s creation: the end drops the whole table, its committed records with it',
    both(['ES-ROLLBACK-LEVEL1']), (o) => engine({}, plan({ cleanup: replace(ref.cleanup, rollbackTransaction, rollbackWithColumnUndo('drops-table')) }), o)),
];

/** The ones the catalogue registers: those no scenario killed before red team I's scenarios. */
const registered: ReadonlySet<string> = new Set<string>(['end-refused-after-legacy-stop', 'legacy-stop-stops-nothing', 'end-keeps-column-added-to-committed-table', 'end-undo-of-added-column-drops-table']);
export const redTeamIMutants: readonly MutantSpec[] = redTeamICandidates.filter((m) => registered.has(m.name));
