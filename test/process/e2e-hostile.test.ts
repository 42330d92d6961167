/**
 * `run --adapter process` end to end against the hostile implementations: the statuses in
 * matrix.json, the reasons and stderr tails, the exit code, and nothing unchecked is PASS.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Status } from '../../harness/results';
import { createAlwaysSuccess } from '../doubles/always-success';
import { runSuite } from '../../harness/runner';
import { root, runCli, type CliRun } from './helpers/run-cli';
import { needsCapability } from './helpers/applicable';

const fixtures = path.join(root, 'test', 'fixtures', 'hostile');
/** A small selection: plain scenarios, one needing threads + in-flight, one needing fault-injection. */
const selection = ['--tier', 'documented', '--id', 'ES-SUCCESS-IDLE', '--id', 'ES-INVALID-SESID', '--id', 'ES-TERM-IN-PROGRESS', '--id', 'ES-CLEANUP-OOM'];

/**
 * A short timeout where a hang is the point, yet long enough for the fixture to read the request and
 * write its stderr line on a loaded CI machine (at 1000 ms it once had not, and the tail was empty);
 * elsewhere room for a slow restart on a busy machine.
 */
function hostile(name: string): Promise<CliRun> {
  const timeout = name === 'never-answer' ? '2000' : '5000';
  return runCli([...selection, '--adapter', 'process', '--timeout-ms', timeout, '--', 'node', path.join(fixtures, `${name}.js`)]);
}


/** Every scenario that needs no capability has `status`, its reason matching; the others are NOT_APPLICABLE. */
function expectAll(r: CliRun, status: Status, reason: RegExp, stderr?: RegExp): void {
  assert.equal(r.code, 1, [...r.out, ...r.err].join('\n'));
  const m = r.matrix;
  assert.ok(m, 'matrix.json written');
  assert.ok(m.scenarios.length >= 8, `${m.scenarios.length} scenarios`);
  for (const s of m.scenarios) {
    if (needsCapability(s)) {
      assert.equal(s.status, 'NOT_APPLICABLE', s.id);
      assert.match(s.reason ?? '', /needs the capability .*, which .* does not declare/);
      continue;
    }
    assert.equal(s.status, status, `${s.id}: ${s.reason}`);
    assert.match(s.reason ?? '', reason, s.id);
    if (stderr) assert.match(s.stderrTail ?? '', stderr, s.id);
  }
}

test('crash on the first call: every scenario CRASH with the exit code and the stderr tail', async () => {
  expectAll(await hostile('crash-first-call'), 'CRASH', /exited with code 3/, /dying in JetCreateInstance/);
});

test('crash mid-scenario: CRASH by SIGSEGV, and the next scenario gets a fresh process', async () => {
  expectAll(await hostile('crash-mid-scenario'), 'CRASH', /JetBeginSession on t1 \(id \d+\): the process was killed by signal SIGSEGV/, /access violation in JetBeginSession/);
});

test('never answers: TIMEOUT after --timeout-ms, the run completes', async () => {
  const started = Date.now();
  expectAll(await hostile('never-answer'), 'TIMEOUT', /no answer within 2000 ms/, /stuck in JetCreateInstance/);
  // About 10 scenarios time out at 2 s each: a run that waited longer than that somewhere would pass 45 s.
  assert.ok(Date.now() - started < 45_000);
});

test('garbage on stdout: PROTOCOL_ERROR quoting the line', async () => {
  expectAll(await hostile('garbage'), 'PROTOCOL_ERROR', /got a line that is not JSON: 'calling JetCreateInstance\.\.\.'/, /log line on stdout/);
});

test('a wrong id: PROTOCOL_ERROR', async () => {
  expectAll(await hostile('wrong-id'), 'PROTOCOL_ERROR', /got an answer with id \d+, which is not an unanswered request/);
});

test('a 10 MB line: PROTOCOL_ERROR at the size limit', async () => {
  expectAll(await hostile('huge-line'), 'PROTOCOL_ERROR', /a line over 1048576 bytes/, /sending 10 MB/);
});

