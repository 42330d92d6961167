/**
 * The process adapter against small hostile implementations (test/fixtures/hostile/): each fault
 * comes back as data of the right kind, with a reason that names it and the stderr tail, and the
 * next reset restarts the process.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { openProcessImplementation, type ProcessImplementation } from '../../adapters/process/adapter';
import type { CallResult, Implementation } from '../../adapters/types';

const fixtures = path.join(__dirname, '..', 'fixtures', 'hostile');
/** Short where a hang is the point; roomy elsewhere, so that a slow start on a busy machine is no fault. */
const timeoutMs = 1000;
const roomyMs = 5000;
const opened = new Set<ProcessImplementation>();

async function open(name: string, ...args: string[]): Promise<ProcessImplementation> {
  const impl = await openProcessImplementation({
    command: ['node', path.join(fixtures, `${name}.js`), ...args],
    timeoutMs: name === 'never-answer' ? timeoutMs : roomyMs,
  });
  if ('error' in impl) assert.fail(`open ${name}: ${impl.error}`);
  opened.add(impl as ProcessImplementation);
  return impl as ProcessImplementation;
}

// A failed assertion must not leave a child whose pipes keep the test process alive.
after(async () => {
  await Promise.all([...opened].map((impl) => impl.close()));
});

/** Reset, then JetCreateInstance, JetInit, JetBeginSession: what each gave. */
async function beginPair(impl: Implementation): Promise<CallResult[]> {
  assert.deepEqual(await impl.reset(), { kind: 'ok' });
  const results: CallResult[] = [];
  const created = await impl.call('t1', 'JetCreateInstance', { name: 'i' });
  results.push(created);
  const instance = created.kind === 'returned' && created.out?.instance !== undefined ? created.out.instance : { forged: 'zero' as const };
  results.push(await impl.call('t1', 'JetInit', { instance }));
  results.push(await impl.call('t1', 'JetBeginSession', { instance, username: '', password: '' }));
  return results;
}

function assertFault(r: CallResult, kind: string, reason: RegExp, stderr?: RegExp): void {
  assert.equal(r.kind, kind, JSON.stringify(r));
  const f = r as { reason: string; stderrTail?: string };
  assert.match(f.reason, reason);
  if (stderr) assert.match(f.stderrTail ?? '', stderr);
}

test('a well-behaved implementation: calls return, the process survives resets, close shuts it down', async () => {
  const impl = await open('toy');
  assert.deepEqual(impl.info, { name: 'toy', version: '0.0.1', target: 'current', pointerWidth: 64, capabilities: [] });
  const [a, b, c] = await beginPair(impl);
  assert.equal(a.kind, 'returned');
  assert.equal(b.kind, 'returned');
  assert.equal(c.kind === 'returned' && typeof (c.out as { sesid?: unknown } | undefined)?.sesid, 'string');
  const pid = impl.pid;
  await beginPair(impl);
  assert.equal(impl.pid, pid, 'no restart without a fault');
  await impl.close();
});

test('no capabilities: no optional operations, and a second thread is refused without being sent', async () => {
  const impl = await open('toy');
  assert.equal(impl.hold, undefined);
  assert.equal(impl.release, undefined);
  assert.equal(impl.forceInstanceState, undefined);
  assert.equal(impl.injectFault, undefined);
  await impl.reset();
  assert.equal((await impl.call('t1', 'JetCreateInstance', { name: 'i' })).kind, 'returned');
  const r = await impl.call('t2', 'JetCreateInstance', { name: 'j' });
  assert.equal(r.kind, 'unsupported');
  assert.match((r as { reason: string }).reason, /threads capability, which toy did not declare/);
  await impl.reset();
  assert.equal((await impl.call('t2', 'JetCreateInstance', { name: 'j' })).kind, 'returned', 'a fresh reset forgets the thread name');
  await impl.close();
});

test('crash on the first call: CRASH with the exit code and stderr; every reset restarts it', async () => {
  const impl = await open('crash-first-call');
  const pid = impl.pid;
  const [a, b] = await beginPair(impl);
  assertFault(a, 'crash', /JetCreateInstance on t1 \(id \d+\): the process exited with code 3/, /dying in JetCreateInstance/);
  assert.equal((a as { code?: string }).code, 'exit 3');
  assertFault(b, 'crash', /had already failed: the process exited with code 3/);
  const [again] = await beginPair(impl);
  assert.notEqual(impl.pid, pid, 'restarted');
  assertFault(again, 'crash', /exited with code 3/);
  await impl.close();
});

