/**
 * Pipelined fuzz runs (fuzz/pipeline.ts, protocol 1.1 `chain`): against an implementation that
 * offers chains, the same seed gives the same runs, calls and findings (shrunk counterexample,
 * replay token, keep-going report) as one request per call, in far fewer round trips; a wrong plan
 * costs only round trips; a chain answered wrongly is a PROTOCOL_ERROR with its reason; a chain
 * that crashes or hangs is made again call by call, so the finding names the call the calls one by
 * one name; a slow chain gets a call's time per call.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { openProcessImplementation } from '../../adapters/process/adapter';
import { createReferenceImplementation } from '../../adapters/reference';
import type { CallResult, ChainCall, Implementation } from '../../adapters/types';
import { InjectsOnlyUndo } from '../doubles/refusing';
import { fuzz, type FuzzOptions, type FuzzReport } from '../../fuzz/campaign';
import { fuzzKeepGoing, type KeepGoingReport } from '../../fuzz/keep-going';
import { ChainedSut } from '../../fuzz/chain';
import { Pipeline } from '../../fuzz/pipeline';
import { ModelError } from '../../fuzz/pair';
import { traceLines } from '../../fuzz/print';
import { findMutant } from '../../mutants/catalogue';
import { makeChain, withChain } from './helpers/chained';

function mutant(name: string): Implementation {
  const m = findMutant(name);
  assert.ok(m, `no mutant ${name}`);
  return m.create();
}

/** Everything a campaign reports but its time and its pipelining. */
function same(r: FuzzReport): unknown {
  const { durationMs: _d, pipeline: _p, ...rest } = r;
  return { ...rest, finding: r.finding && { ...r.finding, trace: traceLines(r.finding.trace) } };
}

function sameKeepGoing(r: KeepGoingReport): unknown {
  const { durationMs: _d, shrinkMs: _s, pipeline: _p, ...rest } = r;
  return { ...rest, kinds: r.kinds.map((k) => ({ ...k, shrunk: k.shrunk && same(k.shrunk) })) };
}

type Base = Omit<FuzzOptions, 'sut' | 'chain'>;

/** The campaign one request per call and pipelined, each on a fresh implementation. */
async function both(make: () => Implementation, options: Base): Promise<{ single: FuzzReport; chained: FuzzReport; requests: number; made: [readonly string[], readonly string[]] }> {
  const one = withChain(make());
  const single = await fuzz({ ...options, sut: one, chain: false });
  const sut = withChain(make());
  const chained = await fuzz({ ...options, sut });
  return { single, chained, requests: sut.requests.calls + sut.requests.chains, made: [one.requests.made, sut.requests.made] };
}

/** The first difference of two call logs, for a readable failure. */
function firstDifference(a: readonly string[], b: readonly string[]): string {
  const i = a.findIndex((x, k) => x !== b[k]);
  const at = i < 0 ? Math.min(a.length, b.length) : i;
  return `call ${at} of ${a.length} / ${b.length}: ${a[at]} | ${b[at]}`;
}

test('the reference through chains: the same runs and calls as one request per call, in a fraction of the requests', async () => {
  for (const seed of [1, 2, 3]) {
    const { single, chained, requests, made } = await both(createReferenceImplementation, { seed, runs: 60, maxSteps: 40 });
    assert.ok(made[0].length > 2000, `${made[0].length} calls made`);
    assert.ok(made[0].length === made[1].length && made[0].every((x, k) => x === made[1][k]), `the implementation makes the same calls: ${firstDifference(made[0], made[1])}`);
    assert.equal(chained.finding, undefined, chained.finding?.divergence.message);
    assert.equal(chained.error, undefined, chained.error);
    assert.deepEqual(same(chained), same(single));
    assert.equal(single.pipeline, undefined, 'chain: false is one request per call');
    const p = chained.pipeline;
    assert.ok(p !== undefined && p.plans === 60 && p.remade === 0, JSON.stringify(p));
    assert.ok(requests * 5 < chained.calls, `seed ${seed}: ${requests} requests for ${chained.calls} calls (${JSON.stringify(p)})`);
  }
});

