/**
 * A sort's insert and return modes (oracle/sort.ts; sortapi.cxx 2903-3024, 3321-3422, 3466-3475;
 * sort.cxx 303-372, 769-810). Each expectation is what the engine answered to the same calls (ESENT
 * flavour under Wine, a probe script through the bridge; docs/implementations/ese.md, triage item 11).
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { E, K, B, Fixture, must, expectErr, type JET_HANDLE } from './fixture';

const JET_bitTTUpdatable = 0x4;
const JET_bitTTScrollable = 0x8;
const JET_bitTTSortNullsHigh = 0x10;
const JET_bitColumnTTDescending = 0x80;

interface Sort {
  readonly f: Fixture;
  readonly s: JET_HANDLE;
  readonly t: JET_HANDLE;
  readonly cols: number[];
}

function sort(keys: readonly number[][], grbit = 0, columns = [{ coltyp: K.JET_coltypLong, grbit: B.JET_bitColumnTTKey }, { coltyp: K.JET_coltypLong, grbit: 0 }], f = new Fixture()): Sort {
  const s = f.session();
  const r = must(f.e.JetOpenTempTable('t1', s, columns, grbit));
  const t = r.tableid as JET_HANDLE;
  const cols = r.columnids as number[];
  for (const values of keys) insert({ f, s, t, cols }, values);
  return { f, s, t, cols };
}

function insert(x: Sort, values: readonly number[]): void {
  must(x.f.e.JetPrepareUpdate('t1', x.s, x.t, K.JET_prepInsert));
  values.forEach((v, i) => must(x.f.e.JetSetColumn('t1', x.s, x.t, x.cols[i], v)));
  must(x.f.e.JetUpdate('t1', x.s, x.t));
}

function read(x: Sort, t = x.t, col = 0): unknown {
  const r = x.f.e.JetRetrieveColumn('t1', x.s, t, x.cols[col]);
  return r.err < 0 ? r.err : r.value;
}

/** Every key from the current position on, moving forward. */
function rest(x: Sort, t = x.t): unknown[] {
  const out: unknown[] = [];
  for (let r = x.f.e.JetMove('t1', x.s, t, 0, 0); r.err === 0 && out.length < 20; r = x.f.e.JetMove('t1', x.s, t, K.JET_MoveNext, 0)) out.push(read(x, t));
  return out;
}

test('insert mode: JetRetrieveColumn and JetDupCursor are -1312, inserts are taken, prepReplace has no record', () => {
  const x = sort([[5]]);
  expectErr(x.f.e.JetRetrieveColumn('t1', x.s, x.t, x.cols[0]), E.JET_errIllegalOperation);
  expectErr(x.f.e.JetDupCursor('t1', x.s, x.t, 0), E.JET_errIllegalOperation);
  expectErr(x.f.e.JetPrepareUpdate('t1', x.s, x.t, K.JET_prepReplace), E.JET_errNoCurrentRecord);
  expectErr(x.f.e.JetDelete('t1', x.s, x.t), E.JET_errIllegalOperation);
});

test('the first move sorts by key, drops a duplicate key and puts NULL first: MoveNext stays on the first record', () => {
  const x = sort([[5, 51], [3], [5, 52], [-7]]);
  must(x.f.e.JetPrepareUpdate('t1', x.s, x.t, K.JET_prepInsert));
  must(x.f.e.JetSetColumn('t1', x.s, x.t, x.cols[1], 99));
  must(x.f.e.JetUpdate('t1', x.s, x.t));
  must(x.f.e.JetMove('t1', x.s, x.t, K.JET_MoveNext, 0));
  assert.equal(read(x, x.t, 1), 99, 'the NULL key first');
  assert.deepEqual(rest(x), [null, -7, 3, 5]);
  must(x.f.e.JetMove('t1', x.s, x.t, K.JET_MoveLast, 0));
  assert.equal(read(x, x.t, 1), 51, 'of two records with key 5 the first inserted stays');
});

test('descending key columns and JET_bitTTSortNullsHigh', () => {
  const desc = sort([[1], [3], [2]], 0, [{ coltyp: K.JET_coltypLong, grbit: B.JET_bitColumnTTKey | JET_bitColumnTTDescending }]);
  must(desc.f.e.JetMove('t1', desc.s, desc.t, K.JET_MoveFirst, 0));
  assert.deepEqual(rest(desc), [3, 2, 1]);
  const high = sort([[2]], JET_bitTTSortNullsHigh, [{ coltyp: K.JET_coltypLong, grbit: B.JET_bitColumnTTKey }, { coltyp: K.JET_coltypLong, grbit: 0 }]);
  must(high.f.e.JetPrepareUpdate('t1', high.s, high.t, K.JET_prepInsert));
  must(high.f.e.JetSetColumn('t1', high.s, high.t, high.cols[1], 7));
  must(high.f.e.JetUpdate('t1', high.s, high.t));
  must(high.f.e.JetMove('t1', high.s, high.t, K.JET_MoveFirst, 0));
  assert.deepEqual(rest(high), [2, null]);
});

