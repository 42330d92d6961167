/**
 * An ID rolls up to PASS when its applicable scenarios passed, whatever else it has: scenarios
 * NOT_APPLICABLE (a capability the implementation did not declare) or left out by --id/--tags. The
 * reports say so beside it, so that a PASS of a few of an ID's scenarios never reads as the whole ID.
 * In harness/, not reporting/, because plain `npx cucumber-js`'s closing score says it too.
 */
import type { IdResult, Matrix } from './results';

export interface PartlyChecked {
  readonly checked: number;
  readonly total: number;
  readonly notApplicable: number;
  readonly notSelected: number;
}

/** A PASS with scenarios not checked: how many; undefined for any other status or a whole PASS. */
export function partlyChecked(matrix: Pick<Matrix, 'scenarios'>, r: IdResult): PartlyChecked | undefined {
  if (r.status !== 'PASS') return undefined;
  const mine = matrix.scenarios.filter((s) => s.tier === r.tier && s.catalogueId === r.id);
  const notApplicable = mine.filter((s) => s.status === 'NOT_APPLICABLE').length;
  const notSelected = r.notRun ?? 0;
  if (notApplicable + notSelected === 0) return undefined;
  return { checked: mine.length - notApplicable, total: mine.length + notSelected, notApplicable, notSelected };
}

/** "partly: 5 of 13 scenarios checked (8 not applicable)". */
export function partlyText(p: PartlyChecked): string {
  const why = [p.notApplicable > 0 ? `${p.notApplicable} not applicable` : undefined, p.notSelected > 0 ? `${p.notSelected} not selected` : undefined].filter((x) => x !== undefined);
  return `partly: ${p.checked} of ${p.total} scenarios checked (${why.join(', ')})`;
}

/** The IDs of a tier that PASS only partly checked, and why: "6 passing IDs only partly checked (scenarios not applicable)". */
export function partlyCheckedNote(matrix: Pick<Matrix, 'ids' | 'scenarios'>, tier: string): { readonly ids: number; readonly why: string } | undefined {
  const found = matrix.ids.filter((r) => r.tier === tier).flatMap((r) => partlyChecked(matrix, r) ?? []);
  if (found.length === 0) return undefined;
  const kinds = [found.some((p) => p.notApplicable > 0) ? 'not applicable' : undefined, found.some((p) => p.notSelected > 0) ? 'not selected' : undefined].filter((x) => x !== undefined);
  return { ids: found.length, why: `scenarios ${kinds.join(' or ')}` };
}
