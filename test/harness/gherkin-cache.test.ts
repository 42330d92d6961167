/**
 * Feature files are parsed once per process (harness/gherkin-cache.ts): a second run of the same
 * files gives the same verdicts from the kept parse, and a run after a file was edited parses it
 * afresh (a stale parse would run scenarios the features no longer hold).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createReferenceImplementation } from '../../adapters/reference';
import { gherkinCacheStats, parseFeaturesOnce } from '../../harness/gherkin-cache';
import type { ScenarioResult } from '../../harness/results';
import { packageRoot, runSuite } from '../../harness/runner';

const verdicts = (rs: readonly ScenarioResult[]) => rs.map((r) => ({ id: r.id, scenario: r.scenario, line: r.line, status: r.status, reason: r.reason, trace: r.trace }));

async function run(dir: string): Promise<readonly ScenarioResult[]> {
  const impl = createReferenceImplementation();
  try {
    return (await runSuite({ impl, adapterName: 'reference', tiers: ['esent'], paths: [dir] })).matrix.scenarios;
  } finally {
    await impl.close();
  }
}

test('a second run of the same feature files uses the kept parse and gives the same verdicts; an edited file is parsed again', async () => {
  assert.equal(parseFeaturesOnce(), true, "cucumber's parse entry is wrapped");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ese-gherkin-cache-'));
  try {
    const file = path.join(dir, 'durability.feature');
    const text = fs.readFileSync(path.join(packageRoot, 'features', 'durability.feature'), 'utf-8');
    fs.writeFileSync(file, text);

    const parsed = gherkinCacheStats.parsed;
    const first = await run(dir);
    assert.equal(first.length, 3);
    assert.ok(first.every((r) => r.status === 'PASS'));
    assert.equal(gherkinCacheStats.parsed, parsed + 1);

    const reused = gherkinCacheStats.reused;
    const second = await run(dir);
    assert.equal(gherkinCacheStats.reused, reused + 1, 'the second run took the kept parse (cucumber called the wrapped entry)');
    assert.equal(gherkinCacheStats.parsed, parsed + 1);
    assert.deepEqual(verdicts(second), verdicts(first));

    // Same length, one scenario renamed and its steps moved down a line: the edit must show.
    const edited = text.replace('Scenario: A temp table opened on the slot', '\n  Scenario: Renamed: a temp table opened on the slot');
    assert.notEqual(edited, text);
    fs.writeFileSync(file, edited);
    const third = await run(dir);
    assert.equal(gherkinCacheStats.parsed, parsed + 2, 'the edited file was parsed again');
    assert.equal(third.length, 3);
    assert.ok(third.some((r) => r.scenario.startsWith('Renamed: ')));
    assert.deepEqual(
      third.map((r) => r.line),
      first.map((r, i) => (i === 2 ? r.line + 1 : r.line)),
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
