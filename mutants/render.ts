/**
 * The kill matrix as text: terminal lines, Markdown (mutants.md) and one static HTML page
 * (mutants.html, no script). Every string that came from a run is escaped.
 */
import { escapeHtml as h, escapeMarkdown as md, oneLine } from '../reporting/escape';
import type { Tier } from '../harness/results';
import type { CheckCoverage, KillMatrix, MutantVerdict, TierVerdict } from './kill-matrix';

const short = (id: string) => id.replace(/^ES-/, '');

function tierWord(t: TierVerdict): string {
  if (t.scenariosRun === 0) return 'not run';
  if (!t.killed) return 'survived';
  const n = Object.values(t.killers).reduce((a, k) => a + k.length, 0);
  return `killed by ${n} scenario${n === 1 ? '' : 's'} of ${Object.keys(t.killers).length} ID${Object.keys(t.killers).length === 1 ? '' : 's'}`;
}

/** "killed (expected)" / "survived (expected: permissive)" / "SURVIVED (expected killed)". */
function tierCell(t: TierVerdict): string {
  const word = tierWord(t);
  return t.ok ? word : `${word.toUpperCase()} (expected: ${t.expected === 'killed' ? 'killed' : 'survives'})`;
}

function totals(m: KillMatrix): string {
  const bad = m.mutants.filter((x) => !x.ok).length;
  const checks = m.checks.length === 0 ? '' : `; ${m.checks.filter((c) => c.ok).length} of ${m.checks.length} checks (per tier) failed by a mutant`;
  const fuzz = m.fuzz === undefined ? '' : `; fuzzer found ${m.fuzz.found}, ${m.fuzz.missedBySuite.length} of them missed by the suite`;
  return `${m.mutants.length} mutants, ${m.mutants.length - bad} as declared, ${bad} not; reference ${m.reference.ok ? 'passes' : 'FAILS'}${checks}${fuzz}`;
}

/** Problems of the whole matrix: the reference, the mutants, and every check no mutant fails. */
function allProblems(m: KillMatrix): string[] {
  return [
    ...m.reference.failures.map((f) => `reference: ${f}`),
    ...m.mutants.flatMap((x) => x.problems.map((p) => `${x.name}: ${p}`)),
    ...m.checks.filter((c) => !c.ok).map((c) => `${c.tier}: no mutant fails the check ${c.check} (it ran ${c.referenceRuns} times in the reference's run)`),
  ];
}

/** The mutants that fail a check, with how many scenarios each. */
function checkKillers(c: CheckCoverage): string {
  const names = Object.entries(c.killers).map(([name, scenarios]) => `${name} (${scenarios.length})`);
  return names.length === 0 ? 'NONE' : names.join(', ');
}

function fuzzWord(x: MutantVerdict): string {
  const f = x.fuzz;
  if (f === undefined) return '';
  if (f.error !== undefined) return `fuzz error: ${f.error}`;
  return f.found ? `found by the fuzzer in run ${f.foundInRun ?? '?'} (${f.catalogueId ?? ''})` : `not found by the fuzzer (${f.runs} runs)`;
}

export function terminalLines(m: KillMatrix): string[] {
  const width = Math.max(...m.mutants.map((x) => x.name.length), 9);
  const lines = [`${'reference'.padEnd(width)}  ${m.reference.ok ? 'ok  ' : 'FAIL'}  ${m.reference.scenariosRun} scenario runs, ${m.reference.failures.length} not passing`];
  for (const f of m.reference.failures.slice(0, 10)) lines.push(`    ${oneLine(f)}`);
  for (const x of m.mutants) {
    lines.push(`${x.name.padEnd(width)}  ${x.ok ? 'ok  ' : 'FAIL'}  ${x.tiers.map((t) => `${t.tier}: ${tierCell(t)}`).join('; ')}`);
    for (const p of x.problems) lines.push(`    ${oneLine(p)}`);
  }
  for (const c of m.checks.filter((v) => !v.ok)) lines.push(`check not failed by any mutant (${c.tier}): ${oneLine(c.check)}`);
  if (m.fuzz !== undefined) lines.push(`fuzz: seed ${m.fuzz.budget.seed}, ${m.fuzz.budget.runs} runs of at most ${m.fuzz.budget.maxSteps} steps per mutant; ${m.fuzz.found} found; ${(m.fuzz.durationMs / 1000).toFixed(1)} s of fuzzing`);
  lines.push(`${totals(m)} (${(m.durationMs / 1000).toFixed(1)} s)`);
  return lines;
}

function declaredIds(x: MutantVerdict, tier: Tier): readonly string[] {
  return x.declared[tier] ?? [];
}

/** A matrix cell: the number of killing scenarios; bold when declared, ✗ when declared and missed. */
function cellText(x: MutantVerdict, t: TierVerdict, id: string): string {
  const n = t.killers[id]?.length ?? 0;
  const declared = declaredIds(x, t.tier).includes(id);
  if (declared) return n > 0 ? `**${n}**` : '✗';
  return n > 0 ? String(n) : '·';
}

