/**
 * examples/python-adapter end to end, as a user's CI would run it: `smoke`, then `run --adapter
 * process -- python3 examples/python-adapter/adapter.py` with and without its expectations file,
 * and with one deliberate bug fixed while its expectation is left in place. The example declares
 * `threads` (a real thread per logical thread), `instance-state` and `fault-injection`: only the
 * scenarios needing `in-flight` are NOT_APPLICABLE.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Matrix } from '../../harness/results';
import { checkExpectations, readExpectations } from '../../reporting/expectations';
import { githubAnnotations, stepSummaryMarkdown } from '../../reporting/github';
import { exitCode } from '../../cli/commands/run';
import { cli, exampleCommand, exampleExpectations, readMatrixFile, schemaErrors, schemaValidator, tempDir, type CliRun } from './helpers';

/** The deliberate bugs of the example (its README): the scenarios each one fails, per tier. */
const afterTerm = [
  'esent features/handles-and-instance.feature::JetEndSession on a session that JetTerm ended',
  'esent features/handles-and-instance.feature::JetEndSession on a session that JetTerm2 (JET_bitTermComplete) ended',
  'esent features/handles-and-instance.feature::JetTerm ends every idle session of the instance, whatever it holds',
  'esent features/handles-and-instance.feature::JetTerm2 (JET_bitTermComplete) ends every idle session of the instance, whatever it holds',
  // fault-injection: after the undo failure, JetTerm ends the sessions
  ...['JET_errOutOfMemory', 'JET_errOutOfBuffers', 'JET_errDiskIO', 'JET_errLogDiskFull'].map((err) => `esent features/cleanup-failures.feature::An undo failure with ${err} takes the instance down`),
];
const tempTableScenarios = [
  'features/success/resources.feature::Temp tables are closed and their instance-wide slots freed',
  'features/success/resources.feature::Temp-table slots are freed exactly: the limit still holds after the end',
  'features/success/whole-state.feature::Temp tables opened inside the ending transaction free their slots too',
  'features/success/open-resources.feature::A sort held through a chain of duplicates keeps its slot until the end closes the last of them',
  "features/success/whole-state.feature::Another session's cursors, temp tables, transaction and context, and another instance, are untouched",
  'features/grbit.feature::JET_bitForceSessionClosed has no effect: an idle session',
  'features/grbit.feature::JET_bitForceSessionClosed has no effect: a level 3 transaction with inserts',
  'features/grbit.feature::JET_bitForceSessionClosed has no effect: open databases, cursors and temp tables',
  'features/grbit.feature::JET_bitForceSessionClosed has no effect: a session context set on the thread',
  'features/grbit.feature::JET_bitForceSessionClosed has no effect: a transaction begun on another thread',
  'features/grbit.feature::An unknown grbit 0xFFFFFFFF: open databases, cursors and temp tables',
  'features/success/resources.feature::Temp tables without a key column are closed too',
  "features/history/history.feature::A session of a second instance gives its temp tables' slots back to its own instance",
  'features/history/history.feature::Temp tables opened in a level committed into its parent are closed, and their slots freed',
  'features/threads.feature::A session context still set blocks JetEndSession of a session without a transaction',
  "features/durability.feature::A temp table opened on the slot the end freed holds none of the ended session's records",
];
/** The instance-state and fault-injection scenarios whose ending session held a temp table, per tier. */
const closeFailures = [
  "features/cleanup-failures.feature::JET_errDiskIO while closing the session's databases leaves the session usable",
  "features/cleanup-failures.feature::JET_errOutOfMemory while closing the session's sort tables leaves the session usable",
];
const tempTableDocumented = [
  ...closeFailures,
  'features/handles-and-instance.feature::An instance forced into the not-initialized state',
  'features/handles-and-instance.feature::An instance forced into restore-in-progress',
];
const tempTableEsent = [...closeFailures, 'features/cleanup-failures.feature::A failed sort close leaves the sort open; a materialized temp table opened after it is closed'];
/** The leaked slot shows in every scenario whose ending session held a temp table (the whole-state check counts free slots). */
const tempTables = [
  ...[...tempTableScenarios, ...tempTableDocumented].map((id) => `documented ${id}`),
  ...[...tempTableScenarios, ...tempTableEsent].map((id) => `esent ${id}`),
];
const tempTableIds = ['ES-GRBIT-FORCE-NOOP', 'ES-GRBIT-UNKNOWN', 'ES-OTHER-SESSIONS-UNTOUCHED', 'ES-SESSION-IN-USE', 'ES-SORTS-CLOSED', 'ES-CLEANUP-FAILURE-LEAVES-SESSION'];
const tempTableIdsDocumented = [...tempTableIds, 'ES-NOT-INITIALIZED', 'ES-RESTORE-IN-PROGRESS'];
const failing = (m: Matrix) => m.scenarios.filter((s) => s.status !== 'PASS' && s.status !== 'NOT_APPLICABLE');

