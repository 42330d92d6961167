/**
 * Support code for running the features through plain cucumber-js, as Stryker's cucumber runner
 * does (stryker.config.json): the steps need an active run state, which `runSuite` normally sets.
 * Every scenario runs against one reference engine, in its strictest tier: esent when it has one,
 * documented otherwise (ES-NOT-INITIALIZED, ES-RESTORE-IN-PROGRESS). Cucumber loads support files
 * sorted by path, so this Before hook (mutants/…) is defined, and runs, before steps/hooks.ts's.
 * Each scenario gets a new engine: Stryker keeps this process across mutant runs, and an engine
 * broken by one mutant (say, a reset that loses its state) must not fail the scenarios of the next.
 */
import { Before } from '@cucumber/cucumber';
import { createReferenceImplementation } from '../../adapters/reference';
import type { ScenarioResult, Tier } from '../../harness/results';
import { setRunState } from '../../harness/run-state';

const results: ScenarioResult[] = [];

/** The tier a scenario is checked in: its strictest. */
export function strictestTier(tags: readonly string[]): Tier {
  return tags.includes('@esent') ? 'esent' : 'documented';
}

Before(function ({ pickle }) {
  // The verdicts are cucumber's own here (a failed step fails the scenario): keep none.
  results.length = 0;
  setRunState({ impl: createReferenceImplementation(), tier: strictestTier(pickle.tags.map((t) => t.name)), results });
});
