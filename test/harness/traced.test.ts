/**
 * The trace a verdict judges is taken once (harness/traced.ts): a call still in flight at the verdict
 * is in it as pending, and a result that arrives later (a waiting JetTerm ended by the next reset) is
 * kept apart, never added to the trace that was judged and reported.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import type { AdapterStatus, CallResult, Implementation } from '../../adapters/types';
import { createReferenceImplementation } from '../../adapters/reference';
import { runSuite } from '../../harness/runner';
import { PENDING_AT_VERDICT, TracedImplementation } from '../../harness/traced';

/** Answers JetBeginSession at once; JetTerm2 only when the test says so. */
function gated(): { impl: Implementation; finish: (r: CallResult) => void } {
  let finish: (r: CallResult) => void = () => assert.fail('JetTerm2 was never called');
  const impl: Implementation = {
    info: { name: 'gated', version: '1', target: 'current', pointerWidth: 64, capabilities: [] },
    reset: (): Promise<AdapterStatus> => Promise.resolve({ kind: 'ok' }),
    call: (async (_thread: string, op: string) => {
      if (op !== 'JetTerm2') return { kind: 'returned', err: 0, out: { sesid: 's-1' } };
      return new Promise<CallResult>((resolve) => (finish = resolve));
    }),
    close: () => Promise.resolve(),
  };
  return { impl, finish: (r) => finish(r) };
}

test('a call in flight at the verdict is pending in the judged trace; its late result goes to afterVerdict', async () => {
  const { impl, finish } = gated();
  const traced = new TracedImplementation(impl);
  await traced.reset();
  await traced.call('t1', 'JetBeginSession', { instance: 'i-1', username: null, password: null } as never);
  const term = traced.call('t2', 'JetTerm2', { instance: 'i-1', grbit: 0 });

  const judged = traced.verdictTrace();
  assert.deepEqual(
    judged.map((e) => [e.seq, e.thread, e.kind, e.op ?? '', e.result]),
    [
      [1, '-', 'reset', '', 'ok'],
      [2, 't1', 'call', 'JetBeginSession', 'JET_errSuccess (0)'],
      [3, 't2', 'call', 'JetTerm2', PENDING_AT_VERDICT],
    ],
  );
  assert.ok(Object.isFrozen(judged));

  finish({ kind: 'crash', reason: 'reset while JetTerm was waiting' });
  await term;
  await traced.reset();
  assert.equal(traced.verdictTrace(), judged, 'the same judged trace on every later call');
  assert.equal(judged.length, 3, 'nothing is added to the judged trace');
  assert.equal(traced.trace.length, 3);
  assert.deepEqual(
    traced.afterVerdict.map((e) => [e.seq, e.thread, e.kind, e.op ?? '', e.result]),
    [
      [4, 't2', 'call', 'JetTerm2', 'CRASH: reset while JetTerm was waiting'],
      [5, '-', 'reset', '', 'ok'],
    ],
  );
});

test('the suite: a JetTerm still waiting at the end of a scenario is pending in its reported trace, never the reset that ended it', async () => {
  const { matrix } = await runSuite({ impl: createReferenceImplementation(), adapterName: 'reference', tiers: ['documented', 'esent'] });
  assert.ok(matrix.scenarios.length >= 100);
  const entries = matrix.scenarios.flatMap((s) => s.trace.map((e) => ({ s, e })));
  assert.deepEqual(
    entries.filter(({ e }) => /waiting/.test(e.result)).map(({ s, e }) => `${s.tier} ${s.id}: ${e.op} ${e.result}`),
    [],
    'no result that came after the verdict',
  );
  const pending = entries.filter(({ e }) => e.result === PENDING_AT_VERDICT);
  assert.ok(pending.length > 0, 'some scenario ends with a JetTerm still waiting');
  for (const { s, e } of pending) assert.match(e.op ?? '', /^JetTerm2?$/, `${s.id}: ${e.op} pending`);
  for (const s of matrix.scenarios) {
    const firstPending = s.trace.findIndex((e) => e.result === PENDING_AT_VERDICT);
    if (firstPending >= 0) assert.ok(s.trace.slice(firstPending).every((e) => e.result === PENDING_AT_VERDICT), `${s.id}: the pending calls come after every settled one`);
  }
});
