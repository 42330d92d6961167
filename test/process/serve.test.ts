/**
 * serve(), the protocol's server side: in-process over streams (error answers, out-of-order
 * answers) and behind a real process through the adapter (threads, hold/release, exceptions).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { serve } from '../../adapters/process/serve';
import { openProcessImplementation, type ProcessImplementation } from '../../adapters/process/adapter';
import { createFakeEngine } from './helpers/fake-engine';
import { answerReader, referenceOnStreams } from './helpers/answers';
import { synchronousCall } from '../../adapters/reference';

/** A server on streams: send() a request line, next() the next answer (validated). */
function harness() {
  const input = new PassThrough();
  const output = new PassThrough();
  const notes: string[] = [];
  const engine = createFakeEngine();
  const ended = serve(engine, input, output, { log: (l) => notes.push(l), maxLineBytes: 2048 });
  const next = answerReader(output, 2000);
  return {
    engine,
    notes,
    ended,
    send: (req: unknown) => input.write((typeof req === 'string' ? req : JSON.stringify(req)) + '\n'),
    next,
    end: () => input.end(),
  };
}

test('serve: hello, calls, and the documented error answers', async () => {
  const s = harness();
  s.send({ id: 1, cmd: 'hello', protocol: 1, suite: { name: 'ese-conformance', version: '0' }, timeoutMs: 1000, maxLineBytes: 2048 });
  assert.deepEqual(await s.next(), {
    id: 1, result: 'hello', protocol: 1, implementation: { name: 'fake', version: '1.0.0' }, target: 'current', pointerWidth: 64,
    capabilities: ['threads', 'in-flight', 'instance-state', 'fault-injection'],
  });
  s.send({ id: 2, cmd: 'hello', protocol: 7 });
  assert.equal((await s.next()).error, 'unsupported-protocol');
  s.send({ id: 3, cmd: 'call', thread: 't1', op: 'JetFrobnicate', args: {} });
  assert.deepEqual(await s.next(), { id: 3, result: 'error', error: 'unknown-operation', message: 'no operation named JetFrobnicate' });
  s.send({ id: 4, cmd: 'teleport' });
  assert.equal((await s.next()).error, 'unknown-command');
  s.send({ id: 5, cmd: 'call', thread: 't1', op: 'JetEndSession', args: { sesid: { forged: 'bogus' }, grbit: 0 } });
  const bad = await s.next();
  assert.equal(bad.error, 'bad-request');
  assert.match(String(bad.message), /JetEndSession: \/args\/sesid\/forged must be one of/);
  s.send({ id: 6, cmd: 'call', thread: 'not a thread!', op: 'JetInit', args: { instance: '0x1' } });
  assert.equal((await s.next()).error, 'bad-request');
  s.send('this is not json');
  s.send('x'.repeat(5000));
  s.send({ id: 7, cmd: 'call', thread: 't1', op: 'JetEndSession', args: { sesid: { forged: 'nil' }, grbit: 0 } });
  assert.deepEqual(await s.next(), { id: 7, result: 'returned', err: -1104 });
  assert.deepEqual(s.notes, ['serve: ignored a line that is not JSON: this is not json', 'serve: ignored a request line over 2048 bytes']);
  s.send({ id: 8, cmd: 'call', thread: 't1', op: 'JetDelete', args: { sesid: '0x1', tableid: '0x2' } });
  assert.deepEqual(await s.next(), { id: 8, result: 'crash', code: 'TypeError', message: 'fake engine: JetDelete is broken on purpose' });
  s.send({ id: 9, cmd: 'inject-fault', step: 'undo', err: -1011, times: 1 });
  assert.deepEqual(await s.next(), { id: 9, result: 'unsupported', reason: 'fake engine: no fault injection' });
  s.send({ id: 10, cmd: 'force-instance-state', instance: '0x1', state: 'fatal-error' });
  assert.match(String((await s.next()).message), /must have required property 'cause'/);
  s.send({ id: 11, cmd: 'shutdown' });
  assert.deepEqual(await s.next(), { id: 11, result: 'ok' });
  assert.deepEqual(await s.ended, { reason: 'shutdown' });
});

