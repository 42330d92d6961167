/**
 * A hold the implementation refuses (`unsupported`, although it declares `in-flight`) makes its
 * scenario NOT_APPLICABLE with the reason, never a PASS and never a FAIL: the native bridge holds a
 * call inside a real engine only through a JET callback (bridge/win32/hold.h), so it refuses a held
 * JetMove or JetRollback (the scenarios hold a JetUpdate or JetDelete wherever a real engine can).
 * The reference below refuses the holds the bridge refuses and makes the rest; every @needs:in-flight scenario must then PASS (its hold was made) or be NOT_APPLICABLE
 * naming the refused call, and both kinds must occur.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { runSuite } from '../../harness/runner';
import { createReferenceImplementation } from '../../adapters/reference';
import { HoldsOnlyUpdates } from '../doubles/refusing';

test('a refused hold makes its scenario NOT_APPLICABLE with the reason; the holds made still run', async () => {
  const impl = new HoldsOnlyUpdates(createReferenceImplementation());
  const { matrix } = await runSuite({ impl, adapterName: 'holds-only-updates', tiers: ['documented', 'esent'], tags: '@needs:in-flight and not @needs:instance-state and not @needs:fault-injection' });
  await impl.close();
  const wrong = matrix.scenarios.filter((s) => s.status !== 'PASS' && !(s.status === 'NOT_APPLICABLE' && /cannot hold Jet\w+ in flight: no callback inside Jet\w+/.test(s.reason ?? '')));
  assert.deepEqual(wrong.map((s) => `${s.tier} ${s.id}: ${s.status} ${s.reason ?? ''}`), []);
  const passed = matrix.scenarios.filter((s) => s.status === 'PASS').map((s) => `${s.tier} ${s.scenario}`).sort();
  assert.deepEqual(passed, [
    'documented A call held in flight that fails leaves the session free to end once it has returned (JetDelete)',
    'documented A call in flight on another session does not refuse the end',
    "documented Another thread's JetUpdate is in flight on the session",
    'documented Check order: call in flight on another thread, and StopService',
    'documented Check order: call in flight on another thread, and term in progress on another instance',
    'documented Check order: call in flight on another thread, and term in progress on this instance',
    'documented Check order: context set by another thread, and term in progress on another instance',
    'documented Check order: context set by another thread, and term in progress on this instance',
    'documented Check order: invalid handle, and call in flight on another thread',
    'documented Check order: invalid handle, and term in progress on another instance',
    'documented Check order: invalid handle, and term in progress on this instance',
    'documented Check order: open transaction, and term in progress on another instance',
    'documented Check order: open transaction, and term in progress on this instance',
    'documented Check order: term in progress on another instance, and StopService',
    'documented Check order: term in progress on another instance, and term in progress on this instance',
    'documented Check order: transaction bound to another thread, and term in progress on another instance',
    'documented Check order: transaction bound to another thread, and term in progress on this instance',
    'documented JetEndSession of a session whose context is set, while JetTerm2 waits for a call in flight',
    "documented JetEndSession refused while JetTerm2 waits keeps the session's temp tables",
    "documented JetEndSession while JetTerm2 waits for another session's JetUpdate in flight",
    'esent A call held in flight that fails leaves the session free to end once it has returned (JetDelete)',
    'esent A call in flight on another session does not refuse the end',
    'esent A held JetDelete conflicts with a change made while it was held',
    'esent A held JetUpdate write-locks the record it replaces until it completes',
    'esent A second term of the instance waits while the first waits for a held JetUpdate',
    "esent Another thread's JetUpdate is in flight on the session",
    'esent Check order: call in flight on another thread, and StopService',
    'esent Check order: call in flight on another thread, and term in progress on another instance',
    'esent Check order: call in flight on another thread, and term in progress on this instance',
    'esent Check order: context set by another thread, and term in progress on another instance',
    'esent Check order: context set by another thread, and term in progress on this instance',
    'esent Check order: invalid handle, and call in flight on another thread',
    'esent Check order: invalid handle, and term in progress on another instance',
    'esent Check order: invalid handle, and term in progress on this instance',
    'esent Check order: open transaction, and term in progress on another instance',
    'esent Check order: open transaction, and term in progress on this instance',
    'esent Check order: term in progress on another instance, and StopService',
    'esent Check order: term in progress on another instance, and term in progress on this instance',
    'esent Check order: transaction bound to another thread, and term in progress on another instance',
    'esent Check order: transaction bound to another thread, and term in progress on this instance',
    'esent JetEndSession of a session whose context is set, while JetTerm2 waits for a call in flight',
    "esent JetEndSession refused while JetTerm2 waits keeps the session's temp tables",
    "esent JetEndSession while JetTerm2 waits for another session's JetUpdate in flight",
  ]);
  assert.ok(matrix.scenarios.some((s) => s.status === 'NOT_APPLICABLE'), 'some holds were refused');
});
