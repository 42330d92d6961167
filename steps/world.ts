import { setWorldConstructor, World, type IWorldOptions } from '@cucumber/cucumber';
import type * as messages from '@cucumber/messages';
import type { ScenarioContext } from '../harness/context';
import { ConformanceFailure, RefusedUse } from '../harness/errors';
import { logStep, stepLine, type FailedStep } from '../harness/failed-step';

/** What the checks ledger calls a step, from cucumber's step type. */
type Kind = 'context' | 'action' | 'outcome';

function kindOf(type: string | undefined): Kind {
  return type === 'Action' ? 'action' : type === 'Outcome' ? 'outcome' : 'context';
}

/**
 * The scenario's steps as glue runs them, in place of BeforeStep/AfterStep hooks (each hook is a
 * user-code run of cucumber's, about 15,000 a suite run). Cucumber runs a scenario's steps in order
 * and skips every step after the first that does not pass, so the steps glue runs are the first
 * ones of the pickle, in order: the n-th step glue runs is `pickle.steps[n]`. Every step
 * definition is glue (test/suite/glue.test.ts), and a passed scenario whose steps glue did not all
 * run is a SUITE_ERROR (steps/hooks.ts).
 */
export class StepTrack {
  private next = 0;
  /** The step glue started and has not finished (a step cucumber timed out stays here). */
  private running: messages.PickleStep | undefined;
  private failed: FailedStep | undefined;

  constructor(
    private readonly pickle: messages.Pickle,
    private readonly document: messages.GherkinDocument,
  ) {}

  /** The step glue is about to run. */
  begin(): messages.PickleStep | undefined {
    this.running = this.pickle.steps[this.next++];
    return this.running;
  }

  /** The running step finished (passed, failed or skipped). */
  end(): void {
    this.running = undefined;
  }

  /** The first step that failed (not skipped), with its line and keyword, for the verdict. */
  fail(step: messages.PickleStep): void {
    if (this.failed !== undefined) return;
    const { line, keyword } = stepLine(this.document, step.astNodeIds);
    this.failed = { keyword, text: step.text, line, type: String(step.type ?? 'Unknown') };
  }

  /**
   * The step the scenario failed at: the first that threw, or one cucumber stopped while it ran (a
   * step timeout), which is logged as failed as the AfterStep hook did.
   */
  failedStep(world: EseWorld): FailedStep | undefined {
    const stopped = this.running;
    if (stopped !== undefined) {
      this.running = undefined;
      if (world.ctx !== undefined) logStep({ tier: world.ctx.tier, scenario: `${this.pickle.uri}::${this.pickle.name}`, text: stopped.text, type: String(stopped.type ?? 'Unknown'), passed: false, compared: world.ctx.checks.compared });
      this.fail(stopped);
    }
    return this.failed;
  }

  /** Every step of the pickle ran (a passed scenario's steps must all have been glue). */
  get ranAll(): boolean {
    return this.next === this.pickle.steps.length;
  }

  /** Logs a step that completed (the mutant campaign's step log, when a tool keeps it). */
  log(world: EseWorld, step: messages.PickleStep, passed: boolean): void {
    if (world.ctx === undefined) return;
    logStep({ tier: world.ctx.tier, scenario: `${this.pickle.uri}::${this.pickle.name}`, text: step.text, type: String(step.type ?? 'Unknown'), passed, compared: world.ctx.checks.compared });
  }
}

/** The cucumber World: one ScenarioContext per scenario, and why the scenario stopped, if it did. */
export class EseWorld extends World {
  ctx!: ScenarioContext;
  /** The error that stopped the scenario, kept as an object for the verdict. */
  failure?: unknown;
  /** Set by the Before hook when a capability or target version is missing. */
  notApplicable?: string;
  /** The scenario's steps as glue runs them (set by the Before hook). */
  track?: StepTrack;

  constructor(options: IWorldOptions) {
    super(options);
  }
}

setWorldConstructor(EseWorld);

/** Marks the functions glue made: every step definition must be one (test/suite/glue.test.ts reads the mark by this key). */
export const glued: unique symbol = Symbol.for('ese-conformance.glue');

