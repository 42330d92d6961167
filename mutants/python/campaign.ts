/**
 * Red team L's campaign (docs/mutants.md, "Red team L: an independent implementation"): the suite,
 * through the process adapter, against mutants of examples/python-adapter/model.py, an engine
 * written apart from the reference that declares no capability.
 *
 *   node -r ts-node/register/transpile-only mutants/python/campaign.ts [--mutant NAME]... [--red-team L|N|O|P|Q|R|S|T]
 *        [--id ID]... [--tags EXPR] [--jobs 1|2] [--tier documented|esent|all] [--report-dir DIR] [--with-bugs] [--list]
 *
 * `--red-team L` takes red team L's mutants, `--red-team N` the thread and session-context ones (the
 * model declares `threads` since red team N), `--red-team O` the instance-state and clean-up-failure
 * ones (it declares `instance-state` and `fault-injection` since red team O), `--red-team P` those around
 * the session (several instances, handle kinds, duplicates, resources, `reset`), `--red-team Q` those in
 * the records the end undoes or keeps (the version store: undo order, images, update buffer, other sessions), `--red-team R`
 * those in what a session has open (databases, cursors, temp tables and sorts: red-team-r.ts). Each mutant is applied to a copy of the example in a temp folder. By default the copy runs with
 * its two deliberate bugs fixed (`--fix temp-tables --fix after-term`) and no expectations, so exit
 * 0 means every applicable scenario passed: the mutant SURVIVED. `--with-bugs` runs it as shipped,
 * gated by its expectations file (exit 0 again means survived); it is the weaker test, since a
 * mutant that breaks a scenario the deliberate bugs already fail hides behind that FAIL entry.
 * Verdicts come from matrix.json (a SUITE_ERROR somewhere exits 2 but the other scenarios are judged).
 * The unmutated copy runs first. Scenarios it fails (a feature changed under a shared working tree,
 * a model bug not yet fixed) are printed and left out of every mutant's verdict: a mutant is killed
 * when it fails a scenario the baseline passes. Exit: 0 the campaign ran (survivors are findings to
 * triage, not errors), 2 usage, a baseline that fails everything, or a mutant that cannot run.
 */
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { aroundSessionMutants, errorPathMutants, modelMutants, pythonMutants as earlierMutants, recordMutants, threadMutants, type PythonMutant } from './mutants';
import { redTeamRMutants } from './red-team-r';
import { redTeamSMutants } from './red-team-s';
import { redTeamTMutants } from './red-team-t';

/** Each red team's mutants, by the letter `--red-team` takes (red team R's in its own file, red-team-r.ts). */
export const redTeams: Readonly<Record<string, readonly PythonMutant[]>> = {
  L: modelMutants,
  N: threadMutants,
  O: errorPathMutants,
  P: aroundSessionMutants,
  Q: recordMutants,
  R: redTeamRMutants,
  S: redTeamSMutants,
  T: redTeamTMutants,
};

/** Every mutant: mutants.ts's lists, then red teams R, S and T's. */
export const allPythonMutants: readonly PythonMutant[] = [...earlierMutants, ...redTeamRMutants, ...redTeamSMutants, ...redTeamTMutants];

const root = path.join(__dirname, '..', '..');
const exampleDir = path.join(root, 'examples', 'python-adapter');
const fixes = ['--fix', 'temp-tables', '--fix', 'after-term'];

export type Tier = 'documented' | 'esent' | 'all';

export interface CampaignOptions {
  readonly tier: Tier;
  /** Catalogue IDs to run (all when empty). */
  readonly ids: readonly string[];
  /** A cucumber tag expression narrowing the run further (none when undefined). */
  readonly tags?: string;
  /** Run the shipped model (deliberate bugs on) with its expectations file. */
  readonly withBugs: boolean;
  readonly reportDir: string;
  readonly timeoutMs: number;
}

export interface Failure {
  readonly tier: string;
  readonly catalogueId: string;
  readonly scenario: string;
  readonly status: string;
  readonly reason: string;
}

