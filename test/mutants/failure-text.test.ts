/**
 * A FAIL's text in cucumber's reports, and what it costs to make. cucumber parses every step error's
 * stack (error-stack-parser); the frameless stack of a FAIL (steps/world.ts strips the suite's
 * frames) took the parser's Firefox path, whose regex backtracks without bound on long lines with
 * quotes: a third of a mutant campaign, up to 16 s for one whole-state diff. The glue marks such an
 * error so that the parser takes its linear path; these tests hold the text unchanged and the slow
 * path unused (counted, not timed).
 */
import { before, test } from 'node:test';
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { loadSupport } from '@cucumber/cucumber/api';
import ErrorStackParser from 'error-stack-parser';
import { formatError } from '@cucumber/cucumber/lib/runtime/format_error';
import { ConformanceFailure } from '../../harness/errors';
import type * as World from '../../steps/world';

const worldModule = path.join(__dirname, '..', '..', 'steps', 'world.ts');
let world: typeof World;

// steps/world.ts registers a World, so it loads only as cucumber support code.
before(async () => {
  await loadSupport({ sources: { paths: [], defaultDialect: 'en', names: [], tagExpression: '', order: 'defined' }, support: { requireModules: [], requirePaths: [worldModule], importPaths: [], loaders: [] } }, { cwd: path.dirname(worldModule) });
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module cucumber just loaded, from the require cache
  world = require(worldModule) as typeof World;
});

/** What the glue throws on to cucumber when a step body throws `e`. */
function thrownThroughGlue(e: Error): Error {
  const step = world.glue(function () {
    throw e;
  });
  try {
    void step.call({} as World.EseWorld);
  } catch (thrown) {
    return thrown as Error;
  }
  assert.fail('the glue did not throw');
}

/** Calls of the parser's Firefox path while `f` runs (counted, not run: on a long diff it would not end). */
function firefoxParses(f: () => void): number {
  const parser = ErrorStackParser as unknown as { parseFFOrSafari: (e: Error) => unknown };
  const original = parser.parseFFOrSafari;
  let calls = 0;
  parser.parseFFOrSafari = () => {
    calls++;
    return [];
  };
  try {
    f();
  } finally {
    parser.parseFFOrSafari = original;
  }
  return calls;
}

/** The same error as a plain copy: same name, message, expected/actual and stack, without the mark. */
function unmarked(e: ConformanceFailure): Error {
  const copy = new ConformanceFailure('x');
  Object.defineProperties(copy, { message: { value: e.message }, stack: { value: e.stack }, expected: { value: e.expected }, actual: { value: e.actual } });
  return copy;
}

test('a FAIL reaches cucumber without its frames, and cucumber reports the same text as for the unmarked error', () => {
  for (const [message, expected, actual] of [
    ['JetEndSession returned the wrong code', 'JET_errSuccess (0)', 'JET_errInvalidSesid (-1104)'],
    ['state: session slots of i1: not as ESENT leaves it', '["{\\"k\\":1}"]', '{"error":"no"}'],
    ['a FAIL without expected and actual', undefined, undefined],
  ] as const) {
    const thrown = thrownThroughGlue(new ConformanceFailure(message, expected, actual)) as ConformanceFailure;
    assert.doesNotMatch(thrown.stack ?? '', /\n\s+at /, 'the suite’s frames are stripped');
    const marked = formatError(thrown, true);
    const plain = formatError(unmarked(thrown), true);
    assert.deepEqual(marked, plain);
    assert.match(marked.message ?? '', new RegExp(`^ConformanceFailure: ${message.replace(/[[\]()"\\]/g, '\\$&').slice(0, 20)}`));
  }
});

test('a FAIL with a long quoted whole-state diff never takes the parser’s backtracking path', () => {
  const values = JSON.stringify(Array.from({ length: 40 }, (_, k) => JSON.stringify({ k, v: `r${k}` })));
  const thrown = thrownThroughGlue(new ConformanceFailure('state: data of db1.edb/t1: not as ESENT leaves it', values, values.replace('r1', 's1')));
  const calls = firefoxParses(() => {
    const { message } = formatError(thrown, true);
    assert.ok(message?.startsWith('ConformanceFailure: state: data of db1.edb/t1'), message);
  });
  assert.equal(calls, 0, 'cucumber parsed the FAIL’s frameless stack on the Firefox path');
});

test('an error whose stack does not end with its message keeps cucumber’s usual parse (its frames are what the report shows)', () => {
  // A message with a line that looks like a frame: stripping it leaves text after the message's start.
  const e = new ConformanceFailure('first line\n    at a line that looks like a frame');
  const thrown = thrownThroughGlue(e);
  assert.equal((thrown as { stacktrace?: unknown }).stacktrace, undefined);
  assert.ok(firefoxParses(() => formatError(thrown, true)) > 0);
});
