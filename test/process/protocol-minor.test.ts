/**
 * Protocol 1.1 (docs/protocol.md section 16): negotiated in hello, never sent to a v1
 * implementation; `batch` answers calls made one after another in one line, `sync` says when every
 * earlier call has returned or waits. serve() over streams, and the adapter against real processes
 * that speak 1.1 (serve-reference) and 1.0 only (an inline program), including a 1.1 program whose
 * batch answers break the rules.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { openProcessImplementation, type ProcessImplementation } from '../../adapters/process/adapter';
import { referenceOnStreams as streams } from './helpers/answers';
import { createReferenceImplementation } from '../../adapters/reference';
import type { ApiCall, CallResult, Implementation } from '../../adapters/types';
import { fuzz } from '../../fuzz/campaign';

const root = path.join(__dirname, '..', '..');
const serveReference = [process.execPath, '--require', 'ts-node/register/transpile-only', path.join(root, 'cli', 'main.ts'), 'serve-reference'];

const hello = { cmd: 'hello', protocol: 1, suite: { name: 'ese-conformance', version: '0' }, timeoutMs: 1000, maxLineBytes: 1048576 };

test('serve: protocol 1.1 only for a suite that asks; batch and sync', async () => {
  const s = streams();
  const v1 = await s.ask(hello);
  assert.equal(v1.result, 'hello');
  assert.equal('minor' in v1, false, 'a v1 suite gets a v1 hello answer');
  assert.equal('features' in v1, false);
  const v11 = await s.ask({ ...hello, minor: 1 });
  assert.equal(v11.minor, 1);
  // A 1.1 suite that lists no features speaks the first two; the later ones only to a suite that lists them.
  assert.deepEqual(v11.features, ['sync', 'batch']);
  assert.deepEqual((await s.ask({ ...hello, minor: 1, features: ['batch', 'chain', 'x-later'] })).features, ['batch', 'chain']);

  assert.equal((await s.ask({ cmd: 'reset' })).result, 'ok');
  const inst = (await s.ask({ cmd: 'call', thread: 't1', op: 'JetCreateInstance', args: { name: 'i1' } })).out as { instance: string };
  await s.ask({ cmd: 'call', thread: 't1', op: 'JetInit', args: { instance: inst.instance } });
  const ses = (await s.ask({ cmd: 'call', thread: 't1', op: 'JetBeginSession', args: { instance: inst.instance, username: '', password: '' } })).out as { sesid: string };
  const begin = { op: 'JetBeginTransaction', args: { sesid: ses.sesid } };
  // Nested transactions until ESE refuses (7 levels): the refusal is the last answer with stopOnError.
  const stopped = await s.ask({ cmd: 'batch', thread: 't1', calls: Array(12).fill(begin), stopOnError: true });
  assert.equal(stopped.result, 'batch');
  const answers = stopped.answers as { result: string; err: number }[];
  assert.deepEqual(answers.map((a) => a.err), [0, 0, 0, 0, 0, 0, 0, -1103]);
  // Without stopOnError an error answer does not end it: every call is made.
  const rollback = { op: 'JetRollback', args: { sesid: ses.sesid, grbit: 0 } };
  const all = await s.ask({ cmd: 'batch', thread: 't1', calls: Array(9).fill(rollback), stopOnError: false });
  assert.deepEqual((all.answers as { err: number }[]).map((a) => a.err), [0, 0, 0, 0, 0, 0, 0, -1054, -1054]);
  // A batch with one bad call is refused whole, before any call is made.
  const bad = await s.ask({ cmd: 'batch', thread: 't1', calls: [begin, { op: 'JetFrobnicate', args: {} }], stopOnError: false });
  assert.equal(bad.error, 'unknown-operation');
  const after = await s.ask({ cmd: 'call', thread: 't1', op: 'JetRollback', args: { sesid: ses.sesid, grbit: 0 } });
  assert.equal(after.err, -1054, 'the refused batch began no transaction');
  assert.equal((await s.ask({ cmd: 'batch', thread: 't1', calls: [], stopOnError: true })).error, 'bad-request');
  assert.deepEqual(await s.ask({ cmd: 'sync' }), { id: 13, result: 'ok' });
  s.end();
});

/** A v1.0 implementation: answers hello without minor, every call -1104, and fails the test on any 1.1 request. */
const v1Program = `
const rl = require('readline').createInterface({ input: process.stdin });
rl.on('line', (line) => {
  const r = JSON.parse(line);
  const out = (a) => process.stdout.write(JSON.stringify({ id: r.id, ...a }) + '\\n');
  if (r.cmd === 'hello') out({ result: 'hello', protocol: 1, implementation: { name: 'v1-only', version: '1' }, target: 'current', pointerWidth: 64, capabilities: [] });
  else if (r.cmd === 'call') out({ result: 'returned', err: -1104 });
  else if (r.cmd === 'reset' || r.cmd === 'shutdown') { out({ result: 'ok' }); if (r.cmd === 'shutdown') process.exit(0); }
  else out({ result: 'error', error: 'unknown-command', message: 'a v1 implementation got ' + r.cmd });
});`;

const nilEnd: ApiCall = { op: 'JetEndSession', args: { sesid: { forged: 'nil' }, grbit: 0 } };

