/**
 * junit.xml written from the matrix, not by cucumber's formatter, so that CI sees our statuses:
 * FAIL is a <failure>, CRASH / TIMEOUT / PROTOCOL_ERROR an <error> naming the status,
 * NOT_APPLICABLE <skipped> with its reason. One <testsuite> per tier, one <testcase> per scenario;
 * classname is `<catalogue ID>.<tier>`, name the scenario's stable id.
 */
import type { Matrix, ScenarioResult, Status } from '../harness/results';
import { escapeXml as x } from './escape';
import { traceText } from './trace';
import { scoreLine } from './score';

export function renderJunit(matrix: Matrix): string {
  const all = countOf(matrix.scenarios);
  const impl = matrix.implementation;
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${x(`${matrix.suite.name} ${matrix.suite.version}: ${impl.name} ${impl.version}`)}" tests="${all.tests}" failures="${all.failures}" errors="${all.errors}" skipped="${all.skipped}" time="${(matrix.durationMs / 1000).toFixed(3)}" timestamp="${x(matrix.startedAt)}">`,
  ];
  for (const tier of matrix.tiers) {
    const scenarios = matrix.scenarios.filter((s) => s.tier === tier);
    const c = countOf(scenarios);
    out.push(`  <testsuite name="${x(tier)}" tests="${c.tests}" failures="${c.failures}" errors="${c.errors}" skipped="${c.skipped}" timestamp="${x(matrix.startedAt)}">`);
    out.push('    <properties>');
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
      out.push(`      <property name="${x(name)}" value="${x(value)}"/>`);
    }
    out.push('    </properties>');
    for (const s of scenarios) out.push(...testcase(s));
    out.push('  </testsuite>');
  }
  out.push('</testsuites>', '');
  return out.join('\n');
}

function testcase(s: ScenarioResult): string[] {
  const open = `    <testcase classname="${x(`${s.catalogueId}.${s.tier}`)}" name="${x(s.id)}" file="${x(s.feature)}" line="${s.line}"`;
  if (s.status === 'PASS') return [`${open}/>`];
  const message = x(summary(s));
  const lines = [`${open}>`];
  if (s.status === 'NOT_APPLICABLE') lines.push(`      <skipped message="${message}"/>`);
  else {
    const element = s.status === 'FAIL' ? 'failure' : 'error';
    lines.push(`      <${element} message="${message}" type="${s.status}">${x(body(s))}</${element}>`);
  }
  if (s.stderrTail) lines.push(`      <system-err>${x(s.stderrTail)}</system-err>`);
  lines.push('    </testcase>');
  return lines;
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
