/**
 * run --adapter-module: a user's own adapter module is loaded (createImplementation or a default
 * export) and is what the suite judges; a missing or bad module is one line and exit 2.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { after, test } from 'node:test';
import { main } from '../../cli/main';
import type { CliIo } from '../../cli/command';

const fixtures = path.join(__dirname, '..', 'fixtures', 'adapter-module');
const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'ese-adapter-module-'));
after(() => fs.rmSync(cwd, { recursive: true, force: true }));

function io(): CliIo & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l), env: {}, cwd };
}

function readMatrix(dir: string): { adapter: string; scenarios: { status: string }[] } {
  return JSON.parse(fs.readFileSync(path.join(dir, 'matrix.json'), 'utf8')) as { adapter: string; scenarios: { status: string }[] };
}

const one = ['--tier', 'esent', '--id', 'ES-INVALID-SESID', '--reports', 'minimal'];

test('a module exporting createImplementation runs the suite and is named in matrix.json', async () => {
  const out = io();
  const dir = path.join(cwd, 'ok');
  const code = await main(['run', '--adapter-module', path.relative(cwd, path.join(fixtures, 'my-adapter.js')), ...one, '--report-dir', dir], out);
  assert.equal(code, 0, out.errors.join('\n'));
  const matrix = readMatrix(dir);
  assert.match(matrix.adapter, /^module:.*my-adapter\.js$/);
  assert.ok(matrix.scenarios.length > 0);
  assert.ok(matrix.scenarios.every((s) => s.status === 'PASS'));
});

test("a default export is used too, and its implementation is the one judged (a lax JetEndSession FAILs)", async () => {
  const out = io();
  const dir = path.join(cwd, 'lax');
  const code = await main(['run', '--adapter-module', path.join(fixtures, 'lax-endsession.js'), ...one, '--report-dir', dir], out);
  assert.equal(code, 1, out.errors.join('\n'));
  const statuses = new Set(readMatrix(dir).scenarios.map((s) => s.status));
  assert.ok(statuses.has('FAIL') && !statuses.has('CRASH'), [...statuses].join(', '));
});

for (const [name, file, pattern] of [
  ['a missing module', 'no-such-adapter.js', /^ese-conformance run: --adapter-module no-such-adapter\.js: no such module \(/],
  ['a module with no createImplementation', path.join(fixtures, 'no-export.js'), /no-export\.js: export createImplementation\(options\) or a default export returning an Implementation \[ERR_ESE_ADAPTER_MODULE\]$/],
  ['a module that throws while loading', path.join(fixtures, 'throws-on-load.js'), /throws-on-load\.js: loading it failed: my adapter needs MY_ENGINE_PATH \[ERR_ESE_ADAPTER_MODULE\]$/],
  ['a module returning no Implementation', path.join(fixtures, 'not-an-implementation.js'), /did not start: the Implementation it returned has no reset, call, close method/],
  ['a module declaring in-flight without hold', path.join(fixtures, 'declares-in-flight.js'), /did not start: its info declares in-flight but it has no hold, release method/],
] as const) {
  test(`${name} is one line and exit 2`, async () => {
    const out = io();
    const code = await main(['run', '--adapter-module', file, ...one, '--report-dir', path.join(cwd, 'bad')], out);
    assert.equal(code, 2);
    assert.equal(out.errors.length, 1, out.errors.join('\n'));
    assert.match(out.errors[0], pattern);
    assert.doesNotMatch(out.errors[0], /\n|    at /);
  });
}

test('--adapter-module with --adapter is a usage error', async () => {
  const out = io();
  assert.equal(await main(['run', '--adapter', 'reference', '--adapter-module', 'x.js', '--report-dir', 'r'], out), 2);
  assert.match(out.errors.join('\n'), /--adapter-module x\.js replaces --adapter: give one of them/);
});

test('an in-process implementation that calls process.exit() (code 0) mid-run ends the run with exit 1 and a line saying so, never a silent 0', () => {
  // In a process of its own: the exit ends whatever process runs the suite.
  const dir = path.join(cwd, 'exits');
  const root = path.join(__dirname, '..', '..');
  const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(root, 'cli', 'main.ts'), 'run', '--adapter-module', path.join(fixtures, 'exits.js'), ...one, '--report-dir', dir], {
    cwd: root,
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true', GITHUB_ACTIONS: '' },
    encoding: 'utf8',
  });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /^ese-conformance run: the process exited \(code 0\) before the run finished, after 0 scenario results: .*called process\.exit.*; no matrix was written; exit 1$/m);
  assert.equal(fs.existsSync(path.join(dir, 'matrix.json')), false);
});