test('serve: a held call blocks JetTerm2, yet the reader answers the release; answers come out of order', async () => {
  const s = harness();
  s.send({ id: 1, cmd: 'hold', thread: 't2', op: 'JetBeginTransaction', args: { sesid: '0x1' } });
  assert.deepEqual(await s.next(), { id: 1, result: 'held', hold: 'h1' });
  s.send({ id: 2, cmd: 'call', thread: 't1', op: 'JetTerm2', args: { instance: '0x1', grbit: 1 } });
  s.send({ id: 3, cmd: 'release', hold: 'h1' });
  const first = await s.next();
  const second = await s.next();
  assert.deepEqual(first, { id: 3, result: 'returned', err: 0 });
  assert.deepEqual(second, { id: 2, result: 'returned', err: -1059 });
  s.end();
  assert.deepEqual(await s.ended, { reason: 'eof' });
});

const serveFake = ['node', '--require', 'ts-node/register/transpile-only', path.join(__dirname, 'helpers', 'serve-fake.ts')];

test('adapter to serve through a process: threads, hold/release, exceptions, parameters by name', async () => {
  const opened = await openProcessImplementation({ command: serveFake, timeoutMs: 5000 });
  if ('error' in opened) assert.fail(opened.error);
  const impl = opened as ProcessImplementation;
  assert.deepEqual(await impl.reset(), { kind: 'ok' });
  const inst = await impl.call('t1', 'JetCreateInstance', { name: 'i' });
  assert.equal(inst.kind, 'returned');
  const instance = (inst as { out: { instance: string } }).out.instance;
  // JetSetSystemParameter travels with its name: the fake answers +1 when it sees paramName.
  assert.deepEqual(await impl.call('t1', 'JetSetSystemParameter', { instance, sesid: null, paramid: 5, lParam: 4 }), { kind: 'returned', err: 1, out: {} });
  const held = await impl.hold!('t2', { op: 'JetBeginTransaction', args: { sesid: '0x1' } });
  assert.deepEqual(held, { kind: 'held', hold: 'h1' });
  const busy = await impl.call('t2', 'JetEndSession', { sesid: '0x1', grbit: 0 });
  assert.equal(busy.kind, 'protocol-error', 'a call on a thread with a held call is refused');
  const term = impl.call('t1', 'JetTerm2', { instance, grbit: 1 });
  let termDone = false;
  void term.then(() => (termDone = true));
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(termDone, false, 'JetTerm2 waits for the held call');
  assert.deepEqual(await impl.release!('h1'), { kind: 'returned', err: 0, out: {} });
  assert.deepEqual(await term, { kind: 'returned', err: -1059 });
  const thrown = await impl.call('t1', 'JetDelete', { sesid: '0x1', tableid: '0x2' });
  assert.equal(thrown.kind, 'crash');
  assert.match((thrown as { reason: string }).reason, /exception inside JetDelete: TypeError: fake engine: JetDelete is broken on purpose/);
  assert.deepEqual(await impl.injectFault!({ step: 'close-sort', err: -1011, times: 1 }), { kind: 'unsupported', reason: 'fake engine: no fault injection' });
  assert.deepEqual(await impl.forceInstanceState!(instance, { state: 'fatal-error', cause: -529 }), { kind: 'ok' });
  // grbit 0x80000000 | 1 is negative in JavaScript; the wire carries it unsigned.
  assert.equal((await impl.call('t1', 'JetEndSession', { sesid: { forged: 'zero' }, grbit: 0x80000000 | 1 })).kind, 'returned');
  await impl.close();
});

