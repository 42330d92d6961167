import { setWorldConstructor, World, type IWorldOptions } from '@cucumber/cucumber';
import type { ScenarioContext } from '../harness/context';
import { ConformanceFailure, RefusedUse } from '../harness/errors';

/** The cucumber World: one ScenarioContext per scenario, and why the scenario stopped, if it did. */
export class EseWorld extends World {
  ctx!: ScenarioContext;
  /** The error that stopped the scenario, kept as an object for the verdict. */
  failure?: unknown;
  /** Set by the Before hook when a capability or target version is missing. */
  notApplicable?: string;

  constructor(options: IWorldOptions) {
    super(options);
  }
}

setWorldConstructor(EseWorld);

/** Wraps a step body so the verdict sees the error object, not only its text. */
export function glue<A extends unknown[]>(body: (this: EseWorld, ...args: A) => void | Promise<void>) {
  const wrapped = async function (this: EseWorld, ...args: A): Promise<void | 'skipped'> {
    try {
      // cucumber passes null for an optional group that did not match; the steps expect undefined.
      await body.apply(this, args.map((a) => (a === null ? undefined : a)) as A);
    } catch (e) {
      // A use of a declared capability the implementation refused (harness/errors.ts): NOT_APPLICABLE, the rest skipped.
      if (e instanceof RefusedUse && this.failure === undefined) {
        this.notApplicable = e.message;
        return 'skipped';
      }
      this.failure ??= e;
      // A FAIL is a verdict on the implementation, not a defect here: its reports (cucumber's, Allure's)
      // show the message and the codes, not the suite's own stack frames.
      if (e instanceof ConformanceFailure && typeof e.stack === 'string') e.stack = e.stack.replace(/\n\s+at [^\n]*/g, '');
      throw e;
    }
  };
  // cucumber reads the arity to tell a promise step from a callback step: keep the body's.
  Object.defineProperty(wrapped, 'length', { value: body.length });
  return wrapped;
}
