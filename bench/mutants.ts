/**
 * The whole mutant catalogue's run time (issue 6: at most 60 s on this machine).
 *
 *   node -r ts-node/register/transpile-only bench/mutants.ts [--runs N] [--jobs N] [--tier documented|esent|all]
 *
 * Each run is `ese-conformance mutants` in a child process with a timeout, exactly as a user runs
 * it: process start, the reference and every mutant through the suite on --jobs children, and the
 * kill matrix written to a temp dir. Reports the median wall time of N runs (default 3), the
 * campaign time the command itself measured (mutants.json durationMs), and the load average, since
 * the machine is shared.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnBounded } from '../reporting/allure-generate';

const root = path.resolve(__dirname, '..');
const targetMs = 60_000;
const runTimeoutMs = 600_000;

interface Options {
  readonly runs: number;
  readonly jobs?: number;
  readonly tier: string;
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function parseArgs(argv: readonly string[]): Options {
  let runs = 3;
  let jobs: number | undefined;
  let tier = 'all';
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[++i];
    if (flag === '--runs' && Number.isInteger(Number(value)) && Number(value) > 0) runs = Number(value);
    else if (flag === '--jobs' && Number.isInteger(Number(value)) && Number(value) > 0) jobs = Number(value);
    else if (flag === '--tier' && ['documented', 'esent', 'all'].includes(value)) tier = value;
    else {
      process.stderr.write(`bench/mutants.ts: bad argument '${flag}'; use --runs N, --jobs N, --tier documented|esent|all\n`);
      process.exit(2);
    }
  }
  return { runs, ...(jobs === undefined ? {} : { jobs }), tier };
}

interface Sample {
  readonly wallMs: number;
  readonly campaignMs: number;
  readonly ok: boolean;
  readonly mutants: number;
}

async function once(options: Options, dir: string): Promise<Sample> {
  const args = ['--require', 'ts-node/register/transpile-only', path.join(root, 'cli', 'main.ts'), 'mutants', '--tier', options.tier, '--report-dir', dir];
  if (options.jobs !== undefined) args.push('--jobs', String(options.jobs));
  const started = process.hrtime.bigint();
  const r = await spawnBounded(process.execPath, args, root, runTimeoutMs);
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  // Exit 1 (a claim does not hold) is still a complete run for timing purposes.
  if (r.error !== undefined || (r.code !== 0 && r.code !== 1)) {
    throw new Error(`mutants run failed (${r.error ?? `exit ${r.code}`}): ${r.output.trim().split('\n').slice(-5).join(' | ')}`);
  }
  const matrix = JSON.parse(fs.readFileSync(path.join(dir, 'mutants.json'), 'utf8')) as { durationMs: number; ok: boolean; mutants: unknown[] };
  return { wallMs, campaignMs: matrix.durationMs, ok: matrix.ok, mutants: matrix.mutants.length };
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ese-bench-mutants-'));
  const loadBefore = os.loadavg()[0];
  const samples: Sample[] = [];
  try {
    for (let i = 0; i < options.runs; i++) {
      const s = await once(options, path.join(tmp, `run-${i}`));
      samples.push(s);
      process.stderr.write(`  run ${i + 1}/${options.runs}: ${(s.wallMs / 1000).toFixed(2)} s wall, campaign ${(s.campaignMs / 1000).toFixed(2)} s${s.ok ? '' : ' (some claim does not hold)'}\n`);
    }
    const wall = median(samples.map((s) => s.wallMs));
    const lines = [
      `${samples[0].mutants} mutants + the reference, --tier ${options.tier}, --jobs ${options.jobs ?? 'default'}; ${options.runs} runs; ${os.cpus().length} cores, load average ${loadBefore.toFixed(1)} before and ${os.loadavg()[0].toFixed(1)} after`,
      `median wall time of 'ese-conformance mutants': ${(wall / 1000).toFixed(2)} s (runs: ${samples.map((s) => (s.wallMs / 1000).toFixed(2)).join(', ')}) (target <= ${targetMs / 1000} s): ${wall <= targetMs ? 'OK' : 'OVER'}`,
      `median campaign time (mutants.json durationMs): ${(median(samples.map((s) => s.campaignMs)) / 1000).toFixed(2)} s`,
    ];
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench/mutants.ts: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