export interface MutantResult {
  readonly name: string;
  /**
   * killed: a scenario the baseline passes gave FAIL, CRASH, TIMEOUT or PROTOCOL_ERROR; survived: none
   * did (a SUITE_ERROR is the suite's own failure, never a kill); error: no matrix (the run could not
   * start or was stopped).
   */
  readonly verdict: 'killed' | 'survived' | 'error';
  readonly exitCode: number | null;
  readonly seconds: number;
  /** Scenarios that did not pass (with --with-bugs: those the expectations do not name as FAIL too). */
  readonly failures: readonly Failure[];
  /** `tier scenario` of each scenario that passed: the baseline's are the only scenarios that can kill. */
  readonly passed: readonly string[];
  readonly detail: string;
}

/** The example copied into a fresh folder with the mutant's edits applied (none for the baseline). */
export function prepare(mutant: PythonMutant | null, into: string): string {
  fs.mkdirSync(into, { recursive: true });
  for (const f of ['adapter.py', 'model.py', 'python-model.expectations']) fs.copyFileSync(path.join(exampleDir, f), path.join(into, f));
  if (mutant !== null) {
    let text = fs.readFileSync(path.join(into, 'model.py'), 'utf8');
    for (const e of mutant.edits) {
      const n = text.split(e.find).length - 1;
      if (n !== 1) throw new Error(`mutant ${mutant.name}: an edit's text occurs ${n} times in model.py (must be once): ${JSON.stringify(e.find.slice(0, 80))}`);
      text = text.replace(e.find, () => e.replace);
    }
    fs.writeFileSync(path.join(into, 'model.py'), text);
  }
  // A syntax error would be a CRASH of every scenario: a "kill" that proves nothing about the suite.
  execFileSync('python3', ['-c', 'import ast, sys; ast.parse(open(sys.argv[1]).read(), sys.argv[1])', path.join(into, 'model.py')], { stdio: 'pipe' });
  return into;
}

interface MatrixScenario {
  readonly tier: string;
  readonly catalogueId: string;
  readonly id: string;
  readonly status: string;
  readonly reason?: string;
}

/** The suite on one prepared copy; the verdict from the exit code, the failures from matrix.json. */
export function runCopy(name: string, dir: string, options: CampaignOptions): Promise<MutantResult> {
  const reportDir = path.join(options.reportDir, name);
  fs.rmSync(reportDir, { recursive: true, force: true });
  const args = [
    '-r', 'ts-node/register/transpile-only', path.join(root, 'cli', 'main.ts'), 'run', '--adapter', 'process',
    '--tier', options.tier, '--reports', 'minimal', '--report-dir', reportDir,
    ...options.ids.flatMap((id) => ['--id', id]),
    ...(options.tags === undefined ? [] : ['--tags', options.tags]),
    ...(options.withBugs ? ['--expectations', path.join(dir, 'python-model.expectations')] : []),
    '--', 'python3', path.join(dir, 'adapter.py'), ...(options.withBugs ? [] : fixes),
  ];
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: root, timeout: options.timeoutMs, maxBuffer: 64 << 20, env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' } }, (error, stdout, stderr) => {
      const seconds = (Date.now() - started) / 1000;
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      const matrix = path.join(reportDir, 'matrix.json');
      const { failures, passed } = readMatrix(matrix, options.withBugs ? path.join(dir, 'python-model.expectations') : null);
      // The matrix decides (a SUITE_ERROR elsewhere exits 2 but judges the rest); no matrix: no verdict.
      const verdict = !fs.existsSync(matrix) ? 'error' : failures.some(kills) ? 'killed' : 'survived';
      const detail = verdict === 'error' ? `exit ${String(code)}: ${(stderr || stdout).trim().split('\n').slice(-3).join(' | ')}` : '';
      resolve({ name, verdict, exitCode: code, seconds, failures, passed, detail });
    });
  });
}

/** The verdicts that show a bug of the implementation; SUITE_ERROR (the suite's own failure) is not one. */
const killing: ReadonlySet<string> = new Set(['FAIL', 'CRASH', 'TIMEOUT', 'PROTOCOL_ERROR']);
const kills = (f: Failure): boolean => killing.has(f.status);

