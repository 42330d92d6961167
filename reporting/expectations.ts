/**
 * Expectations: the known non-passing results of an implementation, in a reviewable text file
 * (docs/expectations.md), and the gate that checks a run against them both ways. A run matches
 * when every result equals its expectation: a regression (unexpected failure), a fix (unexpected
 * pass) and an entry for a scenario or ID that no longer exists all fail the gate.
 */
import * as fs from 'node:fs';
import { UsageError } from './usage-error';
import type { Matrix, ScenarioResult, Status, Tier } from '../harness/results';
import { isProblem, rollUp, statuses, tiers } from '../harness/results';
import { oneLine } from './escape';

/**
 * PASS and NOT_APPLICABLE need no entry: an entry records a known non-pass of the implementation.
 * SUITE_ERROR is the suite's own defect and NOT_RUN an ID outside the selection: neither can be expected.
 */
export type ExpectedStatus = Exclude<Status, 'PASS' | 'NOT_APPLICABLE' | 'SUITE_ERROR' | 'NOT_RUN'>;
export const expectedStatuses: readonly ExpectedStatus[] = ['FAIL', 'CRASH', 'TIMEOUT', 'PROTOCOL_ERROR'];

export type ExpectationTarget =
  /** A catalogue ID: covers the ID's scenarios in the tier that have no entry of their own. */
  | { readonly kind: 'id'; readonly id: string }
  /** A stable scenario id, `<feature path>::<scenario name>[::<example row id>]`. */
  | { readonly kind: 'scenario'; readonly id: string };

export interface ExpectationEntry {
  readonly tier: Tier;
  readonly target: ExpectationTarget;
  readonly status: ExpectedStatus;
  readonly reason: string;
  readonly issue?: string;
  readonly source: { readonly file: string; readonly line: number };
}

const catalogueIdPattern = /^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+$/;
/** Column separator: a tab, or two or more spaces. Single spaces belong to the column. */
const sep = '(?:\\t|  )[ \\t]*';
const linePattern = new RegExp(`^(\\S+)${sep}("(?:[^"\\\\]|\\\\.)*"|\\S(?:.*?\\S)?)${sep}(\\S+)(?:${sep}(.*))?$`);
const urlPattern = /^https?:\/\/\S+$/;
const format = '<tier>  <catalogue ID or scenario id>  <STATUS>  <reason>  [issue URL], columns separated by two spaces or a tab';

/** Parses an expectations file; a malformed line is a UsageError naming `file:line`. */
export function parseExpectations(text: string, file: string): ExpectationEntry[] {
  const entries: ExpectationEntry[] = [];
  const seen = new Map<string, number>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const fail = (message: string): never => {
      throw new UsageError('ERR_ESE_EXPECTATIONS_SYNTAX', `${file}:${line}: ${message}`);
    };
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const m = linePattern.exec(trimmed);
    if (m === null) return fail(`expected ${format}`);
    const [, tierText, targetText, statusText, rest = ''] = m;
    if (!(tiers as readonly string[]).includes(tierText)) return fail(`unknown tier '${oneLine(tierText, 40)}' (${tiers.join(' or ')})`);
    if (statusText === 'PASS' || statusText === 'NOT_APPLICABLE') {
      return fail(`${statusText} is not accepted as an expected status (only ${expectedStatuses.join(', ')}); remove the entry instead`);
    }
    if ((statuses as readonly string[]).includes(statusText) && !(expectedStatuses as readonly string[]).includes(statusText)) {
      return fail(`${statusText} cannot be expected (only ${expectedStatuses.join(', ')}): ${statusText === 'SUITE_ERROR' ? 'a suite error is a defect of the suite; report it' : 'NOT_RUN is the state of an ID outside the selection'}`);
    }
    if (!(statuses as readonly string[]).includes(statusText)) {
      return fail(`unknown status '${oneLine(statusText, 40)}' (one of ${expectedStatuses.join(', ')}); ${format}`);
    }
    let targetId = targetText;
    if (targetText.startsWith('"')) {
      try {
        targetId = JSON.parse(targetText) as string;
      } catch {
        return fail(`bad quoted scenario id ${oneLine(targetText, 60)} (a JSON string)`);
      }
    }
    const target: ExpectationTarget | undefined = targetId.includes('::')
      ? { kind: 'scenario', id: targetId }
      : catalogueIdPattern.test(targetId)
        ? { kind: 'id', id: targetId }
        : undefined;
    if (target === undefined) {
      return fail(`'${oneLine(targetId, 60)}' is neither a catalogue ID (ES-...) nor a scenario id (<feature>::<scenario>[::<row>])`);
    }
    const words = rest.trim().split(/\s+/).filter((w) => w !== '');
    const issue = words.length > 0 && urlPattern.test(words[words.length - 1]) ? words.pop() : undefined;
    const reason = words.join(' ');
    if (reason === '') return fail('a reason is required after the status (why this result is expected)');
    const key = `${tierText}\u0000${target.kind}\u0000${target.id}`;
    const previous = seen.get(key);
    if (previous !== undefined) return fail(`duplicate entry for ${tierText} ${oneLine(target.id, 80)} (first at line ${previous})`);
    seen.set(key, line);
    entries.push({ tier: tierText as Tier, target, status: statusText as ExpectedStatus, reason, ...(issue ? { issue } : {}), source: { file, line } });
  });
  return entries;
}

