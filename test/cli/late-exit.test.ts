/**
 * Red team M (docs/mutants.md "Dodges", round 2): an --adapter-module implementation that ends the
 * process AFTER `run` decided its exit code (a timer, a beforeExit or exit handler at shutdown) must
 * not turn a failing run's exit code into 0.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { after, test } from 'node:test';

const root = path.join(__dirname, '..', '..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ese-late-exit-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

for (const how of ['timer', 'beforeExit', 'exit', 'exit-code']) {
  test(`a module whose shutdown ends the process with code 0 late (${how}) leaves the failing run's exit 1, and says so`, () => {
    const r = spawnSync(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', path.join(root, 'cli', 'main.ts'), 'run', '--adapter-module', path.join(root, 'test', 'doubles', 'late-exit-module.js'), '--tier', 'esent', '--id', 'ES-INVALID-SESID', '--reports', 'minimal', '--report-dir', path.join(dir, how)],
      { cwd: root, env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true', GITHUB_ACTIONS: '', LATE_EXIT: how }, encoding: 'utf8', timeout: 240_000 },
    );
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /FAIL esent ES-INVALID-SESID/);
    assert.match(r.stderr, /^ese-conformance: something in this process \(an in-process implementation, --adapter-module\?\) set exit code 0 after the command had ended with exit 1; the exit code stays 1$/m);
  });
}
