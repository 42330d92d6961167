/**
 * What full report generation adds to a whole run (issue 5: at most 2.5 s on this machine).
 *
 *   node -r ts-node/register/transpile-only bench/reports.ts [--source run|fixture] [--runs N] [--copies K] [--tier T]
 *
 * --source run (default): `ese-conformance run --adapter reference --tier all` with --reports full
 *   and --reports minimal, alternated; the added time is median(full) - median(minimal) of the
 *   whole process, so cucumber's HTML / message / Allure formatters, the matrix files and the
 *   Allure single-file report are all in it. --tier documented|esent|all (default all).
 * --source fixture: the reporting tests' miniature runner (test/reporting/cucumber-fixture), its
 *   feature copied K times (default 17: about 100 scenarios per tier, like the suite), for when the
 *   suite itself cannot run. It also splits the cost into cucumber and writeReports.
 * --cold also times full reports with ESE_ALLURE_WARM=0 (Allure's command line not preloaded
 *   while cucumber runs), interleaved with the others, to show what the preloading buys.
 * Each run is a child process with a timeout; reports go to a temp dir.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnBounded } from '../reporting/allure-generate';

const root = path.resolve(__dirname, '..');

interface Sample {
  readonly wallMs: number;
  readonly cucumberMs?: number;
  readonly reportsMs?: number;
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

interface BenchOptions {
  readonly source: 'run' | 'fixture';
  readonly runs: number;
  readonly copies: number;
  readonly tier: string;
  readonly cold: boolean;
}

type Variant = 'full' | 'full-cold' | 'minimal';

function parseArgs(argv: readonly string[]): BenchOptions {
  let source: 'run' | 'fixture' = 'run';
  let runs = 5;
  let copies = 17;
  let tier = 'all';
  let cold = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--cold') {
      cold = true;
      continue;
    }
    const value = argv[++i];
    if (a === '--source' && (value === 'run' || value === 'fixture')) source = value;
    else if (a === '--runs' && Number.isInteger(Number(value)) && Number(value) > 0) runs = Number(value);
    else if (a === '--copies' && Number.isInteger(Number(value)) && Number(value) > 0) copies = Number(value);
    else if (a === '--tier' && ['documented', 'esent', 'all'].includes(value)) tier = value;
    else {
      process.stderr.write(`bench/reports.ts: bad argument '${a}'; use --source run|fixture, --runs N, --copies K, --tier T, --cold\n`);
      process.exit(2);
    }
  }
  return { source, runs, copies, tier, cold };
}

async function once(opts: BenchOptions, variant: Variant, dir: string): Promise<Sample> {
  const { source, copies } = opts;
  const mode = variant === 'minimal' ? 'minimal' : 'full';
  const env = variant === 'full-cold' ? { ...process.env, ESE_ALLURE_WARM: '0' } : process.env;
  const args =
    source === 'run'
      ? ['--require', 'ts-node/register/transpile-only', path.join(root, 'cli', 'main.ts'), 'run', '--adapter', 'reference', '--tier', opts.tier, '--report-dir', dir, '--reports', mode]
      : ['--require', 'ts-node/register/transpile-only', path.join(root, 'test', 'reporting', 'cucumber-fixture', 'run.ts'), dir, mode, String(copies)];
  const started = process.hrtime.bigint();
  const r = await spawnBounded(process.execPath, args, root, 300_000, env);
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  // `run` exits 1 when a scenario fails: still a complete run for timing purposes.
  if (r.error !== undefined || (r.code !== 0 && r.code !== 1)) {
    throw new Error(`${source} ${variant} failed (${r.error ?? `exit ${r.code}`}): ${r.output.trim().split('\n').slice(-5).join(' | ')}`);
  }
  if (source === 'fixture') {
    const out = JSON.parse(r.output.trim().split('\n').pop()!) as { cucumberMs: number; reportsMs: number; warnings: string[] };
    if (out.warnings.length > 0) throw new Error(`fixture run warned: ${out.warnings.join('; ')}`);
    return { wallMs, cucumberMs: out.cucumberMs, reportsMs: out.reportsMs };
  }
  // The runner's matrix.json records how long the tiers' cucumber runs took.
  return { wallMs, cucumberMs: (JSON.parse(fs.readFileSync(path.join(dir, 'matrix.json'), 'utf8')) as { durationMs: number }).durationMs };
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const { source, runs, copies } = opts;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ese-bench-reports-'));
  // The machine is shared: the load average says how much to trust the figures.
  const loadBefore = os.loadavg()[0];
  const variants: Variant[] = opts.cold ? ['full', 'full-cold', 'minimal'] : ['full', 'minimal'];
  const samples: Record<Variant, Sample[]> = { full: [], 'full-cold': [], minimal: [] };
  try {
    // One warm-up of each, then alternate so that drift on a shared machine hits both alike.
    for (const variant of variants) await once(opts, variant, path.join(tmp, `warm-up-${variant}`));
    for (let i = 0; i < runs; i++) {
      for (const variant of variants) {
        const s = await once(opts, variant, path.join(tmp, `${variant}-${i}`));
        samples[variant].push(s);
        process.stderr.write(`  ${variant.padEnd(9)} run ${i + 1}/${runs}: ${(s.wallMs / 1000).toFixed(2)} s\n`);
      }
    }
    const scenarios = countScenarios(path.join(tmp, 'full-0'));
    const m = (variant: Variant, key: keyof Sample) => median(samples[variant].map((s) => s[key] ?? NaN));
    const added = m('full', 'wallMs') - m('minimal', 'wallMs');
    const lines = [
      `source: ${source}${source === 'fixture' ? ` (${copies} copies)` : ` (--tier ${opts.tier})`}; ${scenarios} scenario results per run; ${runs} runs of each mode after a warm-up; ${os.cpus().length} cores, load average ${loadBefore.toFixed(1)} before and ${os.loadavg()[0].toFixed(1)} after`,
      `median wall time, --reports full:    ${(m('full', 'wallMs') / 1000).toFixed(2)} s  (runs: ${samples.full.map((s) => (s.wallMs / 1000).toFixed(2)).join(', ')})`,
      `median wall time, --reports minimal: ${(m('minimal', 'wallMs') / 1000).toFixed(2)} s  (runs: ${samples.minimal.map((s) => (s.wallMs / 1000).toFixed(2)).join(', ')})`,
      `full report generation adds:         ${(added / 1000).toFixed(2)} s (target <= 2.50 s): ${added <= 2500 ? 'OK' : 'OVER'}`,
    ];
    if (opts.cold) {
      const addedCold = m('full-cold', 'wallMs') - m('minimal', 'wallMs');
      lines.push(
        `median wall time, full, Allure cold:  ${(m('full-cold', 'wallMs') / 1000).toFixed(2)} s  (runs: ${samples['full-cold'].map((s) => (s.wallMs / 1000).toFixed(2)).join(', ')})`,
        `full reports without preloading add: ${(addedCold / 1000).toFixed(2)} s`,
      );
    }
    if (source === 'run') {
      lines.push(
        `  of which the tiers' cucumber runs (matrix.json durationMs): ${((m('full', 'cucumberMs') - m('minimal', 'cucumberMs')) / 1000).toFixed(2)} s (median full ${(m('full', 'cucumberMs') / 1000).toFixed(2)} s, minimal ${(m('minimal', 'cucumberMs') / 1000).toFixed(2)} s); the rest is writeReports and process exit`,
      );
    } else {
      lines.push(
        `  of which cucumber formatters: ${((m('full', 'cucumberMs') - m('minimal', 'cucumberMs')) / 1000).toFixed(2)} s (median cucumber time full ${(m('full', 'cucumberMs') / 1000).toFixed(2)} s, minimal ${(m('minimal', 'cucumberMs') / 1000).toFixed(2)} s)`,
        `  and writeReports:             ${((m('full', 'reportsMs') - m('minimal', 'reportsMs')) / 1000).toFixed(2)} s (median full ${(m('full', 'reportsMs') / 1000).toFixed(2)} s, minimal ${(m('minimal', 'reportsMs') / 1000).toFixed(3)} s)`,
      );
    }
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function countScenarios(reportDir: string): number {
  try {
    return (JSON.parse(fs.readFileSync(path.join(reportDir, 'matrix.json'), 'utf8')) as { scenarios: unknown[] }).scenarios.length;
  } catch {
    return NaN;
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench/reports.ts: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
