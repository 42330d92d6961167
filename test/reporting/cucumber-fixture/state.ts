/** What the fixture runner hands to the fixture's support code (one run at a time, in process). */
import type { ScenarioResult, Tier } from '../../../harness/results';

export const fixtureCatalogue = [
  { id: 'ES-SUCCESS-IDLE', group: 'Success and its postconditions', deviates: false, tiers: ['documented', 'esent'] as Tier[] },
  { id: 'ES-INVALID-SESID', group: 'Invalid handles and instance states', deviates: false, tiers: ['documented', 'esent'] as Tier[] },
  { id: 'ES-AFTER-TERM', group: 'Invalid handles and instance states', deviates: true, tiers: ['documented', 'esent'] as Tier[] },
  { id: 'ES-CLEANUP-OOM', group: 'Failures during clean-up', deviates: false, tiers: ['documented', 'esent'] as Tier[] },
];

export interface FixtureState {
  tier: Tier;
  results: ScenarioResult[];
  annotate: boolean;
}

let current: FixtureState | undefined;

export function setFixtureState(state: FixtureState | undefined): void {
  current = state;
}

export function fixtureState(): FixtureState {
  if (current === undefined) throw new Error('the reporting fixture runs only through test/reporting/cucumber-fixture/run.ts');
  return current;
}
