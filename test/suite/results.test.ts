/** The status vocabulary of outcomes.md: roll-up per ID and the per-tier score. */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { rollUp, summarise, type ScenarioResult, type Status } from '../../harness/results';

test('an ID takes the most severe status of its scenarios', () => {
  const order: Status[] = ['SUITE_ERROR', 'FAIL', 'CRASH', 'TIMEOUT', 'PROTOCOL_ERROR', 'PASS', 'NOT_APPLICABLE'];
  for (let i = 0; i < order.length; i++) {
    for (let j = i; j < order.length; j++) assert.equal(rollUp([order[j], order[i], order[j]]), order[i]);
  }
  assert.equal(rollUp([]), 'NOT_APPLICABLE');
  assert.equal(rollUp(['NOT_APPLICABLE', 'PASS']), 'PASS');
});

function result(catalogueId: string, tier: 'documented' | 'esent', status: Status): ScenarioResult {
  return { id: `${catalogueId}-${status}`, catalogueId, tier, feature: 'f', scenario: 's', line: 1, tags: [], doc: [], status, trace: [] };
}

test('the score is IDs passed over IDs applicable; an ID with no applicable scenario is not counted', () => {
  const catalogue = [
    { id: 'A', group: 'g', deviates: false, tiers: ['documented', 'esent'] as const },
    { id: 'B', group: 'g', deviates: true, tiers: ['documented', 'esent'] as const },
    { id: 'C', group: 'g', deviates: false, tiers: ['esent'] as const },
  ];
  const { ids, scores } = summarise(
    [result('A', 'esent', 'PASS'), result('B', 'esent', 'PASS'), result('B', 'esent', 'CRASH'), result('C', 'esent', 'NOT_APPLICABLE'), result('A', 'documented', 'PASS')],
    catalogue,
    ['documented', 'esent'],
  );
  assert.deepEqual(scores, [
    { tier: 'documented', passed: 1, applicable: 1, score: 1, partial: true, idsNotRun: 1 },
    { tier: 'esent', passed: 1, applicable: 2, score: 0.5, partial: false, idsNotRun: 0 },
  ]);
  assert.equal(ids.find((i) => i.id === 'B' && i.tier === 'esent')?.status, 'CRASH');
  assert.equal(ids.find((i) => i.id === 'B' && i.tier === 'documented')?.status, 'NOT_RUN', 'no scenario of B ran in documented: not run, never NOT_APPLICABLE');
  assert.equal(ids.find((i) => i.id === 'B')?.deviates, true);
  assert.equal(ids.filter((i) => i.id === 'C').length, 1, 'C is not part of the documented tier');
});

test('a filtered run: unselected IDs are NOT_RUN, partly selected IDs count what did not run, and the score says partial', () => {
  const catalogue = [
    { id: 'A', group: 'g', deviates: false, tiers: ['esent'] as const },
    { id: 'B', group: 'g', deviates: false, tiers: ['esent'] as const },
    { id: 'C', group: 'g', deviates: false, tiers: ['esent'] as const },
  ];
  const available = new Map([['esent A', 2], ['esent B', 1], ['esent C', 3]]);
  const { ids, scores, scenariosNotRun } = summarise([result('A', 'esent', 'PASS'), result('C', 'esent', 'PASS')], catalogue, ['esent'], (tier, id) => available.get(`${tier} ${id}`) ?? 0);
  assert.equal(ids.find((i) => i.id === 'B')?.status, 'NOT_RUN');
  assert.equal(ids.find((i) => i.id === 'A')?.notRun, 1);
  assert.equal(ids.find((i) => i.id === 'C')?.notRun, 2);
  assert.equal(scenariosNotRun, 4);
  assert.deepEqual(scores, [{ tier: 'esent', passed: 2, applicable: 2, score: 1, partial: true, idsNotRun: 1 }]);
  // Everything selected: complete, not partial.
  const all = summarise([result('A', 'esent', 'PASS'), result('B', 'esent', 'SUITE_ERROR'), result('C', 'esent', 'PASS')], catalogue, ['esent'], (_t, id) => (id === 'B' ? 1 : 1));
  assert.deepEqual(all.scores, [{ tier: 'esent', passed: 2, applicable: 3, score: 2 / 3, partial: false, idsNotRun: 0 }]);
  assert.equal(all.ids.find((i) => i.id === 'B')?.status, 'SUITE_ERROR');
});
