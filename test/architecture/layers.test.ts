/**
 * The layers, enforced over the TypeScript import graph (every relative import, require() and
 * import() of every .ts file, types included, as TypeScript's own pre-processor reads them):
 * features -> steps -> harness -> adapters -> api; oracle -> api only; reporting reads results
 * (harness/results) and never the engine or the CLI; mutants and fuzz sit above adapters and
 * harness; cli is the top; nothing imports upward. A violation names the file and the import.
 *
 * A small test rather than dependency-cruiser: TypeScript (already a dependency) parses the imports,
 * the rules fit in a table, and no new package is needed.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const root = path.join(__dirname, '..', '..');

/**
 * What each layer may import besides itself. A layer is the longest matching folder prefix, so
 * adapters/reference (the adapter over the reference engine) is the one adapter that reaches oracle/.
 * test/, bench/ and scripts/ may import anything; nothing may import them.
 */
const allowed: Readonly<Record<string, readonly string[]>> = {
  api: [],
  // Text made safe for terminals and CI logs (text/terminal.ts): the harness, the reports and the CLI
  // all print what an implementation said, so it sits at the bottom beside api/; the engine prints nothing.
  text: [],
  oracle: ['api'],
  adapters: ['adapters/reference', 'api', 'text'],
  'adapters/reference': ['adapters', 'oracle', 'api', 'text'],
  // The shadow run (harness/mirror.ts) replays a scenario's calls on a reference engine, through its adapter.
  harness: ['adapters', 'adapters/reference', 'api', 'text'],
  steps: ['harness', 'adapters', 'api', 'text'],
  reporting: ['harness', 'api', 'text'],
  fuzz: ['harness', 'adapters', 'adapters/reference', 'api', 'text'],
  // Mutants are variants of the engine: they rebuild it from oracle/'s parts.
  mutants: ['fuzz', 'reporting', 'harness', 'adapters', 'adapters/reference', 'oracle', 'api', 'text'],
  cli: ['mutants', 'fuzz', 'reporting', 'harness', 'steps', 'adapters', 'adapters/reference', 'api', 'text'],
};

/**
 * Edges in files other engineers were editing when the rules landed: known, to remove (each one
 * exactly, never a folder). Each should import from api/ instead. The test prints them; an entry
 * that no longer occurs fails the test, so the list only shrinks.
 */
const knownToRemove: readonly string[] = [];

const layerNames = Object.keys(allowed).sort((a, b) => b.length - a.length);
const unchecked = ['test', 'bench', 'scripts'];

function layerOf(file: string): string | undefined {
  return layerNames.find((l) => file === l || file.startsWith(`${l}/`)) ?? unchecked.find((l) => file.startsWith(`${l}/`));
}

function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'fixtures' ? [] : sourceFiles(p);
    return /\.(ts|tsx|cts|mts)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** Every relative import of the project's product folders, as 'from.ts -> target' (target without extension). */
export function importEdges(): { from: string; to: string }[] {
  const edges: { from: string; to: string }[] = [];
  for (const dir of [...layerNames.filter((l) => !l.includes('/')), ...unchecked]) {
    for (const file of sourceFiles(path.join(root, dir))) {
      const from = path.relative(root, file).split(path.sep).join('/');
      for (const ref of ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true).importedFiles) {
        if (!ref.fileName.startsWith('.')) continue;
        const to = path.relative(root, path.resolve(path.dirname(file), ref.fileName)).split(path.sep).join('/').replace(/\.(js|ts|cjs)$/, '');
        edges.push({ from, to });
      }
    }
  }
  return edges;
}

function violation(from: string, to: string): boolean {
  const a = layerOf(from);
  const b = layerOf(to);
  if (a === undefined || unchecked.includes(a)) return false;
  if (b === undefined) return true; // an import out of the layered folders (bridge/, examples/, ..)
  return a !== b && !(allowed[a] ?? []).includes(b);
}

test('no module imports across the layers against the rules (a violation names the file and the import)', () => {
  const edges = importEdges();
  assert.ok(edges.length > 300, `only ${edges.length} imports read`);
  const found = edges.filter((e) => violation(e.from, e.to)).map((e) => `${e.from} -> ${e.to}`);
  const known = found.filter((v) => knownToRemove.includes(v));
  for (const k of known) console.log(`known, to remove: ${k}`);
  assert.deepEqual(found.filter((v) => !knownToRemove.includes(v)), [], 'import from a lower layer (api/ for the ESE vocabulary)');
  assert.deepEqual(knownToRemove.filter((k) => !found.includes(k)), [], 'these known edges are gone: delete them from knownToRemove');
});

