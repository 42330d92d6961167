/**
 * Calls held in flight: other threads get -1910 on that session, JetTerm waits (term-in-progress
 * for the others) and completes deterministically when the last held call is released.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { holdableOps } from '../../oracle';
import { B, E, Fixture, K, expectErr, must } from './fixture';

test('a held call keeps the session in the API: every other thread gets -1910 on it; other sessions are free', () => {
  const f = new Fixture();
  const s = f.session();
  const o = f.session();
  const h = f.e.hold('t2', { op: 'JetBeginTransaction', args: { sesid: s } });
  assert.ok('held' in h);
  expectErr(f.e.JetRollback('t1', s, 0), E.JET_errSessionSharingViolation);
  expectErr(f.e.JetSetSessionContext('t1', s, 3), E.JET_errSessionSharingViolation);
  expectErr(f.e.JetEndSession('t1', s, 0), E.JET_errSessionSharingViolation);
  must(f.e.JetBeginTransaction('t1', o));
  must(f.e.JetRollback('t1', o, 0));
  const r = f.e.release(h.held);
  assert.equal(r.result.err, 0);
  assert.deepEqual(r.completed, []);
  expectErr(f.e.JetBeginTransaction('t1', s), E.JET_errSessionSharingViolation, 'the held begin completed at release, on t2');
  expectErr(f.e.JetCommitTransaction('t1', s, 0), E.JET_errSessionSharingViolation, 'the transaction belongs to t2');
  must(f.e.JetCommitTransaction('t2', s, 0));
  expectErr(f.e.JetCommitTransaction('t2', s, 0), E.JET_errNotInTransaction);
});

test('a held call that fails its entry checks returns at once and holds nothing', () => {
  const f = new Fixture();
  const s = f.session();
  must(f.e.JetEndSession('t1', s, 0));
  const h = f.e.hold('t2', { op: 'JetBeginTransaction', args: { sesid: s } });
  assert.ok('result' in h);
  assert.equal(h.result.err, E.JET_errInvalidSesid);
  must(f.e.JetBeginSession('t2', f.inst, '', ''), 't2 is not blocked');
});

test('a thread with a held call is blocked: its other calls are refused (-1906)', () => {
  const f = new Fixture();
  const s = f.session();
  const h = f.e.hold('t2', { op: 'JetBeginTransaction', args: { sesid: s } });
  assert.ok('held' in h);
  expectErr(f.e.JetBeginSession('t2', f.inst, '', ''), E.JET_errInvalidOperation);
  f.e.release(h.held);
  must(f.e.JetBeginSession('t2', f.inst, '', ''));
});

test('only calls that enter through a session can be held', () => {
  const f = new Fixture();
  assert.throws(() => f.e.hold('t1', { op: 'JetTerm', args: { instance: f.inst } }));
  assert.ok(holdableOps.has('JetEndSession'));
  assert.ok(!holdableOps.has('JetBeginSession'));
});

test('ES-TERM-IN-PROGRESS: JetTerm2(Complete) waits; end of a session with a transaction -1000, unchanged; release: -1059; the session then ends with 0', () => {
  const f = new Fixture();
  const s = f.session();
  const dbid = f.database(s);
  f.table(s, dbid, [1]);
  const t = f.open(s, dbid);
  must(f.e.JetBeginTransaction('t1', s));
  f.insert(s, t, 2);
  const busy = f.session();
  const h = f.e.hold('t3', { op: 'JetRetrieveColumn', args: { sesid: busy, tableid: t, columnid: 1 } });
  assert.ok('result' in h, 'a tableid of another session fails at entry');
  const h2 = f.e.hold('t3', { op: 'JetDupSession', args: { sesid: busy } });
  assert.ok('held' in h2);
  const term = f.e.JetTerm2('t2', f.inst, B.JET_bitTermComplete);
  assert.ok('pending' in term);
  expectErr(f.e.JetEndSession('t1', s, 0), E.JET_errTermInProgress);
  expectErr(f.e.JetMove('t1', s, t, K.JET_MoveFirst, 0), E.JET_errTermInProgress);
  expectErr(f.e.JetCommitTransaction('t2', s, 0), E.JET_errInvalidOperation, 't2 waits in JetTerm2');
  must(f.e.JetBeginSession('t4', f.inst, '', ''), 'JetBeginSession only checks the API lock, not yet taken');
  const r = f.e.release(h2.held);
  assert.equal(r.result.err, 0, 'the held JetDupSession completes');
  assert.equal(r.completed.length, 1);
  assert.equal(r.completed[0].pending, term.pending);
  expectErr(r.completed[0].result, E.JET_errTooManyActiveUsers);
  assert.deepEqual(f.scan(s, t), [1, 2], 'unchanged: the transaction is still there');
  must(f.e.JetEndSession('t1', s, 0));
  must(f.e.JetTerm2('t2', f.inst, B.JET_bitTermComplete) as { err: number }, 't2 is free again and the term now succeeds');
});

test('the term completes only with the last held call, and then ends the idle sessions', () => {
  const f = new Fixture();
  const a = f.session();
  const b = f.session();
  const ha = f.e.hold('ta', { op: 'JetResetSessionContext', args: { sesid: a } });
  const hb = f.e.hold('tb', { op: 'JetResetSessionContext', args: { sesid: b } });
  assert.ok('held' in ha && 'held' in hb);
  const term = f.e.JetTerm('t1', f.inst);
  assert.ok('pending' in term);
  // A second term blocks behind the first (ErrTermComplete holds the instance's critical section
  // across its wait, jetapi.cxx 20859-20932); engine: it answers -1000 after the first term's 0.
  const second = f.e.JetTerm('t9', f.inst);
  assert.ok('pending' in second, 'a second term waits too');
  const ra = f.e.release(ha.held);
  expectErr(ra.result, E.JET_errSessionContextNotSetByThisThread);
  assert.deepEqual(ra.completed, []);
  const rb = f.e.release(hb.held);
  assert.deepEqual(rb.completed.map((c) => c.pending), [term.pending, second.pending]);
  must(rb.completed[0].result);
  expectErr(rb.completed[1].result, E.JET_errTermInProgress, 'the second term, once the first went on');
  expectErr(f.e.JetEndSession('t1', a, 0), E.JET_errInvalidSesid);
  expectErr(f.e.JetEndSession('t1', b, 0), E.JET_errInvalidSesid);
});

test('a held JetEndSession checks the context at release; the term waits for it', () => {
  const f = new Fixture();
  const s = f.session();
  const h = f.e.hold('t2', { op: 'JetEndSession', args: { sesid: s, grbit: 0 } });
  assert.ok('held' in h);
  const term = f.e.JetTerm('t1', f.inst);
  assert.ok('pending' in term);
  const r = f.e.release(h.held);
  must(r.result);
  must(r.completed[0].result);
  assert.equal(f.e.state.instances.size, 0);
});

test('reset forgets holds and waiting terms', () => {
  const f = new Fixture();
  const s = f.session();
  const h = f.e.hold('t2', { op: 'JetBeginTransaction', args: { sesid: s } });
  assert.ok('held' in h);
  const term = f.e.JetTerm('t1', f.inst);
  assert.ok('pending' in term);
  assert.deepEqual(f.e.reset(), [term.pending]);
  assert.throws(() => f.e.release(h.held));
  must(f.e.JetCreateInstance('t1', 'fresh'));
});
