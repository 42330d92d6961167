/**
 * The closing score of a plain `npx cucumber-js` run, made from cucumber's message stream in the
 * coordinator (steps/summary-plugin.ts). Under `--parallel N` each worker sees only its own
 * scenarios: a score printed by a worker's AfterAll would be a partial one that reads as complete,
 * so the one score comes from every worker's envelopes, once, after the last.
 */
import type * as messages from '@cucumber/messages';
import { loadCatalogue } from './catalogue';
import { partlyCheckedNote } from './partly';
import { decodeResult, scenarioResultMediaType } from './result-messages';
import { summarise, tiers as allTiers, type ScenarioResult } from './results';
import { terminalLine } from '../text/terminal';

/** Which implementation a worker ran the scenarios against: attached with its first scenario. */
export const standaloneInfoMediaType = 'application/vnd.ese-conformance.standalone-info+json';

export interface StandaloneInfo {
  readonly adapter: string;
  readonly tier: string;
  readonly name: string;
  readonly version: string;
}

function decodeInfo(body: string): StandaloneInfo | undefined {
  try {
    const i = JSON.parse(body) as Partial<StandaloneInfo>;
    if ([i.adapter, i.tier, i.name, i.version].every((v) => typeof v === 'string')) return i as StandaloneInfo;
  } catch {
    // not one of ours
  }
  return undefined;
}

/** The scores as `run` counts them, and every scenario that did not pass, one line each. */
export function summaryLines(infos: readonly StandaloneInfo[], results: readonly ScenarioResult[]): string[] {
  if (infos.length === 0) return [];
  const head = infos[0];
  const names = [...new Set(infos.map((i) => `${terminalLine(i.name, 120)} ${terminalLine(i.version, 40)}`))].join('; ');
  const lines = [`ese-conformance (cucumber-js, adapter ${terminalLine(head.adapter, 120)}, tier ${head.tier}): ${names}`];
  const tiersSeen = allTiers.filter((t) => results.some((r) => r.tier === t));
  const { scores, ids } = summarise(results, loadCatalogue().entries, tiersSeen);
  for (const score of scores) {
    const ran = new Set(results.filter((r) => r.tier === score.tier).map((r) => r.catalogueId)).size;
    // As `run`'s score line: a PASS with scenarios not applicable is not a whole ID's PASS.
    const partly = partlyCheckedNote({ ids, scenarios: results }, score.tier);
    const note = partly === undefined ? '' : `; ${partly.ids} passing ID${partly.ids === 1 ? '' : 's'} only partly checked (${partly.why})`;
    lines.push(`  ${score.tier}: ${score.passed}/${score.applicable} applicable IDs pass (${ran} IDs selected)${note}`);
  }
  const problems = results.filter((x) => x.status !== 'PASS' && x.status !== 'NOT_APPLICABLE');
  for (const r of [...problems].sort((a, b) => a.feature.localeCompare(b.feature) || a.line - b.line)) {
    const codes = [r.expected && `expected ${r.expected}`, r.actual && `actual ${r.actual}`].filter(Boolean).join(', ');
    lines.push(`  ${r.status} [${r.tier}] ${r.catalogueId} ${r.feature}:${r.line}: ${terminalLine(`${r.reason ?? ''}${codes ? ` (${codes})` : ''}`, 400)}`);
  }
  return lines;
}

/** Collects every worker's verdicts and implementation identities from the envelopes. */
export class StandaloneSummary {
  private readonly infos: StandaloneInfo[] = [];
  private readonly results: ScenarioResult[] = [];

  onMessage(envelope: Readonly<messages.Envelope>): void {
    const a = envelope.attachment;
    if (a === undefined) return;
    if (a.mediaType === scenarioResultMediaType) {
      const r = decodeResult(a.body);
      if (r !== undefined) this.results.push(r);
    } else if (a.mediaType === standaloneInfoMediaType) {
      const i = decodeInfo(a.body);
      if (i !== undefined) this.infos.push(i);
    }
  }

  /** Empty when no standalone session ran (`ese-conformance run`, Stryker's profile). */
  lines(): string[] {
    return summaryLines(this.infos, this.results);
  }
}
