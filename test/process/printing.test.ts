/**
 * Issue 16, item 3, for the commands besides `run`: `matrix`, `expectations` and `fuzz` print text an
 * implementation chose (its name, reasons, divergence messages, trace results). No such line may act
 * in a CI log or a terminal: no GitHub workflow command at a line start, no legacy `##[`, no ESC,
 * CR, line break or bidi override; the text stays readable as visible escapes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AstBuilder, GherkinClassicTokenMatcher, Parser } from '@cucumber/gherkin';
import { IdGenerator } from '@cucumber/messages';
import { parseExpectations } from '../../reporting/expectations';
import type { Matrix } from '../../harness/results';
import { root } from './helpers/run-cli';
import { cli, fixture } from './helpers/hostile';

const hostileName = '::stop-commands::pwned\u001b[31m\u202e';
const hostileReason = '##[error]forged\r\n::error file=a::b\u001b[0m\u009b31m \u202eevil\u2066 \u2028next';
/** What no printed line may contain: C0/C1 controls but tab, DEL, line/paragraph separators, bidi controls, BOM. */
const acting = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\ufeff]/;

function assertInert(lines: readonly string[]): void {
  for (const line of lines) {
    assert.doesNotMatch(line, acting, `a control character printed: ${JSON.stringify(line)}`);
    assert.doesNotMatch(line, /^\s*::/, `a workflow command printed: ${JSON.stringify(line)}`);
    assert.ok(!line.includes('##['), `a legacy workflow command printed: ${JSON.stringify(line)}`);
  }
}

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'ese-printing-'));
}

/** The mixed fixture run, with a hostile implementation name and hostile reasons on its failures. */
function hostileMatrix(dir: string): string {
  const m = JSON.parse(fs.readFileSync(path.join(root, 'test', 'fixtures', 'matrix', 'mixed.json'), 'utf8')) as Matrix;
  const hostile = {
    ...m,
    implementation: { ...m.implementation, name: hostileName, version: '::error title=forged::1' },
    scenarios: m.scenarios.map((s) => (s.status === 'PASS' || s.status === 'NOT_APPLICABLE' ? s : { ...s, reason: `${s.reason ?? ''} ${hostileReason}` })),
  };
  const file = path.join(dir, 'matrix.json');
  fs.writeFileSync(file, JSON.stringify(hostile));
  return file;
}

test('expectations: the file printed and written keeps ids and statuses, and no line acts in a log', async () => {
  const dir = tmp();
  try {
    const from = hostileMatrix(dir);
    const printed = await cli(['expectations', '--from', from]);
    assert.equal(printed.code, 0, printed.err.join('\n'));
    assertInert([...printed.out, ...printed.err]);
    const text = printed.out.join('\n') + '\n';
    // Readable: the reasons are there, escaped, not dropped.
    // (one line per entry: the reason's line breaks became spaces)
    assert.match(text, /observed: .* #\\x23\[error\]forged ::error file=a::b\\x1b\[0m\\x9b31m \\u202eevil\\u2066 next/);
    assert.match(text, /from a run of ::stop-commands::pwned\\x1b\[31m\\u202e ::error title=forged::1\n/);
    // Still an expectations file: every non-passing scenario, with its id (the `::` in it kept).
    const entries = parseExpectations(text, 'stdout');
    const problems = (JSON.parse(fs.readFileSync(from, 'utf8')) as { scenarios: { tier: string; id: string; status: string }[] }).scenarios.filter((s) => !['PASS', 'NOT_APPLICABLE'].includes(s.status));
    assert.ok(problems.length >= 4);
    assert.deepEqual(
      entries.map((e) => `${e.tier} ${e.target.id} ${e.status}`).sort(),
      problems.map((s) => `${s.tier} ${s.id} ${s.status}`).sort(),
    );
    // The written file is the printed text.
    const file = path.join(dir, 'expected.txt');
    const written = await cli(['expectations', '--from', from, '-o', file]);
    assert.equal(written.code, 0, written.err.join('\n'));
    assertInert([...written.out, ...written.err]);
    assert.equal(fs.readFileSync(file, 'utf8'), text);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('matrix and expectations: a malformed matrix.json quoting hostile values gives one inert line, exit 2', async () => {
  const dir = tmp();
  try {
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify({ schemaVersion: `\n::error::forged ${hostileReason}` }));
    for (const args of [['matrix', bad, '-o', path.join(dir, 'out')], ['expectations', '--from', bad]]) {
      const r = await cli(args);
      assert.equal(r.code, 2, args[0]);
      assert.equal(r.err.length, 1, r.err.join('\n'));
      assert.match(r.err[0], /is not a matrix\.json of this suite: schemaVersion is ".*::error::forged #\\x23\[error\]/);
      assertInert([...r.out, ...r.err]);
    }
    // A valid run with a hostile implementation: the pages are written, the printed lines are inert.
    const ok = await cli(['matrix', hostileMatrix(dir), '-o', path.join(dir, 'pages')]);
    assert.equal(ok.code, 0, ok.err.join('\n'));
    assert.equal(ok.out.length, 2);
    assertInert([...ok.out, ...ok.err]);
    assert.ok(fs.readFileSync(path.join(dir, 'pages', 'matrix.md'), 'utf8').length > 0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('fuzz: a divergence whose message is hostile prints inert lines and writes a feature Gherkin can parse', async () => {
  const dir = tmp();
  try {
    const r = await cli(['fuzz', '--adapter', 'process', '--runs', '5', '--no-verify', '--report-dir', dir, '--', 'node', fixture('injection')]);
    assert.equal(r.code, 1, [...r.out, ...r.err].join('\n'));
    assertInert([...r.out, ...r.err]);
    const divergence = r.out.find((l) => l.startsWith('fuzz: DIVERGENCE: '));
    assert.ok(divergence, r.out.join('\n'));
    assert.match(divergence, /CRASH: .*::warning::x: #\\x23\[error\]forged\\x0d\\x0a::error file=a::b\\x1b\[0m\\x9b31m$/);
    const features = fs.readdirSync(dir).filter((f) => f.endsWith('.feature'));
    assert.equal(features.length, 1);
    const text = fs.readFileSync(path.join(dir, features[0]), 'utf8');
    assertInert(text.split('\n'));
    const doc = new Parser(new AstBuilder(IdGenerator.uuid()), new GherkinClassicTokenMatcher()).parse(text);
    const scenario = doc.feature?.children.find((c) => c.scenario)?.scenario;
    assert.match(scenario?.name ?? '', /#\\x23\[error\]forged/);
    assert.ok((scenario?.steps.length ?? 0) >= 2);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
