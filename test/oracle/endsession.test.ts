/**
 * JetEndSession: one test per row of the case table in ese-source-notes.md §2.3 (the system-session
 * row excepted: no public call produces one), each asserting the code and the state left behind.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { forgedHandle } from '../../oracle';
import { B, E, Fixture, K, expectErr, must } from './fixture';
import type { JET_HANDLE } from './fixture';

/** Every session API answers -1104 for a dead handle. */
function assertGone(f: Fixture, s: JET_HANDLE): void {
  const e = f.e;
  expectErr(e.JetEndSession('t1', s, 0), E.JET_errInvalidSesid, 'JetEndSession');
  expectErr(e.JetBeginTransaction('t1', s), E.JET_errInvalidSesid, 'JetBeginTransaction');
  expectErr(e.JetDupSession('t1', s), E.JET_errInvalidSesid, 'JetDupSession');
  expectErr(e.JetSetSessionContext('t1', s, 5), E.JET_errInvalidSesid, 'JetSetSessionContext');
  expectErr(e.JetOpenDatabase('t1', s, 'db1', 0), E.JET_errInvalidSesid, 'JetOpenDatabase');
  expectErr(e.JetRollback('t1', s, 0), E.JET_errInvalidSesid, 'JetRollback');
}

test('§2.3 normal idle session: 0 and the handle becomes invalid', () => {
  const f = new Fixture();
  const s = f.session();
  must(f.e.JetEndSession('t1', s, 0));
  assertGone(f, s);
});

test('§2.3 grbit 0, JET_bitForceSessionClosed and any other value: same outcome', () => {
  for (const grbit of [0, B.JET_bitForceSessionClosed, 0xffffffff, -1, 0x80000000, 2]) {
    const f = new Fixture();
    const s = f.session();
    must(f.e.JetEndSession('t1', s, grbit), `grbit ${grbit}`);
    assertGone(f, s);
  }
});

test('§2.3 sesid zero or JET_sesidNil: -1104, the real sessions unchanged', () => {
  const f = new Fixture();
  const s = f.session();
  must(f.e.JetBeginTransaction('t1', s));
  for (const h of [forgedHandle('zero'), forgedHandle('nil')]) expectErr(f.e.JetEndSession('t1', h, 0), E.JET_errInvalidSesid);
  must(f.e.JetCommitTransaction('t1', s, 0), 'the session still has its transaction');
});

test('§2.3 garbage pointer (never issued, an instance handle, a tableid): -1104', () => {
  const f = new Fixture();
  const s = f.session();
  const dbid = f.database(s);
  f.table(s, dbid, [1]);
  const tableid = f.open(s, dbid);
  for (const h of [forgedHandle('never-issued'), f.inst, tableid]) expectErr(f.e.JetEndSession('t1', h, 0), E.JET_errInvalidSesid);
  must(f.e.JetRetrieveColumn('t1', s, tableid, f.columnid), 'the cursor is still open');
});

test('§2.3 session already ended (second JetEndSession): -1104', () => {
  const f = new Fixture();
  const s = f.session();
  must(f.e.JetEndSession('t1', s, 0));
  expectErr(f.e.JetEndSession('t1', s, 0), E.JET_errInvalidSesid);
  // handles are never reused: a new session does not alias the old handle
  const s2 = f.session();
  assert.notEqual(s2, s);
  expectErr(f.e.JetEndSession('t1', s, 0), E.JET_errInvalidSesid);
});

