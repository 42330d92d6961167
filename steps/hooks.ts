import { After, AfterAll, Before, BeforeAll, Status as CucumberStatus } from '@cucumber/cucumber';
import { notApplicableReason } from '../harness/applicability';
import { ScenarioContext } from '../harness/context';
import { verdict } from '../harness/verdict';
import { closeForRun, openForRun, providedScenario, reportLateFault, runParameters, scenarioSetup, type ScenarioSetup } from '../harness/run-state';
import { encodeResult, referToResult, scenarioResultMediaType } from '../harness/result-messages';
import { standaloneInfo, standaloneScenario } from '../harness/standalone';
import { standaloneInfoMediaType } from '../harness/standalone-summary';
import { formatTrace } from '../harness/trace-format';
import { pickleLine } from './pickle-line';
import { StepTrack, type EseWorld } from './world';
import { SuiteError } from '../harness/errors';

interface RunHookContext {
  readonly parameters?: unknown;
}

// A parallel worker of `ese-conformance run` opens its own implementation (harness/run-state.ts);
// a serial run's is lent by the runner and this does nothing. The adapter owns the handshake's
// timeout; this only bounds the hook.
BeforeAll({ timeout: 600_000 }, async function (this: RunHookContext) {
  const parameters = runParameters(this.parameters);
  if (parameters !== undefined) await openForRun(parameters);
});

AfterAll({ timeout: 120_000 }, async function (this: RunHookContext) {
  const parameters = runParameters(this.parameters);
  const late = parameters === undefined ? undefined : await closeForRun(parameters);
  // To the runner through the run's side channel, which gives it to this worker's last scenario.
  if (parameters !== undefined && late !== undefined) reportLateFault(parameters, late);
});

/** Each scenario's implementation and tier, by world: what the After hook's verdict needs. */
const setups = new WeakMap<EseWorld, ScenarioSetup>();

function setupOf(world: EseWorld, tags: readonly string[]): ScenarioSetup {
  const parameters = runParameters(world.parameters);
  if (parameters !== undefined) return scenarioSetup(parameters);
  // Plain `npx cucumber-js` (cucumber.js): the world parameters named an adapter (steps/standalone.ts).
  const setup = standaloneScenario(tags) ?? providedScenario(tags);
  if (setup === undefined) throw new Error('no implementation is open: run the features with `ese-conformance run`, or with cucumber-js and the profiles of cucumber.js');
  return setup;
}

// Named: Allure shows the hook as a set-up step, which would otherwise read "Unknown test".
Before({ name: 'reset the implementation' }, async function (this: EseWorld, { pickle, gherkinDocument }) {
  // Glue tells each step what it runs, and records where the scenario failed (steps/world.ts).
  this.track = new StepTrack(pickle, gherkinDocument);
  const tags = pickle.tags.map((t) => t.name);
  const setup = setupOf(this, tags);
  setups.set(this, setup);
  this.ctx = new ScenarioContext(setup.impl, setup.tier);
  const reason = notApplicableReason(tags, setup.impl.info);
  if (reason !== undefined) {
    this.notApplicable = reason;
    return 'skipped';
  }
  try {
    await this.ctx.reset();
  } catch (e) {
    this.failure = e;
    throw e;
  }
  return undefined;
});

// The name keeps allure-cucumberjs from turning this hook into an "after" fixture, which would drop
// the labels the verdict sends (reporting/allure-runtime.ts).
// The verdict leaves as data: an attachment of its own media type in cucumber's message stream,
// which the runner collects (harness/result-messages.ts) and the Allure formatter turns into its
// labels and verdict step (reporting/allure-formatter.ts). The name keeps allure-cucumberjs from
// turning this hook into an "after" fixture, which would put the verdict on the fixture.
After({ name: 'ALLURE_FIXTURE_IGNORE' }, function (this: EseWorld, { pickle, result, gherkinDocument }) {
  const setup = setups.get(this);
  // The Before hook failed before it knew the implementation: the runner reports the missing verdict.
  if (setup === undefined) return;
  const tags = pickle.tags.map((t) => t.name);
  const passed = result?.status === CucumberStatus.PASSED;
  // A passed scenario's steps all ran through glue, or glue's count of them (and the ledger) is off.
  if (passed && this.track?.ranAll === false) this.failure ??= new SuiteError('a step ran that is not wrapped by glue (steps/world.ts): the checks ledger cannot count it');
  const outcome = verdict({
    pickle: { uri: pickle.uri, name: pickle.name, line: pickleLine(gherkinDocument, pickle.astNodeIds), tags },
    tier: setup.tier,
    passed,
    message: result?.message,
    failure: this.failure,
    notApplicable: this.notApplicable,
    trace: this.ctx.traced.verdictTrace(),
    stderrTail: setup.impl.stderrTail?.(),
    cucumberStatus: result?.status,
    unchecked: this.notApplicable === undefined ? this.ctx.checks.uncheckedBlocks() : [],
    failedStep: this.track?.failedStep(this),
  });
  const info = standaloneInfo();
  if (info !== undefined) this.attach(JSON.stringify(info), standaloneInfoMediaType);
  // A string attachment is emitted at once (cucumber's attach returns nothing to wait for).
  if (setup.attachTrace && outcome.trace.length > 0) this.attach(formatTrace(outcome.trace), 'text/plain');
  this.attach(setup.verdictsInProcess === true ? referToResult(outcome) : encodeResult(outcome), scenarioResultMediaType);
  // Cucumber's own status follows the verdict: a scenario whose steps all passed but that is no
  // PASS (a When-block no check followed) must not count as passed in a plain cucumber-js run.
  if (passed && outcome.status !== 'PASS' && outcome.status !== 'NOT_APPLICABLE') throw new Error(`${outcome.status}: ${outcome.reason ?? ''}`);
});
