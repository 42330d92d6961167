/**
 * The step-matching arrangement of package.json (docs/reports.md, "Step matching"): cucumber-expressions
 * reads match indices through regexp-match-indices, whose polyfill never sees the engine's own and
 * rebuilds a regexp from an AST for every matched step. package.json overrides it with
 * packages/regexp-match-indices (the RegExp `d` flag). These tests fail when the override stops
 * applying (a cucumber upgrade that moves the dependency, a lock file made without it), and check
 * that the replacement gives the matches and indices that the spec defines.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { CucumberExpression, ParameterTypeRegistry, RegularExpression } from '@cucumber/cucumber-expressions';

const root = path.resolve(__dirname, '..', '..');
const ours = path.join(root, 'packages', 'regexp-match-indices');

/** The module cucumber-expressions itself loads (from where it is installed, whichever copy that is). */
function asCucumberLoadsIt(): string {
  const expressions = path.dirname(require.resolve('@cucumber/cucumber-expressions'));
  return fs.realpathSync(require.resolve('regexp-match-indices', { paths: [expressions] }));
}

type Exec = ((regexp: RegExp, s: string) => RegExpExecArray | null) & { nativeIndices?: boolean };

const load = (file: string) => createRequire(__filename)(file) as Exec;

describe('regexp-match-indices, as cucumber-expressions loads it', () => {
  it('is packages/regexp-match-indices (the package.json override applies)', () => {
    assert.equal(asCucumberLoadsIt(), fs.realpathSync(path.join(ours, 'index.js')));
    const exec = load(asCucumberLoadsIt());
    assert.equal(exec.nativeIndices, true);
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { overrides?: Record<string, string>; devDependencies?: Record<string, string> };
    assert.equal(pkg.overrides?.['regexp-match-indices'], '$regexp-match-indices');
    assert.equal(pkg.devDependencies?.['regexp-match-indices'], 'file:packages/regexp-match-indices');
  });

  it('gives the match and the indices the RegExp d flag gives, lastIndex included', () => {
    const exec = load(asCucumberLoadsIt());
    const cases: [RegExp, string][] = [
      [/^I have (\d+) cucumbers? in my (\w+)$/, 'I have 42 cucumbers in my belly'],
      [/^a(?:b(c)?)?(d)?$/, 'ab'],
      [/^(?<who>\w+) (?:says|said) "([^"]*)"(?: on (t\d))?$/, 'alice says "hi" on t2'],
      [/((a)|(b))+/, 'xxabab'],
      [/(?<=x)(y)/, 'axy'],
      [/^nothing here$/, 'something else'],
    ];
    for (const [re, s] of cases) {
      const expected = new RegExp(re.source, `${re.flags}d`).exec(s);
      const got = exec(re, s);
      if (expected === null) {
        assert.equal(got, null, `${re}`);
        continue;
      }
      assert.ok(got !== null, `${re}`);
      assert.deepEqual([...got], [...expected], `${re}: the groups`);
      assert.deepEqual(got.indices, expected.indices, `${re}: the indices`);
      for (let i = 0; i < got.length; i++) {
        const at: readonly number[] | undefined = (got as unknown as { readonly indices: readonly (readonly number[] | undefined)[] }).indices[i];
        if (at !== undefined) assert.equal(s.slice(at[0], at[1]), got[i], `${re}: group ${i} is where its indices say`);
      }
    }
    const global = /o(.)/g;
    assert.equal(exec(global, 'foo bor')?.indices?.[1]?.[0], 2);
    assert.equal(global.lastIndex, 3);
    assert.equal(exec(global, 'foo bor')?.indices?.[1]?.[0], 6);
    assert.equal(global.lastIndex, 7);
  });

  it('gives cucumber-expressions the arguments and their positions', () => {
    const registry = new ParameterTypeRegistry();
    const args = new CucumberExpression('I have {int} cucumber(s) in my {word} on {string}', registry).match('I have 3 cucumbers in my basket on "t 2"');
    assert.ok(args !== null);
    assert.deepEqual(
      args.map((a) => [a.getValue(null), a.group.start, a.group.end]),
      [
        [3, 7, 8],
        ['basket', 25, 31],
        ['t 2', 35, 40],
      ],
    );
    const optional = new RegularExpression(/^the state is as (ESENT leaves it|before the call)(?: on (t\d))?$/, registry).match('the state is as before the call');
    assert.deepEqual(
      optional?.map((a) => [a.getValue(null), a.group.start]),
      [
        ['before the call', 16],
        // An optional group that did not match: null, as cucumber hands it to a step (steps/world.ts).
        [null, undefined],
      ],
    );
  });
});
