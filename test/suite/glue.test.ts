/**
 * Every step definition is glue (steps/world.ts): glue, not BeforeStep/AfterStep hooks, feeds each
 * scenario's checks ledger and records where it failed, counting the steps it runs; a step that
 * is not glue would shift that count.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { loadConfiguration, loadSupport } from '@cucumber/cucumber/api';

const root = path.join(__dirname, '..', '..');
/** steps/world.ts `glued` (that module registers a World, so it loads only inside a cucumber run). */
const glued = Symbol.for('ese-conformance.glue');

test('every step definition of steps/ is made by glue, and the suite has no step hooks', async () => {
  const sink = new Writable({ write: (_c, _e, done) => done() });
  const { runConfiguration } = await loadConfiguration(
    { file: false, provided: { paths: [path.join(root, 'features')], require: [path.join(root, 'steps', '**', '*.ts')] } },
    { cwd: root, stdout: sink, stderr: sink },
  );
  const library = (await loadSupport({ sources: runConfiguration.sources, support: runConfiguration.support }, { cwd: root })) as unknown as {
    stepDefinitions: readonly { pattern: string | RegExp; uri: string; line: number; code: object }[];
    beforeTestStepHookDefinitions: readonly unknown[];
    afterTestStepHookDefinitions: readonly unknown[];
  };
  assert.ok(library.stepDefinitions.length > 30, `only ${library.stepDefinitions.length} step definitions loaded`);
  const notGlue = library.stepDefinitions.filter((d) => (d.code as Record<symbol, unknown>)[glued] !== true).map((d) => `${d.uri}:${d.line} ${String(d.pattern)}`);
  assert.deepEqual(notGlue, []);
  // Glue does their work; a step hook would run once per step of every scenario.
  assert.equal(library.beforeTestStepHookDefinitions.length, 0);
  assert.equal(library.afterTestStepHookDefinitions.length, 0);
});
