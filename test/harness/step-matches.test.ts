/**
 * harness/step-matches.ts: a definition's answer for a text is worked out once and given again,
 * the same as the definition's own; a match that throws keeps nothing and throws again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rememberStepMatches } from '../../harness/step-matches';

function definition(pattern: RegExp, calls: string[]) {
  return {
    matchesStepName(text: string): boolean {
      calls.push(`${pattern.source} ${text}`);
      if (text === 'throws') throw new Error('ambiguous parameter type');
      return pattern.test(text);
    },
  };
}

test('each definition answers as its own match, worked out once per text, in any order of asking', () => {
  const calls: string[] = [];
  const defs = [definition(/^a (\d+)$/, calls), definition(/^a \d+|b$/, calls), definition(/^c$/, calls)];
  const library = { stepDefinitions: defs };
  const own = defs.map((d) => d.matchesStepName.bind(d));
  assert.equal(rememberStepMatches(library), 3);
  const texts = ['a 1', 'b', 'c', 'a 1', 'd', 'c', 'b'];
  const expected = texts.map((t) => own.map((m) => m(t)));
  calls.length = 0;
  // As cucumber asks (every definition about one text), then one definition about several texts.
  assert.deepEqual(texts.map((t) => defs.map((d) => d.matchesStepName(t))), expected);
  assert.deepEqual(calls.length, 4 * 3, 'the 4 distinct texts, once per definition');
  assert.deepEqual(texts.map((t) => defs[1].matchesStepName(t)), expected.map((e) => e[1]));
  assert.equal(calls.length, 4 * 3, 'nothing worked out again');
});

test('a match that throws keeps nothing and throws again', () => {
  const calls: string[] = [];
  const d = definition(/^x$/, calls);
  rememberStepMatches({ stepDefinitions: [d] });
  assert.throws(() => d.matchesStepName('throws'), /ambiguous/);
  assert.throws(() => d.matchesStepName('throws'), /ambiguous/);
  assert.equal(calls.length, 2);
  assert.equal(d.matchesStepName('x'), true);
});
