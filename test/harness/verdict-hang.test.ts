/**
 * A hang is never a FAIL: when cucumber's step time limit runs out (an in-process implementation,
 * --adapter-module, whose call never settles: no adapter timer bounds it), the scenario is the
 * implementation's TIMEOUT naming the unanswered call, or, with none unanswered, the suite's own
 * SUITE_ERROR. Other failures without a recognised error stay FAIL.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { verdict } from '../../harness/verdict';
import { PENDING_AT_VERDICT } from '../../harness/traced';

const base = { pickle: { uri: 'features/x.feature', name: 'x', line: 1, tags: ['@ES-SUCCESS-IDLE'] }, tier: 'esent' as const, passed: false, cucumberStatus: 'FAILED' };
const timedOut = 'Error: function timed out, ensure the promise resolves within 36000 milliseconds\n    at Timeout.<anonymous>';
const pending = { seq: 4, thread: 't1', kind: 'call' as const, op: 'JetEndSession', args: { sesid: '0x10', grbit: 0 }, result: PENDING_AT_VERDICT };
const settled = { seq: 3, thread: 't1', kind: 'call' as const, op: 'JetBeginSession', err: 0, result: 'JET_errSuccess (0)' };

test("a step that outlived cucumber's time limit while a call was unanswered is that call's TIMEOUT", () => {
  const r = verdict({ ...base, message: timedOut, trace: [settled, pending] });
  assert.equal(r.status, 'TIMEOUT', r.reason);
  assert.match(r.reason ?? '', /^JetEndSession on t1: no answer before the step's time limit ran out \(Error: function timed out/);
});

test('a step that outlived the time limit with no call unanswered is a SUITE_ERROR, not a FAIL', () => {
  const r = verdict({ ...base, message: timedOut, trace: [settled] });
  assert.equal(r.status, 'SUITE_ERROR', r.reason);
  assert.match(r.reason ?? '', /\[ERR_ESE_SUITE_INTERNAL\]$/);
});

test('any other failure cucumber reports without an error of the suite stays a FAIL', () => {
  assert.equal(verdict({ ...base, message: 'AssertionError: expected 0', trace: [settled, pending] }).status, 'FAIL');
});
