/**
 * The JetEndSession of a scenario at the end of the chain of the whole-state probes made before it
 * (harness/state.ts, PredictedImplementation.callChainThen): the call goes without `expect` after the
 * probes' calls and is made only when the chain runs to its end. The implementation receives exactly
 * the calls, in the same order, that the probes and then the call one by one make; the trace, names,
 * shadow, divergences and failure are the same, whatever the implementation answers (a probe's code
 * otherwise, the end's code otherwise, a crash in either); only a round trip goes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ScenarioContext } from '../../harness/context';
import * as fx from '../../harness/fixtures';
import { stateAsBefore, stateAsEsent } from '../../harness/state';
import type { CallResult } from '../../adapters/types';
import { logged, type Answer } from './helpers/logged';
import { scenarioState as state } from './helpers/scenario-state';

/** Fixtures, then two ends as the scenarios' acts (each observed before), the second of a session inside a transaction. */
async function scenario(ctx: ScenarioContext, trips: () => number): Promise<{ readonly value: unknown; readonly tripsOfEnds: number[] }> {
  await ctx.reset();
  await fx.situations['a level 3 transaction with inserts'](ctx);
  await fx.beginSession(ctx, 's2');
  const tripsOfEnds: number[] = [];
  const out: unknown[] = [];
  for (const session of ['s2', 's1']) {
    const before = trips();
    try {
      const r = await ctx.act('t1', 'JetEndSession', { sesid: ctx.handle(session), grbit: 0 });
      out.push(r);
    } catch (e) {
      out.push(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
      tripsOfEnds.push(trips() - before);
      break;
    }
    tripsOfEnds.push(trips() - before);
  }
  // The observations before the ends, as the state checks read them (compared with the state after).
  for (const check of [stateAsEsent, stateAsBefore]) {
    try {
      await check(ctx);
      out.push(`${check.name}: ok`);
    } catch (e) {
      out.push(`${check.name}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
    }
  }
  return { value: out, tripsOfEnds };
}

async function run(chaining: boolean, answer?: Answer) {
  const side = logged(chaining, answer, { expectOut: true });
  const ctx = new ScenarioContext(side.impl, 'esent');
  const { value, tripsOfEnds } = await scenario(ctx, side.trips);
  return { log: side.log, tripsOfEnds, state: state(ctx, value) };
}

test('end after probes: the end goes at the end of the probes\' chain, with the same calls, trace and state', async () => {
  const plain = await run(false);
  const chained = await run(true);
  assert.deepEqual(chained.log, plain.log);
  assert.deepEqual(chained.state, plain.state);
  // Each end with its observation before it: one round trip (the chain, the end at its end).
  assert.deepEqual(chained.tripsOfEnds, [1, 1], `round trips of each end with its observation: ${chained.tripsOfEnds.join(', ')}`);
  assert.ok(plain.tripsOfEnds.every((n) => n > 10), `one by one: ${plain.tripsOfEnds.join(', ')}`);
  const ends = plain.log.filter((l) => (JSON.parse(l) as [string, string])[1] === 'JetEndSession').length;
  assert.ok(ends >= 2, `${ends} ends`);
});

test('end after probes: an implementation answering a probe or the end otherwise (a code, a crash) gets the same calls and the same failure', async () => {
  const probe = await run(false);
  const ops = probe.log.map((l) => (JSON.parse(l) as [string, string])[1]);
  // The acts are the last JetEndSession of each observation: the last call of the log, and the one before the second observation.
  const last = ops.length - 1;
  const firstEnd = ops.lastIndexOf('JetEndSession', ops.lastIndexOf('JetBeginSession'));
  const beginsOfSecond = ops.lastIndexOf('JetBeginSession');
  const cases: [string, Answer][] = [];
  for (const n of [firstEnd, last]) {
    cases.push([`the end (${n}) answers -1104`, (i, _op, r) => (i === n ? { kind: 'returned', err: -1104 } : r)]);
    cases.push([`the end (${n}) answers a warning`, (i, _op, r) => (i === n && r.kind === 'returned' ? { ...r, err: 1327 } : r)]);
    cases.push([`the end (${n}) crashes`, (i, _op, r): CallResult => (i === n ? { kind: 'crash', reason: 'boom' } : r)]);
  }
  // A probe of the second observation answered otherwise: the chain stops there, the probes go on live, then the end.
  cases.push([`a probe (${beginsOfSecond}) answers -1059`, (i, _op, r) => (i === beginsOfSecond ? { kind: 'returned', err: -1059 } : r)]);
  cases.push([`the probe before the end (${last - 1}) answers -1059`, (i, _op, r) => (i === last - 1 ? { kind: 'returned', err: -1059 } : r)]);
  cases.push([`the probe before the end (${last - 1}) crashes`, (i, _op, r): CallResult => (i === last - 1 ? { kind: 'crash', reason: 'boom' } : r)]);
  for (const [what, answer] of cases) {
    const plain = await run(false, answer);
    const chained = await run(true, answer);
    assert.deepEqual(chained.log, plain.log, what);
    assert.deepEqual(chained.state, plain.state, what);
  }
});
