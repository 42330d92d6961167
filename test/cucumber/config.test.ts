/**
 * cucumber.js at the package root: `npx cucumber-js` runs the features with the same checks and
 * verdicts as `ese-conformance run`. A run against the reference passes; a run against the
 * example implementation fails on its deliberate bug, with the status, the tier and the codes; a
 * profile that names no adapter (Stryker's) leaves the run state to its own support file.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const root = path.resolve(__dirname, '..', '..');
const cucumberBin = path.join(root, 'node_modules', '@cucumber', 'cucumber', 'bin', 'cucumber.js');

function cucumber(args: readonly string[], env: NodeJS.ProcessEnv = {}): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [cucumberBin, ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, ...env, TS_NODE_TRANSPILE_ONLY: 'true' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('npx cucumber-js (cucumber.js)', () => {
  it('runs one catalogue ID against the reference engine and passes, with the score as run counts it', () => {
    const r = cucumber(['--tags', '@ES-SESSION-IN-USE']);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /\n(\d+) scenarios \(\1 passed\)/);
    assert.match(r.err, /esent: 1\/1 applicable IDs pass/);
  });

  it('checks the documented-only IDs in the documented tier', () => {
    const r = cucumber(['-p', 'documented', '--tags', '@ES-NOT-INITIALIZED']);
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.err, /documented: 1\/1 applicable IDs pass/);
    assert.doesNotMatch(r.out, /undefined/);
  });

  it('fails on the example implementation\'s deliberate bug, naming status, tier and codes', () => {
    const r = cucumber(['-p', 'process', '-p', 'esent', '--tags', '@ES-AFTER-TERM'], {
      ESE_COMMAND: `python3 ${path.join(root, 'examples', 'python-adapter', 'adapter.py')}`,
    });
    assert.equal(r.code, 1, r.out + r.err);
    // The after-term bug fails its 4 scenarios (examples/python-adapter/README.md); the ID's others pass.
    assert.match(r.out, /\n\d+ scenarios \(4 failed, \d+ passed\)/);
    assert.match(r.err, /esent: 0\/1 applicable IDs pass/);
    assert.match(r.err, /FAIL \[esent\] ES-AFTER-TERM features\/handles-and-instance\.feature:\d+: .*expected .*-1104.*actual .*-1029/);
  });

  it('writes cucumber formats, and each step\'s text once', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ese-cucumber-'));
    try {
      const file = path.join(dir, 'r.ndjson');
      const r = cucumber(['--tags', '@ES-SESSION-IN-USE', '--format', `message:${file}`]);
      assert.equal(r.code, 0, r.out + r.err);
      type Step = { stepMatchArgumentsLists?: { stepMatchArguments: { group: { value?: string } }[] }[] };
      const envelopes = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { testCase?: { testSteps: Step[] } });
      // An optional regex group that did not match becomes an argument with no value: cucumber's
      // HTML then prints the step's text once per such argument.
      const empty = envelopes
        .flatMap((e) => e.testCase?.testSteps ?? [])
        .flatMap((s) => s.stepMatchArgumentsLists ?? [])
        .flatMap((l) => l.stepMatchArguments)
        .filter((a) => a.group.value === undefined);
      assert.deepEqual(empty, [], 'no step argument without a value');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports a plain FAIL with its message and codes, without the suite\'s stack frames', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ese-cucumber-'));
    try {
      const file = path.join(dir, 'r.ndjson');
      const r = cucumber(['-p', 'process', '-p', 'esent', '--tags', '@ES-AFTER-TERM', '--format', `message:${file}`], {
        ESE_COMMAND: `python3 ${path.join(root, 'examples', 'python-adapter', 'adapter.py')}`,
      });
      assert.equal(r.code, 1, r.out + r.err);
      type Finished = { testStepFinished?: { testStepResult: { status: string; message?: string; exception?: { stackTrace?: string } } } };
      const failed = fs
        .readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Finished)
        .flatMap((e) => (e.testStepFinished?.testStepResult.status === 'FAILED' ? [e.testStepFinished.testStepResult] : []));
      assert.ok(failed.length >= 2, `failed steps: ${failed.length}`);
      for (const f of failed) {
        assert.match(f.message ?? '', /expected: JET_errInvalidSesid \(-1104\)/);
        assert.doesNotMatch(`${f.message ?? ''}\n${f.exception?.stackTrace ?? ''}`, /\n\s+at /, 'no stack frames');
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names every Before hook (Allure shows an unnamed one as a set-up step called "Unknown test")', async () => {
    const api = await import('@cucumber/cucumber/api');
    const { runConfiguration } = await api.loadConfiguration({ profiles: ['default'] }, { cwd: root });
    const library = await api.loadSupport(runConfiguration, { cwd: root });
    // The API types the library opaquely; its hook definitions are plain data.
    const befores = (library as unknown as { beforeTestCaseHookDefinitions: { name?: string; uri: string; line: number }[] }).beforeTestCaseHookDefinitions;
    assert.ok(befores.length > 0);
    assert.deepEqual(befores.filter((h) => h.name === undefined || h.name === '').map((h) => `${h.uri}:${h.line}`), []);
  });

  it('leaves the run state alone under a profile that names no adapter (Stryker\'s)', () => {
    const r = cucumber(['-p', 'mutation', '--tags', '@ES-SESSION-IN-USE']);
    assert.equal(r.code, 0, r.out + r.err);
    assert.doesNotMatch(r.err, /cucumber-js, adapter/);
  });

  it('points editors at the same features and step definitions (VS Code Cucumber extension)', () => {
    const settings = JSON.parse(fs.readFileSync(path.join(root, '.vscode', 'settings.json'), 'utf8')) as Record<string, string[]>;
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- cucumber's own config file, CommonJS
    const config = (require(path.join(root, 'cucumber.js')) as { default: { paths: string[]; require: string[] } }).default;
    assert.deepEqual(settings['cucumber.features'], config.paths);
    assert.deepEqual(settings['cucumber.glue'], config.require);
  });

  it('names what to fix when the process profile has no command: one line, exit 2, no stack frames', () => {
    const r = cucumber(['-p', 'process', '--tags', '@ES-SESSION-IN-USE'], { ESE_COMMAND: '' });
    assert.equal(r.code, 2, r.out + r.err);
    assert.match(r.err, /^ese-conformance: the process adapter needs a command: ESE_COMMAND=.*\n$/);
    assert.doesNotMatch(r.out + r.err, /\n\s+at /);
  });

  it('prints one score for a --parallel run, counted over every worker\'s scenarios (as a serial run counts)', () => {
    const tags = ['--tags', '@ES-SESSION-IN-USE or @ES-AFTER-TERM or @ES-NOT-INITIALIZED'];
    const scores = (err: string) => err.split('\n').filter((l) => /applicable IDs pass|cucumber-js, adapter/.test(l));
    const serial = cucumber(tags);
    const parallel = cucumber(['--parallel', '2', ...tags]);
    assert.equal(serial.code, 0, serial.out + serial.err);
    assert.equal(parallel.code, 0, parallel.out + parallel.err);
    assert.deepEqual(scores(parallel.err), scores(serial.err));
    assert.deepEqual(scores(serial.err).slice(1), ['  documented: 2/2 applicable IDs pass (2 IDs selected)', '  esent: 2/2 applicable IDs pass (2 IDs selected)']);
  });
  it('counts a scenario whose steps passed but whose verdict is no PASS as failed, and exits 1 (run: SUITE_ERROR, exit 2)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ese-cucumber-verdicts-'));
    const file = path.join(dir, 'unchecked.feature');
    fs.writeFileSync(file, `Feature: a verdict cucumber must not count as passed

  @ES-SUCCESS-IDLE @esent
  Scenario: verdict-check one end
    Given an initialized instance
    And session s1
    When s1 is ended with grbit 0
    Then the call returns JET_errSuccess

  @ES-SUCCESS-IDLE @esent
  Scenario: verdict-check no check after the call
    Given an initialized instance
    And session s1
    When s1 is ended with grbit 0
`);
    try {
      const r = cucumber([file, '--name', '^verdict-check ']);
      assert.equal(r.code, 1, r.out + r.err);
      assert.match(r.out, /2 scenarios \(1 failed, 1 passed\)/);
      assert.match(r.out, /Error: SUITE_ERROR: the scenario ran no check after: s1 is ended with grbit 0/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