test('out-values that break the schema: PROTOCOL_ERROR naming the field', async () => {
  const r = await hostile('bad-out');
  expectAll(r, 'PROTOCOL_ERROR', /\/out\/sesid must be string/);
});

test('exit during the handshake: a setup error, exit 2, one line saying what was expected and what came', async () => {
  const r = await hostile('exit-handshake');
  assert.equal(r.code, 2);
  assert.equal(r.matrix, undefined);
  assert.equal(r.err.length, 1);
  assert.match(r.err[0], /^ese-conformance run: adapter process did not start: handshake with node .*exit-handshake\.js: expected a hello answer \(protocol 1\) within 5000 ms, got the process exited with code 1 \(stderr: exit-handshake: fatal: cannot load esent\.dll\) \[ERR_ESE_ADAPTER_START\]$/);
});

/**
 * An engine that answers JET_errSuccess to everything and declares every capability passes nothing.
 * Every scenario of both tiers is judged in-process (a property of the suite: no scenario is vacuous
 * against such a liar); through the process adapter, a selection whose scenarios use every capability
 * and every adapter operation shows the transport turns the same lies into FAIL, never into PASS,
 * CRASH, TIMEOUT or PROTOCOL_ERROR (the transport does not depend on which scenario runs).
 */
test('JET_errSuccess to everything, every capability declared: every scenario of both tiers FAIL in-process', async () => {
  const { matrix: m } = await runSuite({ impl: createAlwaysSuccess(), adapterName: 'always-success', tiers: ['documented', 'esent'] });
  assert.ok(m.scenarios.length >= 250, `${m.scenarios.length} scenarios`);
  for (const s of m.scenarios) assert.equal(s.status, 'FAIL', `${s.tier} ${s.id}: ${s.status} ${s.reason ?? ''}`);
  for (const id of m.ids) assert.equal(id.status, 'FAIL', `${id.tier} ${id.id}`);
  for (const score of m.scores) assert.equal(score.passed, 0);
});

/** Plain scenarios, forced states and held calls on threads (restore), injected faults (clean-up failures). */
const lyingSelection = ['ES-SUCCESS-IDLE', 'ES-AFTER-TERM', 'ES-RESTORE-IN-PROGRESS', 'ES-CLEANUP-FAILURE-LEAVES-SESSION'];

test('JET_errSuccess to everything through the process adapter: every capability and operation used, all FAIL', async () => {
  const r = await runCli(['--tier', 'documented', ...lyingSelection.flatMap((id) => ['--id', id]), '--adapter', 'process', '--timeout-ms', '5000', '--', 'node', path.join(fixtures, 'success-everything.js')]);
  assert.equal(r.code, 1, [...r.out, ...r.err].join('\n'));
  const m = r.matrix!;
  assert.ok(m.scenarios.length >= 10, `${m.scenarios.length} scenarios`);
  for (const s of m.scenarios) assert.equal(s.status, 'FAIL', `${s.tier} ${s.id}: ${s.status} ${s.reason ?? ''}`);
  for (const id of m.ids.filter((i) => lyingSelection.includes(i.id))) assert.equal(id.status, 'FAIL', `${id.tier} ${id.id}`);
  for (const score of m.scores) assert.equal(score.passed, 0);
  // What makes the selection cover the transport: each capability needed, each adapter operation sent.
  const tags = new Set(m.scenarios.flatMap((s) => s.tags));
  for (const capability of m.implementation.capabilities) assert.ok(tags.has(`@needs:${capability}`), `no scenario needs ${capability}`);
  assert.deepEqual(new Set(m.implementation.capabilities), new Set(['threads', 'in-flight', 'instance-state', 'fault-injection']));
  const kinds = new Set(m.scenarios.flatMap((s) => s.trace.map((t) => t.kind)));
  for (const kind of ['reset', 'call', 'hold', 'force-instance-state', 'inject-fault'] as const) assert.ok(kinds.has(kind), `no ${kind} was sent`);
});
