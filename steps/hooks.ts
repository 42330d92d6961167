import { After, AfterStep, Before, Status as CucumberStatus } from '@cucumber/cucumber';
import { logStep, stepLine, type FailedStep } from '../harness/failed-step';
import { notApplicableReason } from '../harness/applicability';
import { catalogueEntry } from '../harness/catalogue';
import { ScenarioContext } from '../harness/context';
import { verdict } from '../harness/verdict';
import { runState } from '../harness/run-state';
import { standaloneRunState } from '../harness/standalone';
import { formatTrace } from '../harness/trace-format';
import { pickleLine } from './pickle-line';
import type { EseWorld } from './world';

// Named: Allure shows the hook as a set-up step, which would otherwise read "Unknown test".
Before({ name: 'reset the implementation' }, async function (this: EseWorld, { pickle }) {
  // Plain `npx cucumber-js` (cucumber.js): the run state comes from the world parameters (steps/standalone.ts).
  const state = standaloneRunState(pickle.tags.map((t) => t.name)) ?? runState();
  this.ctx = new ScenarioContext(state.impl, state.tier);
  const reason = notApplicableReason(pickle.tags.map((t) => t.name), state.impl.info);
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
After({ name: 'ALLURE_FIXTURE_IGNORE' }, async function (this: EseWorld, { pickle, result, gherkinDocument }) {
  const state = runState();
  const tags = pickle.tags.map((t) => t.name);
  const outcome = verdict({
    pickle: { uri: pickle.uri, name: pickle.name, line: pickleLine(gherkinDocument, pickle.astNodeIds), tags },
    tier: state.tier,
    passed: result?.status === CucumberStatus.PASSED,
    message: result?.message,
    failure: this.failure,
    notApplicable: this.notApplicable,
    trace: this.ctx.traced.verdictTrace(),
    stderrTail: state.impl.stderrTail?.(),
    cucumberStatus: result?.status,
    unchecked: this.notApplicable === undefined ? this.ctx.checks.uncheckedBlocks() : [],
    failedStep: failedSteps.get(this),
  });
  state.results.push(outcome);
  state.onScenario?.(outcome);
  // With Allure annotating, the trace is already an attachment of its own (and matrix.json has it).
  if (state.attachTrace && state.annotate === undefined && outcome.trace.length > 0) this.attach(formatTrace(outcome.trace), 'text/plain');
  const entry = catalogueEntry(outcome.catalogueId);
  await state.annotate?.({
    tier: state.tier,
    catalogueId: outcome.catalogueId,
    group: entry?.group ?? '',
    deviates: entry?.deviates ?? false,
    doc: outcome.doc,
    trace: outcome.trace,
    status: outcome.status,
    ...(outcome.expected === undefined ? {} : { expected: outcome.expected }),
    ...(outcome.actual === undefined ? {} : { actual: outcome.actual }),
    ...(outcome.reason === undefined ? {} : { reason: outcome.reason }),
  });
});

/** The first step of each scenario that did not pass (by world), for the verdict. */
const failedSteps = new WeakMap<EseWorld, FailedStep>();

// Records where a scenario failed (the kill matrix counts kills per check) and, when a tool keeps
// the step log, every step that completed.
AfterStep(function (this: EseWorld, { pickle, pickleStep, gherkinDocument, result }) {
  const status = result.status;
  const passed = status === CucumberStatus.PASSED;
  if (!passed && status !== CucumberStatus.SKIPPED && !failedSteps.has(this)) {
    const { line, keyword } = stepLine(gherkinDocument, pickleStep.astNodeIds);
    failedSteps.set(this, { keyword, text: pickleStep.text, line, type: String(pickleStep.type ?? 'Unknown') });
  }
  if (this.ctx !== undefined && status !== CucumberStatus.SKIPPED) {
    // A conditional whose condition did not hold compared nothing: it does not count as a check that ran.
    const compared = this.ctx.checks?.compared ?? true;
    logStep({ tier: this.ctx.tier, scenario: `${pickle.uri}::${pickle.name}`, text: pickleStep.text, type: String(pickleStep.type ?? 'Unknown'), passed, compared });
  }
});
