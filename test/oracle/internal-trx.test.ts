/**
 * The context check of ESE's internal nested transactions (ErrDIRBeginTransaction, dir.cxx
 * 1872-1879; issue 13): inside a user transaction, an operation that begins a nested transaction
 * must run on the transaction's thread (no session context) or under its context, else -1910
 * JET_errSessionSharingViolation, at the point of its check order where the nested transaction
 * begins, and nothing changes. Engine (ESENT flavour, ESE 7030fe7, under Wine, through the bridge):
 * every expectation below was measured there (docs/implementations/ese.md, triage item 9).
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { B, E, K, Fixture, expectErr, must, sessionWithTable, type JET_HANDLE } from './fixture';

const ctx = 0x1234;

/** A table "t" with a Long column (f.columnid) holding 1, 2 and a LongText column; s's cursor on it. */
function setUp() {
  const { f, s, dbid, t } = sessionWithTable();
  const lt = must(f.e.JetAddColumn('t1', s, t, 'lt', K.JET_coltypLongText)).columnid as number;
  return { f, s, dbid, t, lt };
}

/** s begins a transaction under a session context, then the context is reset (the engine's shrunk counterexample). */
function beginThenReset(f: Fixture, s: JET_HANDLE, grbit = 0): void {
  must(f.e.JetSetSessionContext('t1', s, ctx));
  must(f.e.JetBeginTransaction2('t1', s, grbit));
  must(f.e.JetResetSessionContext('t1', s));
}

test('after JetResetSessionContext in a transaction, every nested transaction is -1910 and changes nothing; with the context back, the same calls succeed', () => {
  const { f, s, dbid, t, lt } = setUp();
  beginThenReset(f, s);
  must(f.e.JetPrepareUpdate('t1', s, t, K.JET_prepInsert), 'prepInsert begins no transaction');
  must(f.e.JetSetColumn('t1', s, t, f.columnid, 3), 'a Long value begins no transaction');
  expectErr(f.e.JetSetColumn('t1', s, t, lt, 'ab'), E.JET_errSessionSharingViolation, 'JetSetColumn of a long value');
  expectErr(f.e.JetUpdate('t1', s, t), E.JET_errSessionSharingViolation, 'JetUpdate (insert)');
  expectErr(f.e.JetCreateTable('t1', s, dbid, 't2'), E.JET_errSessionSharingViolation, 'JetCreateTable');
  expectErr(f.e.JetAddColumn('t1', s, t, 'c', K.JET_coltypLong), E.JET_errSessionSharingViolation, 'JetAddColumn');
  must(f.e.JetSetSessionContext('t1', s, ctx));
  must(f.e.JetUpdate('t1', s, t), 'the insert stayed prepared');
  must(f.e.JetCreateTable('t1', s, dbid, 't2'), 'the name was not taken');
  must(f.e.JetAddColumn('t1', s, t, 'c', K.JET_coltypLong), 'the column was not added');
  must(f.e.JetCommitTransaction('t1', s, 0));
  assert.deepEqual(f.committed(), [1, 2, 3]);
});

test('JetDelete, a replace and JetPrepareUpdate(JET_prepInsertCopy) after the reset: -1910 with the record unchanged', () => {
  const { f, s, t } = setUp();
  beginThenReset(f, s);
  assert.ok(f.seek(s, t, 1));
  expectErr(f.e.JetPrepareUpdate('t1', s, t, K.JET_prepInsertCopy), E.JET_errSessionSharingViolation, 'prepInsertCopy');
  expectErr(f.e.JetUpdate('t1', s, t), E.JET_errUpdateNotPrepared, 'nothing stayed prepared');
  must(f.e.JetPrepareUpdate('t1', s, t, K.JET_prepReplace), 'prepReplace locks without a nested transaction');
  must(f.e.JetSetColumn('t1', s, t, f.columnid, 9));
  expectErr(f.e.JetUpdate('t1', s, t), E.JET_errSessionSharingViolation, 'JetUpdate (replace)');
  expectErr(f.e.JetDelete('t1', s, t), E.JET_errSessionSharingViolation, 'JetDelete');
  expectErr(f.e.JetUpdate('t1', s, t), E.JET_errUpdateNotPrepared, 'JetDelete cancelled the replace before its nested transaction');
  must(f.e.JetSetSessionContext('t1', s, ctx));
  must(f.e.JetRollback('t1', s, 0));
  assert.deepEqual(f.committed(), [1, 2]);
  assert.deepEqual(f.scan(s, t), [1, 2]);
});

