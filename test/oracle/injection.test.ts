/**
 * Injection (capabilities instance-state and fault-injection), with the consequences of
 * outcomes.md "Rules for the reference engine" and Errata 11.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { forgedHandle } from '../../oracle';
import { B, E, Fixture, K, expectErr, must } from './fixture';
import type { JET_HANDLE } from './fixture';

function busySession(f: Fixture) {
  const s = f.session();
  const dbid = f.database(s);
  f.table(s, dbid, [1, 2]);
  const t = f.open(s, dbid, B.JET_bitTableDenyRead);
  must(f.e.JetBeginTransaction('t1', s));
  f.insert(s, t, 3);
  return { s, dbid, t };
}

test('forced not-initialized: -1029 first after validation; nothing changes; "normal" lifts it', () => {
  const f = new Fixture();
  const { s, t } = busySession(f);
  assert.equal(f.e.forceInstanceState(f.inst, { state: 'not-initialized' }), 0);
  expectErr(f.e.JetEndSession('t1', s, 0), E.JET_errNotInitialized);
  expectErr(f.e.JetEndSession('t1', forgedHandle('nil'), 0), E.JET_errInvalidSesid);
  expectErr(f.e.JetBeginSession('t1', f.inst, '', ''), E.JET_errNotInitialized);
  expectErr(f.e.JetMove('t1', s, t, K.JET_MoveFirst, 0), E.JET_errNotInitialized);
  f.e.forceInstanceState(f.inst, { state: 'normal' });
  assert.deepEqual(f.scan(s, t), [1, 2, 3], 'transaction, cursor and data as before');
  must(f.e.JetEndSession('t1', s, 0));
});

test('forced states need a live instance', () => {
  const f = new Fixture();
  assert.equal(f.e.forceInstanceState(forgedHandle('never-issued'), { state: 'not-initialized' }), E.JET_errInvalidInstance);
});

for (const [err, unavailable] of [
  [E.JET_errOutOfMemory, E.JET_errInstanceUnavailable],
  [E.JET_errOutOfBuffers, E.JET_errInstanceUnavailable],
  [E.JET_errDiskIO, E.JET_errInstanceUnavailable],
  [E.JET_errLogDiskFull, E.JET_errInstanceUnavailableDueToFatalLogDiskFull],
]) {
  test(`Errata 11: an undo failure (${err}) returns its error, leaves the session alive in its transaction and takes the instance down (${unavailable})`, () => {
    const f = new Fixture();
    const { s } = busySession(f);
    const other = f.session();
    f.e.injectFault({ step: 'undo', err, times: 1 });
    expectErr(f.e.JetEndSession('t1', s, 0), err);
    expectErr(f.e.JetEndSession('t1', s, 0), unavailable, 'alive, and the instance is down');
    expectErr(f.e.JetBeginSession('t1', f.inst, '', ''), unavailable);
    expectErr(f.e.JetBeginTransaction('t1', other), unavailable);
    const live = f.e.state.instances.values().next().value;
    assert.equal(live?.sessions.size, 2);
    must(f.e.JetTerm('t1', f.inst) as { err: number }, 'JetTerm still ends the instance');
    expectErr(f.e.JetEndSession('t1', s, 0), E.JET_errInvalidSesid);
    expectErr(f.e.JetEndSession('t1', other, 0), E.JET_errInvalidSesid);
  });
}

test('an undo failure hits the innermost level: its cursors are closed, the session stays at that level', () => {
  const f = new Fixture();
  const s = f.session();
  const dbid = f.database(s);
  f.table(s, dbid, [1]);
  const outer = f.open(s, dbid);
  must(f.e.JetBeginTransaction('t1', s));
  must(f.e.JetBeginTransaction('t1', s));
  const inner = f.open(s, dbid);
  f.e.injectFault({ step: 'undo', err: E.JET_errOutOfMemory, times: 1 });
  expectErr(f.e.JetEndSession('t1', s, 0), E.JET_errOutOfMemory);
  const session = f.e.state.handles.get(s);
  assert.ok(session !== undefined && session.kind === 'session');
  assert.equal(session.level, 2);
  f.e.forceInstanceState(f.inst, { state: 'normal' });
  // the instance stays down (a fatal error is not a forced not-initialized/restore state)
  expectErr(f.e.JetMove('t1', s, outer, K.JET_MoveFirst, 0), E.JET_errInstanceUnavailable);
  assert.equal(f.e.state.handles.get(inner), undefined, 'the inner cursor is gone');
});

test('a close-database failure returns its error; the session is usable and rolled back; with the fault gone the end completes', () => {
  const f = new Fixture();
  const s = f.session();
  const dbid = f.database(s, 'db1', B.JET_bitDbExclusive);
  f.table(s, dbid, [1]);
  const t = f.open(s, dbid);
  must(f.e.JetBeginTransaction('t1', s));
  f.insert(s, t, 2);
  f.e.injectFault({ step: 'close-database', err: E.JET_errDiskIO, times: 2 });
  expectErr(f.e.JetEndSession('t1', s, 0), E.JET_errDiskIO);
  expectErr(f.e.JetCommitTransaction('t1', s, 0), E.JET_errNotInTransaction, 'already rolled back');
  assert.deepEqual(f.scan(s, t), [1], 'usable, and its work undone');
  expectErr(f.e.JetEndSession('t1', s, 0), E.JET_errDiskIO, 'the second injected failure');
  const o = f.session();
  expectErr(f.e.JetOpenDatabase('t1', o, 'db1', 0), E.JET_errDatabaseLocked, 'nothing was closed');
  must(f.e.JetEndSession('t1', s, 0));
  must(f.e.JetOpenDatabase('t1', o, 'db1', B.JET_bitDbExclusive), 'the clean-up completed');
});

test('a close-sort failure: the databases were closed before it; the temp table stays until the end completes', () => {
  const f = new Fixture({ maxTemporaryTables: 1 });
  const s = f.session();
  f.database(s, 'db1', B.JET_bitDbExclusive);
  const tt = must(f.e.JetOpenTempTable('t1', s, [{ coltyp: K.JET_coltypLong, grbit: B.JET_bitColumnTTKey }], 0)).tableid as JET_HANDLE;
  f.e.injectFault({ step: 'close-sort', err: E.JET_errOutOfMemory, times: 1 });
  expectErr(f.e.JetEndSession('t1', s, 0), E.JET_errOutOfMemory);
  const o = f.session();
  must(f.e.JetOpenDatabase('t1', o, 'db1', B.JET_bitDbExclusive), 'the database close happened before the failure');
  expectErr(f.e.JetOpenTempTable('t1', o, [{ coltyp: K.JET_coltypLong, grbit: B.JET_bitColumnTTKey }], 0), E.JET_errTooManySorts);
  must(f.e.JetPrepareUpdate('t1', s, tt, K.JET_prepInsert), 'the temp table is still usable');
  must(f.e.JetUpdate('t1', s, tt));
  must(f.e.JetEndSession('t1', s, 0));
  must(f.e.JetOpenTempTable('t1', o, [{ coltyp: K.JET_coltypLong, grbit: B.JET_bitColumnTTKey }], 0), 'the slot is free');
});

test('faults are only consumed by JetEndSession clean-up, and a fault with times 0 disarms', () => {
  const f = new Fixture();
  const s = f.session();
  must(f.e.JetBeginTransaction('t1', s));
  f.e.injectFault({ step: 'undo', err: E.JET_errOutOfMemory, times: 1 });
  must(f.e.JetRollback('t1', s, 0), 'JetRollback is not a clean-up step');
  f.e.injectFault({ step: 'undo', err: E.JET_errOutOfMemory, times: 0 });
  must(f.e.JetBeginTransaction('t1', s));
  must(f.e.JetEndSession('t1', s, 0));
});
