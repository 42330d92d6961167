/**
 * The static lint of the feature files (harness/feature-lint.ts): it passes every feature file of
 * the package, and it rejects each kind of silent check in a deliberately broken feature text.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { indexFeatures, indexFeatureSource } from '../../harness/feature-index';
import { formatLintProblem, lintScenarios } from '../../harness/feature-lint';

const root = path.join(__dirname, '..', '..');

test('every feature file passes the lint', () => {
  const { scenarios, errors } = indexFeatures(root);
  assert.deepEqual(errors, []);
  assert.ok(scenarios.length > 26);
  assert.deepEqual(lintScenarios(scenarios).map(formatLintProblem), []);
});

function lint(body: string): string[] {
  const source = `Feature: f\n\n  @ES-STOP-SERVICE @esent\n  Scenario: s\n${body}`;
  const { scenarios, errors } = indexFeatureSource(source, 'broken.feature');
  assert.deepEqual(errors, []);
  return lintScenarios(scenarios).map((p) => p.message);
}

const header = `    Given an initialized instance
    And session s1
    When s1 is ended with grbit 0
`;

test('a sound scenario with an outcome column and conditionals passes', () => {
  assert.deepEqual(
    lint(`${header}    Then the call returns, by tier:
      | tier  | returns        | outcome |
      | esent | JET_errSuccess | ended   |
    When thread t1 calls JetBeginSession(instance=i1, username="", password="")
    Then the call returns, by tier:
      | tier  | returns  |
      | esent | anything |
    And if the outcome was ended, s1 is gone
    And if the call returned JET_errSuccess, s1 is gone
`),
    [],
  );
});

test('"if the outcome was X" with no outcome column before it is rejected (the ES-STOP-SERVICE defect)', () => {
  const problems = lint(`${header}    Then the call returns, by tier:
      | tier  | returns        |
      | esent | JET_errSuccess |
    And if the outcome was ended, s1 is gone
`);
  assert.equal(problems.length, 1);
  assert.match(problems[0], /no by-tier table before this step declares the outcome ended/);
});

test('an outcome name the table does not declare is rejected', () => {
  const problems = lint(`${header}    Then the call returns, by tier:
      | tier  | returns        | outcome |
      | esent | JET_errSuccess | ended   |
    And if the outcome was endd, s1 is gone
`);
  assert.equal(problems.length, 1);
  assert.match(problems[0], /declares the outcome endd \(declared: ended\)/);
});

test('an outcome name declared twice, or a row without one, is rejected', () => {
  const problems = lint(`${header}    Then the call returns, by tier:
      | tier  | returns                 | outcome |
      | esent | JET_errSuccess          | ended   |
      | esent | JET_errInvalidParameter |         |
    When s1 is ended with grbit 0
    Then the call returns, by tier:
      | tier  | returns   | outcome |
      | esent | anything  | ended   |
`);
  assert.equal(problems.length, 2, problems.join('\n'));
  assert.ok(problems.some((p) => /names no outcome/.test(p)));
  assert.ok(problems.some((p) => /"ended" is already declared/.test(p)));
});

test('a written call missing an argument the protocol requires, or with one it does not define, is rejected', () => {
  const problems = lint(`${header}    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenTable(sesid=s1, dbid=1, tablename="t1")
    Then the call returns JET_errSuccess
    When thread t1 calls JetCloseTable(sesid=s1, tableid=s1.t1, grbit=0) saving tableid as x
    Then the call returns JET_errSuccess
    Given thread t1 holds JetUpdat(sesid=s1, tableid=s1.t1) in flight
    When thread t1 calls JetEndSession(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess
`);
  assert.deepEqual(problems, [
    'JetOpenTable is written without grbit, which the protocol requires: a process implementation refuses the call as a bad request',
    "JetCloseTable is written with 'grbit', which the protocol does not define for it",
    'JetUpdat is not an operation of the protocol (schemas/protocol/operations.schema.json)',
  ]);
});

test('a misspelt code or grbit name anywhere is rejected', () => {
  const problems = lint(`    Given an initialized instance
    And session s1
    When s1 is ended with grbit JET_bitForceSessionClosd
    Then the call returns, by tier:
      | tier  | returns         |
      | esent | JET_errSucces   |
    And if the call returned JET_errSessionInUs, s1 is not gone
`);
  assert.ok(problems.some((p) => /JET_bitForceSessionClosd is not in the catalogue copy/.test(p)), problems.join('\n'));
  assert.ok(problems.some((p) => /JET_errSucces is not in the catalogue copy/.test(p)), problems.join('\n'));
  assert.ok(problems.some((p) => /"if the call returned JET_errSessionInUs": not a JET_err name/.test(p)), problems.join('\n'));
});

test('a count cell that is not "any", "N", "exactly N", "at least N" or "at most N" is rejected', () => {
  const problems = lint(`    Given an initialized instance with MaxSessions 4
    When sessions are begun on it until JetBeginSession fails, at most 104 times
    Then the number of sessions begun before it is, by tier:
      | tier  | count       |
      | esent | about 4     |
`);
  assert.equal(problems.length, 1, problems.join('\n'));
  assert.match(problems[0], /'about 4' is not a count/);
});

test('a When-step no Then-step follows is rejected, as is a scenario with no Then-step', () => {
  const problems = lint(`${header}    Then the call returns JET_errSuccess
    When thread t1 calls JetBeginSession(instance=i1, username="", password="")
`);
  assert.equal(problems.length, 1, problems.join('\n'));
  assert.match(problems[0], /no Then-step follows the When-step "thread t1 calls JetBeginSession/);
  const none = lint(`    Given an initialized instance\n    And session s1\n`);
  assert.deepEqual(none, ['the scenario has no Then-step: it checks nothing']);
});

test('a call on a second thread in a scenario not tagged @needs:threads is rejected', () => {
  const problems = lint(`${header}    Then the call returns JET_errSuccess
    When thread t2 calls JetBeginSession(instance=i1, username="", password="")
    Then the call returns JET_errSuccess
`);
  assert.equal(problems.length, 1, problems.join('\n'));
  assert.match(problems[0], /"thread t2" names a second thread, but the scenario is not tagged @needs:threads/);
});
