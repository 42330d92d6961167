/**
 * Protocol 1.1 `chain` and `reset-waiting` (docs/protocol.md section 16): serve() resolves
 * references to earlier out-values, runs each call on its thread and ends a chain at the first
 * unexpected code; a reset answers the calls still waiting before itself; the adapter splits a
 * chain by the line limit, gives a batch the time of its calls, and turns every wrong answer of a
 * hostile 1.1 implementation into PROTOCOL_ERROR (never a hang, never a FAIL). The whole-state
 * probes sent as a chain predicted from the reference (harness/speculate.ts) make exactly the calls
 * the probes make one by one, also when the implementation answers otherwise than the prediction.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { openProcessImplementation, type ProcessImplementation } from '../../adapters/process/adapter';
import { referenceOnStreams as streams } from './helpers/answers';
import { createReferenceImplementation, synchronousCall } from '../../adapters/reference';
import type { CallResult, ChainCall, Implementation } from '../../adapters/types';
import { observe, type Side } from '../../harness/observe';
import { observeChained, observePlanned, plan, planningSide } from '../../harness/speculate';
import type { Registry } from '../../harness/registry';
import { buildRegistry } from '../../harness/registry';
import type { TraceEntry } from '../../harness/results';
import { findMutant } from '../../mutants/catalogue';

const root = path.join(__dirname, '..', '..');
const serveReference = [process.execPath, '--require', 'ts-node/register/transpile-only', path.join(root, 'cli', 'main.ts'), 'serve-reference'];
const hello = { cmd: 'hello', protocol: 1, minor: 1, features: ['sync', 'batch', 'reset-waiting', 'chain'], suite: { name: 'ese-conformance', version: '0' }, timeoutMs: 1000, maxLineBytes: 1048576 };

test('serve: a chain uses earlier out-values, runs each call on its thread, and ends at the first unexpected code', async () => {
  const s = streams();
  assert.deepEqual((await s.ask(hello)).features, ['sync', 'batch', 'reset-waiting', 'chain']);
  assert.equal((await s.ask({ cmd: 'reset' })).result, 'ok');
  const chain = await s.ask({
    cmd: 'batch',
    thread: 't1',
    stopOnError: false,
    calls: [
      { op: 'JetCreateInstance', args: { name: 'i1' }, expect: 0 },
      { op: 'JetInit', args: { instance: { ref: 0, out: 'instance' } }, expect: 0 },
      { op: 'JetBeginSession', args: { instance: { ref: 0, out: 'instance' }, username: '', password: '' }, expect: 0 },
      // A context set on t2 cannot be reset by t1 (-1913): each call ran on its own thread.
      { op: 'JetSetSessionContext', args: { sesid: { ref: 2, out: 'sesid' }, context: 7 }, thread: 't2', expect: 0 },
      { op: 'JetResetSessionContext', args: { sesid: { ref: 2, out: 'sesid' } }, thread: 't1', expect: -1913 },
      // -1104 where 0 is expected ends the chain: the reset on t2 after it is not made.
      { op: 'JetEndSession', args: { sesid: { forged: 'nil' }, grbit: 0 }, expect: 0 },
      { op: 'JetResetSessionContext', args: { sesid: { ref: 2, out: 'sesid' } }, thread: 't2', expect: 0 },
    ],
  });
  assert.equal(chain.result, 'batch');
  const answers = chain.answers as { result: string; err: number; out?: Record<string, unknown> }[];
  assert.deepEqual(answers.map((a) => a.err), [0, 0, 0, 0, -1913, -1104]);
  const sesid = answers[2].out?.sesid;
  assert.equal(typeof sesid, 'string');
  // The reference named a call made later in the batch: the whole batch is refused, nothing made.
  const forward = await s.ask({ cmd: 'batch', thread: 't1', stopOnError: false, calls: [{ op: 'JetBeginTransaction', args: { sesid: { ref: 0, out: 'sesid' } } }] });
  assert.equal(forward.result, 'error');
  assert.equal(forward.error, 'bad-request');
  // An out-value the earlier call did not give: that call gets the error answer and ends the chain.
  const missing = await s.ask({
    cmd: 'batch',
    thread: 't2',
    stopOnError: false,
    calls: [
      { op: 'JetEndSession', args: { sesid: { forged: 'nil' }, grbit: 0 } },
      { op: 'JetResetSessionContext', args: { sesid: { ref: 0, out: 'sesid' } } },
      { op: 'JetResetSessionContext', args: { sesid } },
    ],
  });
  assert.deepEqual((missing.answers as { result: string }[]).map((a) => a.result), ['returned', 'error']);
  // The reset of the context was not made: t2 can still reset it.
  assert.equal((await s.ask({ cmd: 'call', thread: 't2', op: 'JetResetSessionContext', args: { sesid } })).err, 0);
  assert.equal((await s.ask({ cmd: 'batch', thread: 't1', stopOnError: false, calls: [{ op: 'JetRollback', args: { sesid, grbit: 0 }, expect: 'x' }] })).error, 'bad-request');
  s.end();
});

test('serve: with reset-waiting a reset answers the call still waiting first, then itself', async () => {
  const s = streams();
  await s.ask(hello);
  await s.ask({ cmd: 'reset' });
  const inst = ((await s.ask({ cmd: 'call', thread: 't1', op: 'JetCreateInstance', args: { name: 'i1' } })).out as { instance: string }).instance;
  await s.ask({ cmd: 'call', thread: 't1', op: 'JetInit', args: { instance: inst } });
  const sesid = ((await s.ask({ cmd: 'call', thread: 't1', op: 'JetBeginSession', args: { instance: inst, username: '', password: '' } })).out as { sesid: string }).sesid;
  assert.equal((await s.ask({ cmd: 'hold', thread: 't2', op: 'JetBeginTransaction', args: { sesid } })).result, 'held');
  const term = s.send({ cmd: 'call', thread: 't1', op: 'JetTerm2', args: { instance: inst, grbit: 1 } });
  const reset = s.send({ cmd: 'reset' });
  const first = await s.next();
  const second = await s.next();
  assert.equal(first.id, term, 'the waiting JetTerm2 is answered before the reset');
  assert.equal(first.result, 'crash');
  assert.deepEqual(second, { id: reset, result: 'ok' });
  // A fresh state: the old instance is gone.
  assert.equal((await s.ask({ cmd: 'call', thread: 't1', op: 'JetBeginSession', args: { instance: inst, username: '', password: '' } })).result, 'returned');
  s.end();
});

test('adapter: callChain against serve-reference equals the calls one by one, across requests split by the line limit', async () => {
  const impl = (await openProcessImplementation({ command: serveReference, timeoutMs: 20_000, maxLineBytes: 4096 })) as ProcessImplementation;
  assert.ok(!('error' in impl) && impl.callChain !== undefined);
  try {
    assert.equal((await impl.reset()).kind, 'ok');
    const calls: ChainCall[] = [
      { thread: 't1', op: 'JetCreateInstance', args: { name: 'i1' }, expect: 0 },
      { thread: 't1', op: 'JetInit', args: { instance: { ref: 0, out: 'instance' } }, expect: 0 },
      { thread: 't1', op: 'JetBeginSession', args: { instance: { ref: 0, out: 'instance' }, username: '', password: '' }, expect: 0 },
    ];
    // 100 nested begins (ESE refuses the 8th: -1103 where 0 is expected ends the chain); about 100 bytes each.
    for (let i = 0; i < 100; i++) calls.push({ thread: 't1', op: 'JetBeginTransaction', args: { sesid: { ref: 2, out: 'sesid' } }, expect: 0 });
    const results = await impl.callChain(calls);
    assert.deepEqual(results.map((r) => (r.kind === 'returned' ? r.err : r.kind)), [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1103]);
    const sesid = (results[2] as { out: { sesid: string } }).out.sesid;
    // Ten rollbacks with no expectation, over 4 KiB: more than one request; each made.
    const rollbacks: ChainCall[] = Array.from({ length: 60 }, () => ({ thread: 't1', op: 'JetRollback', args: { sesid, grbit: 0 } }));
    const rolled = await impl.callChain(rollbacks);
    assert.equal(rolled.length, 60);
    assert.deepEqual(rolled.slice(0, 8).map((r) => (r as { err: number }).err), [0, 0, 0, 0, 0, 0, 0, -1054]);
  } finally {
    await impl.close();
  }
});

/** A 1.1 implementation with chain whose batch answers are wrong in the way `mode` says. */
function hostile(mode: 'past-unexpected' | 'short' | 'reset-first'): string {
  return `
const rl = require('readline').createInterface({ input: process.stdin });
let waiting;
rl.on('line', (line) => {
  const r = JSON.parse(line);
  const out = (a, id = r.id) => process.stdout.write(JSON.stringify({ id, ...a }) + '\\n');
  if (r.cmd === 'hello') out({ result: 'hello', protocol: 1, minor: 1, features: ['batch', 'chain', 'reset-waiting'], implementation: { name: 'hostile', version: '1' }, target: 'current', pointerWidth: 64, capabilities: ['threads'] });
  else if (r.cmd === 'batch') {
    if (${JSON.stringify(mode)} === 'past-unexpected') out({ result: 'batch', answers: r.calls.map(() => ({ result: 'returned', err: -1104 })) });
    else out({ result: 'batch', answers: [{ result: 'returned', err: 0 }] });
  }
  else if (r.cmd === 'call' && r.op === 'JetTerm2') waiting = r.id;
  else if (r.cmd === 'reset') { out({ result: 'ok' }); if (waiting !== undefined) out({ result: 'returned', err: 0 }, waiting); waiting = undefined; }
  else if (r.cmd === 'shutdown') { out({ result: 'ok' }); process.exit(0); }
  else out({ result: 'returned', err: -1104 });
});`;
}

