#!/usr/bin/env node
// `npm test`: the system programs the tests need (installed when it can, else named), the type
// check, then every test/**/*.test.ts with node's test runner (Node 20 has no
// glob for --test, hence this file). Ends with the plain line "N passed, N failed", counting the
// type check as one test; exits non-zero on any failure.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const only = process.argv.slice(2);

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
  process.stdout.write('typecheck: tsc -p tsconfig.json\n');
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.json')], { stdio: 'inherit' });
  if (tsc.status === 0) passed++;
  else failed++;
}

const files = (only.length > 0 ? only : find(path.join(root, 'test')).sort()).map((f) => path.relative(root, f));
fs.mkdirSync(path.join(root, 'reports'), { recursive: true });
// One file per run: two runs at once in the same tree must not count each other's results.
const tap = path.join(root, 'reports', only.length > 0 ? `test-results-${process.pid}.tap` : 'test-results.tap');
const run = spawnSync(
  process.execPath,
  [
    '--require', 'ts-node/register/transpile-only',
    '--test', '--test-concurrency=1',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`,
    ...files,
  ],
  { cwd: root, stdio: 'inherit', env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' } },
);
const text = fs.existsSync(tap) ? fs.readFileSync(tap, 'utf8') : '';
const count = (name) => Number((new RegExp(`^# ${name} (\\d+)$`, 'm').exec(text) || [])[1] || 0);
passed += count('pass');
failed += count('fail') + count('cancelled');
if (run.status !== 0 && count('fail') + count('cancelled') === 0) failed++;
if (only.length > 0) fs.rmSync(tap, { force: true });
process.stdout.write(`${passed} passed, ${failed} failed\n`);
process.exitCode = failed > 0 || run.status !== 0 ? 1 : 0;
