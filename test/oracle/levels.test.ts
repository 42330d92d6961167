/**
 * What a rollback or commit of one level does to the state JetEndSession later cleans up: updates
 * prepared at a level (ESE's levelPrep: a rollback of that level cancels them, one of a level
 * above does not), write locks taken by JetPrepareUpdate(JET_prepReplace) and merged with writes
 * of other levels, records written at three levels, and the cursor and open-table quotas after
 * cursors closed inside a level that is then committed or rolled back.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { B, E, Fixture, K, expectErr, must } from './fixture';
import type { JET_HANDLE } from './fixture';

function withTable(values: readonly number[], options: ConstructorParameters<typeof Fixture>[0] = {}) {
  const f = new Fixture(options);
  const s = f.session();
  const dbid = f.database(s);
  f.table(s, dbid, values);
  return { f, s, dbid };
}

/** Another session with the database open: what it sees, and whether it can write a record. */
function other(f: Fixture) {
  const o = f.session('t2');
  const od = must(f.e.JetOpenDatabase('t2', o, 'db1', 0)).dbid as number;
  const ot = f.open(o, od, 0, 't', 't2');
  return { o, ot };
}

test('an update prepared at level 1 survives the rollback of level 2 and is applied; one prepared at level 2 is cancelled by it', () => {
  const { f, s, dbid } = withTable([1, 2]);
  const t = f.open(s, dbid);
  must(f.e.JetBeginTransaction('t1', s));
  assert.ok(f.seek(s, t, 1));
  must(f.e.JetPrepareUpdate('t1', s, t, K.JET_prepReplace));
  must(f.e.JetSetColumn('t1', s, t, f.columnid, 10));
  must(f.e.JetBeginTransaction('t1', s));
  must(f.e.JetRollback('t1', s, 0));
  must(f.e.JetUpdate('t1', s, t), 'the level-1 update is still prepared');
  assert.deepEqual(f.scan(s, t), [10, 2]);

  const u = f.open(s, dbid);
  assert.ok(f.seek(s, u, 2));
  must(f.e.JetBeginTransaction('t1', s));
  must(f.e.JetPrepareUpdate('t1', s, u, K.JET_prepReplace));
  must(f.e.JetSetColumn('t1', s, u, f.columnid, 20));
  must(f.e.JetRollback('t1', s, 0));
  expectErr(f.e.JetSetColumn('t1', s, u, f.columnid, 21), E.JET_errUpdateNotPrepared, 'the level-2 update went with its level');
  expectErr(f.e.JetUpdate('t1', s, u), E.JET_errUpdateNotPrepared);
  must(f.e.JetCommitTransaction('t1', s, 0));
  assert.deepEqual(f.committed(), [10, 2]);
});

test('an insert prepared at level 1 survives a rolled-back level 2 and commits; prepared at level 2 it is cancelled', () => {
  const { f, s, dbid } = withTable([1]);
  const t = f.open(s, dbid);
  must(f.e.JetBeginTransaction('t1', s));
  must(f.e.JetPrepareUpdate('t1', s, t, K.JET_prepInsert));
  must(f.e.JetSetColumn('t1', s, t, f.columnid, 7));
  must(f.e.JetBeginTransaction('t1', s));
  must(f.e.JetBeginTransaction('t1', s));
  must(f.e.JetRollback('t1', s, 0));
  must(f.e.JetRollback('t1', s, 0));
  must(f.e.JetUpdate('t1', s, t));
  must(f.e.JetBeginTransaction('t1', s));
  must(f.e.JetPrepareUpdate('t1', s, t, K.JET_prepInsert));
  must(f.e.JetSetColumn('t1', s, t, f.columnid, 8));
  must(f.e.JetRollback('t1', s, 0));
  expectErr(f.e.JetUpdate('t1', s, t), E.JET_errUpdateNotPrepared);
  must(f.e.JetCommitTransaction('t1', s, 0));
  assert.deepEqual(f.committed(), [1, 7]);
});

