/**
 * Red team M (docs/mutants.md "Dodges", round 2): a process implementation that answers `shutdown`
 * and then crashes (a signal, a non-zero exit) releasing the last scenario's state passes the run,
 * exit 0, where the same crash during a `reset` is the scenario's CRASH (red team J). Now
 * adapters/process finish() returns it as the last scenario's CRASH.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { main } from '../../cli/main';
import type { Matrix } from '../../harness/results';

const root = path.join(__dirname, '..', '..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ese-shutdown-crash-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

for (const how of ['signal', 'code', 'hang'] as const) {
  test(`a ${how === 'hang' ? 'hang' : `crash (${how})`} after answering shutdown is the last scenario's ${how === 'hang' ? 'TIMEOUT' : 'CRASH'}, exit 1`, async () => {
    const reportDir = path.join(dir, how);
    const err: string[] = [];
    const saved = process.env.SHUTDOWN_CRASH;
    process.env.SHUTDOWN_CRASH = how;
    try {
      const code = await main(['run', '--adapter', 'process', '--tier', 'esent', '--id', 'ES-INVALID-SESID', '--reports', 'minimal', '--report-dir', reportDir, '--timeout-ms', '3000', '--', process.execPath, path.join(root, 'test', 'doubles', 'shutdown-crash.js')], {
        out: () => undefined,
        err: (l) => err.push(l),
        env: { ...process.env, GITHUB_ACTIONS: '' },
        cwd: root,
      });
      const matrix = JSON.parse(fs.readFileSync(path.join(reportDir, 'matrix.json'), 'utf8')) as Matrix;
      const last = matrix.scenarios[matrix.scenarios.length - 1];
      assert.equal(last.status, how === 'hang' ? 'TIMEOUT' : 'CRASH', last.reason);
      assert.match(last.reason ?? '', { signal: /after answering shutdown, the process exited with signal SIGSEGV/, code: /after answering shutdown, the process exited with code 3/, hang: /after answering shutdown, the process did not exit within 3000 ms/ }[how]);
      assert.equal(code, 1, err.join('\n'));
    } finally {
      if (saved === undefined) delete process.env.SHUTDOWN_CRASH;
      else process.env.SHUTDOWN_CRASH = saved;
    }
  });
}

test('the same implementation fails `smoke`, which names the crash after shutdown (the fixture crashes as it says)', async () => {
  const out: string[] = [];
  const saved = process.env.SHUTDOWN_CRASH;
  process.env.SHUTDOWN_CRASH = 'signal';
  try {
    const code = await main(['smoke', '--', process.execPath, path.join(root, 'test', 'doubles', 'shutdown-crash.js')], {
      out: (l) => out.push(l),
      err: (l) => out.push(l),
      env: { ...process.env, GITHUB_ACTIONS: '' },
      cwd: root,
    });
    assert.equal(code, 1, out.join('\n'));
    assert.match(out.join('\n'), /shutdown: exited with signal SIGSEGV after shutdown \(expected 0\)/);
  } finally {
    if (saved === undefined) delete process.env.SHUTDOWN_CRASH;
    else process.env.SHUTDOWN_CRASH = saved;
  }
});
