/**
 * matrix.html: one static page, no server and no script, read top-down: per tier the score with
 * its coverage and a stacked bar of the IDs' statuses (static SVG), then every scenario that did
 * not pass (failures first, with expected and actual codes), then the matrix, whose cells carry
 * their status as text with the scenario counts (passed/run) and, for a problem, the reason one
 * click away (details/summary), then each ID's scenarios and call traces. Colour only repeats the
 * text. Every string from matrix.json is escaped; a Content-Security-Policy without script-src is
 * a second line of defence.
 */
import type { IdResult, Matrix, ScenarioResult, Status } from '../harness/results';
import { isProblem, statuses } from '../harness/results';
import { escapeHtml as h } from './escape';
import {
  buildTable,
  implementationLabel,
  notInTier,
  scenarioAnchor,
  scenariosOf,
  selectionText,
  type Column,
  type MatrixTable,
} from './matrix-model';
import { traceText } from './trace';
import { tierCoverage, coverageText } from './score';

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
.st-PASS{background:#c6e8bf}.st-FAIL{background:#f7c98f;font-weight:700}
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
.tiers{display:flex;flex-wrap:wrap;gap:1em 2.5em}.tier-summary h3{margin:.2em 0}.tier-summary p{margin:.2em 0}
.bar{display:block;margin:.3em 0}.bar-legend{font-size:.9em;color:#333}.bar-legend span{margin-right:.8em;white-space:nowrap}
.swatch{display:inline-block;width:.8em;height:.8em;border:1px solid #666;margin-right:.25em;vertical-align:-.05em}
td.st details summary{cursor:pointer}td.st .n{font-weight:400;color:#333;margin-left:.3em}
td.st .why{white-space:normal;max-width:28em;font-family:system-ui,sans-serif;font-weight:400;font-size:.9em;margin:.3em 0}
.failure{margin:.3em 0 .3em .3em;border-left:4px solid #d55e00;padding:.1em .6em}.failure summary{cursor:pointer}
.failure .codes{font-family:ui-monospace,"DejaVu Sans Mono",monospace}
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
    '<p class="muted"><a href="#failures">Not passing</a> · <a href="#matrix">Matrix</a> · <a href="#legend">Legend</a></p>',
    implementations(matrices),
    summaries(table),
    failures(table),
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
    return `<tr><th scope="row">${columnLabel(c, multi)}</th><td class="score">${h(coverageText(tierCoverage(c.matrix, c.tier)))}</td>${counts}</tr>`;
  });
  return [
    '<h2>Scores</h2>',
    '<p class="muted">Counts are per catalogue ID.</p>',
    '<table id="scores">',
    `<thead><tr><th>${multi ? 'Implementation, tier' : 'Tier'}</th><th>Score</th>${statuses.map((s) => `<th>${h(s)}</th>`).join('')}</tr></thead>`,
    `<tbody>${rows.join('\n')}</tbody>`,
    '</table>',
    ...[...new Set(table.columns.map((c: Column) => c.matrix))].flatMap((m: Matrix) => {
      const text = selectionText(m);
      return text === undefined ? [] : [`<p class="partial"><strong>${multi ? `${h(implementationLabel(m))}: ` : ''}${h(text)}</strong></p>`];
    }),
    // An interrupted run (SIGINT/SIGTERM): only what finished before it is here.
    ...[...new Set(table.columns.map((c: Column) => c.matrix))]
      .filter((m: Matrix) => m.interrupted === true)
      .map((m: Matrix) => `<p class="partial"><strong>${multi ? `${h(implementationLabel(m))}: ` : ''}INTERRUPTED: the run was stopped by a signal; only the ${m.scenarios.length} scenarios finished before it are reported.</strong></p>`),
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
  const scoreRow = table.columns.map((c) => `<td class="score${start(c)}">${h(coverageText(tierCoverage(c.matrix, c.tier)))}</td>`);
  const body: string[] = [];
  for (const group of table.groups) {
    body.push(`<tr class="group"><th scope="colgroup" colspan="${table.columns.length + 1}">${h(group.name)}</th></tr>`);
    for (const row of group.rows) {
      const mark = row.deviates ? ' <span class="dagger" title="ESENT deviates from the doc here">†</span>' : '';
      const cells = row.cells.map((cell) => {
        if (cell.result === undefined) return `<td class="st st-none${start(cell.column)}" title="not part of this tier">${notInTier}</td>`;
        return statusCell(cell.column, cell.result, cell.anchor, start(cell.column));
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

/** Fills of the bar; the text beside it says the same. */
const barColour: Record<Status, string> = {
  PASS: '#4daf4a',
  FAIL: '#e66101',
  CRASH: '#b2182b',
  TIMEOUT: '#e6c700',
  PROTOCOL_ERROR: '#984ea3',
  SUITE_ERROR: '#56267a',
  NOT_APPLICABLE: '#bdbdbd',
  NOT_RUN: '#ffffff',
};

/** Per tier: the score with its coverage, a stacked bar of the IDs' statuses, and the counts as text. */
function summaries(table: MatrixTable): string {
  const multi = new Set(table.columns.map((c) => c.impl)).size > 1;
  const blocks = table.columns.map((c) => {
    const cov = tierCoverage(c.matrix, c.tier);
    // Passes, then problems, then what was not checked.
    const present = (['PASS', 'FAIL', 'CRASH', 'TIMEOUT', 'PROTOCOL_ERROR', 'SUITE_ERROR', 'NOT_APPLICABLE', 'NOT_RUN'] as const).filter((s) => (c.counts[s] ?? 0) > 0);
    const width = 360;
    let x = 0;
    const rects = present.map((s) => {
      const w = cov.total === 0 ? 0 : (c.counts[s] / cov.total) * width;
      const rect = `<rect x="${x.toFixed(1)}" y="0" width="${w.toFixed(1)}" height="18" fill="${barColour[s]}" stroke="#555" stroke-width="0.5"><title>${s}: ${c.counts[s]}</title></rect>`;
      x += w;
      return rect;
    });
    const label = `${columnLabel(c, multi)}: ${present.map((s) => `${c.counts[s]} ${s}`).join(', ')} of ${cov.total} IDs`;
    const svg = `<svg class="bar" width="${width}" height="18" viewBox="0 0 ${width} 18" role="img" aria-label="${h(label)}">${rects.join('')}</svg>`;
    const legendText = present.map((s) => `<span><span class="swatch" style="background:${barColour[s]}"></span>${c.counts[s]} ${h(s)}</span>`).join('');
    return `<div class="tier-summary"><h3>${columnLabel(c, multi)}${multi ? '' : ' tier'}</h3><p class="score"><strong>${h(coverageText(cov))}</strong></p>${svg}<p class="bar-legend">${legendText}</p></div>`;
  });
  return ['<h2>Summary</h2>', '<p class="muted">Score: catalogue IDs that PASS / IDs of the tier that were applicable; an ID passes when every one of its applicable scenarios does.</p>', `<div class="tiers">${blocks.join('\n')}</div>`].join('\n');
}

/** Every scenario that did not pass, before anything else: what was expected, what came back, why. */
function failures(table: MatrixTable): string {
  const multi = new Set(table.columns.map((c) => c.impl)).size > 1;
  const items: string[] = [];
  for (const column of table.columns) {
    for (const group of table.groups) {
      for (const row of group.rows) {
        const cell = row.cells.find((c) => c.column === column);
        if (cell?.result === undefined || !isProblem(cell.result.status)) continue;
        for (const { scenario: s, index } of scenariosOf(column.matrix, cell.result)) {
          if (!isProblem(s.status)) continue;
          const mark = row.deviates ? ' †' : '';
          const codes = [s.expected === undefined ? '' : `expected ${s.expected}`, s.actual === undefined ? '' : `actual ${s.actual}`].filter((x) => x !== '').join('; ');
          items.push(
            [
              `<details class="failure"><summary><span class="st st-${h(s.status)}">${h(s.status)}</span> ${columnLabel(column, multi)} <strong>${h(row.id)}${mark}</strong>: ${h(s.scenario)}${codes ? ` <span class="codes">(${h(codes)})</span>` : ''}</summary>`,
              `<dl>${s.reason ? `<dt>Reason</dt><dd>${h(s.reason)}</dd>` : ''}<dt>Feature</dt><dd>${h(`${s.feature}:${s.line}`)}</dd></dl>`,
              `<p><a href="#${scenarioAnchor(column.impl, column.tier, index)}">call trace and details</a></p>`,
              '</details>',
            ].join(''),
          );
        }
      }
    }
  }
  const n = items.length;
  if (n === 0) return '<h2 id="failures">Not passing</h2>\n<p>Every applicable scenario passed.</p>';
  return [`<h2 id="failures">Not passing (${n} scenario result${n === 1 ? '' : 's'})</h2>`, '<p class="muted">Click a line for the reason; the call trace is further down.</p>', ...items].join('\n');
}

/** A matrix cell: the status as text, passed/run scenarios, and for a problem its first reason one click away. */
function statusCell(column: Column, result: IdResult, anchor: string, extraClass: string): string {
  const s = result.status;
  const scenarios = scenariosOf(column.matrix, result).map((x) => x.scenario);
  const run = scenarios.filter((x) => x.status !== 'NOT_APPLICABLE' && x.status !== 'NOT_RUN');
  const passed = run.filter((x) => x.status === 'PASS').length;
  const counts = run.length === 0 ? '' : `<span class="n" title="${passed} of ${run.length} scenario${run.length === 1 ? '' : 's'} run passed">${passed}/${run.length}</span>`;
  if (isProblem(s)) {
    const first = scenarios.find((x) => isProblem(x.status));
    const codes = first === undefined ? '' : [first.expected && `expected ${first.expected}`, first.actual && `actual ${first.actual}`].filter(Boolean).join('; ');
    const why = first === undefined ? '' : `${first.status}: ${first.reason ?? ''}${codes ? ` (${codes})` : ''}`;
    return `<td class="st st-${h(s)}${extraClass}"><details><summary>${h(s)}${counts}</summary><div class="why">${h(why)} <a href="#${anchor}">scenarios</a></div></details></td>`;
  }
  const title = s === 'NOT_APPLICABLE' ? scenarios[0]?.reason ?? statusHelp[s] : `${passed} of ${run.length} scenarios passed`;
  return `<td class="st st-${h(s)}${extraClass}"><a href="#${anchor}" title="${h(title)}">${h(s)}</a>${counts}</td>`;
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
