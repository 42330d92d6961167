/**
 * The reports show what the suite could not judge and what it did not run: a SUITE_ERROR is an
 * error in JUnit and a failure in the Markdown; a partial run says so next to its scores.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import type { Matrix, ScenarioResult } from '../../harness/results';
import { summarise } from '../../harness/results';
import { renderJunit } from '../../reporting/junit';
import { renderMatrixMarkdown } from '../../reporting/matrix-md';
import { renderMatrixHtml } from '../../reporting/matrix-html';
import { scoreText, selectionText } from '../../reporting/matrix-model';
import { scoreLine } from '../../reporting/score';
import { summaryLines as standaloneSummary } from '../../harness/standalone-summary';

const catalogue = [
  { id: 'ES-SUCCESS-IDLE', group: 'Success', deviates: false, tiers: ['esent'] as const },
  { id: 'ES-HANDLE-CLOSED', group: 'Success', deviates: false, tiers: ['esent'] as const },
  { id: 'ES-STOP-SERVICE', group: 'Instance', deviates: true, tiers: ['esent'] as const },
];

function scenario(catalogueId: string, status: ScenarioResult['status'], reason?: string): ScenarioResult {
  return { id: `features/x.feature::${catalogueId} ${status}`, catalogueId, tier: 'esent', feature: 'features/x.feature', scenario: `${catalogueId} ${status}`, line: 3, tags: [], doc: [], status, trace: [], ...(reason ? { reason } : {}) };
}

function matrix(scenarios: ScenarioResult[], available: number, tags: string | null): Matrix {
  const { ids, scores, scenariosNotRun } = summarise(scenarios, catalogue, ['esent'], () => available);
  return {
    schemaVersion: 1,
    suite: { name: 'ese-conformance', version: '0' },
    catalogueVersion: '1.0',
    adapter: 'reference',
    implementation: { name: 'impl', version: '1', target: 'current', pointerWidth: 64, capabilities: [] },
    tiers: ['esent'],
    startedAt: '2026-12-05T00:00:00.000Z',
    durationMs: 1,
    selection: { ids: [], tags, scenariosNotRun, complete: scenariosNotRun === 0 },
    scores,
    ids,
    scenarios,
  };
}

test('a SUITE_ERROR is a JUnit error with its status and reason, and listed under the Markdown failures', () => {
  const m = matrix([scenario('ES-SUCCESS-IDLE', 'SUITE_ERROR', 'no by-tier table before this step declares the outcome "ended"'), scenario('ES-HANDLE-CLOSED', 'PASS'), scenario('ES-STOP-SERVICE', 'PASS')], 1, null);
  const xml = renderJunit(m);
  assert.match(xml, /<error message="SUITE_ERROR: no by-tier table[^"]*" type="SUITE_ERROR">/);
  assert.match(xml, /errors="1"/);
  const md = renderMatrixMarkdown([m]);
  assert.match(md, /\*\*ES-SUCCESS-IDLE\*\* SUITE_ERROR/);
  assert.equal(selectionText(m), undefined, 'a complete run has no partial note');
  assert.doesNotMatch(scoreText(m.scores[0]), /PARTIAL/);
});

test('a partial run: NOT_RUN cells, a partial score and the selection beside the scores', () => {
  const m = matrix([scenario('ES-SUCCESS-IDLE', 'PASS'), scenario('ES-HANDLE-CLOSED', 'PASS')], 1, 'not @ES-STOP-SERVICE');
  assert.equal(m.ids.find((r) => r.id === 'ES-STOP-SERVICE')?.status, 'NOT_RUN');
  assert.match(scoreText(m.scores[0]), /2\/2 PASS \(100\.0 %, PARTIAL run: 1 ID not run\)/);
  const note = selectionText(m) ?? '';
  assert.match(note, /Partial run \(--tags "not @ES-STOP-SERVICE"\): 1 scenario not run/);
  const md = renderMatrixMarkdown([m]);
  assert.match(md, /\*\*Partial run .*1 scenario not run; IDs marked NOT\\_RUN were not selected/);
  assert.match(md, /NOT_RUN/);
  const html = renderMatrixHtml([m]);
  assert.match(html, /class="partial"/);
  assert.match(html, /NOT_RUN/);
});

// Red team M (docs/mutants.md "Dodges", round 2): an ID whose other scenarios were NOT_APPLICABLE
// (an implementation without the capability) or not selected rolls up to PASS; every report says
// it was only partly checked, so that "16/16 applicable IDs pass" never reads as complete.
test('an ID that passed with some scenarios NOT_APPLICABLE or not selected reads as partly checked in the score, the Markdown and the HTML cells', () => {
  const m = matrix(
    [scenario('ES-SUCCESS-IDLE', 'PASS'), { ...scenario('ES-SUCCESS-IDLE', 'NOT_APPLICABLE', 'needs in-flight'), id: 'features/x.feature::na' }, scenario('ES-HANDLE-CLOSED', 'PASS'), scenario('ES-STOP-SERVICE', 'PASS')],
    2,
    null,
  );
  assert.equal(m.ids.find((r) => r.id === 'ES-SUCCESS-IDLE')?.status, 'PASS');
  // ES-SUCCESS-IDLE: 1 of 2 NOT_APPLICABLE; the two others: 1 of 2 not selected (2 available, 1 ran).
  assert.equal(scoreLine(m, 'esent'), '3/3 applicable IDs pass; all 3 checked, 3 of them only partly (scenarios not applicable or not selected)');
  const md = renderMatrixMarkdown([m]);
  assert.match(md, /\| ES-SUCCESS-IDLE \| \[PASS\]\([^)]*\), partly: 1 of 2 scenarios checked \(1 not applicable\) \|/);
  assert.match(md, /\| ES-HANDLE-CLOSED \| \[PASS\]\([^)]*\), partly: 1 of 2 scenarios checked \(1 not selected\) \|/);
  const html = renderMatrixHtml([m]);
  assert.match(html, /class="partly" title="partly: 1 of 2 scenarios checked \(1 not applicable\)"/);
});

test('an ID all of whose scenarios passed reads as checked, with no partly note', () => {
  const m = matrix([scenario('ES-SUCCESS-IDLE', 'PASS'), scenario('ES-HANDLE-CLOSED', 'PASS'), scenario('ES-STOP-SERVICE', 'PASS')], 1, null);
  assert.equal(scoreLine(m, 'esent'), '3/3 applicable IDs pass; all 3 checked');
  assert.doesNotMatch(renderMatrixMarkdown([m]), /partly/);
  assert.doesNotMatch(renderMatrixHtml([m]), /class="partly"/);
});

test('plain `npx cucumber-js`\'s closing score says too that a passing ID was only partly checked', () => {
  const info = [{ adapter: 'process', tier: 'esent', name: 'impl', version: '1' }];
  const partly = standaloneSummary(info, [scenario('ES-SUCCESS-IDLE', 'PASS'), scenario('ES-SUCCESS-IDLE', 'NOT_APPLICABLE')]);
  assert.equal(partly[1], '  esent: 1/1 applicable IDs pass (1 IDs selected); 1 passing ID only partly checked (scenarios not applicable)');
  const whole = standaloneSummary(info, [scenario('ES-SUCCESS-IDLE', 'PASS')]);
  assert.equal(whole[1], '  esent: 1/1 applicable IDs pass (1 IDs selected)');
});