test('crash mid-scenario (SIGSEGV): the earlier calls returned; the next scenario runs on a new process', async () => {
  const impl = await open('crash-mid-scenario');
  const [a, b, c] = await beginPair(impl);
  assert.equal(a.kind, 'returned');
  assert.equal(b.kind, 'returned');
  assertFault(c, 'crash', /JetBeginSession on t1 \(id \d+\): the process was killed by signal SIGSEGV/, /access violation in JetBeginSession/);
  assert.equal((c as { code?: string }).code, 'SIGSEGV');
  const [a2, b2] = await beginPair(impl);
  assert.equal(a2.kind, 'returned');
  assert.equal(b2.kind, 'returned');
  await impl.close();
});

test('never answers: TIMEOUT after the timeout, the process is killed and restarted', async () => {
  const impl = await open('never-answer');
  const started = Date.now();
  const [a] = await beginPair(impl);
  const took = Date.now() - started;
  assertFault(a, 'timeout', new RegExp(`JetCreateInstance on t1 \\(id \\d+\\): no answer within ${timeoutMs} ms`), /stuck in JetCreateInstance/);
  assert.ok(took >= timeoutMs && took < timeoutMs + 2000, `took ${took} ms`);
  const pid = impl.pid;
  assert.deepEqual(await impl.reset(), { kind: 'ok' });
  assert.notEqual(impl.pid, pid);
  await impl.close();
});

test('garbage on stdout: PROTOCOL_ERROR quoting the line', async () => {
  const impl = await open('garbage');
  const [a] = await beginPair(impl);
  assertFault(a, 'protocol-error', /JetCreateInstance on t1 \(id \d+\): got a line that is not JSON: 'calling JetCreateInstance\.\.\.'/, /log line on stdout/);
  await impl.close();
});

test('an answer with a wrong id: PROTOCOL_ERROR naming both ids', async () => {
  const impl = await open('wrong-id');
  const [a] = await beginPair(impl);
  assertFault(a, 'protocol-error', /got an answer with id (\d+), which is not an unanswered request \(unanswered: \d+\)/);
  const m = /id (\d+)\): got an answer with id (\d+)/.exec((a as { reason: string }).reason);
  assert.ok(m && Number(m[2]) === Number(m[1]) + 1000, (a as { reason: string }).reason);
  await impl.close();
});

test('a 10 MB line: PROTOCOL_ERROR at the 1 MiB limit, without buffering it', async () => {
  const impl = await open('huge-line');
  const before = process.memoryUsage().rss;
  const [a] = await beginPair(impl);
  assertFault(a, 'protocol-error', /a line over 1048576 bytes/, /sending 10 MB/);
  const grew = process.memoryUsage().rss - before;
  assert.ok(grew < 8 * 1024 * 1024, `rss grew by ${grew} bytes`);
  await impl.close();
});

test('exit during the handshake: a setup error, one line, expected and got, with the stderr', async () => {
  const r = await openProcessImplementation({ command: ['node', path.join(fixtures, 'exit-handshake.js')], timeoutMs: roomyMs });
  assert.ok('error' in r);
  const { error } = r as { error: string };
  assert.doesNotMatch(error, /\n/);
  assert.match(error, /^handshake with node .*exit-handshake\.js: expected a hello answer \(protocol 1\) within 5000 ms, got the process exited with code 1 \(stderr: exit-handshake: fatal: cannot load esent\.dll\)$/);
});

test('a banner on stdout before the handshake: a setup error quoting it', async () => {
  const r = await openProcessImplementation({ command: ['node', path.join(fixtures, 'banner.js')], timeoutMs: roomyMs });
  assert.match((r as { error: string }).error, /expected a hello answer \(protocol 1\) within 5000 ms, got a line that is not JSON: 'Starting my-ese server v1\.0\.\.\.'$/);
});

test('a command that does not exist: a setup error naming it', async () => {
  const r = await openProcessImplementation({ command: ['/nonexistent/ese-server'], timeoutMs });
  assert.match((r as { error: string }).error, /got cannot start '\/nonexistent\/ese-server': spawn \/nonexistent\/ese-server ENOENT/);
  const none = await openProcessImplementation({ command: [], timeoutMs });
  assert.match((none as { error: string }).error, /needs the implementation command after --/);
});

