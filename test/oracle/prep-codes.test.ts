/**
 * JetPrepareUpdate with JET_prepReadOnlyCopy (8) and JET_prepInsertMustSetAutoIncrement (10)
 * (fldmod.cxx ErrIsamPrepareUpdate 811-836, 1300-1320; issue 13, item 4). Every expectation below was
 * measured on the engine (ESENT flavour, ESE 7030fe7, under Wine, through the bridge: the raw scripts
 * of docs/implementations/ese.md "What is left", prep codes), which agrees with the reference call
 * for call on them. JET_prepInsertCopyDeleteOriginal (7) and JET_prepInsertCopyReplaceOriginal (9)
 * are not modelled: the reference still answers -1003 to them.
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
