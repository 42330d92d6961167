/**
 * A process that exits at `shutdown` without answering it (protocol section 11: answer ok, release
 * everything, then exit 0). It used to pass `run` (only `smoke` flagged it): the adapter took a
 * missing answer as an exit that raced it. No answer is read as a missing one (an exit's lines are
 * read before it counts), so an exit 0 without it is the last scenario's PROTOCOL_ERROR, and a
 * crash instead its CRASH.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { openProcessImplementation, type ProcessImplementation } from '../../adapters/process/adapter';
import { main } from '../../cli/main';
import type { Matrix } from '../../harness/results';

const root = path.join(__dirname, '..', '..');
const fixture = path.join(root, 'test', 'fixtures', 'hostile', 'silent-shutdown.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ese-silent-shutdown-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

async function finished(command: string[]) {
  const impl = await openProcessImplementation({ command, timeoutMs: 5000 });
  if ('error' in impl) assert.fail(impl.error);
  assert.deepEqual(await impl.reset(), { kind: 'ok' });
  return (impl as ProcessImplementation).finish();
}

test('finish(): an exit 0 at shutdown without the answer is a protocol violation that says so', async () => {
  const fault = await finished([process.execPath, fixture]);
  assert.equal(fault?.kind, 'protocol-error');
  assert.match(fault?.reason ?? '', /^shutdown: the process exited with code 0 without answering it \(protocol section 11/);
});

test('finish(): an exit 3 at shutdown without the answer is a crash', async () => {
  const fault = await finished([process.execPath, fixture, '3']);
  assert.equal(fault?.kind, 'crash');
  assert.match(fault?.reason ?? '', /^shutdown: .*the process exited with code 3/);
});

test('finish(): an implementation that answers shutdown and exits 0 has no fault', async () => {
  assert.equal(await finished([process.execPath, '-r', 'ts-node/register/transpile-only', path.join(root, 'cli', 'main.ts'), 'serve-reference']), undefined);
});

test('run: the last scenario is PROTOCOL_ERROR (every other passes), exit 1; smoke names the missing answer', async () => {
  const reportDir = path.join(dir, 'run');
  const err: string[] = [];
  const io = { out: () => undefined, err: (l: string) => err.push(l), env: { ...process.env, GITHUB_ACTIONS: '' }, cwd: root };
  const code = await main(['run', '--adapter', 'process', '--tier', 'esent', '--id', 'ES-INVALID-SESID', '--reports', 'minimal', '--report-dir', reportDir, '--', process.execPath, fixture], io);
  const matrix = JSON.parse(fs.readFileSync(path.join(reportDir, 'matrix.json'), 'utf8')) as Matrix;
  const last = matrix.scenarios[matrix.scenarios.length - 1];
  assert.deepEqual(matrix.scenarios.slice(0, -1).filter((s) => s.status !== 'PASS').map((s) => `${s.status} ${s.id}`), []);
  assert.equal(last.status, 'PROTOCOL_ERROR', last.reason);
  assert.match(last.reason ?? '', /exited with code 0 without answering it/);
  assert.equal(code, 1, err.join('\n'));
  const out: string[] = [];
  const smoke = await main(['smoke', '--', process.execPath, fixture], { ...io, out: (l) => out.push(l), err: (l) => out.push(l) });
  assert.equal(smoke, 1, out.join('\n'));
  assert.match(out.join('\n'), /shutdown: exited with code 0 without answering shutdown/);
});
