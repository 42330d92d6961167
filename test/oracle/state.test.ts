/**
 * The state JetEndSession depends on, checked through the API: nested levels committed into each
 * other and then rolled back, cursors and DDL of a level, deferred closes (Errata 7), table and
 * database locks released exactly, pins of a database opened several times, snapshot reads while
 * others commit, entry checks with two instances, and the instance lookup. What the end cleans up
 * must first be kept right by everything else.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { B, E, Fixture, K, expectErr, must } from './fixture';
import type { JET_HANDLE } from './fixture';

function withTable(values: readonly number[] = [1]) {
  const f = new Fixture();
  const s = f.session();
  const dbid = f.database(s);
  f.table(s, dbid, values);
  return { f, s, dbid };
}

test('nested levels: work committed from level 2 into level 1 is undone by the end; committed to 0 it stays', () => {
  const { f, s, dbid } = withTable([1, 2]);
  const t = f.open(s, dbid);
  must(f.e.JetBeginTransaction('t1', s));
  f.insert(s, t, 3);
  must(f.e.JetBeginTransaction('t1', s));
  assert.equal(f.replace(s, t, 2, 4), 0);
  f.insert(s, t, 5);
  must(f.e.JetCommitTransaction('t1', s, 0));
  assert.deepEqual(f.scan(s, t), [1, 4, 3, 5], 'the session sees its merged work');
  assert.deepEqual(f.committed(), [1, 2], 'others see none of it');
  must(f.e.JetEndSession('t1', s, 0));
  assert.deepEqual(f.committed(), [1, 2]);

  const g = withTable([1, 2]);
  const u = g.f.open(g.s, g.dbid);
  must(g.f.e.JetBeginTransaction('t1', g.s));
  must(g.f.e.JetBeginTransaction('t1', g.s));
  assert.equal(g.f.replace(g.s, u, 2, 4), 0);
  must(g.f.e.JetCommitTransaction('t1', g.s, 0));
  must(g.f.e.JetCommitTransaction('t1', g.s, 0));
  assert.deepEqual(g.f.committed(), [1, 4]);
});

test('a record changed at level 1 and again at level 2: rolling back level 2 restores the level-1 value, level 1 the committed one', () => {
  const { f, s, dbid } = withTable([1]);
  const t = f.open(s, dbid);
  must(f.e.JetBeginTransaction('t1', s));
  assert.equal(f.replace(s, t, 1, 2), 0);
  must(f.e.JetBeginTransaction('t1', s));
  assert.equal(f.replace(s, t, 2, 3), 0);
  must(f.e.JetRollback('t1', s, 0));
  assert.deepEqual(f.scan(s, t), [2]);
  must(f.e.JetBeginTransaction('t1', s));
  assert.equal(f.replace(s, t, 2, 3), 0);
  must(f.e.JetCommitTransaction('t1', s, 0));
  assert.deepEqual(f.scan(s, t), [3]);
  must(f.e.JetRollback('t1', s, 0));
  assert.deepEqual(f.scan(s, t), [1]);
  // Another session can now take the record: no write lock is left.
  const o = f.session();
  const od = must(f.e.JetOpenDatabase('t1', o, 'db1', 0)).dbid as number;
  const ot = f.open(o, od);
  must(f.e.JetBeginTransaction('t1', o));
  assert.equal(f.replace(o, ot, 1, 9), 0);
});

test('a cursor opened at level 2 and committed into level 1 is closed by the rollback of level 1', () => {
  const { f, s, dbid } = withTable([1]);
  must(f.e.JetBeginTransaction('t1', s));
  must(f.e.JetBeginTransaction('t1', s));
  const t = f.open(s, dbid);
  must(f.e.JetCommitTransaction('t1', s, 0));
  must(f.e.JetMove('t1', s, t, K.JET_MoveFirst, 0));
  must(f.e.JetRollback('t1', s, 0));
  expectErr(f.e.JetMove('t1', s, t, K.JET_MoveFirst, 0), E.JET_errInvalidTableId, 'the cursor died with its level');
});

test('DDL inside a transaction: a table created and a column added are gone after the rollback; committed, others see them', () => {
  const { f, s, dbid } = withTable([1]);
  must(f.e.JetBeginTransaction('t1', s));
  const t2 = must(f.e.JetCreateTable('t1', s, dbid, 't2')).tableid as JET_HANDLE;
  must(f.e.JetCloseTable('t1', s, t2));
  const t = f.open(s, dbid);
  const col = must(f.e.JetAddColumn('t1', s, t, 'w', K.JET_coltypLong)).columnid as number;
  must(f.e.JetRollback('t1', s, 0));
  expectErr(f.e.JetOpenTable('t1', s, dbid, 't2', 0), E.JET_errObjectNotFound, 't2 after the rollback');
  const t3 = f.open(s, dbid);
  must(f.e.JetMove('t1', s, t3, K.JET_MoveFirst, 0));
  expectErr(f.e.JetRetrieveColumn('t1', s, t3, col), E.JET_errColumnNotFound, 'the column after the rollback');

  must(f.e.JetBeginTransaction('t1', s));
  must(f.e.JetBeginTransaction('t1', s));
  const t4 = must(f.e.JetCreateTable('t1', s, dbid, 't4')).tableid as JET_HANDLE;
  must(f.e.JetCloseTable('t1', s, t4));
  must(f.e.JetCommitTransaction('t1', s, 0));
  const o = f.session();
  const od = must(f.e.JetOpenDatabase('t1', o, 'db1', 0)).dbid as number;
  expectErr(f.e.JetOpenTable('t1', o, od, 't4', 0), E.JET_errObjectNotFound, 'uncommitted: others do not see it');
  must(f.e.JetCommitTransaction('t1', s, 0));
  must(f.e.JetOpenTable('t1', o, od, 't4', 0), 'committed to level 0: others see it');
});

test('Errata 7: a cursor that wrote, closed inside the transaction, keeps its DenyRead lock until the transaction ends', () => {
  const { f, s, dbid } = withTable([1]);
  const o = f.session();
  const od = must(f.e.JetOpenDatabase('t1', o, 'db1', 0)).dbid as number;
  must(f.e.JetBeginTransaction('t1', s));
  const t = f.open(s, dbid, B.JET_bitTableDenyRead);
  assert.equal(f.replace(s, t, 1, 2), 0); // a replace versions the user's cursor (an insert its own: insert-cursor.test.ts)
  must(f.e.JetCloseTable('t1', s, t));
  expectErr(f.e.JetMove('t1', s, t, K.JET_MoveFirst, 0), E.JET_errInvalidTableId, 'its tableid dies now');
  expectErr(f.e.JetOpenTable('t1', o, od, 't', 0), E.JET_errTableLocked, 'the lock stays');
  must(f.e.JetCommitTransaction('t1', s, 0));
  const ot = f.open(o, od);
  must(f.e.JetCloseTable('t1', o, ot), 'released at the commit');
  // Opened at level 1, written and closed at level 2: released when level 1 ends, not level 2.
  must(f.e.JetBeginTransaction('t1', s));
  const t2 = f.open(s, dbid, B.JET_bitTableDenyRead);
  must(f.e.JetBeginTransaction('t1', s));
  assert.equal(f.replace(s, t2, 2, 3), 0);
  must(f.e.JetCloseTable('t1', s, t2));
  must(f.e.JetRollback('t1', s, 0));
  expectErr(f.e.JetOpenTable('t1', o, od, 't', 0), E.JET_errTableLocked, 'still locked: level 1 is open');
  must(f.e.JetRollback('t1', s, 0));
  const oc = must(f.e.JetOpenTable('t1', o, od, 't', 0), 'released with level 1').tableid as JET_HANDLE;
  must(f.e.JetCloseTable('t1', o, oc));
  // Opened and closed inside a level that is rolled back: released with that level.
  must(f.e.JetBeginTransaction('t1', s));
  must(f.e.JetBeginTransaction('t1', s));
  const t3 = f.open(s, dbid, B.JET_bitTableDenyWrite);
  assert.equal(f.replace(s, t3, 2, 4), 0);
  must(f.e.JetCloseTable('t1', s, t3));
  expectErr(f.e.JetOpenTable('t1', o, od, 't', B.JET_bitTableDenyWrite), E.JET_errTableInUse, 'deferred DenyWrite');
  must(f.e.JetRollback('t1', s, 0));
  const ow = must(f.e.JetOpenTable('t1', o, od, 't', B.JET_bitTableDenyWrite), 'released with level 2').tableid as JET_HANDLE;
  must(f.e.JetCloseTable('t1', o, ow));
  must(f.e.JetRollback('t1', s, 0));
});

test('DenyRead and DenyWrite locks: held while the cursor is open, released exactly when it closes, by any way it closes', () => {
  const { f, s, dbid } = withTable([1]);
  const o = f.session();
  const od = must(f.e.JetOpenDatabase('t1', o, 'db1', 0)).dbid as number;
  const w = f.open(s, dbid, B.JET_bitTableDenyWrite);
  expectErr(f.e.JetOpenTable('t1', o, od, 't', B.JET_bitTableUpdatable), E.JET_errTableLocked, 'updatable against DenyWrite');
  expectErr(f.e.JetOpenTable('t1', o, od, 't', B.JET_bitTableDenyWrite), E.JET_errTableInUse, 'DenyWrite against DenyWrite');
  expectErr(f.e.JetOpenTable('t1', s, dbid, 't', B.JET_bitTableDenyWrite), E.JET_errTableInUse, 'a second DenyWrite, even by the holder');
  must(f.e.JetCloseTable('t1', s, w));
  const ow = must(f.e.JetOpenTable('t1', o, od, 't', B.JET_bitTableDenyWrite), 'no DenyWrite left').tableid as JET_HANDLE;
  must(f.e.JetCloseTable('t1', o, ow));

  const r1 = f.open(s, dbid, B.JET_bitTableDenyRead);
  const r2 = must(f.e.JetDupCursor('t1', s, r1, 0)).tableid as JET_HANDLE;
  expectErr(f.e.JetOpenTable('t1', o, od, 't', 0), E.JET_errTableLocked);
  must(f.e.JetCloseTable('t1', s, r1));
  must(f.e.JetCloseTable('t1', s, r2));
  const or = f.open(o, od);
  must(f.e.JetCloseTable('t1', o, or), 'every DenyRead cursor closed');
  // The end releases both kinds.
  f.open(s, dbid, B.JET_bitTableDenyRead);
  must(f.e.JetEndSession('t1', s, 0));
  must(f.e.JetOpenTable('t1', o, od, 't', B.JET_bitTableDenyWrite));
});

test('databases: an exclusive open is given up by its close; a database opened twice stays open after one close', () => {
  const f = new Fixture();
  const s = f.session();
  const dbid = f.database(s);
  must(f.e.JetCloseDatabase('t1', s, dbid, 0));
  const o = f.session();
  const ex = must(f.e.JetOpenDatabase('t1', s, 'db1', B.JET_bitDbExclusive)).dbid as number;
  expectErr(f.e.JetOpenDatabase('t1', o, 'db1', 0), E.JET_errDatabaseLocked);
  must(f.e.JetCloseDatabase('t1', s, ex, 0));
  const od = must(f.e.JetOpenDatabase('t1', o, 'db1', 0)).dbid as number;
  expectErr(f.e.JetOpenDatabase('t1', s, 'db1', B.JET_bitDbExclusive), E.JET_errDatabaseInUse, 'another session has it open');
  must(f.e.JetCloseDatabase('t1', o, od, 0));
  // Opened twice by s: one close leaves it open (and pinned) for s.
  const a = must(f.e.JetOpenDatabase('t1', s, 'db1', 0)).dbid as number;
  must(f.e.JetOpenDatabase('t1', s, 'db1', 0));
  must(f.e.JetCloseDatabase('t1', s, a, 0));
  expectErr(f.e.JetOpenDatabase('t1', o, 'db1', B.JET_bitDbExclusive), E.JET_errDatabaseInUse, 'still open once');
  must(f.e.JetCloseDatabase('t1', s, a, 0));
  expectErr(f.e.JetCloseDatabase('t1', s, a, 0), E.JET_errInvalidDatabaseId, 'closed as often as opened');
  const ox = must(f.e.JetOpenDatabase('t1', o, 'db1', B.JET_bitDbExclusive), 'nobody has it open').dbid as number;
  must(f.e.JetCloseDatabase('t1', o, ox, 0));
  // The end closes every open, however many.
  must(f.e.JetOpenDatabase('t1', s, 'db1', 0));
  must(f.e.JetOpenDatabase('t1', s, 'db1', 0));
  must(f.e.JetEndSession('t1', s, 0));
  must(f.e.JetOpenDatabase('t1', o, 'db1', B.JET_bitDbExclusive), 'the end closed both opens');
});

test('snapshots: a transaction reads the values as of its begin while others commit twice; a new one reads the latest', () => {
  const { f, s, dbid } = withTable([1]);
  const r = f.session();
  const rd = must(f.e.JetOpenDatabase('t1', r, 'db1', 0)).dbid as number;
  const rt = f.open(r, rd);
  must(f.e.JetBeginTransaction('t1', r));
  assert.deepEqual(f.scan(r, rt), [1]);
  const t = f.open(s, dbid);
  for (const [from, to] of [[1, 2], [2, 3]]) {
    must(f.e.JetBeginTransaction('t1', s));
    assert.equal(f.replace(s, t, from, to), 0);
    must(f.e.JetCommitTransaction('t1', s, 0));
  }
  f.insert(s, t, 7);
  assert.equal(f.remove(s, t, 7), 0);
  assert.deepEqual(f.scan(r, rt), [1], 'the reader still sees its snapshot');
  must(f.e.JetCommitTransaction('t1', r, 0));
  assert.deepEqual(f.scan(r, rt), [3], 'at level 0 it sees the latest');
  must(f.e.JetBeginTransaction('t1', r));
  assert.deepEqual(f.scan(r, rt), [3]);
  must(f.e.JetEndSession('t1', r, 0));
  assert.deepEqual(f.committed(), [3]);
  // A record deleted and committed is gone for everyone once no snapshot needs it.
  assert.equal(f.remove(s, t, 3), 0);
  assert.deepEqual(f.committed(), []);
});

test('entry checks with two instances: a term waiting on one instance gives -1000 there only; a forced restore gives -506', () => {
  const f = new Fixture();
  const s = f.session();
  const i2 = must(f.e.JetCreateInstance('t1', 'i2')).instance as JET_HANDLE;
  must(f.e.JetInit('t1', i2));
  const s2 = must(f.e.JetBeginSession('t1', i2, '', '')).sesid as JET_HANDLE;
  const held = f.e.hold('t2', { op: 'JetBeginTransaction', args: { sesid: s } });
  assert.ok('held' in held);
  assert.ok('pending' in f.e.JetTerm2('t3', f.inst, 0), 'the term waits for the held call');
  expectErr(f.e.JetRollback('t1', s, 0), E.JET_errTermInProgress, 'a call on the terminating instance');
  must(f.e.JetBeginTransaction('t1', s2), 'the other instance is not terminating');
  must(f.e.JetRollback('t1', s2, 0));
  f.e.release((held as { held: number }).held);
  assert.equal(f.e.forceInstanceState(i2, { state: 'restore-in-progress' }), 0);
  expectErr(f.e.JetBeginTransaction('t1', s2), E.JET_errRestoreInProgress);
});

test('instance lookup in multi-instance mode: a session handle or a terminated instance is not an instance', () => {
  const f = new Fixture();
  const s = f.session();
  assert.notEqual(f.e.JetBeginSession('t1', s, '', '').err, 0, 'a session handle');
  const i2 = must(f.e.JetCreateInstance('t1', 'i2')).instance as JET_HANDLE;
  must(f.e.JetInit('t1', i2));
  must(f.e.JetTerm('t1', i2) as { err: number });
  assert.notEqual(f.e.JetBeginSession('t1', i2, '', '').err, 0, 'a terminated instance');
  must(f.e.JetBeginSession('t1', f.inst, '', ''), 'the live one still works');
});

test('a dirty term rolls back every open transaction: a new instance finds only the committed records', () => {
  const { f, s, dbid } = withTable([1]);
  const t = f.open(s, dbid);
  must(f.e.JetBeginTransaction('t1', s));
  f.insert(s, t, 2);
  must(f.e.JetBeginTransaction('t1', s));
  f.insert(s, t, 3);
  expectErr(f.e.JetTerm2('t1', f.inst, B.JET_bitTermDirty) as { err: number }, E.JET_errDirtyShutdown);
  const i2 = must(f.e.JetCreateInstance('t1', 'again')).instance as JET_HANDLE;
  must(f.e.JetInit('t1', i2));
  const r = must(f.e.JetBeginSession('t1', i2, '', '')).sesid as JET_HANDLE;
  must(f.e.JetAttachDatabase('t1', r, 'db1', 0));
  const rd = must(f.e.JetOpenDatabase('t1', r, 'db1', 0)).dbid as number;
  assert.deepEqual(f.scan(r, f.open(r, rd)), [1]);
});

test('a cursor that wrote only at level 0, or in a transaction already committed, closes at once inside a new transaction', () => {
  const { f, s, dbid } = withTable([1]);
  const o = f.session();
  const od = must(f.e.JetOpenDatabase('t1', o, 'db1', 0)).dbid as number;
  for (const committedFirst of [false, true]) {
    const t = f.open(s, dbid, B.JET_bitTableDenyRead);
    if (committedFirst) must(f.e.JetBeginTransaction('t1', s));
    f.insert(s, t, committedFirst ? 3 : 2);
    if (committedFirst) must(f.e.JetCommitTransaction('t1', s, 0));
    must(f.e.JetBeginTransaction('t1', s));
    must(f.e.JetCloseTable('t1', s, t));
    const oc = must(f.e.JetOpenTable('t1', o, od, 't', 0), `no write in this transaction: the lock goes now (${committedFirst ? 'after a commit' : 'level 0'})`).tableid as JET_HANDLE;
    must(f.e.JetCloseTable('t1', o, oc));
    must(f.e.JetCommitTransaction('t1', s, 0));
  }
});