test('serve-reference: answers hello and shutdown, exits 0, and never loads cucumber', async () => {
  const { spawnSync } = await import('node:child_process');
  const root = path.join(__dirname, '..', '..');
  const input = [
    { id: 1, cmd: 'hello', protocol: 1, suite: { name: 'ese-conformance', version: '0' }, timeoutMs: 1000, maxLineBytes: 1048576 },
    { id: 2, cmd: 'reset' },
    { id: 3, cmd: 'call', thread: 't1', op: 'JetEndSession', args: { sesid: { forged: 'zero' }, grbit: 0 } },
    { id: 4, cmd: 'shutdown' },
  ].map((m) => JSON.stringify(m) + '\n').join('');
  const r = spawnSync(
    'node',
    ['--require', path.join(__dirname, 'helpers', 'report-modules.js'), '--require', 'ts-node/register/transpile-only', path.join(root, 'cli', 'main.ts'), 'serve-reference'],
    { cwd: root, input, encoding: 'utf8', timeout: 30_000 },
  );
  assert.equal(r.status, 0, r.stderr);
  const answers = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: number; result: string; err?: number });
  // Sent all at once: shutdown is answered last, after the requests before it.
  assert.deepEqual(answers.map((a) => [a.id, a.result]), [[1, 'hello'], [2, 'ok'], [3, 'returned'], [4, 'ok']]);
  assert.equal(answers[2].err, -1104);
  const modules = JSON.parse(/^MODULES (.*)$/m.exec(r.stderr)![1]) as string[];
  assert.deepEqual(modules.filter((m) => m.includes('@cucumber') || m.includes('allure')), []);
});

test('serve: a batch answered through callSync (serve-reference) gives the answers call() gives, a term still through call()', async () => {
  const run = async (withSync: boolean) => {
    const made: string[] = [];
    const { ask, end } = referenceOnStreams(5000, (impl) => {
      const sync = synchronousCall(impl)!;
      return withSync ? { callSync: (thread, op, args) => (made.push(op), sync(thread, op, args)) } : {};
    });
    const answers = [
      await ask({ cmd: 'hello', protocol: 1, minor: 1, features: ['batch', 'chain', 'expect-out'], suite: { name: 'x', version: '0' }, timeoutMs: 1000, maxLineBytes: 1048576 }),
      await ask({ cmd: 'reset' }),
      await ask({
        cmd: 'batch',
        thread: 't1',
        stopOnError: false,
        calls: [
          { op: 'JetCreateInstance', args: { name: 'i1' }, expect: 0 },
          { op: 'JetInit', args: { instance: { ref: 0, out: 'instance' } }, expect: 0 },
          { op: 'JetBeginSession', args: { instance: { ref: 0, out: 'instance' }, username: '', password: '' }, expect: 0 },
          { op: 'JetBeginTransaction', args: { sesid: { ref: 2, out: 'sesid' } }, expect: 0 },
          { op: 'JetEndSession', args: { sesid: { forged: 'nil' }, grbit: 0 }, expect: -1104 },
          { op: 'JetEndSession', args: { sesid: { ref: 2, out: 'sesid' }, grbit: 0 }, expect: 0 },
          { op: 'JetTerm', args: { instance: { ref: 0, out: 'instance' } }, expect: 0 },
          { op: 'JetEndSession', args: { sesid: { ref: 2, out: 'sesid' }, grbit: 0 }, expect: 0 },
        ],
      }),
    ];
    end();
    return { answers, made };
  };
  const plain = await run(false);
  const now = await run(true);
  assert.deepEqual(now.answers, plain.answers);
  assert.equal((plain.answers[2].answers as unknown[]).length, 8, 'the batch ran to its end');
  assert.deepEqual(plain.made, []);
  assert.deepEqual(now.made, ['JetCreateInstance', 'JetInit', 'JetBeginSession', 'JetBeginTransaction', 'JetEndSession', 'JetEndSession', 'JetEndSession'], 'every call but the term at once');
});
