/**
 * The conformance matrix as a table, shared by matrix.html and matrix.md: rows are catalogue IDs
 * grouped as the catalogue groups them, columns are (implementation, tier) pairs.
 */
import type { IdResult, Matrix, ScenarioResult, Status, Tier, TierScore } from '../harness/results';
import { statuses } from '../harness/results';
import { anchorSlug } from './escape';

export interface Column {
  /** Index of the matrix among those given: anchors use it, never the implementation's name. */
  readonly impl: number;
  readonly tier: Tier;
  readonly matrix: Matrix;
  readonly score: TierScore | undefined;
  /** How many IDs of this tier have each status. */
  readonly counts: Readonly<Record<Status, number>>;
}

export interface Cell {
  readonly column: Column;
  /** Undefined: the ID is not part of this tier (or not in this implementation's catalogue). */
  readonly result: IdResult | undefined;
  readonly anchor: string;
}

export interface Row {
  readonly id: string;
  readonly deviates: boolean;
  readonly cells: readonly Cell[];
}

export interface Group {
  readonly name: string;
  readonly rows: readonly Row[];
}

export interface MatrixTable {
  readonly columns: readonly Column[];
  readonly groups: readonly Group[];
}

export function idAnchor(impl: number, tier: Tier, id: string): string {
  return `id-${impl}-${tier}-${anchorSlug(id)}`;
}

export function scenarioAnchor(impl: number, tier: Tier, scenarioIndex: number): string {
  return `sc-${impl}-${tier}-${scenarioIndex}`;
}

export function buildTable(matrices: readonly Matrix[]): MatrixTable {
  const columns: Column[] = [];
  matrices.forEach((matrix, impl) => {
    for (const tier of matrix.tiers) {
      const counts = Object.fromEntries(statuses.map((s) => [s, 0])) as Record<Status, number>;
      for (const r of matrix.ids) if (r.tier === tier) counts[r.status]++;
      columns.push({ impl, tier, matrix, score: matrix.scores.find((s) => s.tier === tier), counts });
    }
  });
  // Groups and IDs in the order the catalogue lists them (first appearance across matrices).
  const groupOrder: string[] = [];
  const idsByGroup = new Map<string, string[]>();
  const deviates = new Map<string, boolean>();
  for (const matrix of matrices) {
    for (const r of matrix.ids) {
      if (!idsByGroup.has(r.group)) {
        groupOrder.push(r.group);
        idsByGroup.set(r.group, []);
      }
      const ids = idsByGroup.get(r.group)!;
      if (!ids.includes(r.id) && !deviates.has(r.id)) ids.push(r.id);
      deviates.set(r.id, (deviates.get(r.id) ?? false) || r.deviates);
    }
  }
  const groups = groupOrder.map((name) => ({
    name,
    rows: idsByGroup.get(name)!.map((id) => ({
      id,
      deviates: deviates.get(id) ?? false,
      cells: columns.map((column) => ({
        column,
        result: column.matrix.ids.find((r) => r.id === id && r.tier === column.tier),
        anchor: idAnchor(column.impl, column.tier, id),
      })),
    })),
  }));
  return { columns, groups };
}

/** The scenarios behind one ID cell, in the order the ID lists them, with their index in the matrix. */
export function scenariosOf(matrix: Matrix, result: IdResult): { scenario: ScenarioResult; index: number }[] {
  const out: { scenario: ScenarioResult; index: number }[] = [];
  for (const sid of result.scenarios) {
    const index = matrix.scenarios.findIndex((s) => s.id === sid && s.tier === result.tier);
    if (index >= 0) out.push({ scenario: matrix.scenarios[index], index });
  }
  // Scenarios of the ID the roll-up did not list (should not happen) are still shown.
  matrix.scenarios.forEach((scenario, index) => {
    if (scenario.tier === result.tier && scenario.catalogueId === result.id && !result.scenarios.includes(scenario.id)) {
      out.push({ scenario, index });
    }
  });
  return out;
}

export function scoreText(score: TierScore | undefined): string {
  if (score === undefined) return 'no score';
  // A filtered run (--id / --tags) scores only what it selected, and says so.
  const partial = score.partial === true ? `, PARTIAL run: ${score.idsNotRun ?? 0} ID${score.idsNotRun === 1 ? '' : 's'} not run${partialIdsNote(score)}` : '';
  if (score.score === null) return `${score.passed}/${score.applicable} (nothing applicable${partial})`;
  return `${score.passed}/${score.applicable} PASS (${(score.score * 100).toFixed(1)} %${partial})`;
}

function partialIdsNote(score: TierScore): string {
  return score.idsNotRun === 0 ? ', some scenarios not selected' : '';
}

/** The line a partial run adds under its scores, or undefined for a complete run. */
export function selectionText(matrix: Matrix): string | undefined {
  const sel = matrix.selection;
  if (sel === undefined || sel.complete) return undefined;
  const what = [sel.ids.length > 0 ? `--id ${sel.ids.join(', ')}` : undefined, sel.tags !== null ? `--tags "${sel.tags}"` : undefined].filter((x) => x !== undefined).join(' and ');
  return `Partial run${what ? ` (${what})` : ''}: ${sel.scenariosNotRun} scenario${sel.scenariosNotRun === 1 ? '' : 's'} not run; IDs marked NOT_RUN were not selected, and the scores cover only what ran.`;
}

/** "reference 0.1.0": name and version as the implementation reported them (escape before use). */
export function implementationLabel(matrix: Matrix): string {
  return `${matrix.implementation.name} ${matrix.implementation.version}`;
}

export const notInTier = '—';
