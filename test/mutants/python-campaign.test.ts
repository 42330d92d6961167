/**
 * Red teams L, N, O, P, Q, R, S and T's campaign harness (mutants/python/) cannot rot: every mutant still applies to
 * model.py (each edit found exactly once, the result valid Python), and a small campaign through
 * the process adapter, on the three scenarios of resources.feature that closed the campaign's gaps
 * (documented tier, @source:errata-7), kills the mutant they were written for and one more, and lets
 * an equivalent mutant (the slot freed before a clean-up that cannot fail without fault injection)
 * survive: so a verdict is neither always "killed" nor always "survived".
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { allPythonMutants as pythonMutants, beyondBaseline, campaign, prepare, type Failure, type MutantResult } from '../../mutants/python/campaign';

test('every Python mutant (red-team-r.ts, red-team-s.ts and red-team-t.ts included) applies once and parses', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ese-python-mutants-check-'));
  try {
    assert.ok(pythonMutants.length >= 25, `${pythonMutants.length} mutants`);
    assert.equal(new Set(pythonMutants.map((m) => m.name)).size, pythonMutants.length, 'mutant names are unique');
    for (const m of pythonMutants) {
      assert.ok(m.why.length > 20, `${m.name}: says why it is realistic`);
      prepare(m, path.join(dir, m.name));
      assert.notEqual(fs.readFileSync(path.join(dir, m.name, 'model.py'), 'utf8'), fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'python-adapter', 'model.py'), 'utf8'), `${m.name} changes model.py`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('only a FAIL, CRASH, TIMEOUT or PROTOCOL_ERROR of a scenario the baseline passes kills: not a SUITE_ERROR, not a scenario the baseline never ran', () => {
  const failure = (scenario: string, status: string): Failure => ({ tier: 'esent', catalogueId: 'ES-X', scenario, status, reason: 'r' });
  const result = (name: string, failures: Failure[], passed: string[]): MutantResult => ({ name, verdict: failures.length > 0 ? 'killed' : 'survived', exitCode: 1, seconds: 1, failures, passed, detail: '' });
  const baseline = result('baseline', [failure('f::known', 'FAIL')], ['esent f::a', 'esent f::b']);
  const judged = (failures: Failure[]): MutantResult => beyondBaseline(result('m', failures, []), baseline);
  // A feature written into the tree while the campaign ran: the baseline never ran its scenario.
  assert.equal(judged([failure('f::new', 'FAIL')]).verdict, 'survived');
  assert.equal(judged([failure('f::known', 'FAIL')]).verdict, 'survived');
  const suiteError = judged([failure('f::a', 'SUITE_ERROR')]);
  assert.equal(suiteError.verdict, 'survived');
  assert.deepEqual(suiteError.failures.map((f) => f.status), ['SUITE_ERROR'], 'listed, to be looked at');
  for (const status of ['FAIL', 'CRASH', 'TIMEOUT', 'PROTOCOL_ERROR']) assert.equal(judged([failure('f::new', 'FAIL'), failure('f::b', status)]).verdict, 'killed', status);
});

test('a small campaign kills two named mutants and lets an equivalent one survive', async () => {
  const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ese-python-campaign-'));
  try {
    const names = ['end-keeps-deferred-locks', 'end-commits-transaction', 'end-frees-slot-first'];
    const chosen = pythonMutants.filter((m) => names.includes(m.name));
    assert.equal(chosen.length, names.length);
    const { baseline, results } = await campaign(chosen, { tier: 'documented', ids: [], tags: '@source:errata-7', withBugs: false, reportDir, timeoutMs: 120_000 }, 2);
    assert.deepEqual(baseline.failures, [], `the unmutated model passes: ${baseline.detail}`);
    const scenarios = JSON.parse(fs.readFileSync(path.join(reportDir, 'baseline', 'matrix.json'), 'utf8')) as { scenarios: { status: string }[] };
    assert.equal(scenarios.scenarios.filter((s) => s.status === 'PASS').length, 3, 'the three scenarios of the gaps ran and passed');
    const verdict = Object.fromEntries(results.map((r) => [r.name, r.verdict]));
    assert.deepEqual(verdict, { 'end-keeps-deferred-locks': 'killed', 'end-commits-transaction': 'killed', 'end-frees-slot-first': 'survived' });
    const killer = results.find((r) => r.name === 'end-keeps-deferred-locks');
    assert.deepEqual([...new Set(killer?.failures.map((f) => f.catalogueId))], ['ES-CURSORS-CLOSED']);
  } finally {
    fs.rmSync(reportDir, { recursive: true, force: true });
  }
});

/**
 * A small campaign of named mutants on one catalogue ID's esent scenarios behind a capability the
 * model declares: the baseline passes them (so they ran), and each mutant gets the expected verdict.
 */
async function capabilityCampaign(id: string, capability: string, minPassed: number, expected: Readonly<Record<string, 'killed' | 'survived'>>): Promise<void> {
  const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), `ese-python-campaign-${capability}-`));
  try {
    const names = Object.keys(expected);
    const chosen = pythonMutants.filter((m) => names.includes(m.name));
    assert.equal(chosen.length, names.length);
    const { baseline, results } = await campaign(chosen, { tier: 'esent', ids: [id], withBugs: false, reportDir, timeoutMs: 120_000 }, 2);
    assert.deepEqual(baseline.failures, [], `the unmutated model passes: ${baseline.detail}`);
    const scenarios = JSON.parse(fs.readFileSync(path.join(reportDir, 'baseline', 'matrix.json'), 'utf8')) as { scenarios: { status: string; tags: string[] }[] };
    const passed = scenarios.scenarios.filter((s) => s.status === 'PASS');
    assert.ok(passed.length >= minPassed && passed.every((s) => s.tags.includes(`@needs:${capability}`)), `the ${capability} scenarios ran (the model declares it) and passed`);
    assert.deepEqual(Object.fromEntries(results.map((r) => [r.name, r.verdict])), expected);
  } finally {
    fs.rmSync(reportDir, { recursive: true, force: true });
  }
}