test('§2.3 session in a transaction of any depth 1..7: every level rolled back, then 0', () => {
  for (let depth = 1; depth <= 7; depth++) {
    const f = new Fixture();
    const s = f.session();
    const dbid = f.database(s);
    f.table(s, dbid, [1, 2, 3]);
    const t = f.open(s, dbid);
    for (let level = 1; level <= depth; level++) {
      must(f.e.JetBeginTransaction('t1', s));
      f.insert(s, t, 100 + level);
      if (level === 1) assert.equal(f.replace(s, t, 1, 10), 0);
      if (level === depth) assert.equal(f.remove(s, t, 2), 0);
    }
    // inner levels committed into outer ones are undone as well
    if (depth >= 3) must(f.e.JetCommitTransaction('t1', s, 0));
    must(f.e.JetEndSession('t1', s, 0), `depth ${depth}`);
    assert.deepEqual(f.committed(), [1, 2, 3], `depth ${depth}`);
    // and nothing stays locked: another session can update those records
    const o = f.session();
    const od = must(f.e.JetOpenDatabase('t1', o, 'db1', 0)).dbid as number;
    const ot = f.open(o, od);
    must(f.e.JetBeginTransaction('t1', o));
    assert.equal(f.replace(o, ot, 1, 11), 0);
    assert.equal(f.remove(o, ot, 2), 0);
    must(f.e.JetCommitTransaction('t1', o, 0));
  }
});

test('§2.3 transaction begun on another thread without a context: -1910, alive, in its transaction, innermost cursors closed', () => {
  const f = new Fixture();
  const s = f.session();
  const dbid = f.database(s);
  f.table(s, dbid, [1]);
  const outer = f.open(s, dbid);
  must(f.e.JetBeginTransaction('t1', s));
  const level1 = f.open(s, dbid, B.JET_bitTableDenyRead);
  must(f.e.JetBeginTransaction('t1', s));
  const level2 = f.open(s, dbid);
  f.insert(s, level2, 2);
  expectErr(f.e.JetEndSession('t2', s, 0), E.JET_errSessionSharingViolation);
  // innermost level's cursors: closed; the others: open
  expectErr(f.e.JetMove('t1', s, level2, K.JET_MoveFirst, 0), E.JET_errInvalidTableId);
  must(f.e.JetMove('t1', s, level1, K.JET_MoveFirst, 0));
  must(f.e.JetMove('t1', s, outer, K.JET_MoveFirst, 0));
  // still at level 2 with its work: the session sees its insert; commit on the right thread works
  assert.deepEqual(f.scan(s, outer), [1, 2]);
  must(f.e.JetCommitTransaction('t1', s, 0));
  must(f.e.JetCommitTransaction('t1', s, 0));
  expectErr(f.e.JetCommitTransaction('t1', s, 0), E.JET_errNotInTransaction);
  must(f.e.JetCloseTable('t1', s, level1));
  assert.deepEqual(f.committed(), [1, 2]);
});

test('§2.3 transaction begun under a context, context reset: ends from any thread, rolled back', () => {
  const f = new Fixture();
  const s = f.session();
  const dbid = f.database(s);
  f.table(s, dbid, [1]);
  const t = f.open(s, dbid);
  must(f.e.JetSetSessionContext('t1', s, 42));
  must(f.e.JetBeginTransaction('t1', s));
  f.insert(s, t, 2);
  must(f.e.JetResetSessionContext('t1', s));
  // Errata 5: nobody can commit it now
  expectErr(f.e.JetCommitTransaction('t1', s, 0), E.JET_errSessionSharingViolation);
  must(f.e.JetEndSession('t3', s, 0));
  assertGone(f, s);
  assert.deepEqual(f.committed(), [1]);
});

test('§2.3 open cursors on user tables: closed by the end (DenyRead lock and cursor quota freed)', () => {
  const f = new Fixture({ maxCursors: 4 });
  const s = f.session();
  const dbid = f.database(s);
  f.table(s, dbid, [1]);
  f.open(s, dbid, B.JET_bitTableDenyRead);
  f.open(s, dbid);
  f.open(s, dbid);
  const o = f.session();
  const od = must(f.e.JetOpenDatabase('t1', o, 'db1', 0)).dbid as number;
  expectErr(f.e.JetOpenTable('t1', o, od, 't', 0), E.JET_errTableLocked);
  must(f.e.JetEndSession('t1', s, 0));
  for (let i = 0; i < 4; i++) f.open(o, od);
  expectErr(f.e.JetOpenTable('t1', o, od, 't', 0), E.JET_errOutOfCursors);
});