const nilEnd: ChainCall = { thread: 't1', op: 'JetEndSession', args: { sesid: { forged: 'nil' }, grbit: 0 } };

test('adapter: a hostile chain answer is a PROTOCOL_ERROR with its reason, never a hang or a FAIL', async () => {
  for (const [mode, pattern] of [
    ['past-unexpected', /the batch answer goes on after answer 0 \(JetEndSession: returned -1104\), which ends the batch/],
    ['short', /the batch answer stops after 1 of 2 calls, at an answer that does not end it \(JetEndSession: returned 0\)/],
  ] as const) {
    const impl = (await openProcessImplementation({ command: [process.execPath, '-e', hostile(mode)], timeoutMs: 5_000 })) as ProcessImplementation;
    assert.ok(!('error' in impl) && impl.callChain !== undefined);
    try {
      assert.equal((await impl.reset()).kind, 'ok');
      const results = await impl.callChain([{ ...nilEnd, expect: 0 }, { ...nilEnd, expect: 0 }]);
      const last = results[results.length - 1];
      assert.equal(last.kind, 'protocol-error', `${mode}: ${JSON.stringify(results)}`);
      assert.match((last as { reason: string }).reason, pattern);
    } finally {
      await impl.close();
    }
  }
});

test('adapter: a reset answered before the call it ended is a PROTOCOL_ERROR; reset-waiting spares the restart otherwise', async () => {
  const impl = (await openProcessImplementation({ command: [process.execPath, '-e', hostile('reset-first')], timeoutMs: 5_000 })) as ProcessImplementation;
  assert.ok(!('error' in impl));
  try {
    assert.equal((await impl.reset()).kind, 'ok');
    const pid = impl.pid;
    void impl.call('t2', 'JetTerm2', { instance: '0x1', grbit: 1 });
    await new Promise((r) => setTimeout(r, 100));
    const r = await impl.reset();
    assert.equal(r.kind, 'protocol-error', JSON.stringify(r));
    assert.match((r as { reason: string }).reason, /reset \(id \d+\): the reset was answered while JetTerm2 on t2 \(id \d+\) was still unanswered/);
    assert.equal(impl.pid, pid, 'no restart before the violation was seen');
    assert.equal((await impl.reset()).kind, 'ok', 'the next reset restarts');
    assert.notEqual(impl.pid, pid);
  } finally {
    await impl.close();
  }
});

