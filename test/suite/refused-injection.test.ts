/**
 * A fault the implementation refuses to inject (`unsupported`, although it declares
 * `fault-injection`) makes its scenario NOT_APPLICABLE with the reason, never a PASS and never a
 * FAIL, as a refused hold does: ESE's own test injection reaches the end's undo (ver.cxx 7228), but
 * its database and sort closes have no failure path at all (db.cxx 6394-6463, sortapi.cxx 873-912),
 * so the native bridge over a test build refuses those two steps. The reference below refuses them
 * too and injects the undo faults: every @needs:fault-injection scenario must then PASS (its fault
 * struck) or be NOT_APPLICABLE naming the refused step, and both kinds must occur.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { runSuite } from '../../harness/runner';
import { createReferenceImplementation } from '../../adapters/reference';
import { InjectsOnlyUndo } from '../doubles/refusing';

test('a refused fault injection makes its scenario NOT_APPLICABLE with the reason; the faults injected still run', async () => {
  const impl = new InjectsOnlyUndo(createReferenceImplementation());
  const { matrix } = await runSuite({ impl, adapterName: 'injects-only-undo', tiers: ['documented', 'esent'], tags: '@needs:fault-injection' });
  await impl.close();
  const refused = /cannot inject a fault at (close-database|close-sort): no failure path at \1/;
  const wrong = matrix.scenarios.filter((s) => s.status !== 'PASS' && !(s.status === 'NOT_APPLICABLE' && refused.test(s.reason ?? '')));
  assert.deepEqual(wrong.map((s) => `${s.tier} ${s.catalogueId} ${s.scenario}: ${s.status} ${s.reason ?? ''}`), []);
  const ids = (status: string): string[] => [...new Set(matrix.scenarios.filter((s) => s.status === status).map((s) => `${s.tier} ${s.catalogueId}`))].sort();
  // The undo faults strike: each ID that injects one passes in its tiers.
  for (const id of ['documented ES-CLEANUP-OOM', 'documented ES-CLEANUP-OUT-OF-BUFFERS', 'esent ES-UNDO-FAILURE-FATAL']) assert.ok(ids('PASS').includes(id), `${id} passes: ${ids('PASS').join(', ')}`);
  // ES-CLEANUP-FAILURE-LEAVES-SESSION injects only close steps: refused in both tiers.
  assert.ok(ids('NOT_APPLICABLE').includes('documented ES-CLEANUP-FAILURE-LEAVES-SESSION'), ids('NOT_APPLICABLE').join(', '));
  assert.ok(!ids('PASS').some((id) => id.endsWith('ES-CLEANUP-FAILURE-LEAVES-SESSION')), 'no refused scenario passes');
});
