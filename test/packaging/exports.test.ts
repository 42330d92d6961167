/**
 * The package's public entry points (`exports` in package.json): each points at a file the build
 * emits from a source that exists, and holds what README's table says it holds.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.join(__dirname, '..', '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { exports: Record<string, string | { types: string; default: string }>; files: string[] };

/** The TypeScript source a ./dist/X.js entry is compiled from. */
function sourceOf(target: string): string {
  assert.match(target, /^\.\/dist\/.+\.js$/);
  return path.join(root, target.replace(/^\.\/dist\//, '').replace(/\.js$/, '.ts'));
}

test('every code entry point has its source and its types beside it; every folder entry is shipped', () => {
  for (const [name, target] of Object.entries(pkg.exports)) {
    if (typeof target === 'string') {
      const folder = target.replace(/^\.\//, '').replace(/\*$/, '');
      assert.ok(folder === 'package.json' || pkg.files.includes(folder), `${name}: ${folder} is not in "files"`);
      continue;
    }
    assert.ok(fs.existsSync(sourceOf(target.default)), `${name}: no source for ${target.default}`);
    assert.equal(target.types, target.default.replace(/\.js$/, '.d.ts'), name);
  }
});

test('the entry points hold the adapter interface, the vocabulary, the runner and the process adapter', () => {
  const load = (name: string) => {
    const target = pkg.exports[name];
    assert.ok(target !== undefined && typeof target !== 'string', `no export ${name}`);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a path computed from package.json
    return require(sourceOf(target.default)) as Record<string, unknown>;
  };
  const api = load('./api');
  assert.equal((api.JET_errors as Record<string, number>).JET_errInvalidSesid, -1104);
  assert.ok((api.operationNames as string[]).includes('JetEndSession'));
  assert.ok((api.targetVersions as string[]).includes('current'));
  assert.ok(Array.isArray(load('./adapter').capabilities));
  assert.equal(typeof load('.').resolveAdapter, 'function');
  assert.equal(typeof load('./runner').runSuite, 'function');
  const processAdapter = load('./process');
  assert.equal(typeof processAdapter.serve, 'function');
  assert.equal((processAdapter.processAdapterFactory as { name: string }).name, 'process');
});