test('from another thread without a session context: the nested transaction checks the thread of the level-0 begin', () => {
  const { f, s, dbid, t, lt } = setUp();
  must(f.e.JetPrepareUpdate('t2', s, t, K.JET_prepInsert), 'at level 0 any thread may write');
  must(f.e.JetSetColumn('t2', s, t, f.columnid, 3));
  must(f.e.JetUpdate('t2', s, t), 'the internal transaction at level 0 binds itself to t2');
  must(f.e.JetBeginTransaction('t1', s));
  must(f.e.JetPrepareUpdate('t2', s, t, K.JET_prepInsert));
  must(f.e.JetSetColumn('t2', s, t, f.columnid, 4));
  expectErr(f.e.JetSetColumn('t2', s, t, lt, 'ab'), E.JET_errSessionSharingViolation);
  expectErr(f.e.JetUpdate('t2', s, t), E.JET_errSessionSharingViolation);
  must(f.e.JetUpdate('t1', s, t), 'the same prepared insert, on the transaction\'s thread');
  assert.ok(f.seek(s, t, 4, 't2'), 'navigation begins no nested transaction in a transaction');
  expectErr(f.e.JetPrepareUpdate('t2', s, t, K.JET_prepInsertCopy), E.JET_errSessionSharingViolation);
  expectErr(f.e.JetDelete('t2', s, t), E.JET_errSessionSharingViolation);
  expectErr(f.e.JetCreateTable('t2', s, dbid, 't2'), E.JET_errSessionSharingViolation);
  expectErr(f.e.JetAddColumn('t2', s, t, 'c', K.JET_coltypLong), E.JET_errSessionSharingViolation);
  // A context set on t2 after a begin without one does not move the transaction (trx context = t1's thread).
  must(f.e.JetSetSessionContext('t2', s, ctx));
  expectErr(f.e.JetDelete('t2', s, t), E.JET_errSessionSharingViolation);
  must(f.e.JetResetSessionContext('t2', s));
  must(f.e.JetCommitTransaction('t1', s, 0));
  assert.deepEqual(f.committed(), [1, 2, 3, 4]);
});

test('a context-bound transaction follows its context to another thread', () => {
  const { f, s, t } = setUp();
  beginThenReset(f, s);
  must(f.e.JetSetSessionContext('t2', s, ctx), 'the same value, now set on t2');
  assert.ok(f.seek(s, t, 2, 't2'));
  must(f.e.JetDelete('t2', s, t));
  must(f.e.JetResetSessionContext('t2', s));
  must(f.e.JetSetSessionContext('t1', s, ctx + 1));
  expectErr(f.e.JetCommitTransaction('t1', s, 0), E.JET_errSessionSharingViolation, 'another value');
  expectErr(f.e.JetPrepareUpdate('t1', s, t, K.JET_prepInsert), 0, 'prepInsert');
  expectErr(f.e.JetUpdate('t1', s, t), E.JET_errSessionSharingViolation, 'another value: JetUpdate');
  must(f.e.JetResetSessionContext('t1', s));
  must(f.e.JetSetSessionContext('t1', s, ctx));
  must(f.e.JetCommitTransaction('t1', s, 0));
  assert.deepEqual(f.committed(), [1]);
});

