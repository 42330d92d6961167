/**
 * Red team M (docs/mutants.md "Dodges", round 2): under `run --parallel N` an --adapter-module
 * implementation that calls process.exit() ends a worker process, not the run. That is the
 * implementation's CRASH (a serial run makes it a failing exit), never the suite's SUITE_ERROR, and
 * an exit when it is closed, after its scenarios passed, never leaves the run green.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { main } from '../../cli/main';
import type { Matrix } from '../../harness/results';

const root = path.join(__dirname, '..', '..');

async function run(module: string): Promise<{ code: number; err: string[]; matrix: Matrix }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ese-parallel-exit-'));
  const err: string[] = [];
  try {
    const code = await main(['run', '--adapter-module', module, '--tier', 'esent', '--id', 'ES-INVALID-SESID', '--reports', 'minimal', '--report-dir', dir, '--parallel', '2'], {
      out: () => undefined,
      err: (l) => err.push(l),
      env: { ...process.env, GITHUB_ACTIONS: '' },
      cwd: root,
    });
    return { code, err, matrix: JSON.parse(fs.readFileSync(path.join(dir, 'matrix.json'), 'utf8')) as Matrix };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('--parallel 2, a module calling process.exit(0) at its first reset: every scenario CRASH naming the exit, exit 1 (not SUITE_ERROR, exit 2)', async () => {
  const r = await run(path.join(root, 'test', 'fixtures', 'adapter-module', 'exits.js'));
  assert.equal(r.code, 1, r.err.join('\n'));
  assert.ok(r.matrix.scenarios.length > 0);
  for (const s of r.matrix.scenarios) {
    assert.equal(s.status, 'CRASH', `${s.id}: ${s.reason ?? ''}`);
    assert.match(s.reason ?? '', /^(not run: )?the implementation ended parallel worker \d+'s process: process\.exit\(0\) was called in it \(an in-process implementation, --adapter-module\?\), (during this scenario|and no worker was left to run this scenario)$/);
  }
  assert.equal(r.matrix.scenarios.filter((s) => /during this scenario$/.test(s.reason ?? '')).length, 2, 'one scenario in progress per worker');
});

test('--parallel 2, a conforming module calling process.exit(0) when closed: the last scenario of each worker that ran one is CRASH, exit 1', async () => {
  const r = await run(path.join(root, 'test', 'doubles', 'exit-in-close-module.js'));
  assert.equal(r.code, 1, r.err.join('\n'));
  const crashed = r.matrix.scenarios.filter((s) => s.status === 'CRASH');
  assert.ok(crashed.length >= 1 && crashed.length <= 2, crashed.map((s) => s.id).join(', '));
  for (const s of crashed) assert.match(s.reason ?? '', /^CRASH after the scenario's last call: the implementation ended parallel worker \d+'s process: process\.exit\(0\) was called in it/);
  assert.ok(r.matrix.scenarios.every((s) => s.status === 'PASS' || s.status === 'CRASH'));
});