test('mutants through chains: the same shrunk counterexample, replay token and counts as one request per call', async () => {
  const found: string[] = [];
  for (const name of ['session-context-ignored', 'handle-valid-after-end', 'session-slot-leaked', 'cursors-left-open', 'temp-tables-left-open']) {
    for (const seed of [1, 2]) {
      const { single, chained, made } = await both(() => mutant(name), { seed, runs: 200, maxSteps: 40 });
      assert.deepEqual(same(chained), same(single), `${name}, seed ${seed}`);
      // A chain stops at the first unexpected code: a run that ends at one made no call beyond it.
      if (single.finding?.divergence.kind === 'code') {
        assert.ok(made[0].length === made[1].length && made[0].every((x, k) => x === made[1][k]), `${name}, seed ${seed}: the same calls: ${firstDifference(made[0], made[1])}`);
      }
      if (single.finding) found.push(`${name}/${seed}`);
    }
  }
  assert.ok(found.length >= 6, `the fuzzer finds most of these mutants within the budget: ${found.join(', ')}`);
});

test('keep-going through chains: the same diverging runs, kinds and shrunk counterexamples', async () => {
  const options = { seed: 3, runs: 120, maxSteps: 40, shrink: true };
  const single = await fuzzKeepGoing({ ...options, sut: withChain(mutant('session-slot-leaked')), chain: false });
  const chained = await fuzzKeepGoing({ ...options, sut: withChain(mutant('session-slot-leaked')) });
  assert.ok(single.divergences.length > 0, 'the mutant diverges');
  assert.deepEqual(sameKeepGoing(chained), sameKeepGoing(single));
  assert.ok(chained.pipeline !== undefined && chained.pipeline.chains > 0, JSON.stringify(chained.pipeline));
});

test('a wrong plan costs only round trips: a twin that is a mutant predicts wrongly, the findings stay', async () => {
  for (const name of ['session-context-ignored', 'cursors-left-open']) {
    const options = { seed: 2, runs: 150, maxSteps: 40 };
    const single = await fuzz({ ...options, sut: withChain(createReferenceImplementation()), chain: false });
    const chained = await fuzz({ ...options, sut: withChain(createReferenceImplementation()), pipeline: new Pipeline(() => mutant(name)) });
    assert.deepEqual(same(chained), same(single), `twin ${name}`);
    assert.equal(chained.error, undefined, chained.error);
  }
});

/** A run's calls, counted across resets, so that a defect can sit at the n-th call of a run. */
function counting(inner: Implementation, onCall: (n: number, op: string) => CallResult | undefined): Implementation {
  let n = 0;
  return {
    info: inner.info,
    reset: () => {
      n = 0;
      return inner.reset();
    },
    call: (thread, op, args) => {
      const r = onCall(++n, op) as CallResult<typeof op> | undefined;
      return r !== undefined ? Promise.resolve(r) : inner.call(thread, op, args);
    },
    ...(inner.hold ? { hold: inner.hold.bind(inner) } : {}),
    ...(inner.release ? { release: inner.release.bind(inner) } : {}),
    ...(inner.sync ? { sync: inner.sync.bind(inner) } : {}),
    close: () => inner.close(),
  };
}

test('a chain that stops after an expected answer is a PROTOCOL_ERROR with its reason, never a hang', async () => {
  // Answers only the first half of every chain, each as expected.
  const sut = withChain(createReferenceImplementation(), async (calls, inner) => (await makeChain(inner, calls)).slice(0, Math.max(1, Math.floor(calls.length / 2))));
  const r = await fuzz({ sut, seed: 1, runs: 20, maxSteps: 40 });
  assert.ok(r.finding, 'found');
  assert.equal(r.finding.divergence.kind, 'fault');
  assert.match(r.finding.divergence.actual, /PROTOCOL_ERROR.*chain of \d+ calls was answered with \d+ answers/);
});

test('more answers than calls: a PROTOCOL_ERROR', async () => {
  const sut = withChain(createReferenceImplementation(), async (calls, inner) => {
    const rs = await makeChain(inner, calls);
    return rs.length === calls.length ? [...rs, { kind: 'returned', err: 0 }] : rs;
  });
  const r = await fuzz({ sut, seed: 1, runs: 20, maxSteps: 40 });
  assert.match(r.finding?.divergence.actual ?? '', /PROTOCOL_ERROR.*got \d+ answers/);
});

