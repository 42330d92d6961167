import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { run, wait, type Flow } from '../../harness/maybe';

/** A flow that adds what it waits on, and records what it saw and whether its finally ran. */
function* sum(values: readonly (number | Promise<number>)[], seen: string[]): Flow<number> {
  let total = 0;
  try {
    for (const v of values) {
      try {
        total += yield* wait(v);
      } catch (e) {
        seen.push(`caught ${(e as Error).message}`);
      }
    }
    return total;
  } finally {
    seen.push('finally');
  }
}

test('a flow whose values are all there runs at once: its result, not a promise', () => {
  const seen: string[] = [];
  const r = run(sum([1, 2, 3], seen));
  assert.equal(r, 6);
  assert.deepEqual(seen, ['finally']);
});

test('from the first promise on a flow runs as an async function: a promise of its result, values after it in order', async () => {
  const seen: string[] = [];
  const r = run(sum([1, Promise.resolve(2), 3, Promise.resolve(4)], seen));
  assert.ok(r instanceof Promise);
  // Nothing after the first promise ran yet: not even the finally.
  assert.deepEqual(seen, []);
  assert.equal(await r, 10);
  assert.deepEqual(seen, ['finally']);
});

test('a rejection is thrown into the flow where it waited, as await throws it', async () => {
  const seen: string[] = [];
  const r = run(sum([1, Promise.reject(new Error('no')), 5], seen));
  assert.equal(await r, 6);
  assert.deepEqual(seen, ['caught no', 'finally']);
});

test('a throw the flow does not catch: at once on the synchronous path, as a rejection after a promise', async () => {
  function* fails(first: number | Promise<number>): Flow<number> {
    const v = yield* wait(first);
    throw new Error(`failed after ${v}`);
  }
  assert.throws(() => run(fails(1)), /failed after 1/);
  await assert.rejects(async () => run(fails(Promise.resolve(2))), /failed after 2/);
});
