/**
 * `ese-conformance run --help` prints the command's own usage text without loading the run's module
 * graph (cucumber, the adapters, the reports): measured in a fresh process, where require.cache holds
 * exactly what the help loaded.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { test } from 'node:test';
import { command } from '../../cli/commands/run';

const root = path.join(__dirname, '..', '..');

/** The help's output and the modules of this repository and node_modules it loaded, from a fresh node. */
function helpIn(args: readonly string[]): { out: string; loaded: string[] } {
  const script = `
    const { main } = require('./cli/main');
    let out = '';
    main(${JSON.stringify(args)}, { out: (l) => { out += l + '\\n'; }, err: () => {}, env: {}, cwd: '.' }).then((code) => {
      const loaded = Object.keys(require.cache).filter((f) => !f.includes('ts-node') && !f.includes('typescript'));
      process.stdout.write(JSON.stringify({ code, out, loaded }));
    });`;
  const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  const parsed = JSON.parse(r.stdout) as { code: number; out: string; loaded: string[] };
  assert.equal(parsed.code, 0);
  return { out: parsed.out, loaded: parsed.loaded.map((f) => path.relative(root, f)) };
}

test('run --help prints the run command\'s usage, byte for byte, without loading cucumber, the adapters or the reports', () => {
  for (const flag of ['--help', '-h']) {
    const { out, loaded } = helpIn(['run', flag]);
    assert.equal(out, command.usage + '\n');
    const heavy = loaded.filter((f) => /@cucumber|allure|^(adapters\/index|harness\/runner|reporting\/(?!usage-error\.ts)|steps\/|oracle\/)|cli\/commands\/run\.ts$/.test(f));
    assert.deepEqual(heavy, [], `run ${flag} loaded ${heavy.join(', ')}`);
  }
});

test('the command list names run with the same summary as the command', () => {
  const { out } = helpIn(['--help']);
  assert.match(out, new RegExp(`\\n  run {14}${command.summary}\\n`));
});
