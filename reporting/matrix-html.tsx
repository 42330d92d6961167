/**
 * matrix.html: one static page, no server and no script, read top-down: per tier the score with
 * its coverage and a stacked bar of the IDs' statuses (static SVG), then every scenario that did
 * not pass (failures first, with expected and actual codes), then the matrix, whose cells carry
 * their status as text with the scenario counts (passed/run) and, for a problem, the reason one
 * click away (details/summary), then each ID's scenarios and call traces. Colour only repeats the
 * text.
 *
 * Written as JSX rendered to a string by Preact (preact-render-to-string): every interpolated value
 * is escaped by the renderer, text and attributes alike, so no string from matrix.json can become
 * markup by a forgotten call; the one raw insertion is the page's own constant style sheet. Control
 * characters (ANSI escapes in stderr) are made visible over the whole page (see page()). A
 * Content-Security-Policy without script-src is a second line of defence.
 */
import type { ComponentChildren, VNode } from 'preact';
import { render } from 'preact-render-to-string';
import type { IdResult, Matrix, ScenarioResult, Status } from '../harness/results';
import { isProblem, statuses } from '../harness/results';
import { visibleText } from './escape';
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
import { partlyChecked, partlyText } from '../harness/partly';

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
td.st details summary{cursor:pointer}td.st .n{font-weight:400;color:#333;margin-left:.3em}td.st .partly{font-weight:400;font-style:italic;color:#6b4e00;margin-left:.3em;display:block;font-size:.85em}
td.st .why{white-space:normal;max-width:28em;font-family:system-ui,sans-serif;font-weight:400;font-size:.9em;margin:.3em 0}
.failure{margin:.3em 0 .3em .3em;border-left:4px solid #d55e00;padding:.1em .6em}.failure summary{cursor:pointer}
.failure .codes{font-family:ui-monospace,"DejaVu Sans Mono",monospace}
`;

/** A line break between block elements, so that the file reads (and diffs) line by line. */
const nl = '\n';

export function renderMatrixHtml(matrices: readonly Matrix[]): string {
  return page(<MatrixPage matrices={matrices} />);
}

/**
 * The document around a rendered body. Control characters are not markup, so making them visible
 * over the whole rendered page covers every interpolated string (the template itself has none).
 */
export function page(root: VNode): string {
  return `<!DOCTYPE html>\n${visibleText(render(root))}\n`;
}

function MatrixPage({ matrices }: { matrices: readonly Matrix[] }): VNode {
  const table = buildTable(matrices);
  const title = 'JetEndSession conformance matrix';
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title}: ${matrices.map(implementationLabel).join(', ')}`}</title>
        {/* The page's own constant style sheet: the one raw insertion (a <style> element's text is not entity-decoded). */}
        <style dangerouslySetInnerHTML={{ __html: css }} />
      </head>
      {nl}
      <body>
        {nl}
        <h1>{title}</h1>
        {nl}
        <p class="muted">
          <a href="#failures">Not passing</a> · <a href="#matrix">Matrix</a> · <a href="#legend">Legend</a>
        </p>
        {nl}
        <Implementations matrices={matrices} />
        {nl}
        <Summaries table={table} />
        {nl}
        <Failures table={table} />
        {nl}
        <Scores table={table} />
        {nl}
        <Legend />
        {nl}
        <MatrixTableView table={table} />
        {nl}
        <Details table={table} />
        {nl}
      </body>
    </html>
  );
}

function lines(items: readonly ComponentChildren[]): ComponentChildren[] {
  return items.flatMap((item, i) => (i === 0 ? [item] : [nl, item]));
}

function Implementations({ matrices }: { matrices: readonly Matrix[] }): VNode {
  const rows = matrices.map((m, i) => {
    const impl = m.implementation;
    return (
      <tr>
        <td>{i + 1}</td>
        <td class="impl-name">{impl.name}</td>
        <td>{impl.version}</td>
        <td>{impl.target}</td>
        <td>{impl.pointerWidth}-bit</td>
        <td>{impl.capabilities.join(', ') || 'none'}</td>
        <td>{m.adapter}</td>
        <td>{m.tiers.join(', ')}</td>
        <td>{`${m.suite.name} ${m.suite.version}, catalogue ${m.catalogueVersion}`}</td>
        <td>{m.startedAt}</td>
        <td>{(m.durationMs / 1000).toFixed(1)} s</td>
      </tr>
    );
  });
  return (
    <table id="implementations">
      <thead>
        <tr>
          {['#', 'Implementation', 'Version', 'Target', 'Pointers', 'Capabilities', 'Adapter', 'Tiers', 'Suite', 'Started', 'Duration'].map((name) => (
            <th>{name}</th>
          ))}
        </tr>
      </thead>
      <tbody>{lines(rows)}</tbody>
    </table>
  );
}

