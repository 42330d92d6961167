/** The expectations format and the gate, both ways (docs/expectations.md). */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { UsageError } from '../../cli/command';
import { main } from '../../cli/main';
import type { Matrix, ScenarioResult, Status } from '../../harness/results';
import { checkExpectations, formatExpectationsFile, parseExpectations } from '../../reporting/expectations';
import { fixturePath, loadFixture, tempDir } from './helpers';

const mixed = loadFixture('mixed.json');
const esentOnly = loadFixture('esent-only.json');
const find = (m: Matrix, pred: (s: ScenarioResult) => boolean) => {
  const s = m.scenarios.find(pred);
  assert.ok(s, 'fixture scenario');
  return s;
};
// The non-passing results of mixed.json (the fixture is built that way).
const afterTerm = find(mixed, (s) => s.tier === 'esent' && s.catalogueId === 'ES-AFTER-TERM' && s.status === 'FAIL');
const crash = find(mixed, (s) => s.tier === 'esent' && s.status === 'CRASH');
const timeout = find(mixed, (s) => s.tier === 'esent' && s.status === 'TIMEOUT');
const protocol = find(mixed, (s) => s.tier === 'esent' && s.status === 'PROTOCOL_ERROR');
const stopService = find(mixed, (s) => s.tier === 'documented' && s.status === 'FAIL');

/** Entries for all five non-passing results of mixed.json: the gate passes with exactly these. */
const allKnown = [
  `esent  ${afterTerm.id}  FAIL  returns -1029 after JetTerm  https://example.org/issues/1`,
  `esent  ${crash.id}  CRASH  double free in the handle table`,
  `esent  ${timeout.id}  TIMEOUT  hangs on grbit 0xFFFFFFFF`,
  `esent  ${protocol.id}  PROTOCOL_ERROR  prints HTML on stdout`,
  `documented  ${stopService.id}  FAIL  StopService leaves the session alive`,
];

function withStatus(m: Matrix, id: string, tier: string, status: Status): Matrix {
  return { ...m, scenarios: m.scenarios.map((s) => (s.id === id && s.tier === tier ? { ...s, status } : s)) };
}

describe('expectations: parsing', () => {
  it('reads tier, target, status, reason and issue link; skips comments and blank lines', () => {
    const entries = parseExpectations(
      ['# known failures', '', `esent  ES-AFTER-TERM  FAIL  returns -1029  after term  https://github.com/o/r/issues/7`, `documented\t"features/a b.feature::two  spaces"\tCRASH\tsegfault`].join('\n'),
      'x.txt',
    );
    assert.equal(entries.length, 2);
    assert.deepEqual(entries[0], {
      tier: 'esent',
      target: { kind: 'id', id: 'ES-AFTER-TERM' },
      status: 'FAIL',
      reason: 'returns -1029 after term',
      issue: 'https://github.com/o/r/issues/7',
      source: { file: 'x.txt', line: 3 },
    });
    assert.deepEqual(entries[1].target, { kind: 'scenario', id: 'features/a b.feature::two  spaces' });
    assert.equal(entries[1].issue, undefined);
    assert.equal(entries[1].source.line, 4);
  });

  it('keeps single spaces inside the scenario id and the reason', () => {
    const [e] = parseExpectations('esent  features/end.feature::Ending a busy session::row 2  FAIL  wrong code here', 'f');
    assert.deepEqual(e.target, { kind: 'scenario', id: 'features/end.feature::Ending a busy session::row 2' });
    assert.equal(e.reason, 'wrong code here');
  });

  const rejects = (line: string, message: RegExp) => {
    assert.throws(() => parseExpectations(`# header\n${line}`, 'exp.txt'), (e: unknown) => {
      assert.ok(e instanceof UsageError, 'a usage error');
      assert.match(e.message, /^exp\.txt:2: /);
      assert.match(e.message, message);
      assert.ok(!e.message.includes('\n'), 'one line');
      return true;
    });
  };

  it('rejects PASS and NOT_APPLICABLE as expected statuses', () => {
    rejects('esent  ES-AFTER-TERM  PASS  it passes', /PASS is not accepted/);
    rejects('esent  ES-AFTER-TERM  NOT_APPLICABLE  no threads', /NOT_APPLICABLE is not accepted/);
  });

  it('rejects unknown tiers, statuses, targets, missing reasons and duplicates, naming file:line', () => {
    rejects('windows  ES-AFTER-TERM  FAIL  r', /unknown tier 'windows'/);
    rejects('esent  ES-AFTER-TERM  BROKEN  r', /unknown status 'BROKEN'/);
    rejects('esent  after-term  FAIL  r', /neither a catalogue ID/);
    rejects('esent  ES-AFTER-TERM  FAIL', /a reason is required/);
    rejects('esent  ES-AFTER-TERM  FAIL  https://example.org/1', /a reason is required/);
    rejects('esent ES-AFTER-TERM FAIL single spaces', /expected <tier>/);
    assert.throws(() => parseExpectations('esent  ES-X-Y  FAIL  a\nesent  ES-X-Y  CRASH  b', 'd.txt'), /^UsageError: d\.txt:2: duplicate entry .*first at line 1/);
  });
});