/** `run` on the example into a fresh report dir; minimal reports (matrix.json and JUnit) keep it quick. */
async function runExample(dir: string, opts: { expectations?: boolean; fix?: string[]; ids?: string[] } = {}): Promise<CliRun> {
  return cli([
    'run', '--adapter', 'process', '--reports', 'minimal', '--report-dir', dir,
    ...(opts.expectations ? ['--expectations', exampleExpectations] : []),
    ...(opts.ids ?? []).flatMap((id) => ['--id', id]),
    '--', ...exampleCommand, ...(opts.fix ?? []).flatMap((f) => ['--fix', f]),
  ]);
}

describe('example: python-adapter', () => {
  const dirs: string[] = [];
  const dir = (name: string) => {
    const d = tempDir(name);
    dirs.push(d);
    return d;
  };
  // The whole suite runs once, gated by the example's expectations file: matrix.json holds each
  // scenario's own result (the gate is applied after it is written), so it is also the ungated
  // run's matrix; exitCode() is what `run` returns for it without expectations.
  let plain: { run: CliRun; dir: string; matrix: Matrix };

  before(async () => {
    const d = dir('example-gated');
    const run = await runExample(d, { expectations: true });
    plain = { run, dir: d, matrix: readMatrixFile(d) };
  });

  after(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('passes the protocol self-test (ese-conformance smoke)', async () => {
    const r = await cli(['smoke', '--', ...exampleCommand]);
    assert.equal(r.code, 0, r.out.join('\n'));
    assert.match(r.out[0], /^ok: handshake: python-model 1\.0\.0, target current, 64-bit, capabilities: threads, instance-state, fault-injection$/);
    assert.equal(r.out.filter((l) => l.startsWith('problem:')).length, 0);
  });

  it('without expectations: exit 1, failing exactly the scenarios of its two deliberate bugs', async () => {
    assert.equal(exitCode(plain.matrix), 1);
    assert.deepEqual(failing(plain.matrix).map((s) => `${s.tier} ${s.id}`).sort(), [...afterTerm, ...tempTables].sort());
    assert.ok(failing(plain.matrix).every((s) => s.status === 'FAIL'));
    const ids = plain.matrix.ids.filter((r) => r.status === 'FAIL').map((r) => `${r.tier} ${r.id}`).sort();
    assert.deepEqual(ids, [...tempTableIdsDocumented.map((id) => `documented ${id}`), 'esent ES-AFTER-TERM', 'esent ES-UNDO-FAILURE-FATAL', ...tempTableIds.map((id) => `esent ${id}`)].sort());
    // And a real run without expectations, of one ID per bug (the whole suite's results are above): exit 1.
    const d = dir('example-plain');
    const r = await runExample(d, { ids: ['ES-AFTER-TERM', 'ES-SORTS-CLOSED'] });
    assert.equal(r.code, 1, [...r.out, ...r.err].join('\n'));
    // The same scenarios fail as in the whole run, some of each bug.
    const key = (s: { tier: string; id: string }) => `${s.tier} ${s.id}`;
    const expected = failing(plain.matrix).filter((s) => ['ES-AFTER-TERM', 'ES-SORTS-CLOSED'].includes(s.catalogueId)).map(key).sort();
    assert.ok(expected.some((k) => afterTerm.includes(k)) && expected.some((k) => tempTables.includes(k)), expected.join('\n'));
    assert.deepEqual(failing(readMatrixFile(d)).map(key).sort(), expected);
  });

  it('declares all but in-flight: the scenarios needing in-flight are NOT_APPLICABLE, every other one passes', () => {
    const m = plain.matrix;
    assert.deepEqual(m.implementation.capabilities, ['threads', 'instance-state', 'fault-injection']);
    const needsOther = (s: { tags: readonly string[] }) => s.tags.includes('@needs:in-flight');
    const na = m.scenarios.filter((s) => s.status === 'NOT_APPLICABLE');
    assert.ok(na.length > 0);
    assert.ok(na.every((s) => needsOther(s) && /needs the capability/.test(s.reason ?? '')), 'only scenarios of an undeclared capability');
    const applicable = m.scenarios.filter((s) => !needsOther(s));
    const threaded = applicable.filter((s) => s.tags.includes('@needs:threads'));
    assert.ok(applicable.length >= 80, `${applicable.length} scenarios applicable`);
    assert.ok(threaded.length >= 20, `${threaded.length} applicable scenarios need threads`);
    for (const cap of ['@needs:instance-state', '@needs:fault-injection']) {
      const n = applicable.filter((s) => s.tags.includes(cap)).length;
      assert.ok(n >= 10, `${n} applicable scenarios need ${cap}`);
    }
    assert.equal(applicable.filter((s) => s.status === 'PASS').length, applicable.length - afterTerm.length - tempTables.length);
  });

  it('writes a valid matrix.json and a JUnit file', () => {
    assert.deepEqual(schemaErrors(schemaValidator('matrix'), plain.matrix), []);
    const junit = fs.readFileSync(path.join(plain.dir, 'junit.xml'), 'utf8');
    assert.match(junit, /<testsuites?[\s>]/);
    assert.match(junit, /ES-AFTER-TERM/);
  });

  it('with its expectations file: the gate passes (exit 0)', () => {
    const r = plain.run;
    assert.equal(r.code, 0, [...r.out, ...r.err].join('\n'));
    assert.ok(r.out.includes(`expectations: OK: ${afterTerm.length + tempTables.length} expected results matched, 0 unexpected failures, 0 unexpected passes, 0 stale entries`), r.out.join('\n'));
  });

  // A partial run of the two IDs the fixed bug touched (the whole suite runs once above already): the
  // gate fails on exactly their entries and leaves the other bug's entries unchecked, not stale.
  it('with one bug fixed and its expectations left in place: the gate fails on exactly those entries', async () => {
    const r = await runExample(dir('example-fixed'), { expectations: true, fix: ['after-term'], ids: ['ES-AFTER-TERM', 'ES-UNDO-FAILURE-FATAL'] });
    assert.equal(r.code, 1, r.out.join('\n'));
    const unexpectedPasses = r.out.filter((l) => l.trim().startsWith('UNEXPECTED PASS'));
    assert.equal(unexpectedPasses.length, afterTerm.length, r.out.join('\n'));
    assert.ok(unexpectedPasses.every((l) => (l.includes('ES-AFTER-TERM') || l.includes('ES-UNDO-FAILURE-FATAL')) && l.includes('remove the entry')));
    assert.ok(r.out.some((l) => l.startsWith(`expectations: MISMATCH: 0 expected results matched, 0 unexpected failures, ${afterTerm.length} unexpected passes`)), r.out.join('\n'));
    assert.ok(r.out.some((l) => l.includes(`not checked: ${tempTables.length} entries for IDs or scenarios this partial run did not select`)), r.out.join('\n'));
  });

  it('its expectations file names the same results that `ese-conformance expectations` finds', async () => {
    const out = path.join(dir('example-start'), 'start.expectations');
    const r = await cli(['expectations', '--from', path.join(plain.dir, 'matrix.json'), '-o', out]);
    assert.equal(r.code, 0, r.err.join('\n'));
    const key = (e: { tier: string; target: { id: string }; status: string }) => `${e.tier} ${e.target.id} ${e.status}`;
    assert.deepEqual(readExpectations(out).map(key).sort(), readExpectations(exampleExpectations).map(key).sort());
  });

  it('on GitHub: an error annotation per failing scenario, notices once the expectations accept them', () => {
    const total = afterTerm.length + tempTables.length;
    const shown = githubAnnotations(plain.matrix);
    assert.equal(shown.length, 10, 'GitHub shows 10 annotations of a level: 9 and one counting the rest');
    assert.match(shown[9], new RegExp(`^::error title=${total - 9} more errors not shown::`));
    const errors = githubAnnotations(plain.matrix, undefined, { maxPerLevel: 100 });
    assert.equal(errors.length, total);
    assert.ok(errors.every((l) => l.startsWith('::error title=ES-AFTER-TERM [esent] FAIL%3A ') || l.startsWith('::error title=ES-UNDO-FAILURE-FATAL [esent] FAIL%3A ') || tempTableIdsDocumented.some((id) => l.startsWith(`::error title=${id} [`))), errors.join('\n'));
    assert.ok(errors.some((l) => l.includes('%0AExpected: JET_errInvalidSesid (-1104) (esent tier)%0AActual: JET_errNotInitialized (-1029)%0A')));
    const gate = checkExpectations(plain.matrix, readExpectations(exampleExpectations));
    const gated = githubAnnotations(plain.matrix, gate, { maxPerLevel: 100 });
    assert.equal(gated.length, total);
    assert.ok(gated.every((l) => l.startsWith('::notice title=expected ES-')));
    const summary = stepSummaryMarkdown(plain.matrix, gate);
    assert.match(summary, /^## ✅ ESE conformance: python-model 1\.0\.0: every result as expected\n/);
    assert.match(summary, /\| esent \| ES-AFTER-TERM † \| JetEndSession on a session that JetTerm ended \(features\/handles-and-instance\.feature:\d+\) \| FAIL \| JET\\_errInvalidSesid \\\(-1104\\\) \\\(esent tier\\\) \| JET\\_errNotInitialized \\\(-1029\\\) \| expected \|/);
  });
});
