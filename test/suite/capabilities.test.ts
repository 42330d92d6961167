/**
 * No vacuous capability (issue 16, item 7): for each capability, the reference declaring it and
 * ignoring it (mutants/ignores-capability.ts) runs every scenario tagged `@needs:<capability>` in
 * both tiers, in-process; each must FAIL. A scenario that still passes proves nothing about what
 * the capability set up, and is named. The few rows where no API call can show the capability in
 * the documented tier are listed below with the reason, and must still pass (so the list cannot
 * rot): the esent tier catches them all.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { runSuite } from '../../harness/runner';
import { capabilityIgnorers } from '../../mutants/ignores-capability';
import { capabilities, type Capability } from '../../api';

const termWaits =
  'while JetTerm2 of the instance waits for a held call, every call on the instance answers JET_errTermInProgress, which the documented tier allows whatever the instance state, and the term cannot be withdrawn (releasing the call ends the instance); the esent tier shows the forced state through the whole-state comparison with the shadow run';

/** Scenario runs ("<tier> <scenario id>") no API observation can make fail with the capability ignored. */
const unprovable: Readonly<Record<Capability, Readonly<Record<string, string>>>> = {
  'instance-state': {
    'documented features/generated/check-order.feature::Check order: term in progress on this instance, and instance unavailable': termWaits,
    'documented features/generated/check-order.feature::Check order: term in progress on this instance, and full log disk': termWaits,
    'documented features/generated/check-order.feature::Check order with a forced state: term in progress on this instance, and not initialized': termWaits,
    'documented features/generated/check-order.feature::Check order with a forced state: term in progress on this instance, and restore in progress': termWaits,
  },
  'fault-injection': {},
  'in-flight': {},
  threads: {},
};

test('there is one capability-ignoring implementation per capability', () => {
  assert.deepEqual(capabilityIgnorers.map((c) => c.capability).sort(), [...capabilities].sort());
});

for (const ignorer of capabilityIgnorers) {
  test(`every scenario that needs ${ignorer.capability} fails when it is ignored (${ignorer.description})`, async () => {
    const impl = ignorer.create();
    const { matrix } = await runSuite({ impl, adapterName: `ignores-${ignorer.capability}`, tiers: ['documented', 'esent'], tags: `@needs:${ignorer.capability}` });
    await impl.close();
    const runs = matrix.scenarios.map((s) => ({ key: `${s.tier} ${s.id}`, status: s.status, reason: s.reason }));
    for (const tier of ['documented', 'esent']) assert.ok(runs.some((r) => r.key.startsWith(`${tier} `)), `no scenario needing ${ignorer.capability} ran in the ${tier} tier`);
    const allowed = unprovable[ignorer.capability];
    const vacuous = runs.filter((r) => r.status !== 'FAIL' && allowed[r.key] === undefined).map((r) => `${r.key}: ${r.status}${r.reason === undefined ? '' : ` (${r.reason})`}`);
    assert.deepEqual(vacuous, [], `these scenarios need ${ignorer.capability} and do not FAIL when it is ignored`);
    // The list of exceptions stays exact: an entry that now fails (or no longer exists) is removed.
    const stale = Object.keys(allowed).filter((key) => runs.find((r) => r.key === key)?.status !== 'PASS');
    assert.deepEqual(stale, [], `listed as unprovable, but not a PASS with ${ignorer.capability} ignored: remove them from the list`);
  });
}
