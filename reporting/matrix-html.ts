/**
 * matrix.html: one static page, no server and no script. Every cell carries its status as text
 * (colour only repeats it, in a colour-blind-safe palette) and links to the ID's scenarios and
 * their call traces further down the same page. Every string from matrix.json is escaped; a
 * Content-Security-Policy without script-src is a second line of defence.
 */
import type { Matrix, ScenarioResult, Status } from '../harness/results';
import { statuses } from '../harness/results';
import { escapeHtml as h } from './escape';
import {
  buildTable,
  implementationLabel,
  notInTier,
  scenarioAnchor,
  scenariosOf,
  scoreText,
  selectionText,
  type Column,
  type MatrixTable,
} from './matrix-model';
import { traceText } from './trace';

const statusHelp: Record<Status, string> = {
  PASS: 'ran; the outcome and every postcondition are allowed',
  FAIL: 'ran; the outcome or a postcondition is not allowed',
  NOT_APPLICABLE: 'needs a capability or target version the implementation did not declare',
  CRASH: 'the implementation died or raised an exception',
  TIMEOUT: 'the implementation did not answer in time',
  PROTOCOL_ERROR: 'the implementation answered outside the protocol',
  SUITE_ERROR: 'the suite could not reach a verdict (a check it cannot evaluate, or none ran): a defect of the suite, never a pass',
  NOT_RUN: 'no scenario of this ID was selected (--id / --tags): the score is partial',
};