function readMatrix(matrixFile: string, expectationsFile: string | null): { failures: Failure[]; passed: string[] } {
  if (!fs.existsSync(matrixFile)) return { failures: [], passed: [] };
  const m = JSON.parse(fs.readFileSync(matrixFile, 'utf8')) as { scenarios: MatrixScenario[] };
  const expected = new Set<string>();
  if (expectationsFile !== null) {
    for (const line of fs.readFileSync(expectationsFile, 'utf8').split('\n')) {
      const cols = line.split(/ {2,}/);
      if (!line.startsWith('#') && cols.length >= 3) expected.add(`${cols[0]} ${cols[1]}`);
    }
  }
  const failures = m.scenarios
    .filter((s) => s.status !== 'PASS' && s.status !== 'NOT_APPLICABLE' && !expected.has(`${s.tier} ${s.id}`))
    .map((s) => ({ tier: s.tier, catalogueId: s.catalogueId, scenario: s.id, status: s.status, reason: s.reason ?? '' }));
  return { failures, passed: m.scenarios.filter((s) => s.status === 'PASS').map((s) => `${s.tier} ${s.id}`) };
}

/** Runs `items` on at most `jobs` at once, in order of start. */
async function pooled<T, R>(items: readonly T[], jobs: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await run(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, items.length) }, lane));
  return out;
}

const key = (f: Failure): string => `${f.tier} ${f.scenario}`;

/**
 * A mutant's result judged against the baseline: only scenarios the baseline passes count. A
 * scenario the baseline failed, or never ran (a feature written into the tree while the campaign
 * ran), kills nothing; nor does a SUITE_ERROR (it stays listed in `failures`, and is printed).
 */
export function beyondBaseline(r: MutantResult, baseline: MutantResult): MutantResult {
  if (r.verdict === 'error') return r;
  const passedBefore = new Set(baseline.passed);
  const failures = r.failures.filter((f) => passedBefore.has(key(f)));
  return { ...r, failures, verdict: failures.some(kills) ? 'killed' : 'survived' };
}

