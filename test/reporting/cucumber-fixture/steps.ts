/**
 * Support code of the reporting fixture: a stand-in for the real steps that produces every status,
 * a trace, and the Allure annotations through an After hook named as reporting/allure-runtime.ts
 * requires (FIXTURE_HOOK=unnamed registers it without the name, to show what is lost then).
 */
import { After, Before, Given } from '@cucumber/cucumber';
import { AssertionError } from 'node:assert';
import type { ScenarioResult, Status, Tier, TraceEntry } from '../../../harness/results';
import { allureHookName, annotateAllure } from '../../../reporting/allure-runtime';
import { fixtureCatalogue, fixtureState } from './state';

interface FixtureWorld {
  trace: TraceEntry[];
  notApplicable?: string;
}

const tierOf = (): Tier => fixtureState().tier;

// Named as steps/hooks.ts names its Before hook: Allure lists it as a set-up step.
Before({ name: 'reset the implementation' }, function (this: FixtureWorld, { pickle }) {
  this.trace = [];
  if (pickle.tags.some((t) => t.name === '@needs:fault-injection')) {
    this.notApplicable = 'needs capability fault-injection, not declared by the implementation';
    return 'skipped';
  }
  return undefined;
});

Given('a call that returns {string}', function (this: FixtureWorld, result: string) {
  this.trace.push({ seq: 1, thread: 't1', kind: 'call', op: 'JetBeginSession', args: { instance: 'i1', username: '', password: '' }, err: 0, out: { sesid: 's1' }, result: 'JET_errSuccess (0)' });
  this.trace.push({ seq: 2, thread: 't1', kind: 'call', op: 'JetEndSession', args: { sesid: 's1', grbit: 0 }, err: result === 'JET_errSuccess' ? 0 : -1104, result: `${result} <script>alert(3)</script>` });
});

const hookOptions = process.env.FIXTURE_HOOK === 'unnamed' ? {} : { name: allureHookName };

After(hookOptions, async function (this: FixtureWorld, { pickle, gherkinDocument }) {
  const state = fixtureState();
  const tier = tierOf();
  const tags = pickle.tags.map((t) => t.name);
  const catalogueId = tags.find((t) => /^@ES-/.test(t))!.slice(1);
  const entry = fixtureCatalogue.find((e) => e.id === catalogueId)!;
  let status: Status = 'PASS';
  let reason: string | undefined;
  let expected: string | undefined;
  let actual: string | undefined;
  if (this.notApplicable !== undefined) {
    status = 'NOT_APPLICABLE';
    reason = this.notApplicable;
  } else if (tier === 'esent' && tags.includes('@fails-in-esent')) {
    status = 'FAIL';
    expected = '-1104 JET_errInvalidSesid';
    actual = '-1029 JET_errNotInitialized <script>alert(4)</script>';
    reason = 'the esent tier allows only -1104';
  } else if (tier === 'esent' && tags.includes('@crashes-in-esent')) {
    status = 'CRASH';
    reason = 'process exited with SIGSEGV <script>alert(5)</script>';
  }
  const result: ScenarioResult = {
    id: `${pickle.uri}::${pickle.name}`,
    catalogueId,
    tier,
    feature: pickle.uri,
    scenario: pickle.name,
    line: gherkinDocument.feature?.children.find((c) => c.scenario?.id === pickle.astNodeIds[0])?.scenario?.location.line ?? 0,
    tags,
    doc: ['The JetEndSession function ends the session, and cleans up and deallocates any resources associated with the specified session.'],
    status,
    trace: this.trace,
    ...(reason === undefined ? {} : { reason }),
    ...(expected === undefined ? {} : { expected }),
    ...(actual === undefined ? {} : { actual }),
    ...(status === 'CRASH' ? { stderrTail: '\u001b[31mSegmentation fault\u001b[0m </pre><script>alert(6)</script>' } : {}),
  };
  state.results.push(result);
  if (state.annotate) {
    await annotateAllure({ tier, catalogueId, group: entry.group, deviates: entry.deviates, doc: result.doc, trace: result.trace, status, ...(reason === undefined ? {} : { reason }), ...(expected === undefined ? {} : { expected }), ...(actual === undefined ? {} : { actual }) });
  }
  // Cucumber's own verdict follows ours, so that Allure shows failed / broken / skipped too.
  if (status === 'FAIL') throw new AssertionError({ message: `${reason}: expected ${expected}, got ${actual}` });
  if (status === 'CRASH') throw new Error(reason);
});
