/** Turns how a scenario ended into its status, the one vocabulary of outcomes.md. */
import { ConformanceFailure, FaultError, SuiteError, faultStatus } from './errors';
import { withCode } from './error-codes';
import type { ScenarioResult, Tier, TraceEntry } from './results';
import { describeDocTag } from './doc-clauses';
import { checkOf, type FailedStep } from './failed-step';
import { PENDING_AT_VERDICT } from './traced';

export interface FinishedScenario {
  readonly pickle: { readonly uri: string; readonly name: string; readonly line: number; readonly tags: readonly string[] };
  readonly tier: Tier;
  readonly passed: boolean;
  readonly message?: string | undefined;
  readonly failure?: unknown;
  readonly notApplicable?: string | undefined;
  readonly trace: readonly TraceEntry[];
  /** The implementation's diagnostic output, kept on scenarios that did not pass. */
  readonly stderrTail?: string | undefined;
  /** Cucumber's status of the scenario: UNDEFINED, AMBIGUOUS or PENDING steps are the suite's defect. */
  readonly cucumberStatus?: string | undefined;
  /** When-blocks no check followed (harness/check-ledger.ts); a passed scenario with any is a SUITE_ERROR. */
  readonly unchecked?: readonly string[] | undefined;
  /** The first step that did not pass (recorded by glue, steps/world.ts StepTrack); absent when every step passed. */
  readonly failedStep?: FailedStep | undefined;
}

/** `features/x.feature::Scenario name`: stable while the file and the scenario's name are. */
export function scenarioId(uri: string, name: string): string {
  return `${uri.replace(/\\/g, '/')}::${name}`;
}

export function verdict(s: FinishedScenario): ScenarioResult {
  const base = {
    id: scenarioId(s.pickle.uri, s.pickle.name),
    catalogueId: s.pickle.tags.find((t) => /^@ES-/.test(t))?.slice(1) ?? '(untagged)',
    tier: s.tier,
    feature: s.pickle.uri,
    scenario: s.pickle.name,
    line: s.pickle.line,
    tags: s.pickle.tags,
    doc: s.pickle.tags.filter((t) => t.startsWith('@doc:') || t.startsWith('@source:')).map((t) => describeDocTag(t.slice(1))),
    trace: s.trace,
    ...(s.failedStep === undefined ? {} : { failedStep: withCheck(s.failedStep, s.failure) }),
  };
  if (s.notApplicable !== undefined) return { ...base, status: 'NOT_APPLICABLE', reason: s.notApplicable };
  if (s.passed && s.failure === undefined) {
    if (s.unchecked !== undefined && s.unchecked.length > 0) {
      return { ...base, status: 'SUITE_ERROR', reason: withCode(`the scenario ran no check after: ${s.unchecked.join('; ')}`, 'ERR_ESE_SUITE_NO_CHECK') };
    }
    return { ...base, status: 'PASS' };
  }
  const f = s.failure;
  const tail = s.stderrTail === undefined || s.stderrTail === '' ? {} : { stderrTail: s.stderrTail };
  if (f === undefined && s.cucumberStatus !== undefined && ['UNDEFINED', 'AMBIGUOUS', 'PENDING'].includes(s.cucumberStatus)) {
    const code = s.cucumberStatus === 'UNDEFINED' ? 'ERR_ESE_SUITE_STEP_UNDEFINED' : s.cucumberStatus === 'AMBIGUOUS' ? 'ERR_ESE_SUITE_STEP_AMBIGUOUS' : 'ERR_ESE_SUITE_STEP_PENDING';
    return { ...base, status: 'SUITE_ERROR', reason: withCode(`a step is ${s.cucumberStatus.toLowerCase()}${s.message ? `: ${s.message.split('\n')[0]}` : ''}`, code) };
  }
  if (f instanceof FaultError) {
    return {
      ...base,
      status: faultStatus(f.fault),
      reason: f.message,
      ...(f.fault.stderrTail === undefined ? tail : { stderrTail: f.fault.stderrTail }),
    };
  }
  if (f instanceof ConformanceFailure) {
    return {
      ...base,
      status: 'FAIL',
      reason: f.message.split('\n')[0],
      ...(f.expected === undefined ? {} : { expected: f.expected }),
      ...(f.actual === undefined ? {} : { actual: f.actual }),
      ...tail,
    };
  }
  // Anything else thrown by a step is the suite's own error (a name the scenario does not have, a
  // bug of the harness): it proves nothing about the implementation either way.
  if (f instanceof SuiteError || f instanceof Error) {
    const reason = f instanceof SuiteError ? withCode(f.message.split('\n')[0], 'ERR_ESE_SUITE_DEFINITION') : withCode(`${f.name}: ${f.message.split('\n')[0]}`, 'ERR_ESE_SUITE_INTERNAL');
    return { ...base, status: 'SUITE_ERROR', reason, ...tail };
  }
  const reason = s.message?.split('\n')[0] ?? 'the scenario did not pass';
  // Cucumber's step time limit ran out: a hang, never a FAIL. With a call of the implementation
  // still unanswered (an in-process implementation whose promise never settles: no adapter timer
  // bounds it) it is the implementation's TIMEOUT; with none, a step of the suite hung.
  if (f === undefined && stepTimedOut.test(reason)) {
    const pending = s.trace.filter((e) => e.result === PENDING_AT_VERDICT).map((e) => `${e.op ?? e.kind} on ${e.thread}`);
    if (pending.length > 0) return { ...base, status: 'TIMEOUT', reason: `${pending.join(', ')}: no answer before the step's time limit ran out (${reason})`, ...tail };
    return { ...base, status: 'SUITE_ERROR', reason: withCode(`a step hung with no call of the implementation unanswered (${reason})`, 'ERR_ESE_SUITE_INTERNAL'), ...tail };
  }
  return { ...base, status: 'FAIL', reason, ...tail };
}

/** Cucumber's message when a step outlives its timeout. */
const stepTimedOut = /^(Error: )?function timed out, ensure the (promise|callback) resolves within \d+ milliseconds/;

/** The failed step, with the named check the failure reports (a state component), if any. */
function withCheck(step: FailedStep, failure: unknown): FailedStep {
  const check = checkOf(failure);
  return check === undefined ? step : { ...step, check };
}
