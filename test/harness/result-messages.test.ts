/**
 * What the runner takes from cucumber's message stream besides the verdicts' order: a verdict
 * attached by reference (a serial run that writes no cucumber format) and the scenarios the
 * features hold per catalogue ID (every pickle cucumber compiled, selected or not).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as messages from '@cucumber/messages';
import { createReferenceImplementation } from '../../adapters/reference';
import { decodeResult, encodeResult, referToResult, ResultCollector, scenarioResultMediaType } from '../../harness/result-messages';
import type { ScenarioResult } from '../../harness/results';
import { indexFeatures } from '../../harness/feature-index';
import { packageRoot, runSuite } from '../../harness/runner';

const verdict: ScenarioResult = { id: 'f::s', catalogueId: 'ES-SUCCESS-IDLE', tier: 'esent', feature: 'f', scenario: 's', line: 1, tags: [], doc: [], status: 'PASS', trace: [] };

test('a verdict attached by reference is read back once, as the object itself; a reference nobody holds is no verdict', () => {
  const body = referToResult(verdict);
  assert.ok(body.length < 40, body);
  assert.equal(decodeResult(body), verdict);
  assert.equal(decodeResult(body), undefined, 'taken out when read: the next read of it finds nothing');
  // JSON is still what a format or a parallel worker gets.
  const json = encodeResult(verdict);
  assert.equal(json, JSON.stringify(verdict));
  assert.deepEqual(decodeResult(json), verdict);
});

test('a collector without the verdict a reference named reports the scenario as a SUITE_ERROR', () => {
  const c = new ResultCollector('esent');
  c.onMessage({ pickle: { id: 'p', uri: 'f', name: 's', language: 'en', steps: [], tags: [{ name: '@esent', astNodeId: 't' }], astNodeIds: [] } });
  c.onMessage({ testCase: { id: 'tc', pickleId: 'p', testSteps: [], testRunStartedId: 'run' } });
  c.onMessage({ testCaseStarted: { id: 's', testCaseId: 'tc', attempt: 0, timestamp: { seconds: 0, nanos: 0 } } });
  c.onMessage({ attachment: { testCaseStartedId: 's', mediaType: scenarioResultMediaType, body: '{"verdictInProcess":-1}', contentEncoding: 'IDENTITY' as messages.AttachmentContentEncoding } });
  assert.equal(c.verdicts()[0]?.status, 'SUITE_ERROR');
});

test("the scenarios the features hold per ID and tier come from cucumber's pickles, selected or not", async () => {
  const { matrix } = await runSuite({ impl: createReferenceImplementation(), adapterName: 'reference', tiers: ['esent'], ids: ['ES-SESSION-IN-USE'], tags: 'not @needs:threads' });
  const selected = matrix.scenarios.length;
  assert.ok(selected > 0);
  // Every other esent scenario of a catalogue ID is counted as not run: as many as a parse of the features finds.
  const ids = new Set(matrix.ids.map((r) => r.id));
  const held = indexFeatures(packageRoot).scenarios.filter((s) => s.tags.includes('@esent') && s.tags.some((t) => ids.has(t.slice(1)))).length;
  assert.equal(matrix.selection?.scenariosNotRun, held - selected);
  assert.equal(matrix.selection?.complete, false);
  assert.ok(matrix.scenarios.every((s) => s.status === 'PASS'));
});
