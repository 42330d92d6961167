/**
 * GitHub Actions output of a run: workflow-command annotations (`::error title=...::...`), shown on
 * the pull request and the run page, and a Markdown summary for `$GITHUB_STEP_SUMMARY`. Both are
 * pure functions of the matrix and, when `--expectations` was given, the gate's result, so that a
 * known failure the gate accepts is a notice, not an error.
 *
 * GitHub shows at most 10 annotations of each level per step (50 per job) and drops the rest
 * silently, so each level is capped and the last slot says how many more there are.
 */
import type { Matrix, ScenarioResult, Status } from '../harness/results';
import { statuses } from '../harness/results';
import type { GateFinding, GateResult } from './expectations';
import { escapeMarkdown as md, oneLine, visibleText } from './escape';
import { scoreLine } from './score';
import { neutralise } from '../text/terminal';

/** Workflow-command data (the message): `%`, CR and LF are percent-encoded (actions/toolkit `escapeData`). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Workflow-command property values: as data, plus `:` and `,`, which delimit properties (`escapeProperty`). */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export type AnnotationLevel = 'error' | 'warning' | 'notice';

export interface Annotation {
  readonly level: AnnotationLevel;
  readonly title: string;
  /** Several lines; each is kept, control characters made visible. */
  readonly message: string;
  readonly file?: string;
  readonly line?: number;
}

/**
 * One workflow command line: `::error title=T,file=F,line=N::message`. Title and message carry
 * implementation-supplied text: control characters (ESC, C1, bidi) and the legacy `##[` marker made
 * visible, each line of the message on its own, then percent-encoded as the runner expects, so the
 * whole command is one line that nothing in it can end or extend (`::` inside it is data).
 */
export function workflowCommand(a: Annotation): string {
  const props = [`title=${escapeProperty(neutralise(oneLine(a.title, 200), { keepColons: true }))}`];
  if (a.file !== undefined) props.push(`file=${escapeProperty(neutralise(a.file, { keepColons: true }))}`);
  if (a.line !== undefined) props.push(`line=${a.line}`);
  const message = visibleText(a.message)
    .split(/\r\n|\n/)
    .map((l) => neutralise(l, { keepTabs: true, keepColons: true }))
    .join('\n');
  return `::${a.level} ${props.join(',')}::${escapeData(message)}`;
}

export interface AnnotationOptions {
  /** Annotations per level; GitHub shows 10 per step. */
  readonly maxPerLevel?: number;
  /**
   * Prefix of the feature paths for the `file` property (e.g. '' in this repository, where
   * features/ is checked in). Undefined: no `file`, since in a user's repository the features
   * live in node_modules and GitHub cannot show them.
   */
  readonly featurePrefix?: string;
}

const notPassing = (s: Status) => s !== 'PASS' && s !== 'NOT_APPLICABLE';
const limit = (text: string | undefined, max: number) => (text === undefined ? undefined : oneLine(text, max));

/** The last lines of a process's stderr, for a fault. */
function stderrLines(tail: string | undefined): string[] {
  if (tail === undefined || tail.trim() === '') return [];
  const lines = tail.trimEnd().split(/\r?\n/).slice(-5).map((l) => limit(l, 200) ?? '');
  return ['stderr (last lines):', ...lines.map((l) => `  ${l}`)];
}

function scenarioMessage(matrix: Matrix, s: ScenarioResult, gateLine: string | undefined): string {
  const id = matrix.ids.find((r) => r.id === s.catalogueId && r.tier === s.tier);
  return [
    `${s.status} in the ${s.tier} tier: ${s.catalogueId}${id?.deviates ? ' †' : ''}${id ? ` (${id.group})` : ''}`,
    `Scenario: ${s.id} (${s.feature}:${s.line})`,
    `Expected: ${limit(s.expected, 300) ?? 'the scenario passes'}`,
    `Actual: ${limit(s.actual, 300) ?? `${s.status}${s.reason ? `: ${limit(s.reason, 300)}` : ''}`}`,
    ...(s.reason && s.actual !== undefined ? [`Reason: ${limit(s.reason, 300)}`] : []),
    ...stderrLines(s.stderrTail),
    ...(gateLine ? [gateLine] : []),
    `Implementation: ${matrix.implementation.name} ${matrix.implementation.version} (${matrix.adapter} adapter)`,
  ].join('\n');
}

function scenarioTitle(s: ScenarioResult, prefix = ''): string {
  return `${prefix}${s.catalogueId} [${s.tier}] ${s.status}: ${s.scenario}`;
}