test('red team N: a threads campaign on ES-CONTEXT-MIGRATED-TRX (esent) kills two context mutants and lets a rollback-only one survive', () =>
  capabilityCampaign('ES-CONTEXT-MIGRATED-TRX', 'threads', 3, { 'context-any-value-resumes': 'killed', 'end-context-transaction-checks-thread': 'killed', 'rollback-refused-before-closing-cursors': 'survived' }));

test('red team O: a fault-injection campaign on ES-UNDO-FAILURE-FATAL (esent) kills two undo-failure mutants and lets an equivalent one survive', () =>
  capabilityCampaign('ES-UNDO-FAILURE-FATAL', 'fault-injection', 5, { 'undo-failure-plain-cause': 'killed', 'term-commits-when-down': 'killed', 'undo-failure-before-closing-cursors': 'survived' }));

/**
 * A red team's small campaign on one catalogue ID (both tiers): the baseline passes the scenario that
 * closed the red team's gap (so it ran), each named mutant gets its verdict, and `killer` dies on
 * that scenario alone.
 */
async function gapCampaign(id: string, expected: Readonly<Record<string, 'killed' | 'survived'>>, gapScenario: string, killer: string): Promise<void> {
  const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ese-python-campaign-gap-'));
  try {
    const chosen = pythonMutants.filter((m) => m.name in expected);
    assert.equal(chosen.length, Object.keys(expected).length);
    const { baseline, results } = await campaign(chosen, { tier: 'all', ids: [id], withBugs: false, reportDir, timeoutMs: 120_000 }, 2);
    assert.deepEqual(baseline.failures, [], `the unmutated model passes: ${baseline.detail}`);
    const scenarios = JSON.parse(fs.readFileSync(path.join(reportDir, 'baseline', 'matrix.json'), 'utf8')) as { scenarios: { status: string; scenario: string }[] };
    assert.ok(scenarios.scenarios.some((s) => s.status === 'PASS' && s.scenario.startsWith(gapScenario)), 'the scenario of the gap ran and passed');
    assert.deepEqual(Object.fromEntries(results.map((r) => [r.name, r.verdict])), expected);
    const failures = results.find((r) => r.name === killer)?.failures ?? [];
    assert.ok(failures.length > 0 && failures.every((f) => f.scenario.includes(gapScenario)), `${killer} is killed by the gap's scenario`);
  } finally {
    fs.rmSync(reportDir, { recursive: true, force: true });
  }
}

test('red team P: a campaign on ES-SESSION-SLOT-FREED kills the duplicate that skips the limit and the name kept after JetTerm, and lets the allowed limit read from the default survive', () =>
  gapCampaign('ES-SESSION-SLOT-FREED', { 'dup-session-ignores-limit': 'killed', 'term-keeps-instance-name': 'killed', 'session-limit-from-global-default': 'survived' }, 'JetDupSession draws on', 'dup-session-ignores-limit'));

test('red team Q: a campaign on ES-ROLLBACK-NESTED kills the nested commit that makes deletes durable and the undo oldest first, and lets the equivalent temp-table write-through survive', () =>
  gapCampaign('ES-ROLLBACK-NESTED', { 'nested-commit-cleans-up-deletes': 'killed', 'end-undo-oldest-first': 'killed', 'end-keeps-temp-table-writes': 'survived' }, 'Deletes committed from level 2', 'nested-commit-cleans-up-deletes'));

test('red team R: a campaign on ES-SORTS-CLOSED kills the duplicate chain and the slot per cursor, and lets the equivalent end-closes-cursors-of-open-databases-only survive', () =>
  gapCampaign('ES-SORTS-CLOSED', { 'dup-of-dup-sort-takes-no-reference': 'killed', 'end-frees-slot-per-sort-cursor': 'killed', 'end-closes-cursors-of-open-databases-only': 'survived' }, 'A sort held through a chain of duplicates', 'dup-of-dup-sort-takes-no-reference'));

test('red team T: a campaign on ES-OTHER-SESSIONS-UNTOUCHED kills the levels lowered on other sessions\' cursors and the duplicate ended with its source, and lets the stop-service state lifted by the last end (killed on ES-STOP-SERVICE) survive', () =>
  gapCampaign('ES-OTHER-SESSIONS-UNTOUCHED', { 'end-lowers-others-cursor-levels': 'killed', 'dup-session-ended-with-source': 'killed', 'last-session-end-lifts-stop-service': 'survived' }, "Another session's cursor opened, moved and prepared", 'end-lowers-others-cursor-levels'));

test('red team S: a campaign on ES-DATABASES-CLOSED kills the recycled slot that keeps its open databases and the dbid checked against the attach table, and lets the forced end past a context (killed on ES-GRBIT-FORCE-NOOP) survive', () =>
  gapCampaign('ES-DATABASES-CLOSED', { 'recycled-session-keeps-open-databases': 'killed', 'dbid-checked-against-attach-table': 'killed', 'force-bit-skips-context-check': 'survived' }, 'The session begun on the slot the end freed', 'recycled-session-keeps-open-databases'));
