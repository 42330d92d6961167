/**
 * A write held in flight (oracle/inflight.ts; issue 13, docs/implementations/ese.md "[held-write]"):
 * what a JetUpdate or JetDelete holds while a real engine keeps it in its BeforeReplace /
 * BeforeInsert / BeforeDelete callback, and the level-0 replace's checksum. Every expectation was
 * measured on the engine (ESENT flavour, ESE 7030fe7, Wine 8, through the bridge: s2 holds its call
 * on t2 while s3 calls on t3; table of records 1, 2, 3, both cursors on record 2).
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { E, K, Fixture, expectErr, must, type JET_HANDLE } from './fixture';

function setUp() {
  const f = new Fixture();
  const s1 = f.session();
  const dbid = f.database(s1);
  f.table(s1, dbid, [1, 2, 3]);
  const s2 = f.session('t2');
  const c2 = f.open(s2, f.database(s2, 'db1', 0, 't2'), 0, 't', 't2');
  const s3 = f.session('t3');
  const c3 = f.open(s3, f.database(s3, 'db1', 0, 't3'), 0, 't', 't3');
  assert.ok(f.seek(s2, c2, 2, 't2') && f.seek(s3, c3, 2, 't3'));
  return { f, s1, s2, c2, s3, c3 };
}

function held(r: { readonly held: number } | { readonly result: { readonly err: number } }, what: string): number {
  assert.ok('held' in r, `${what}: expected to be held, answered ${'result' in r ? r.result.err : ''}`);
  return r.held;
}

function answered(r: { readonly held: number } | { readonly result: { readonly err: number } }, err: number, what: string): void {
  assert.ok('result' in r, `${what}: expected an answer at once, was held`);
  assert.equal(r.result.err, err, what);
}

function value(f: Fixture, s: JET_HANDLE, c: JET_HANDLE, thread: string): unknown {
  return must(f.e.JetRetrieveColumn(thread, s, c, f.columnid), 'JetRetrieveColumn').value;
}

test('a held replace prepared at level 0 write-locks its record (and only it) until released', () => {
  const { f, s2, c2, s3, c3 } = setUp();
  must(f.e.JetPrepareUpdate('t2', s2, c2, K.JET_prepReplace));
  must(f.e.JetSetColumn('t2', s2, c2, f.columnid, 20));
  const h = held(f.e.hold('t2', { op: 'JetUpdate', args: { sesid: s2, tableid: c2 } }), 'JetUpdate');
  assert.equal(value(f, s3, c3, 't3'), 2, 'a reader at level 0 sees the record as it was');
  must(f.e.JetPrepareUpdate('t3', s3, c3, K.JET_prepReplace), 'prepReplace at level 0 takes no lock');
  must(f.e.JetSetColumn('t3', s3, c3, f.columnid, 30));
  expectErr(f.e.JetUpdate('t3', s3, c3), E.JET_errWriteConflict, "another session's replace");
  expectErr(f.e.JetUpdate('t3', s3, c3), E.JET_errWriteConflict, 'still prepared');
  must(f.e.JetPrepareUpdate('t3', s3, c3, K.JET_prepCancel));
  expectErr(f.e.JetDelete('t3', s3, c3), E.JET_errWriteConflict, "another session's delete");
  must(f.e.JetBeginTransaction('t3', s3));
  assert.equal(value(f, s3, c3, 't3'), 2, 'a reader in a transaction sees the record as it was');
  expectErr(f.e.JetPrepareUpdate('t3', s3, c3, K.JET_prepReplace), E.JET_errWriteConflict, 'prepReplace in a transaction');
  must(f.e.JetPrepareUpdate('t3', s3, c3, K.JET_prepReplaceNoLock));
  expectErr(f.e.JetUpdate('t3', s3, c3), E.JET_errWriteConflict, 'the NoLock replace at JetUpdate');
  must(f.e.JetPrepareUpdate('t3', s3, c3, K.JET_prepCancel));
  must(f.e.JetMove('t3', s3, c3, K.JET_MoveNext, 0));
  must(f.e.JetPrepareUpdate('t3', s3, c3, K.JET_prepReplace), 'the next record is not locked');
  must(f.e.JetRollback('t3', s3, 0));
  assert.equal(f.e.release(h).result.err, 0, 'the held replace completes');
  assert.deepEqual(f.committed(), [1, 20, 3], 'committed at release');
  expectErr(f.e.JetRollback('t2', s2, 0), E.JET_errNotInTransaction, 'its nested level was committed');
  assert.ok(f.seek(s3, c3, 20, 't3'));
  must(f.e.JetBeginTransaction('t3', s3));
  must(f.e.JetPrepareUpdate('t3', s3, c3, K.JET_prepReplace), 'a transaction begun after the release locks it');
});

test("a held replace's lock fails at once, nothing held: the record locked by another transaction, or changed since a level-0 prepare", () => {
  const { f, s2, c2, s3, c3 } = setUp();
  must(f.e.JetPrepareUpdate('t2', s2, c2, K.JET_prepReplace));
  must(f.e.JetSetColumn('t2', s2, c2, f.columnid, 23));
  must(f.e.JetBeginTransaction('t3', s3));
  must(f.e.JetPrepareUpdate('t3', s3, c3, K.JET_prepReplace));
  answered(f.e.hold('t2', { op: 'JetUpdate', args: { sesid: s2, tableid: c2 } }), E.JET_errWriteConflict, 'locked by s3');
  expectErr(f.e.JetRollback('t2', s2, 0), E.JET_errNotInTransaction, 'the nested level was rolled back');
  must(f.e.JetRollback('t3', s3, 0));
  const h = held(f.e.hold('t2', { op: 'JetUpdate', args: { sesid: s2, tableid: c2 } }), 'after s3 rolled back');
  assert.equal(f.e.release(h).result.err, 0);
  assert.deepEqual(f.committed(), [1, 23, 3]);
  // Changed and committed by s3 after s2's level-0 prepare: the checksum differs.
  must(f.e.JetPrepareUpdate('t2', s2, c2, K.JET_prepReplace));
  must(f.e.JetSetColumn('t2', s2, c2, f.columnid, 24));
  assert.equal(f.replace(s3, c3, 23, 31, 't3'), 0);
  answered(f.e.hold('t2', { op: 'JetUpdate', args: { sesid: s2, tableid: c2 } }), E.JET_errWriteConflict, 'changed since the prepare');
  answered(f.e.hold('t2', { op: 'JetUpdate', args: { sesid: s2, tableid: c2 } }), E.JET_errWriteConflict, 'still prepared');
});

test('a level-0 prepReplace keeps the record image: JetUpdate -1102 after another session changed it, 0 after it was written back the same', () => {
  const { f, s2, c2, s3, c3 } = setUp();
  must(f.e.JetPrepareUpdate('t2', s2, c2, K.JET_prepReplace));
  must(f.e.JetSetColumn('t2', s2, c2, f.columnid, 20));
  assert.equal(f.replace(s3, c3, 2, 30, 't3'), 0);
  expectErr(f.e.JetUpdate('t2', s2, c2), E.JET_errWriteConflict, 'changed since the prepare');
  expectErr(f.e.JetUpdate('t2', s2, c2), E.JET_errWriteConflict, 'the update stays prepared');
  must(f.e.JetPrepareUpdate('t2', s2, c2, K.JET_prepCancel));
  must(f.e.JetPrepareUpdate('t2', s2, c2, K.JET_prepReplace));
  must(f.e.JetSetColumn('t2', s2, c2, f.columnid, 21));
  assert.equal(f.replace(s3, c3, 30, 30, 't3'), 0, 'the same value written back');
  must(f.e.JetUpdate('t2', s2, c2), 'the same image: no conflict');
  assert.deepEqual(f.committed(), [1, 21, 3]);
  // Prepared in a transaction the check is deferred: only the lock's conflicts count.
  must(f.e.JetBeginTransaction('t2', s2));
  must(f.e.JetPrepareUpdate('t2', s2, c2, K.JET_prepReplaceNoLock));
  must(f.e.JetSetColumn('t2', s2, c2, f.columnid, 22));
  must(f.e.JetUpdate('t2', s2, c2));
  must(f.e.JetCommitTransaction('t2', s2, 0));
  assert.deepEqual(f.committed(), [1, 22, 3]);
});

test("a held delete locks nothing, but its nested level's snapshot is the hold's: a change or delete meanwhile is -1102 at release", () => {
  const a = setUp();
  const h1 = held(a.f.e.hold('t2', { op: 'JetDelete', args: { sesid: a.s2, tableid: a.c2 } }), 'JetDelete');
  assert.equal(a.f.replace(a.s3, a.c3, 2, 30, 't3'), 0, "another session's replace while the delete is held");
  assert.equal(a.f.e.release(h1).result.err, E.JET_errWriteConflict, 'changed after the hold');
  assert.deepEqual(a.f.committed(), [1, 30, 3]);
  expectErr(a.f.e.JetRollback('t2', a.s2, 0), E.JET_errNotInTransaction, 'the nested level was rolled back');
  must(a.f.e.JetDelete('t2', a.s2, a.c2), 'a new delete');
  assert.deepEqual(a.f.committed(), [1, 3]);

  const b = setUp();
  const h2 = held(b.f.e.hold('t2', { op: 'JetDelete', args: { sesid: b.s2, tableid: b.c2 } }), 'JetDelete');
  must(b.f.e.JetDelete('t3', b.s3, b.c3), "another session's delete while the delete is held");
  assert.equal(b.f.e.release(h2).result.err, E.JET_errWriteConflict, 'deleted after the hold: -1102, not -1017');
  assert.deepEqual(b.f.committed(), [1, 3]);
});

test('a held insert inserts nothing until released, then commits its nested level; a held update with nothing prepared answers at once', () => {
  const { f, s2, c2, s3, c3 } = setUp();
  must(f.e.JetPrepareUpdate('t2', s2, c2, K.JET_prepInsert));
  must(f.e.JetSetColumn('t2', s2, c2, f.columnid, 9));
  const h = held(f.e.hold('t2', { op: 'JetUpdate', args: { sesid: s2, tableid: c2 } }), 'insert');
  assert.deepEqual(f.scan(s3, c3, 't3'), [1, 2, 3], 'nothing inserted yet');
  assert.equal(f.e.release(h).result.err, 0);
  assert.deepEqual(f.scan(s3, c3, 't3'), [1, 2, 3, 9]);
  expectErr(f.e.JetRollback('t2', s2, 0), E.JET_errNotInTransaction, 'the nested level was committed');
  answered(f.e.hold('t2', { op: 'JetUpdate', args: { sesid: s2, tableid: c2 } }), E.JET_errUpdateNotPrepared, 'nothing prepared');
  // A held delete with no current record fails only at release (its currency is after the callback).
  must(f.e.JetMove('t2', s2, c2, K.JET_MoveFirst, 0));
  expectErr(f.e.JetMove('t2', s2, c2, K.JET_MovePrevious, 0), E.JET_errNoCurrentRecord);
  const d = held(f.e.hold('t2', { op: 'JetDelete', args: { sesid: s2, tableid: c2 } }), 'delete before first');
  assert.equal(f.e.release(d).result.err, E.JET_errNoCurrentRecord);
  expectErr(f.e.JetRollback('t2', s2, 0), E.JET_errNotInTransaction, 'the nested level was rolled back');
});

test('a held replace prepared NoLock inside a transaction takes its lock at the hold', () => {
  const { f, s2, c2, s3, c3 } = setUp();
  must(f.e.JetBeginTransaction('t2', s2));
  must(f.e.JetPrepareUpdate('t2', s2, c2, K.JET_prepReplaceNoLock));
  must(f.e.JetSetColumn('t2', s2, c2, f.columnid, 20));
  must(f.e.JetBeginTransaction('t3', s3));
  must(f.e.JetPrepareUpdate('t3', s3, c3, K.JET_prepReplace), 'not locked before the hold');
  must(f.e.JetPrepareUpdate('t3', s3, c3, K.JET_prepCancel));
  must(f.e.JetRollback('t3', s3, 0));
  const h = held(f.e.hold('t2', { op: 'JetUpdate', args: { sesid: s2, tableid: c2 } }), 'JetUpdate');
  must(f.e.JetBeginTransaction('t3', s3));
  expectErr(f.e.JetPrepareUpdate('t3', s3, c3, K.JET_prepReplace), E.JET_errWriteConflict, 'locked by the hold');
  must(f.e.JetRollback('t3', s3, 0));
  assert.equal(f.e.release(h).result.err, 0);
  assert.deepEqual(f.committed(), [1, 2, 3], 'uncommitted until s2 commits');
  must(f.e.JetCommitTransaction('t2', s2, 0));
  assert.deepEqual(f.committed(), [1, 20, 3]);
});
