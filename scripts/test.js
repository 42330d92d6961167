#!/usr/bin/env node
// `npm test`: the system programs the tests need (installed when it can, else named), then the type
// check and every test/**/*.test.ts with node's test runner in two lanes at once (see lanes below;
// Node 20 has no glob for --test, hence this file). Ends with the plain line "N passed, N failed", counting the
// type check as one test; exits non-zero on any failure.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
// A folder named on the command line stands for its test files (node 20's --test runs none of a folder).
const args = process.argv.slice(2);
const only = args.flatMap((a) => (fs.existsSync(a) && fs.statSync(a).isDirectory() ? find(path.resolve(a)).sort() : [a]));
if (args.length > 0 && only.length === 0) {
  process.stdout.write(`no test file in ${args.join(' ')}\n0 passed, 1 failed\n`);
  process.exit(1);
}

function find(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'fixtures' ? [] : find(p);
    return e.name.endsWith('.test.ts') ? [p] : [];
  });
}

let passed = 0;
let failed = 0;

if (only.length === 0) {
  // A fresh machine: the system programs the tests use are installed (root and apt-get) or named.
  const problem = require('./system-packages').ensureSystemPackages((t) => process.stdout.write(t));
  if (problem !== undefined) {
    process.stdout.write(`${problem}\n0 passed, 1 failed\n`);
    process.exit(1);
  }
}

/** The type check, beside the tests (it reads files only); its output is printed after theirs. */
function typecheck() {
  if (only.length > 0) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    let output = '';
    const tsc = spawn(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.json'), '--pretty', 'false'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    tsc.stdout.on('data', (d) => (output += d));
    tsc.stderr.on('data', (d) => (output += d));
    tsc.on('error', (e) => resolve({ status: 1, output: String(e) }));
    tsc.on('close', (status) => resolve({ status, output }));
  });
}

const files = (only.length > 0 ? only : find(path.join(root, 'test')).sort()).map((f) => path.relative(root, f));
fs.mkdirSync(path.join(root, 'reports'), { recursive: true });

/**
 * A full run uses two lanes, each one test file at a time (one file at a time keeps one core of a
 * 2-core CI machine busy: the suite mostly runs inside the test's own process). Lane "timed" holds the files that time what they do (per-call,
 * per-scenario and run budgets, kills, signals, wall-time bounds: test/process/, the interrupt and
 * parallel-run tests), drive Wine, or rebuild dist/ (npm pack): none of them ever runs beside
 * another of them. Lane "other" holds the rest, which share nothing with them (each writes only its
 * own temporary folders). ESE_TEST_LANES=1 (or a single core) runs everything in one lane, as a
 * targeted run does.
 */
const timedPaths = ['test/process/', 'test/cli/interrupt.test.ts', 'test/cli/parallel.test.ts', 'test/bridge/', 'test/packaging/install.test.ts'];
// Long files that time nothing, run in the timed lane so that both lanes end together (CI, 2 cores,
// one run alone: timed 366 s, other 553 s before the first two, about 60 s and 40 s). readme-flows
// (about 80 s, the README's and docs/ci.md's command blocks) went there too, and back when the kill
// matrix stopped idling (492b5cf): timed 612 s, other 487 s with it there. Stop 26 (the Python
// example declares three capabilities): timed 501 s, other 619 s; eslint and the schemas (about 30 s
// each) moved, and the example's fixed-bug run became a partial one (about 40 s less); then timed
// 551 s, other 612 s, and test/suite/reference.test.ts (about 20 s) moved too. Stop 27 (CI at 583 s:
// timed 560 s, other 510 s): timeouts-and-groups (122 s) waits about 75 s less, the example runs the
// whole suite once (about 40 s less), parallel's budget test about 10 s less: timed about 435 s;
// run.test's annotations run narrowed (about 15 s less): other about 495 s; test/cli/late-exit.test.ts
// (about 34 s, exit codes only) moved: about 470 s and 460 s.
const balancePaths = ['test/adoption/example.test.ts', 'test/cucumber/config.test.ts', 'test/lint/eslint.test.ts', 'test/adoption/schemas.test.ts', 'test/suite/reference.test.ts', 'test/cli/late-exit.test.ts'];
const isTimed = (f) => [...timedPaths, ...balancePaths].some((t) => f.replace(/\\/g, '/').startsWith(t));
const oneLane = only.length > 0 || process.env.ESE_TEST_LANES === '1' || require('node:os').availableParallelism() < 2;
const lanes = oneLane
  ? [{ name: 'all', files }]
  : [
      { name: 'timed', files: files.filter(isTimed) },
      { name: 'other', files: files.filter((f) => !isTimed(f)) },
    ].filter((l) => l.files.length > 0);

