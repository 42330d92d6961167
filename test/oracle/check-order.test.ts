/**
 * JetEndSession's check order (outcomes.md "Rules for the reference engine", ese-source-notes.md
 * §2.1/§2.2): pairs of conditions that hold at once; the earlier check decides, and the state is
 * left as the winning error says.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { forgedHandle } from '../../oracle';
import { B, E, Fixture, K, expectErr, must } from './fixture';
import type { JET_HANDLE } from './fixture';

function holdOn(f: Fixture, s: JET_HANDLE, thread = 'tx'): number {
  const h = f.e.hold(thread, { op: 'JetBeginTransaction', args: { sesid: s } });
  assert.ok('held' in h, 'the call is held');
  return h.held;
}

test('handle validation beats every instance state: never-issued sesid on an unavailable instance is -1104', () => {
  const f = new Fixture();
  f.session();
  f.e.forceInstanceState(f.inst, { state: 'fatal-error', cause: E.JET_errOutOfMemory });
  expectErr(f.e.JetEndSession('t1', forgedHandle('never-issued'), 0), E.JET_errInvalidSesid);
});

test('forced not-initialized beats unavailable, context set and restore: -1029', () => {
  const f = new Fixture();
  const s = f.session();
  must(f.e.JetSetSessionContext('t1', s, 9));
  f.e.forceInstanceState(f.inst, { state: 'restore-in-progress' });
  f.e.forceInstanceState(f.inst, { state: 'fatal-error', cause: E.JET_errDiskIO });
  f.e.forceInstanceState(f.inst, { state: 'not-initialized' });
  expectErr(f.e.JetEndSession('t1', s, 0), E.JET_errNotInitialized);
});

test('unavailable beats term in progress on that instance while another instance lives: -1090', () => {
  const f = new Fixture();
  must(f.e.JetCreateInstance('t1', 'other'));
  const s = f.session();
  const busy = f.session();
  const held = holdOn(f, busy);
  assert.ok('pending' in f.e.JetTerm2('t2', f.inst, 0));
  f.e.forceInstanceState(f.inst, { state: 'fatal-error', cause: E.JET_errDiskIO });
  expectErr(f.e.JetEndSession('t1', s, 0), E.JET_errInstanceUnavailable);
  f.e.release(held);
});

test('with a single instance, the process-wide term check (§2.1 step 1) answers first: -1000 even when unavailable', () => {
  const f = new Fixture();
  const s = f.session();
  const busy = f.session();
  const held = holdOn(f, busy);
  assert.ok('pending' in f.e.JetTerm2('t2', f.inst, 0));
  f.e.forceInstanceState(f.inst, { state: 'fatal-error', cause: E.JET_errDiskIO });
  expectErr(f.e.JetEndSession('t1', s, 0), E.JET_errTermInProgress);
  f.e.release(held);
});

test('unavailable beats forced restore, in-flight and context set: -1090 / -1092', () => {
  const f = new Fixture();
  const s = f.session();
  must(f.e.JetSetSessionContext('t1', s, 9));
  const held = holdOn(f, s, 't2');
  f.e.forceInstanceState(f.inst, { state: 'restore-in-progress' });
  f.e.forceInstanceState(f.inst, { state: 'fatal-error', cause: E.JET_errLogDiskFull });
  expectErr(f.e.JetEndSession('t1', s, 0), E.JET_errInstanceUnavailableDueToFatalLogDiskFull);
  f.e.release(held);
});

test('term in progress beats forced restore and in-flight on the same session: -1000', () => {
  const f = new Fixture();
  must(f.e.JetCreateInstance('t1', 'other'));
  const s = f.session();
  const held = holdOn(f, s, 't2');
  assert.ok('pending' in f.e.JetTerm2('t3', f.inst, 0));
  f.e.forceInstanceState(f.inst, { state: 'restore-in-progress' });
  expectErr(f.e.JetEndSession('t1', s, 0), E.JET_errTermInProgress);
  f.e.release(held);
});

test('forced restore beats in-flight: -506', () => {
  const f = new Fixture();
  const s = f.session();
  const held = holdOn(f, s, 't2');
  f.e.forceInstanceState(f.inst, { state: 'restore-in-progress' });
  expectErr(f.e.JetEndSession('t1', s, 0), E.JET_errRestoreInProgress);
  f.e.release(held);
});

test('in-flight on another thread beats a context set: -1910, then -1914 once released', () => {
  const f = new Fixture();
  const s = f.session();
  must(f.e.JetSetSessionContext('t1', s, 9));
  const held = holdOn(f, s, 't2');
  expectErr(f.e.JetEndSession('t1', s, 0), E.JET_errSessionSharingViolation);
  f.e.release(held);
  expectErr(f.e.JetEndSession('t1', s, 0), E.JET_errSessionInUse);
});

test('StopService is not checked, so a context set still answers -1914', () => {
  const f = new Fixture();
  const s = f.session();
  must(f.e.JetSetSessionContext('t1', s, 9));
  must(f.e.JetStopServiceInstance2('t1', f.inst, B.JET_bitStopServiceAll));
  expectErr(f.e.JetEndSession('t1', s, 0), E.JET_errSessionInUse);
  must(f.e.JetResetSessionContext('t1', s), 'reset ignores StopService');
  must(f.e.JetEndSession('t1', s, 0));
});

test('StopService does not hide an unavailable instance: -1090', () => {
  const f = new Fixture();
  const s = f.session();
  must(f.e.JetStopServiceInstance('t1', f.inst));
  f.e.forceInstanceState(f.inst, { state: 'fatal-error', cause: E.JET_errDiskIO });
  expectErr(f.e.JetEndSession('t1', s, 0), E.JET_errInstanceUnavailable);
});

test('a context set beats a wrong-thread transaction: -1914 and no cursor closed', () => {
  const f = new Fixture();
  const s = f.session();
  const dbid = f.database(s);
  f.table(s, dbid, [1]);
  must(f.e.JetBeginTransaction('t1', s));
  const t = f.open(s, dbid);
  must(f.e.JetSetSessionContext('t2', s, 9));
  expectErr(f.e.JetEndSession('t2', s, 0), E.JET_errSessionInUse);
  must(f.e.JetMove('t1', s, t, K.JET_MoveFirst, 0), 'the cursor of the innermost level is still open');
});

test('a wrong-thread transaction beats an undo fault: -1910, the fault is not consumed', () => {
  const f = new Fixture();
  const s = f.session();
  must(f.e.JetBeginTransaction('t1', s));
  f.e.injectFault({ step: 'undo', err: E.JET_errOutOfMemory, times: 1 });
  expectErr(f.e.JetEndSession('t2', s, 0), E.JET_errSessionSharingViolation);
  expectErr(f.e.JetEndSession('t1', s, 0), E.JET_errOutOfMemory);
});

test('an undo failure stops the clean-up before the database and sort closes', () => {
  const f = new Fixture();
  const s = f.session();
  f.database(s, 'db1', B.JET_bitDbExclusive);
  must(f.e.JetBeginTransaction('t1', s));
  f.e.injectFault({ step: 'undo', err: E.JET_errOutOfBuffers, times: 1 });
  f.e.injectFault({ step: 'close-database', err: E.JET_errDiskIO, times: 1 });
  expectErr(f.e.JetEndSession('t1', s, 0), E.JET_errOutOfBuffers);
  expectErr(f.e.JetEndSession('t1', s, 0), E.JET_errInstanceUnavailable);
});

test('database closes come before sort closes', () => {
  const f = new Fixture();
  const s = f.session();
  f.database(s);
  // A sort (key column): a materialized temp table's close cannot fail (CallS, tm.cxx 170-178).
  must(f.e.JetOpenTempTable('t1', s, [{ coltyp: K.JET_coltypLong, grbit: B.JET_bitColumnTTKey }], 0));
  f.e.injectFault({ step: 'close-sort', err: E.JET_errOutOfMemory, times: 1 });
  f.e.injectFault({ step: 'close-database', err: E.JET_errDiskIO, times: 1 });
  expectErr(f.e.JetEndSession('t1', s, 0), E.JET_errDiskIO);
  expectErr(f.e.JetEndSession('t1', s, 0), E.JET_errOutOfMemory);
  must(f.e.JetEndSession('t1', s, 0));
});