/** Whether the gate counted this non-passing scenario as unexpected (own finding, or its ID entry's). */
function unexpected(gate: GateResult, s: ScenarioResult): GateFinding | undefined {
  return gate.unexpectedFailures.find(
    (f) => f.tier === s.tier && (f.scenarioId === s.id || (f.scenarioId === undefined && f.catalogueId === s.catalogueId)),
  );
}

function gateAnnotation(f: GateFinding, kind: string): Annotation {
  const scenario = f.scenarioId?.split('::').slice(1).join('::');
  const id = f.catalogueId ?? (scenario === undefined ? f.entry?.target.id : undefined);
  return { level: 'error', title: [`${kind}:`, id, `[${f.tier}]`, scenario].filter((p) => p !== undefined).join(' '), message: oneLine(f.line, 2000) };
}

/**
 * The annotations of a run. Without a gate: an error per FAIL, CRASH, TIMEOUT or PROTOCOL_ERROR
 * scenario. With a gate: an error per unexpected failure, unexpected pass, stale or unchecked
 * entry (what makes the gate fail), and a notice per known failure the expectations accept.
 */
export function annotations(matrix: Matrix, gate?: GateResult, opts: AnnotationOptions = {}): Annotation[] {
  const out: Annotation[] = [];
  const where = (s: ScenarioResult) => (opts.featurePrefix === undefined ? {} : { file: `${opts.featurePrefix}${s.feature}`, line: s.line });
  for (const s of matrix.scenarios) {
    if (!notPassing(s.status)) continue;
    if (gate === undefined) {
      out.push({ level: 'error', title: scenarioTitle(s), message: scenarioMessage(matrix, s, undefined), ...where(s) });
      continue;
    }
    const finding = unexpected(gate, s);
    if (finding !== undefined) {
      const line = finding.entry ? `Expectations: ${finding.entry.source.file}:${finding.entry.source.line} expects ${finding.entry.status}` : 'Expectations: no entry (a new failure)';
      out.push({ level: 'error', title: scenarioTitle(s, 'UNEXPECTED '), message: scenarioMessage(matrix, s, line), ...where(s) });
    } else {
      out.push({ level: 'notice', title: scenarioTitle(s, 'expected '), message: scenarioMessage(matrix, s, 'Expectations: a known result, accepted by the expectations file'), ...where(s) });
    }
  }
  if (gate !== undefined) {
    for (const f of gate.unexpectedPasses) out.push(gateAnnotation(f, 'UNEXPECTED PASS'));
    for (const f of gate.staleEntries) out.push(gateAnnotation(f, 'STALE ENTRY'));
    for (const f of gate.notApplicable) out.push(gateAnnotation(f, 'NOT APPLICABLE ENTRY'));
  }
  return out;
}

/** Keeps at most `max` annotations per level; the last kept one of a full level counts the rest. */
function capped(list: readonly Annotation[], max: number): Annotation[] {
  const out: Annotation[] = [];
  for (const level of ['error', 'warning', 'notice'] as const) {
    const mine = list.filter((a) => a.level === level);
    if (mine.length <= max) {
      out.push(...mine);
      continue;
    }
    out.push(...mine.slice(0, max - 1));
    const rest = mine.length - (max - 1);
    out.push({ level, title: `${rest} more ${level === 'notice' ? 'notices' : `${level}s`} not shown`, message: `GitHub shows ${max} annotations of a level per step; ${rest} more are in the step summary, matrix.json and junit.xml.` });
  }
  return out;
}

/** `::error ...` / `::notice ...` lines for a run, to print on stdout in a GitHub Actions step. */
export function githubAnnotations(matrix: Matrix, gate?: GateResult, opts: AnnotationOptions = {}): string[] {
  return capped(annotations(matrix, gate, opts), Math.max(1, opts.maxPerLevel ?? 10)).map(workflowCommand);
}

/** GitHub's limit for one step's summary is 1 MiB; rows beyond this are counted, not listed. */
const maxSummaryRows = 200;

const cell = (text: string | undefined, max = 300) => (text === undefined || text === '' ? '' : md(oneLine(text, max)));

/**
 * A Markdown summary of the run for `$GITHUB_STEP_SUMMARY`: verdict, implementation, per-tier
 * counts, the gate's line, every non-passing scenario with expected vs actual, and the gate's
 * findings. Implementation-supplied text is escaped (it may not become markup).
 */