/** Reads and parses FILE; unreadable or malformed files are UsageErrors. */
export function readExpectations(file: string): ExpectationEntry[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const errno = (e as NodeJS.ErrnoException).code;
    throw new UsageError(errno === 'ENOENT' ? 'ERR_ESE_FILE_NOT_FOUND' : 'ERR_ESE_FILE_UNREADABLE', `cannot read expectations file ${file}: ${errno ?? String(e)}`);
  }
  return parseExpectations(text, file);
}

export interface GateFinding {
  readonly tier: Tier;
  /** Undefined for a stale entry naming a scenario that no longer exists. */
  readonly catalogueId?: string;
  /** The scenario's stable id, or undefined for a finding about a whole ID. */
  readonly scenarioId?: string;
  readonly expected?: ExpectedStatus;
  readonly actual?: Status;
  /** The entry involved; absent for a failure that has none. */
  readonly entry?: ExpectationEntry;
  /** One line, for the terminal. */
  readonly line: string;
}

export interface GateResult {
  /** True when every result matched and no entry is stale: the run may exit 0. */
  readonly ok: boolean;
  /** Results that match their entry (known failures), counted per scenario or ID entry. */
  readonly matched: number;
  /** Non-passing results without an entry, or with an entry for a different status. */
  readonly unexpectedFailures: GateFinding[];
  /** Results with an entry that passed: the bug is fixed, remove the entry. */
  readonly unexpectedPasses: GateFinding[];
  /** Entries whose scenario or ID does not exist in that tier any more. */
  readonly staleEntries: GateFinding[];
  /** Entries whose results were all NOT_APPLICABLE: the expectation could not be checked. */
  readonly notApplicable: GateFinding[];
  /** Entries for tiers, IDs or scenarios this run did not include (not checked, not failing). */
  readonly notChecked: ExpectationEntry[];
  readonly lines: string[];
}