test('adapter: serve-reference with a waiting JetTerm2 is reset without a restart; the term ends as data', async () => {
  const impl = (await openProcessImplementation({ command: serveReference, timeoutMs: 20_000 })) as ProcessImplementation;
  assert.ok(!('error' in impl) && impl.hold !== undefined);
  try {
    assert.equal((await impl.reset()).kind, 'ok');
    const pid = impl.pid;
    const inst = ((await impl.call('t1', 'JetCreateInstance', { name: 'i1' })) as { out: { instance: string } }).out.instance;
    await impl.call('t1', 'JetInit', { instance: inst });
    const sesid = ((await impl.call('t1', 'JetBeginSession', { instance: inst, username: '', password: '' })) as { out: { sesid: string } }).out.sesid;
    assert.equal((await impl.hold('t2', { op: 'JetBeginTransaction', args: { sesid } })).kind, 'held');
    const term = impl.call('t1', 'JetTerm2', { instance: inst, grbit: 1 });
    assert.deepEqual(await impl.sync!(), { kind: 'ok' });
    assert.equal((await impl.reset()).kind, 'ok');
    const ended = await term;
    assert.equal(ended.kind, 'crash');
    assert.match((ended as { reason: string }).reason, /^ended by the reset: JetTerm2/);
    assert.equal(impl.pid, pid, 'no restart');
    // The crash of an ended call does not restart the process at the next reset either.
    assert.equal((await impl.reset()).kind, 'ok');
    assert.equal(impl.pid, pid);
  } finally {
    await impl.close();
  }
});

