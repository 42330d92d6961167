/**
 * Support code for running the features through plain cucumber-js, as Stryker's cucumber runner
 * does (stryker.config.json): the steps need an implementation and a tier, which `runSuite` normally
 * names in the world parameters. Every scenario runs against one reference engine, in its strictest
 * tier: esent when it has one, documented otherwise (ES-NOT-INITIALIZED, ES-RESTORE-IN-PROGRESS).
 * Each scenario gets a new engine: Stryker keeps this process across mutant runs, and an engine
 * broken by one mutant (say, a reset that loses its state) must not fail the scenarios of the next.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createReferenceImplementation } from '../../adapters/reference';
import type { Tier } from '../../harness/results';
import { provideScenarios } from '../../harness/run-state';

/** The tier a scenario is checked in: its strictest. */
export function strictestTier(tags: readonly string[]): Tier {
  return tags.includes('@esent') ? 'esent' : 'documented';
}

// The judge is the unmutated copy Stryker's build command made (install-profile.cjs), read before
// the first scenario builds its shadow (harness/judge.ts).
const pristine = path.join(process.cwd(), '.judge');
if (fs.existsSync(path.join(pristine, 'adapters', 'reference'))) process.env.ESE_CONFORMANCE_JUDGE ??= pristine;

// The verdicts are cucumber's own here (a failed step fails the scenario).
provideScenarios((tags) => ({ impl: createReferenceImplementation(), tier: strictestTier(tags), attachTrace: false }));