export function checkExpectations(matrix: Matrix, entries: readonly ExpectationEntry[]): GateResult {
  const unexpectedFailures: GateFinding[] = [];
  const unexpectedPasses: GateFinding[] = [];
  const staleEntries: GateFinding[] = [];
  const notApplicable: GateFinding[] = [];
  let matched = 0;
  const where = (e: ExpectationEntry) => `${e.source.file}:${e.source.line}`;
  const label = (tier: Tier, catalogueId: string, scenarioId?: string) => `${tier}  ${catalogueId}${scenarioId ? `  ${scenarioId}` : ''}`;
  const why = (s: ScenarioResult) => [s.reason, s.expected && `expected ${s.expected}`, s.actual && `actual ${s.actual}`].filter(Boolean).join('; ');

  /** Compares one actual status (of a scenario, or rolled up over an ID) with its entry. */
  const compare = (entry: ExpectationEntry, catalogueId: string, actual: Status, detail: string, scenarioId?: string) => {
    const base = { tier: entry.tier, catalogueId, ...(scenarioId === undefined ? {} : { scenarioId }), expected: entry.status, actual, entry };
    const what = label(entry.tier, catalogueId, scenarioId);
    if (actual === entry.status) matched++;
    else if (actual === 'PASS') {
      unexpectedPasses.push({ ...base, line: `UNEXPECTED PASS     ${what}: passes, but ${where(entry)} expects ${entry.status} (${entry.reason}); remove the entry` });
    } else if (actual === 'NOT_APPLICABLE') {
      notApplicable.push({ ...base, line: `NOT APPLICABLE      ${what}: ${where(entry)} expects ${entry.status}, but the result is NOT_APPLICABLE${detail ? ` (${detail})` : ''}` });
    } else {
      unexpectedFailures.push({ ...base, line: `UNEXPECTED FAILURE  ${what}: ${actual}, but ${where(entry)} expects ${entry.status}${detail ? `: ${detail}` : ''}` });
    }
  };

  const tiersRun = new Set<Tier>(matrix.tiers);
  const notChecked = entries.filter((e) => !tiersRun.has(e.tier));
  const partialRun = matrix.selection !== undefined && !matrix.selection.complete;
  for (const tier of matrix.tiers) {
    const scenarioEntries = new Map<string, ExpectationEntry>();
    const idEntries = new Map<string, ExpectationEntry>();
    for (const e of entries) if (e.tier === tier) (e.target.kind === 'scenario' ? scenarioEntries : idEntries).set(e.target.id, e);
    const scenarios = matrix.scenarios.filter((s) => s.tier === tier);
    const coveredById = new Map<string, ScenarioResult[]>();
    for (const s of scenarios) {
      const own = scenarioEntries.get(s.id);
      if (own !== undefined) compare(own, s.catalogueId, s.status, why(s), s.id);
      else if (idEntries.has(s.catalogueId)) coveredById.set(s.catalogueId, [...(coveredById.get(s.catalogueId) ?? []), s]);
      else if (isProblem(s.status)) {
        unexpectedFailures.push({ tier, catalogueId: s.catalogueId, scenarioId: s.id, actual: s.status, line: `UNEXPECTED FAILURE  ${label(tier, s.catalogueId, s.id)}: ${s.status} (no expectation)${why(s) ? `: ${why(s)}` : ''}` });
      }
    }
    for (const [id, entry] of idEntries) {
      const exists = matrix.ids.some((r) => r.id === id && r.tier === tier);
      const covered = coveredById.get(id) ?? [];
      const ownEntries = scenarios.some((s) => s.catalogueId === id && scenarioEntries.has(s.id));
      if (exists && matrix.ids.some((r) => r.id === id && r.tier === tier && r.status === 'NOT_RUN')) {
        notChecked.push(entry);
      } else if (!exists) {
        staleEntries.push({ tier, catalogueId: id, expected: entry.status, entry, line: `STALE ENTRY         ${where(entry)}: ${tier} ${id}: no such catalogue ID in the ${tier} tier; remove the entry` });
      } else if (covered.length === 0 && ownEntries) {
        staleEntries.push({ tier, catalogueId: id, expected: entry.status, entry, line: `STALE ENTRY         ${where(entry)}: ${tier} ${id}: every scenario of the ID has its own entry; remove this one` });
      } else {
        const bad = covered.filter((s) => isProblem(s.status));
        // An ID entry expects one status of each covered scenario that does not pass: a CRASH beside
        // the expected FAIL is a finding of its own, never hidden by the roll-up.
        const other = bad.filter((s) => s.status !== entry.status);
        for (const s of other) {
          unexpectedFailures.push({
            tier,
            catalogueId: id,
            scenarioId: s.id,
            expected: entry.status,
            actual: s.status,
            entry,
            line: `UNEXPECTED FAILURE  ${label(tier, id, s.id)}: ${s.status}, but ${where(entry)} expects ${entry.status} of ${id}${why(s) ? `: ${why(s)}` : ''}`,
          });
        }
        if (other.length === 0) {
          const detail = bad.map((s) => `${s.status} ${s.id}${why(s) ? ` (${why(s)})` : ''}`).join('; ');
          compare(entry, id, rollUp(covered.map((s) => s.status)), detail);
        }
      }
    }
    const present = new Set(scenarios.map((s) => s.id));
    for (const [id, entry] of scenarioEntries) {
      if (present.has(id)) continue;
      const elsewhere = matrix.scenarios.find((s) => s.id === id);
      if (partialRun && elsewhere === undefined) {
        notChecked.push(entry);
        continue;
      }
      staleEntries.push({
        tier,
        ...(elsewhere === undefined ? {} : { catalogueId: elsewhere.catalogueId }),
        scenarioId: id,
        expected: entry.status,
        entry,
        line: `STALE ENTRY         ${where(entry)}: ${tier} ${id}: ${elsewhere ? `the scenario does not run in the ${tier} tier` : 'no such scenario in this run'}; remove or rename the entry`,
      });
    }
  }

  const ok = unexpectedFailures.length + unexpectedPasses.length + staleEntries.length + notApplicable.length === 0;
  const n = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;
  const counts = [
    n(matched, 'expected result', 'expected results') + ' matched',
    n(unexpectedFailures.length, 'unexpected failure', 'unexpected failures'),
    n(unexpectedPasses.length, 'unexpected pass', 'unexpected passes'),
    n(staleEntries.length, 'stale entry', 'stale entries'),
    ...(notApplicable.length > 0 ? [`${notApplicable.length} not applicable`] : []),
  ];
  const lines = [
    `expectations: ${ok ? 'OK' : 'MISMATCH'}: ${counts.join(', ')}`,
    ...[...unexpectedFailures, ...unexpectedPasses, ...staleEntries, ...notApplicable].map((f) => '  ' + oneLine(f.line, 400)),
  ];
  if (notChecked.length > 0) {
    const byTier = notChecked.filter((e) => !tiersRun.has(e.tier));
    const unselected = notChecked.filter((e) => tiersRun.has(e.tier));
    const t = [...new Set(byTier.map((e) => e.tier))].join(', ');
    if (byTier.length > 0) lines.push(`  not checked: ${n(byTier.length, 'entry', 'entries')} for tier ${t}, which this run did not include`);
    if (unselected.length > 0) lines.push(`  not checked: ${n(unselected.length, 'entry', 'entries')} for IDs or scenarios this partial run did not select`);
  }
  return { ok, matched, unexpectedFailures, unexpectedPasses, staleEntries, notApplicable, notChecked, lines };
}