// One TAP file per lane and run: two runs at once in the same tree must not count each other's results.
const tapOf = (lane) => path.join(root, 'reports', `test-results-${process.pid}-${lane.name}.tap`);
const specOf = (lane) => path.join(root, 'reports', `test-output-${process.pid}-${lane.name}.txt`);
const durationsOf = (lane) => path.join(root, 'reports', `test-durations-${process.pid}-${lane.name}.txt`);

/**
 * Every node process of the run (the lanes, each test file's process, the CLIs, servers and workers
 * the tests start) gets scripts/ts-node-preload.cjs: its `ts-node/register/transpile-only` keeps
 * ts-node's output on disk, so a module is compiled once per run instead of once per process.
 */
const nodeOptions = [process.env.NODE_OPTIONS, `--require ${JSON.stringify(path.join(__dirname, 'ts-node-preload.cjs'))}`].filter(Boolean).join(' ');

function runLane(lane, live) {
  const args = [
    '--require', 'ts-node/register/transpile-only',
    '--test', '--test-concurrency=1',
    '--test-reporter=spec', `--test-reporter-destination=${live ? 'stdout' : specOf(lane)}`,
    '--test-reporter=tap', `--test-reporter-destination=${tapOf(lane)}`,
    `--test-reporter=${path.join(__dirname, 'durations-reporter.js')}`, `--test-reporter-destination=${durationsOf(lane)}`,
    ...lane.files,
  ];
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', live ? 'inherit' : 'ignore', 'inherit'], env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true', NODE_OPTIONS: nodeOptions } });
    child.on('error', (e) => resolve({ lane, status: 1, error: e, seconds: 0 }));
    child.on('close', (status) => resolve({ lane, status, seconds: Math.round((Date.now() - started) / 1000) }));
  });
}

(async () => {
  // The first lane prints as it goes; the other's output follows when it is done.
  const checking = typecheck();
  const results = await Promise.all(lanes.map((lane, i) => runLane(lane, i === 0)));
  const tsc = await checking;
  if (tsc !== undefined) {
    process.stdout.write(`typecheck: tsc -p tsconfig.json: ${tsc.status === 0 ? 'ok' : 'FAILED'}\n${tsc.output}`);
    if (tsc.status === 0) passed++;
    else failed++;
  }
  let tapText = '';
  let durationsText = '';
  let status = 0;
  for (const r of results) {
    if (r.lane !== lanes[0]) {
      const spec = specOf(r.lane);
      if (fs.existsSync(spec)) process.stdout.write(fs.readFileSync(spec, 'utf8'));
      fs.rmSync(spec, { force: true });
    }
    const tap = tapOf(r.lane);
    const text = fs.existsSync(tap) ? fs.readFileSync(tap, 'utf8') : '';
    fs.rmSync(tap, { force: true });
    tapText += text;
    const durations = durationsOf(r.lane);
    if (fs.existsSync(durations)) durationsText += `lane ${r.lane.name}:\n${fs.readFileSync(durations, 'utf8')}`;
    fs.rmSync(durations, { force: true });
    const count = (name) => Number((new RegExp(`^# ${name} (\\d+)$`, 'm').exec(text) || [])[1] || 0);
    passed += count('pass');
    failed += count('fail') + count('cancelled');
    if (r.error !== undefined || (r.status !== 0 && count('fail') + count('cancelled') === 0)) failed++;
    if (r.status !== 0) status = 1;
    if (lanes.length > 1) process.stdout.write(`lane ${r.lane.name}: ${r.lane.files.length} files, ${r.seconds} s\n`);
  }
  // The whole run's TAP, for CI's artifact.
  if (only.length === 0) fs.writeFileSync(path.join(root, 'reports', 'test-results.tap'), tapText);
  // Each file's wall time per lane, slowest first: what balancing the lanes goes by.
  if (only.length === 0) fs.writeFileSync(path.join(root, 'reports', 'test-durations.txt'), durationsText);
  // A run in which no test ran proves nothing: it is a failure, not "0 passed, 0 failed".
  if (passed + failed === 0) {
    process.stdout.write('no test ran: name test files (test/**/*.test.ts) or folders holding them\n');
    failed++;
  }
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  process.exitCode = failed > 0 || status !== 0 ? 1 : 0;
})();