/** A step body's return: nothing (it ran at once), or a promise of nothing. */
type StepReturn = void | Promise<void>;

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

/**
 * Wraps a step body so the verdict sees the error object, not only its text, and feeds the
 * scenario's checks ledger (which steps are When-steps, which Then-steps compared) and the record
 * of where it failed, as BeforeStep/AfterStep hooks would, without a hook run per step.
 *
 * A body that returns no promise (the in-process path: the engines answer at once) is run and
 * finished synchronously, and so is the wrapper: cucumber then takes its result at once, without
 * the race, timer and promises it spends on a step that returns one (user_code_runner.js). A body
 * that returns a promise gets the same bookkeeping when it settles.
 */
export function glue<A extends unknown[]>(body: (this: EseWorld, ...args: A) => StepReturn) {
  const wrapped = function (this: EseWorld, ...args: A): void | 'skipped' | Promise<void | 'skipped'> {
    const step = this.track?.begin();
    const kind = kindOf(step?.type);
    if (step !== undefined) this.ctx?.checks.stepStarted(kind, step.text);
    let returned: StepReturn;
    try {
      // cucumber passes null for an optional group that did not match; the steps expect undefined.
      returned = body.apply(this, args.map((a) => (a === null ? undefined : a)) as A);
    } catch (e) {
      return stepThrew(this, step, e);
    }
    if (isThenable(returned)) {
      return Promise.resolve(returned).then(
        () => stepPassed(this, step, kind),
        (e: unknown) => stepThrew(this, step, e),
      );
    }
    stepPassed(this, step, kind);
    return undefined;
  };
  // cucumber reads the arity to tell a promise step from a callback step: keep the body's.
  Object.defineProperty(wrapped, 'length', { value: body.length });
  Object.defineProperty(wrapped, glued, { value: true });
  return wrapped;
}

function stepPassed(world: EseWorld, step: messages.PickleStep | undefined, kind: Kind): undefined {
  if (step !== undefined && world.track !== undefined) {
    world.track.end();
    world.ctx?.checks.stepPassed(kind);
    world.track.log(world, step, true);
  }
  return undefined;
}

/** A step's error: 'skipped' for a refused use of a declared capability, else recorded and thrown on. */
function stepThrew(world: EseWorld, step: messages.PickleStep | undefined, e: unknown): 'skipped' {
  // A use of a declared capability the implementation refused (harness/errors.ts): NOT_APPLICABLE, the rest skipped.
  if (e instanceof RefusedUse && world.failure === undefined) {
    world.notApplicable = e.message;
    world.track?.end();
    return 'skipped';
  }
  world.failure ??= e;
  if (step !== undefined && world.track !== undefined) {
    world.track.end();
    world.track.fail(step);
    world.track.log(world, step, false);
  }
  // A FAIL is a verdict on the implementation, not a defect here: its reports (cucumber's, Allure's)
  // show the message and the codes, not the suite's own stack frames.
  if (e instanceof ConformanceFailure && typeof e.stack === 'string') {
    e.stack = e.stack.replace(/\n\s+at [^\n]*/g, '');
    // What cucumber's formatter (assertion-error-formatter) shows after the message: nothing.
    const at = e.stack.indexOf(e.message);
    if (at >= 0 && at + e.message.length === e.stack.length) skipStackParse(e);
  }
  throw e;
}

/**
 * cucumber parses every step error's stack (format_error.js, error-stack-parser) for frames to
 * filter. A stack without V8 frames takes the parser's Firefox path, whose function-name regex
 * backtracks without bound on a long line with quotes (a whole-state diff: 16 s for one failure, a
 * third of a mutant campaign). Its frames are unused here: the report text is the message plus
 * whatever follows it in the stack, and (checked above) nothing does. An empty Opera `stacktrace`
 * sends the parser down its linear path instead; the report text is the same.
 */
function skipStackParse(e: Error): void {
  Object.defineProperty(e, 'stacktrace', { value: '', enumerable: false, configurable: true });
}
