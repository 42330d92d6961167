/**
 * The kill matrix as text: terminal lines, Markdown (mutants.md) and one static HTML page
 * (mutants.html, no script). Every string that came from a run is escaped.
 */
import { escapeMarkdown as md, oneLine } from '../reporting/escape';
import type { Tier } from '../harness/results';
import type { CheckCoverage, KillMatrix, MutantVerdict, TierVerdict } from './kill-matrix';

export const short = (id: string) => id.replace(/^ES-/, '');

export function tierWord(t: TierVerdict): string {
  if (t.scenariosRun === 0) return 'not run';
  if (!t.killed) return 'survived';
  const n = Object.values(t.killers).reduce((a, k) => a + k.length, 0);
  return `killed by ${n} scenario${n === 1 ? '' : 's'} of ${Object.keys(t.killers).length} ID${Object.keys(t.killers).length === 1 ? '' : 's'}`;
}

/** "killed (expected)" / "survived (expected: permissive)" / "SURVIVED (expected killed)". */
export function tierCell(t: TierVerdict): string {
  const word = tierWord(t);
  return t.ok ? word : `${word.toUpperCase()} (expected: ${t.expected === 'killed' ? 'killed' : 'survives'})`;
}

export function totals(m: KillMatrix): string {
  const bad = m.mutants.filter((x) => !x.ok).length;
  const checks = m.checks.length === 0 ? '' : `; ${m.checks.filter((c) => c.ok).length} of ${m.checks.length} checks (per tier) failed by a mutant`;
  const fuzz = m.fuzz === undefined ? '' : `; fuzzer found ${m.fuzz.found}, ${m.fuzz.missedBySuite.length} of them missed by the suite`;
  return `${m.mutants.length} mutants, ${m.mutants.length - bad} as declared, ${bad} not; reference ${m.reference.ok ? 'passes' : 'FAILS'}${checks}${fuzz}`;
}

/** Problems of the whole matrix: the reference, the mutants, and every check no mutant fails. */
export function allProblems(m: KillMatrix): string[] {
  return [
    ...m.reference.failures.map((f) => `reference: ${f}`),
    ...m.mutants.flatMap((x) => x.problems.map((p) => `${x.name}: ${p}`)),
    ...m.checks.filter((c) => !c.ok).map((c) => `${c.tier}: no mutant fails the check ${c.check} (it ran ${c.referenceRuns} times in the reference's run)`),
  ];
}

/** The mutants that fail a check, with how many scenarios each. */
export function checkKillers(c: CheckCoverage): string {
  const names = Object.entries(c.killers).map(([name, scenarios]) => `${name} (${scenarios.length})`);
  return names.length === 0 ? 'NONE' : names.join(', ');
}

export function fuzzWord(x: MutantVerdict): string {
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

export function declaredIds(x: MutantVerdict, tier: Tier): readonly string[] {
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