/** Okabe–Ito based; the text in the cell is what carries the meaning. */
const css = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:1.5em;color:#1a1a1a}
h1{font-size:1.5em;margin:0 0 .4em}h2{font-size:1.2em;margin:1.6em 0 .5em}h3{font-size:1.1em;margin:1.4em 0 .4em}
table{border-collapse:collapse}th,td{border:1px solid #999;padding:3px 8px;text-align:left;vertical-align:top}
thead th{background:#f0f0f0}.group th{background:#e4e4e4;font-weight:600}
.st{font-family:ui-monospace,"DejaVu Sans Mono",monospace;white-space:nowrap}.st a{color:inherit}
.st-PASS{background:#d6ebf7}.st-FAIL{background:#f7c98f;font-weight:700}
.st-CRASH{background:#efb49a;font-weight:700}td.st-CRASH{outline:2px solid #d55e00;outline-offset:-3px}
.st-TIMEOUT{background:#f3eb9c;font-weight:700}.st-PROTOCOL_ERROR{background:#e6c6dc;font-weight:700}
.st-NOT_APPLICABLE{background:#eee;color:#444;font-style:italic}.st-SUITE_ERROR{background:#c9a0dc;font-weight:700;outline:2px dashed #56267a;outline-offset:-3px}
.st-NOT_RUN{background:#fff;color:#444;font-style:italic;border:1px dashed #888}.st-none{color:#666;text-align:center}
.dagger{color:#8a3b00;font-weight:700}.muted{color:#555}
.scenario{border-left:4px solid #bbb;margin:.6em 0 .6em .5em;padding:.2em .8em}
.scenario.bad{border-left-color:#d55e00}
pre{background:#f7f7f7;border:1px solid #ddd;padding:.5em;overflow-x:auto;white-space:pre-wrap;word-break:break-word;margin:.3em 0}
dl{display:grid;grid-template-columns:max-content auto;gap:.1em 1em;margin:.3em 0}dt{font-weight:600}dd{margin:0}
.idsec{margin-left:.5em}:target{background:#fff8d0}.impl-start{border-left:3px solid #333}
`;

export function renderMatrixHtml(matrices: readonly Matrix[]): string {
  const table = buildTable(matrices);
  const title = 'JetEndSession conformance matrix';
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${h(title)}: ${h(matrices.map(implementationLabel).join(', '))}</title>`,
    `<style>${css}</style>`,
    '</head>',
    '<body>',
    `<h1>${h(title)}</h1>`,
    implementations(matrices),
    scores(table),
    legend(),
    matrixTable(table),
    details(table),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function implementations(matrices: readonly Matrix[]): string {
  const rows = matrices.map((m, i) => {
    const impl = m.implementation;
    return `<tr><td>${i + 1}</td><td class="impl-name">${h(impl.name)}</td><td>${h(impl.version)}</td><td>${h(impl.target)}</td><td>${h(String(impl.pointerWidth))}-bit</td><td>${h(impl.capabilities.join(', ') || 'none')}</td><td>${h(m.adapter)}</td><td>${h(m.tiers.join(', '))}</td><td>${h(m.suite.name)} ${h(m.suite.version)}, catalogue ${h(m.catalogueVersion)}</td><td>${h(m.startedAt)}</td><td>${(m.durationMs / 1000).toFixed(1)} s</td></tr>`;
  });
  return [
    '<table id="implementations">',
    '<thead><tr><th>#</th><th>Implementation</th><th>Version</th><th>Target</th><th>Pointers</th><th>Capabilities</th><th>Adapter</th><th>Tiers</th><th>Suite</th><th>Started</th><th>Duration</th></tr></thead>',
    `<tbody>${rows.join('\n')}</tbody>`,
    '</table>',
  ].join('\n');
}

function columnLabel(c: Column, multi: boolean): string {
  return multi ? `${h(implementationLabel(c.matrix))}, ${h(c.tier)}` : c.tier;
}

function scores(table: MatrixTable): string {
  const multi = new Set(table.columns.map((c) => c.impl)).size > 1;
  const rows = table.columns.map((c) => {
    const counts = statuses.map((s) => `<td class="count" data-status="${s}">${c.counts[s]}</td>`).join('');
    return `<tr><th scope="row">${columnLabel(c, multi)}</th><td class="score">${h(scoreText(c.score))}</td>${counts}</tr>`;
  });
  return [
    '<h2>Scores</h2>',
    '<p class="muted">Score = catalogue IDs that PASS / IDs of the tier that were applicable. Counts are per catalogue ID.</p>',
    '<table id="scores">',
    `<thead><tr><th>${multi ? 'Implementation, tier' : 'Tier'}</th><th>Score</th>${statuses.map((s) => `<th>${h(s)}</th>`).join('')}</tr></thead>`,
    `<tbody>${rows.join('\n')}</tbody>`,
    '</table>',
    ...[...new Set(table.columns.map((c: Column) => c.matrix))].flatMap((m: Matrix) => {
      const text = selectionText(m);
      return text === undefined ? [] : [`<p class="partial"><strong>${multi ? `${h(implementationLabel(m))}: ` : ''}${h(text)}</strong></p>`];
    }),
  ].join('\n');
}

function legend(): string {
  const items = statuses.map((s) => `<dt><span class="st st-${h(s)}">${h(s)}</span></dt><dd>${h(statusHelp[s])}</dd>`);
  items.push(`<dt><span class="st st-none">${notInTier}</span></dt><dd>not part of this tier</dd>`);
  items.push('<dt><span class="dagger">†</span></dt><dd>ESENT deviates from the doc here</dd>');
  return `<details id="legend"><summary>Legend</summary><dl>${items.join('')}</dl></details>`;
}

function matrixTable(table: MatrixTable): string {
  const impls = [...new Set(table.columns.map((c) => c.impl))];
  const head1 = impls.map((i) => {
    const cols = table.columns.filter((c) => c.impl === i);
    return `<th scope="colgroup" colspan="${cols.length}" class="impl-start">${h(implementationLabel(cols[0].matrix))}</th>`;
  });
  const start = (c: Column) => (table.columns.find((first) => first.impl === c.impl) === c ? ' impl-start' : '');
  const head2 = table.columns.map((c) => `<th scope="col" class="tier${start(c)}">${h(c.tier)}</th>`);
  const scoreRow = table.columns.map((c) => `<td class="score${start(c)}">${h(scoreText(c.score))}</td>`);
  const body: string[] = [];
  for (const group of table.groups) {
    body.push(`<tr class="group"><th scope="colgroup" colspan="${table.columns.length + 1}">${h(group.name)}</th></tr>`);
    for (const row of group.rows) {
      const mark = row.deviates ? ' <span class="dagger" title="ESENT deviates from the doc here">†</span>' : '';
      const cells = row.cells.map((cell) => {
        if (cell.result === undefined) return `<td class="st st-none${start(cell.column)}" title="not part of this tier">${notInTier}</td>`;
        const s = cell.result.status;
        const n = cell.result.scenarios.length;
        return `<td class="st st-${h(s)}${start(cell.column)}"><a href="#${cell.anchor}" title="${n} scenario${n === 1 ? '' : 's'}">${h(s)}</a></td>`;
      });
      body.push(`<tr><th scope="row" class="id">${h(row.id)}${mark}</th>${cells.join('')}</tr>`);
    }
  }
  return [
    '<h2>Matrix</h2>',
    '<table id="matrix">',
    '<thead>',
    `<tr><th rowspan="2" scope="col">Catalogue ID</th>${head1.join('')}</tr>`,
    `<tr>${head2.join('')}</tr>`,
    `<tr class="scores"><th scope="row">Score</th>${scoreRow.join('')}</tr>`,
    '</thead>',
    `<tbody>\n${body.join('\n')}\n</tbody>`,
    '</table>',
  ].join('\n');
}

function details(table: MatrixTable): string {
  const multi = new Set(table.columns.map((c) => c.impl)).size > 1;
  const out: string[] = ['<h2>Details</h2>'];
  for (const column of table.columns) {
    out.push(`<h3>${columnLabel(column, multi)}${multi ? '' : ' tier'}</h3>`);
    for (const group of table.groups) {
      for (const row of group.rows) {
        const cell = row.cells.find((c) => c.column === column);
        if (cell?.result === undefined) continue;
        const result = cell.result;
        const mark = row.deviates ? ' <span class="dagger" title="ESENT deviates from the doc here">†</span>' : '';
        out.push(`<section class="idsec" id="${cell.anchor}">`);
        out.push(`<h4>${h(row.id)}${mark}: <span class="st st-${h(result.status)}">${h(result.status)}</span> <span class="muted">(${h(group.name)}; ${h(column.tier)})</span></h4>`);
        const scenarios = scenariosOf(column.matrix, result);
        if (scenarios.length === 0) out.push('<p class="muted">No scenario of this ID ran in this tier.</p>');
        for (const { scenario, index } of scenarios) out.push(scenarioBlock(scenario, scenarioAnchor(column.impl, column.tier, index)));
        out.push('</section>');
      }
    }
  }
  return out.join('\n');
}

function scenarioBlock(s: ScenarioResult, anchor: string): string {
  const bad = s.status !== 'PASS' && s.status !== 'NOT_APPLICABLE';
  const facts: string[] = [];
  const fact = (name: string, value: string | undefined) => {
    if (value !== undefined && value !== '') facts.push(`<dt>${name}</dt><dd>${h(value)}</dd>`);
  };
  fact('Scenario id', s.id);
  fact('Feature', `${s.feature}:${s.line}`);
  fact('Reason', s.reason);
  fact('Expected', s.expected);
  fact('Actual', s.actual);
  fact('Tags', s.tags.join(' '));
  const doc = s.doc.length === 0 ? '' : `<div class="doc"><strong>Doc:</strong>${s.doc.map((d) => `<blockquote>${h(d)}</blockquote>`).join('')}</div>`;
  const n = s.trace.length;
  const trace = `<details class="trace"${bad ? ' open' : ''}><summary>Call trace (${n} event${n === 1 ? '' : 's'})</summary><pre>${h(traceText(s.trace))}</pre></details>`;
  const stderr = s.stderrTail ? `<details class="stderr"${bad ? ' open' : ''}><summary>stderr (tail)</summary><pre>${h(s.stderrTail)}</pre></details>` : '';
  return [
    `<div class="scenario${bad ? ' bad' : ''}" id="${anchor}">`,
    `<h5><span class="st st-${h(s.status)}">${h(s.status)}</span> ${h(s.scenario)}</h5>`,
    `<dl>${facts.join('')}</dl>`,
    doc,
    trace,
    stderr,
    '</div>',
  ].join('\n');
}
