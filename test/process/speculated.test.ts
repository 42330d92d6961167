/**
 * Speculated probe programs (harness/speculate.ts speculated(), harness/predict.ts): a probe's
 * calls planned on the predictor and sent as one chain whose calls expect the predicted code and
 * out-values (protocol 1.1 `expect-out`). The implementation receives exactly the calls the probes
 * make one by one, the scenario's trace, names, shadow and divergences are the same, and an
 * implementation that answers otherwise than predicted (another value, another code, a reused
 * handle) gets the same calls and the same failure; only the round trips go. A hostile answer that
 * goes on past an unexpected out-value is a PROTOCOL_ERROR.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openProcessImplementation, type ProcessImplementation } from '../../adapters/process/adapter';
import type { CallResult, ChainCall } from '../../adapters/types';
import { ScenarioContext } from '../../harness/context';
import * as fx from '../../harness/fixtures';
import { logged as loggedEngine, type Answer } from './helpers/logged';
import { scenarioState as state } from './helpers/scenario-state';
import * as probes from '../../harness/probes';
import { Predictor } from '../../harness/predict';
import { createReferenceImplementation } from '../../adapters/reference';

/** The logged engine of helpers/logged.ts, declaring expect-out when it chains. */
const logged = (chaining: boolean, answer?: Answer) => loggedEngine(chaining, answer, { expectOut: true });