describe('expectations: the gate', () => {
  const check = (m: Matrix, lines: readonly string[]) => checkExpectations(m, parseExpectations(lines.join('\n'), 'exp.txt'));

  it('match: every non-passing result has its entry', () => {
    const r = check(mixed, allKnown);
    assert.equal(r.ok, true, r.lines.join('\n'));
    assert.equal(r.matched, 5);
    assert.deepEqual([r.unexpectedFailures, r.unexpectedPasses, r.staleEntries, r.notApplicable], [[], [], [], []]);
    assert.match(r.lines[0], /^expectations: OK: 5 expected results matched, 0 unexpected failures, 0 unexpected passes, 0 stale entries$/);
  });

  it('unexpected failure: a non-passing result without an entry', () => {
    const r = check(mixed, allKnown.slice(1));
    assert.equal(r.ok, false);
    assert.equal(r.unexpectedFailures.length, 1);
    assert.equal(r.unexpectedFailures[0].scenarioId, afterTerm.id);
    assert.equal(r.unexpectedFailures[0].catalogueId, 'ES-AFTER-TERM');
    assert.equal(r.unexpectedFailures[0].actual, 'FAIL');
    assert.ok(r.lines.some((l) => l.includes('UNEXPECTED FAILURE') && l.includes('ES-AFTER-TERM') && l.includes('(no expectation)')));
  });

  it('unexpected failure: a result of another kind than expected (FAIL expected, CRASH seen)', () => {
    const m = withStatus(mixed, afterTerm.id, 'esent', 'CRASH');
    const r = check(m, allKnown);
    assert.equal(r.ok, false);
    assert.equal(r.unexpectedFailures.length, 1);
    assert.equal(r.unexpectedFailures[0].expected, 'FAIL');
    assert.equal(r.unexpectedFailures[0].actual, 'CRASH');
    assert.match(r.unexpectedFailures[0].line, /CRASH, but exp\.txt:1 expects FAIL/);
  });

  it('unexpected pass: a result with an entry that passed (the entry must go)', () => {
    const m = withStatus(mixed, timeout.id, 'esent', 'PASS');
    const r = check(m, allKnown);
    assert.equal(r.ok, false);
    assert.equal(r.unexpectedPasses.length, 1);
    assert.equal(r.unexpectedPasses[0].scenarioId, timeout.id);
    assert.match(r.unexpectedPasses[0].line, /UNEXPECTED PASS .*exp\.txt:3 expects TIMEOUT .*remove the entry/);
    assert.equal(r.unexpectedFailures.length, 0);
  });

  it('stale entry: a scenario, an ID or a tier membership that does not exist', () => {
    const r = check(mixed, [
      ...allKnown,
      'esent  features/gone.feature::Removed scenario  FAIL  was flaky',
      'esent  ES-NO-SUCH-ID  FAIL  renamed long ago',
      // ES-RESTORE-IN-PROGRESS is not part of the esent tier ("—" in the catalogue).
      'esent  ES-RESTORE-IN-PROGRESS  FAIL  not in this tier',
    ]);
    assert.equal(r.ok, false);
    assert.equal(r.staleEntries.length, 3);
    assert.deepEqual(r.staleEntries.map((f) => f.entry?.source.line).sort(), [6, 7, 8]);
    assert.ok(r.lines.some((l) => /STALE ENTRY .*exp\.txt:6: esent features\/gone\.feature::Removed scenario: no such scenario/.test(l)));
    assert.equal(r.matched, 5);
  });

  it('a scenario entry for a scenario of the other tier only is stale in this one', () => {
    const docOnly = find(mixed, (s) => s.tier === 'documented' && s.catalogueId === 'ES-NOT-INITIALIZED');
    const r = check(mixed, [...allKnown, `esent  ${docOnly.id}  FAIL  wrong tier`]);
    assert.equal(r.staleEntries.length, 1);
    assert.match(r.staleEntries[0].line, /does not run in the esent tier/);
  });

  it('an ID entry covers the ID; a scenario entry overrides it for its scenario', () => {
    // ES-INVALID-SESID in esent: one scenario CRASHes, the other passes. An ID entry sees the roll-up.
    const idOnly = check(mixed, [...allKnown.filter((l) => !l.includes(crash.id)), 'esent  ES-INVALID-SESID  CRASH  crashes on a forged handle']);
    assert.equal(idOnly.ok, true, idOnly.lines.join('\n'));
    // The ID entry says FAIL, the scenario entry says CRASH: the scenario entry wins for its scenario,
    // and the ID entry then covers only the passing scenario: an unexpected pass.
    const both = check(mixed, [...allKnown, 'esent  ES-INVALID-SESID  FAIL  id-level']);
    assert.equal(both.ok, false);
    assert.equal(both.unexpectedFailures.length, 0, 'the CRASH matched its scenario entry, not the ID entry');
    assert.equal(both.unexpectedPasses.length, 1);
    assert.equal(both.unexpectedPasses[0].catalogueId, 'ES-INVALID-SESID');
    assert.equal(both.unexpectedPasses[0].scenarioId, undefined);
  });

  it('an ID entry whose every scenario has its own entry is stale', () => {
    const other = find(mixed, (s) => s.tier === 'esent' && s.catalogueId === 'ES-INVALID-SESID' && s.status === 'PASS');
    const m = withStatus(mixed, other.id, 'esent', 'FAIL');
    const r = check(m, [...allKnown, `esent  ${other.id}  FAIL  also broken`, 'esent  ES-INVALID-SESID  FAIL  id-level']);
    assert.equal(r.staleEntries.length, 1);
    assert.match(r.staleEntries[0].line, /every scenario of the ID has its own entry/);
  });

  it('an ID entry hides no new failure of another kind among its scenarios', () => {
    const other = find(mixed, (s) => s.tier === 'esent' && s.catalogueId === 'ES-INVALID-SESID' && s.status === 'PASS');
    const m = withStatus(mixed, other.id, 'esent', 'FAIL');
    // CRASH expected of the ID, and a FAIL appears among its scenarios: a finding of its own.
    const r = check(m, [...allKnown.filter((l) => !l.includes(crash.id)), 'esent  ES-INVALID-SESID  CRASH  crashes']);
    assert.equal(r.ok, false);
    assert.equal(r.unexpectedFailures.length, 1);
    assert.match(r.unexpectedFailures[0].line, /ES-INVALID-SESID  .*: FAIL, but exp\.txt:\d+ expects CRASH of ES-INVALID-SESID/);
    assert.equal(r.unexpectedFailures[0].scenarioId, other.id);
  });

  it('an ID entry expecting FAIL does not hide a CRASH of another scenario of that ID', () => {
    // The roll-up of FAIL + CRASH is FAIL: compared as a roll-up, the entry would match and the CRASH vanish.
    const other = find(mixed, (s) => s.tier === 'esent' && s.catalogueId === 'ES-INVALID-SESID' && s.status === 'PASS');
    const m = withStatus(mixed, other.id, 'esent', 'FAIL');
    const r = check(m, [...allKnown.filter((l) => !l.includes(crash.id)), 'esent  ES-INVALID-SESID  FAIL  fails']);
    assert.equal(r.ok, false);
    assert.equal(r.unexpectedFailures.length, 1);
    assert.equal(r.unexpectedFailures[0].scenarioId, crash.id);
    assert.equal(r.unexpectedFailures[0].actual, 'CRASH');
    assert.match(r.unexpectedFailures[0].line, /CRASH, but exp\.txt:\d+ expects FAIL of ES-INVALID-SESID/);
  });

  it('SUITE_ERROR and NOT_RUN cannot be expected', () => {
    assert.throws(() => check(mixed, ['esent  ES-INVALID-SESID  SUITE_ERROR  the suite is broken']), /SUITE_ERROR cannot be expected/);
    assert.throws(() => check(mixed, ['esent  ES-INVALID-SESID  NOT_RUN  not selected']), /NOT_RUN cannot be expected/);
  });

  it('a partial run leaves the entries of IDs and scenarios it did not select unchecked, not stale', () => {
    const kept = mixed.scenarios.filter((s) => s.catalogueId !== 'ES-INVALID-SESID');
    const partial = {
      ...mixed,
      scenarios: kept,
      ids: mixed.ids.map((r) => (r.id === 'ES-INVALID-SESID' ? { ...r, status: 'NOT_RUN' as const, scenarios: [] } : r)),
      selection: { ids: [], tags: 'not @ES-INVALID-SESID', scenariosNotRun: 3, complete: false },
    };
    const r = check(partial, [...allKnown.filter((l) => !l.includes(crash.id)), 'esent  ES-INVALID-SESID  CRASH  crashes', `esent  ${crash.id}  CRASH  crashes`]);
    assert.deepEqual(r.staleEntries.map((f) => f.line), []);
    assert.equal(r.notChecked.length, 2);
    assert.ok(r.lines.some((l) => /not checked: 2 entries for IDs or scenarios this partial run did not select/.test(l)));
  });

  it('an entry whose results were all NOT_APPLICABLE fails the gate (it could not be checked)', () => {
    const r = check(mixed, [...allKnown, 'esent  ES-CLEANUP-OOM  FAIL  leaks on OOM']);
    assert.equal(r.ok, false);
    assert.equal(r.notApplicable.length, 1);
    assert.match(r.notApplicable[0].line, /NOT_APPLICABLE/);
  });

  it('entries for a tier the run did not include are reported, not failed', () => {
    const r = check(esentOnly, [
      `esent  ${find(esentOnly, (s) => s.status === 'FAIL').id}  FAIL  known`,
      'documented  ES-STOP-SERVICE  FAIL  documented-tier entry',
    ]);
    assert.equal(r.ok, true, r.lines.join('\n'));
    assert.equal(r.notChecked.length, 1);
    assert.ok(r.lines.some((l) => /not checked: 1 entry for tier documented/.test(l)));
  });
});

