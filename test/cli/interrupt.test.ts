/**
 * Issue 16, item 6: SIGINT/SIGTERM stop the implementation's group, write the finished scenarios
 * as a matrix marked "interrupted": true and exit 130/143; a previous run's files never pass for
 * this run's; an unusable report folder is one line and exit 2 before anything starts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../cli/main';
import type { Matrix } from '../../harness/results';
import { describePids, freshMarker, leftovers } from '../process/helpers/leftovers';

const root = path.join(__dirname, '..', '..');
const slowProxy = path.join(root, 'test', 'fixtures', 'hostile', 'slow-proxy.js');

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'ese-interrupt-'));
}

/**
 * Runs the CLI as its own process and sends `signal` `delayMs` after the implementation (the
 * proxy, found by the marker) has started, so that scenarios are running; resolves at its exit.
 */
function runAndSignal(marker: string, args: string[], signal: NodeJS.Signals, delayMs: number): Promise<{ code: number | null; stderr: string; afterSignalMs: number }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(root, 'cli', 'main.ts'), ...args], {
      cwd: root,
      env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true', GITHUB_ACTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdout.resume();
    let signalledAt = 0;
    let timer: NodeJS.Timeout | undefined;
    const poll = setInterval(() => {
      if (leftovers(marker).filter((p) => p !== child.pid).length === 0) return;
      clearInterval(poll);
      timer = setTimeout(() => {
        signalledAt = Date.now();
        child.kill(signal);
      }, delayMs);
    }, 200);
    child.on('exit', (code) => {
      clearInterval(poll);
      clearTimeout(timer);
      resolve({ code, stderr, afterSignalMs: signalledAt === 0 ? -1 : Date.now() - signalledAt });
    });
  });
}

for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  test(`${signal} during a run: the group is stopped, a partial matrix marked interrupted, exit ${code}`, async () => {
    const marker = freshMarker();
    const dir = tmp();
    // What a previous run left: it must not pass for this run's.
    fs.writeFileSync(path.join(dir, 'matrix.json'), '{"stale": true}\n');
    fs.writeFileSync(path.join(dir, 'junit.xml'), '<testsuites name="stale"/>\n');
    const r = await runAndSignal(
      marker,
      ['run', '--reports', signal === 'SIGINT' ? 'full' : 'minimal', '--report-dir', dir, '--tier', 'documented', '--id', 'ES-AFTER-TERM', '--id', 'ES-SUCCESS-IDLE', '--adapter', 'process', '--', 'node', slowProxy, '200'],
      signal,
      6_000,
    );
    process.stdout.write(`# wall time: ${signal} to exit: ${r.afterSignalMs} ms\n`);
    assert.equal(r.code, code, r.stderr);
    assert.match(r.stderr, new RegExp(`interrupted by ${signal}: the \\d+ scenario results finished before it are in .*matrix\\.json, marked "interrupted": true`));
    const matrix = JSON.parse(fs.readFileSync(path.join(dir, 'matrix.json'), 'utf8')) as Matrix;
    assert.equal(matrix.interrupted, true);
    // Only finished scenarios, with their own verdicts: the kill of the interruption is nobody's CRASH.
    for (const s of matrix.scenarios) assert.equal(s.status, 'PASS', `${s.id}: ${s.status} ${s.reason ?? ''}`);
    assert.doesNotMatch(fs.readFileSync(path.join(dir, 'junit.xml'), 'utf8'), /stale/);
    if (signal === 'SIGINT') {
      // The pages made from the matrix say so too.
      assert.match(fs.readFileSync(path.join(dir, 'matrix.md'), 'utf8'), /INTERRUPTED: the run was stopped by a signal/);
      assert.match(fs.readFileSync(path.join(dir, 'matrix.html'), 'utf8'), /INTERRUPTED: the run was stopped by a signal/);
    }
    assert.ok(r.afterSignalMs >= 0 && r.afterSignalMs < 20_000, `exit ${r.afterSignalMs} ms after the signal`);
    const left = leftovers(marker);
    assert.deepEqual(left, [], `processes left: ${describePids(left)}`);
    fs.rmSync(dir, { recursive: true, force: true });
  });
}

async function run(args: string[]): Promise<{ code: number; out: string[]; err: string[]; ms: number }> {
  const out: string[] = [];
  const err: string[] = [];
  const started = Date.now();
  const code = await main(['run', ...args], { out: (l) => out.push(l), err: (l) => err.push(l), env: { ...process.env, GITHUB_ACTIONS: '' }, cwd: root });
  return { code, out, err, ms: Date.now() - started };
}

test('an unusable --report-dir is one line and exit 2, before the implementation is started', async () => {
  const marker = freshMarker();
  const dir = tmp();
  const file = path.join(dir, 'a-file');
  fs.writeFileSync(file, '');
  const cases: [string, RegExp][] = [
    [file, /is not a folder; choose another --report-dir \[ERR_ESE_REPORT_DIR\]$/],
    [path.join(file, 'below'), /is not a folder; choose another --report-dir \[ERR_ESE_REPORT_DIR\]$/],
    ['/proc/nope', /cannot create \/proc\/nope \(\w+\); choose a writable folder \[ERR_ESE_REPORT_DIR\]$/],
    ['/proc/self/nope/deeper', /cannot (create|use) /],
  ];
  for (const [reportDir, reason] of cases) {
    const r = await run(['--report-dir', reportDir, '--adapter', 'process', '--', 'node', slowProxy, '0']);
    process.stdout.write(`# wall time: --report-dir ${reportDir}: ${r.ms} ms\n`);
    assert.equal(r.code, 2, reportDir);
    assert.equal(r.err.length, 1, r.err.join('\n'));
    assert.match(r.err[0], /^ese-conformance run: --report-dir /);
    assert.match(r.err[0], reason);
    assert.ok(r.ms < 10_000, `${reportDir}: ${r.ms} ms`);
  }
  assert.deepEqual(leftovers(marker), [], 'nothing was started');
  fs.rmSync(dir, { recursive: true, force: true });
});