/** The baseline (unmutated copy), then each mutant. Throws when the baseline cannot run at all. */
export async function campaign(mutants: readonly PythonMutant[], options: CampaignOptions, jobs: number, onResult?: (r: MutantResult) => void): Promise<{ baseline: MutantResult; results: MutantResult[] }> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ese-python-mutants-'));
  try {
    // Every mutant is applied before anything runs: one that no longer fits model.py stops the campaign at once.
    const dirs = new Map(mutants.map((m) => [m.name, prepare(m, path.join(work, m.name))]));
    const baseline = await runCopy('baseline', prepare(null, path.join(work, 'baseline')), options);
    if (baseline.verdict === 'error') {
      throw new Error(`the unmutated model cannot be judged (${baseline.verdict}, exit ${String(baseline.exitCode)}${baseline.detail ? `: ${baseline.detail}` : ''})`);
    }
    const results = await pooled(mutants, jobs, async (m) => {
      const r = beyondBaseline(await runCopy(m.name, dirs.get(m.name) as string, options), baseline);
      onResult?.(r);
      return r;
    });
    return { baseline, results };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** IDs and tiers a mutant failed, as one short cell: "ES-X (d,e); ES-Y (e)". */
export function failedIds(r: MutantResult): string {
  const byId = new Map<string, Set<string>>();
  for (const f of r.failures) {
    const tiers = byId.get(f.catalogueId) ?? new Set<string>();
    tiers.add(f.tier === 'documented' ? 'd' : 'e');
    byId.set(f.catalogueId, tiers);
  }
  return [...byId].map(([id, t]) => `${id} (${[...t].sort().join(',')})`).join('; ');
}

export function table(results: readonly MutantResult[]): string {
  const lines = ['| mutant | verdict | failed IDs (d documented, e esent) | scenarios failed |', '|---|---|---|---|'];
  for (const r of results) lines.push(`| \`${r.name}\` | ${r.verdict} | ${r.verdict === 'error' ? r.detail : failedIds(r) || '-'} | ${r.failures.length} |`);
  return lines.join('\n');
}

function usage(message: string): never {
  process.stderr.write(`python mutants: ${message}\n`);
  process.exit(2);
}

async function main(argv: readonly string[]): Promise<void> {
  const names: string[] = [];
  const ids: string[] = [];
  let group: readonly PythonMutant[] = allPythonMutants;
  let jobs = 2;
  let tier: Tier = 'all';
  let withBugs = false;
  let tags: string | undefined;
  let reportDir = path.join(root, 'reports', 'python-mutants');
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => argv[++i] ?? usage(`${String(a)} needs a value`);
    if (a === '--mutant') names.push(value());
    else if (a === '--red-team') {
      const g = value();
      group = Object.hasOwn(redTeams, g) ? redTeams[g] : usage(`--red-team ${g}: ${Object.keys(redTeams).join(', ')}`);
    }
    else if (a === '--id') ids.push(value());
    else if (a === '--tags') tags = value();
    else if (a === '--jobs') jobs = Number(value());
    else if (a === '--tier') tier = value() as Tier;
    else if (a === '--report-dir') reportDir = path.resolve(value());
    else if (a === '--with-bugs') withBugs = true;
    else if (a === '--list') {
      for (const m of allPythonMutants) process.stdout.write(`${m.name}: ${m.why}\n`);
      return;
    } else usage(`unknown argument ${String(a)}`);
  }
  if (!(jobs === 1 || jobs === 2)) usage('--jobs is 1 or 2 (the machine is shared)');
  if (!['documented', 'esent', 'all'].includes(tier)) usage(`--tier ${tier}: documented, esent or all`);
  const unknown = names.filter((n) => !allPythonMutants.some((m) => m.name === n));
  if (unknown.length > 0) usage(`unknown mutant ${unknown.join(', ')}; --list shows them`);
  const chosen = names.length === 0 ? group : allPythonMutants.filter((m) => names.includes(m.name));
  fs.mkdirSync(reportDir, { recursive: true });
  const options: CampaignOptions = { tier, ids, ...(tags === undefined ? {} : { tags }), withBugs, reportDir, timeoutMs: 15 * 60 * 1000 };
  const started = Date.now();
  let out: Awaited<ReturnType<typeof campaign>>;
  try {
    out = await campaign(chosen, options, jobs, (r) => process.stdout.write(`${r.name}: ${r.verdict} (${r.seconds.toFixed(1)} s) ${r.verdict === 'error' ? r.detail : failedIds(r)}\n`));
  } catch (e) {
    usage((e as Error).message);
  }
  const text = table(out.results);
  const killed = out.results.filter((r) => r.verdict === 'killed').length;
  const known = out.baseline.failures.map((f) => `  ${f.tier} ${f.scenario}: ${f.reason.slice(0, 160)}`);
  if (known.length > 0) process.stdout.write(`\nthe unmutated model fails ${known.length} scenarios, left out of every verdict:\n${known.join('\n')}\n`);
  const summary = `${known.length > 0 ? `baseline fails ${known.length} scenarios (left out); ` : ''}${killed} of ${out.results.length} killed (${withBugs ? 'shipped model with its expectations' : 'deliberate bugs fixed'}, tier ${tier}); baseline ${out.baseline.seconds.toFixed(1)} s, campaign ${((Date.now() - started) / 1000).toFixed(0)} s at --jobs ${jobs}`;
  fs.writeFileSync(path.join(reportDir, 'campaign.md'), `${text}\n\n${summary}\n`);
  const suiteErrors = out.results.flatMap((r) => r.failures.filter((f) => f.status === 'SUITE_ERROR').map((f) => `  ${r.name}: ${f.tier} ${f.scenario}: ${f.reason.slice(0, 160)}`));
  if (suiteErrors.length > 0) process.stdout.write(`\nSUITE_ERROR on a scenario the baseline passes (the suite's own failure: not a kill, look at it):\n${suiteErrors.join('\n')}\n`);
  // Each run's passed scenarios are the baseline's business only: left out of the file.
  const brief = ({ passed: _passed, ...rest }: MutantResult): Omit<MutantResult, 'passed'> => rest;
  fs.writeFileSync(path.join(reportDir, 'campaign.json'), `${JSON.stringify({ options: { tier, ids, tags, withBugs, jobs }, baseline: brief(out.baseline), results: out.results.map(brief) }, null, 1)}\n`);
  process.stdout.write(`\n${text}\n\n${summary}\n`);
  if (out.results.some((r) => r.verdict === 'error')) process.exit(2);
}

if (require.main === module) void main(process.argv.slice(2));
