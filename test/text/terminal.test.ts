/**
 * text/terminal.ts, the one sanitiser for implementation text on a terminal or in a CI log, with its
 * hostile cases in one place: ESC sequences, CR, line breaks, workflow commands, C1 and bidi
 * controls, lone surrogates and huge strings; and the printers that use it (the GitHub annotation,
 * `run`'s closing summary, plain cucumber-js's closing score) keep nothing of them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { neutralise, safeLine, safePrinter, terminalLine } from '../../text/terminal';
import { workflowCommand } from '../../reporting/github';
import { summaryLines as standaloneSummary } from '../../harness/standalone-summary';
import type { ScenarioResult } from '../../harness/results';

/**
 * What GitHub's runner reads as a command in a line (actions/runner ActionCommand): the legacy `##[`
 * anywhere, or `::` first after .NET's TrimStart (Unicode white space, which JavaScript's \s covers).
 * The runner reads a line up to CR or LF.
 */
function githubCommand(text: string): boolean {
  return text.split(/\r\n|\r|\n/).some((line) => line.includes('##[') || /^\s*::/.test(line));
}

/** Nothing in `line` can act on a terminal or a CI log runner, alone, indented or after another piece. */
function inert(line: string): void {
  assert.doesNotMatch(line, /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/, JSON.stringify(line));
  for (const printed of [line, `  ${line}`, `\t${line}`, `${line}${line}`, `:${line}`.slice(1)]) {
    assert.ok(!githubCommand(printed), `a workflow command in ${JSON.stringify(printed)}`);
  }
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
  assert.equal(neutralise('::stop-commands::x'), '\\x3a:stop-commands::x');
  assert.equal(neutralise('a ##[error]b'), 'a #\\x23[error]b');
  assert.equal(neutralise('\u001b[31mred\u001b[0m'), '\\x1b[31mred\\x1b[0m');
  assert.equal(neutralise('one\r\ntwo'), 'one\\x0d\\x0atwo');
  assert.equal(neutralise('\u009b31m \u202eevil'), '\\x9b31m \\u202eevil');
  assert.equal(neutralise('tab\there'), 'tab\\x09here');
  assert.equal(neutralise('tab\there', { keepTabs: true }), 'tab\there');
  assert.equal(neutralise('lone \ud800 \udc00 pair \ud83d\ude00'), 'lone \\ud800 \\udc00 pair \ud83d\ude00');
  assert.equal(safeLine('tab\there'), 'tab\there');
  assert.equal(neutralise('plain text: 1:2, C:\\dir, é ü 日本'), 'plain text: 1:2, C:\\dir, é ü 日本');
  assert.equal(neutralise('::x', { keepColons: true }), '::x', 'inside a workflow command of ours');
  for (const h of hostile) inert(neutralise(h));
});

test('neutralise breaks `:` only where GitHub reads a command: first after any leading white space', () => {
  // Inside a line `::` is data: a scenario id reads as written.
  assert.equal(neutralise('features/x.feature::idle session'), 'features/x.feature::idle session');
  assert.equal(neutralise('a ::error::x'), 'a ::error::x');
  assert.equal(neutralise('C::D:: ::e'), 'C::D:: ::e');
  // At the start, after white space the runner trims: space, NBSP, ideographic and en spaces, a kept tab.
  assert.equal(neutralise('  ::error::x'), '  \\x3a:error::x');
  assert.equal(neutralise('\u00a0\u3000\u2002::error::x'), '\u00a0\u3000\u2002\\x3a:error::x');
  assert.equal(neutralise('\t::error::x', { keepTabs: true }), '\t\\x3a:error::x');
  // A white space the sanitiser escapes is no longer white space: `\x09` already breaks the start.
  assert.equal(neutralise('\t::error::x'), '\\x09::error::x');
  // A line break inside the text is escaped, so the text's start is the only line start in it
  // (the runner also ends a line at a lone CR).
  assert.equal(neutralise('x\r::error::y'), 'x\\x0d::error::y');
  assert.equal(neutralise('x\n::error::y\u2028::z\u0085::w'), 'x\\x0a::error::y\\u2028::z\\x85::w');
  // A lone leading `:` too: printed right after a piece ending in `:` it would make one.
  assert.equal(neutralise(':error::x'), '\\x3aerror::x');
  assert.equal(neutralise(' :'), ' \\x3a');
  assert.equal(`${neutralise(':')}${neutralise(':error::x')}`, '\\x3a\\x3aerror::x');
  // The legacy `##[` acts anywhere in a line, also made of two pieces.
  assert.equal(`${neutralise('C#')}${neutralise('#[error]x')}`, 'C\\x23#[error]x');
  assert.equal(`${neutralise('##')}[error]`, '#\\x23[error]');
  assert.ok(!githubCommand(neutralise('::error::x')) && githubCommand('::error::x') && githubCommand(' \u00a0::error::x'));
  assert.ok(githubCommand('a\r::error::x') && githubCommand('a ##[error]x'), 'the check reads lines as the runner does');
});

test('property: no text neutralised, alone, indented or after another neutralised piece, is a GitHub command', () => {
  const alphabet = fc.constantFrom(':', ':', ':', '#', '#', '[', ']', ' ', '\t', '\r', '\n', '\u00a0', '\u3000', '\u2028', '\u0085', '\u000b', 'e', '\\', 'x');
  const piece = fc.array(alphabet, { maxLength: 12 }).map((cs) => cs.join(''));
  fc.assert(
    fc.property(piece, piece, fc.boolean(), (a, b, keepTabs) => {
      const na = neutralise(a, { keepTabs });
      const nb = neutralise(b, { keepTabs });
      const printed: string[] = [na, `  ${na}`, `${na}${nb}`, `\t${na}${nb}`];
      safePrinter((l) => printed.push(l))(`${a}\n${b}\r\n${a}`);
      return printed.every((l) => !githubCommand(l));
    }),
    { seed: 20, numRuns: 3000 },
  );
});

test('a printer splits multi-line text so that no line starts with a marker', () => {
  const lines: string[] = [];
  safePrinter((l) => lines.push(l))('first\n::error::forged\n##[error]x\r\n\u001b[2Kcleared');
  assert.deepEqual(lines, ['first', '\\x3a:error::forged', '#\\x23[error]x', '\\x1b[2Kcleared']);
  for (const l of lines) inert(l);
});

test('terminalLine: one line, whitespace runs as one space, cut at max with …, then neutralised', () => {
  assert.equal(terminalLine('  a\n\n  b\tc  ', 20), 'a b c');
  assert.equal(terminalLine('abcdefghij', 10), 'abcdefghij');
  assert.equal(terminalLine('abcdefghijk', 10), 'abcdefghi…');
  assert.equal(terminalLine('::error::x\r\u001b[2K', 80), '\\x3a:error::x \\x1b[2K');
  // Leading white space is trimmed first: the `::` it hid is then the start, and broken.
  assert.equal(terminalLine(' \n ::error::x', 80), '\\x3a:error::x');
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
