/**
 * Instance lookup in single-instance mode (JetInit with a NULL instance: every API names the one
 * instance with NULL or nil), and FEnter's order between the process-wide term check (§2.1 step
 * 1), StopService (step 3) and the instance's own term in progress (step 5).
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { Engine, forgedHandle } from '../../oracle';
import { E, Fixture, P, expectErr, must } from './fixture';
import type { JET_HANDLE } from './fixture';

test('single-instance mode: JetInit(NULL) makes the one instance; NULL and nil name it; anything else is -1115; JetCreateInstance -1080', () => {
  const e = new Engine();
  must(e.JetInit('t1', forgedHandle('zero')));
  expectErr(e.JetInit('t1', forgedHandle('nil')), E.JET_errAlreadyInitialized, 'the one instance is initialized');
  expectErr(e.JetCreateInstance('t1', 'i2'), E.JET_errRunningInOneInstanceMode);
  const s = must(e.JetBeginSession('t1', forgedHandle('nil'), '', '')).sesid as JET_HANDLE;
  const s2 = must(e.JetBeginSession('t1', forgedHandle('zero'), '', '')).sesid as JET_HANDLE;
  assert.notEqual(s, s2);
  expectErr(e.JetBeginSession('t1', forgedHandle('never-issued'), '', ''), E.JET_errInvalidInstance);
  expectErr(e.JetBeginSession('t1', s, '', ''), E.JET_errInvalidInstance, 'a sesid is not an instance');
  expectErr(e.JetSetSystemParameter('t1', forgedHandle('nil'), null, P.JET_paramMaxSessions, 3), E.JET_errAlreadyInitialized, 'NULL names the initialized instance');
  must(e.JetStopServiceInstance('t1', forgedHandle('zero')));
  expectErr(e.JetBeginSession('t1', forgedHandle('zero'), '', ''), E.JET_errClientRequestToStopJetService, 'the instance NULL names was stopped');
  must(e.JetEndSession('t1', s, 0));
  must(e.JetEndSession('t1', s2, 0));
  must(e.JetTerm('t1', forgedHandle('nil')) as { err: number });
  expectErr(e.JetBeginSession('t1', forgedHandle('nil'), '', ''), E.JET_errInvalidParameter, 'no instance is left');
  expectErr(e.JetBeginSession('t1', forgedHandle('never-issued'), '', ''), E.JET_errInvalidInstance, 'validation rejects it even with no instance left (engine: -1115)');
});

test('every instance terminating: the process-wide term check (-1000) comes before StopService (-1329)', () => {
  const f = new Fixture();
  const a = f.session();
  const b = f.session();
  const h = f.e.hold('t2', { op: 'JetBeginTransaction', args: { sesid: a } });
  assert.ok('held' in h);
  must(f.e.JetStopServiceInstance('t1', f.inst));
  expectErr(f.e.JetBeginTransaction('t1', b), E.JET_errClientRequestToStopJetService, 'StopService alone');
  const term = f.e.JetTerm('t3', f.inst);
  assert.ok('pending' in term, 'the term waits for the held call');
  expectErr(f.e.JetBeginTransaction('t1', b), E.JET_errTermInProgress);
  expectErr(f.e.JetEndSession('t1', b, 0), E.JET_errTermInProgress);
  const r = f.e.release(h.held);
  assert.equal(r.result.err, 0);
  assert.equal(r.completed.length, 1, 'the term completed with the release');
});

test('another instance still up: StopService (-1329) comes before the instance\'s own term in progress (-1000)', () => {
  const f = new Fixture();
  const a = f.session();
  const b = f.session();
  const i2 = must(f.e.JetCreateInstance('t1', 'i2')).instance as JET_HANDLE;
  must(f.e.JetInit('t1', i2));
  const c = must(f.e.JetBeginSession('t1', i2, '', '')).sesid as JET_HANDLE;
  const h = f.e.hold('t2', { op: 'JetBeginTransaction', args: { sesid: a } });
  assert.ok('held' in h);
  must(f.e.JetStopServiceInstance('t1', f.inst));
  assert.ok('pending' in f.e.JetTerm('t3', f.inst));
  expectErr(f.e.JetBeginTransaction('t1', b), E.JET_errClientRequestToStopJetService);
  expectErr(f.e.JetEndSession('t1', b, 0), E.JET_errTermInProgress, 'JetEndSession ignores StopService');
  must(f.e.JetBeginTransaction('t1', c), 'the other instance is untouched');
  must(f.e.JetRollback('t1', c, 0));
  f.e.release(h.held);
});