test('a chain that crashes or hangs: the run is made again call by call, and chaining stops for the campaign', async () => {
  // Chains crash (a process that dies names no call), single calls are fine: no finding.
  const crashing = withChain(createReferenceImplementation(), () => Promise.resolve([{ kind: 'crash', reason: 'the process exited' }]));
  const a = await fuzz({ sut: crashing, seed: 4, runs: 10, maxSteps: 30 });
  assert.equal(a.finding, undefined, a.finding?.divergence.message);
  assert.equal(a.error, undefined, a.error);
  assert.deepEqual(a.pipeline && { remade: a.pipeline.remade, chains: a.pipeline.chains }, { remade: 1, chains: 1 });
  // Chains never answer: after their time (n calls of awaitTimeoutMs) the same.
  const hanging = withChain(createReferenceImplementation(), () => new Promise<CallResult[]>(() => undefined));
  const b = await fuzz({ sut: hanging, seed: 4, runs: 10, maxSteps: 30, awaitTimeoutMs: 20 });
  assert.equal(b.finding, undefined, b.finding?.divergence.message);
  assert.equal(b.pipeline?.remade, 1);
});

test('an implementation that crashes at a call: the finding names that call, as one request per call does', async () => {
  // The 25th call of every run crashes (and the chain ends there, as a dead process's would, but
  // reported at the chain's first call).
  const make = () =>
    counting(createReferenceImplementation(), (n, op) => (n === 25 && op !== 'JetTerm' && op !== 'JetTerm2' ? { kind: 'crash', reason: `crashed in ${op}` } : undefined));
  const single = await fuzz({ sut: withChain(make()), seed: 5, runs: 30, maxSteps: 40, chain: false });
  const exited: CallResult = { kind: 'crash', reason: 'the process exited' };
  const crashAtFirst = (calls: readonly ChainCall[], inner: Implementation): Promise<CallResult[]> => makeChain(inner, calls).then((rs) => (rs.some((r) => r.kind === 'crash') ? [exited] : rs));
  const chained = await fuzz({ sut: withChain(make(), crashAtFirst), seed: 5, runs: 30, maxSteps: 40 });
  assert.ok(single.finding, 'found');
  assert.deepEqual(same(chained), same(single));
  assert.equal(chained.pipeline?.remade, 1);
});

test('a chain gets a call\'s time per call: a slow chain whose calls each answer in time is no TIMEOUT', async () => {
  const slow = withChain(createReferenceImplementation(), async (calls, inner) => {
    // Each call a third of a call's time: a chain of more than three calls takes longer than one call's time.
    await new Promise((resolve) => setTimeout(resolve, calls.length * 100));
    return makeChain(inner, calls);
  });
  const r = await fuzz({ sut: slow, seed: 6, runs: 4, maxSteps: 20, awaitTimeoutMs: 300 });
  assert.equal(r.finding, undefined, r.finding?.divergence.message);
  assert.equal(r.pipeline?.remade, 0);
  assert.ok((r.pipeline?.chainedCalls ?? 0) > 20, JSON.stringify(r.pipeline));
});

test('v1: an implementation without chain is fuzzed one request per call, as before', async () => {
  const r = await fuzz({ sut: createReferenceImplementation(), seed: 1, runs: 5, maxSteps: 20 });
  assert.equal(r.pipeline, undefined);
});

test('through a process (serve() with chain): the same finding as one request per call', async () => {
  const helper = path.join(__dirname, 'helpers', 'serve-mutant.ts');
  const sut = await openProcessImplementation({ command: [process.execPath, '--require', 'ts-node/register/transpile-only', helper, 'session-context-ignored'], timeoutMs: 20_000 });
  if ('error' in sut) throw new Error(sut.error);
  try {
    assert.ok(sut.callChain !== undefined, 'serve() offers chain');
    const options = { sut, seed: 1, runs: 150, maxSteps: 40, settleMs: 50 };
    const single = await fuzz({ ...options, chain: false });
    const chained = await fuzz(options);
    assert.ok(single.finding, 'found');
    assert.deepEqual(same(chained), same(single));
    assert.ok((chained.pipeline?.chains ?? 0) > 0);
  } finally {
    await sut.close();
  }
});