test('check order: the checks before the nested transaction answer first (engine: the same codes)', () => {
  const { f, s, dbid, t, lt } = setUp();
  beginThenReset(f, s, B.JET_bitTransactionReadOnly);
  expectErr(f.e.JetCreateTable('t1', s, dbid, ''), E.JET_errInvalidName, 'JetCreateTable: the name first');
  expectErr(f.e.JetCreateTable('t1', s, dbid, 't'), E.JET_errSessionSharingViolation, 'JetCreateTable: before the duplicate name');
  expectErr(f.e.JetCreateTable('t1', s, dbid, 't3'), E.JET_errSessionSharingViolation, 'JetCreateTable: before the read-only transaction');
  expectErr(f.e.JetAddColumn('t1', s, t, 'c', K.JET_coltypLong), E.JET_errTransReadOnly, 'JetAddColumn: read-only first');
  expectErr(f.e.JetDelete('t1', s, t), E.JET_errTransReadOnly, 'JetDelete: read-only first');
  must(f.e.JetSetSessionContext('t1', s, ctx));
  must(f.e.JetRollback('t1', s, 0));
  must(f.e.JetResetSessionContext('t1', s));
  beginThenReset(f, s);
  expectErr(f.e.JetAddColumn('t1', s, t, '', K.JET_coltypLong), E.JET_errInvalidName, 'JetAddColumn: the name');
  expectErr(f.e.JetAddColumn('t1', s, t, 'c', 99), E.JET_errInvalidColumnType, 'JetAddColumn: the coltyp');
  expectErr(f.e.JetAddColumn('t1', s, t, 'v', K.JET_coltypLong), E.JET_errSessionSharingViolation, 'JetAddColumn: before the duplicate');
  expectErr(f.e.JetSetColumn('t1', s, t, lt, 'ab'), E.JET_errUpdateNotPrepared, 'JetSetColumn: not prepared first');
  must(f.e.JetPrepareUpdate('t1', s, t, K.JET_prepInsert));
  expectErr(f.e.JetSetColumn('t1', s, t, 777, 'ab'), E.JET_errColumnNotFound, 'JetSetColumn: the column first');
  must(f.e.JetMove('t1', s, t, K.JET_MoveFirst, 0));
  expectErr(f.e.JetMove('t1', s, t, K.JET_MovePrevious, 0), E.JET_errNoCurrentRecord);
  expectErr(f.e.JetPrepareUpdate('t1', s, t, K.JET_prepInsertCopy), E.JET_errNoCurrentRecord, 'prepInsertCopy: the currency first');
  must(f.e.JetPrepareUpdate('t1', s, t, K.JET_prepInsert));
  expectErr(f.e.JetDelete('t1', s, t), E.JET_errSessionSharingViolation, 'JetDelete: before the currency');
  expectErr(f.e.JetUpdate('t1', s, t), E.JET_errUpdateNotPrepared, 'and after the cancel');
  const ro = f.open(s, dbid, B.JET_bitTableReadOnly);
  expectErr(f.e.JetSetColumn('t1', s, ro, lt, 'ab'), E.JET_errPermissionDenied, 'JetSetColumn: the cursor first');
  assert.ok(f.seek(s, ro, 1));
  expectErr(f.e.JetDelete('t1', s, ro), E.JET_errPermissionDenied, 'JetDelete: the cursor first');
});

test('JetDelete cancels a prepared update, whether it then succeeds or finds no record (recupd.cxx 2344-2350)', () => {
  const { f, s, t } = setUp();
  assert.ok(f.seek(s, t, 1));
  must(f.e.JetPrepareUpdate('t1', s, t, K.JET_prepInsert));
  must(f.e.JetDelete('t1', s, t));
  expectErr(f.e.JetUpdate('t1', s, t), E.JET_errUpdateNotPrepared);
  must(f.e.JetPrepareUpdate('t1', s, t, K.JET_prepInsert));
  expectErr(f.e.JetDelete('t1', s, t), E.JET_errRecordDeleted);
  expectErr(f.e.JetUpdate('t1', s, t), E.JET_errUpdateNotPrepared);
  assert.deepEqual(f.committed(), [2]);
});

