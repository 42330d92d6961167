/**
 * JetPrepareUpdate with JET_prepReadOnlyCopy (8), JET_prepInsertMustSetAutoIncrement (10),
 * JET_prepInsertCopyDeleteOriginal (7) and JET_prepInsertCopyReplaceOriginal (9) (fldmod.cxx
 * ErrIsamPrepareUpdate 811-836, 1223-1320; issue 13, item 4). Every expectation below was measured on
 * the engine (ESENT flavour, ESE 7030fe7, under Wine, through the bridge: the raw scripts of
 * docs/implementations/ese.md "What is left", prep codes), which agrees with the reference call for
 * call on them. Prep 7 and 9 on a sort are not measured.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { B, E, K, expectErr, must, sessionWithTable } from './fixture';

const readOnlyCopy = K.JET_prepReadOnlyCopy;
const mustSetAutoInc = K.JET_prepInsertMustSetAutoIncrement;

const setUp = () => sessionWithTable();

test('JET_prepReadOnlyCopy: -1607 over a prepared update, -1054 at level 0, the currency, then a copy JetSetColumn and JetUpdate refuse and JET_prepCancel ends', () => {
  const { f, s, t } = setUp();
  must(f.e.JetPrepareUpdate('t1', s, t, K.JET_prepInsert));
  expectErr(f.e.JetPrepareUpdate('t1', s, t, readOnlyCopy), E.JET_errAlreadyPrepared, 'over a prepared insert, at level 0 too');
  must(f.e.JetPrepareUpdate('t1', s, t, K.JET_prepCancel));
  expectErr(f.e.JetPrepareUpdate('t1', s, t, readOnlyCopy), E.JET_errNotInTransaction, 'at level 0');
  expectErr(f.e.JetPrepareUpdate('t1', s, t, K.JET_prepCancel), E.JET_errUpdateNotPrepared, 'nothing prepared at level 0');
  must(f.e.JetBeginTransaction('t1', s));
  must(f.e.JetPrepareUpdate('t1', s, t, readOnlyCopy), 'in a transaction, on the first record');
  expectErr(f.e.JetPrepareUpdate('t1', s, t, readOnlyCopy), E.JET_errAlreadyPrepared, 'twice');
  expectErr(f.e.JetSetColumn('t1', s, t, f.columnid, 9), E.JET_errUpdateNotPrepared, 'JetSetColumn on the copy');
  expectErr(f.e.JetUpdate('t1', s, t), E.JET_errUpdateNotPrepared, 'JetUpdate of the copy');
  assert.equal(must(f.e.JetRetrieveColumn('t1', s, t, f.columnid)).value, 1, 'the cursor still reads its record');
  must(f.e.JetPrepareUpdate('t1', s, t, K.JET_prepCancel), 'the copy is prepared until cancelled');
  expectErr(f.e.JetPrepareUpdate('t1', s, t, K.JET_prepCancel), E.JET_errUpdateNotPrepared, 'cancelled');
  must(f.e.JetRollback('t1', s, 0));
  assert.deepEqual(f.committed(), [1, 2]);
});

test('JET_prepReadOnlyCopy needs no updatable cursor but a current record; a move, JetDelete and the rollback of its level end it', () => {
  const { f, s, dbid, t } = setUp();
  const r = f.open(s, dbid, B.JET_bitTableReadOnly);
  must(f.e.JetBeginTransaction('t1', s));
  must(f.e.JetPrepareUpdate('t1', s, r, readOnlyCopy), 'a read-only cursor');
  must(f.e.JetMove('t1', s, r, 1, 0));
  expectErr(f.e.JetPrepareUpdate('t1', s, r, K.JET_prepCancel), E.JET_errUpdateNotPrepared, 'the move cancelled it');
  expectErr(f.e.JetMove('t1', s, r, 1, 0), E.JET_errNoCurrentRecord);
  expectErr(f.e.JetPrepareUpdate('t1', s, r, readOnlyCopy), E.JET_errNoCurrentRecord, 'no current record');
  must(f.e.JetBeginTransaction('t1', s));
  must(f.e.JetPrepareUpdate('t1', s, t, readOnlyCopy), 'at level 2');
  must(f.e.JetRollback('t1', s, 0));
  expectErr(f.e.JetPrepareUpdate('t1', s, t, K.JET_prepCancel), E.JET_errUpdateNotPrepared, 'the rollback of its level cancelled it');
  must(f.e.JetPrepareUpdate('t1', s, t, readOnlyCopy));
  must(f.e.JetDelete('t1', s, t), 'JetDelete deletes the record');
  expectErr(f.e.JetPrepareUpdate('t1', s, t, K.JET_prepCancel), E.JET_errUpdateNotPrepared, 'JetDelete cancelled the copy');
  must(f.e.JetRollback('t1', s, 0));
});

test('JET_prepInsertMustSetAutoIncrement: prepInsert\'s checks, then -1312 on a table without an autoincrement column, at any level; nothing prepared', () => {
  const { f, s, dbid, t } = setUp();
  const r = f.open(s, dbid, B.JET_bitTableReadOnly);
  expectErr(f.e.JetPrepareUpdate('t1', s, r, mustSetAutoInc), E.JET_errPermissionDenied, 'a read-only cursor');
  // The cursor's updatability comes before -1607 (fldmod.cxx 819-828; the engine's prepReplace on a
  // read-only cursor holding a read-only copy: -1809).
  must(f.e.JetBeginTransaction('t1', s));
  must(f.e.JetPrepareUpdate('t1', s, r, readOnlyCopy));
  expectErr(f.e.JetPrepareUpdate('t1', s, r, mustSetAutoInc), E.JET_errPermissionDenied, 'a read-only cursor with a copy prepared');
  must(f.e.JetRollback('t1', s, 0));
  must(f.e.JetPrepareUpdate('t1', s, t, K.JET_prepInsert));
  expectErr(f.e.JetPrepareUpdate('t1', s, t, mustSetAutoInc), E.JET_errAlreadyPrepared, 'over a prepared insert');
  must(f.e.JetPrepareUpdate('t1', s, t, K.JET_prepCancel));
  expectErr(f.e.JetPrepareUpdate('t1', s, t, mustSetAutoInc), E.JET_errIllegalOperation, 'no autoincrement column, level 0');
  expectErr(f.e.JetSetColumn('t1', s, t, f.columnid, 7), E.JET_errUpdateNotPrepared, 'nothing prepared');
  must(f.e.JetBeginTransaction('t1', s));
  expectErr(f.e.JetPrepareUpdate('t1', s, t, mustSetAutoInc), E.JET_errIllegalOperation, 'in a transaction');
  must(f.e.JetRollback('t1', s, 0));
  must(f.e.JetBeginTransaction2('t1', s, 0x1));
  expectErr(f.e.JetPrepareUpdate('t1', s, t, mustSetAutoInc), E.JET_errTransReadOnly, 'a read-only transaction, as prepInsert');
  must(f.e.JetRollback('t1', s, 0));
});

// JET_prepInsertCopyDeleteOriginal (7) and JET_prepInsertCopyReplaceOriginal (9), fldmod.cxx
// 1223-1298: prepInsertCopy's checks, the record's write lock (ErrDIRGetLock, 1235-1238), a copy;
// JetUpdate deletes the original and inserts the copy. On a table without an autoincrement column
// both are the same. Engine (ESENT flavour, a JSON-lines script through the bridge; records 1, 2):
// level 0, prep 7 on 1, set 11, JetUpdate 0: 2, 11; prep 9 on 2, set 12: 11, 12; in a transaction
// prep 9 on 11: another session's prepReplace of it -1102, set 13, JetUpdate 0, the cursor's
// JetRetrieveColumn -1017 (on the deleted original), after the commit 12, 13. In a transaction
// prep 7 and JetUpdate: 2, 11 after the commit; prep 9 on a deleted original -1017; each prep
// cancelled with 0 at level 0.
const icdo = K.JET_prepInsertCopyDeleteOriginal;
const icro = K.JET_prepInsertCopyReplaceOriginal;

test('JET_prepInsertCopyDeleteOriginal and ...ReplaceOriginal at level 0: a copy whose JetUpdate deletes the original and inserts the copy', () => {
  const { f, s, t } = setUp();
  must(f.e.JetPrepareUpdate('t1', s, t, icdo), 'prep 7 on record 1');
  must(f.e.JetPrepareUpdate('t1', s, t, K.JET_prepCancel), 'cancelled');
  must(f.e.JetPrepareUpdate('t1', s, t, icdo));
  expectErr(f.e.JetPrepareUpdate('t1', s, t, icro), E.JET_errAlreadyPrepared, 'over a prepared copy');
  must(f.e.JetSetColumn('t1', s, t, f.columnid, 11));
  must(f.e.JetUpdate('t1', s, t));
  assert.deepEqual(f.committed(), [2, 11]);
  must(f.e.JetMove('t1', s, t, K.JET_MoveFirst, 0));
  must(f.e.JetPrepareUpdate('t1', s, t, icro), 'prep 9 on record 2');
  must(f.e.JetSetColumn('t1', s, t, f.columnid, 12));
  must(f.e.JetUpdate('t1', s, t));
  assert.deepEqual(f.committed(), [11, 12]);
});

test('JET_prepInsertCopyReplaceOriginal in a transaction write-locks the original; the cursor stays on the deleted original', () => {
  const { f, s, dbid, t } = setUp();
  const b = f.session();
  const dbidB = f.database(b);
  const u = f.open(b, dbidB);
  must(f.e.JetBeginTransaction('t1', s));
  must(f.e.JetPrepareUpdate('t1', s, t, icro));
  must(f.e.JetBeginTransaction('t1', b));
  expectErr(f.e.JetPrepareUpdate('t1', b, u, K.JET_prepReplace), E.JET_errWriteConflict, "another session's replace of the original");
  must(f.e.JetRollback('t1', b, 0));
  must(f.e.JetSetColumn('t1', s, t, f.columnid, 13));
  must(f.e.JetUpdate('t1', s, t));
  expectErr(f.e.JetRetrieveColumn('t1', s, t, f.columnid), E.JET_errRecordDeleted, 'on the deleted original');
  expectErr(f.e.JetPrepareUpdate('t1', s, t, icro), E.JET_errRecordDeleted, 'prep 9 on the deleted original');
  must(f.e.JetCommitTransaction('t1', s, 0));
  assert.deepEqual(f.committed(), [2, 13]);
  const v = f.open(s, dbid, B.JET_bitTableReadOnly);
  expectErr(f.e.JetPrepareUpdate('t1', s, v, icdo), E.JET_errPermissionDenied, 'a read-only cursor');
});