export function renderMarkdown(m: KillMatrix): string {
  const out: string[] = [
    '# Mutant kill matrix',
    '',
    `Generated ${m.generatedAt} in ${(m.durationMs / 1000).toFixed(1)} s; tiers: ${m.tiers.join(', ')}. ${totals(m)}.`,
    '',
    `**${m.ok ? 'Every mutant is killed where it deviates and survives where it is declared to survive; the reference passes.' : 'NOT as declared: see the problems below.'}**`,
    '',
    '## Summary',
    '',
    `| mutant | kind | ${m.tiers.join(' | ')} | as declared |`,
    `|---|---|${m.tiers.map(() => '---|').join('')}---|`,
    `| reference | engine | ${m.tiers.map(() => (m.reference.ok ? 'passes' : 'FAILS')).join(' | ')} | ${m.reference.ok ? 'yes' : '**no**'} |`,
  ];
  for (const x of m.mutants) {
    out.push(`| [${md(x.name)}](#${x.name}) | ${x.kind} | ${x.tiers.map((t) => md(tierCell(t))).join(' | ')} | ${x.ok ? 'yes' : '**no**'} |`);
  }
  const problems = allProblems(m);
  if (problems.length > 0) out.push('', '## Problems', '', ...problems.map((p) => `- ${md(oneLine(p, 400))}`));
  if (m.checks.length > 0) {
    out.push('', '## Kills per check', '', 'Every check (a Then-step definition, or a kind of state component of the whole-state check) that ran in a tier of the reference\'s run, and the mutants whose run failed at it there (with the number of scenarios).', '');
    for (const tier of m.tiers) {
      out.push('', `### ${tier} tier`, '', '| check | runs in the reference | failed by |', '|---|---|---|');
      for (const c of m.checks.filter((v) => v.tier === tier)) out.push(`| \`${md(c.check)}\` | ${c.referenceRuns} | ${c.ok ? md(checkKillers(c)) : '**NONE**'} |`);
    }
  }
  for (const tier of m.tiers) {
    const ids = m.ids[tier] ?? [];
    out.push(
      '',
      `## Kill matrix: ${tier} tier`,
      '',
      'A cell is the number of scenarios of that catalogue ID that kill the mutant in this tier; **bold**: an ID declared to kill it; ✗: declared, and it did not; ·: none.',
      '',
      `| mutant | ${ids.map(short).join(' | ')} |`,
      `|---|${ids.map(() => '---|').join('')}`,
    );
    for (const x of m.mutants) {
      const t = x.tiers.find((v) => v.tier === tier);
      if (t === undefined) continue;
      out.push(`| ${md(x.name)} | ${ids.map((id) => cellText(x, t, id)).join(' | ')} |`);
    }
  }
  out.push('', '## Mutants');
  for (const x of m.mutants) {
    out.push('', `### ${md(x.name)}`, '', `${md(x.description)} (${x.kind}; ${(x.durationMs / 1000).toFixed(1)} s)${x.fuzz === undefined ? '' : `; ${md(fuzzWord(x))}`}`, '');
    for (const t of x.tiers) {
      const declared = declaredIds(x, t.tier);
      out.push(`- **${t.tier}**: expected ${t.expected === 'killed' ? `killed by ${declared.join(', ')}` : `to survive (${md(x.survives ?? '')})`}; ${md(tierWord(t))}${t.ok ? '' : ' **(not as declared)**'}`);
      for (const [id, kills] of Object.entries(t.killers)) {
        for (const k of kills) {
          const at = k.step === undefined ? '' : `; failed at line ${md(oneLine(k.step, 160))}`;
          out.push(`  - ${id}: ${md(k.scenario.replace(/^.*?::/, ''))} (${k.status}${k.reason === undefined ? '' : `: ${md(oneLine(k.reason, 160))}`}${at})`);
        }
      }
    }
  }
  return out.join('\n') + '\n';
}

const css = `body{font:14px/1.45 system-ui,sans-serif;margin:1.5em;color:#1a1a1a}table{border-collapse:collapse;margin:.5em 0}
th,td{border:1px solid #999;padding:2px 6px;text-align:left;vertical-align:top}thead th{background:#f0f0f0}
.rot th.id{writing-mode:vertical-rl;transform:rotate(180deg);white-space:nowrap;font-weight:500}
td.n{text-align:center;font-family:ui-monospace,monospace}.decl{font-weight:700;background:#d6ebf7}.miss{font-weight:700;background:#f7c98f}
.bad{background:#f7c98f;font-weight:700}.good{background:#d6ebf7}li{margin:.1em 0}code{font-size:.95em}`;

function htmlCell(x: MutantVerdict, t: TierVerdict, id: string): string {
  const n = t.killers[id]?.length ?? 0;
  const declared = declaredIds(x, t.tier).includes(id);
  const title = n > 0 ? t.killers[id].map((k) => `${k.scenario}: ${k.status}`).join('\n') : declared ? 'declared, and it did not kill' : 'no scenario of this ID kills it';
  const cls = declared ? (n > 0 ? 'n decl' : 'n miss') : 'n';
  return `<td class="${cls}" title="${h(title)}">${declared && n === 0 ? '✗' : n > 0 ? n : '·'}</td>`;
}