test('adapter: a batch has the time of its calls (n request timeouts), not of one', async () => {
  // Answers a batch after 1 s per call; the request timeout is 3 s (the handshake's too, on a busy machine): 4 calls take 4 s.
  const slow = `
const rl = require('readline').createInterface({ input: process.stdin });
rl.on('line', (line) => {
  const r = JSON.parse(line);
  const out = (a) => process.stdout.write(JSON.stringify({ id: r.id, ...a }) + '\\n');
  if (r.cmd === 'hello') out({ result: 'hello', protocol: 1, minor: 1, features: ['batch'], implementation: { name: 'slow', version: '1' }, target: 'current', pointerWidth: 64, capabilities: [] });
  else if (r.cmd === 'batch') setTimeout(() => out({ result: 'batch', answers: r.calls.map(() => ({ result: 'returned', err: -1104 })) }), 1000 * r.calls.length);
  else if (r.cmd === 'shutdown') { out({ result: 'ok' }); process.exit(0); }
  else out(r.cmd === 'reset' ? { result: 'ok' } : { result: 'returned', err: -1104 });
});`;
  const impl = (await openProcessImplementation({ command: [process.execPath, '-e', slow], timeoutMs: 3000 })) as ProcessImplementation;
  assert.ok(!('error' in impl) && impl.callBatch !== undefined);
  try {
    assert.equal((await impl.reset()).kind, 'ok');
    const call = { op: 'JetEndSession' as const, args: { sesid: { forged: 'nil' as const }, grbit: 0 } };
    const results = await impl.callBatch('t1', [call, call, call, call], false);
    assert.deepEqual(results.map((r) => r.kind), ['returned', 'returned', 'returned', 'returned']);
  } finally {
    await impl.close();
  }
});

