/**
 * The fixtures' setup calls through a chain (harness/setup-chain.ts): the implementation receives
 * exactly the calls, in the same order and on the same threads, that the fixtures make one call at a
 * time, the scenario's trace, names, shadow and divergences are the same, and a call answered
 * otherwise than the reference answered (a warning, an error, a crash) ends or continues the fixture
 * where it did, with the same error; only the round trips go.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ScenarioContext } from '../../harness/context';
import * as fx from '../../harness/fixtures';
import type { CallResult } from '../../adapters/types';
import { logged, type Answer } from './helpers/logged';
import { scenarioState as state } from './helpers/scenario-state';
import { setupChainOf } from '../../harness/setup-chain';

/** Fixtures of every kind: chained setup calls, live scans (seek), acts (temp tables), a second instance, sessions begun and ended in a row. */
async function setUp(ctx: ScenarioContext): Promise<unknown> {
  await ctx.reset();
  await fx.situations['a level 3 transaction with inserts'](ctx);
  await fx.beginSession(ctx, 's2');
  await fx.openDatabase(ctx, 's2', 'db1');
  const dbid = await fx.openDatabase(ctx, 's2', 'db1');
  await fx.ensureCursor(ctx, 's2', 't1');
  await fx.holdTempTables(ctx, 's2', 2);
  await fx.committedWork(ctx, 's2', 't1', 2, 1);
  await fx.otherInstanceWithTransaction(ctx, 'i2', 's9', 't9', 'db9');
  await fx.cycleSessions(ctx, 3, '_cycled');
  return dbid;
}


async function run(chaining: boolean, answer?: Answer) {
  const side = logged(chaining, answer);
  const ctx = new ScenarioContext(side.impl, 'esent');
  let error: string | undefined;
  let returned: unknown;
  try {
    returned = await setUp(ctx);
  } catch (e) {
    error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  }
  return { log: side.log, trips: side.trips(), error, state: state(ctx, returned) };
}

test('setup chain: the same calls, trace, names and shadow as one call at a time, in far fewer round trips', async () => {
  const plain = await run(false);
  const chained = await run(true);
  assert.equal(plain.error, undefined);
  assert.equal(chained.error, undefined);
  assert.ok(plain.log.length > 100, `the fixtures made ${plain.log.length} calls`);
  assert.deepEqual(chained.log, plain.log);
  assert.deepEqual(chained.state, plain.state);
  assert.equal(plain.trips, plain.log.length);
  assert.ok(chained.trips * 3 < plain.trips, `${chained.trips} round trips chained, ${plain.trips} one by one`);
});

test('setup chain: a call answered otherwise than the reference (warning, error, crash, unsupported) ends or continues the fixture where it did', async () => {
  const plain0 = await run(false);
  const setColumns = plain0.log.map((l, i) => [i, JSON.parse(l) as [string, string]] as const).filter(([, [, op]]) => op === 'JetSetColumn');
  const at = [setColumns[0][0], setColumns[5][0], plain0.log.length - 3];
  const answers: Record<string, (r: CallResult) => CallResult> = {
    warning: (r) => (r.kind === 'returned' ? { ...r, err: 1327 } : r),
    error: () => ({ kind: 'returned', err: -1048 }),
    crash: () => ({ kind: 'crash', reason: 'boom' }),
    unsupported: () => ({ kind: 'unsupported', reason: 'no' }),
  };
  for (const [name, change] of Object.entries(answers)) {
    for (const index of at) {
      const answer: Answer = (i, _op, r) => (i === index ? change(r) : r);
      const plain = await run(false, answer);
      const chained = await run(true, answer);
      const what = `${name} at call ${index}`;
      assert.deepEqual(chained.log, plain.log, what);
      assert.equal(chained.error, plain.error, what);
      assert.deepEqual(chained.state.trace, plain.state.trace, what);
      assert.deepEqual(chained.state.divergences, plain.state.divergences, what);
      if (name === 'warning') assert.equal(plain.error, undefined, what);
      else assert.ok(plain.error !== undefined && plain.log.length === index + 1, `${what}: ${plain.error}`);
    }
  }
});

test('setup chain: a queued setup call gives its predicted out-values at once (no promise), one it must make live a promise; the calls are the same', async () => {
  const side = logged(true);
  const ctx = new ScenarioContext(side.impl, 'esent');
  await ctx.reset();
  const chain = setupChainOf(ctx);
  assert.ok(chain !== undefined);
  const kinds: string[] = [];
  await chain.around(async () => {
    const created = chain.setup('t1', 'JetCreateInstance', { name: 'i1' });
    kinds.push(created instanceof Promise ? 'promise' : 'value');
    const { instance } = (await created) as { instance: string };
    kinds.push(chain.setup('t1', 'JetInit', { instance }) instanceof Promise ? 'promise' : 'value');
    // The reference refuses a second JetInit: the fixture would need the real answer, made now after the queue.
    const refused = chain.setup('t1', 'JetInit', { instance });
    kinds.push(refused instanceof Promise ? 'promise' : 'value');
    await assert.rejects(Promise.resolve(refused));
  });
  assert.deepEqual(kinds, ['value', 'value', 'promise']);
  assert.deepEqual(side.log.map((l) => (JSON.parse(l) as [string, string])[1]), ['JetCreateInstance', 'JetInit', 'JetInit']);
  assert.equal(side.trips(), 1);
});