test('JET_prepReplace on a record the session already changed at this level keeps the changed value', () => {
  const { f, s, dbid } = withTable([1, 2]);
  const t = f.open(s, dbid);
  must(f.e.JetBeginTransaction('t1', s));
  assert.equal(f.replace(s, t, 1, 5), 0);
  assert.ok(f.seek(s, t, 5));
  must(f.e.JetPrepareUpdate('t1', s, t, K.JET_prepReplace), 'the session holds the lock already');
  must(f.e.JetPrepareUpdate('t1', s, t, K.JET_prepCancel));
  assert.deepEqual(f.scan(s, t), [5, 2], 'preparing a replace changes no value');
  must(f.e.JetCommitTransaction('t1', s, 0));
  assert.deepEqual(f.committed(), [5, 2]);
});

test('a record only locked at level 1 (JET_prepReplace, then cancelled) and changed at level 2: committed twice, the change is durable', () => {
  const { f, s, dbid } = withTable([1, 2]);
  const { o, ot } = other(f);
  const t = f.open(s, dbid);
  must(f.e.JetBeginTransaction('t1', s));
  assert.ok(f.seek(s, t, 1));
  must(f.e.JetPrepareUpdate('t1', s, t, K.JET_prepReplace));
  must(f.e.JetPrepareUpdate('t1', s, t, K.JET_prepCancel));
  must(f.e.JetBeginTransaction('t2', o));
  assert.equal(f.replace(o, ot, 1, 9, 't2'), E.JET_errWriteConflict, 'the cancelled replace left its write lock');
  must(f.e.JetRollback('t2', o, 0));
  must(f.e.JetBeginTransaction('t1', s));
  assert.equal(f.replace(s, t, 1, 3), 0);
  must(f.e.JetCommitTransaction('t1', s, 0));
  assert.deepEqual(f.scan(s, t), [3, 2]);
  assert.deepEqual(f.scan(o, ot, 't2'), [1, 2], 'others still see the committed value');
  must(f.e.JetCommitTransaction('t1', s, 0));
  assert.deepEqual(f.committed(), [3, 2]);
  assert.deepEqual(f.scan(o, ot, 't2'), [3, 2]);
  must(f.e.JetBeginTransaction('t2', o));
  assert.equal(f.replace(o, ot, 3, 4, 't2'), 0, 'no lock is left');
  must(f.e.JetCommitTransaction('t2', o, 0));
});

test('the same lock and level-2 change, committed into level 1 and then rolled back: the committed value is back and unlocked', () => {
  const { f, s, dbid } = withTable([1]);
  const t = f.open(s, dbid);
  must(f.e.JetBeginTransaction('t1', s));
  assert.ok(f.seek(s, t, 1));
  must(f.e.JetPrepareUpdate('t1', s, t, K.JET_prepReplace));
  must(f.e.JetPrepareUpdate('t1', s, t, K.JET_prepCancel));
  must(f.e.JetBeginTransaction('t1', s));
  assert.equal(f.replace(s, t, 1, 3), 0);
  must(f.e.JetCommitTransaction('t1', s, 0));
  must(f.e.JetRollback('t1', s, 0));
  assert.deepEqual(f.scan(s, t), [1]);
  const { o, ot } = other(f);
  must(f.e.JetBeginTransaction('t2', o));
  assert.equal(f.replace(o, ot, 1, 4, 't2'), 0);
});

test('a record changed at levels 1, 2 and 3: level 3 committed into 2, then level 2 rolled back, leaves the level-1 value', () => {
  const { f, s, dbid } = withTable([1]);
  const t = f.open(s, dbid);
  must(f.e.JetBeginTransaction('t1', s));
  assert.equal(f.replace(s, t, 1, 2), 0);
  must(f.e.JetBeginTransaction('t1', s));
  assert.equal(f.replace(s, t, 2, 3), 0);
  must(f.e.JetBeginTransaction('t1', s));
  assert.equal(f.replace(s, t, 3, 4), 0);
  must(f.e.JetCommitTransaction('t1', s, 0));
  assert.deepEqual(f.scan(s, t), [4]);
  must(f.e.JetRollback('t1', s, 0));
  assert.deepEqual(f.scan(s, t), [2], 'the level-1 change stays');
  assert.deepEqual(f.committed(), [1]);
  must(f.e.JetCommitTransaction('t1', s, 0));
  assert.deepEqual(f.committed(), [2]);
});