/** Registry of a scenario's trace, for the probes (harness/registry.ts reads the calls). */
async function setUp(impl: Implementation): Promise<{ reg: Registry; handles: Map<string, string> }> {
  const trace: TraceEntry[] = [];
  let seq = 0;
  const call = async (op: string, args: Record<string, unknown>, thread = 't1') => {
    const r = await impl.call(thread, op as never, args as never);
    trace.push({ seq: ++seq, thread, kind: 'call', op: op, args, result: r.kind === 'returned' ? String(r.err) : r.kind, ...(r.kind === 'returned' ? { err: r.err, out: r.out } : {}) });
    return r as { err: number; out: Record<string, unknown> };
  };
  assert.equal((await impl.reset()).kind, 'ok');
  const instance = (await call('JetCreateInstance', { name: 'i1' })).out.instance as string;
  await call('JetSetSystemParameter', { instance, sesid: null, paramid: 8, lParam: 64 });
  await call('JetInit', { instance });
  const s1 = (await call('JetBeginSession', { instance, username: '', password: '' })).out.sesid as string;
  const dbid = (await call('JetCreateDatabase', { sesid: s1, filename: 'db1.edb', grbit: 0 })).out.dbid as number;
  const tableid = (await call('JetCreateTable', { sesid: s1, dbid, tablename: 't1' })).out.tableid as string;
  const k = (await call('JetAddColumn', { sesid: s1, tableid, column: 'k', coltyp: 4 })).out.columnid as number;
  await call('JetBeginTransaction', { sesid: s1 });
  for (let i = 1; i <= 3; i++) {
    await call('JetPrepareUpdate', { sesid: s1, tableid, prep: 0 });
    await call('JetSetColumn', { sesid: s1, tableid, columnid: k, value: i });
    await call('JetUpdate', { sesid: s1, tableid });
  }
  await call('JetCommitTransaction', { sesid: s1, grbit: 0 });
  // JetCreateTable's cursor holds the table exclusively: s1 works through a plain one.
  await call('JetCloseTable', { sesid: s1, tableid });
  const c1 = (await call('JetOpenTable', { sesid: s1, dbid, tablename: 't1', grbit: 0 })).out.tableid as string;
  // s1 keeps a transaction with a fourth record open, and a temp table: what an observer must not disturb.
  await call('JetBeginTransaction', { sesid: s1 });
  await call('JetPrepareUpdate', { sesid: s1, tableid: c1, prep: 0 });
  await call('JetSetColumn', { sesid: s1, tableid: c1, columnid: k, value: 4 });
  await call('JetUpdate', { sesid: s1, tableid: c1 });
  await call('JetOpenTempTable', { sesid: s1, columns: [{ coltyp: 4, grbit: 0x40 }], grbit: 0 });
  // s2 ends with a transaction, a cursor and a temp table open: where the mutants leave other states than the reference.
  const s2 = (await call('JetBeginSession', { instance, username: '', password: '' })).out.sesid as string;
  const dbid2 = (await call('JetOpenDatabase', { sesid: s2, filename: 'db1.edb', grbit: 0 })).out.dbid as number;
  const t2 = (await call('JetOpenTable', { sesid: s2, dbid: dbid2, tablename: 't1', grbit: 0 })).out.tableid as string;
  await call('JetBeginTransaction', { sesid: s2 });
  await call('JetPrepareUpdate', { sesid: s2, tableid: t2, prep: 0 });
  await call('JetSetColumn', { sesid: s2, tableid: t2, columnid: k, value: 5 });
  await call('JetUpdate', { sesid: s2, tableid: t2 });
  await call('JetOpenTempTable', { sesid: s2, columns: [{ coltyp: 4, grbit: 0x40 }], grbit: 0 });
  assert.equal((await call('JetEndSession', { sesid: s2, grbit: 0 })).err, 0);
  return { reg: buildRegistry(trace), handles: new Map([['s1', s1]]) };
}

/** An in-process callChain over `impl`, with the semantics serve() gives it; counts the calls made. */
function chaining(impl: Implementation): { side: Implementation & Required<Pick<Implementation, 'callChain'>>; made: () => number } {
  let made = 0;
  const callChain = async (calls: readonly ChainCall[]): Promise<CallResult[]> => {
    const results: CallResult[] = [];
    for (const c of calls) {
      const args: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(c.args)) {
        const ref = v as { ref?: number; out?: string } | null;
        args[k] = ref !== null && typeof ref === 'object' && typeof ref.ref === 'number' ? (results[ref.ref] as { out: Record<string, unknown> }).out[ref.out as string] : v;
      }
      made++;
      const r = await impl.call(c.thread, c.op, args as never);
      results.push(r);
      if (r.kind !== 'returned' || (c.expect !== undefined && r.err !== c.expect)) break;
    }
    return results;
  };
  const call: Implementation['call'] = (thread, op, args) => {
    made++;
    return impl.call(thread, op, args);
  };
  return { side: Object.assign(Object.create(impl) as Implementation, { call, callChain }), made: () => made };
}

test('speculate: the chained probes observe what the probes one by one observe, and leave the same state, also against a mutant that answers otherwise', async () => {
  for (const name of ['reference', 'no-rollback-at-end', 'temp-table-slots-leaked', 'cursor-slots-leaked']) {
    const make = () => (name === 'reference' ? createReferenceImplementation() : findMutant(name)!.create({}));
    // The prediction: the reference's own results of the same probes.
    const ref = createReferenceImplementation();
    const { reg } = await setUp(ref);
    const refResults: CallResult[] = [];
    const refSync = synchronousCall(ref)!;
    const refSide: Side = { call: (t, op, a) => ref.call(t, op, a), callSync: ((t, op, a) => { const r = refSync(t, op, a); refResults.push(r); return r; }), handle: (h) => h, number: (_k, n) => n };
    const options = () => ({ threads: ['t1'], nameOf: () => undefined, debt: new Map<string, number>() });
    await observe(refSide, reg, options());

    // The same scenario on two copies of the implementation: one probed call by call, one through the chain.
    const plain = make();
    const chained = make();
    const a = await setUp(plain);
    const b = await setUp(chained);
    const oneByOne = await observe({ call: (t, op, x) => plain.call(t, op, x), handle: (h) => h, number: (_k, n) => n }, a.reg, options());
    const { side, made } = chaining(chained);
    const viaChain = await observeChained(side, b.reg, options(), refResults);
    assert.deepEqual([...viaChain], [...oneByOne], `${name}: the same observation`);
    assert.ok(made() > 0);
    // And the same state afterwards: a second observation, call by call on both, agrees.
    const again = await observe({ call: (t, op, x) => plain.call(t, op, x), handle: (h) => h, number: (_k, n) => n }, a.reg, options());
    const againChained = await observe({ call: (t, op, x) => chained.call(t, op, x), handle: (h) => h, number: (_k, n) => n }, b.reg, options());
    assert.deepEqual([...againChained], [...again], `${name}: the same state after the observation`);
  }
});

