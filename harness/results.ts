/**
 * The result vocabulary shared by the runner, the reports and the gate: statuses, their roll-up,
 * and the shape of matrix.json (outcomes.md "Statuses, one vocabulary everywhere").
 */
import type { ImplementationInfo } from '../adapters/types';
import type { FailedStep } from './failed-step';

export type Tier = 'documented' | 'esent';
export const tiers: readonly Tier[] = ['documented', 'esent'];

export type Status = 'PASS' | 'FAIL' | 'NOT_APPLICABLE' | 'CRASH' | 'TIMEOUT' | 'PROTOCOL_ERROR';
export const statuses: readonly Status[] = ['PASS', 'FAIL', 'NOT_APPLICABLE', 'CRASH', 'TIMEOUT', 'PROTOCOL_ERROR'];

/** Most severe first: an ID's status is the most severe of its scenarios'. */
const severity: readonly Status[] = ['FAIL', 'CRASH', 'TIMEOUT', 'PROTOCOL_ERROR', 'PASS', 'NOT_APPLICABLE'];

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
}

export interface TierScore {
  readonly tier: Tier;
  readonly passed: number;
  readonly applicable: number;
  /** passed / applicable, 0..1; null when nothing was applicable. */
  readonly score: number | null;
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
  readonly scores: readonly TierScore[];
  readonly ids: readonly IdResult[];
  readonly scenarios: readonly ScenarioResult[];
}

/** Roll scenario results up to IDs and per-tier scores. */
export function summarise(
  scenarios: readonly ScenarioResult[],
  catalogue: readonly { id: string; group: string; deviates: boolean; tiers: readonly Tier[] }[],
  tiersRun: readonly Tier[],
): { ids: IdResult[]; scores: TierScore[] } {
  const ids: IdResult[] = [];
  const scores: TierScore[] = [];
  for (const tier of tiersRun) {
    let passed = 0;
    let applicable = 0;
    for (const entry of catalogue) {
      if (!entry.tiers.includes(tier)) continue;
      const mine = scenarios.filter((s) => s.tier === tier && s.catalogueId === entry.id);
      const status = rollUp(mine.map((s) => s.status));
      ids.push({ id: entry.id, group: entry.group, tier, status, deviates: entry.deviates, scenarios: mine.map((s) => s.id) });
      if (status !== 'NOT_APPLICABLE') applicable++;
      if (status === 'PASS') passed++;
    }
    scores.push({ tier, passed, applicable, score: applicable === 0 ? null : passed / applicable });
  }
  return { ids, scores };
}
