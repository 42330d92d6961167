/**
 * A cursor a session opens on a table takes the session's defer-closed cursor on it (ErrBTOpen,
 * bt.cxx 496-560; issue 13, kind I of the fuzz campaign on 0243714): after an insert in a
 * transaction that is the insert's own cursor, so the open takes no new slot and the reused cursor
 * keeps its versioned flag: its close is deferred again and its tableid stays a live handle (FEnter's
 * checks come first: -1329 after JetStopServiceInstance, where a freed tableid is -1310).
 * Engine (ESENT flavour, MaxCursors 16, another session's JetOpenTable count): 14 after the insert
 * with the user's cursor closed, 14 with the table opened again, 14 once closed again.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { E, Fixture, freeCursors, must } from './fixture';
import type { JET_HANDLE } from './fixture';

/** A session that inserted through c1 in a transaction; c1 then closed (defer-closed) unless `keepOpen`. */
function afterInsert(keepOpen = false) {
  const f = new Fixture({ maxCursors: 8 });
  const a = f.session();
  const b = f.session();
  const dbid = f.database(a);
  f.table(a, dbid, [1]);
  const dbidB = f.database(b);
  const c1 = f.open(a, dbid);
  must(f.e.JetBeginTransaction('t1', a));
  f.insert(a, c1, 10);
  if (!keepOpen) must(f.e.JetCloseTable('t1', a, c1));
  return { f, a, b, dbid, dbidB, c1 };
}

test('the open after an insert in a transaction takes the deferred insert cursor: no new slot, and its close is deferred again', () => {
  const { f, a, b, dbid, dbidB, c1 } = afterInsert();
  const before = freeCursors(f, b, dbidB);
  const c2 = f.open(a, dbid);
  assert.equal(freeCursors(f, b, dbidB), before, 'no new cursor slot');
  must(f.e.JetCloseTable('t1', a, c2));
  assert.equal(freeCursors(f, b, dbidB), before, 'closed again: deferred, no slot freed either');
  assert.equal(f.e.JetMove('t1', a, c2, 0, 0).err, E.JET_errInvalidTableId);
  must(f.e.JetStopServiceInstance('t1', f.inst));
  assert.equal(f.e.JetMove('t1', a, c2, 0, 0).err, E.JET_errClientRequestToStopJetService, 'a live handle: FEnter answers first');
  assert.equal(f.e.JetMove('t1', a, c1, 0, 0).err, E.JET_errInvalidTableId, "the user's inserting cursor was freed at its close");
});

test('the reused cursor is a fresh open; a rollback of the level it was reused in closes it, deferred while its insert stands', () => {
  const { f, a, b, dbid, dbidB } = afterInsert();
  const before = freeCursors(f, b, dbidB);
  must(f.e.JetBeginTransaction('t1', a));
  const c2 = f.open(a, dbid);
  assert.equal(f.e.JetMove('t1', a, c2, 1, 0).err, 0, 'deferred first: MoveNext reads the first record');
  must(f.e.JetRollback('t1', a, 0));
  assert.equal(f.e.JetMove('t1', a, c2, 0, 0).err, E.JET_errInvalidTableId, 'reused in the rolled-back level: closed');
  assert.equal(freeCursors(f, b, dbidB), before, "still the insert's deferred cursor (level 1 stands)");
  must(f.e.JetStopServiceInstance('t1', f.inst));
  assert.equal(f.e.JetMove('t1', a, c2, 0, 0).err, E.JET_errClientRequestToStopJetService, 'engine: -1329 (probe h)');
});

test("the open takes the deferred cursor of the table it opens, not another table's", () => {
  const f = new Fixture();
  const a = f.session();
  const dbid = f.database(a);
  f.table(a, dbid, [1], 't');
  f.table(a, dbid, [5], 'u');
  must(f.e.JetBeginTransaction('t1', a));
  // Both tables get a deferred insert cursor, t's first.
  for (const name of ['t', 'u']) {
    const c = f.open(a, dbid, 0, name);
    f.insert(a, c, name === 't' ? 2 : 6);
    must(f.e.JetCloseTable('t1', a, c));
  }
  const u = f.open(a, dbid, 0, 'u');
  assert.deepEqual(f.scan(a, u), [5, 6], "the cursor opened on u reads u's records");
  const t = f.open(a, dbid, 0, 't');
  assert.deepEqual(f.scan(a, t), [1, 2], "and the one opened on t reads t's");
});

// ErrIsamDupCursor opens its cursor through ErrDIROpen, so ErrBTOpen takes the deferred cursor too
// (fileopen.cxx 22; bt.cxx 505-560). Engine (ESENT flavour, MaxCursors 16, another session's opens): 13
// after the insert, 13 after a dup, 12 after a second, 13 with both closed, 14 after the rollback; the
// dup closed, then JetStopServiceInstance: its tableid -1329, a live handle.
test('JetDupCursor after an insert in a transaction takes the deferred insert cursor: no new slot, deferred again at its close', () => {
  const { f, a, b, dbidB, c1 } = afterInsert(true);
  const before = freeCursors(f, b, dbidB);
  const dup = must(f.e.JetDupCursor('t1', a, c1, 0)).tableid as JET_HANDLE;
  assert.equal(freeCursors(f, b, dbidB), before, 'no new cursor slot');
  assert.deepEqual(f.scan(a, dup), [1, 10], "the dup reads the session's own insert");
  const dup2 = must(f.e.JetDupCursor('t1', a, c1, 0)).tableid as JET_HANDLE;
  assert.equal(freeCursors(f, b, dbidB), before - 1, 'a second dup: no deferred cursor left, a new slot');
  must(f.e.JetCloseTable('t1', a, dup2));
  assert.equal(freeCursors(f, b, dbidB), before, 'the new one is freed at its close');
  must(f.e.JetCloseTable('t1', a, dup));
  assert.equal(freeCursors(f, b, dbidB), before, 'closed again: deferred');
  assert.equal(f.e.JetMove('t1', a, dup, 0, 0).err, E.JET_errInvalidTableId);
  must(f.e.JetStopServiceInstance('t1', f.inst));
  assert.equal(f.e.JetMove('t1', a, dup, 0, 0).err, E.JET_errClientRequestToStopJetService, 'a live handle: FEnter answers first');
  assert.equal(f.e.JetMove('t1', a, c1, 0, 0).err, E.JET_errClientRequestToStopJetService, 'the source cursor is open');
});