/** Fixtures with scans (seek), then every speculated probe. */
async function scenario(ctx: ScenarioContext): Promise<unknown> {
  await ctx.reset();
  await fx.situations['a level 3 transaction with inserts'](ctx);
  await fx.beginSession(ctx, 's2');
  await fx.levelOneWork(ctx, 's2', 't1', { inserts: 1, update: 1 });
  const out: unknown[] = [];
  for (const probe of [
    () => probes.isUnchanged(ctx, 's1'),
    () => probes.othersCanUpdateAll(ctx, 't1'),
    () => probes.isUsable(ctx, 's2'),
    async () => out.push(await probes.fingerprint(ctx, 's2')),
    () => probes.isNotGone(ctx, 's1'),
    () => probes.seesOwnWork(ctx, 's2', 't1'),
  ]) {
    try {
      await probe();
      out.push('ok');
    } catch (e) {
      out.push(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
    }
  }
  return out;
}


async function both(answer?: Answer) {
  const plain = logged(false, answer);
  const chained = logged(true, answer);
  const a = new ScenarioContext(plain.impl, 'esent');
  const b = new ScenarioContext(chained.impl, 'esent');
  const ra = await scenario(a).catch((e: unknown) => String(e));
  const rb = await scenario(b).catch((e: unknown) => String(e));
  return { plain, chained, a: state(a, ra), b: state(b, rb) };
}

test('speculated: the probes chained make the calls the probes one by one make, with the same trace and state, in fewer round trips', async () => {
  const { plain, chained, a, b } = await both();
  assert.deepEqual(chained.log, plain.log);
  assert.deepEqual(b, a);
  assert.ok(chained.trips() * 5 < plain.trips(), `${chained.trips()} round trips chained, ${plain.trips()} one by one`);
});

test('speculated: an implementation answering otherwise than predicted (a value, a code, a handle) gets the same calls and the same failure', async () => {
  const probe = logged(false);
  await scenario(new ScenarioContext(probe.impl, 'esent'));
  const retrieves = probe.log.map((l, i) => [i, JSON.parse(l) as [string, string]] as const).filter(([, [, op]]) => op === 'JetRetrieveColumn').map(([i]) => i);
  const moves = probe.log.map((l, i) => [i, JSON.parse(l) as [string, string]] as const).filter(([, [, op]]) => op === 'JetMove').map(([i]) => i);
  const begins = probe.log.map((l, i) => [i, JSON.parse(l) as [string, string]] as const).filter(([, [, op]]) => op === 'JetBeginSession').map(([i]) => i);
  const cases: [string, Answer][] = [];
  // Values read by a seek (fixture and probe) and by a table scan, early and late.
  for (const n of [retrieves[0], retrieves[Math.floor(retrieves.length / 3)], retrieves[Math.floor(retrieves.length / 2)], retrieves[retrieves.length - 2]]) {
    cases.push([`value of call ${n}`, (i, _op, r) => (i === n && r.kind === 'returned' && r.err >= 0 ? { ...r, out: { value: 9999 } } : r)]);
  }
  // A scan that ends early, or a move that fails.
  for (const n of [moves[Math.floor(moves.length / 2)], moves[moves.length - 3]]) {
    cases.push([`JetMove ${n} answers -1603`, (i, _op, r) => (i === n ? { kind: 'returned', err: -1603 } : r)]);
  }
  // An observer session whose handle repeats an earlier one.
  const firstSesid = (r: CallResult) => (r.kind === 'returned' ? (r.out as { sesid?: string } | undefined)?.sesid : undefined);
  let remembered: string | undefined;
  cases.push([
    'a reused sesid',
    (i, op, r) => {
      if (op === 'JetBeginSession' && remembered === undefined) remembered = firstSesid(r);
      return i === begins[begins.length - 2] && remembered !== undefined && r.kind === 'returned' ? { ...r, out: { sesid: remembered } } : r;
    },
  ]);
  cases.push(['a crash in a probe', (i, _op, r) => (i === retrieves[retrieves.length - 4] ? { kind: 'crash', reason: 'boom' } : r)]);
  for (const [what, answer] of cases) {
    remembered = undefined;
    const plain = logged(false, answer);
    const a = new ScenarioContext(plain.impl, 'esent');
    const ra = await scenario(a).catch((e: unknown) => String(e));
    remembered = undefined;
    const chained = logged(true, answer);
    const b = new ScenarioContext(chained.impl, 'esent');
    const rb = await scenario(b).catch((e: unknown) => String(e));
    assert.deepEqual(chained.log, plain.log, what);
    assert.deepEqual(state(b, rb), state(a, ra), what);
  }
});

/** A 1.1 implementation with expect-out that answers every call of a batch with the value 2. */
function hostile(mode: 'past-unexpected' | 'short'): string {
  return `
const rl = require('readline').createInterface({ input: process.stdin });
rl.on('line', (line) => {
  const r = JSON.parse(line);
  const out = (a, id = r.id) => process.stdout.write(JSON.stringify({ id, ...a }) + '\\n');
  if (r.cmd === 'hello') out({ result: 'hello', protocol: 1, minor: 1, features: ['batch', 'chain', 'expect-out'], implementation: { name: 'hostile', version: '1' }, target: 'current', pointerWidth: 64, capabilities: [] });
  else if (r.cmd === 'batch') {
    const a = { result: 'returned', err: 0, out: { value: 2 } };
    out({ result: 'batch', answers: ${JSON.stringify(mode)} === 'past-unexpected' ? r.calls.map(() => a) : [a] });
  }
  else if (r.cmd === 'reset') out({ result: 'ok' });
  else if (r.cmd === 'shutdown') { out({ result: 'ok' }); process.exit(0); }
  else out({ result: 'returned', err: -1104 });
});`;
}

test('adapter: a chain answer going on past an out-value it did not expect, or stopping at one it did, is a PROTOCOL_ERROR', async () => {
  const retrieve = (value: number): ChainCall => ({ thread: 't1', op: 'JetRetrieveColumn', args: { sesid: '0x10', tableid: '0x20', columnid: 1 }, expect: 0, expectOut: { value } });
  for (const [mode, calls, pattern] of [
    ['past-unexpected', [retrieve(1), retrieve(2)], /the batch answer goes on after answer 0 \(JetRetrieveColumn: returned 0\), which ends the batch/],
    ['short', [retrieve(2), retrieve(2)], /the batch answer stops after 1 of 2 calls, at an answer that does not end it \(JetRetrieveColumn: returned 0\)/],
  ] as const) {
    const impl = (await openProcessImplementation({ command: [process.execPath, '-e', hostile(mode)], timeoutMs: 5_000 })) as ProcessImplementation;
    assert.ok(!('error' in impl) && impl.callChain !== undefined && impl.chainExpectsOut);
    try {
      assert.equal((await impl.reset()).kind, 'ok');
      const results = await impl.callChain(calls);
      const last = results[results.length - 1];
      assert.equal(last.kind, 'protocol-error', `${mode}: ${JSON.stringify(results)}`);
      assert.match((last as { reason: string }).reason, pattern);
    } finally {
      await impl.close();
    }
  }
});

test('predictor: follows lazily, in the order the calls were made; a reset drops what is queued; an answer still to come at catch-up ends it', async () => {
  const impl = createReferenceImplementation();
  assert.equal((await impl.reset()).kind, 'ok');
  const p = new Predictor(impl.info.target);
  await p.reset();
  // The implementation's calls, given to the predictor as made and answered.
  const made = async (op: 'JetCreateInstance' | 'JetInit' | 'JetBeginSession', args: Record<string, unknown>) => {
    const answered = p.defer('t1', op, args);
    const r = await impl.call('t1', op, args as never);
    answered(r);
    return r;
  };
  const created = await made('JetCreateInstance', { name: 'i1' });
  const instance = (created as { out: { instance: string } }).out.instance;
  await made('JetInit', { instance });
  // Nothing is followed until the state is needed: then in order, and the predictor answers as the implementation would.
  p.catchUp();
  assert.ok(p.alive);
  const begun = p.answer('t1', 'JetBeginSession', p.translateArgs({ instance, username: '', password: '' }));
  assert.equal(begun?.kind === 'returned' ? begun.err : begun?.kind, 0, 'planned on the state the queued calls made');

  // A queued answer the predictor would not give is never looked at once a reset drops it.
  await p.reset();
  p.defer('t1', 'JetCreateInstance', { name: 'i2' })({ kind: 'returned', err: -1234 });
  await p.reset();
  p.catchUp();
  assert.ok(p.alive, 'a reset drops what is queued');
  // Followed, it ends the predictor.
  p.defer('t1', 'JetCreateInstance', { name: 'i2' })({ kind: 'returned', err: -1234 });
  p.catchUp();
  assert.ok(!p.alive, 'a queued answer otherwise than predicted ends it at catch-up');

  // A call whose answer has not come cannot be followed in order.
  await p.reset();
  p.defer('t1', 'JetCreateInstance', { name: 'i3' });
  p.catchUp();
  assert.ok(!p.alive, 'an answer still to come ends it');
  // A call a batch did not make (null) is skipped.
  await p.reset();
  p.defer('t1', 'JetCreateInstance', { name: 'i4' })(null);
  p.catchUp();
  assert.ok(p.alive, 'a call not made is not followed');
  await p.close();
  await impl.close();
});

/** Committed work, the instance terminated, then a new instance attaches the database and reads it (probes.durableRecords). */
async function restart(ctx: ScenarioContext, read = true): Promise<unknown> {
  await ctx.reset();
  await fx.situations['an idle session'](ctx);
  await fx.committedWork(ctx, 's1', 't1', 2, 1);
  if (!read) return undefined;
  return probes.durableRecords(ctx, 't1').then(
    () => 'ok',
    (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e)),
  );
}

