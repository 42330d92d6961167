/**
 * Plain `npx cucumber-js` (cucumber.js at the package root): opens the implementation its world
 * parameters name before the first scenario and prints the scores after the last. Inert under
 * `ese-conformance run`, which sets the run state itself, and under profiles that name no adapter.
 */
import { AfterAll, BeforeAll, setDefaultTimeout } from '@cucumber/cucumber';
import { closeStandalone, openStandalone, StandaloneParameterError } from '../harness/standalone';

// Cucumber's 5 s default would fire before the adapter's own limits (a slow implementation's step
// would FAIL "function timed out" instead of passing or being TIMEOUT): the same net as `run`'s
// (harness/runner.ts defaultStepTimeoutMs, which `run` sets itself).
setDefaultTimeout(1_250_000);

interface HookContext {
  readonly parameters?: Record<string, unknown>;
}

// A process implementation's handshake has its own timeout (timeoutMs); this only bounds the hook.
// A bad world parameter is the user's to fix: one line and exit 2 (as `ese-conformance` does), not
// cucumber's report of a failed hook with its stack frames. Nothing is open yet to be left behind.
BeforeAll({ timeout: 120_000 }, async function (this: HookContext) {
  if (this.parameters?.adapter === undefined && this.parameters?.tier === undefined) return;
  try {
    await openStandalone(this.parameters);
  } catch (e) {
    if (!(e instanceof StandaloneParameterError)) throw e;
    process.stderr.write(`ese-conformance: ${e.message}\n`);
    process.exit(2);
  }
});

AfterAll({ timeout: 60_000 }, async function () {
  await closeStandalone();
});
