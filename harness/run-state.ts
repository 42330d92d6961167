/**
 * What a suite run hands to the step definitions, which cucumber loads as plain modules: the
 * implementation under test, the tier, and where verdicts go. Runs are in-process and sequential, so
 * one slot is enough.
 */
import type { Implementation } from '../adapters/types';
import type { ScenarioResult, Status, Tier, TraceEntry } from './results';

export interface ScenarioAnnotation {
  readonly tier: Tier;
  readonly catalogueId: string;
  readonly group: string;
  readonly deviates: boolean;
  readonly doc: readonly string[];
  readonly trace: readonly TraceEntry[];
  readonly expected?: string;
  readonly actual?: string;
  readonly status: Status;
  readonly reason?: string;
}

export interface RunState {
  readonly impl: Implementation;
  readonly tier: Tier;
  readonly results: ScenarioResult[];
  /** Called after each scenario, e.g. for progress on the terminal. */
  readonly onScenario?: (result: ScenarioResult) => void;
  /** Attach each scenario's trace as text for cucumber's own reports (only worth it when they are written). */
  readonly attachTrace?: boolean;
  /** Called inside each scenario's After hook, e.g. to label it for Allure. */
  readonly annotate?: (annotation: ScenarioAnnotation) => Promise<void>;
}

let current: RunState | undefined;

export function setRunState(state: RunState | undefined): void {
  current = state;
}

export function runState(): RunState {
  if (current === undefined) {
    throw new Error('no suite run is active: run the features with `ese-conformance run`, not with cucumber-js directly');
  }
  return current;
}
