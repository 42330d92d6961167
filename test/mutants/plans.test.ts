/**
 * Every JetEndSession plan of mutants/engine-plans.ts changes an observable outcome at its point,
 * and the reference plan keeps ESENT's behaviour. Each probe returns a string of what it observed.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { makeJetEndSession } from '../../oracle/endsession';
import { plans, type PlanName } from '../../mutants/engine-plans';
import { B, E, Fixture, K, must } from '../oracle/fixture';

type Probe = (f: Fixture) => string;

function inTrx(f: Fixture, thread = 't1') {
  const s = f.session();
  const dbid = f.database(s);
  f.table(s, dbid, [1]);
  const t = f.open(s, dbid);
  must(f.e.JetBeginTransaction(thread, s));
  f.insert(s, t, 2, thread);
  return { s, t, dbid };
}

const probes: Record<PlanName, { readonly probe: Probe; readonly reference: string; readonly variant: string; readonly options?: object }> = {
  skipRollbackAtEnd: {
    probe: (f) => {
      const { s } = inTrx(f);
      return `${f.e.JetEndSession('t2', s, 0).err} ${f.committed().join(',')}`;
    },
    reference: `${E.JET_errSessionSharingViolation} 1`,
    variant: '0 1,2',
  },
  rollbackInnermostOnly: {
    probe: (f) => {
      const { s, t } = inTrx(f);
      must(f.e.JetBeginTransaction('t1', s));
      f.insert(s, t, 3);
      return `${f.e.JetEndSession('t1', s, 0).err} ${f.committed().join(',')}`;
    },
    reference: '0 1',
    variant: '0 1,2',
  },
  commitInsteadOfRollback: {
    probe: (f) => {
      const { s } = inTrx(f);
      return `${f.e.JetEndSession('t1', s, 0).err} ${f.committed().join(',')}`;
    },
    reference: '0 1',
    variant: '0 1,2',
  },
  handleValidAfterEnd: {
    probe: (f) => {
      const s = f.session();
      return `${f.e.JetEndSession('t1', s, 0).err} ${f.e.JetEndSession('t1', s, 0).err}`;
    },
    reference: `0 ${E.JET_errInvalidSesid}`,
    variant: '0 0',
  },
  leakSessionSlot: {
    options: { maxSessions: 1 },
    probe: (f) => {
      must(f.e.JetEndSession('t1', f.session(), 0));
      return String(f.e.JetBeginSession('t1', f.inst, '', '').err);
    },
    reference: '0',
    variant: String(E.JET_errOutOfSessions),
  },
  leaveCursorsOpen: {
    probe: (f) => {
      const s = f.session();
      const dbid = f.database(s);
      f.table(s, dbid, [1]);
      f.open(s, dbid, B.JET_bitTableDenyRead);
      must(f.e.JetEndSession('t1', s, 0));
      const o = f.session();
      const od = must(f.e.JetOpenDatabase('t1', o, 'db1', 0)).dbid as number;
      return String(f.e.JetOpenTable('t1', o, od, 't', 0).err);
    },
    reference: '0',
    variant: String(E.JET_errTableLocked),
  },
  leaveTempTablesOpen: {
    options: { maxTemporaryTables: 1 },
    probe: (f) => {
      // A key column: the temp table stays a sort, which holds a MaxTemporaryTables slot.
      const cols = [{ coltyp: K.JET_coltypLong, grbit: B.JET_bitColumnTTKey }];
      const s = f.session();
      must(f.e.JetOpenTempTable('t1', s, cols, 0));
      must(f.e.JetEndSession('t1', s, 0));
      return String(f.e.JetOpenTempTable('t1', f.session(), cols, 0).err);
    },
    reference: '0',
    variant: String(E.JET_errTooManySorts),
  },
  leaveDatabasesOpen: {
    probe: (f) => {
      const s = f.session();
      f.database(s, 'db1', B.JET_bitDbExclusive);
      must(f.e.JetEndSession('t1', s, 0));
      return String(f.e.JetOpenDatabase('t1', f.session(), 'db1', 0).err);
    },
    reference: '0',
    variant: String(E.JET_errDatabaseLocked),
  },
  honourStopService: {
    probe: (f) => {
      const s = f.session();
      must(f.e.JetStopServiceInstance2('t1', f.inst, B.JET_bitStopServiceAll));
      return String(f.e.JetEndSession('t1', s, 0).err);
    },
    reference: '0',
    variant: String(E.JET_errClientRequestToStopJetService),
  },
  ignoreSessionContext: {
    probe: (f) => {
      const s = f.session();
      must(f.e.JetSetSessionContext('t2', s, 5));
      return String(f.e.JetEndSession('t1', s, 0).err);
    },
    reference: String(E.JET_errSessionInUse),
    variant: '0',
  },
  contextCheckedOnlyForOtherThreads: {
    probe: (f) => {
      const s = f.session();
      must(f.e.JetSetSessionContext('t1', s, 5));
      return String(f.e.JetEndSession('t1', s, 0).err);
    },
    reference: String(E.JET_errSessionInUse),
    variant: '0',
  },
  skipInstanceUnavailableCheck: {
    probe: (f) => {
      const s = f.session();
      f.e.forceInstanceState(f.inst, { state: 'fatal-error', cause: E.JET_errDiskIO });
      return String(f.e.JetEndSession('t1', s, 0).err);
    },
    reference: String(E.JET_errInstanceUnavailable),
    variant: '0',
  },
  skipTermInProgressCheck: {
    probe: (f) => {
      const s = f.session();
      const busy = f.session();
      const h = f.e.hold('t3', { op: 'JetBeginTransaction', args: { sesid: busy } });
      assert.ok('held' in h);
      assert.ok('pending' in f.e.JetTerm2('t2', f.inst, 0));
      return String(f.e.JetEndSession('t1', s, 0).err);
    },
    reference: String(E.JET_errTermInProgress),
    variant: '0',
  },
  contextCheckBeforeInstanceCheck: {
    probe: (f) => {
      const s = f.session();
      must(f.e.JetSetSessionContext('t1', s, 5));
      f.e.forceInstanceState(f.inst, { state: 'fatal-error', cause: E.JET_errDiskIO });
      return String(f.e.JetEndSession('t1', s, 0).err);
    },
    reference: String(E.JET_errInstanceUnavailable),
    variant: String(E.JET_errSessionInUse),
  },
  closeFailureEndsSession: {
    probe: (f) => {
      const s = f.session();
      f.database(s);
      f.e.injectFault({ step: 'close-database', err: E.JET_errDiskIO, times: 1 });
      return `${f.e.JetEndSession('t1', s, 0).err} ${f.e.JetEndSession('t1', s, 0).err}`;
    },
    reference: `${E.JET_errDiskIO} 0`,
    variant: `${E.JET_errDiskIO} ${E.JET_errInvalidSesid}`,
  },
  closeFailureReportedAsSuccess: {
    probe: (f) => {
      const s = f.session();
      // A sort: a materialized temp table's close cannot fail (CallS, tm.cxx 170-178).
      must(f.e.JetOpenTempTable('t1', s, [{ coltyp: K.JET_coltypLong, grbit: B.JET_bitColumnTTKey }], 0));
      f.e.injectFault({ step: 'close-sort', err: E.JET_errOutOfMemory, times: 1 });
      return String(f.e.JetEndSession('t1', s, 0).err);
    },
    reference: String(E.JET_errOutOfMemory),
    variant: '0',
  },
  undoFailureNotFatal: {
    probe: (f) => {
      const { s } = inTrx(f);
      f.e.injectFault({ step: 'undo', err: E.JET_errOutOfBuffers, times: 1 });
      return `${f.e.JetEndSession('t1', s, 0).err} ${f.e.JetBeginSession('t1', f.inst, '', '').err}`;
    },
    reference: `${E.JET_errOutOfBuffers} ${E.JET_errInstanceUnavailable}`,
    variant: `${E.JET_errOutOfBuffers} 0`,
  },
  endDisturbsOtherSessions: {
    probe: (f) => {
      const { s } = inTrx(f);
      const o = f.session();
      must(f.e.JetBeginTransaction('t1', o));
      must(f.e.JetEndSession('t1', o, 0));
      return String(f.e.JetCommitTransaction('t1', s, 0).err);
    },
    reference: '0',
    variant: String(E.JET_errNotInTransaction),
  },
};

test('every plan has a probe', () => {
  assert.deepEqual(Object.keys(probes).sort(), Object.keys(plans).sort());
});

for (const name of Object.keys(plans) as PlanName[]) {
  test(`plan ${name}: changes the outcome at its point; the reference does not`, () => {
    const p = probes[name];
    assert.equal(p.probe(new Fixture(p.options)), p.reference, 'reference');
    assert.equal(p.probe(new Fixture({ ...p.options, engine: { ops: { JetEndSession: makeJetEndSession(plans[name]) } } })), p.variant, name);
  });
}