test('adapter: a v1 implementation gets no batch and no sync; a 1.1 one both', async () => {
  const v1 = (await openProcessImplementation({ command: [process.execPath, '-e', v1Program], timeoutMs: 10_000 })) as ProcessImplementation;
  assert.ok(!('error' in v1));
  try {
    assert.equal(v1.callBatch, undefined);
    assert.equal(v1.sync, undefined);
    assert.equal((await v1.reset()).kind, 'ok');
    assert.deepEqual(await v1.call('t1', 'JetEndSession', { sesid: { forged: 'nil' }, grbit: 0 }), { kind: 'returned', err: -1104 });
  } finally {
    await v1.close();
  }
  const v11 = (await openProcessImplementation({ command: serveReference, timeoutMs: 20_000 })) as ProcessImplementation;
  assert.ok(!('error' in v11));
  try {
    assert.ok(v11.callBatch !== undefined && v11.sync !== undefined);
    assert.equal((await v11.reset()).kind, 'ok');
    const results = await v11.callBatch('t1', [nilEnd, nilEnd, nilEnd], false);
    assert.deepEqual(results, [nilResult, nilResult, nilResult]);
    assert.deepEqual(await v11.callBatch('t1', [nilEnd, nilEnd], true), [nilResult]);
    assert.deepEqual(await v11.sync(), { kind: 'ok' });
  } finally {
    await v11.close();
  }
});

const nilResult: CallResult = { kind: 'returned', err: -1104 };

/** A 1.1 implementation whose batch answer goes on after an error that ends the batch. */
const overrunProgram = `
const rl = require('readline').createInterface({ input: process.stdin });
rl.on('line', (line) => {
  const r = JSON.parse(line);
  const out = (a) => process.stdout.write(JSON.stringify({ id: r.id, ...a }) + '\\n');
  if (r.cmd === 'hello') out({ result: 'hello', protocol: 1, minor: 1, features: ['batch'], implementation: { name: 'overrun', version: '1' }, target: 'current', pointerWidth: 64, capabilities: [] });
  else if (r.cmd === 'batch') out({ result: 'batch', answers: r.calls.map(() => ({ result: 'returned', err: -1104 })) });
  else if (r.cmd === 'reset' || r.cmd === 'shutdown') { out({ result: 'ok' }); if (r.cmd === 'shutdown') process.exit(0); }
  else out({ result: 'returned', err: -1104 });
});`;

test('adapter: a batch answer that goes on past the answer that ends it is a PROTOCOL_ERROR', async () => {
  const impl = (await openProcessImplementation({ command: [process.execPath, '-e', overrunProgram], timeoutMs: 10_000 })) as ProcessImplementation;
  assert.ok(!('error' in impl) && impl.callBatch !== undefined);
  try {
    assert.equal((await impl.reset()).kind, 'ok');
    // Without stopOnError the same answers are right.
    assert.deepEqual(await impl.callBatch('t1', [nilEnd, nilEnd], false), [nilResult, nilResult]);
    const [r] = await impl.callBatch('t1', [nilEnd, nilEnd], true);
    assert.equal(r.kind, 'protocol-error');
    assert.match((r as { reason: string }).reason, /goes on after answer 0 \(JetEndSession: returned -1104\), which ends the batch/);
  } finally {
    await impl.close();
  }
});

/** The reference, except that JetTerm/JetTerm2 answer 0 at once where the reference waits for held calls. */
function termsReturnEarly(inner: Implementation): { sut: Implementation; syncs: () => number } {
  let syncs = 0;
  const sut = {
    info: inner.info,
    reset: () => inner.reset(),
    call: (thread, op, args) => {
      const p = inner.call(thread, op, args);
      if (op !== 'JetTerm' && op !== 'JetTerm2') return p;
      let settled: CallResult | undefined;
      void p.then((r) => (settled = r));
      return Promise.resolve().then(() => settled ?? ({ kind: 'returned', err: 0 } as never));
    },
    hold: (thread, call) => inner.hold!(thread, call),
    release: (hold) => inner.release!(hold),
    forceInstanceState: (i, s) => inner.forceInstanceState!(i, s),
    injectFault: (f) => inner.injectFault!(f),
    sync: () => {
      syncs++;
      return Promise.resolve({ kind: 'ok' });
    },
    close: () => inner.close(),
  } as Implementation;
  return { sut, syncs: () => syncs };
}

test('fuzz: with sync a term that returns where ESE waits is found without the settle wait', async () => {
  const { sut, syncs } = termsReturnEarly(createReferenceImplementation());
  // A settle wait of 10 minutes: only sync can make this campaign end within the test's time.
  const r = await fuzz({ sut, seed: 1, runs: 400, maxSteps: 40, settleMs: 600_000, awaitTimeoutMs: 5_000 });
  assert.equal(r.error, undefined);
  assert.equal(r.finding?.divergence.kind, 'waiting', r.finding?.divergence.message);
  assert.ok(syncs() > 0, 'sync was asked');
  // The reference itself, with sync, never diverges.
  const clean = await fuzz({ sut: createReferenceImplementation(), seed: 2, runs: 100, maxSteps: 40, settleMs: 600_000 });
  assert.equal(clean.finding, undefined);
  assert.equal(clean.error, undefined);
});
