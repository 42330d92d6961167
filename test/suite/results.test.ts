/** The status vocabulary of outcomes.md: roll-up per ID and the per-tier score. */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { rollUp, summarise, type ScenarioResult, type Status } from '../../harness/results';

test('an ID takes the most severe status of its scenarios', () => {
  const order: Status[] = ['FAIL', 'CRASH', 'TIMEOUT', 'PROTOCOL_ERROR', 'PASS', 'NOT_APPLICABLE'];
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
    { tier: 'documented', passed: 1, applicable: 1, score: 1 },
    { tier: 'esent', passed: 1, applicable: 2, score: 0.5 },
  ]);
  assert.equal(ids.find((i) => i.id === 'B' && i.tier === 'esent')?.status, 'CRASH');
  assert.equal(ids.find((i) => i.id === 'B' && i.tier === 'documented')?.status, 'NOT_APPLICABLE');
  assert.equal(ids.find((i) => i.id === 'B')?.deviates, true);
  assert.equal(ids.filter((i) => i.id === 'C').length, 1, 'C is not part of the documented tier');
});
