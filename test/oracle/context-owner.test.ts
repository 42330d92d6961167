/**
 * Triage item 10 [context-owner-thread] (docs/implementations/ese.md; issue 13): a call on a
 * thread other than the one that set the session context, at level 0, whose operation begins an
 * internal transaction. The level binds to the context (pib.hxx 1407-1411), the operation's nested
 * begins, commit and rollback fail FPIBCheckTrxContext (pib.hxx 1457-1460, dir.cxx 1932-1936,
 * 2228-2235): the level leaks, with the work done before the failure. Every expectation below was
 * measured on the engine (ESENT flavour, ESE 7030fe7, Wine 8, through the bridge; probe scripts with
 * the context set on t1 and the calls on t3).
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { E, K, Fixture, expectErr, must, type JET_HANDLE } from './fixture';

const ctx = 0x1234;

/** Table t holding 5; s's cursor on it; the context set on t1. */
function setUp() {
  const f = new Fixture();
  const s = f.session();
  const dbid = f.database(s);
  f.table(s, dbid, [5]);
  const t = f.open(s, dbid);
  must(f.e.JetSetSessionContext('t1', s, ctx));
  return { f, s, dbid, t };
}

/** The leaked level is there: t1's JetRollback undoes it (0), a second one finds level 0 (-1054). */
function rollbackLeak(f: Fixture, s: JET_HANDLE, what: string): void {
  must(f.e.JetRollback('t1', s, 0), `${what}: the leaked level`);
  expectErr(f.e.JetRollback('t1', s, 0), E.JET_errNotInTransaction, `${what}: one level only`);
}

function noLevel(f: Fixture, s: JET_HANDLE, what: string): void {
  expectErr(f.e.JetRollback('t1', s, 0), E.JET_errNotInTransaction, `${what}: no level`);
}

test('an insert from t3: -1910, the record inserted in a leaked level, the update still prepared', () => {
  const { f, s, t } = setUp();
  must(f.e.JetPrepareUpdate('t3', s, t, K.JET_prepInsert));
  must(f.e.JetSetColumn('t3', s, t, f.columnid, 7));
  expectErr(f.e.JetUpdate('t3', s, t), E.JET_errSessionSharingViolation, 'JetUpdate');
  assert.deepEqual(f.committed(), [5], 'not committed');
  // t3 can neither nest, commit nor roll the level back; nor end the session while the context is set.
  expectErr(f.e.JetBeginTransaction('t3', s), E.JET_errSessionSharingViolation, 't3 nests');
  expectErr(f.e.JetRollback('t3', s, 0), E.JET_errSessionSharingViolation, 't3 rolls back');
  expectErr(f.e.JetEndSession('t3', s, 0), E.JET_errSessionInUse, 'JetEndSession with the context set');
  must(f.e.JetCommitTransaction('t1', s, 0), 'the owner commits the leaked level');
  assert.deepEqual(f.committed(), [5, 7]);
  must(f.e.JetUpdate('t1', s, t), 'the update stayed prepared: a second insert');
  assert.deepEqual(f.committed(), [5, 7, 7]);
});

test('the leaked insert is rolled back by the owner (the update stays prepared) and by JetEndSession from any thread', () => {
  const a = setUp();
  must(a.f.e.JetPrepareUpdate('t3', a.s, a.t, K.JET_prepInsert));
  must(a.f.e.JetSetColumn('t3', a.s, a.t, a.f.columnid, 7));
  expectErr(a.f.e.JetUpdate('t3', a.s, a.t), E.JET_errSessionSharingViolation);
  rollbackLeak(a.f, a.s, 'insert');
  assert.deepEqual(a.f.committed(), [5]);
  must(a.f.e.JetUpdate('t1', a.s, a.t), 'still prepared after the rollback (prepared at level 0)');
  assert.deepEqual(a.f.committed(), [5, 7]);

  const b = setUp();
  must(b.f.e.JetPrepareUpdate('t3', b.s, b.t, K.JET_prepInsert));
  must(b.f.e.JetSetColumn('t3', b.s, b.t, b.f.columnid, 7));
  expectErr(b.f.e.JetUpdate('t3', b.s, b.t), E.JET_errSessionSharingViolation);
  must(b.f.e.JetResetSessionContext('t1', b.s));
  must(b.f.e.JetEndSession('t3', b.s, 0), 'JetEndSession from t3 after the reset');
  assert.deepEqual(b.f.committed(), [5], 'the leaked insert rolled back');
});

test('a replace and a delete from t3: -1910, the write made in the leaked level', () => {
  const r = setUp();
  must(r.f.e.JetMove('t3', r.s, r.t, K.JET_MoveFirst, 0));
  must(r.f.e.JetPrepareUpdate('t3', r.s, r.t, K.JET_prepReplace));
  must(r.f.e.JetSetColumn('t3', r.s, r.t, r.f.columnid, 9));
  expectErr(r.f.e.JetUpdate('t3', r.s, r.t), E.JET_errSessionSharingViolation, 'replace');
  assert.equal(r.f.e.JetRetrieveColumn('t1', r.s, r.t, r.f.columnid).value, 9, 'the session sees its replace');
  assert.deepEqual(r.f.committed(), [5]);
  must(r.f.e.JetCommitTransaction('t1', r.s, 0));
  assert.deepEqual(r.f.committed(), [9]);
  must(r.f.e.JetUpdate('t1', r.s, r.t), 'the replace stayed prepared');

  const d = setUp();
  must(d.f.e.JetMove('t3', d.s, d.t, K.JET_MoveFirst, 0));
  expectErr(d.f.e.JetDelete('t3', d.s, d.t), E.JET_errSessionSharingViolation, 'delete');
  assert.deepEqual(d.f.committed(), [5]);
  must(d.f.e.JetCommitTransaction('t1', d.s, 0));
  assert.deepEqual(d.f.committed(), []);
});

