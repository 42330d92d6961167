/**
 * Red team M (docs/mutants.md "Dodges", round 2): the whole-state probe cannot observe a session
 * whose levels belong to a thread that is busy (holding a call in flight). It used to record "not
 * probed" on both sides, which compare equal: "the whole observable state is as before the call"
 * passed with the session's transaction, views and cursors unobserved. It is the suite's
 * SUITE_ERROR now, naming the session and thread (no scenario of features/ reaches it: the
 * reference's whole run, both tiers, never did).
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createReferenceImplementation } from '../../adapters/reference';
import { runSuite } from '../../harness/runner';

test('a whole-state check while the thread owning a session\'s levels holds a call is SUITE_ERROR, never a PASS that observed nothing there', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ese-not-probed-'));
  try {
    const file = path.join(dir, 'not-probed.feature');
    fs.writeFileSync(
      file,
      `Feature: a state the probe cannot reach

  @ES-SHARING-VIOLATION @documented @esent @needs:threads @needs:in-flight
  Scenario: the end from another thread while the transaction's own thread holds a call
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And session s1
    And s1 has a level 1 transaction that inserted 2 records and updated record 1 of "t1"
    And thread t1 holds JetCommitTransaction(sesid=s1, grbit=0xFFFFFFFF) in flight
    When thread t2 ends s1 with grbit 0
    Then the call returns JET_errSessionSharingViolation
    And the whole observable state is as before the call
    When the held call on thread t1 is released
    Then the call on thread t1 returns JET_errInvalidGrbit
`,
    );
    const { matrix } = await runSuite({ impl: createReferenceImplementation(), adapterName: 'test', tiers: ['esent'], paths: [file] });
    assert.equal(matrix.scenarios.length, 1);
    const [s] = matrix.scenarios;
    assert.equal(s.status, 'SUITE_ERROR', s.reason);
    assert.match(s.reason ?? '', /^the whole-state probe cannot observe the transaction, views and cursors of s1: its levels belong to thread t1, which is busy .*\[ERR_ESE_SUITE_DEFINITION\]$/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
