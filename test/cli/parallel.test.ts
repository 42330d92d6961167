/**
 * Issue 15 item 3: `run --parallel N` runs the scenarios in cucumber's worker processes, each with
 * its own implementation, and collects the verdicts from cucumber's message stream: the matrix is
 * the serial run's (minus its timings), for a conforming and for a failing implementation; a
 * process implementation's timeouts and process groups hold per worker, and an interrupted
 * parallel run leaves no process behind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../cli/main';
import type { Matrix } from '../../harness/results';
import { describePids, freshMarker, leftovers } from '../process/helpers/leftovers';
import { applicable } from '../process/helpers/applicable';
import { workerPids } from '../../cli/workers';

const root = path.join(__dirname, '..', '..');
const hostile = (name: string) => path.join(root, 'test', 'fixtures', 'hostile', `${name}.js`);

interface Run {
  readonly code: number;
  readonly err: string[];
  readonly matrix?: Matrix;
}

async function run(args: readonly string[]): Promise<Run> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ese-parallel-'));
  const err: string[] = [];
  try {
    const code = await main(['run', '--reports', 'minimal', '--report-dir', dir, ...args], {
      out: () => undefined,
      err: (l) => err.push(l),
      env: { ...process.env, GITHUB_ACTIONS: '' },
      cwd: root,
    });
    const file = path.join(dir, 'matrix.json');
    return { code, err, ...(fs.existsSync(file) ? { matrix: JSON.parse(fs.readFileSync(file, 'utf8')) as Matrix } : {}) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** matrix.json without what differs from run to run (when it started, how long it took). */
function timeless(m: Matrix | undefined): Omit<Matrix, 'startedAt' | 'durationMs'> {
  assert.ok(m !== undefined, 'matrix.json written');
  const { startedAt: _s, durationMs: _d, ...rest } = m;
  return rest;
}

/** Serial and --parallel 2 give the same exit code and the same matrix, scenario by scenario. */
async function sameAsSerial(args: readonly string[]): Promise<Matrix> {
  const serial = await run(args);
  const parallel = await run([...args, '--parallel', '2']);
  assert.equal(parallel.code, serial.code, `exit codes (serial stderr: ${serial.err.join(' | ')}; parallel: ${parallel.err.join(' | ')})`);
  const a = timeless(serial.matrix);
  const b = timeless(parallel.matrix);
  assert.equal(b.scenarios.length, a.scenarios.length, 'as many scenario results');
  // Scenario by scenario first: a difference names the scenario.
  a.scenarios.forEach((s, i) => assert.deepEqual(b.scenarios[i], s, `scenario ${i}: ${s.id} [${s.tier}]`));
  assert.deepEqual(b, a);
  return serial.matrix!;
}

test('--parallel 2 against the reference: the serial run\'s matrix, every tier', async () => {
  const m = await sameAsSerial([]);
  assert.ok(m.scenarios.length > 200, `${m.scenarios.length} scenario results`);
  assert.ok(m.scenarios.every((s) => s.status === 'PASS'), 'the reference passes');
});

test('--parallel 2 against a failing implementation (an in-process mutant): the serial run\'s matrix, FAILs and all', async () => {
  const m = await sameAsSerial(['--tier', 'esent', '--adapter', 'mutant:session-slot-leaked']);
  const failing = m.scenarios.filter((s) => s.status === 'FAIL');
  assert.ok(failing.length > 0, 'the mutant fails scenarios (the comparison is not of passes only)');
  assert.ok(failing.every((s) => s.failedStep !== undefined && s.reason !== undefined), 'each FAIL names its step and reason');
});

test('--parallel 2 through the process adapter: each worker starts its own implementation, whose timeouts hold; none is left', async () => {
  const marker = freshMarker();
  const m = await sameAsSerial(['--tier', 'documented', '--id', 'ES-SUCCESS-IDLE', '--id', 'ES-AFTER-TERM', '--adapter', 'process', '--timeout-ms', '1000', '--', 'node', hostile('never-answer')]);
  for (const s of applicable(m.scenarios, 3)) {
    assert.equal(s.status, 'TIMEOUT', `${s.id}: ${s.status} ${s.reason ?? ''}`);
    assert.match(s.reason ?? '', /no answer within 1000 ms/);
  }
  const left = leftovers(marker);
  assert.deepEqual(left, [], `processes left: ${describePids(left)}`);
  assert.deepEqual(workerPids(), [], 'no cucumber worker left');
});

test('--parallel: a bad number of workers is one line and exit 2', async () => {
  for (const n of ['0', '-1', 'two', '1.5', '65']) {
    const r = await run([`--parallel=${n}`]);
    assert.equal(r.code, 2, n);
    assert.equal(r.err.length, 1, r.err.join('\n'));
    assert.match(r.err[0], new RegExp(`--parallel ${n.replace('.', '\\.')}: give a number of workers from 1 to 64`));
  }
});