test('a long value is set only inside a transaction: -1054 at level 0 on a table, a materialized temp table and a sort', () => {
  const { f, s, t, lt } = setUp();
  must(f.e.JetPrepareUpdate('t1', s, t, K.JET_prepInsert));
  expectErr(f.e.JetSetColumn('t1', s, t, lt, 'ab'), E.JET_errNotInTransaction, 'table');
  expectErr(f.e.JetSetColumn('t1', s, t, lt, null), E.JET_errNotInTransaction, 'table, null');
  must(f.e.JetSetColumn('t1', s, t, f.columnid, 5), 'a Long column at level 0');
  must(f.e.JetUpdate('t1', s, t));
  const m = must(f.e.JetOpenTempTable('t1', s, [{ coltyp: K.JET_coltypLong, grbit: 0 }, { coltyp: K.JET_coltypLongText, grbit: 0 }], 0));
  const sort = must(f.e.JetOpenTempTable('t1', s, [{ coltyp: K.JET_coltypLong, grbit: B.JET_bitColumnTTKey }, { coltyp: K.JET_coltypLongText, grbit: 0 }], 0x80));
  for (const [what, r] of [['materialized', m], ['sort', sort]] as const) {
    const tableid = r.tableid as JET_HANDLE;
    const [, ltCol] = r.columnids as number[];
    must(f.e.JetPrepareUpdate('t1', s, tableid, K.JET_prepInsert));
    expectErr(f.e.JetSetColumn('t1', s, tableid, ltCol, 'ab'), E.JET_errNotInTransaction, what);
    must(f.e.JetBeginTransaction('t1', s));
    must(f.e.JetSetColumn('t1', s, tableid, ltCol, 'ab'), `${what} in a transaction`);
    must(f.e.JetCommitTransaction('t1', s, 0));
  }
});

test('temp tables: a materialized one begins nested transactions like a table; a sort\'s insert does not, and a sort has no JetDelete', () => {
  const f = new Fixture();
  const s = f.session();
  const m = must(f.e.JetOpenTempTable('t1', s, [{ coltyp: K.JET_coltypLong, grbit: 0 }, { coltyp: K.JET_coltypLongText, grbit: 0 }], 0)).tableid as JET_HANDLE;
  const sortR = must(f.e.JetOpenTempTable('t1', s, [{ coltyp: K.JET_coltypLong, grbit: B.JET_bitColumnTTKey }, { coltyp: K.JET_coltypLongText, grbit: 0 }], 0x80));
  const sort = sortR.tableid as JET_HANDLE;
  must(f.e.JetPrepareUpdate('t1', s, m, K.JET_prepInsert));
  must(f.e.JetUpdate('t1', s, m));
  beginThenReset(f, s);
  must(f.e.JetPrepareUpdate('t1', s, m, K.JET_prepInsert));
  must(f.e.JetSetColumn('t1', s, m, 1, 4));
  expectErr(f.e.JetSetColumn('t1', s, m, 256, 'ab'), E.JET_errSessionSharingViolation, 'materialized: long value');
  expectErr(f.e.JetUpdate('t1', s, m), E.JET_errSessionSharingViolation, 'materialized: insert');
  must(f.e.JetMove('t1', s, m, K.JET_MoveFirst, 0));
  expectErr(f.e.JetPrepareUpdate('t1', s, m, K.JET_prepInsertCopy), E.JET_errSessionSharingViolation, 'materialized: prepInsertCopy');
  expectErr(f.e.JetDelete('t1', s, m), E.JET_errSessionSharingViolation, 'materialized: delete');
  must(f.e.JetPrepareUpdate('t1', s, sort, K.JET_prepInsert));
  must(f.e.JetSetColumn('t1', s, sort, 1, 4));
  expectErr(f.e.JetSetColumn('t1', s, sort, 256, 'ab'), E.JET_errSessionSharingViolation, 'sort: long value (ErrIsamSetColumn)');
  expectErr(f.e.JetDelete('t1', s, sort), E.JET_errIllegalOperation, 'sort: ErrIllegalDelete first');
  must(f.e.JetUpdate('t1', s, sort), 'sort: ErrIsamSortUpdate begins no transaction; the prepared insert was kept');
});
