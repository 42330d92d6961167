/**
 * matrix.md: the same table as matrix.html in Markdown, for pull requests and step summaries.
 * Cells link to the ID's details in matrix.html (same directory by default).
 */
import type { Matrix } from '../harness/results';
import { isProblem, statuses } from '../harness/results';
import { escapeMarkdown as md } from './escape';
import { buildTable, implementationLabel, notInTier, scenariosOf, selectionText } from './matrix-model';
import { scoreLine } from './score';
import { partlyChecked, partlyText } from '../harness/partly';

export function renderMatrixMarkdown(matrices: readonly Matrix[], opts: { htmlHref?: string } = {}): string {
  const href = opts.htmlHref ?? 'matrix.html';
  const table = buildTable(matrices);
  const multi = matrices.length > 1;
  const label = (impl: number, tier: string) => (multi ? `${md(implementationLabel(matrices[impl]))}, ${md(tier)}` : md(tier));
  const out: string[] = ['# JetEndSession conformance matrix', ''];

  out.push('| # | Implementation | Version | Target | Adapter | Tiers | Started | Duration |', '|---|---|---|---|---|---|---|---|');
  matrices.forEach((m, i) => {
    const impl = m.implementation;
    out.push(`| ${i + 1} | ${md(impl.name)} | ${md(impl.version)} | ${md(impl.target)}, ${impl.pointerWidth}-bit | ${md(m.adapter)} | ${md(m.tiers.join(', '))} | ${md(m.startedAt)} | ${(m.durationMs / 1000).toFixed(1)} s |`);
  });

  out.push('', '## Scores', '', `| ${multi ? 'Implementation, tier' : 'Tier'} | Score | ${statuses.join(' | ')} |`, `|---|---|${statuses.map(() => '---:').join('|')}|`);
  for (const c of table.columns) out.push(`| ${label(c.impl, c.tier)} | ${scoreLine(c.matrix, c.tier)} | ${statuses.map((s) => c.counts[s]).join(' | ')} |`);
  matrices.forEach((m, i) => {
    const text = selectionText(m);
    if (text !== undefined) out.push('', `**${multi ? `${md(implementationLabel(matrices[i]))}: ` : ''}${md(text)}**`);
    if (m.interrupted === true) out.push('', `**${multi ? `${md(implementationLabel(m))}: ` : ''}INTERRUPTED: the run was stopped by a signal; only the ${m.scenarios.length} scenarios finished before it are reported.**`);
  });

  out.push('', '## Matrix', '');
  out.push(`| Catalogue ID | ${table.columns.map((c) => label(c.impl, c.tier)).join(' | ')} |`);
  out.push(`|---|${table.columns.map(() => '---').join('|')}|`);
  for (const group of table.groups) {
    out.push(`| **${md(group.name)}** |${table.columns.map(() => ' ').join('|')}|`);
    for (const row of group.rows) {
      const cells = row.cells.map((cell) => {
        if (cell.result === undefined) return notInTier;
        const partly = partlyChecked(cell.column.matrix, cell.result);
        return `[${cell.result.status}](${href}#${cell.anchor})${partly === undefined ? '' : `, ${partlyText(partly)}`}`;
      });
      out.push(`| ${md(row.id)}${row.deviates ? ' †' : ''} | ${cells.join(' | ')} |`);
    }
  }
  out.push('', '† ESENT deviates from the doc here. — not part of this tier. NOT_RUN: not selected. Scores count catalogue IDs: PASS / applicable.');

  const failures: string[] = [];
  for (const c of table.columns) {
    for (const group of table.groups) {
      for (const row of group.rows) {
        const result = row.cells.find((cell) => cell.column === c)?.result;
        if (result === undefined || !isProblem(result.status)) continue;
        for (const { scenario: s } of scenariosOf(c.matrix, result)) {
          if (s.status === 'PASS' || s.status === 'NOT_APPLICABLE') continue;
          const detail = [s.reason, s.expected === undefined ? undefined : `expected ${s.expected}`, s.actual === undefined ? undefined : `actual ${s.actual}`]
            .filter((x): x is string => x !== undefined)
            .join('; ');
          failures.push(`- ${label(c.impl, c.tier)} **${md(row.id)}** ${s.status}: ${md(s.scenario)} (${md(`${s.feature}:${s.line}`)})${detail ? `: ${md(detail)}` : ''}`);
        }
      }
    }
  }
  if (failures.length > 0) out.push('', '## Failures', '', ...failures);
  return out.join('\n') + '\n';
}