test('return mode: every JetPrepareUpdate, JetSetColumn, JetUpdate and JetDelete is -1312; JetRetrieveColumn reads', () => {
  const x = sort([[5], [3]]);
  must(x.f.e.JetPrepareUpdate('t1', x.s, x.t, K.JET_prepInsert));
  must(x.f.e.JetMove('t1', x.s, x.t, K.JET_MoveFirst, 0));
  for (const prep of [K.JET_prepInsert, K.JET_prepCancel, K.JET_prepReplace, 99]) expectErr(x.f.e.JetPrepareUpdate('t1', x.s, x.t, prep), E.JET_errIllegalOperation, `prep ${prep}`);
  expectErr(x.f.e.JetSetColumn('t1', x.s, x.t, x.cols[0], 1), E.JET_errIllegalOperation);
  expectErr(x.f.e.JetUpdate('t1', x.s, x.t), E.JET_errIllegalOperation);
  expectErr(x.f.e.JetDelete('t1', x.s, x.t), E.JET_errIllegalOperation);
  assert.equal(read(x), 3);
});

test('the first move counts from the first record: JetMove(2) the second, MovePrevious -1312 without JET_bitTTScrollable', () => {
  const two = sort([[5], [3]]);
  must(two.f.e.JetMove('t1', two.s, two.t, 2, 0));
  assert.equal(read(two), 5);
  expectErr(two.f.e.JetMove('t1', two.s, two.t, K.JET_MoveNext, 0), E.JET_errNoCurrentRecord);
  const back = sort([[5], [3]]);
  expectErr(back.f.e.JetMove('t1', back.s, back.t, K.JET_MovePrevious, 0), E.JET_errIllegalOperation);
  must(back.f.e.JetMove('t1', back.s, back.t, 0, 0));
  assert.equal(read(back), 3, 'the insert ended; the sort is on its first record');
  const last = sort([[5], [3]], JET_bitTTScrollable);
  must(last.f.e.JetMove('t1', last.s, last.t, K.JET_MoveLast, 0));
  assert.equal(read(last), 5);
  must(last.f.e.JetMove('t1', last.s, last.t, K.JET_MovePrevious, 0));
  assert.equal(read(last), 3);
  expectErr(last.f.e.JetMove('t1', last.s, last.t, K.JET_MovePrevious, 0), E.JET_errNoCurrentRecord);
});

test('an empty sort: the first move is -1603 and ends the insert; a duplicate then has no current record', () => {
  const x = sort([]);
  expectErr(x.f.e.JetMove('t1', x.s, x.t, 0, 0), E.JET_errNoCurrentRecord);
  expectErr(x.f.e.JetRetrieveColumn('t1', x.s, x.t, x.cols[0]), E.JET_errNoCurrentRecord);
  expectErr(x.f.e.JetPrepareUpdate('t1', x.s, x.t, K.JET_prepInsert), E.JET_errIllegalOperation);
  const dup = must(x.f.e.JetDupCursor('t1', x.s, x.t, 0)).tableid as JET_HANDLE;
  expectErr(x.f.e.JetRetrieveColumn('t1', x.s, dup, x.cols[0]), E.JET_errNoCurrentRecord);
});

test("return mode: a duplicate is on the first record and keeps the sort's temp-table slot until the last close", () => {
  const x = sort([[5], [3]], 0, undefined, new Fixture({ maxTemporaryTables: 1 }));
  must(x.f.e.JetMove('t1', x.s, x.t, K.JET_MoveLast, 0));
  const dup = must(x.f.e.JetDupCursor('t1', x.s, x.t, 0)).tableid as JET_HANDLE;
  assert.equal(read(x, dup), 3);
  expectErr(x.f.e.JetPrepareUpdate('t1', x.s, dup, K.JET_prepInsert), E.JET_errIllegalOperation, 'the duplicate is in return mode');
  must(x.f.e.JetCloseTable('t1', x.s, x.t));
  const keyed = [{ coltyp: K.JET_coltypLong, grbit: B.JET_bitColumnTTKey }];
  expectErr(x.f.e.JetOpenTempTable('t1', x.s, keyed, 0), E.JET_errTooManySorts, 'the duplicate holds the SCB');
  must(x.f.e.JetCloseTable('t1', x.s, dup));
  must(x.f.e.JetOpenTempTable('t1', x.s, keyed, 0), 'the last close frees it');
});

test('JET_bitTTUpdatable: the first move cancels the prepared insert, materializes (the slot freed) and starts before the first record', () => {
  const x = sort([[5], [3]], JET_bitTTUpdatable, undefined, new Fixture({ maxTemporaryTables: 1 }));
  const keyed = [{ coltyp: K.JET_coltypLong, grbit: B.JET_bitColumnTTKey }];
  expectErr(x.f.e.JetOpenTempTable('t1', x.s, keyed, 0), E.JET_errTooManySorts);
  must(x.f.e.JetPrepareUpdate('t1', x.s, x.t, K.JET_prepInsert));
  expectErr(x.f.e.JetMove('t1', x.s, x.t, 0, 0), E.JET_errNoCurrentRecord);
  expectErr(x.f.e.JetUpdate('t1', x.s, x.t), E.JET_errUpdateNotPrepared, 'the move cancelled the insert');
  const other = must(x.f.e.JetOpenTempTable('t1', x.s, keyed, 0)).tableid as JET_HANDLE;
  must(x.f.e.JetCloseTable('t1', x.s, other));
  must(x.f.e.JetMove('t1', x.s, x.t, K.JET_MoveNext, 0));
  assert.equal(read(x), 3);
  insert(x, [1]);
  must(x.f.e.JetMove('t1', x.s, x.t, K.JET_MoveFirst, 0));
  assert.deepEqual(rest(x), [3, 5, 1], 'a later insert goes after the sorted records (no JET_bitTTIndexed)');
  must(x.f.e.JetDupCursor('t1', x.s, x.t, 0));
});
