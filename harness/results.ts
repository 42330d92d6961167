/**
 * The result vocabulary shared by the runner, the reports and the gate: statuses, their roll-up,
 * and the shape of matrix.json (outcomes.md "Statuses, one vocabulary everywhere").
 */
import type { ImplementationInfo } from '../adapters/types';
import type { FailedStep } from './failed-step';

export type Tier = 'documented' | 'esent';
export const tiers: readonly Tier[] = ['documented', 'esent'];

/**
 * SUITE_ERROR: the suite itself could not reach a verdict (a check that cannot be evaluated, an
 * unknown code name, a scenario that checked nothing): a defect of the suite, never a pass.
 * NOT_RUN: an ID none of whose scenarios was selected (--id / --tags); only IDs have it.
 */
export type Status = 'PASS' | 'FAIL' | 'NOT_APPLICABLE' | 'CRASH' | 'TIMEOUT' | 'PROTOCOL_ERROR' | 'SUITE_ERROR' | 'NOT_RUN';
export const statuses: readonly Status[] = ['PASS', 'FAIL', 'NOT_APPLICABLE', 'CRASH', 'TIMEOUT', 'PROTOCOL_ERROR', 'SUITE_ERROR', 'NOT_RUN'];

/** Most severe first: an ID's status is the most severe of its scenarios'. */
const severity: readonly Status[] = ['SUITE_ERROR', 'FAIL', 'CRASH', 'TIMEOUT', 'PROTOCOL_ERROR', 'PASS', 'NOT_APPLICABLE', 'NOT_RUN'];

/** A result that is neither a pass nor a deliberate absence (NOT_APPLICABLE, NOT_RUN). */
export function isProblem(status: Status): boolean {
  return status !== 'PASS' && status !== 'NOT_APPLICABLE' && status !== 'NOT_RUN';
}

export function rollUp(scenarioStatuses: readonly Status[]): Status {
  if (scenarioStatuses.length === 0) return 'NOT_APPLICABLE';
  let worst: Status = 'NOT_APPLICABLE';
  for (const s of scenarioStatuses) if (severity.indexOf(s) < severity.indexOf(worst)) worst = s;
  return worst;
}

/** One event of a scenario's conversation with the implementation. */
export interface TraceEntry {
  readonly seq: number;
  readonly thread: string;
  /** call: a returned API call; hold/release: in-flight; the rest are adapter operations. */
  readonly kind: 'call' | 'hold' | 'release' | 'reset' | 'force-instance-state' | 'inject-fault';
  readonly op?: string;
  readonly args?: unknown;
  /** JET_ERR when the call returned. */
  readonly err?: number;
  readonly out?: unknown;
  /** Human-readable result: "JET_errSuccess (0)", "held", "CRASH: ...". */
  readonly result: string;
}

export interface ScenarioResult {
  /** Stable across runs: `<feature path>::<scenario name>[::<example row id>]`. */
  readonly id: string;
  readonly catalogueId: string;
  readonly tier: Tier;
  readonly feature: string;
  readonly scenario: string;
  readonly line: number;
  readonly tags: readonly string[];
  readonly doc: readonly string[];
  readonly status: Status;
  readonly reason?: string;
  readonly expected?: string;
  readonly actual?: string;
  readonly stderrTail?: string;
  /** The first step that did not pass: where the scenario failed (its text, line, and named check). */
  readonly failedStep?: FailedStep;
  readonly trace: readonly TraceEntry[];
}

export interface IdResult {
  readonly id: string;
  readonly group: string;
  readonly tier: Tier;
  readonly status: Status;
  /** † in the catalogue: ESENT deviates from the doc here. */
  readonly deviates: boolean;
  readonly scenarios: readonly string[];
  /** Scenarios of this ID and tier the selection left out (absent when every one ran). */
  readonly notRun?: number;
}

export interface TierScore {
  readonly tier: Tier;
  readonly passed: number;
  readonly applicable: number;
  /** passed / applicable, 0..1; null when nothing was applicable. */
  readonly score: number | null;
  /** True when a scenario of this tier was not selected: the score covers only part of the suite. */
  readonly partial?: boolean;
  /** IDs of this tier none of whose scenarios ran (NOT_RUN). */
  readonly idsNotRun?: number;
}

/** What --id and --tags selected, and how much of the suite that left out. */
export interface Selection {
  readonly ids: readonly string[];
  readonly tags: string | null;
  /** Scenarios (per tier) the feature files hold but the selection left out. */
  readonly scenariosNotRun: number;
  /** False when anything was left out: the scores are then partial. */
  readonly complete: boolean;
}

export const matrixSchemaVersion = 1;

export interface Matrix {
  readonly schemaVersion: typeof matrixSchemaVersion;
  readonly suite: { readonly name: string; readonly version: string };
  readonly catalogueVersion: string;
  readonly adapter: string;
  readonly implementation: ImplementationInfo;
  readonly tiers: readonly Tier[];
  readonly startedAt: string;
  readonly durationMs: number;
  /** Absent in matrices written before selections were recorded. */
  readonly selection?: Selection;
  /** True when SIGINT/SIGTERM stopped the run: the scenarios are the ones finished before it. */
  readonly interrupted?: boolean;
  readonly scores: readonly TierScore[];
  readonly ids: readonly IdResult[];
  readonly scenarios: readonly ScenarioResult[];
}

/**
 * Roll scenario results up to IDs and per-tier scores. `available(tier, id)` is how many scenarios
 * of the ID the feature files hold in that tier; an ID with fewer results than that was partly (or,
 * with none, not: NOT_RUN) selected, and the tier's score says it is partial. Without it, an ID
 * with no result is NOT_RUN and nothing else is known to be missing.
 */
export function summarise(
  scenarios: readonly ScenarioResult[],
  catalogue: readonly { id: string; group: string; deviates: boolean; tiers: readonly Tier[] }[],
  tiersRun: readonly Tier[],
  available?: (tier: Tier, id: string) => number,
): { ids: IdResult[]; scores: TierScore[]; scenariosNotRun: number } {
  const ids: IdResult[] = [];
  const scores: TierScore[] = [];
  let scenariosNotRun = 0;
  for (const tier of tiersRun) {
    let passed = 0;
    let applicable = 0;
    let idsNotRun = 0;
    let partial = false;
    for (const entry of catalogue) {
      if (!entry.tiers.includes(tier)) continue;
      const mine = scenarios.filter((s) => s.tier === tier && s.catalogueId === entry.id);
      const status: Status = mine.length === 0 ? 'NOT_RUN' : rollUp(mine.map((s) => s.status));
      const notRun = Math.max(0, (available?.(tier, entry.id) ?? mine.length) - mine.length);
      ids.push({ id: entry.id, group: entry.group, tier, status, deviates: entry.deviates, scenarios: mine.map((s) => s.id), ...(notRun > 0 ? { notRun } : {}) });
      if (status === 'NOT_RUN') idsNotRun++;
      if (status === 'NOT_RUN' || notRun > 0) partial = true;
      scenariosNotRun += notRun;
      if (status !== 'NOT_APPLICABLE' && status !== 'NOT_RUN') applicable++;
      if (status === 'PASS') passed++;
    }
    scores.push({ tier, passed, applicable, score: applicable === 0 ? null : passed / applicable, partial, idsNotRun });
  }
  return { ids, scores, scenariosNotRun };
}
