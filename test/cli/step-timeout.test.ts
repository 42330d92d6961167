/**
 * Cucumber's step timeout of a run (cli/commands/run.ts) sits above every limit the adapter owns, so
 * a hang is always the adapter's TIMEOUT with its reason. test/process/timeouts-and-groups.test.ts
 * shows one step of over 6 s passing and a hang reported by the adapter; this file holds the bound
 * for every limit a user can give, which no run could afford to show.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { cucumberStepTimeoutMs } from '../../cli/commands/run';
import { defaultScenarioTimeoutMs, defaultTimeoutMs } from '../../adapters/process/wire';

test('the step timeout outlasts a restart and an in-scenario reset at any call and scenario limit', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 3_600_000 }), fc.integer({ min: 1, max: 3_600_000 }), (call, scenario) => {
      const step = cucumberStepTimeoutMs(call, scenario);
      // A step may wait out a scenario limit and a call limit, restart, and wait them out again.
      assert.ok(step > 2 * scenario + 2 * call, `step ${step} ms for call ${call} ms, scenario ${scenario} ms`);
    }),
    { seed: 15, numRuns: 500 },
  );
});

test('with the defaults a step may take well over cucumber\'s own 5 s (about a minute and more)', () => {
  const call = defaultTimeoutMs;
  const scenario = Math.max(defaultScenarioTimeoutMs, call);
  assert.ok(cucumberStepTimeoutMs(call, scenario) >= 60_000, `${cucumberStepTimeoutMs(call, scenario)} ms`);
});
