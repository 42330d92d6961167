/**
 * The one score every report shows: catalogue IDs that PASS / IDs that were applicable, with the
 * coverage beside it, so that a score over few IDs never reads as a complete one:
 * "15/16 applicable IDs pass; 9 of 25 not checked: missing capabilities; 6 passing IDs only partly
 * checked (scenarios not applicable)".
 */
import type { Matrix, Status, Tier } from '../harness/results';
import { partlyCheckedNote } from '../harness/partly';

export interface TierCoverage {
  readonly tier: Tier;
  readonly passed: number;
  readonly applicable: number;
  /** IDs of the tier in the catalogue the run used. */
  readonly total: number;
  /** NOT_APPLICABLE: a capability or target version the implementation did not declare. */
  readonly notApplicable: number;
  /** NOT_RUN: not selected (--id / --tags). */
  readonly notRun: number;
  /** IDs per status. */
  readonly counts: Readonly<Partial<Record<Status, number>>>;
  /** IDs that PASS with some of their scenarios NOT_APPLICABLE or not selected, and why (harness/partly.ts). */
  readonly partly?: { readonly ids: number; readonly why: string };
}

export function tierCoverage(matrix: Matrix, tier: Tier): TierCoverage {
  const ids = matrix.ids.filter((r) => r.tier === tier);
  const counts: Partial<Record<Status, number>> = {};
  for (const r of ids) counts[r.status] = (counts[r.status] ?? 0) + 1;
  const score = matrix.scores.find((s) => s.tier === tier);
  const partly = partlyCheckedNote(matrix, tier);
  return {
    tier,
    passed: score?.passed ?? counts.PASS ?? 0,
    applicable: score?.applicable ?? ids.length - (counts.NOT_APPLICABLE ?? 0) - (counts.NOT_RUN ?? 0),
    total: ids.length,
    notApplicable: counts.NOT_APPLICABLE ?? 0,
    notRun: counts.NOT_RUN ?? 0,
    counts,
    ...(partly === undefined ? {} : { partly }),
  };
}

/** "15/16 applicable IDs pass; 9 of 25 not checked: missing capabilities". */
export function coverageText(c: TierCoverage): string {
  const head = c.applicable === 0 ? 'no applicable ID' : `${c.passed}/${c.applicable} applicable IDs pass`;
  const unchecked = c.notApplicable + c.notRun;
  const p = c.partly;
  if (unchecked === 0) return `${head}; all ${c.total} checked${p === undefined ? '' : `, ${p.ids} of them only partly (${p.why})`}`;
  const why = [
    c.notApplicable > 0 ? `${c.notRun > 0 ? `${c.notApplicable} ` : ''}missing capabilities` : undefined,
    c.notRun > 0 ? `${c.notApplicable > 0 ? `${c.notRun} ` : ''}not selected (partial run)` : undefined,
  ].filter((x) => x !== undefined);
  const partly = p === undefined ? '' : `; ${p.ids} passing ID${p.ids === 1 ? '' : 's'} only partly checked (${p.why})`;
  return `${head}; ${unchecked} of ${c.total} not checked: ${why.join(', ')}${partly}`;
}

export function scoreLine(matrix: Matrix, tier: Tier): string {
  return coverageText(tierCoverage(matrix, tier));
}