test('§2.3 open databases, once or many times: all opens closed, exclusive open released', () => {
  const f = new Fixture();
  const s = f.session();
  const dbid = f.database(s);
  must(f.e.JetCloseDatabase('t1', s, dbid, 0));
  must(f.e.JetOpenDatabase('t1', s, 'db1', B.JET_bitDbExclusive));
  const o = f.session();
  expectErr(f.e.JetOpenDatabase('t1', o, 'db1', 0), E.JET_errDatabaseLocked);
  must(f.e.JetEndSession('t1', s, 0));
  must(f.e.JetOpenDatabase('t1', o, 'db1', 0));
  // three plain opens
  const s2 = f.session();
  for (let i = 0; i < 3; i++) must(f.e.JetOpenDatabase('t1', s2, 'db1', 0));
  const o2 = f.session();
  must(f.e.JetCloseDatabase('t1', o, dbid, 0));
  expectErr(f.e.JetOpenDatabase('t1', o2, 'db1', B.JET_bitDbExclusive), E.JET_errDatabaseInUse);
  must(f.e.JetEndSession('t1', s2, 0));
  must(f.e.JetOpenDatabase('t1', o2, 'db1', B.JET_bitDbExclusive));
});

test('§2.3 open temp tables: closed by the end (instance-wide quota freed)', () => {
  const f = new Fixture({ maxTemporaryTables: 2 });
  const s = f.session();
  const cols = [{ coltyp: K.JET_coltypLong, grbit: B.JET_bitColumnTTKey }]; // a sort: it holds a slot
  must(f.e.JetOpenTempTable('t1', s, cols, 0));
  must(f.e.JetOpenTempTable('t1', s, cols, 0));
  const o = f.session();
  expectErr(f.e.JetOpenTempTable('t1', o, cols, 0), E.JET_errTooManySorts);
  must(f.e.JetEndSession('t1', s, 0));
  must(f.e.JetOpenTempTable('t1', o, cols, 0));
  must(f.e.JetOpenTempTable('t1', o, cols, 0));
});

test('§2.3 session context set, on the calling thread or another: -1914, nothing changed', () => {
  for (const caller of ['t1', 't2']) {
    const f = new Fixture();
    const s = f.session();
    const dbid = f.database(s);
    f.table(s, dbid, [1]);
    const t = f.open(s, dbid, B.JET_bitTableDenyRead);
    must(f.e.JetSetSessionContext('t1', s, 7));
    must(f.e.JetBeginTransaction('t1', s));
    f.insert(s, t, 2);
    expectErr(f.e.JetEndSession(caller, s, 0), E.JET_errSessionInUse, `caller ${caller}`);
    // unchanged: cursor open, transaction open, context still set (by t1)
    assert.deepEqual(f.scan(s, t), [1, 2]);
    expectErr(f.e.JetSetSessionContext('t1', s, 8), E.JET_errSessionContextAlreadySet);
    expectErr(f.e.JetResetSessionContext('t2', s), E.JET_errSessionContextNotSetByThisThread);
    must(f.e.JetResetSessionContext('t1', s));
    must(f.e.JetEndSession(caller, s, 0));
    assert.deepEqual(f.committed(), [1]);
  }
});

test('§2.3 another thread inside a call on the session: -1910, not -1914, nothing touched', () => {
  const f = new Fixture();
  const s = f.session();
  const dbid = f.database(s);
  f.table(s, dbid, [1]);
  must(f.e.JetBeginTransaction('t1', s));
  const t = f.open(s, dbid);
  const held = f.e.hold('t2', { op: 'JetMove', args: { sesid: s, tableid: t, cRow: K.JET_MoveFirst, grbit: 0 } });
  assert.ok('held' in held);
  expectErr(f.e.JetEndSession('t1', s, 0), E.JET_errSessionSharingViolation);
  const released = f.e.release(held.held);
  assert.equal(released.result.err, 0);
  must(f.e.JetRetrieveColumn('t1', s, t, f.columnid), 'the cursor opened in the transaction is untouched');
  must(f.e.JetEndSession('t1', s, 0));
});

