/**
 * text/terminal.ts, the one sanitiser for implementation text on a terminal or in a CI log, with its
 * hostile cases in one place: ESC sequences, CR, line breaks, workflow commands, C1 and bidi
 * controls, lone surrogates and huge strings; and the printers that use it (the GitHub annotation,
 * `run`'s closing summary, plain cucumber-js's closing score) keep nothing of them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { neutralise, safeLine, safePrinter, terminalLine } from '../../text/terminal';
import { workflowCommand } from '../../reporting/github';
import { summaryLines as standaloneSummary } from '../../harness/standalone-summary';
import type { ScenarioResult } from '../../harness/results';

/** Nothing in `line` can act on a terminal or a CI log runner. */
function inert(line: string): void {
  assert.doesNotMatch(line, /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/, JSON.stringify(line));
  assert.doesNotMatch(line, /::|##\[/, line);
  assert.doesNotMatch(line, /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/, JSON.stringify(line));
}

const hostile = [
  '\u001b[31mred\u001b[0m \u001b]0;title\u0007 \u001b[2K',
  'progress\rOVERWRITTEN',
  'one\r\ntwo\nthree\u2028four\u2029five\u0085six',
  '::error file=x,line=1::forged\n::stop-commands::token\n  ::warning::x',
  'a ##[error]b ##[group]c',
  '\u009b31m \u202eevil\u202c \u2066iso\u2069 \u200e\u200f\u061c \ufeffbom',
  'lone \ud800 high, lone \udc00 low, pair \ud83d\ude00 kept',
  'nul\u0000 bell\u0007 del\u007f',
];

test('neutralise: workflow-command markers, ANSI, CR/LF, C1, bidi and lone surrogates made visible; the rest kept', () => {
  assert.equal(neutralise('::stop-commands::x'), ':\\x3astop-commands:\\x3ax');
  assert.equal(neutralise('a ##[error]b'), 'a #\\x23[error]b');
  assert.equal(neutralise('\u001b[31mred\u001b[0m'), '\\x1b[31mred\\x1b[0m');
  assert.equal(neutralise('one\r\ntwo'), 'one\\x0d\\x0atwo');
  assert.equal(neutralise('\u009b31m \u202eevil'), '\\x9b31m \\u202eevil');
  assert.equal(neutralise('tab\there'), 'tab\\x09here');
  assert.equal(neutralise('lone \ud800 \udc00 pair \ud83d\ude00'), 'lone \\ud800 \\udc00 pair \ud83d\ude00');
  assert.equal(safeLine('tab\there'), 'tab\there');
  assert.equal(neutralise('plain text: 1:2, C:\\dir, é ü 日本'), 'plain text: 1:2, C:\\dir, é ü 日本');
  assert.equal(neutralise('::x', { keepColons: true }), '::x', 'inside a workflow command of ours');
  for (const h of hostile) inert(neutralise(h));
});

test('a printer splits multi-line text so that no line starts with a marker', () => {
  const lines: string[] = [];
  safePrinter((l) => lines.push(l))('first\n::error::forged\n##[error]x\r\n\u001b[2Kcleared');
  assert.deepEqual(lines, ['first', ':\\x3aerror:\\x3aforged', '#\\x23[error]x', '\\x1b[2Kcleared']);
  for (const l of lines) inert(l);
});

test('terminalLine: one line, whitespace runs as one space, cut at max with …, then neutralised', () => {
  assert.equal(terminalLine('  a\n\n  b\tc  ', 20), 'a b c');
  assert.equal(terminalLine('abcdefghij', 10), 'abcdefghij');
  assert.equal(terminalLine('abcdefghijk', 10), 'abcdefghi…');
  assert.equal(terminalLine('::error::x\r\u001b[2K', 80), ':\\x3aerror:\\x3ax \\x1b[2K');
  // The cut never leaves half of a surrogate pair (which would then be a lone surrogate).
  assert.equal(terminalLine('abcd\ud83d\ude00xyz', 6), 'abcd…');
  assert.equal(terminalLine('abc\ud83d\ude00xyz', 6), 'abc\ud83d\ude00…');
  // The cut is made before escaping: an escape is never split.
  assert.equal(terminalLine('\u001b\u001b\u001b\u001b', 3), '\\x1b\\x1b…');
  for (const h of hostile) for (const max of [1, 5, 17, 400]) inert(terminalLine(h, max));
});

test('terminalLine bounds a huge input, reading only its head: 50 MB of text, of whitespace, of ESC', () => {
  for (const [name, huge] of [
    ['text', 'x'.repeat(50_000_000)],
    ['whitespace, then text', ' '.repeat(50_000_000) + 'tail'],
    ['ESC', '\u001b'.repeat(50_000_000)],
  ] as const) {
    const started = process.hrtime.bigint();
    const line = terminalLine(huge, 200);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    assert.ok(line.length <= 200 * 6, `${name}: ${line.length} characters`);
    assert.ok(line.endsWith('…'), `${name}: the cut is marked`);
    inert(line);
    // A bound on the work, not a timing test: a pass over 50 MB would take far longer than this.
    assert.ok(ms < 1000, `${name}: ${ms} ms`);
  }
});

test('the GitHub annotation is one command: title escaped, message lines neutralised and percent-encoded', () => {
  const line = workflowCommand({ level: 'error', title: '::stop-commands::x', message: 'one\n::error title=forged::y\n\u001b[2K ##[error]z' });
  assert.match(line, /^::error title=%3A%3Astop-commands%3A%3Ax::one%0A::error title=forged::y%0A\\x1b\[2K #\\x23\[error\]z$/);
  assert.ok(!/[\r\n\u001b]/.test(line));
});

test('plain cucumber-js\'s closing score (harness/standalone-summary.ts) prints the implementation\'s text inert', () => {
  const result = (reason: string): ScenarioResult => ({
    id: 'f::s', catalogueId: 'ES-INVALID-SESID', tier: 'esent', feature: 'features/x.feature', line: 3, scenario: 's', tags: [], doc: [], status: 'FAIL', reason, expected: reason, trace: [],
  });
  for (const h of hostile) {
    const lines = standaloneSummary([{ adapter: `process ${h}`, tier: 'esent', name: h, version: h }], [result(h)]);
    assert.ok(lines.length >= 3, lines.join('\n'));
    for (const l of lines) inert(l);
  }
  const long = standaloneSummary([{ adapter: 'process', tier: 'esent', name: 'n'.repeat(10_000), version: 'v' }], [result('r'.repeat(1_000_000))]);
  assert.ok(long.every((l) => l.length < 2_000), long.map((l) => l.length).join(', '));
});
