/**
 * The ESENT flavour's stubs of Windows-internal headers (bridge/ese/esent/, used by
 * `npm run ese:build -- --flavour esent`): each one says in its opening comment why no JET API result
 * depends on it, holds declarations only (no function body: a stub must not replace engine code), and
 * is listed in the stub table of docs/implementations/ese.md. Needs no ESE source.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import * as fs from 'node:fs';
import * as path from 'node:path';

const repo = path.resolve(__dirname, '..', '..');
const dir = path.join(repo, 'bridge', 'ese', 'esent');
const doc = fs.readFileSync(path.join(repo, 'docs', 'implementations', 'ese.md'), 'utf8');
const build = fs.readFileSync(path.join(repo, 'bridge', 'ese', 'build.sh'), 'utf8');
const stubs = fs.readdirSync(dir).filter((f) => f.endsWith('.h')).sort();

/** The header without comments and string literals. */
function code(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '').replace(/L?"(?:[^"\\]|\\.)*"/g, '""');
}

describe('ESENT flavour stubs (bridge/ese/esent/)', () => {
  it('are the five headers the ESENT build needs', () => {
    assert.deepEqual(stubs, ['appmodel.h', 'esent-compat.h', 'slc.h', 'slpolicylist.h', 'statemanager.h']);
  });

  for (const name of stubs) {
    const text = fs.readFileSync(path.join(dir, name), 'utf8');
    it(`${name}: opens with a comment saying why no JET API result depends on it`, () => {
      const opening = /^\/\*([\s\S]*?)\*\//.exec(text);
      assert.ok(opening, `${name} starts with a block comment`);
      assert.match(opening[1].replace(/\s*\*\s*/g, ' '), /no JET API result depends on/i, `${name}: the reason`);
    });

    it(`${name}: declarations only (no function body, no ESE code)`, () => {
      const body = code(text);
      // braces may only open an enum, an extern "C" block or a typedef'd struct, never a function
      assert.doesNotMatch(body, /\)\s*(const\s*)?\{/, `${name} defines a function`);
      assert.doesNotMatch(body, /\bErr[A-Z]\w*\s*\(/, `${name} names an ESE function`);
    });

    it(`${name}: listed in the stub table of docs/implementations/ese.md`, () => {
      assert.ok(doc.includes(`| \`${name}\``), `docs/implementations/ese.md has no table row for ${name}`);
    });
  }

  it('build.sh uses them only for --flavour esent, after the tree\'s own include paths', () => {
    assert.match(build, /flavour_defs=\(-DESENT [^\n]*-idirafter "\$here\/esent" -include "\$here\/esent\/esent-compat\.h"\)/);
  });
});
