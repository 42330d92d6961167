/**
 * Issue 16, items 1 and 2: one timeout model (per request, per scenario, per run) owned by the
 * adapter, with cucumber's step timeout above it; the implementation's whole process group stopped
 * on every kill, restart and shutdown, SIGTERM escalated to SIGKILL, pipes held by descendants never
 * waited on. Each case: status, reason, exit code, a (generous) wall-time bound, no process left.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Status } from '../../harness/results';
import { runCli, type CliRun } from './helpers/run-cli';
import { freshMarker, timed } from './helpers/leftovers';
import { assertFault, assertNoneLeft, fixture, open } from './helpers/hostile';
import { applicable } from './helpers/applicable';

function statuses(r: CliRun): Status[] {
  assert.ok(r.matrix, `matrix.json written (${[...r.out, ...r.err].join('\n')})`);
  return r.matrix.scenarios.map((s) => s.status);
}

test('cucumber never times out first: a hang longer than 5 s is TIMEOUT from the adapter, not a FAIL', async () => {
  const marker = freshMarker();
  const { result: r, ms } = await timed('never-answer, --timeout-ms 6000, ES-SUCCESS-IDLE documented', () =>
    runCli(['--tier', 'documented', '--id', 'ES-SUCCESS-IDLE', '--adapter', 'process', '--timeout-ms', '6000', '--', 'node', fixture('never-answer')]),
  );
  assert.equal(r.code, 1);
  const m = r.matrix!;
  for (const s of applicable(m.scenarios, 2)) {
    assert.equal(s.status, 'TIMEOUT', `${s.id}: ${s.status} ${s.reason ?? ''}`);
    assert.match(s.reason ?? '', /no answer within 6000 ms/);
    assert.doesNotMatch(s.reason ?? '', /function timed out/);
    assert.match(s.stderrTail ?? '', /stuck in JetCreateInstance/);
  }
  // Each scenario: one 6 s timeout, a kill, a restart; nothing runs twice at once.
  assert.ok(ms < m.scenarios.length * 10_000 + 20_000, `took ${ms} ms`);
  assertNoneLeft(marker, 'after the run');
});

test('a correct implementation, slow in every answer and 6 s in one step (over cucumber\'s 5 s), passes', async () => {
  const marker = freshMarker();
  // slow-proxy --hold-first: every answer held 5 ms, the first API call's 6000 ms (under the 10 s request
  // timeout, over cucumber's 5 s step timeout); it logs that hold once it is over.
  const log = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ese-slow-step-')), 'held.log');
  const { result: r, ms } = await timed('slow-proxy 5 ms, the first call\'s answer 6000 ms, ES-SUCCESS-IDLE documented', () =>
    runCli(['--tier', 'documented', '--id', 'ES-SUCCESS-IDLE', '--adapter', 'process', '--', 'node', fixture('slow-proxy'), '5', '--hold-first', '6000', log]),
  );
  const bad = r.matrix?.scenarios.filter((s) => s.status !== 'PASS').map((s) => `${s.id}: ${s.status} ${s.reason ?? ''}`);
  assert.deepEqual(bad, []);
  assert.equal(r.code, 0, [...r.out, ...r.err].join('\n'));
  assert.ok(r.matrix!.scenarios.length >= 2);
  // The 6 s answer was given inside a step (the first call a step makes), and the run waited for it.
  const held = fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '';
  fs.rmSync(path.dirname(log), { recursive: true, force: true });
  assert.match(held, /^held (call|batch) Jet\w+ 6000 ms\n$/);
  assert.ok(ms > 6000 && ms < 120_000, `took ${ms} ms`);
  assertNoneLeft(marker, 'after the run');
});

test('--scenario-timeout-ms: a scenario over its limit is TIMEOUT naming the limit; the next starts afresh', async () => {
  const marker = freshMarker();
  const { result: r, ms } = await timed('slow-proxy 200 ms, --scenario-timeout-ms 1500, ES-SUCCESS-IDLE documented', () =>
    runCli(['--tier', 'documented', '--id', 'ES-SUCCESS-IDLE', '--adapter', 'process', '--scenario-timeout-ms', '1500', '--', 'node', fixture('slow-proxy'), '200']),
  );
  assert.equal(r.code, 1);
  const m = r.matrix!;
  // slow-proxy is the reference, capabilities and all: every scenario reaches it.
  assert.ok(m.scenarios.length >= 2);
  for (const s of m.scenarios) {
    assert.equal(s.status, 'TIMEOUT', `${s.id}: ${s.status} ${s.reason ?? ''}`);
    assert.match(s.reason ?? '', /the scenario's time limit \(--scenario-timeout-ms 1500\)/);
  }
  // Per scenario: 1.5 s, the kill, a restart through ts-node (about 1 s).
  assert.ok(ms < m.scenarios.length * 8_000 + 20_000, `took ${ms} ms`);
  assertNoneLeft(marker, 'after the run');
});

test('--budget: the run stops on time; the scenarios after the budget are TIMEOUT, not run', async () => {
  const marker = freshMarker();
  // The budget counts from the handshake (a proxy and serve-reference through ts-node: seconds on a busy machine).
  const { result: r, ms } = await timed('slow-proxy 200 ms, --budget 8s, ES-INVALID-SESID documented', () =>
    runCli(['--tier', 'documented', '--id', 'ES-INVALID-SESID', '--adapter', 'process', '--budget', '8s', '--', 'node', fixture('slow-proxy'), '200']),
  );
  assert.equal(r.code, 1);
  const m = r.matrix!;
  const notRun = m.scenarios.filter((s) => /not run: the run's time budget \(--budget, 8 s\) was used up/.test(s.reason ?? ''));
  assert.ok(notRun.length >= 1, statuses(r).join(' '));
  for (const s of notRun) assert.equal(s.status, 'TIMEOUT');
  assert.ok(ms < 33_000, `took ${ms} ms`);
  assertNoneLeft(marker, 'after the run');
});

test('a wrapper (sh -c) with the implementation as its child: the timeout stops both', async () => {
  const marker = freshMarker();
  const impl = await open(['sh', '-c', `node ${fixture('never-answer')}; echo wrapper-done`], 1000);
  await impl.reset();
  const { result: r, ms } = await timed('sh -c never-answer, timeout 1000', () => impl.call('t1', 'JetCreateInstance', { name: 'i' }));
  assertFault(r, 'timeout', /no answer within 1000 ms/);
  assert.match((r as { stderrTail?: string }).stderrTail ?? '', /stuck in JetCreateInstance/);
  assert.ok(ms < 1000 + 5000, `took ${ms} ms`);
  // The fault is told only once the group is gone.
  assertNoneLeft(marker, 'after the timeout');
  assert.deepEqual(await impl.reset(), { kind: 'ok' });
  await impl.close();
  assertNoneLeft(marker, 'after close');
});

test('a grandchild holding stdout and stderr (and ignoring SIGTERM): CRASH at the exit, no wait on the pipes', async () => {
  const marker = freshMarker();
  const impl = await open(['node', fixture('grandchild-pipes')], 10_000);
  await impl.reset();
  const { result: r, ms } = await timed('grandchild-pipes, CRASH', () => impl.call('t1', 'JetCreateInstance', { name: 'i' }));
  assertFault(r, 'crash', /JetCreateInstance on t1 \(id \d+\): the process exited with code 3/);
  assert.match((r as { stderrTail?: string }).stderrTail ?? '', /the grandchild keeps the pipes/);
  // The drain (1 s), SIGTERM's grace (1 s), SIGKILL: far below the 10 s timeout and 120 s of before.
  assert.ok(ms < 6000, `took ${ms} ms`);
  assertNoneLeft(marker, 'after the crash');
  await impl.close();
});

test('a child ignoring SIGTERM: escalated to SIGKILL; the restart waits until it is gone', async () => {
  const marker = freshMarker();
  const impl = await open(['node', fixture('ignore-term')], 1000);
  await impl.reset();
  const oldPid = impl.pid!;
  const { result: r, ms } = await timed('ignore-term, timeout 1000', () => impl.call('t1', 'JetCreateInstance', { name: 'i' }));
  assertFault(r, 'timeout', /no answer within 1000 ms/);
  // SIGTERM came first (and was ignored), SIGKILL after the grace period.
  assert.match((r as { stderrTail?: string }).stderrTail ?? '', /SIGTERM ignored/);
  assert.ok(ms >= 1900 && ms < 1000 + 1000 + 5000, `took ${ms} ms`);
  assertNoneLeft(marker, 'after the timeout');
  assert.deepEqual(await impl.reset(), { kind: 'ok' });
  assert.notEqual(impl.pid, oldPid);
  assert.throws(() => process.kill(oldPid, 0), 'the old process is gone before the new one starts');
  await impl.close();
  assertNoneLeft(marker, 'after close');
});

test('shutdown ends the descendants too: a helper that would hold the pipes 3 s more is stopped', async () => {
  const marker = freshMarker();
  const impl = await open(['node', fixture('pipe-holder')], 5000);
  assert.deepEqual(await impl.reset(), { kind: 'ok' });
  const { ms } = await timed('pipe-holder, close', () => impl.close());
  assert.ok(ms < 2500, `took ${ms} ms`);
  assertNoneLeft(marker, 'after close');
});

test('a process that ignores shutdown and end of file is killed after the timeout, with its group', async () => {
  const marker = freshMarker();
  const impl = await open(['node', fixture('no-exit')], 1500);
  assert.deepEqual(await impl.reset(), { kind: 'ok' });
  const { ms } = await timed('no-exit, close', () => impl.close());
  assert.ok(ms >= 1400 && ms < 1500 + 7000, `took ${ms} ms`);
  assertNoneLeft(marker, 'after close');
});