test('api/ and text/ import nothing at all, not even a package', () => {
  const files = [...sourceFiles(path.join(root, 'api')), ...sourceFiles(path.join(root, 'text'))];
  assert.ok(files.some((f) => f.endsWith(path.join('text', 'terminal.ts'))), 'text/terminal.ts read');
  for (const file of files) {
    const refs = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true).importedFiles.map((r) => r.fileName).filter((f) => !f.startsWith('./'));
    assert.deepEqual(refs, [], path.relative(root, file));
  }
});

test('the rules catch an upward import, a require(), a dynamic import() and a type-only import', () => {
  assert.equal(violation('adapters/index.ts', 'mutants/index'), true);
  assert.equal(violation('reporting/expectations.ts', 'cli/command'), true);
  assert.equal(violation('oracle/engine.ts', 'adapters/types'), true);
  assert.equal(violation('harness/probes.ts', 'oracle/codes'), true);
  assert.equal(violation('api/codes.ts', 'harness/codes'), true);
  assert.equal(violation('adapters/process/adapter.ts', 'oracle/engine'), true);
  assert.equal(violation('adapters/reference/index.ts', 'oracle'), false);
  assert.equal(violation('steps/hooks.ts', 'harness/verdict'), false);
  assert.equal(violation('test/x.test.ts', 'oracle/engine'), false);
  assert.equal(violation('harness/standalone-summary.ts', 'text/terminal'), false);
  assert.equal(violation('harness/standalone-summary.ts', 'reporting/escape'), true);
  assert.equal(violation('text/terminal.ts', 'api/codes'), true);
  assert.equal(violation('oracle/engine.ts', 'text/terminal'), true);
  const refs = ts.preProcessFile(`import type { T } from '../a';\nconst m = require('../b');\nvoid import('../c');\nexport * from '../d';`, true, true).importedFiles.map((r) => r.fileName);
  assert.deepEqual(refs.sort(), ['../a', '../b', '../c', '../d']);
});

/** Every name api/ exports (export const/function/type/interface NAME). */
function apiNames(): Set<string> {
  const names = new Set<string>();
  for (const file of sourceFiles(path.join(root, 'api'))) {
    for (const m of fs.readFileSync(file, 'utf8').matchAll(/^export (?:declare )?(?:const|function|type|interface|class|enum) (\w+)/gm)) names.add(m[1]);
  }
  return names;
}

/** The names each import declaration of a file takes from a module, as 'from.ts -> target: name'. */
function importedNames(file: string): { to: string; name: string }[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const out: { to: string; name: string }[] = [];
  for (const st of source.statements) {
    if (!ts.isImportDeclaration(st) && !ts.isExportDeclaration(st)) continue;
    const spec = st.moduleSpecifier;
    if (spec === undefined || !ts.isStringLiteral(spec) || !spec.text.startsWith('.')) continue;
    const to = path.relative(root, path.resolve(path.dirname(file), spec.text)).split(path.sep).join('/').replace(/\.(js|ts|cjs)$/, '');
    const bindings = ts.isImportDeclaration(st) ? st.importClause?.namedBindings : st.exportClause;
    if (bindings !== undefined && (ts.isNamedImports(bindings) || ts.isNamedExports(bindings))) {
      for (const e of bindings.elements) out.push({ to, name: (e.propertyName ?? e.name).text });
    } else out.push({ to, name: '*' });
  }
  return out;
}

test('the ESE vocabulary comes from api/ directly, not through adapters/types or oracle/codes re-exports', () => {
  const api = apiNames();
  assert.ok(api.has('JET_errors') && api.has('OperationName') && api.has('TargetVersion'), 'api names read');
  const found: string[] = [];
  for (const dir of ['harness', 'steps', 'mutants', 'fuzz', 'cli', 'reporting', 'adapters/process']) {
    for (const file of sourceFiles(path.join(root, dir))) {
      const from = path.relative(root, file).split(path.sep).join('/');
      for (const { to, name } of importedNames(file)) {
        if (to === 'oracle/codes' || (to === 'adapters/types' && (api.has(name) || name === '*'))) found.push(`${from} -> ${to}: ${name}`);
      }
    }
  }
  assert.deepEqual(found, [], 'import these from api/');
});