test('speculated: the read after a restart (attach, end, observer, scan) is one chain, with the same calls, trace, state and failure as one by one', async () => {
  const probe = logged(false);
  await restart(new ScenarioContext(probe.impl, 'esent'));
  const calls = probe.log.map((l) => (JSON.parse(l) as [string, string])[1]);
  const after = calls.lastIndexOf('JetAttachDatabase');
  assert.ok(after > 0, 'the restart attached the database');
  const nth = (op: string) => calls.findIndex((o, i) => i > after && o === op);
  const cases: [string, Answer | undefined][] = [
    ['as predicted', undefined],
    ['the attach fails', (i, _op, r) => (i === after ? { kind: 'returned', err: -1811 } : r)],
    ['the end of the attaching session crashes', (i, _op, r) => (i === nth('JetEndSession') ? { kind: 'crash', reason: 'boom' } : r)],
    ['another value read', (i, _op, r) => (i === nth('JetRetrieveColumn') && r.kind === 'returned' ? { ...r, out: { value: 9999 } } : r)],
    ['the scan ends early', (i, _op, r) => (i === calls.lastIndexOf('JetMove') - 1 ? { kind: 'returned', err: -1603 } : r)],
  ];
  for (const [what, answer] of cases) {
    const plain = logged(false, answer);
    const a = new ScenarioContext(plain.impl, 'esent');
    const ra = await restart(a);
    const chained = logged(true, answer);
    const b = new ScenarioContext(chained.impl, 'esent');
    const rb = await restart(b);
    assert.deepEqual(chained.log, plain.log, what);
    assert.deepEqual(state(b, rb), state(a, ra), what);
    if (answer === undefined) {
      assert.equal(ra, 'ok');
      // The term, the new instance's setup chain, then one chain for the attach and the read (one by one: a round trip each).
      const before = logged(true);
      await restart(new ScenarioContext(before.impl, 'esent'), false);
      const trips = chained.trips() - before.trips();
      assert.ok(trips <= 3, `${trips} round trips for the term and the read after it (${plain.log.length - before.log.length} calls)`);
    }
  }
});
