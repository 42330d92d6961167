/**
 * Data and visibility: snapshot isolation, write conflicts, rollback of one level, navigation,
 * temp tables, DDL inside transactions and the cursor/table limits.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { B, E, Fixture, K, expectErr, must } from './fixture';
import type { JET_HANDLE } from './fixture';

function twoSessions(values: number[] = [1, 2, 3]) {
  const f = new Fixture();
  const a = f.session();
  const dbid = f.database(a);
  f.table(a, dbid, values);
  const ta = f.open(a, dbid);
  const b = f.session();
  const bd = must(f.e.JetOpenDatabase('t1', b, 'db1', 0)).dbid as number;
  const tb = f.open(b, bd);
  return { f, a, b, ta, tb };
}

test('a session sees its own uncommitted work; others see committed data only', () => {
  const { f, a, b, ta, tb } = twoSessions();
  must(f.e.JetBeginTransaction('t1', a));
  f.insert(a, ta, 4);
  assert.equal(f.replace(a, ta, 1, 10), 0);
  assert.equal(f.remove(a, ta, 2), 0);
  assert.deepEqual(f.scan(a, ta), [10, 3, 4]);
  assert.deepEqual(f.scan(b, tb), [1, 2, 3]);
  must(f.e.JetCommitTransaction('t1', a, 0));
  assert.deepEqual(f.scan(b, tb), [10, 3, 4]);
});

test('snapshot isolation: a transaction sees committed data as of its begin', () => {
  const { f, a, b, ta, tb } = twoSessions();
  must(f.e.JetBeginTransaction('t1', b));
  assert.deepEqual(f.scan(b, tb), [1, 2, 3]);
  f.insert(a, ta, 4); // implicit one-call transaction, committed at once
  assert.equal(f.replace(a, ta, 1, 10), 0);
  assert.deepEqual(f.scan(b, tb), [1, 2, 3], 'inside its transaction b keeps its snapshot');
  must(f.e.JetCommitTransaction('t1', b, 0));
  assert.deepEqual(f.scan(b, tb), [10, 2, 3, 4], 'at level 0 b sees the latest');
});

test('-1102: a second writer of a record (replace or delete), and a record changed after the writer snapshot', () => {
  const { f, a, b, ta, tb } = twoSessions();
  must(f.e.JetBeginTransaction('t1', a));
  assert.equal(f.replace(a, ta, 1, 10), 0);
  must(f.e.JetBeginTransaction('t1', b));
  assert.equal(f.replace(b, tb, 1, 11), E.JET_errWriteConflict);
  assert.equal(f.remove(b, tb, 1), E.JET_errWriteConflict);
  assert.equal(f.replace(b, tb, 2, 20), 0, 'other records are free');
  must(f.e.JetCommitTransaction('t1', a, 0));
  assert.equal(f.replace(b, tb, 1, 11), E.JET_errWriteConflict, 'changed after b began');
  must(f.e.JetRollback('t1', b, 0));
  assert.equal(f.replace(b, tb, 10, 11), 0, 'at level 0 with the latest data');
  // a prepared replace inside a transaction holds the lock even before JetUpdate
  must(f.e.JetBeginTransaction('t1', a));
  assert.ok(f.seek(a, ta, 3));
  must(f.e.JetPrepareUpdate('t1', a, ta, K.JET_prepReplace));
  assert.equal(f.replace(b, tb, 3, 30), E.JET_errWriteConflict, 'implicit transaction at level 0 too');
  must(f.e.JetPrepareUpdate('t1', a, ta, K.JET_prepCancel));
  assert.equal(f.replace(b, tb, 3, 30), E.JET_errWriteConflict, 'cancelling the update keeps the lock');
  must(f.e.JetRollback('t1', a, 0));
  assert.equal(f.replace(b, tb, 3, 30), 0);
});

test('rollback of a level undoes exactly that level (inner levels committed into it included)', () => {
  const { f, a, ta } = twoSessions();
  must(f.e.JetBeginTransaction('t1', a));
  f.insert(a, ta, 4);
  must(f.e.JetBeginTransaction('t1', a));
  assert.equal(f.replace(a, ta, 1, 10), 0);
  must(f.e.JetBeginTransaction('t1', a));
  assert.equal(f.remove(a, ta, 2), 0);
  f.insert(a, ta, 5);
  must(f.e.JetCommitTransaction('t1', a, 0)); // level 3 into level 2
  assert.deepEqual(f.scan(a, ta), [10, 3, 4, 5]);
  must(f.e.JetRollback('t1', a, 0)); // level 2, with level 3's work
  assert.deepEqual(f.scan(a, ta), [1, 2, 3, 4]);
  must(f.e.JetCommitTransaction('t1', a, 0));
  assert.deepEqual(f.committed(), [1, 2, 3, 4]);
});

test('rollback closes the cursors and temp tables opened in the level, and cancels updates prepared in it', () => {
  const { f, a, ta } = twoSessions();
  must(f.e.JetBeginTransaction('t1', a));
  const inner = must(f.e.JetOpenTable('t1', a, must(f.e.JetOpenDatabase('t1', a, 'db1', 0)).dbid as number, 't', 0)).tableid as JET_HANDLE;
  const temp = must(f.e.JetOpenTempTable('t1', a, [{ coltyp: K.JET_coltypLong, grbit: 0 }], 0)).tableid as JET_HANDLE;
  must(f.e.JetPrepareUpdate('t1', a, ta, K.JET_prepInsert));
  must(f.e.JetRollback('t1', a, 0));
  expectErr(f.e.JetMove('t1', a, inner, K.JET_MoveFirst, 0), E.JET_errInvalidTableId);
  expectErr(f.e.JetMove('t1', a, temp, K.JET_MoveFirst, 0), E.JET_errInvalidTableId);
  expectErr(f.e.JetUpdate('t1', a, ta), E.JET_errUpdateNotPrepared);
  must(f.e.JetMove('t1', a, ta, K.JET_MoveFirst, 0), 'the level-0 cursor stays');
});

test('a cursor opened at level 2 and committed into level 1 closes with level 1', () => {
  const { f, a } = twoSessions();
  const dbid = must(f.e.JetOpenDatabase('t1', a, 'db1', 0)).dbid as number;
  must(f.e.JetBeginTransaction('t1', a));
  must(f.e.JetBeginTransaction('t1', a));
  const t = f.open(a, dbid);
  must(f.e.JetCommitTransaction('t1', a, 0));
  must(f.e.JetMove('t1', a, t, K.JET_MoveFirst, 0));
  must(f.e.JetRollback('t1', a, 0));
  expectErr(f.e.JetMove('t1', a, t, K.JET_MoveFirst, 0), E.JET_errInvalidTableId);
});

test('navigation: new cursors sit deferred on the first record; MoveFirst/Next/Previous/Last; -1603 past either end', () => {
  const { f, a, ta } = twoSessions([1, 2, 3]);
  must(f.e.JetRetrieveColumn('t1', a, ta, f.columnid));
  assert.equal(f.e.JetRetrieveColumn('t1', a, ta, f.columnid).value, 1, 'deferred first');
  const t2 = f.open(a, must(f.e.JetOpenDatabase('t1', a, 'db1', 0)).dbid as number);
  must(f.e.JetMove('t1', a, t2, K.JET_MoveNext, 0));
  assert.equal(f.e.JetRetrieveColumn('t1', a, t2, f.columnid).value, 2, 'MoveNext from deferred first is the second record');
  must(f.e.JetMove('t1', a, ta, K.JET_MoveLast, 0));
  assert.equal(f.e.JetRetrieveColumn('t1', a, ta, f.columnid).value, 3);
  expectErr(f.e.JetMove('t1', a, ta, K.JET_MoveNext, 0), E.JET_errNoCurrentRecord);
  expectErr(f.e.JetRetrieveColumn('t1', a, ta, f.columnid), E.JET_errNoCurrentRecord);
  must(f.e.JetMove('t1', a, ta, K.JET_MovePrevious, 0));
  assert.equal(f.e.JetRetrieveColumn('t1', a, ta, f.columnid).value, 3, 'back from after-last');
  must(f.e.JetMove('t1', a, ta, -2, 0));
  assert.equal(f.e.JetRetrieveColumn('t1', a, ta, f.columnid).value, 1);
  expectErr(f.e.JetMove('t1', a, ta, K.JET_MovePrevious, 0), E.JET_errNoCurrentRecord);
  must(f.e.JetMove('t1', a, ta, 2, 0));
  assert.equal(f.e.JetRetrieveColumn('t1', a, ta, f.columnid).value, 2);
  must(f.e.JetMove('t1', a, ta, 0, 0), 'cRow 0 checks the current record');
  expectErr(f.e.JetMove('t1', a, ta, 5, 0), E.JET_errNoCurrentRecord);
  must(f.e.JetMove('t1', a, ta, 0x80000000, 0), 'JET_MoveFirst as an unsigned value');
});

test('navigation on an empty table: -1603 everywhere; inserting does not move the cursor', () => {
  const f = new Fixture();
  const s = f.session();
  const dbid = f.database(s);
  f.table(s, dbid, []);
  const t = f.open(s, dbid);
  for (const cRow of [K.JET_MoveFirst, K.JET_MoveNext, K.JET_MovePrevious, K.JET_MoveLast, 0]) expectErr(f.e.JetMove('t1', s, t, cRow, 0), E.JET_errNoCurrentRecord);
  const u = f.open(s, dbid);
  f.insert(s, u, 1);
  assert.equal(f.e.JetRetrieveColumn('t1', s, u, f.columnid).value, 1, 'deferred first lands on the new first record');
  f.insert(s, u, 2);
  assert.equal(f.e.JetRetrieveColumn('t1', s, u, f.columnid).value, 1, 'a second insert does not move it');
});

test('a record deleted under the cursor: -1017 for retrieve, delete and replace; moving on works', () => {
  const { f, a, ta } = twoSessions([1, 2, 3]);
  assert.ok(f.seek(a, ta, 2));
  must(f.e.JetDelete('t1', a, ta));
  expectErr(f.e.JetRetrieveColumn('t1', a, ta, f.columnid), E.JET_errRecordDeleted);
  expectErr(f.e.JetDelete('t1', a, ta), E.JET_errRecordDeleted);
  expectErr(f.e.JetPrepareUpdate('t1', a, ta, K.JET_prepReplace), E.JET_errRecordDeleted);
  must(f.e.JetMove('t1', a, ta, K.JET_MoveNext, 0));
  assert.equal(f.e.JetRetrieveColumn('t1', a, ta, f.columnid).value, 3);
});

test('JetMove cancels a prepared update; update preparation codes', () => {
  const { f, a, ta } = twoSessions([1]);
  expectErr(f.e.JetUpdate('t1', a, ta), E.JET_errUpdateNotPrepared);
  expectErr(f.e.JetSetColumn('t1', a, ta, f.columnid, 1), E.JET_errUpdateNotPrepared);
  expectErr(f.e.JetPrepareUpdate('t1', a, ta, K.JET_prepCancel), E.JET_errUpdateNotPrepared);
  must(f.e.JetPrepareUpdate('t1', a, ta, K.JET_prepInsert));
  expectErr(f.e.JetPrepareUpdate('t1', a, ta, K.JET_prepInsert), E.JET_errAlreadyPrepared);
  expectErr(f.e.JetSetColumn('t1', a, ta, 999, 1), E.JET_errColumnNotFound);
  expectErr(f.e.JetSetColumn('t1', a, ta, f.columnid, 'text'), E.JET_errInvalidBufferSize, 'ESE stores bytes: 8 bytes for a 4-byte column (engine: "abc" -1047, "ab" 0)');
  expectErr(f.e.JetSetColumn('t1', a, ta, f.columnid, 2147483648), E.JET_errInvalidBufferSize, 'an integer beyond 32 bits travels as 8 bytes (engine: -1047)');
  must(f.e.JetSetColumn('t1', a, ta, f.columnid, 'ab'), 'two UTF-16 units are 4 bytes (engine: 0)');
  must(f.e.JetMove('t1', a, ta, K.JET_MoveFirst, 0));
  expectErr(f.e.JetUpdate('t1', a, ta), E.JET_errUpdateNotPrepared);
  expectErr(f.e.JetPrepareUpdate('t1', a, ta, 99), E.JET_errInvalidParameter);
});

test('NULL columns answer JET_wrnColumnNull (+1004); text columns; insert-copy', () => {
  const f = new Fixture();
  const s = f.session();
  const dbid = f.database(s);
  const t = must(f.e.JetCreateTable('t1', s, dbid, 'x')).tableid as JET_HANDLE;
  const n = must(f.e.JetAddColumn('t1', s, t, 'n', K.JET_coltypLong)).columnid as number;
  const txt = must(f.e.JetAddColumn('t1', s, t, 'txt', K.JET_coltypText)).columnid as number;
  const lt = must(f.e.JetAddColumn('t1', s, t, 'lt', K.JET_coltypLongText)).columnid as number;
  assert.deepEqual([n, txt, lt], [1, 128, 256], 'ESE columnid ranges: fixed, variable, tagged');
  expectErr(f.e.JetAddColumn('t1', s, t, 'N', K.JET_coltypLong), E.JET_errColumnDuplicate);
  expectErr(f.e.JetAddColumn('t1', s, t, 'b', 9), E.JET_errInvalidColumnType);
  must(f.e.JetPrepareUpdate('t1', s, t, K.JET_prepInsert));
  must(f.e.JetSetColumn('t1', s, t, txt, 'hello'));
  must(f.e.JetUpdate('t1', s, t));
  expectErr(f.e.JetRetrieveColumn('t1', s, t, txt), E.JET_errNoCurrentRecord, 'JetAddColumn left the cursor before first; an insert does not move it (engine: -1603)');
  must(f.e.JetMove('t1', s, t, K.JET_MoveFirst, 0));
  expectErr(f.e.JetRetrieveColumn('t1', s, t, n), E.JET_wrnColumnNull);
  assert.equal(f.e.JetRetrieveColumn('t1', s, t, n).value, null);
  assert.equal(f.e.JetRetrieveColumn('t1', s, t, txt).value, 'hello');
  expectErr(f.e.JetPrepareUpdate('t1', s, t, K.JET_prepInsertCopy), E.JET_errNotInTransaction, 'insert copy references long values: not at level 0 (lv.cxx 6054-6058; engine: -1054)');
  expectErr(f.e.JetPrepareUpdate('t1', s, t, K.JET_prepCancel), E.JET_errUpdateNotPrepared, 'nothing stays prepared');
  must(f.e.JetBeginTransaction('t1', s));
  must(f.e.JetPrepareUpdate('t1', s, t, K.JET_prepInsertCopy));
  must(f.e.JetSetColumn('t1', s, t, lt, 'long'));
  must(f.e.JetUpdate('t1', s, t));
  must(f.e.JetCommitTransaction('t1', s, 0));
  must(f.e.JetMove('t1', s, t, K.JET_MoveLast, 0));
  assert.equal(f.e.JetRetrieveColumn('t1', s, t, txt).value, 'hello');
  assert.equal(f.e.JetRetrieveColumn('t1', s, t, lt).value, 'long');
});

test('DDL in a transaction: others cannot open an uncommitted table (-1305); rollback removes tables and columns', () => {
  const f = new Fixture();
  const s = f.session();
  const dbid = f.database(s);
  const o = f.session();
  const od = must(f.e.JetOpenDatabase('t1', o, 'db1', 0)).dbid as number;
  must(f.e.JetBeginTransaction('t1', s));
  const t = must(f.e.JetCreateTable('t1', s, dbid, 'new')).tableid as JET_HANDLE;
  const c = must(f.e.JetAddColumn('t1', s, t, 'c', K.JET_coltypLong)).columnid as number;
  expectErr(f.e.JetOpenTable('t1', o, od, 'new', 0), E.JET_errObjectNotFound);
  expectErr(f.e.JetCreateTable('t1', s, dbid, 'NEW'), E.JET_errTableDuplicate);
  must(f.e.JetRollback('t1', s, 0));
  expectErr(f.e.JetOpenTable('t1', s, dbid, 'new', 0), E.JET_errObjectNotFound);
  // a committed table, a column added and rolled back
  const t2 = must(f.e.JetCreateTable('t1', s, dbid, 'kept')).tableid as JET_HANDLE;
  must(f.e.JetBeginTransaction('t1', s));
  const c2 = must(f.e.JetAddColumn('t1', s, t2, 'c', K.JET_coltypLong)).columnid as number;
  assert.equal(c2, c);
  must(f.e.JetRollback('t1', s, 0));
  must(f.e.JetPrepareUpdate('t1', s, t2, K.JET_prepInsert));
  expectErr(f.e.JetSetColumn('t1', s, t2, c2, 1), E.JET_errColumnNotFound);
  expectErr(f.e.JetCreateTable('t1', s, dbid, ''), E.JET_errInvalidName);
});

test('JetCreateTable returns the table opened with DenyRead; JetDupCursor gives an unlocked cursor', () => {
  const f = new Fixture();
  const s = f.session();
  const dbid = f.database(s);
  const t = must(f.e.JetCreateTable('t1', s, dbid, 'x')).tableid as JET_HANDLE;
  const o = f.session();
  const od = must(f.e.JetOpenDatabase('t1', o, 'db1', 0)).dbid as number;
  expectErr(f.e.JetOpenTable('t1', o, od, 'x', 0), E.JET_errTableLocked);
  const d = must(f.e.JetDupCursor('t1', s, t, 0)).tableid as JET_HANDLE;
  must(f.e.JetCloseTable('t1', s, t));
  must(f.e.JetOpenTable('t1', o, od, 'x', 0), 'the duplicate holds no lock');
  must(f.e.JetCloseTable('t1', s, d));
});

test('read-only cursors cannot write (-1809); temp tables: insert, navigate, no JetAddColumn or JetDupCursor', () => {
  const f = new Fixture();
  const s = f.session();
  const dbid = f.database(s);
  f.table(s, dbid, [1]);
  const ro = f.open(s, dbid, B.JET_bitTableReadOnly);
  expectErr(f.e.JetPrepareUpdate('t1', s, ro, K.JET_prepInsert), E.JET_errPermissionDenied);
  expectErr(f.e.JetSetColumn('t1', s, ro, 999, 'a'), E.JET_errPermissionDenied, 'updatability before the prepared check (fldmod.cxx 1947-1963; engine, fuzz seed 325)');
  const tt = must(f.e.JetOpenTempTable('t1', s, [{ coltyp: K.JET_coltypLong, grbit: 0 }, { coltyp: K.JET_coltypText, grbit: 0 }], 0));
  assert.deepEqual(tt.columnids, [1, 128]);
  const t = tt.tableid as JET_HANDLE;
  expectErr(f.e.JetMove('t1', s, t, K.JET_MoveFirst, 0), E.JET_errNoCurrentRecord);
  must(f.e.JetBeginTransaction('t1', s));
  must(f.e.JetPrepareUpdate('t1', s, t, K.JET_prepInsert));
  must(f.e.JetSetColumn('t1', s, t, 1, 7));
  must(f.e.JetUpdate('t1', s, t));
  must(f.e.JetMove('t1', s, t, K.JET_MoveNext, 0), 'a temp table starts before the first record');
  assert.equal(f.e.JetRetrieveColumn('t1', s, t, 1).value, 7);
  expectErr(f.e.JetAddColumn('t1', s, t, 'x', K.JET_coltypLong), E.JET_errIllegalOperation, 'ErrIllegalAddColumn (engine: -1312)');
  const dup = must(f.e.JetDupCursor('t1', s, t, 0), 'a materialized temp table can be duplicated (ErrTTBaseDupCursor; engine: 0)').tableid as JET_HANDLE;
  must(f.e.JetCloseTable('t1', s, dup));
  const sort = must(f.e.JetOpenTempTable('t1', s, [{ coltyp: K.JET_coltypLong, grbit: B.JET_bitColumnTTKey }], 0)).tableid as JET_HANDLE;
  expectErr(f.e.JetDupCursor('t1', s, sort, 0), E.JET_errIllegalOperation, 'a sort cannot (ErrIllegalDupCursor)');
  must(f.e.JetDelete('t1', s, t));
  expectErr(f.e.JetRetrieveColumn('t1', s, t, 1), E.JET_errRecordDeleted);
  must(f.e.JetCommitTransaction('t1', s, 0));
});

test('limits: MaxOpenTables counts distinct tables with open cursors (-1311), MaxCursors counts cursors (-1013); releases are observable', () => {
  const f = new Fixture({ maxOpenTables: 2, maxCursors: 4 });
  const s = f.session();
  const dbid = f.database(s);
  for (const name of ['a', 'b', 'c']) must(f.e.JetCloseTable('t1', s, must(f.e.JetCreateTable('t1', s, dbid, name)).tableid as JET_HANDLE));
  const a1 = f.open(s, dbid, 0, 'a');
  f.open(s, dbid, 0, 'a');
  f.open(s, dbid, 0, 'b');
  expectErr(f.e.JetOpenTable('t1', s, dbid, 'c', 0), E.JET_errTooManyOpenTables);
  f.open(s, dbid, 0, 'b');
  expectErr(f.e.JetOpenTable('t1', s, dbid, 'a', 0), E.JET_errOutOfCursors);
  must(f.e.JetCloseTable('t1', s, a1));
  f.open(s, dbid, 0, 'b');
});

test('databases: create/attach/open codes; files survive JetTerm; attach is per instance', () => {
  const f = new Fixture();
  const s = f.session();
  expectErr(f.e.JetAttachDatabase('t1', s, 'none.edb', 0), E.JET_errFileNotFound);
  expectErr(f.e.JetOpenDatabase('t1', s, 'none.edb', 0), E.JET_errDatabaseNotFound);
  expectErr(f.e.JetCreateDatabase('t1', s, '', 0), E.JET_errDatabaseInvalidPath);
  const dbid = f.database(s);
  expectErr(f.e.JetCreateDatabase('t1', s, 'DB1', 0), E.JET_errDatabaseDuplicate);
  expectErr(f.e.JetAttachDatabase('t1', s, 'db1', 0), E.JET_wrnDatabaseAttached);
  must(f.e.JetBeginTransaction('t1', s));
  expectErr(f.e.JetCreateDatabase('t1', s, 'db2', 0), E.JET_errInTransaction);
  must(f.e.JetCommitTransaction('t1', s, 0));
  f.table(s, dbid, [5]);
  const i2 = must(f.e.JetCreateInstance('t1', 'i2')).instance as JET_HANDLE;
  must(f.e.JetInit('t1', i2));
  const r = must(f.e.JetBeginSession('t1', i2, '', '')).sesid as JET_HANDLE;
  expectErr(f.e.JetAttachDatabase('t1', r, 'db1', 0), E.JET_errDatabaseSharingViolation);
  expectErr(f.e.JetCreateDatabase('t1', r, 'db1', 0), E.JET_errDatabaseSharingViolation, 'the name is in use by another instance\'s FMP (fmp.cxx 1190-1233; engine, fuzz seed 501: -1215)');
  must(f.e.JetEndSession('t1', s, 0));
  must(f.e.JetTerm('t1', f.inst) as { err: number });
  expectErr(f.e.JetCreateDatabase('t1', r, 'db1', 0), E.JET_errDatabaseDuplicate, 'the file exists, attached nowhere');
  expectErr(f.e.JetOpenDatabase('t1', r, 'db1', 0), E.JET_errDatabaseNotFound, 'not attached to i2');
  must(f.e.JetAttachDatabase('t1', r, 'db1', 0));
  const rd = must(f.e.JetOpenDatabase('t1', r, 'db1', 0)).dbid as number;
  assert.deepEqual(f.scan(r, f.open(r, rd)), [5]);
});

test('JetCreateTable checks the name before the read-only transaction (fcreate.cxx 2675; engine, fuzz seed 502: "" -1002, "x" -1110)', () => {
  const f = new Fixture();
  const s = f.session();
  const dbid = f.database(s);
  must(f.e.JetBeginTransaction2('t1', s, B.JET_bitTransactionReadOnly));
  expectErr(f.e.JetCreateTable('t1', s, dbid, ''), E.JET_errInvalidName);
  expectErr(f.e.JetCreateTable('t1', s, dbid, 'x'), E.JET_errTransReadOnly);
  must(f.e.JetCommitTransaction('t1', s, 0));
  must(f.e.JetCreateTable('t1', s, dbid, 'x'));
});
