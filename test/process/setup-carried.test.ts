/**
 * A fixture's scan for a key carrying the setup calls queued before it (harness/speculate.ts
 * speculatedAfterSetup, harness/fixtures.ts seek): the queue and the scan go as one chain. The
 * implementation receives exactly the calls the fixtures make one by one, the scenario's trace,
 * names, shadow and divergences are the same, and an implementation that answers otherwise (a
 * warning or an error of a carried setup call, a crash, another code or another value in the scan)
 * gets the same calls and the same failure; only the round trips go.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CallResult } from '../../adapters/types';
import { ScenarioContext } from '../../harness/context';
import * as fx from '../../harness/fixtures';
import { logged, type Answer } from './helpers/logged';
import { scenarioState as state } from './helpers/scenario-state';

/** Fixtures whose scans follow queued setup calls: a table made, work at three levels, committed work, a second session's update. */
async function setUp(ctx: ScenarioContext): Promise<void> {
  await ctx.reset();
  await fx.situations['a level 3 transaction with inserts'](ctx);
  await fx.beginSession(ctx, 's2');
  await fx.committedWork(ctx, 's2', 't1', 2, 1);
  await fx.levelOneWork(ctx, 's2', 't1', { inserts: 1, update: 1, remove: 2001 });
}

/** One call at a time, chained without expect-out (no predictor: the queue, then each scan's calls live), or with it. */
async function run(mode: 'plain' | 'chain' | 'carry', answer?: Answer) {
  const side = logged(mode !== 'plain', answer, { expectOut: mode === 'carry' });
  const ctx = new ScenarioContext(side.impl, 'esent');
  let error: string | undefined;
  try {
    await setUp(ctx);
  } catch (e) {
    error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  }
  return { log: side.log, trips: side.trips(), error, state: state(ctx, undefined) };
}

/** The seeks of setUp(): situations' nestedWork (2 updates, 1 delete, 2 more updates), committedWork (1), levelOneWork (2). */
const seeks = 8;

test('setup carried: the same calls, trace, names and shadow as one call at a time; one round trip per scan and one at the end of each fixture', async () => {
  const plain = await run('plain');
  const carried = await run('carry');
  assert.equal(plain.error, undefined);
  assert.equal(carried.error, undefined);
  assert.ok(plain.log.filter((l) => l.includes('"JetRetrieveColumn"')).length >= seeks, 'the fixtures scanned');
  assert.deepEqual(carried.log, plain.log);
  assert.deepEqual(carried.state, plain.state);
  // Each scan carries what was queued before it: a round trip per scan, plus the chain of each of
  // the four fixtures' tails (the situation, the session begun, the committed work, the level 1
  // work). Sent before its scan, the queue took one more each (20 round trips).
  assert.ok(carried.trips <= seeks + 4, `${carried.trips} round trips for ${seeks} scans`);
});

test('setup carried: a carried call or a scan answered otherwise ends or continues the fixture where one call at a time did', async () => {
  const plain0 = await run('plain');
  const calls = plain0.log.map((l) => JSON.parse(l) as [string, string, Record<string, unknown>]);
  const indexOf = (op: string, nth: number) => calls.map(([, o], i) => (o === op ? i : -1)).filter((i) => i >= 0)[nth];
  // The last setup call before the first scan (carried), the scans' first calls and reads.
  const firstMove = indexOf('JetMove', 0);
  const at = [firstMove - 1, firstMove, indexOf('JetRetrieveColumn', 0), indexOf('JetRetrieveColumn', 3), indexOf('JetMove', 6)];
  assert.ok(at.every((i) => i !== undefined && i > 0), `positions ${at.join(', ')}`);
  const answers: Record<string, (r: CallResult) => CallResult> = {
    warning: (r) => (r.kind === 'returned' ? { ...r, err: 1327 } : r),
    error: () => ({ kind: 'returned', err: -1603 }),
    crash: () => ({ kind: 'crash', reason: 'boom' }),
    'another value': (r) => (r.kind === 'returned' && r.out !== undefined ? { ...r, out: { ...r.out, value: 999 } } : r),
  };
  for (const [name, change] of Object.entries(answers)) {
    for (const index of at) {
      const answer: Answer = (i, _op, r) => (i === index ? change(r) : r);
      const plain = await run('plain', answer);
      const carried = await run('carry', answer);
      const what = `${name} at call ${index} (${calls[index][1]})`;
      assert.deepEqual(carried.log, plain.log, what);
      assert.equal(carried.error, plain.error, what);
      assert.deepEqual(carried.state.trace, plain.state.trace, what);
      assert.deepEqual(carried.state.divergences, plain.state.divergences, what);
      assert.deepEqual(carried.state.names, plain.state.names, what);
    }
  }
});

test('setup carried: without expect-out (no predictor) the queue goes first and each scan live, as before', async () => {
  const plain = await run('plain');
  const chained = await run('chain');
  const carried = await run('carry');
  assert.deepEqual(chained.log, plain.log);
  assert.deepEqual(chained.state, plain.state);
  assert.ok(carried.trips < chained.trips, `${carried.trips} round trips carried, ${chained.trips} without a predictor`);
});