test('a run that asks for other calls than its plan is a fuzzer bug (ModelError), never a verdict', async () => {
  const plan = { ops: [{ kind: 'call' as const, thread: 't1', op: 'JetCreateInstance' as const, args: { name: 'fz1' }, expect: 0, single: false }] };
  const stats = { plans: 0, speculated: 0, unspeculated: {}, chains: 0, chainedCalls: 0, singleCalls: 0, remade: 0 };
  const sut = withChain(createReferenceImplementation()) as Implementation & Required<Pick<Implementation, 'callChain'>>;
  await sut.reset();
  await assert.rejects(new ChainedSut(sut, plan, stats, 1000).call('t1', 'JetCreateInstance', { name: 'fz2' }), ModelError, 'other args');
  assert.throws(() => new ChainedSut(sut, plan, stats, 1000).call('t2', 'JetCreateInstance', { name: 'fz1' }), ModelError, 'another thread');
  assert.throws(() => new ChainedSut(sut, plan, stats, 1000).call('t1', 'JetInit', { instance: { forged: 'nil' } }), ModelError, 'another operation');
  await sut.reset();
  const r = await new ChainedSut(sut, plan, stats, 1000).call('t1', 'JetCreateInstance', { name: 'fz1' });
  assert.equal(r.kind === 'returned' && r.err, 0, 'the planned call');
});

/** The reference with one answer changed: `change` gets each call, the reference's answer and the call's args. */
function changed(change: (op: string, r: CallResult, state: Map<string, unknown>, args: Readonly<Record<string, unknown>>) => CallResult): () => Implementation {
  return () => {
    const inner = createReferenceImplementation();
    const state = new Map<string, unknown>();
    return {
      info: inner.info,
      reset: () => (state.clear(), inner.reset()),
      call: (thread, op, args) => inner.call(thread, op, args).then((r) => change(op, r, state, args as Record<string, unknown>) as typeof r),
      ...(inner.hold ? { hold: (t: string, c: Parameters<NonNullable<Implementation['hold']>>[1]) => inner.hold?.(t, c) ?? Promise.resolve({ kind: 'unsupported' as const, reason: '' }) } : {}),
      ...(inner.release ? { release: (h: string) => inner.release?.(h) ?? Promise.resolve({ kind: 'unsupported' as const, reason: '' }) } : {}),
      ...(inner.sync ? { sync: () => inner.sync?.() ?? Promise.resolve({ kind: 'ok' as const }) } : {}),
      close: () => inner.close(),
    };
  };
}

function withOut(r: CallResult, out: Record<string, unknown>): CallResult {
  return r.kind === 'returned' ? { ...r, out: { ...(r.out as Record<string, unknown>), ...out } } : r;
}

test('answers the Pair must judge on their out-values (an aliased handle, a missing one, a wrong value, a reused column id): the same findings pipelined', async () => {
  const cases: [string, () => Implementation, string][] = [
    // A new session gets the first session's sesid while that one is live (once it has ended, its
    // handle would be a dead one, which the implementation may reuse: no alias then).
    ['alias', changed((op, r, st, args) => {
      const ended = r.kind === 'returned' && r.err >= 0 && ((op === 'JetEndSession' && args.sesid === st.get('sesid')) || op === 'JetTerm' || op === 'JetTerm2');
      if (ended) st.delete('sesid');
      if (op !== 'JetBeginSession' || r.kind !== 'returned' || r.err < 0) return r;
      const first = st.get('sesid') ?? (r.out as { sesid?: unknown }).sesid;
      st.set('sesid', first);
      return withOut(r, { sesid: first });
    }), 'alias'],
    ['missing handle', changed((op, r) => (op === 'JetDupCursor' && r.kind === 'returned' && r.err >= 0 ? { kind: 'returned', err: r.err, out: {} } : r)), 'out'],
    ['wrong value', changed((op, r) => (op === 'JetRetrieveColumn' && r.kind === 'returned' && r.err >= 0 && typeof (r.out as { value?: unknown }).value === 'number' ? withOut(r, { value: (r.out as { value: number }).value + 1 }) : r)), 'out'],
    ['reused column id', changed((op, r) => (op === 'JetAddColumn' && r.kind === 'returned' && r.err >= 0 ? withOut(r, { columnid: 1 }) : r)), 'out'],
  ];
  for (const [name, make, kind] of cases) {
    let caught = 0;
    for (const seed of [1, 2, 3, 4, 5]) {
      // Unshrunk (shrinking may end at another kind): the first divergence, of the kind under test.
      const { single, chained } = await both(make, { seed, runs: 40, maxSteps: 40, shrinkBudget: 0 });
      assert.deepEqual(same(chained), same(single), `${name}, seed ${seed}`);
      if (single.finding) assert.equal(single.finding.divergence.kind, kind, `${name}, seed ${seed}: ${single.finding.divergence.message}`);
      caught += chained.pipeline?.unspeculated["an answer unlike the shadow's"] ?? 0;
    }
    // The speculation itself saw the answer was not the shadow's (not only a term that ended it first).
    assert.ok(caught > 0, `${name}: no speculating plan met the divergence`);
  }
});