function isMulti(table: MatrixTable): boolean {
  return new Set(table.columns.map((c) => c.impl)).size > 1;
}

function columnLabel(c: Column, multi: boolean): string {
  return multi ? `${implementationLabel(c.matrix)}, ${c.tier}` : c.tier;
}

function Scores({ table }: { table: MatrixTable }): VNode {
  const multi = isMulti(table);
  const matrices = [...new Set(table.columns.map((c: Column) => c.matrix))];
  const prefix = (m: Matrix) => (multi ? `${implementationLabel(m)}: ` : '');
  const rows = table.columns.map((c) => (
    <tr>
      <th scope="row">{columnLabel(c, multi)}</th>
      <td class="score">{coverageText(tierCoverage(c.matrix, c.tier))}</td>
      {statuses.map((s) => (
        <td class="count" data-status={s}>
          {c.counts[s]}
        </td>
      ))}
    </tr>
  ));
  return (
    <>
      <h2>Scores</h2>
      {nl}
      <p class="muted">Counts are per catalogue ID.</p>
      {nl}
      <table id="scores">
        <thead>
          <tr>
            <th>{multi ? 'Implementation, tier' : 'Tier'}</th>
            <th>Score</th>
            {statuses.map((s) => (
              <th>{s}</th>
            ))}
          </tr>
        </thead>
        <tbody>{lines(rows)}</tbody>
      </table>
      {matrices.map((m) => {
        const text = selectionText(m);
        return text === undefined ? null : (
          <p class="partial">
            <strong>{prefix(m) + text}</strong>
          </p>
        );
      })}
      {/* An interrupted run (SIGINT/SIGTERM): only what finished before it is here. */}
      {matrices
        .filter((m) => m.interrupted === true)
        .map((m) => (
          <p class="partial">
            <strong>{`${prefix(m)}INTERRUPTED: the run was stopped by a signal; only the ${m.scenarios.length} scenarios finished before it are reported.`}</strong>
          </p>
        ))}
    </>
  );
}

function Legend(): VNode {
  return (
    <details id="legend">
      <summary>Legend</summary>
      <dl>
        {statuses.map((s) => (
          <>
            <dt>
              <span class={`st st-${s}`}>{s}</span>
            </dt>
            <dd>{statusHelp[s]}</dd>
          </>
        ))}
        <dt>
          <span class="st st-none">{notInTier}</span>
        </dt>
        <dd>not part of this tier</dd>
        <dt>
          <span class="dagger">†</span>
        </dt>
        <dd>ESENT deviates from the doc here</dd>
      </dl>
    </details>
  );
}

function Dagger({ deviates }: { deviates: boolean }): VNode | null {
  return deviates ? (
    <>
      {' '}
      <span class="dagger" title="ESENT deviates from the doc here">
        †
      </span>
    </>
  ) : null;
}

