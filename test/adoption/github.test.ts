/**
 * GitHub Actions output (reporting/github.ts): the workflow-command lines and the step summary of a
 * failing run, checked by decoding them the way the Actions runner does.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { Matrix, ScenarioResult } from '../../harness/results';
import { checkExpectations, parseExpectations } from '../../reporting/expectations';
import { escapeData, escapeProperty, githubAnnotations, stepSummaryMarkdown } from '../../reporting/github';
import { repoRoot } from './helpers';

const mixed = JSON.parse(fs.readFileSync(path.join(repoRoot, 'test', 'fixtures', 'matrix', 'mixed.json'), 'utf8')) as Matrix;
const notPassing = (m: Matrix) => m.scenarios.filter((s) => s.status !== 'PASS' && s.status !== 'NOT_APPLICABLE');

/** The runner's unescaping (actions/runner ActionCommand): %25 last, so '%250A' stays '%0A'. */
function unescape(text: string, property: boolean): string {
  let t = text.replace(/%0D/g, '\r').replace(/%0A/g, '\n');
  if (property) t = t.replace(/%3A/g, ':').replace(/%2C/g, ',');
  return t.replace(/%25/g, '%');
}

interface Command {
  readonly level: string;
  readonly props: Record<string, string>;
  readonly message: string;
}

/** Parses one `::level k=v,k=v::data` line; fails the test when the line is not a well-formed command. */
function parseCommand(line: string): Command {
  assert.doesNotMatch(line, /[\r\n]/, 'a workflow command is one line');
  const m = /^::(error|warning|notice) ([^:]*)::(.*)$/.exec(line);
  assert.ok(m, `not a workflow command with properties: ${line.slice(0, 120)}`);
  const props: Record<string, string> = {};
  for (const pair of m[2].split(',')) {
    const eq = pair.indexOf('=');
    assert.ok(eq > 0, `property without '=': ${pair}`);
    props[pair.slice(0, eq)] = unescape(pair.slice(eq + 1), true);
  }
  return { level: m[1], props, message: unescape(m[3], false) };
}

function failing(count: number, patch: Partial<ScenarioResult> = {}): Matrix {
  const template = notPassing(mixed).find((s) => s.status === 'FAIL');
  assert.ok(template);
  const scenarios = Array.from({ length: count }, (_, i) => ({ ...template, id: `${template.feature}::case ${i}`, scenario: `case ${i}`, ...patch }));
  return { ...mixed, scenarios };
}

describe('github: escaping of workflow commands', () => {
  it('escapes data as actions/toolkit does: %, CR and LF', () => {
    assert.equal(escapeData('50% done\r\nnext: a, b'), '50%25 done%0D%0Anext: a, b');
  });

  it('escapes properties as data, plus the delimiters : and ,', () => {
    assert.equal(escapeProperty('ES-X [esent] FAIL: a, b\n%'), 'ES-X [esent] FAIL%3A a%2C b%0A%25');
  });

  it('round-trips through the runner unescaping, including text that looks escaped already', () => {
    for (const text of ['%0A literal', 'a,b:c', '100%', 'x\r\ny', '%25%3A']) {
      assert.equal(unescape(escapeData(text), false), text);
      assert.equal(unescape(escapeProperty(text), true), text);
    }
  });
});