test('SIGINT during --parallel 2: workers and their implementations stopped, a partial matrix marked interrupted, exit 130', async () => {
  const marker = freshMarker();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ese-parallel-int-'));
  const args = ['run', '--reports', 'minimal', '--report-dir', dir, '--tier', 'documented', '--id', 'ES-AFTER-TERM', '--id', 'ES-SUCCESS-IDLE', '--parallel', '2', '--adapter', 'process', '--', 'node', hostile('slow-proxy'), '200'];
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(root, 'cli', 'main.ts'), ...args], {
    cwd: root,
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true', GITHUB_ACTIONS: '' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const proxies = () => leftovers(marker).filter((p) => fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('slow-proxy'));
  // Signalled once both workers' implementations (and the first, closed, one) have been started.
  const code = await new Promise<number | null>((resolve) => {
    let seen = new Set<number>();
    const poll = setInterval(() => {
      try {
        seen = new Set([...seen, ...proxies()]);
      } catch {
        // a process went away while being read
      }
      if (seen.size >= 3) {
        clearInterval(poll);
        setTimeout(() => child.kill('SIGINT'), 3_000);
      }
    }, 200);
    child.on('exit', (c) => {
      clearInterval(poll);
      resolve(c);
    });
  });
  assert.equal(code, 130, stderr);
  assert.match(stderr, /interrupted by SIGINT: the \d+ scenario results finished before it are in .*matrix\.json, marked "interrupted": true/);
  const matrix = JSON.parse(fs.readFileSync(path.join(dir, 'matrix.json'), 'utf8')) as Matrix;
  assert.equal(matrix.interrupted, true);
  for (const s of matrix.scenarios) assert.equal(s.status, 'PASS', `${s.id}: ${s.status} ${s.reason ?? ''}`);
  const left = leftovers(marker);
  assert.deepEqual(left, [], `processes left: ${describePids(left)}`);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('--budget with --parallel 2 bounds the whole run: every worker stops when the run\'s budget is used up; none is left', async () => {
  const marker = freshMarker();
  const started = Date.now();
  const r = await run(['--tier', 'documented', '--id', 'ES-INVALID-SESID', '--adapter', 'process', '--budget', '10s', '--parallel', '2', '--', 'node', hostile('slow-proxy'), '200']);
  const ms = Date.now() - started;
  assert.equal(r.code, 1, r.err.join('\n'));
  const scenarios = r.matrix?.scenarios ?? [];
  // Each worker gets what is left of the run's budget when it starts (whole seconds), and says so;
  // a worker that starts after it is used up runs nothing.
  const notRun = scenarios.filter((s) => /not run: the run's time budget \(--budget(, \d+ (s|min))?\) was used up/.test(s.reason ?? ''));
  assert.ok(notRun.length >= 2, scenarios.map((s) => `${s.status} ${s.reason ?? ''}`).join('\n'));
  for (const s of notRun) assert.equal(s.status, 'TIMEOUT');
  // The budget, plus starting the run and its workers from source on a busy machine.
  assert.ok(ms < 65_000, `took ${ms} ms`);
  const left = leftovers(marker);
  assert.deepEqual(left, [], `processes left: ${describePids(left)}`);
});

test('--parallel 2, a protocol violation after a worker\'s last call: that worker\'s last scenario is PROTOCOL_ERROR, and no stack frame reaches the terminal', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ese-parallel-'));
  try {
    // A child process: cucumber's workers print to the stderr they inherit, not through main's err.
    const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(root, 'cli', 'main.ts'), 'run', '--reports', 'minimal', '--report-dir', dir,
      '--tier', 'esent', '--id', 'ES-SUCCESS-IDLE', '--parallel', '2', '--adapter', 'process', '--', 'node', hostile('repeat-last-answer'), 'shutdown'], {
      cwd: root, encoding: 'utf8', timeout: 120_000, env: { ...process.env, GITHUB_ACTIONS: '', TS_NODE_TRANSPILE_ONLY: 'true' },
    });
    assert.equal(r.status, 1, r.stdout + r.stderr);
    const m = JSON.parse(fs.readFileSync(path.join(dir, 'matrix.json'), 'utf8')) as Matrix;
    const late = m.scenarios.filter((s) => s.status === 'PROTOCOL_ERROR');
    assert.ok(late.length >= 1, JSON.stringify(m.scenarios.map((s) => s.status)));
    for (const s of late) assert.match(s.reason ?? '', /^PROTOCOL_ERROR after the scenario's last call: got a second answer/);
    assert.doesNotMatch(r.stderr, /\n\s+at |late fault|hook errored/, r.stderr);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
