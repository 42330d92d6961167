/**
 * mutants.html: the kill matrix as one static page (no script). JSX rendered by Preact, as
 * matrix.html is (reporting/matrix-html.tsx): every interpolated value is escaped by the renderer, so
 * text from a run (scenario names, reasons, step lines) cannot become markup by a forgotten call.
 */
import type { VNode } from 'preact';
import { page } from '../reporting/matrix-html';
import { oneLine } from '../reporting/escape';
import type { KillMatrix, MutantVerdict, TierVerdict } from './kill-matrix';
import { allProblems, checkKillers, declaredIds, fuzzWord, short, tierCell, tierWord, totals } from './render';

const css = `body{font:14px/1.45 system-ui,sans-serif;margin:1.5em;color:#1a1a1a}table{border-collapse:collapse;margin:.5em 0}
th,td{border:1px solid #999;padding:2px 6px;text-align:left;vertical-align:top}thead th{background:#f0f0f0}
.rot th.id{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap;font-weight:500}
td.n{text-align:center;font-family:ui-monospace,monospace}.decl{font-weight:700;background:#d6ebf7}.miss{font-weight:700;background:#f7c98f}
.bad{background:#f7c98f;font-weight:700}.good{background:#d6ebf7}li{margin:.1em 0}code{font-size:.95em}`;

const nl = '\n';

export function renderHtml(m: KillMatrix): string {
  return page(<MutantsPage m={m} />);
}

function Cell({ x, t, id }: { x: MutantVerdict; t: TierVerdict; id: string }): VNode {
  const n = t.killers[id]?.length ?? 0;
  const declared = declaredIds(x, t.tier).includes(id);
  const title = n > 0 ? t.killers[id].map((k) => `${k.scenario}: ${k.status}`).join('\n') : declared ? 'declared, and it did not kill' : 'no scenario of this ID kills it';
  const cls = declared ? (n > 0 ? 'n decl' : 'n miss') : 'n';
  return (
    <td class={cls} title={title}>
      {declared && n === 0 ? '✗' : n > 0 ? String(n) : '·'}
    </td>
  );
}

function MutantsPage({ m }: { m: KillMatrix }): VNode {
  const problems = allProblems(m);
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'" />
        <title>Mutant kill matrix</title>
        {/* The page's own constant style sheet: the one raw insertion. */}
        <style dangerouslySetInnerHTML={{ __html: css }} />
      </head>
      {nl}
      <body>
        {nl}
        <h1>Mutant kill matrix</h1>
        {nl}
        <p>{`Generated ${m.generatedAt} in ${(m.durationMs / 1000).toFixed(1)} s; tiers: ${m.tiers.join(', ')}. ${totals(m)}.`}</p>
        {nl}
        <p class={m.ok ? 'good' : 'bad'}>{m.ok ? 'Every mutant is killed where it deviates and survives where it is declared to survive; the reference passes.' : 'NOT as declared: see the problems below.'}</p>
        {nl}
        <h2>Summary</h2>
        <table>
          <thead>
            <tr>
              <th>mutant</th>
              <th>kind</th>
              {m.tiers.map((t) => (
                <th>{t}</th>
              ))}
              <th>as declared</th>
            </tr>
          </thead>
          <tbody>
            {nl}
            <tr>
              <td>reference</td>
              <td>engine</td>
              {m.tiers.map(() => (
                <td>{m.reference.ok ? 'passes' : 'FAILS'}</td>
              ))}
              <td class={m.reference.ok ? 'good' : 'bad'}>{m.reference.ok ? 'yes' : 'no'}</td>
            </tr>
            {m.mutants.map((x) => (
              <>
                {nl}
                <tr>
                  <td>
                    <a href={`#${x.name}`}>{x.name}</a>
                  </td>
                  <td>{x.kind}</td>
                  {x.tiers.map((t) => (
                    <td class={t.ok ? '' : 'bad'}>{tierCell(t)}</td>
                  ))}
                  <td class={x.ok ? 'good' : 'bad'}>{x.ok ? 'yes' : 'no'}</td>
                </tr>
              </>
            ))}
          </tbody>
        </table>
        {nl}
        {problems.length === 0 ? null : (
          <>
            <h2>Problems</h2>
            <ul>
              {problems.map((p) => (
                <li>{p}</li>
              ))}
            </ul>
          </>
        )}
        {m.checks.length === 0 ? null : (
          <>
            <h2>Kills per check</h2>
            <p>Every check (a Then-step definition, or a kind of state component of the whole-state check) that ran in a tier of the reference's run, and the mutants whose run failed at it there.</p>
            {m.tiers.map((tier) => (
              <>
                {nl}
                <h3>{`${tier} tier`}</h3>
                <table>
                  <thead>
                    <tr>
                      <th>check</th>
                      <th>runs in the reference</th>
                      <th>failed by</th>
                    </tr>
                  </thead>
                  <tbody>
                    {m.checks
                      .filter((v) => v.tier === tier)
                      .map((c) => (
                        <tr>
                          <td>
                            <code>{c.check}</code>
                          </td>
                          <td class="n">{c.referenceRuns}</td>
                          <td class={c.ok ? '' : 'bad'}>{checkKillers(c)}</td>
                        </tr>
                      ))}
                  </tbody>
                </table>
              </>
            ))}
          </>
        )}
        {m.tiers.map((tier) => {
          const ids = m.ids[tier] ?? [];
          return (
            <>
              {nl}
              <h2>{`Kill matrix: ${tier} tier`}</h2>
              <p>A cell is the number of scenarios of that catalogue ID that kill the mutant (hover for them); blue: an ID declared to kill it; orange ✗: declared, and it did not; ·: none.</p>
              <table class="rot">
                <thead>
                  <tr>
                    <th>mutant</th>
                    {ids.map((id) => (
                      <th class="id">{short(id)}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {m.mutants.map((x) => {
                    const t = x.tiers.find((v) => v.tier === tier);
                    return t === undefined ? null : (
                      <tr>
                        <th>{x.name}</th>
                        {ids.map((id) => (
                          <Cell x={x} t={t} id={id} />
                        ))}
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </>
          );
        })}
        {nl}
        <h2>Mutants</h2>
        {m.mutants.map((x) => (
          <>
            {nl}
            <h3 id={x.name}>{x.name}</h3>
            <p>{`${x.description} (${x.kind}; ${(x.durationMs / 1000).toFixed(1)} s)${x.fuzz === undefined ? '' : `; ${fuzzWord(x)}`}`}</p>
            <ul>
              {x.tiers.map((t) => {
                const declared = declaredIds(x, t.tier);
                return (
                  <li class={t.ok ? '' : 'bad'}>
                    <b>{t.tier}</b>
                    {`: expected ${t.expected === 'killed' ? `killed by ${declared.join(', ')}` : `to survive (${x.survives ?? ''})`}; ${tierWord(t)}`}
                    <ul>
                      {Object.entries(t.killers).flatMap(([id, kills]) =>
                        kills.map((k) => (
                          <li>{`${id}: ${k.scenario} (${k.status}${k.reason === undefined ? '' : `: ${oneLine(k.reason, 200)}`})${k.step === undefined ? '' : ` at line ${oneLine(k.step, 200)}`}`}</li>
                        )),
                      )}
                    </ul>
                  </li>
                );
              })}
            </ul>
          </>
        ))}
        {nl}
      </body>
    </html>
  );
}
