/**
 * `ese-conformance list` reads the build's index of the feature files (cli/feature-list.ts) only
 * while the files are the ones it was written from: the same scenarios and tags as parsing them,
 * a matching index is what is used, a changed feature file (or a stale, foreign or missing index)
 * is parsed instead.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { listedScenarios, writeScenarioIndex } from '../../cli/feature-list';
import { indexFeatures } from '../../harness/feature-index';
import { packageRoot } from '../../harness/package-root';

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'ese-list-index-'));
}

test('the index gives the scenarios and tags parsing gives; without one the files are parsed', () => {
  const dir = tmp();
  try {
    const index = writeScenarioIndex(packageRoot, path.join(dir, 'features.index.json'));
    const parsed = indexFeatures(packageRoot);
    const expected = { scenarios: parsed.scenarios.map((s) => ({ id: s.id, tags: s.tags })), errors: parsed.errors };
    assert.ok(expected.scenarios.length > 100, `${expected.scenarios.length} scenarios`);
    const fromIndex = listedScenarios(packageRoot, index);
    assert.deepEqual({ scenarios: fromIndex.scenarios, errors: fromIndex.errors }, expected);
    const none = listedScenarios(packageRoot, path.join(dir, 'missing.json'));
    assert.deepEqual({ scenarios: none.scenarios, errors: none.errors }, expected);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('an index is used only for the feature files it was written from', () => {
  const dir = tmp();
  try {
    const root = path.join(dir, 'pkg');
    fs.mkdirSync(path.join(root, 'features', 'sub'), { recursive: true });
    const feature = path.join(root, 'features', 'sub', 'a.feature');
    fs.writeFileSync(feature, 'Feature: A\n\n  @ES-SUCCESS-IDLE @esent\n  Scenario: one\n    Given nothing\n');
    const file = writeScenarioIndex(root, path.join(dir, 'features.index.json'));
    assert.deepEqual(listedScenarios(root, file).scenarios, [{ id: 'features/sub/a.feature::one', tags: ['@ES-SUCCESS-IDLE', '@esent'] }]);
    // A matching index is what is read: a scenario planted in it shows.
    const written = JSON.parse(fs.readFileSync(file, 'utf8')) as { sha256: string };
    fs.writeFileSync(file, JSON.stringify({ sha256: written.sha256, scenarios: [{ id: 'planted', tags: [] }], errors: [] }));
    assert.deepEqual(listedScenarios(root, file).scenarios, [{ id: 'planted', tags: [] }]);
    // One byte of a feature file changed: the files are parsed, the planted scenario is gone.
    fs.appendFileSync(feature, '\n  @ES-SUCCESS-IDLE\n  Scenario: two\n    Given nothing\n');
    assert.deepEqual(listedScenarios(root, file).scenarios.map((s) => s.id), ['features/sub/a.feature::one', 'features/sub/a.feature::two']);
    // A renamed file with the same text is another set of files too.
    fs.renameSync(feature, path.join(root, 'features', 'sub', 'b.feature'));
    writeScenarioIndex(root, file);
    fs.renameSync(path.join(root, 'features', 'sub', 'b.feature'), feature);
    assert.deepEqual(listedScenarios(root, file).scenarios.map((s) => s.id), ['features/sub/a.feature::one', 'features/sub/a.feature::two']);
    // An index that is not one (truncated, wrong shape) is ignored.
    for (const bad of ['{', '[]', '{"sha256":1}']) {
      fs.writeFileSync(file, bad);
      assert.equal(listedScenarios(root, file).scenarios.length, 2, bad);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
