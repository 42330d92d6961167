/** reporting/sanitize.ts: implementation text made inert for terminals and CI logs, still readable. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { neutralise, safeLine, safePrinter } from '../../reporting/sanitize';
import { workflowCommand } from '../../reporting/github';

test('workflow-command markers, ANSI, CR/LF, C1 and bidi controls are made visible', () => {
  assert.equal(neutralise('::stop-commands::x'), ':\\x3astop-commands:\\x3ax');
  assert.equal(neutralise('a ##[error]b'), 'a #\\x23[error]b');
  assert.equal(neutralise('\u001b[31mred\u001b[0m'), '\\x1b[31mred\\x1b[0m');
  assert.equal(neutralise('one\r\ntwo'), 'one\\x0d\\x0atwo');
  assert.equal(neutralise('\u009b31m \u202eevil'), '\\x9b31m \\u202eevil');
  assert.equal(neutralise('tab\there'), 'tab\\x09here');
  assert.equal(safeLine('tab\there'), 'tab\there');
  assert.equal(neutralise('plain text: 1:2, C:\\dir'), 'plain text: 1:2, C:\\dir');
});

test('a printer splits multi-line text so that no line starts with a marker', () => {
  const lines: string[] = [];
  safePrinter((l) => lines.push(l))('first\n::error::forged\n##[error]x');
  assert.deepEqual(lines, ['first', ':\\x3aerror:\\x3aforged', '#\\x23[error]x']);
});

test('an annotation is one command: title escaped, message lines neutralised and percent-encoded', () => {
  const line = workflowCommand({ level: 'error', title: '::stop-commands::x', message: 'one\n::error title=forged::y\n\u001b[2K ##[error]z' });
  assert.match(line, /^::error title=%3A%3Astop-commands%3A%3Ax::one%0A::error title=forged::y%0A\\x1b\[2K #\\x23\[error\]z$/);
  assert.ok(!/[\r\n\u001b]/.test(line));
});
