/**
 * Wall time of a whole run (both tiers, minimal reports) serial vs `--parallel N`, against the
 * reference in-process and through the process adapter (serve-reference), runs alternating so that
 * the machine's load falls on both alike; prints each median and the ratio parallel / serial.
 *
 *   node -r ts-node/register/transpile-only bench/parallel.ts [--runs 3] [--workers 2] [--cli MAIN_JS]
 *
 * --cli: a compiled dist/cli/main.js (e.g. of a copy of the tree built elsewhere); dist/ by default.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.join(__dirname, '..');

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const runs = Number(option('--runs') ?? 3);
const workers = Number(option('--workers') ?? 2);
const main = path.resolve(option('--cli') ?? path.join(root, 'dist', 'cli', 'main.js'));
if (!fs.existsSync(main)) {
  process.stderr.write(`bench/parallel: ${main} is missing: npm run build first, or give --cli\n`);
  process.exit(2);
}

const setups: Record<string, string[]> = {
  reference: [],
  process: ['--adapter', 'process', '--', process.execPath, main, 'serve-reference'],
};

function once(args: readonly string[]): { ms: number; code: number | null; results: number } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ese-bench-parallel-'));
  const started = process.hrtime.bigint();
  const dd = args.indexOf('--');
  const own = dd < 0 ? args : args.slice(0, dd);
  const command = dd < 0 ? [] : args.slice(dd);
  const r = spawnSync(process.execPath, [main, 'run', '--reports', 'minimal', '--report-dir', dir, ...own, ...command], { encoding: 'utf8', env: { ...process.env, GITHUB_ACTIONS: '' } });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const file = path.join(dir, 'matrix.json');
  const results = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as { scenarios: unknown[] }).scenarios.length : 0;
  fs.rmSync(dir, { recursive: true, force: true });
  if (r.status !== 0) process.stderr.write(`exit ${r.status}: ${r.stderr.split('\n').slice(-3).join(' | ')}\n`);
  return { ms, code: r.status, results };
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

process.stdout.write(`bench/parallel: ${runs} alternating runs each, --parallel ${workers}, ${os.cpus().length} cores, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
for (const [name, args] of Object.entries(setups)) {
  const serial: number[] = [];
  const parallel: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = once(args);
    const dd = args.indexOf('--');
    const p = once(dd < 0 ? [...args, '--parallel', String(workers)] : [...args.slice(0, dd), '--parallel', String(workers), ...args.slice(dd)]);
    serial.push(s.ms);
    parallel.push(p.ms);
    process.stdout.write(`  ${name} run ${i + 1}: serial ${s.ms.toFixed(0)} ms (${s.results} results, exit ${s.code}), parallel ${p.ms.toFixed(0)} ms (${p.results} results, exit ${p.code})\n`);
  }
  const ms = median(serial);
  const mp = median(parallel);
  process.stdout.write(`${name}: serial median ${ms.toFixed(0)} ms, --parallel ${workers} median ${mp.toFixed(0)} ms, ratio ${(mp / ms).toFixed(2)}\n`);
}
process.stdout.write(`load after: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