test('cursors opened and closed inside a level release their quota once: after rollback and after commit-then-rollback, MaxCursors is exact', () => {
  const { f, s, dbid } = withTable([1], { maxCursors: 3 });
  for (const commitFirst of [false, true]) {
    must(f.e.JetBeginTransaction('t1', s));
    if (commitFirst) must(f.e.JetBeginTransaction('t1', s));
    for (let i = 0; i < 3; i++) must(f.e.JetCloseTable('t1', s, f.open(s, dbid)));
    const tmp = must(f.e.JetOpenTempTable('t1', s, [{ coltyp: K.JET_coltypLong, grbit: B.JET_bitColumnTTKey }], 0)).tableid as JET_HANDLE;
    must(f.e.JetCloseTable('t1', s, tmp));
    if (commitFirst) must(f.e.JetCommitTransaction('t1', s, 0));
    must(f.e.JetRollback('t1', s, 0));
    const open = [f.open(s, dbid), f.open(s, dbid), f.open(s, dbid)];
    expectErr(f.e.JetOpenTable('t1', s, dbid, 't', 0), E.JET_errOutOfCursors, `exactly 3 cursors (${commitFirst ? 'commit, then rollback' : 'rollback'})`);
    for (const c of open) must(f.e.JetCloseTable('t1', s, c));
  }
});

test('MaxOpenTables counts a table until its last cursor closes: closing one of two cursors on it frees no slot', () => {
  const f = new Fixture({ maxOpenTables: 2 });
  const s = f.session();
  const dbid = f.database(s);
  for (const name of ['a', 'b', 'c']) must(f.e.JetCloseTable('t1', s, must(f.e.JetCreateTable('t1', s, dbid, name)).tableid as JET_HANDLE));
  const a1 = f.open(s, dbid, 0, 'a');
  const a2 = f.open(s, dbid, 0, 'a');
  must(f.e.JetCloseTable('t1', s, a1));
  f.open(s, dbid, 0, 'b');
  expectErr(f.e.JetOpenTable('t1', s, dbid, 'c', 0), E.JET_errTooManyOpenTables, 'a is still open through a2');
  must(f.e.JetCloseTable('t1', s, a2));
  f.open(s, dbid, 0, 'c');
  expectErr(f.e.JetOpenTable('t1', s, dbid, 'a', 0), E.JET_errTooManyOpenTables);
});

test('a record changed at level 1, not at level 2, and at level 3: level 3 committed into 2, then level 2 rolled back, leaves the level-1 value', () => {
  const { f, s, dbid } = withTable([1]);
  const t = f.open(s, dbid);
  must(f.e.JetBeginTransaction('t1', s));
  assert.equal(f.replace(s, t, 1, 2), 0);
  must(f.e.JetBeginTransaction('t1', s));
  must(f.e.JetBeginTransaction('t1', s));
  assert.equal(f.replace(s, t, 2, 3), 0);
  must(f.e.JetCommitTransaction('t1', s, 0));
  assert.deepEqual(f.scan(s, t), [3]);
  must(f.e.JetRollback('t1', s, 0));
  assert.deepEqual(f.scan(s, t), [2], 'the level-3 change was committed into level 2 and went with it');
  must(f.e.JetCommitTransaction('t1', s, 0));
  assert.deepEqual(f.committed(), [2]);
});

test('a table created at level 0: its cursor is not versioned, so closing it inside a later transaction releases its DenyRead lock at once', () => {
  const f = new Fixture();
  const s = f.session();
  const dbid = f.database(s);
  const t = must(f.e.JetCreateTable('t1', s, dbid, 't')).tableid as JET_HANDLE;
  must(f.e.JetAddColumn('t1', s, t, 'v', K.JET_coltypLong));
  const o = f.session('t2');
  const od = must(f.e.JetOpenDatabase('t2', o, 'db1', 0)).dbid as number;
  expectErr(f.e.JetOpenTable('t2', o, od, 't', 0), E.JET_errTableLocked, 'JetCreateTable returns the table opened with DenyRead');
  must(f.e.JetBeginTransaction('t1', s));
  must(f.e.JetCloseTable('t1', s, t));
  must(f.e.JetOpenTable('t2', o, od, 't', 0), 'nothing was written in this transaction: the lock is gone with the close');
  must(f.e.JetCommitTransaction('t1', s, 0));
});