describe('expectations: the starting file', () => {
  it('round-trips: the file written from a run passes the gate on that run', () => {
    for (const name of ['mixed.json', 'esent-only.json', 'reference.json']) {
      const m = loadFixture(name);
      const text = formatExpectationsFile(m, name);
      const r = checkExpectations(m, parseExpectations(text, name));
      assert.equal(r.ok, true, `${name}: ${r.lines.join('\n')}`);
      const bad = m.scenarios.filter((s) => s.status !== 'PASS' && s.status !== 'NOT_APPLICABLE').length;
      assert.equal(r.matched, bad, name);
    }
  });

  it('quotes a scenario id that would split into columns, and keeps the file parseable', () => {
    const s = { ...afterTerm, id: 'features/x.feature::two  spaces\there' };
    const m: Matrix = { ...mixed, scenarios: mixed.scenarios.map((x) => (x === afterTerm ? s : x)), ids: mixed.ids.map((r) => (r.id === 'ES-AFTER-TERM' && r.tier === 'esent' ? { ...r, scenarios: [s.id, ...r.scenarios.slice(1)] } : r)) };
    const text = formatExpectationsFile(m, 'm.json');
    assert.ok(text.includes(JSON.stringify(s.id)));
    assert.equal(checkExpectations(m, parseExpectations(text, 'm')).ok, true);
  });

  it('`ese-conformance expectations --from` writes it; exit 2 on bad input and on overwrite', async () => {
    const dir = tempDir('exp-cli');
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l), env: process.env, cwd: dir };
    const file = path.join(dir, 'sub', 'expectations.txt');
    assert.equal(await main(['expectations', '--from', fixturePath('mixed.json'), '-o', file], io), 0);
    assert.equal(parseExpectations(fs.readFileSync(file, 'utf8'), file).length, 5);
    assert.match(out[0], /expectations\.txt: 5 entries$/);
    assert.equal(await main(['expectations', '--from', fixturePath('mixed.json'), '-o', file], io), 2);
    assert.match(err.at(-1)!, /exists; use --force/);
    assert.equal(await main(['expectations', '--from', fixturePath('mixed.json'), '-o', file, '--force'], io), 0);
    fs.writeFileSync(path.join(dir, 'bad.json'), '{"schemaVersion": 2}');
    assert.equal(await main(['expectations', '--from', 'bad.json'], io), 2);
    assert.match(err.at(-1)!, /^ese-conformance expectations: .*bad\.json is not a matrix\.json of this suite: schemaVersion is 2/);
    assert.equal(await main(['expectations', '--from', 'missing.json'], io), 2);
    assert.match(err.at(-1)!, /cannot read .*missing\.json: ENOENT/);
    assert.equal(await main(['expectations'], io), 2);
    out.length = 0;
    assert.equal(await main(['expectations', '--from', fixturePath('esent-only.json')], io), 0);
    assert.match(out.join('\n'), /^esent {2}features\/stop-service\.feature::stop service \(outline\)::row-1 {2}FAIL {2}observed: /m);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