test('§2.3 after JetStopServiceInstance2(All): allowed, ends normally with the full clean-up', () => {
  const f = new Fixture();
  const s = f.session();
  const dbid = f.database(s);
  f.table(s, dbid, [1]);
  const t = f.open(s, dbid);
  must(f.e.JetBeginTransaction('t1', s));
  f.insert(s, t, 2);
  must(f.e.JetStopServiceInstance2('t1', f.inst, B.JET_bitStopServiceAll));
  must(f.e.JetEndSession('t1', s, 0));
  assertGone(f, s);
  expectErr(f.e.JetBeginSession('t1', f.inst, '', ''), E.JET_errClientRequestToStopJetService);
});

test('§2.3 instance in a fatal-error state: -1090 (or -1092 for a full log disk), session not ended; JetTerm cleans up', () => {
  for (const [cause, code] of [
    [E.JET_errDiskIO, E.JET_errInstanceUnavailable],
    [E.JET_errLogDiskFull, E.JET_errInstanceUnavailableDueToFatalLogDiskFull],
  ]) {
    const f = new Fixture();
    const s = f.session();
    must(f.e.JetBeginTransaction('t1', s));
    assert.equal(f.e.forceInstanceState(f.inst, { state: 'fatal-error', cause }), 0);
    expectErr(f.e.JetEndSession('t1', s, 0), code);
    expectErr(f.e.JetEndSession('t1', s, 0), code, 'the session still exists');
    must(f.e.JetTerm('t1', f.inst) as { err: number }, 'term of an unavailable instance goes ahead despite the open transaction');
    expectErr(f.e.JetEndSession('t1', s, 0), E.JET_errInvalidSesid);
  }
});

test('§2.3 JetTerm in progress on another thread: -1000', () => {
  const f = new Fixture();
  const s = f.session();
  const busy = f.session();
  const held = f.e.hold('t3', { op: 'JetBeginTransaction', args: { sesid: busy } });
  assert.ok('held' in held);
  const term = f.e.JetTerm2('t2', f.inst, B.JET_bitTermComplete);
  assert.ok('pending' in term);
  expectErr(f.e.JetEndSession('t1', s, 0), E.JET_errTermInProgress);
  const r = f.e.release(held.held);
  assert.equal(r.result.err, 0);
  assert.equal(r.completed.length, 1);
  expectErr(r.completed[0].result, E.JET_errTooManyActiveUsers, 'busy is now in a transaction');
  must(f.e.JetEndSession('t1', s, 0), 'term-in-progress cleared');
});

test('§2.3 after the instance was terminated: -1104 (JetTerm ended the idle session)', () => {
  const f = new Fixture();
  const s = f.session();
  must(f.e.JetSetSessionContext('t1', s, 3), 'Errata 8: term ends idle sessions even with a context set');
  must(f.e.JetTerm('t1', f.inst) as { err: number });
  expectErr(f.e.JetEndSession('t1', s, 0), E.JET_errInvalidSesid);
});

test('§2.3 restore in progress (forced, unreachable in ESENT): -506, unchanged', () => {
  const f = new Fixture();
  const s = f.session();
  must(f.e.JetBeginTransaction('t1', s));
  assert.equal(f.e.forceInstanceState(f.inst, { state: 'restore-in-progress' }), 0);
  expectErr(f.e.JetEndSession('t1', s, 0), E.JET_errRestoreInProgress);
  assert.equal(f.e.forceInstanceState(f.inst, { state: 'normal' }), 0);
  must(f.e.JetCommitTransaction('t1', s, 0), 'the transaction was untouched');
  must(f.e.JetEndSession('t1', s, 0));
});