test('DDL from t3: JetCreateTable and JetAddColumn leak a level and create nothing; a duplicate column is -1508 with the level leaked', () => {
  const { f, s, dbid, t } = setUp();
  expectErr(f.e.JetCreateTable('t3', s, dbid, 't2'), E.JET_errSessionSharingViolation, 'JetCreateTable');
  must(f.e.JetCommitTransaction('t1', s, 0), 'the leaked level');
  expectErr(f.e.JetOpenTable('t1', s, dbid, 't2', 0), E.JET_errObjectNotFound, 'no table t2');
  expectErr(f.e.JetCreateTable('t3', s, dbid, 't'), E.JET_errSessionSharingViolation, 'a duplicate name');
  rollbackLeak(f, s, 'JetCreateTable of a duplicate');
  expectErr(f.e.JetCreateTable('t3', s, dbid, ''), E.JET_errInvalidName, 'the name is checked before the begin');
  noLevel(f, s, 'JetCreateTable ""');
  expectErr(f.e.JetAddColumn('t3', s, t, 'c2', K.JET_coltypLong), E.JET_errSessionSharingViolation, 'JetAddColumn');
  expectErr(f.e.JetAddColumn('t3', s, t, 'c3', K.JET_coltypLong), E.JET_errSessionSharingViolation, 'nested, in the leaked level');
  must(f.e.JetAddColumn('t1', s, t, 'c2', K.JET_coltypLong), 'c2 was not added');
  rollbackLeak(f, s, 'JetAddColumn');
  expectErr(f.e.JetAddColumn('t3', s, t, 'v', K.JET_coltypLong), E.JET_errColumnDuplicate, 'a duplicate column');
  rollbackLeak(f, s, 'JetAddColumn of a duplicate');
});

test('JetOpenTable and JetRetrieveColumn from t3 leak a read-only level; the answer stands', () => {
  const { f, s, dbid, t } = setUp();
  expectErr(f.e.JetOpenTable('t3', s, dbid, 't', 0), E.JET_errSessionSharingViolation, 'an existing table');
  expectErr(f.e.JetPrepareUpdate('t1', s, t, K.JET_prepInsert), E.JET_errTransReadOnly, 'the leaked level is read-only');
  rollbackLeak(f, s, 'JetOpenTable');
  expectErr(f.e.JetOpenTable('t3', s, dbid, 'nope', 0), E.JET_errObjectNotFound, 'a missing table');
  rollbackLeak(f, s, 'JetOpenTable of a missing table');
  expectErr(f.e.JetOpenTable('t3', s, dbid, '', 0), E.JET_errInvalidName, 'the name is checked before the begin');
  noLevel(f, s, 'JetOpenTable ""');
  assert.equal(must(f.e.JetRetrieveColumn('t3', s, t, f.columnid)).value, 5, 'the value');
  expectErr(f.e.JetPrepareUpdate('t1', s, t, K.JET_prepInsert), E.JET_errTransReadOnly, 'read-only');
  rollbackLeak(f, s, 'JetRetrieveColumn');
  expectErr(f.e.JetRetrieveColumn('t3', s, t, 99), E.JET_errColumnNotFound, 'a missing column');
  rollbackLeak(f, s, 'JetRetrieveColumn of a missing column');
});

test('an unkeyed JetOpenTempTable from t3 leaks a level and opens nothing; a keyed one, JetMove and JetCloseTable leak none', () => {
  const { f, s, t } = setUp();
  const cols = (grbit: number) => [{ coltyp: K.JET_coltypLong, grbit }];
  expectErr(f.e.JetOpenTempTable('t3', s, cols(0), 0), E.JET_errSessionSharingViolation, 'unkeyed');
  rollbackLeak(f, s, 'unkeyed JetOpenTempTable');
  must(f.e.JetOpenTempTable('t3', s, cols(0x40), 0), 'keyed: a sort begins no transaction');
  noLevel(f, s, 'keyed JetOpenTempTable');
  must(f.e.JetMove('t3', s, t, K.JET_MoveFirst, 0));
  must(f.e.JetCloseTable('t3', s, t));
  noLevel(f, s, 'JetMove, JetCloseTable');
});

test('from the context\'s own thread, or with no context, nothing leaks', () => {
  const { f, s, t } = setUp();
  must(f.e.JetRetrieveColumn('t1', s, t, f.columnid));
  noLevel(f, s, 'the owner');
  must(f.e.JetResetSessionContext('t1', s));
  must(f.e.JetRetrieveColumn('t3', s, t, f.columnid));
  must(f.e.JetPrepareUpdate('t3', s, t, K.JET_prepInsert));
  must(f.e.JetSetColumn('t3', s, t, f.columnid, 6));
  must(f.e.JetUpdate('t3', s, t), 'no context: the level binds to t3 and commits');
  noLevel(f, s, 'no context');
  assert.deepEqual(f.committed(), [5, 6]);
});
