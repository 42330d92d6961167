/**
 * A value now, or a promise of it: what the harness returns on a path that an in-process
 * implementation answers at once (the reference engine, a mutant of it) and any other answers
 * later. Cucumber runs a step that returns no promise synchronously, without the race, timer and
 * promises it spends on one that does (steps/world.ts glue); every promise on the way costs a
 * step that much, and more under cucumber's AsyncLocalStorage.
 */
export type Maybe<T> = T | Promise<T>;

/** `f` applied to the value: at once when it is there, else when the promise resolves. */
export function then<T, R>(value: Maybe<T>, f: (v: T) => Maybe<R>): Maybe<R> {
  return value instanceof Promise ? value.then(f) : f(value);
}

/**
 * A program of waits written once for both paths (a fixture, a probe): a generator that waits on
 * each Maybe with `yield* wait(x)`. run() drives it synchronously while every value is there, and
 * from the first promise on as an async function would, so an in-process fixture makes no promise.
 */
export type Flow<R> = Generator<Promise<unknown>, R, unknown>;

/** The value of a Maybe inside a Flow: at once when it is there, else yielded to run() and awaited. */
export function* wait<T>(value: Maybe<T>): Generator<Promise<unknown>, T, unknown> {
  return value instanceof Promise ? ((yield value) as T) : value;
}

/** Runs a Flow: its result now when it never waited on a promise, else a promise of it. A throw is thrown where it happens. */
export function run<R>(flow: Flow<R>): Maybe<R> {
  const step = flow.next();
  return step.done === true ? step.value : resume(flow, step.value);
}

/** The rest of a Flow after its first promise: each value or rejection is given back to it, as `await` would. */
async function resume<R>(flow: Flow<R>, pending: Promise<unknown>): Promise<R> {
  for (;;) {
    let value: unknown;
    let failed = false;
    try {
      value = await pending;
    } catch (e) {
      failed = true;
      value = e;
    }
    const step = failed ? flow.throw(value) : flow.next(value);
    if (step.done === true) return step.value;
    pending = step.value;
  }
}