test('holds the implementation cannot keep (answered "unsupported"): the same runs and count pipelined', async () => {
  const holdsOnlyUpdates = () => {
    const inner = createReferenceImplementation();
    const refuse: NonNullable<Implementation['hold']> = (thread, call) =>
      call.op === 'JetUpdate' || call.op === 'JetDelete' ? (inner.hold?.(thread, call) ?? Promise.resolve({ kind: 'unsupported', reason: '' })) : Promise.resolve({ kind: 'unsupported', reason: 'only JetUpdate or JetDelete' });
    return { ...changed((_op, r) => r)(), hold: refuse };
  };
  const { single, chained } = await both(holdsOnlyUpdates, { seed: 11, runs: 60, maxSteps: 30 });
  assert.ok(single.notHoldable > 0, `${single.notHoldable}`);
  assert.deepEqual(same(chained), same(single));
  assert.ok((chained.pipeline?.unspeculated["a barrier unlike the shadow's"] ?? 0) > 0, JSON.stringify(chained.pipeline));
});

test('a reset that fails while the plan runs: the same error as one request per call, and nothing is sent after it', async () => {
  // The plan starts while the implementation's reset is on its way (it heads the plan's queue).
  const make = () => {
    const sut = withChain(createReferenceImplementation());
    let resets = 0;
    const reset = sut.reset.bind(sut);
    sut.reset = () => (++resets === 3 ? (sut.requests.made.push('reset (failed)'), Promise.resolve({ kind: 'crash', reason: 'reset crashed' })) : reset());
    return sut;
  };
  const one = make();
  const single = await fuzz({ sut: one, seed: 1, runs: 10, maxSteps: 30, chain: false });
  const sut = make();
  const chained = await fuzz({ sut, seed: 1, runs: 10, maxSteps: 30 });
  assert.match(single.error ?? '', /reset of the implementation failed: CRASH: reset crashed/);
  assert.equal(chained.error, single.error);
  // Nothing between the failed reset and the next one (fast-check goes on with the runs that shrink the error).
  const at = sut.requests.made.indexOf('reset (failed)');
  assert.ok(at > 0, 'the third reset was made');
  assert.ok(['reset', undefined].includes(sut.requests.made[at + 1]), `after the failed reset: ${sut.requests.made[at + 1]}`);
  assert.deepEqual(sut.requests.made, one.requests.made, firstDifference(one.requests.made, sut.requests.made));
});

test('a fault the implementation refuses through chains: the same runs, calls and count as one request per call, no divergence', async () => {
  // As the bridge over ESE's test build: only the undo step can fail. The plan's shadow arms the
  // fault; the refusal ends the speculation there, and the run goes on one call at a time.
  const { single, chained, made } = await both(() => new InjectsOnlyUndo(createReferenceImplementation()), { seed: 11, runs: 60, maxSteps: 30 });
  assert.equal(chained.finding, undefined, chained.finding?.divergence.message);
  assert.equal(chained.error, undefined, chained.error);
  assert.ok(single.notInjectable > 0, `${single.notInjectable} faults refused`);
  assert.ok(chained.pipeline !== undefined && chained.pipeline.plans === 60, JSON.stringify(chained.pipeline));
  assert.deepEqual(same(chained), same(single));
  assert.ok(made[0].length === made[1].length && made[0].every((x, k) => x === made[1][k]), `the implementation makes the same calls: ${firstDifference(made[0], made[1])}`);
});