export function stepSummaryMarkdown(matrix: Matrix, gate?: GateResult): string {
  const impl = matrix.implementation;
  const bad = matrix.scenarios.filter((s) => notPassing(s.status));
  const ok = gate ? gate.ok : bad.length === 0;
  const verdict = gate
    ? gate.ok
      ? 'every result as expected'
      : 'results differ from the expectations'
    : ok
      ? 'every applicable scenario passed'
      : `${bad.length} scenario result${bad.length === 1 ? '' : 's'} not passing`;
  const out: string[] = [
    `## ${ok ? '✅' : '❌'} ESE conformance: ${md(`${impl.name} ${impl.version}`)}: ${verdict}`,
    '',
    `${md(matrix.adapter)} adapter · target ${md(impl.target)}, ${impl.pointerWidth}-bit · capabilities: ${impl.capabilities.length ? md(impl.capabilities.join(', ')) : 'none'} · ${md(`${matrix.suite.name} ${matrix.suite.version}`)}, catalogue ${md(matrix.catalogueVersion)} · ${(matrix.durationMs / 1000).toFixed(1)} s`,
    '',
    `| Tier | Catalogue IDs | ${statuses.join(' | ')} |`,
    `|---|---|${statuses.map(() => '---:').join('|')}|`,
  ];
  for (const tier of matrix.tiers) {
    const mine = matrix.scenarios.filter((s) => s.tier === tier);
    const count = (st: Status) => mine.filter((s) => s.status === st).length;
    out.push(`| ${tier} | ${scoreLine(matrix, tier)} | ${statuses.map(count).join(' | ')} |`);
  }
  out.push('', 'Scenario counts per status; catalogue IDs: PASS / applicable. NOT_APPLICABLE is never counted as a pass.');
  if (matrix.interrupted === true) out.push('', `**INTERRUPTED:** the run was stopped by a signal; only the ${matrix.scenarios.length} scenarios finished before it are reported.`);

  if (gate !== undefined) {
    out.push('', `**Expectations gate:** ${md(gate.lines[0]?.replace(/^expectations: /, '') ?? '')}`);
  }

  if (bad.length > 0) {
    out.push('', `### Not passing (${bad.length})`, '', `| Tier | Catalogue ID | Scenario | Status | Expected | Actual |${gate ? ' Gate |' : ''}`, `|---|---|---|---|---|---|${gate ? '---|' : ''}`);
    for (const s of bad.slice(0, maxSummaryRows)) {
      const id = matrix.ids.find((r) => r.id === s.catalogueId && r.tier === s.tier);
      const actual = s.actual ?? s.reason;
      const gateCell = gate ? ` ${unexpected(gate, s) ? '**unexpected**' : 'expected'} |` : '';
      out.push(`| ${s.tier} | ${cell(s.catalogueId)}${id?.deviates ? ' †' : ''} | ${cell(s.scenario)} (${md(s.feature)}:${s.line}) | ${s.status} | ${cell(s.expected) || 'a pass'} | ${cell(actual)} |${gateCell}`);
    }
    if (bad.length > maxSummaryRows) out.push('', `… and ${bad.length - maxSummaryRows} more: see matrix.md or matrix.json.`);
  }

  if (gate !== undefined) {
    const findings: [string, readonly GateFinding[]][] = [
      ['Unexpected passes (remove the entry)', gate.unexpectedPasses],
      ['Stale entries (rename or remove)', gate.staleEntries],
      ['Entries that could not be checked (NOT_APPLICABLE)', gate.notApplicable],
    ];
    for (const [heading, list] of findings) {
      if (list.length === 0) continue;
      out.push('', `### ${heading} (${list.length})`, '');
      for (const f of list.slice(0, maxSummaryRows)) out.push(`- ${cell(f.line.trim(), 600)}`);
    }
    if (gate.notChecked.length > 0) out.push('', `${gate.notChecked.length} entries are for a tier this run did not include (not checked).`);
  }

  const notApplicable = new Map<string, number>();
  for (const s of matrix.scenarios) if (s.status === 'NOT_APPLICABLE') notApplicable.set(s.reason ?? '', (notApplicable.get(s.reason ?? '') ?? 0) + 1);
  if (notApplicable.size > 0) {
    out.push('', '<details><summary>Not applicable, by reason</summary>', '');
    for (const [reason, n] of [...notApplicable].sort((a, b) => b[1] - a[1])) out.push(`- ${n} × ${cell(reason)}`);
    out.push('', '</details>');
  }
  return out.join('\n') + '\n';
}
