/**
 * ESE inserts through a cursor of its own, not the user's (ErrRECInsert, recupd.cxx 1667-1947;
 * issue 13 triage [cursor-quota] and [deferred-close]): inside a transaction that cursor is the one
 * versioned, so its close is deferred to level 0 (bt.cxx 770-777): one cursor slot per session and
 * table stays taken (a later insert reuses it, bt.cxx 505-560) and the table stays in use, while the
 * user's cursor, if it only inserted, closes at once with its DenyRead lock. A replace or delete
 * versions the user's cursor: its close is deferred with its lock (Errata 7).
 * Engine (ESE 7030fe7 under Wine, through the bridge): with another session's write transaction
 * open the observer found one cursor slot fewer than the reference had (30 vs 31); after s1's
 * DenyRead cursor that inserted was closed, s2's plain open 0 and DenyRead open -1304.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { B, E, Fixture, expectErr, freeCursors, must, type JET_HANDLE } from './fixture';

function setUp() {
  const f = new Fixture({ maxCursors: 8 });
  const a = f.session();
  const b = f.session();
  const dbid = f.database(a);
  f.table(a, dbid, [1, 2, 3]);
  const dbidB = f.database(b);
  return { f, a, b, dbid, dbidB };
}

test('inserts in a transaction hold one more cursor slot until level 0; later inserts reuse it', () => {
  const { f, a, b, dbid, dbidB } = setUp();
  const ta = f.open(a, dbid);
  assert.equal(freeCursors(f, b, dbidB), 7);
  must(f.e.JetBeginTransaction('t1', a));
  f.insert(a, ta, 10);
  assert.equal(freeCursors(f, b, dbidB), 6, "the insert's own cursor stays, defer-closed");
  f.insert(a, ta, 11);
  must(f.e.JetBeginTransaction('t1', a));
  f.insert(a, ta, 12);
  assert.equal(freeCursors(f, b, dbidB), 6, 'reused at any level');
  must(f.e.JetCommitTransaction('t1', a, 0));
  assert.equal(freeCursors(f, b, dbidB), 6, 'kept until level 0');
  must(f.e.JetRollback('t1', a, 0));
  assert.equal(freeCursors(f, b, dbidB), 7);
  f.insert(a, ta, 13);
  assert.equal(freeCursors(f, b, dbidB), 7, 'at level 0 it is closed at once');
});

test('an insert needs no free cursor slot, and in a transaction its cursor then takes one more (engine: the same)', () => {
  const { f, a, b, dbid, dbidB } = setUp();
  const ta = f.open(a, dbid);
  const held: JET_HANDLE[] = [];
  for (let r = f.e.JetOpenTable('t1', a, dbid, 't', 0); r.err === 0; r = f.e.JetOpenTable('t1', a, dbid, 't', 0)) held.push(r.tableid as JET_HANDLE);
  assert.equal(freeCursors(f, b, dbidB), 0);
  f.insert(a, ta, 5);
  must(f.e.JetBeginTransaction('t1', a));
  f.insert(a, ta, 6);
  must(f.e.JetCloseTable('t1', a, held[0]));
  assert.equal(freeCursors(f, b, dbidB), 0, "the insert's cursor took the slot freed");
  must(f.e.JetRollback('t1', a, 0));
  assert.equal(freeCursors(f, b, dbidB), 1);
});

test("a DenyRead cursor that only inserted gives its lock back at the close; the insert's cursor keeps the table in use", () => {
  const { f, a, b, dbid, dbidB } = setUp();
  const ta = f.open(a, dbid, B.JET_bitTableDenyRead);
  must(f.e.JetBeginTransaction('t1', a));
  f.insert(a, ta, 10);
  must(f.e.JetCloseTable('t1', a, ta));
  must(f.e.JetCloseTable('t1', b, f.open(b, dbidB)), 'no DenyRead lock left');
  expectErr(f.e.JetOpenTable('t1', b, dbidB, 't', B.JET_bitTableDenyRead), E.JET_errTableInUse);
  must(f.e.JetRollback('t1', a, 0));
  must(f.e.JetOpenTable('t1', b, dbidB, 't', B.JET_bitTableDenyRead));
});

test('a DenyRead cursor that replaced keeps its lock after the close until level 0 (Errata 7)', () => {
  const { f, a, b, dbid, dbidB } = setUp();
  const ta = f.open(a, dbid, B.JET_bitTableDenyRead);
  must(f.e.JetBeginTransaction('t1', a));
  assert.equal(f.replace(a, ta, 1, 100), 0);
  must(f.e.JetCloseTable('t1', a, ta));
  expectErr(f.e.JetOpenTable('t1', b, dbidB, 't', 0), E.JET_errTableLocked);
  must(f.e.JetCommitTransaction('t1', a, 0));
  must(f.e.JetOpenTable('t1', b, dbidB, 't', 0));
});

test('inserts into two tables in a transaction hold one cursor slot per table, and no temp-table slot', () => {
  const f = new Fixture({ maxCursors: 8, maxTemporaryTables: 1 });
  const a = f.session();
  const b = f.session();
  const dbid = f.database(a);
  f.table(a, dbid, [1]);
  f.table(a, dbid, [1], 'u');
  const dbidB = f.database(b);
  const t = f.open(a, dbid);
  const u = f.open(a, dbid, 0, 'u');
  assert.equal(freeCursors(f, b, dbidB), 6);
  must(f.e.JetBeginTransaction('t1', a));
  f.insert(a, t, 10);
  f.insert(a, u, 10);
  assert.equal(freeCursors(f, b, dbidB), 4, "each table's insert has a cursor of its own");
  // A sort holds the instance's one MaxTemporaryTables slot: the inserts' cursors took none.
  must(f.e.JetOpenTempTable('t1', b, [{ coltyp: 4, grbit: 0x40 }], 0));
});

test('a cursor that replaced in a transaction since committed closes at once at level 0, with its DenyRead lock', () => {
  const { f, a, b, dbid, dbidB } = setUp();
  const ta = f.open(a, dbid, B.JET_bitTableDenyRead);
  must(f.e.JetBeginTransaction('t1', a));
  assert.equal(f.replace(a, ta, 1, 100), 0);
  must(f.e.JetCommitTransaction('t1', a, 0));
  must(f.e.JetCloseTable('t1', a, ta));
  must(f.e.JetOpenTable('t1', b, dbidB, 't', B.JET_bitTableDenyRead), 'no lock left: the close was not deferred');
});
