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