test("speculate: the reference's own run plans the chain (as plan() would), and the probes on its answers observe what they observe one by one; a chain that stops short goes on live", async () => {
  const live: Record<string, number> = {};
  for (const name of ['reference', 'no-rollback-at-end', 'temp-table-slots-leaked', 'cursor-slots-leaked', 'end-disturbs-other-sessions']) {
    const make = () => (name === 'reference' ? createReferenceImplementation() : findMutant(name)!.create({}));
    const options = () => ({ threads: ['t1'], nameOf: () => undefined, debt: new Map<string, number>() });
    // The earlier route: the reference observed, then plan() over its recorded results.
    const old = createReferenceImplementation();
    const o = await setUp(old);
    const oldSync = synchronousCall(old)!;
    const refResults: CallResult[] = [];
    const oldObservation = await observe({ call: (t, op, a) => old.call(t, op, a), callSync: (t, op, a) => { const r = oldSync(t, op, a); refResults.push(r); return r; }, handle: (h) => h, number: (_k, n) => n }, o.reg, options());
    const oldPlan = plan(o.reg, options(), refResults);

    // The reference's one run, planning as it goes: the same observation and the same plan.
    const ref = createReferenceImplementation();
    const r = await setUp(ref);
    assert.deepEqual([...r.reg.sessions.keys()], [...o.reg.sessions.keys()], 'the two reference engines issue the same handles');
    const planning = planningSide(synchronousCall(ref)!, (_k, v) => v);
    const refObservation = await observe(planning.side, r.reg, options());
    assert.deepEqual([...refObservation], [...oldObservation], `${name}: the reference's observation`);
    assert.deepEqual(planning.planned, oldPlan, `${name}: the plan`);
    assert.ok(planning.planned.length > 50);

    // The implementation: one copy probed call by call, one through the planned chain; same observation, calls, debt and state after.
    const plain = make();
    const chained = make();
    const a = await setUp(plain);
    const b = await setUp(chained);
    let oneByOneCalls = 0;
    const oneByOneOptions = options();
    const oneByOne = await observe({ call: (t, op, x) => (oneByOneCalls++, plain.call(t, op, x)), handle: (h) => h, number: (_k, n) => n }, a.reg, oneByOneOptions);
    const { side, made } = chaining(chained);
    let liveCalls = 0;
    const call: Implementation['call'] = (t, op, x) => {
      liveCalls++;
      return side.call(t, op, x);
    };
    const counted = Object.assign(Object.create(side) as typeof side, { call });
    const plannedOptions = options();
    const viaPlan = await observePlanned(counted, b.reg, plannedOptions, planning.planned);
    assert.deepEqual([...viaPlan], [...oneByOne], `${name}: the same observation`);
    assert.equal(made(), oneByOneCalls, `${name}: the same number of calls`);
    assert.deepEqual([...plannedOptions.debt], [...oneByOneOptions.debt], `${name}: the same observer sessions owed`);
    live[name] = liveCalls;
    const again = await observe({ call: (t, op, x) => plain.call(t, op, x), handle: (h) => h, number: (_k, n) => n }, a.reg, options());
    const againChained = await observe({ call: (t, op, x) => chained.call(t, op, x), handle: (h) => h, number: (_k, n) => n }, b.reg, options());
    assert.deepEqual([...againChained], [...again], `${name}: the same state after the observation`);
  }
  // The reference answers as planned (no live call); a mutant that answers otherwise stops the chain and the probes go on live.
  assert.equal(live.reference, 0);
  assert.ok(Object.entries(live).some(([n, c]) => n !== 'reference' && c > 0), `some mutant goes on live: ${JSON.stringify(live)}`);
});