export function renderHtml(m: KillMatrix): string {
  const out: string[] = [
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    `<title>Mutant kill matrix</title><style>${css}</style></head><body>`,
    '<h1>Mutant kill matrix</h1>',
    `<p>Generated ${h(m.generatedAt)} in ${(m.durationMs / 1000).toFixed(1)} s; tiers: ${h(m.tiers.join(', '))}. ${h(totals(m))}.</p>`,
    `<p class="${m.ok ? 'good' : 'bad'}">${m.ok ? 'Every mutant is killed where it deviates and survives where it is declared to survive; the reference passes.' : 'NOT as declared: see the problems below.'}</p>`,
    `<h2>Summary</h2><table><thead><tr><th>mutant</th><th>kind</th>${m.tiers.map((t) => `<th>${h(t)}</th>`).join('')}<th>as declared</th></tr></thead><tbody>`,
    `<tr><td>reference</td><td>engine</td>${m.tiers.map(() => `<td>${m.reference.ok ? 'passes' : 'FAILS'}</td>`).join('')}<td class="${m.reference.ok ? 'good' : 'bad'}">${m.reference.ok ? 'yes' : 'no'}</td></tr>`,
  ];
  for (const x of m.mutants) {
    out.push(`<tr><td><a href="#${h(x.name)}">${h(x.name)}</a></td><td>${h(x.kind)}</td>${x.tiers.map((t) => `<td class="${t.ok ? '' : 'bad'}">${h(tierCell(t))}</td>`).join('')}<td class="${x.ok ? 'good' : 'bad'}">${x.ok ? 'yes' : 'no'}</td></tr>`);
  }
  out.push('</tbody></table>');
  const problems = allProblems(m);
  if (problems.length > 0) out.push('<h2>Problems</h2><ul>', ...problems.map((p) => `<li>${h(p)}</li>`), '</ul>');
  if (m.checks.length > 0) {
    out.push('<h2>Kills per check</h2><p>Every check (a Then-step definition, or a kind of state component of the whole-state check) that ran in a tier of the reference\'s run, and the mutants whose run failed at it there.</p>');
    for (const tier of m.tiers) {
      out.push(`<h3>${h(tier)} tier</h3><table><thead><tr><th>check</th><th>runs in the reference</th><th>failed by</th></tr></thead><tbody>`);
      for (const c of m.checks.filter((v) => v.tier === tier)) out.push(`<tr><td><code>${h(c.check)}</code></td><td class="n">${c.referenceRuns}</td><td class="${c.ok ? '' : 'bad'}">${h(checkKillers(c))}</td></tr>`);
      out.push('</tbody></table>');
    }
  }
  for (const tier of m.tiers) {
    const ids = m.ids[tier] ?? [];
    out.push(
      `<h2>Kill matrix: ${h(tier)} tier</h2>`,
      '<p>A cell is the number of scenarios of that catalogue ID that kill the mutant (hover for them); blue: an ID declared to kill it; orange ✗: declared, and it did not; ·: none.</p>',
      `<table class="rot"><thead><tr><th>mutant</th>${ids.map((id) => `<th class="id">${h(short(id))}</th>`).join('')}</tr></thead><tbody>`,
    );
    for (const x of m.mutants) {
      const t = x.tiers.find((v) => v.tier === tier);
      if (t !== undefined) out.push(`<tr><th>${h(x.name)}</th>${ids.map((id) => htmlCell(x, t, id)).join('')}</tr>`);
    }
    out.push('</tbody></table>');
  }
  out.push('<h2>Mutants</h2>');
  for (const x of m.mutants) {
    out.push(`<h3 id="${h(x.name)}">${h(x.name)}</h3><p>${h(x.description)} (${h(x.kind)}; ${(x.durationMs / 1000).toFixed(1)} s)${x.fuzz === undefined ? '' : `; ${h(fuzzWord(x))}`}</p><ul>`);
    for (const t of x.tiers) {
      const declared = declaredIds(x, t.tier);
      out.push(`<li class="${t.ok ? '' : 'bad'}"><b>${h(t.tier)}</b>: expected ${h(t.expected === 'killed' ? `killed by ${declared.join(', ')}` : `to survive (${x.survives ?? ''})`)}; ${h(tierWord(t))}<ul>`);
      for (const [id, kills] of Object.entries(t.killers)) {
        for (const k of kills) out.push(`<li>${h(id)}: ${h(k.scenario)} (${h(k.status)}${k.reason === undefined ? '' : `: ${h(oneLine(k.reason, 200))}`})${k.step === undefined ? '' : ` at line ${h(oneLine(k.step, 200))}`}</li>`);
      }
      out.push('</ul></li>');
    }
    out.push('</ul>');
  }
  out.push('</body></html>');
  return out.join('\n') + '\n';
}