function MatrixTableView({ table }: { table: MatrixTable }): VNode {
  const impls = [...new Set(table.columns.map((c) => c.impl))];
  const start = (c: Column) => (table.columns.find((first) => first.impl === c.impl) === c ? ' impl-start' : '');
  const body: VNode[] = [];
  for (const group of table.groups) {
    body.push(
      <tr class="group">
        <th scope="colgroup" colspan={table.columns.length + 1}>
          {group.name}
        </th>
      </tr>,
    );
    for (const row of group.rows) {
      body.push(
        <tr>
          <th scope="row" class="id">
            {row.id}
            <Dagger deviates={row.deviates} />
          </th>
          {row.cells.map((cell) =>
            cell.result === undefined ? (
              <td class={`st st-none${start(cell.column)}`} title="not part of this tier">
                {notInTier}
              </td>
            ) : (
              <StatusCell column={cell.column} result={cell.result} anchor={cell.anchor} extraClass={start(cell.column)} />
            ),
          )}
        </tr>,
      );
    }
  }
  return (
    <>
      <h2>Matrix</h2>
      {nl}
      <table id="matrix">
        <thead>
          <tr>
            <th rowspan={2} scope="col">
              Catalogue ID
            </th>
            {impls.map((i) => {
              const cols = table.columns.filter((c) => c.impl === i);
              return (
                <th scope="colgroup" colspan={cols.length} class="impl-start">
                  {implementationLabel(cols[0].matrix)}
                </th>
              );
            })}
          </tr>
          {nl}
          <tr>
            {table.columns.map((c) => (
              <th scope="col" class={`tier${start(c)}`}>
                {c.tier}
              </th>
            ))}
          </tr>
          {nl}
          <tr class="scores">
            <th scope="row">Score</th>
            {table.columns.map((c) => (
              <td class={`score${start(c)}`}>{coverageText(tierCoverage(c.matrix, c.tier))}</td>
            ))}
          </tr>
        </thead>
        {nl}
        <tbody>
          {nl}
          {lines(body)}
          {nl}
        </tbody>
      </table>
    </>
  );
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

/** Passes, then problems, then what was not checked. */
const barOrder = ['PASS', 'FAIL', 'CRASH', 'TIMEOUT', 'PROTOCOL_ERROR', 'SUITE_ERROR', 'NOT_APPLICABLE', 'NOT_RUN'] as const;

/** Per tier: the score with its coverage, a stacked bar of the IDs' statuses, and the counts as text. */
function Summaries({ table }: { table: MatrixTable }): VNode {
  const multi = isMulti(table);
  const blocks = table.columns.map((c) => {
    const cov = tierCoverage(c.matrix, c.tier);
    const present = barOrder.filter((s) => c.counts[s] > 0);
    const width = 360;
    let x = 0;
    const rects = present.map((s) => {
      const w = cov.total === 0 ? 0 : (c.counts[s] / cov.total) * width;
      const rect = (
        <rect x={x.toFixed(1)} y="0" width={w.toFixed(1)} height="18" fill={barColour[s]} stroke="#555" stroke-width="0.5">
          <title>{`${s}: ${c.counts[s]}`}</title>
        </rect>
      );
      x += w;
      return rect;
    });
    const label = `${columnLabel(c, multi)}: ${present.map((s) => `${c.counts[s]} ${s}`).join(', ')} of ${cov.total} IDs`;
    return (
      <div class="tier-summary">
        <h3>{columnLabel(c, multi) + (multi ? '' : ' tier')}</h3>
        <p class="score">
          <strong>{coverageText(cov)}</strong>
        </p>
        <svg class="bar" width={width} height="18" viewBox={`0 0 ${width} 18`} role="img" aria-label={label}>
          {rects}
        </svg>
        <p class="bar-legend">
          {present.map((s) => (
            <span>
              <span class="swatch" style={`background:${barColour[s]}`}></span>
              {`${c.counts[s]} ${s}`}
            </span>
          ))}
        </p>
      </div>
    );
  });
  return (
    <>
      <h2>Summary</h2>
      {nl}
      <p class="muted">Score: catalogue IDs that PASS / IDs of the tier that were applicable; an ID passes when every one of its applicable scenarios does.</p>
      {nl}
      <div class="tiers">{lines(blocks)}</div>
    </>
  );
}

/** Every scenario that did not pass, before anything else: what was expected, what came back, why. */
function Failures({ table }: { table: MatrixTable }): VNode {
  const multi = isMulti(table);
  const items: VNode[] = [];
  for (const column of table.columns) {
    for (const group of table.groups) {
      for (const row of group.rows) {
        const cell = row.cells.find((c) => c.column === column);
        if (cell?.result === undefined || !isProblem(cell.result.status)) continue;
        for (const { scenario: s, index } of scenariosOf(column.matrix, cell.result)) {
          if (!isProblem(s.status)) continue;
          const codes = [s.expected === undefined ? '' : `expected ${s.expected}`, s.actual === undefined ? '' : `actual ${s.actual}`].filter((x) => x !== '').join('; ');
          items.push(
            <details class="failure">
              <summary>
                <span class={`st st-${s.status}`}>{s.status}</span> {columnLabel(column, multi)} <strong>{row.id + (row.deviates ? ' †' : '')}</strong>: {s.scenario}
                {codes ? (
                  <>
                    {' '}
                    <span class="codes">({codes})</span>
                  </>
                ) : null}
              </summary>
              <dl>
                {s.reason ? (
                  <>
                    <dt>Reason</dt>
                    <dd>{s.reason}</dd>
                  </>
                ) : null}
                <dt>Feature</dt>
                <dd>{`${s.feature}:${s.line}`}</dd>
              </dl>
              <p>
                <a href={`#${scenarioAnchor(column.impl, column.tier, index)}`}>call trace and details</a>
              </p>
            </details>,
          );
        }
      }
    }
  }
  const n = items.length;
  if (n === 0) {
    return (
      <>
        <h2 id="failures">Not passing</h2>
        {nl}
        <p>Every applicable scenario passed.</p>
      </>
    );
  }
  return (
    <>
      <h2 id="failures">{`Not passing (${n} scenario result${n === 1 ? '' : 's'})`}</h2>
      {nl}
      <p class="muted">Click a line for the reason; the call trace is further down.</p>
      {nl}
      {lines(items)}
    </>
  );
}

/** A matrix cell: the status as text, passed/run scenarios, and for a problem its first reason one click away. */
function StatusCell({ column, result, anchor, extraClass }: { column: Column; result: IdResult; anchor: string; extraClass: string }): VNode {
  const s = result.status;
  const scenarios = scenariosOf(column.matrix, result).map((x) => x.scenario);
  const run = scenarios.filter((x) => x.status !== 'NOT_APPLICABLE' && x.status !== 'NOT_RUN');
  const passed = run.filter((x) => x.status === 'PASS').length;
  const counts =
    run.length === 0 ? null : (
      <span class="n" title={`${passed} of ${run.length} scenario${run.length === 1 ? '' : 's'} run passed`}>
        {`${passed}/${run.length}`}
      </span>
    );
  if (isProblem(s)) {
    const first = scenarios.find((x) => isProblem(x.status));
    const codes = first === undefined ? '' : [first.expected && `expected ${first.expected}`, first.actual && `actual ${first.actual}`].filter(Boolean).join('; ');
    const why = first === undefined ? '' : `${first.status}: ${first.reason ?? ''}${codes ? ` (${codes})` : ''}`;
    return (
      <td class={`st st-${s}${extraClass}`}>
        <details>
          <summary>
            {s}
            {counts}
          </summary>
          <div class="why">
            {why} <a href={`#${anchor}`}>scenarios</a>
          </div>
        </details>
      </td>
    );
  }
  const title = s === 'NOT_APPLICABLE' ? (scenarios[0]?.reason ?? statusHelp[s]) : `${passed} of ${run.length} scenarios passed`;
  const partly = partlyChecked(column.matrix, result);
  return (
    <td class={`st st-${s}${extraClass}`}>
      <a href={`#${anchor}`} title={title}>
        {s}
      </a>
      {counts}
      {partly === undefined ? null : (
        <span class="partly" title={partlyText(partly)}>
          {`partly: ${partly.checked}/${partly.total}`}
        </span>
      )}
    </td>
  );
}

function Details({ table }: { table: MatrixTable }): VNode {
  const multi = isMulti(table);
  const out: ComponentChildren[] = [<h2>Details</h2>];
  for (const column of table.columns) {
    out.push(<h3>{columnLabel(column, multi) + (multi ? '' : ' tier')}</h3>);
    for (const group of table.groups) {
      for (const row of group.rows) {
        const cell = row.cells.find((c) => c.column === column);
        if (cell?.result === undefined) continue;
        const result = cell.result;
        const scenarios = scenariosOf(column.matrix, result);
        out.push(
          <section class="idsec" id={cell.anchor}>
            {nl}
            <h4>
              {row.id}
              <Dagger deviates={row.deviates} />: <span class={`st st-${result.status}`}>{result.status}</span>{' '}
              <span class="muted">{`(${group.name}; ${column.tier})`}</span>
            </h4>
            {nl}
            {scenarios.length === 0 ? <p class="muted">No scenario of this ID ran in this tier.</p> : null}
            {lines(scenarios.map(({ scenario, index }) => <ScenarioBlock s={scenario} anchor={scenarioAnchor(column.impl, column.tier, index)} />))}
            {nl}
          </section>,
        );
      }
    }
  }
  return <>{lines(out)}</>;
}

function ScenarioBlock({ s, anchor }: { s: ScenarioResult; anchor: string }): VNode {
  const bad = s.status !== 'PASS' && s.status !== 'NOT_APPLICABLE';
  const facts: [string, string | undefined][] = [
    ['Scenario id', s.id],
    ['Feature', `${s.feature}:${s.line}`],
    ['Reason', s.reason],
    ['Expected', s.expected],
    ['Actual', s.actual],
    ['Tags', s.tags.join(' ')],
  ];
  const n = s.trace.length;
  return (
    <div class={`scenario${bad ? ' bad' : ''}`} id={anchor}>
      {nl}
      <h5>
        <span class={`st st-${s.status}`}>{s.status}</span> {s.scenario}
      </h5>
      {nl}
      <dl>
        {facts.map(([name, value]) =>
          value === undefined || value === '' ? null : (
            <>
              <dt>{name}</dt>
              <dd>{value}</dd>
            </>
          ),
        )}
      </dl>
      {nl}
      {s.doc.length === 0 ? null : (
        <div class="doc">
          <strong>Doc:</strong>
          {s.doc.map((d) => (
            <blockquote>{d}</blockquote>
          ))}
        </div>
      )}
      {nl}
      <details class="trace" open={bad}>
        <summary>{`Call trace (${n} event${n === 1 ? '' : 's'})`}</summary>
        <pre>{traceText(s.trace)}</pre>
      </details>
      {nl}
      {s.stderrTail ? (
        <details class="stderr" open={bad}>
          <summary>stderr (tail)</summary>
          <pre>{s.stderrTail}</pre>
        </details>
      ) : null}
      {nl}
    </div>
  );
}