test('success to everything: well-formed answers pass through as returned 0 (the suite judges them)', async () => {
  const impl = await open('success-everything');
  assert.deepEqual([...impl.info.capabilities].sort(), ['fault-injection', 'in-flight', 'instance-state', 'threads']);
  const results = await beginPair(impl);
  for (const r of results) assert.equal(r.kind === 'returned' && r.err, 0);
  const ended = await impl.call('t1', 'JetEndSession', { sesid: { forged: 'nil' }, grbit: 0 });
  assert.deepEqual(ended, { kind: 'returned', err: 0, out: {} });
  assert.deepEqual(await impl.injectFault!({ step: 'undo', err: -1011, times: 1 }), { kind: 'ok' });
  await impl.close();
});

test('an exception inside a call, answered as crash: CRASH with its code and text; restart at reset', async () => {
  const impl = await open('exception-answer');
  const [, , c] = await beginPair(impl);
  assertFault(c, 'crash', /exception inside JetBeginSession: 0xC0000005: access violation reading 0x0000000000000008/);
  assert.equal((c as { code?: string }).code, '0xC0000005');
  const pid = impl.pid;
  await impl.reset();
  assert.notEqual(impl.pid, pid, 'the process state is suspect after an exception');
  await impl.close();
});

test('out-values that break the schema: PROTOCOL_ERROR naming the field', async () => {
  const impl = await open('bad-out');
  const [, , c] = await beginPair(impl);
  assertFault(c, 'protocol-error', /JetBeginSession on t1 \(id \d+\): the answer breaks the schema: \/out\/sesid must be string \(out-values of JetBeginSession with err 0\)/);
  await impl.close();
});

test('reset answered reset-failed: the adapter restarts the process and resets again', async () => {
  const impl = await open('reset-fails');
  assert.deepEqual(await impl.reset(), { kind: 'ok' });
  const pid = impl.pid;
  assert.deepEqual(await impl.reset(), { kind: 'ok' });
  assert.notEqual(impl.pid, pid);
  await impl.close();
  const always = await open('reset-fails', 'always');
  const r = await always.reset();
  assertFault(r as CallResult, 'crash', /reset failed after a restart: reset answered 'reset-failed': an instance refuses to terminate/, /cannot reset/);
  await always.close();
});

/** A scenario's calls on the fixture, then the next scenario's reset: what that reset gives. */
async function resetAfterAnEnd(how: string): Promise<{ impl: ProcessImplementation; next: Awaited<ReturnType<Implementation['reset']>> }> {
  const impl = await open('crash-after-scenario', how);
  const [, , begun] = await beginPair(impl);
  const out = begun.kind === 'returned' ? (begun.out as { sesid?: unknown } | undefined) : undefined;
  const sesid = typeof out?.sesid === 'string' ? out.sesid : { forged: 'zero' as const };
  assert.equal((await impl.call('t1', 'JetEndSession', { sesid, grbit: 0 })).kind, 'returned');
  if (how === 'between') await new Promise((r) => setTimeout(r, 600));
  return { impl, next: await impl.reset() };
}

for (const [how, reason] of [
  ['reset-signal', /^reset crashed \(cleaning up after the previous scenario\): reset \(id \d+\): the process was killed by signal SIGSEGV$/],
  ['reset-answer', /^reset crashed \(cleaning up after the previous scenario\): exception inside reset: 0xC0000005: access violation in JetTerm$/],
  ['between', /^before this scenario, after the previous request was answered: the process was killed by signal SIGSEGV$/],
  ['reset-exit-1', /^reset crashed \(cleaning up after the previous scenario\): reset \(id \d+\): the process exited with code 1$/],
] as const) {
  test(`a crash tearing down a scenario's state (${how}) is the next scenario's CRASH, never absorbed by the restart`, async () => {
    const { impl, next } = await resetAfterAnEnd(how);
    assertFault(next as CallResult, 'crash', reason, /crash-after-scenario|^$/);
    assert.deepEqual(await impl.reset(), { kind: 'ok' }, 'the scenario after it runs on a new process');
  });
}

test('an exit with code 0 on reset stays a restart (protocol section 4): no fault', async () => {
  const { impl, next } = await resetAfterAnEnd('reset-exit');
  assert.deepEqual(next, { kind: 'ok' });
  assert.deepEqual(await impl.reset(), { kind: 'ok' });
});
