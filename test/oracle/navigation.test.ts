/**
 * A cursor's navigation level (ESE's LevelFUCBNavigate): a rollback of the level at which a
 * cursor last moved puts it before first (dir.cxx ErrDIRRollback 2264-2271), whether or not its
 * record survives; a commit carries the level down (ErrDIRCommitTransaction 2155-2158). Each case
 * below was measured on Microsoft's ESE built from source, through the bridge under Wine (the
 * differential fuzzer's seed 401: the engine answered -1603 where the reference said -1017).
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { E, Fixture, K, expectErr, must, type JET_HANDLE } from './fixture';

function setup() {
  const f = new Fixture();
  const s = f.session();
  const dbid = f.database(s);
  f.table(s, dbid, [7]);
  const t = f.open(s, dbid);
  const get = () => f.e.JetRetrieveColumn('t1', s, t, f.columnid);
  const moveFirst = () => must(f.e.JetMove('t1', s, t, K.JET_MoveFirst, 0));
  return { f, s, t, get, moveFirst };
}

test('a cursor moved inside a transaction is before first after its rollback, though its record was committed before', () => {
  const { f, s, t, get, moveFirst } = setup();
  must(f.e.JetBeginTransaction('t1', s));
  moveFirst();
  assert.equal(must(get()).value, 7);
  must(f.e.JetRollback('t1', s, 0));
  expectErr(get(), E.JET_errNoCurrentRecord, 'before first, not on the record');
  must(f.e.JetMove('t1', s, t, K.JET_MoveNext, 0), 'from before first, the next record is the first');
  assert.equal(must(get()).value, 7);
});

test('a cursor on a record inserted and rolled back is before first (-1603), not on a deleted record (-1017)', () => {
  const { f, s, t, get } = setup();
  must(f.e.JetBeginTransaction('t1', s));
  f.insert(s, t, 9);
  must(f.e.JetMove('t1', s, t, K.JET_MoveLast, 0));
  assert.equal(must(get()).value, 9);
  must(f.e.JetRollback('t1', s, 0));
  expectErr(get(), E.JET_errNoCurrentRecord);
});

test('a rollback of a level above the move, a move at level 0, or JetMove(0) inside the level leave the cursor where it is', () => {
  const { f, s, t, get, moveFirst } = setup();
  must(f.e.JetBeginTransaction('t1', s));
  moveFirst();
  must(f.e.JetBeginTransaction('t1', s));
  must(f.e.JetRollback('t1', s, 0));
  assert.equal(must(get()).value, 7, 'moved at level 1, level 2 rolled back');
  must(f.e.JetRollback('t1', s, 0));

  moveFirst();
  must(f.e.JetBeginTransaction('t1', s));
  must(f.e.JetMove('t1', s, t, 0, 0));
  must(f.e.JetRollback('t1', s, 0));
  assert.equal(must(get()).value, 7, 'moved at level 0; JetMove(0) is no move');
});

test('a commit carries the navigation level down: moved at level 2, committed, the rollback of level 1 puts the cursor before first', () => {
  const { f, s, get, moveFirst } = setup();
  must(f.e.JetBeginTransaction('t1', s));
  must(f.e.JetBeginTransaction('t1', s));
  moveFirst();
  must(f.e.JetCommitTransaction('t1', s, 0));
  assert.equal(must(get()).value, 7);
  must(f.e.JetRollback('t1', s, 0));
  expectErr(get(), E.JET_errNoCurrentRecord);
});

test('a failed move counts as a move: MoveNext past the last record inside a transaction, rolled back, then MoveNext lands on the first', () => {
  const { f, s, t, get, moveFirst } = setup();
  moveFirst();
  must(f.e.JetBeginTransaction('t1', s));
  expectErr(f.e.JetMove('t1', s, t, K.JET_MoveNext, 0), E.JET_errNoCurrentRecord);
  must(f.e.JetRollback('t1', s, 0));
  must(f.e.JetMove('t1', s, t, K.JET_MoveNext, 0));
  assert.equal(must(get()).value, 7);
});

test('JetDupCursor of a materialized temp table puts the duplicate on the first record (ErrIsamSortDupCursor, sortapi.cxx 845-852; engine, fuzz seed 602)', () => {
  const f = new Fixture();
  const s = f.session();
  const cols = [{ coltyp: K.JET_coltypLong, grbit: 0 }];
  const tt = must(f.e.JetOpenTempTable('t1', s, cols, 0)).tableid as JET_HANDLE;
  const empty = must(f.e.JetDupCursor('t1', s, tt, 0)).tableid as JET_HANDLE;
  expectErr(f.e.JetRetrieveColumn('t1', s, empty, 1), E.JET_errNoCurrentRecord, 'no record: the move\'s -1603 is ignored');
  for (const v of [5, 6]) {
    must(f.e.JetPrepareUpdate('t1', s, tt, K.JET_prepInsert));
    must(f.e.JetSetColumn('t1', s, tt, 1, v));
    must(f.e.JetUpdate('t1', s, tt));
  }
  const dup = must(f.e.JetDupCursor('t1', s, tt, 0)).tableid as JET_HANDLE;
  assert.equal(must(f.e.JetRetrieveColumn('t1', s, dup, 1)).value, 5);
  must(f.e.JetMove('t1', s, dup, K.JET_MoveNext, 0));
  assert.equal(must(f.e.JetRetrieveColumn('t1', s, dup, 1)).value, 6);
});

test('a failed move from the deferred first position leaves the cursor before first (backward) or after last (forward); JetMove(0) leaves it deferred (rec.cxx 1009-1019; engine, fuzz seed 601)', () => {
  const f = new Fixture();
  const s = f.session();
  const dbid = f.database(s);
  f.table(s, dbid, []);
  const back = f.open(s, dbid);
  const fwd = f.open(s, dbid);
  const none = f.open(s, dbid);
  expectErr(f.e.JetMove('t1', s, back, K.JET_MovePrevious, 0), E.JET_errNoCurrentRecord);
  expectErr(f.e.JetMove('t1', s, fwd, K.JET_MoveNext, 0), E.JET_errNoCurrentRecord);
  expectErr(f.e.JetMove('t1', s, none, 0, 0), E.JET_errNoCurrentRecord);
  f.insert(s, back, 1);
  expectErr(f.e.JetRetrieveColumn('t1', s, back, f.columnid), E.JET_errNoCurrentRecord, 'before first');
  expectErr(f.e.JetRetrieveColumn('t1', s, fwd, f.columnid), E.JET_errNoCurrentRecord, 'after last');
  assert.equal(must(f.e.JetRetrieveColumn('t1', s, none, f.columnid)).value, 1, 'still deferred: now on the first record');
  must(f.e.JetMove('t1', s, back, K.JET_MoveNext, 0));
  must(f.e.JetMove('t1', s, fwd, K.JET_MovePrevious, 0));
});

test('a commit never raises a navigation level: moved at level 0, level 2 committed into level 1, the rollback of level 1 leaves the cursor on its record', () => {
  const { f, s, get, moveFirst } = setup();
  moveFirst();
  must(f.e.JetBeginTransaction('t1', s));
  must(f.e.JetBeginTransaction('t1', s));
  must(f.e.JetCommitTransaction('t1', s, 0));
  must(f.e.JetRollback('t1', s, 0));
  assert.equal(must(get()).value, 7);
});
