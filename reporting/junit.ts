/**
 * junit.xml written from the matrix, not by cucumber's formatter, so that CI sees our statuses:
 * FAIL is a <failure>, CRASH / TIMEOUT / PROTOCOL_ERROR an <error> naming the status,
 * NOT_APPLICABLE <skipped> with its reason. One <testsuite> per tier, one <testcase> per scenario;
 * classname is `<catalogue ID>.<tier>`, name the scenario's stable id.
 */
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces';
import type { Matrix, ScenarioResult, Status } from '../harness/results';
import { visibleText as v } from './escape';
import { traceText } from './trace';
import { scoreLine } from './score';

/**
 * xmlbuilder2 writes the markup and escapes every attribute and text node; `v` (visibleText) only
 * makes characters XML 1.0 forbids (control characters from an implementation's stderr) visible,
 * since no escaping can carry them. test/reporting/junit-schema.test.ts validates the output
 * against schemas/junit.xsd.
 */
export function renderJunit(matrix: Matrix): string {
  // An interrupted run's finished scenarios may all pass: one error says the rest never ran, so that
  // a CI test report does not read the cut-off run as a green one.
  const cut = matrix.interrupted === true ? { tests: 1, failures: 0, errors: 1, skipped: 0 } : undefined;
  // A partial selection (--id, --tags) is the user's choice, but must not read as the whole suite.
  const sel = matrix.selection;
  const partial = sel !== undefined && !sel.complete ? { tests: 1, failures: 0, errors: 0, skipped: 1 } : undefined;
  const finished = countOf(matrix.scenarios);
  const all = { ...finished, tests: finished.tests + (cut?.tests ?? 0) + (partial?.tests ?? 0), errors: finished.errors + (cut?.errors ?? 0), skipped: finished.skipped + (partial?.skipped ?? 0) };
  const impl = matrix.implementation;
  // Loaded here, not at the top: xmlbuilder2 takes ~50 ms to load, which `run --help` and `list` need not pay.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { create } = require('xmlbuilder2') as typeof import('xmlbuilder2');
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const suites = doc.ele('testsuites', {
    name: v(`${matrix.suite.name} ${matrix.suite.version}: ${impl.name} ${impl.version}`),
    ...counts(all),
    time: (matrix.durationMs / 1000).toFixed(3),
    timestamp: v(matrix.startedAt),
  });
  for (const tier of matrix.tiers) {
    const scenarios = matrix.scenarios.filter((s) => s.tier === tier);
    const suite = suites.ele('testsuite', { name: v(tier), ...counts(countOf(scenarios)), timestamp: v(matrix.startedAt) });
    const properties = suite.ele('properties');
    for (const [name, value] of [
      ['implementation', impl.name],
      ['implementation.version', impl.version],
      ['implementation.target', impl.target],
      ['implementation.pointerWidth', String(impl.pointerWidth)],
      ['implementation.capabilities', impl.capabilities.join(',')],
      ['adapter', matrix.adapter],
      ['catalogueVersion', matrix.catalogueVersion],
      ['tier', tier],
      // The one score of every report: IDs, not the scenario counts above.
      ['score', scoreLine(matrix, tier)],
    ]) {
      properties.ele('property', { name: v(name), value: v(value) });
    }
    for (const s of scenarios) testcase(suite, s);
  }
  if (cut !== undefined || partial !== undefined) {
    const run = suites.ele('testsuite', { name: 'run', ...counts({ tests: (cut?.tests ?? 0) + (partial?.tests ?? 0), failures: 0, errors: cut?.errors ?? 0, skipped: partial?.skipped ?? 0 }), timestamp: v(matrix.startedAt) });
    if (cut !== undefined) {
      const message = `INTERRUPTED: the run was stopped by a signal after ${matrix.scenarios.length} scenario results; the scenarios after them were not run`;
      run.ele('testcase', { classname: 'run', name: 'the whole run' }).ele('error', { message, type: 'INTERRUPTED' }).txt(message);
    }
    if (sel !== undefined && partial !== undefined) {
      const what = [sel.ids.length > 0 ? `--id ${sel.ids.join(' ')}` : '', sel.tags !== null ? `--tags ${sel.tags}` : ''].filter(Boolean).join(', ');
      run.ele('testcase', { classname: 'run', name: 'the selection' }).ele('skipped', { message: v(`partial run (${what}): ${sel.scenariosNotRun} scenarios of the suite were not selected; the scores are partial`) });
    }
  }
  return `${doc.end({ prettyPrint: true, indent: '  ' })}\n`;
}

function counts(c: { tests: number; failures: number; errors: number; skipped: number }): Record<string, string> {
  return { tests: String(c.tests), failures: String(c.failures), errors: String(c.errors), skipped: String(c.skipped) };
}

function testcase(suite: XMLBuilder, s: ScenarioResult): void {
  const c = suite.ele('testcase', { classname: v(`${s.catalogueId}.${s.tier}`), name: v(s.id), file: v(s.feature), line: String(s.line) });
  if (s.status === 'PASS') return;
  const message = v(summary(s));
  if (s.status === 'NOT_APPLICABLE') c.ele('skipped', { message });
  else c.ele(s.status === 'FAIL' ? 'failure' : 'error', { message, type: s.status }).txt(v(body(s)));
  if (s.stderrTail) c.ele('system-err').txt(v(s.stderrTail));
}

/** One line: the status first for the error kinds (CI tools show only the message). */
function summary(s: ScenarioResult): string {
  const parts: string[] = [];
  if (s.reason) parts.push(s.reason);
  if (s.expected !== undefined) parts.push(`expected ${s.expected}`);
  if (s.actual !== undefined) parts.push(`actual ${s.actual}`);
  const text = parts.join('; ').replace(/\s+/g, ' ');
  if (s.status === 'FAIL' || s.status === 'NOT_APPLICABLE') return text || s.status;
  return text ? `${s.status}: ${text}` : s.status;
}

function body(s: ScenarioResult): string {
  const lines = [`${s.status}: ${s.scenario}`, `catalogue ID: ${s.catalogueId}, tier: ${s.tier}`, `${s.feature}:${s.line}`];
  if (s.reason) lines.push(`reason: ${s.reason}`);
  if (s.expected !== undefined) lines.push(`expected: ${s.expected}`);
  if (s.actual !== undefined) lines.push(`actual: ${s.actual}`);
  for (const d of s.doc) lines.push(`doc: ${d}`);
  lines.push('call trace:', traceText(s.trace));
  return lines.join('\n');
}

function countOf(scenarios: readonly ScenarioResult[]): { tests: number; failures: number; errors: number; skipped: number } {
  const is = (...st: Status[]) => scenarios.filter((s) => st.includes(s.status)).length;
  return { tests: scenarios.length, failures: is('FAIL'), errors: is('CRASH', 'TIMEOUT', 'PROTOCOL_ERROR', 'SUITE_ERROR'), skipped: is('NOT_APPLICABLE') };
}