describe('github: annotations of a failing run', () => {
  const bad = notPassing(mixed);
  const lines = githubAnnotations(mixed);

  it('gives one ::error per FAIL, CRASH, TIMEOUT and PROTOCOL_ERROR scenario, nothing for PASS or NOT_APPLICABLE', () => {
    assert.equal(bad.length, 5);
    assert.deepEqual(new Set(bad.map((s) => s.status)), new Set(['FAIL', 'CRASH', 'TIMEOUT', 'PROTOCOL_ERROR']));
    assert.equal(lines.length, bad.length);
    for (const line of lines) assert.equal(parseCommand(line).level, 'error');
  });

  it('titles name the catalogue ID, tier, status and scenario; messages give expected vs actual', () => {
    lines.forEach((line, i) => {
      const s = bad[i];
      const c = parseCommand(line);
      assert.equal(c.props.title, `${s.catalogueId} [${s.tier}] ${s.status}: ${s.scenario}`);
      assert.equal(c.props.file, undefined, 'no file property by default: the features are not in the user repository');
      const msg = c.message.split('\n');
      assert.match(msg[0], new RegExp(`^${s.status} in the ${s.tier} tier: ${s.catalogueId}`));
      assert.equal(msg[1], `Scenario: ${s.id} (${s.feature}:${s.line})`);
      assert.equal(msg[2], `Expected: ${s.expected ?? 'the scenario passes'}`);
      assert.ok(msg[3].startsWith('Actual: '), msg[3]);
      if (s.actual !== undefined) assert.equal(msg[3], `Actual: ${s.actual}`);
      else assert.ok(msg[3].includes(s.status) && msg[3].includes(s.reason?.slice(0, 20) ?? ''), msg[3]);
    });
  });

  it('marks an ID where ESENT deviates from the doc and names its group', () => {
    const i = bad.findIndex((s) => s.catalogueId === 'ES-AFTER-TERM');
    assert.match(parseCommand(lines[i]).message, /^FAIL in the esent tier: ES-AFTER-TERM † \(/);
  });

  it('keeps the stderr tail of a crash, control characters made visible', () => {
    const i = bad.findIndex((s) => s.status === 'CRASH');
    const msg = parseCommand(lines[i]).message;
    assert.match(msg, /stderr \(last lines\):\n {2}\\x1b\[31mSegmentation fault/);
    assert.doesNotMatch(msg, /\u001b/);
  });

  it('cannot be broken out of by hostile text: newlines, %, :, ",", and "::" stay inside one command', () => {
    const hostile = 'x, y: z %0A\r\n::warning::injected\n::stop-commands::t';
    const [line] = githubAnnotations(failing(1, { scenario: hostile, reason: hostile, expected: hostile, actual: hostile }));
    const c = parseCommand(line);
    assert.deepEqual(Object.keys(c.props), ['title']);
    assert.ok(c.props.title.endsWith(': x, y: z %0A ::warning::injected ::stop-commands::t'), c.props.title);
    assert.ok(c.message.includes(`Expected: ${'x, y: z %0A ::warning::injected ::stop-commands::t'}`), c.message);
  });

  it('adds file and line when a feature path prefix is given (this repository, where features/ is checked in)', () => {
    const c = parseCommand(githubAnnotations(mixed, undefined, { featurePrefix: '' })[0]);
    assert.equal(c.props.file, bad[0].feature);
    assert.equal(c.props.line, String(bad[0].line));
  });

  it('caps each level at 10 (GitHub drops the rest silently); the last one counts what is not shown', () => {
    const many = githubAnnotations(failing(25));
    assert.equal(many.length, 10);
    const last = parseCommand(many[9]);
    assert.equal(last.props.title, '16 more errors not shown');
    assert.equal(githubAnnotations(failing(10)).length, 10);
    assert.ok(githubAnnotations(failing(10)).every((l) => !l.includes('not shown')));
  });

  it('gives nothing for a run where everything passed', () => {
    assert.deepEqual(githubAnnotations({ ...mixed, scenarios: mixed.scenarios.filter((s) => s.status === 'PASS') }), []);
  });
});

describe('github: annotations with the expectations gate', () => {
  const afterTerm = notPassing(mixed).find((s) => s.catalogueId === 'ES-AFTER-TERM');
  const crash = notPassing(mixed).find((s) => s.status === 'CRASH');
  /** Computed inside each test, so that a broken implementation fails tests rather than the suite's set-up. */
  const run = () => {
    assert.ok(afterTerm && crash);
    const entries = parseExpectations(
      [`esent  ${afterTerm.id}  FAIL  known bug`, `esent  ${crash.id}  TIMEOUT  used to hang`, 'esent  features/gone.feature::renamed  FAIL  old name', 'documented  ES-SUCCESS-IDLE  FAIL  fixed since'].join('\n'),
      'ci.expectations',
    );
    const gate = checkExpectations(mixed, entries);
    return { gate, commands: githubAnnotations(mixed, gate).map(parseCommand), afterTerm, crash };
  };

  it('makes a known failure a notice and keeps every result the gate rejects an error', () => {
    const { gate, commands, afterTerm, crash } = run();
    assert.equal(gate.ok, false);
    const notices = commands.filter((c) => c.level === 'notice');
    assert.equal(notices.length, 1);
    assert.equal(notices[0].props.title, `expected ES-AFTER-TERM [esent] FAIL: ${afterTerm.scenario}`);
    assert.match(notices[0].message, /Expectations: a known result/);
    const crashError = commands.find((c) => c.props.title === `UNEXPECTED ES-INVALID-SESID [esent] CRASH: ${crash.scenario}`);
    assert.ok(crashError, 'a CRASH where TIMEOUT is expected is an unexpected failure');
    assert.match(crashError.message, /Expectations: ci\.expectations:2 expects TIMEOUT/);
    assert.equal(commands.filter((c) => c.props.title.startsWith('UNEXPECTED ') && !c.props.title.startsWith('UNEXPECTED PASS')).length, 4);
  });

  it('reports an unexpected pass and a stale entry as errors naming the entry', () => {
    const { commands } = run();
    const pass = commands.find((c) => c.props.title.startsWith('UNEXPECTED PASS'));
    assert.ok(pass);
    assert.equal(pass.props.title, 'UNEXPECTED PASS: ES-SUCCESS-IDLE [documented]');
    assert.match(pass.message, /ci\.expectations:4 expects FAIL \(fixed since\); remove the entry/);
    const stale = commands.find((c) => c.props.title.startsWith('STALE ENTRY'));
    assert.ok(stale);
    assert.equal(stale.props.title, 'STALE ENTRY: [esent] renamed');
    assert.match(stale.message, /ci\.expectations:3/);
  });

  it('gives only notices when every result is as expected', () => {
    const all = notPassing(mixed).map((s) => `${s.tier}  ${s.id}  ${s.status}  known`);
    const okGate = checkExpectations(mixed, parseExpectations(all.join('\n'), 'all.expectations'));
    assert.equal(okGate.ok, true);
    const levels = githubAnnotations(mixed, okGate).map((l) => parseCommand(l).level);
    assert.deepEqual(levels, ['notice', 'notice', 'notice', 'notice', 'notice']);
  });
});

describe('github: step summary of a failing run', () => {
  const md = stepSummaryMarkdown(mixed);
  const rows = (text: string) => text.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Tier'));
  /** Cells of a Markdown table row: split on pipes that are not escaped. */
  const cells = (row: string) => row.slice(2, -2).split(/(?<!\\)\|/).map((c) => c.trim());

  it('starts with the verdict and the implementation (escaped: it is implementation text)', () => {
    const [heading] = md.split('\n');
    assert.equal(heading, '## ❌ ESE conformance: &lt;script&gt;alert\\(1\\)&lt;/script&gt; 1.0 &quot;beta&quot; &amp; &lt;b&gt;bold&lt;/b&gt;: 5 scenario results not passing');
    assert.doesNotMatch(md, /<script>|<b>/);
  });

  it('has a per-tier table with the ID score and a count per status', () => {
    const tierRows = rows(md).filter((r) => /^\| (documented|esent) \| \d+\/\d+ applicable IDs pass/.test(r));
    assert.equal(tierRows.length, 2);
    for (const r of tierRows) {
      const c = cells(r);
      const tier = c[0];
      const counts = c.slice(2).map(Number);
      assert.equal(counts.reduce((a, b) => a + b, 0), mixed.scenarios.filter((s) => s.tier === tier).length);
    }
  });

  it('lists every non-passing scenario with tier, ID, status, expected and actual', () => {
    const bad = notPassing(mixed);
    const failureRows = rows(md).filter((r) => cells(r).length === 6 && !/^\| (documented|esent) \| \d+\/\d+ applicable IDs pass/.test(r));
    assert.equal(failureRows.length, bad.length);
    failureRows.forEach((r, i) => {
      const [tier, id, , status, expected, actual] = cells(r);
      assert.equal(tier, bad[i].tier);
      assert.ok(id.startsWith(bad[i].catalogueId), id);
      assert.equal(status, bad[i].status);
      assert.ok(expected.length > 0 && actual.length > 0, r);
    });
    assert.match(md, /### Not passing \(5\)/);
  });

  it('keeps a hostile scenario name inside its cell', () => {
    const summary = stepSummaryMarkdown(failing(1, { scenario: 'a | b\n| c', actual: '<img src=x>' }));
    const row = rows(summary).find((r) => r.includes('a \\| b'));
    assert.ok(row, summary);
    assert.equal(cells(row).length, 6);
    assert.doesNotMatch(summary, /<img/);
  });

  it('with a gate: the gate line, unexpected vs expected per row, and the findings', () => {
    const afterTerm = notPassing(mixed).find((s) => s.catalogueId === 'ES-AFTER-TERM');
    assert.ok(afterTerm);
    const gate = checkExpectations(mixed, parseExpectations(`esent  ${afterTerm.id}  FAIL  known\ndocumented  ES-SUCCESS-IDLE  FAIL  fixed`, 'e.txt'));
    const summary = stepSummaryMarkdown(mixed, gate);
    assert.match(summary.split('\n')[0], /^## ❌ .*: results differ from the expectations$/);
    assert.match(summary, /\*\*Expectations gate:\*\* MISMATCH: 1 expected result matched, 4 unexpected failures, 1 unexpected pass, 0 stale entries/);
    const gateCells = rows(summary).map(cells).filter((c) => c.length === 7).map((c) => c[6]);
    assert.deepEqual(gateCells.sort(), ['**unexpected**', '**unexpected**', '**unexpected**', '**unexpected**', 'expected']);
    assert.match(summary, /### Unexpected passes \(remove the entry\) \(1\)/);
  });

  it('says so when everything is as expected', () => {
    const all = notPassing(mixed).map((s) => `${s.tier}  ${s.id}  ${s.status}  known`);
    const summary = stepSummaryMarkdown(mixed, checkExpectations(mixed, parseExpectations(all.join('\n'), 'all')));
    assert.match(summary.split('\n')[0], /^## ✅ .*: every result as expected$/);
  });
});
