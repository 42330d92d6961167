/**
 * Verdicts the suite must not get wrong, each shown on a deliberately broken feature text or
 * implementation: a condition that cannot be evaluated, an unknown name, a scenario that checks
 * nothing (SUITE_ERROR); counts as written; an adapter that throws (CRASH); and the conditional
 * postcondition of ES-STOP-SERVICE that used to be skipped (an engine that commits instead of
 * rolling back then FAILs).
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createReferenceImplementation } from '../../adapters/reference';
import type { ArgsOf, CallResult, Implementation, OperationName } from '../../adapters/types';
import { runSuite } from '../../harness/runner';
import type { ScenarioResult, Tier } from '../../harness/results';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ese-verdicts-'));
test.after(() => fs.rmSync(dir, { recursive: true, force: true }));

let n = 0;
async function run(scenarios: string, impl: Implementation = createReferenceImplementation(), tier: Tier = 'esent'): Promise<ScenarioResult[]> {
  const file = path.join(dir, `f${++n}.feature`);
  fs.writeFileSync(file, `Feature: deliberately broken\n\n${scenarios}`);
  const { matrix } = await runSuite({ impl, adapterName: 'test', tiers: [tier], paths: [file] });
  if (process.env.VERDICTS_DEBUG) for (const s of matrix.scenarios) console.log(s.status, s.reason, JSON.stringify(s.trace.map((t) => `${t.op ?? t.kind} ${t.result}`)));
  return [...matrix.scenarios];
}

/** The reference engine with `call` replaced (the other operations pass through). */
function wrapCall(inner: Implementation, call: (thread: string, op: OperationName, args: unknown, inner: Implementation) => Promise<CallResult>): Implementation {
  return new Proxy(inner, {
    get(target, prop) {
      if (prop === 'call') return (thread: string, op: OperationName, args: ArgsOf<OperationName>) => call(thread, op, args, target);
      const v = Reflect.get(target, prop) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

const ended = `    Given an initialized instance
    And session s1
    When s1 is ended with grbit 0
`;

test('a conditional on an outcome no table declares is a SUITE_ERROR, not a silent skip', async () => {
  const [s] = await run(`  @ES-SUCCESS-IDLE @esent
  Scenario: no outcome column
${ended}    Then the call returns, by tier:
      | tier  | returns        |
      | esent | JET_errSuccess |
    And if the outcome was ended, s1 is gone
`);
  assert.equal(s.status, 'SUITE_ERROR', s.reason);
  assert.match(s.reason ?? '', /declares the outcome "ended"/);
});

test('a misspelt code in "if the call returned" and an unknown grbit name are SUITE_ERRORs', async () => {
  const results = await run(`  @ES-SUCCESS-IDLE @esent
  Scenario: misspelt code
${ended}    Then the call returns JET_errSuccess
    And if the call returned JET_errSucess, s1 is gone

  @ES-SUCCESS-IDLE @esent
  Scenario: misspelt grbit
    Given an initialized instance
    And session s1
    When s1 is ended with grbit JET_bitForceSessionClosd
    Then the call returns JET_errSuccess
`);
  assert.deepEqual(results.map((r) => r.status), ['SUITE_ERROR', 'SUITE_ERROR'], results.map((r) => r.reason).join('\n'));
  assert.match(results[0].reason ?? '', /JET_errSucess/);
  assert.match(results[1].reason ?? '', /JET_bitForceSessionClosd/);
});

test('a scenario that runs no check after a When-step is a SUITE_ERROR; a skipped conditional is no check', async () => {
  const results = await run(`  @ES-SUCCESS-IDLE @esent
  Scenario: nothing after the second call
${ended}    Then the call returns JET_errSuccess
    When thread t1 calls JetBeginSession(instance=i1, username="", password="")

  @ES-SUCCESS-IDLE @esent
  Scenario: only a conditional that does not hold
${ended}    Then if the call returned JET_errSessionInUse, s1 is not gone

  @ES-SUCCESS-IDLE @esent
  Scenario: a conditional that holds is a check
${ended}    Then if the call returned JET_errSuccess, s1 is gone
`);
  assert.deepEqual(results.map((r) => r.status), ['SUITE_ERROR', 'SUITE_ERROR', 'PASS'], results.map((r) => r.reason).join('\n'));
  assert.match(results[0].reason ?? '', /ran no check after: thread t1 calls JetBeginSession/);
  assert.match(results[1].reason ?? '', /ran no check after: s1 is ended with grbit 0/);
});

test('counts are checked as written: "exactly N" is exact, "at least N" a lower bound', async () => {
  const scenario = (count: string) => `  @ES-SESSION-SLOT-FREED @esent
  Scenario: count ${count}
    Given an initialized instance with MaxSessions 4
    When sessions are begun on it until JetBeginSession fails, at most 104 times
    Then the last JetBeginSession returns JET_errOutOfSessions
    And the number of sessions begun before it is, by tier:
      | tier  | count   |
      | esent | ${count} |
`;
  const results = await run(['at least 4', 'exactly 4', 'exactly 5', 'at least 5', 'at most 3', '4', 'roughly 4'].map(scenario).join('\n'));
  assert.deepEqual(
    results.map((r) => `${r.scenario}: ${r.status}`),
    ['count at least 4: PASS', 'count exactly 4: PASS', 'count exactly 5: FAIL', 'count at least 5: FAIL', 'count at most 3: FAIL', 'count 4: PASS', 'count roughly 4: SUITE_ERROR'],
  );
});

test('an adapter whose call() throws is a CRASH, not a FAIL, and the run goes on', async () => {
  const throwing = wrapCall(createReferenceImplementation(), (thread, op, args, inner) => {
    if (op === 'JetBeginTransaction') throw new TypeError('boom in the adapter');
    return inner.call(thread, op, args as never);
  });
  const results = await run(
    `  @ES-SUCCESS-IDLE @esent
  Scenario: the call throws
    Given an initialized instance
    And session s1
    When thread t1 calls JetBeginTransaction(sesid=s1)
    Then the call returns JET_errSuccess

  @ES-SUCCESS-IDLE @esent
  Scenario: no throw
    Given an initialized instance
    When thread t1 calls JetBeginSession(instance=i1, username="", password="")
    Then the call returns JET_errSuccess
`,
    throwing,
  );
  assert.deepEqual(results.map((r) => r.status), ['CRASH', 'PASS']);
  assert.match(results[0].reason ?? '', /threw TypeError: boom in the adapter/);
});

test('ES-STOP-SERVICE: the durable check after the second by-tier table runs; an engine that commits the ended session\'s work FAILs', async () => {
  // The scenario as it stood when the defect was found: the second table has no outcome column.
  const scenario = `  @ES-STOP-SERVICE @esent
  Scenario: JetEndSession after JetStopServiceInstance2 with JET_bitStopServiceAll
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And sessions s1 and s2
    And s2 has a level 1 transaction that inserted 2 records and updated record 1 of "t1"
    And s1 has a level 2 transaction with work at every level of "t1", an inner level committed into level 1
    And JetStopServiceInstance2 has been called on the instance with JET_bitStopServiceAll
    When s1 is ended with grbit 0
    Then the call returns, by tier:
      | tier       | returns                              | outcome |
      | esent      | JET_errSuccess                       | ended   |
    And if the outcome was ended, s1 is gone
    And s2 still has its transaction: JetRollback on it returns JET_errSuccess
    When thread t1 calls JetBeginSession(instance=i1, username="", password="")
    Then the call returns, by tier:
      | tier       | returns                              |
      | esent      | JET_errClientRequestToStopJetService |
    And if the outcome was ended, after the instance is terminated and a new one started, the database holds exactly the committed records of "t1"
`;
  const [reference] = await run(scenario);
  assert.equal(reference.status, 'PASS', reference.reason);
  // Commits the work of the session ended later (the last to begin a transaction) where the engine
  // should roll it back: JetCommitTransaction is refused after StopService, so it commits just before.
  let lastTrx: unknown;
  const committing = wrapCall(createReferenceImplementation(), async (thread, op, args, inner) => {
    if (op === 'JetBeginTransaction') lastTrx = (args as ArgsOf<'JetBeginTransaction'>).sesid;
    if (op === 'JetStopServiceInstance2' && typeof lastTrx === 'string') {
      for (let i = 0; i < 10; i++) {
        const r = await inner.call(thread, 'JetCommitTransaction', { sesid: lastTrx, grbit: 0 });
        if (r.kind !== 'returned' || r.err < 0) break;
      }
    }
    return inner.call(thread, op, args as never);
  });
  const [mutant] = await run(scenario, committing);
  assert.equal(mutant.status, 'FAIL', mutant.reason);
  assert.match(mutant.reason ?? '', /after a restart the database should hold exactly the committed records/);
});

test('a step no definition matches is a SUITE_ERROR', async () => {
  const [s] = await run(`  @ES-SUCCESS-IDLE @esent
  Scenario: a misspelt step
${ended}    Then the call returns JET_errSuccess
    And s1 is gone for good
`);
  assert.equal(s.status, 'SUITE_ERROR', s.reason);
  assert.match(s.reason ?? '', /undefined/);
});
