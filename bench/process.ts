/**
 * Cost of the process adapter: handshake time, per-call round trip (median, p99) against
 * `serve-reference` next to the same call in-process, and with --suite the whole suite through
 * the process adapter as a ratio of the in-process run (target <= 1.5), alternating runs.
 *
 *   node -r ts-node/register/transpile-only bench/process.ts [--calls N] [--suite] [--runs N] [--cli MAIN_JS] [-- COMMAND...]
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openProcessImplementation } from '../adapters/process/adapter';
import type { Implementation } from '../adapters/types';

const root = path.join(__dirname, '..');

function flag(name: string, fallback: number): number {
  const v = option(name);
  return v === undefined ? fallback : Number(v);
}

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  const dd = process.argv.indexOf('--');
  return i >= 0 && (dd < 0 || i < dd) ? process.argv[i + 1] : undefined;
}

/**
 * The CLI to run: --cli PATH (a compiled dist/cli/main.js, e.g. from a build into a temp dir),
 * else dist/ when built, else the sources through ts-node.
 */
function cli(): string[] {
  const given = option('--cli');
  if (given) return ['node', path.resolve(given)];
  const dist = path.join(root, 'dist', 'cli', 'main.js');
  if (fs.existsSync(dist) && fs.existsSync(path.join(root, 'dist', 'adapters', 'reference', 'index.js'))) return ['node', dist];
  return ['node', '--require', 'ts-node/register/transpile-only', path.join(root, 'cli', 'main.ts')];
}

function defaultCommand(): string[] {
  return [...cli(), 'serve-reference'];
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function summary(samplesNs: number[]): { median: number; p99: number } {
  const s = [...samplesNs].sort((a, b) => a - b);
  return { median: quantile(s, 0.5) / 1000, p99: quantile(s, 0.99) / 1000 };
}

/** Round trips of JetEndSession on a forged nil sesid (-1104): the cheapest call with an answer. */
async function roundTrips(impl: Implementation, calls: number): Promise<number[]> {
  const ok = await impl.reset();
  if (ok.kind !== 'ok') throw new Error(`reset: ${JSON.stringify(ok)}`);
  const samples: number[] = [];
  for (let i = 0; i < calls + 200; i++) {
    const t0 = process.hrtime.bigint();
    const r = await impl.call('t1', 'JetEndSession', { sesid: { forged: 'nil' }, grbit: 0 });
    const t1 = process.hrtime.bigint();
    if (r.kind !== 'returned' || r.err !== -1104) throw new Error(`unexpected ${JSON.stringify(r)}`);
    if (i >= 200) samples.push(Number(t1 - t0)); // the first 200 warm up both sides
  }
  return samples;
}

async function perCall(command: string[], calls: number): Promise<void> {
  const handshakes: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = process.hrtime.bigint();
    const impl = await openProcessImplementation({ command, timeoutMs: 20_000 });
    const t1 = process.hrtime.bigint();
    if ('error' in impl) throw new Error(impl.error);
    handshakes.push(Number(t1 - t0));
    await impl.close();
  }
  const impl = await openProcessImplementation({ command, timeoutMs: 20_000 });
  if ('error' in impl) throw new Error(impl.error);
  const overProcess = summary(await roundTrips(impl, calls));
  await impl.close();
  const hs = summary(handshakes);
  console.log(`command: ${command.join(' ')}`);
  console.log(`start + handshake: median ${(hs.median / 1000).toFixed(1)} ms over 5`);
  console.log(`round trip over the process: median ${overProcess.median.toFixed(1)} us, p99 ${overProcess.p99.toFixed(1)} us (${calls} calls)`);
  if (fs.existsSync(path.join(root, 'adapters', 'reference', 'index.ts'))) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- only when the reference's sources are there (the check above); typed by the cast
    const reference = require('../adapters/reference') as { createReferenceImplementation(): Implementation | Promise<Implementation> };
    const local = await reference.createReferenceImplementation();
    const inProcess = summary(await roundTrips(local, calls));
    await local.close();
    console.log(`same call in-process: median ${inProcess.median.toFixed(1)} us, p99 ${inProcess.p99.toFixed(1)} us`);
  }
}

/** The whole suite, in-process and through the process adapter, alternating; medians and ratio. */
function suite(command: string[], runs: number): void {
  const runner = cli();
  // Wall time of the whole command, and the suite's own time (matrix.json durationMs, no start-up).
  const wall: Record<'in-process' | 'process', number[]> = { 'in-process': [], process: [] };
  const own: Record<'in-process' | 'process', number[]> = { 'in-process': [], process: [] };
  for (let i = 0; i < runs; i++) {
    for (const mode of ['in-process', 'process'] as const) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ese-bench-'));
      const args = [...runner.slice(1), 'run', '--tier', 'all', '--reports', 'minimal', '--report-dir', dir, '--adapter', mode === 'in-process' ? 'reference' : 'process'];
      if (mode === 'process') args.push('--', ...command);
      const t0 = process.hrtime.bigint();
      const r = spawnSync(runner[0], args, { cwd: root, encoding: 'utf8', timeout: 300_000 });
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (r.status !== 0) throw new Error(`${mode} run exited ${r.status}: ${(r.stderr || r.stdout).slice(-2000)}`);
      own[mode].push((JSON.parse(fs.readFileSync(path.join(dir, 'matrix.json'), 'utf8')) as { durationMs: number }).durationMs);
      fs.rmSync(dir, { recursive: true, force: true });
      wall[mode].push(ms);
    }
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const show = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');
  console.log(`suite (--tier all), ${runs} alternating runs each, cli: ${runner.join(' ')}`);
  for (const [label, t] of [['wall time', wall], ['suite time (matrix durationMs)', own]] as const) {
    const a = med(t['in-process']);
    const b = med(t.process);
    console.log(`  ${label}: in-process median ${a.toFixed(0)} ms [${show(t['in-process'])}], process median ${b.toFixed(0)} ms [${show(t.process)}], ratio ${(b / a).toFixed(2)} (target <= 1.5)`);
  }
}

async function main(): Promise<void> {
  const dd = process.argv.indexOf('--');
  const command = dd >= 0 ? process.argv.slice(dd + 1) : defaultCommand();
  await perCall(command, flag('--calls', 2000));
  if (process.argv.includes('--suite')) suite(command, flag('--runs', 3));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exitCode = 1;
});