test('a dirty term with a record changed in an open transaction: after recovery the record has its committed value and nobody holds it', () => {
  const { f, s, dbid } = withTable([1, 2]);
  const t = f.open(s, dbid);
  must(f.e.JetBeginTransaction('t1', s));
  assert.equal(f.replace(s, t, 1, 5), 0);
  must(f.e.JetBeginTransaction('t1', s));
  assert.equal(f.replace(s, t, 2, 6), 0);
  expectErr(f.e.JetTerm2('t1', f.inst, B.JET_bitTermDirty) as { err: number }, E.JET_errDirtyShutdown);
  const i2 = must(f.e.JetCreateInstance('t1', 'again')).instance as JET_HANDLE;
  must(f.e.JetInit('t1', i2));
  const r = must(f.e.JetBeginSession('t1', i2, '', '')).sesid as JET_HANDLE;
  must(f.e.JetAttachDatabase('t1', r, 'db1', 0));
  const rd = must(f.e.JetOpenDatabase('t1', r, 'db1', 0)).dbid as number;
  const rt = f.open(r, rd);
  assert.deepEqual(f.scan(r, rt), [1, 2]);
  must(f.e.JetBeginTransaction('t1', r));
  assert.equal(f.replace(r, rt, 1, 7), 0, 'no write lock of the terminated session is left');
  assert.equal(f.replace(r, rt, 2, 8), 0);
  must(f.e.JetCommitTransaction('t1', r, 0));
  assert.deepEqual(f.scan(r, rt), [7, 8]);
});

test('MaxTemporaryTables counts sorts only: a materialized temp table (no key column) neither takes nor gives back a slot', () => {
  const f = new Fixture({ maxTemporaryTables: 1 });
  const s = f.session();
  const unkeyed = [{ coltyp: K.JET_coltypLong, grbit: 0 }];
  const keyed = [{ coltyp: K.JET_coltypLong, grbit: B.JET_bitColumnTTKey }];
  const materialized = must(f.e.JetOpenTempTable('t1', s, unkeyed, 0)).tableid as JET_HANDLE;
  const sort = must(f.e.JetOpenTempTable('t1', s, keyed, 0), 'the materialized one gave its slot back at open').tableid as JET_HANDLE;
  expectErr(f.e.JetOpenTempTable('t1', s, keyed, 0), E.JET_errTooManySorts, 'the one slot is taken');
  expectErr(f.e.JetOpenTempTable('t1', s, unkeyed, 0), E.JET_errTooManySorts, 'a temp table opens as a sort first');
  must(f.e.JetCloseTable('t1', s, materialized));
  expectErr(f.e.JetOpenTempTable('t1', s, keyed, 0), E.JET_errTooManySorts, 'closing a materialized temp table frees no slot');
  must(f.e.JetCloseTable('t1', s, sort));
  must(f.e.JetOpenTempTable('t1', s, keyed, 0));
});

test('a write lock committed after another transaction began conflicts with that transaction\'s write; one begun after the commit does not (ver.cxx FVERIWriteConflict, measured on ESE)', () => {
  const { f, s, dbid } = withTable([1]);
  const { o, ot } = other(f);
  const t = f.open(s, dbid);
  must(f.e.JetBeginTransaction('t2', o));
  assert.deepEqual(f.scan(o, ot, 't2'), [1], 'the older snapshot is taken');
  must(f.e.JetBeginTransaction('t1', s));
  assert.ok(f.seek(s, t, 1));
  must(f.e.JetPrepareUpdate('t1', s, t, K.JET_prepReplace));
  must(f.e.JetPrepareUpdate('t1', s, t, K.JET_prepCancel));
  must(f.e.JetCommitTransaction('t1', s, 0));
  assert.deepEqual(f.committed(), [1], 'a lock changes no value');
  assert.deepEqual(f.scan(o, ot, 't2'), [1]);
  assert.equal(f.replace(o, ot, 1, 9, 't2'), E.JET_errWriteConflict, 'the lock committed after o began');
  must(f.e.JetRollback('t2', o, 0));
  must(f.e.JetBeginTransaction('t2', o));
  assert.equal(f.replace(o, ot, 1, 9, 't2'), 0, 'a transaction begun after the commit');
  must(f.e.JetCommitTransaction('t2', o, 0));
  assert.deepEqual(f.committed(), [9]);
});
