/**
 * The suite against the reference engine: every ID of each tier PASS, NOT_APPLICABLE nowhere; the
 * same verdicts in random order; and against an engine that answers JET_errSuccess to everything,
 * every scenario that expects more than plain success fails.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { createReferenceImplementation } from '../../adapters/reference';
import { runSuite } from '../../harness/runner';
import { indexFeatures } from '../../harness/feature-index';
import { parseAllowed } from '../../harness/by-tier';
import { parseErr } from '../../harness/codes';
import type { Matrix, Tier } from '../../harness/results';
import { createAlwaysSuccess } from '../doubles/always-success';

const root = path.join(__dirname, '..', '..');

function verdicts(matrix: Matrix): string[] {
  return matrix.scenarios.map((s) => `${s.tier} ${s.id} ${s.status}${s.reason ? `: ${s.reason}` : ''}`).sort();
}

let reference: Matrix | undefined;

test('every catalogue ID of each tier passes against the reference engine', async () => {
  const { matrix } = await runSuite({ impl: createReferenceImplementation(), adapterName: 'reference', tiers: ['documented', 'esent'] });
  reference = matrix;
  const bad = matrix.scenarios.filter((s) => s.status !== 'PASS').map((s) => `${s.tier} ${s.id}: ${s.status} ${s.reason ?? ''} ${s.expected ? `(expected ${s.expected}, actual ${s.actual})` : ''}`);
  assert.deepEqual(bad, []);
  assert.ok(matrix.ids.every((i) => i.status === 'PASS'), 'an ID is not PASS');
  assert.equal(matrix.ids.filter((i) => i.tier === 'documented').length, 25);
  assert.equal(matrix.ids.filter((i) => i.tier === 'esent').length, 24);
  for (const score of matrix.scores) assert.equal(score.score, 1, `${score.tier} score`);
});

test('random order gives the same verdicts (no scenario depends on another)', async () => {
  assert.ok(reference, 'the defined-order run comes first');
  for (const seed of [1, 2]) {
    const { matrix } = await runSuite({ impl: createReferenceImplementation(), adapterName: 'reference', tiers: ['documented', 'esent'], order: `random:${seed}` });
    assert.deepEqual(verdicts(matrix), verdicts(reference));
  }
});

/** Whether every expectation a scenario states for the tier is exactly JET_errSuccess (or anything). */
function expectsOnlySuccess(steps: readonly string[], tables: readonly (readonly (readonly string[])[] | undefined)[], tier: Tier): boolean {
  return steps.every((text, i) => {
    const plain = /^the call (?:on thread \w+ )?returns (\S+)$/.exec(text) ?? /^the last JetBeginSession returns (\S+)$/.exec(text);
    if (plain) return parseErr(plain[1]) === 0;
    const table = tables[i];
    if (!/^the call returns, by tier:$/.test(text) || table === undefined) return true;
    const [header, ...rows] = table;
    return rows
      .filter((r) => r[header.indexOf('tier')] === tier)
      .every((r) => {
        const allowed = parseAllowed(r[header.indexOf('returns')]);
        return allowed.kind === 'anything' || (allowed.kind === 'codes' && allowed.codes.every((c) => c === 0));
      });
  });
}

test('against an engine that answers JET_errSuccess to everything, every scenario expecting more fails', async () => {
  const { matrix } = await runSuite({ impl: createAlwaysSuccess(), adapterName: 'always-success', tiers: ['documented', 'esent'] });
  const { scenarios } = indexFeatures(root);
  const passedWrongly: string[] = [];
  let mustFail = 0;
  for (const result of matrix.scenarios) {
    const s = scenarios.find((x) => x.id === result.id);
    assert.ok(s, `${result.id} is not in the feature index`);
    if (expectsOnlySuccess(s.steps, s.tables, result.tier)) continue;
    mustFail++;
    if (result.status === 'PASS') passedWrongly.push(`${result.tier} ${result.id}`);
  }
  assert.deepEqual(passedWrongly, []);
  assert.ok(mustFail > 40, `only ${mustFail} scenario runs expect more than success`);
  assert.ok(matrix.scenarios.every((s) => s.status !== 'NOT_APPLICABLE'), 'always-success declares every capability');
});
