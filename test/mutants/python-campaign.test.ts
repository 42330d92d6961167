/**
 * Red teams L, N, O, P, Q and R's campaign harness (mutants/python/) cannot rot: every mutant still applies to
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
import { campaign, prepare } from '../../mutants/python/campaign';
import { pythonMutants } from '../../mutants/python/mutants';
import { redTeamRMutants } from '../../mutants/python/red-team-r';

test('every Python mutant applies once and parses', () => {
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

test('a small campaign kills two named mutants and lets an equivalent one survive', async () => {
  const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ese-python-campaign-'));
  try {
    const names = ['end-keeps-deferred-locks', 'end-commits-transaction', 'end-frees-slot-first'];
    const chosen = pythonMutants.filter((m) => names.includes(m.name));
    assert.equal(chosen.length, names.length);
    const { baseline, results } = await campaign(chosen, { tier: 'documented', ids: [], tags: '@source:errata-7', withBugs: false, reportDir, timeoutMs: 120_000 }, 2);
    assert.equal(baseline.verdict, 'survived', `the unmutated model passes: ${JSON.stringify(baseline.failures)} ${baseline.detail}`);
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
    assert.equal(baseline.verdict, 'survived', `the unmutated model passes: ${JSON.stringify(baseline.failures)} ${baseline.detail}`);
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

test('red team P: a campaign on ES-SESSION-SLOT-FREED kills the duplicate that skips the limit and the name kept after JetTerm, and lets the allowed limit read from the default survive', async () => {
  const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ese-python-campaign-p-'));
  try {
    const expected = { 'dup-session-ignores-limit': 'killed', 'term-keeps-instance-name': 'killed', 'session-limit-from-global-default': 'survived' };
    const chosen = pythonMutants.filter((m) => m.name in expected);
    assert.equal(chosen.length, 3);
    const { baseline, results } = await campaign(chosen, { tier: 'all', ids: ['ES-SESSION-SLOT-FREED'], withBugs: false, reportDir, timeoutMs: 120_000 }, 2);
    assert.equal(baseline.verdict, 'survived', `the unmutated model passes: ${JSON.stringify(baseline.failures)} ${baseline.detail}`);
    const scenarios = JSON.parse(fs.readFileSync(path.join(reportDir, 'baseline', 'matrix.json'), 'utf8')) as { scenarios: { status: string; scenario: string }[] };
    assert.ok(scenarios.scenarios.some((s) => s.status === 'PASS' && s.scenario.startsWith('JetDupSession draws on')), 'the scenario of the gap ran and passed');
    assert.deepEqual(Object.fromEntries(results.map((r) => [r.name, r.verdict])), expected);
    const killer = results.find((r) => r.name === 'dup-session-ignores-limit');
    assert.ok(killer?.failures.every((f) => f.scenario.includes('JetDupSession draws on')), 'killed by the gap\'s scenario');
  } finally {
    fs.rmSync(reportDir, { recursive: true, force: true });
  }
});

test('red team Q: a campaign on ES-ROLLBACK-NESTED kills the nested commit that makes deletes durable and the undo oldest first, and lets the equivalent temp-table write-through survive', async () => {
  const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ese-python-campaign-q-'));
  try {
    const expected = { 'nested-commit-cleans-up-deletes': 'killed', 'end-undo-oldest-first': 'killed', 'end-keeps-temp-table-writes': 'survived' };
    const chosen = pythonMutants.filter((m) => m.name in expected);
    assert.equal(chosen.length, 3);
    const { baseline, results } = await campaign(chosen, { tier: 'all', ids: ['ES-ROLLBACK-NESTED'], withBugs: false, reportDir, timeoutMs: 120_000 }, 2);
    assert.equal(baseline.verdict, 'survived', `the unmutated model passes: ${JSON.stringify(baseline.failures)} ${baseline.detail}`);
    const scenarios = JSON.parse(fs.readFileSync(path.join(reportDir, 'baseline', 'matrix.json'), 'utf8')) as { scenarios: { status: string; scenario: string }[] };
    assert.ok(scenarios.scenarios.some((s) => s.status === 'PASS' && s.scenario.startsWith('Deletes committed from level 2')), 'the scenario of the gap ran and passed');
    assert.deepEqual(Object.fromEntries(results.map((r) => [r.name, r.verdict])), expected);
    const killer = results.find((r) => r.name === 'nested-commit-cleans-up-deletes');
    assert.ok(killer?.failures.every((f) => f.scenario.includes('Deletes committed from level 2')), 'killed by the gap\'s scenario');
  } finally {
    fs.rmSync(reportDir, { recursive: true, force: true });
  }
});

test('red team R: its own list (red-team-r.ts) applies once, parses, and repeats no earlier name; a campaign on ES-SORTS-CLOSED kills the duplicate chain and the slot per cursor, and lets the equivalent end-closes-cursors-of-open-databases-only survive', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ese-python-mutants-r-'));
  const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ese-python-campaign-r-'));
  try {
    const earlier = new Set(pythonMutants.map((m) => m.name));
    assert.ok(redTeamRMutants.length >= 12, `${redTeamRMutants.length} mutants`);
    assert.equal(new Set(redTeamRMutants.map((m) => m.name)).size, redTeamRMutants.length, 'mutant names are unique');
    for (const m of redTeamRMutants) {
      assert.ok(!earlier.has(m.name), `${m.name} repeats an earlier mutant's name`);
      assert.ok(m.why.length > 20, `${m.name}: says why it is realistic`);
      prepare(m, path.join(dir, m.name));
    }
    const expected = { 'dup-of-dup-sort-takes-no-reference': 'killed', 'end-frees-slot-per-sort-cursor': 'killed', 'end-closes-cursors-of-open-databases-only': 'survived' };
    const chosen = redTeamRMutants.filter((m) => m.name in expected);
    assert.equal(chosen.length, 3);
    const { baseline, results } = await campaign(chosen, { tier: 'all', ids: ['ES-SORTS-CLOSED'], withBugs: false, reportDir, timeoutMs: 120_000 }, 2);
    assert.equal(baseline.verdict, 'survived', `the unmutated model passes: ${JSON.stringify(baseline.failures)} ${baseline.detail}`);
    const scenarios = JSON.parse(fs.readFileSync(path.join(reportDir, 'baseline', 'matrix.json'), 'utf8')) as { scenarios: { status: string; scenario: string }[] };
    assert.ok(scenarios.scenarios.some((s) => s.status === 'PASS' && s.scenario.startsWith('A sort held through a chain of duplicates')), 'the scenario of the gap ran and passed');
    assert.deepEqual(Object.fromEntries(results.map((r) => [r.name, r.verdict])), expected);
    const killer = results.find((r) => r.name === 'dup-of-dup-sort-takes-no-reference');
    assert.ok(killer?.failures.every((f) => f.scenario.includes('A sort held through a chain of duplicates')), 'killed by the gap\'s scenario');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(reportDir, { recursive: true, force: true });
  }
});