/**
 * A starting expectations file from a run: one scenario entry per non-passing scenario (an ID entry
 * would hide a new failure among the ID's other scenarios), grouped under a comment per ID, with
 * the run's own reason. Reviewers are expected to rewrite the reasons and add issue links.
 */
export function formatExpectationsFile(matrix: Matrix, from: string): string {
  const impl = matrix.implementation;
  const out = [
    '# ese-conformance expectations: the known non-passing results of an implementation.',
    `# Started by \`ese-conformance expectations --from ${oneLine(from, 200)}\` from a run of ${oneLine(`${impl.name} ${impl.version}`, 120)}`,
    `# (adapter ${oneLine(matrix.adapter, 60)}, target ${impl.target}, ${matrix.startedAt}).`,
    '# Format (docs/expectations.md): <tier>  <catalogue ID or scenario id>  <STATUS>  <reason>  [issue URL]',
    '# Columns are separated by two or more spaces or a tab. Review each reason and add issue links.',
  ];
  let count = 0;
  for (const tier of matrix.tiers) {
    for (const r of matrix.ids) {
      if (r.tier !== tier || !isProblem(r.status)) continue;
      const bad = matrix.scenarios.filter((s) => s.tier === tier && s.catalogueId === r.id && (expectedStatuses as readonly Status[]).includes(s.status));
      if (bad.length === 0) continue;
      out.push('', `# ${tier} · ${r.id}${r.deviates ? ' †' : ''} (${oneLine(r.group, 80)}): ${r.status}`);
      for (const s of bad) {
        // A scenario id with a tab or a double space would split into columns: quote it.
        const target = /\t| {2}|^"/.test(s.id) ? JSON.stringify(s.id) : s.id;
        // The codes by name and number, beside the reason: the reviewer rewrites the reason, not the facts.
        const codes = [s.expected && `expected ${s.expected}`, s.actual && `actual ${s.actual}`].filter(Boolean).join(', ');
        const observed = s.reason === undefined ? codes : codes === '' ? s.reason : `${s.reason} (${codes})`;
        // A trailing URL would be read as the issue link: keep the reason's own words only.
        const reason = oneLine(`observed: ${observed || s.status}`, 300).replace(/\s+https?:\/\/\S+$/, ' (link removed)');
        out.push(`${tier}  ${target}  ${s.status}  ${reason}`);
        count++;
      }
    }
  }
  if (count === 0) out.push('', '# The run had no non-passing results: nothing to expect.');
  return out.join('\n') + '\n';
}
