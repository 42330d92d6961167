/**
 * Plain `npx cucumber-js` (cucumber.js at the package root): opens the implementation its world
 * parameters name before the first scenario and prints the scores after the last. Inert under
 * `ese-conformance run`, which sets the run state itself, and under profiles that name no adapter.
 */
import { AfterAll, BeforeAll, setDefaultTimeout } from '@cucumber/cucumber';
import { closeStandalone, openStandalone } from '../harness/standalone';

// Cucumber's 5 s default would fire before the adapter's own limits (a slow implementation's step
// would FAIL "function timed out" instead of passing or being TIMEOUT): the same net as `run`'s
// (harness/runner.ts defaultStepTimeoutMs, which `run` sets itself).
setDefaultTimeout(1_250_000);

interface HookContext {
  readonly parameters?: Record<string, unknown>;
}

// A process implementation's handshake has its own timeout (timeoutMs); this only bounds the hook.
BeforeAll({ timeout: 120_000 }, async function (this: HookContext) {
  if (this.parameters?.adapter === undefined && this.parameters?.tier === undefined) return;
  await openStandalone(this.parameters);
});

AfterAll({ timeout: 60_000 }, async function () {
  const lines = await closeStandalone();
  if (lines.length > 0) process.stderr.write(lines.join('\n') + '\n');
});
