/**
 * Throughput of the differential fuzzer: API calls per second (calls made on the implementation
 * under test; each is also made on the reference), in-process (reference against reference,
 * target >= 20,000) and through the process adapter against `serve-reference`, pipelined over
 * protocol 1.1 `chain` (fuzz/pipeline.ts; target >= 10,000) and one request per call, alternating
 * so that a burst of load hits both alike. Campaigns of distinct seeds, after a warm-up; medians
 * over the repetitions, with this process's CPU per call and the pipeline's counts.
 *
 *   node -r ts-node/register/transpile-only bench/fuzz.ts [--reps N] [--runs N] [--process-runs N] [-- COMMAND...]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openProcessImplementation } from '../adapters/process/adapter';
import { createReferenceImplementation } from '../adapters/reference';
import type { Implementation } from '../adapters/types';
import { fuzz } from '../fuzz/campaign';
import type { PipelineStats } from '../fuzz/planned';

const root = path.join(__dirname, '..');

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

/** serve-reference, compiled when dist/ is built (as users run it), else through ts-node. */
function defaultCommand(): string[] {
  const dist = path.join(root, 'dist', 'cli', 'main.js');
  if (fs.existsSync(dist) && fs.existsSync(path.join(root, 'dist', 'fuzz', 'campaign.js'))) return ['node', dist, 'serve-reference'];
  return ['node', '--require', 'ts-node/register/transpile-only', path.join(root, 'cli', 'main.ts'), 'serve-reference'];
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

interface Sample {
  readonly calls: number;
  readonly ms: number;
  readonly rate: number;
  /** This process's CPU time (user + system), ms. */
  readonly cpuMs: number;
  readonly pipeline?: PipelineStats;
}

async function campaign(sut: Implementation, seed: number, runs: number, settleMs: number, chain = true): Promise<Sample> {
  const cpu = process.cpuUsage();
  const r = await fuzz({ sut, seed, runs, maxSteps: 40, settleMs, chain });
  const used = process.cpuUsage(cpu);
  if (r.finding || r.error) throw new Error(`seed ${seed}: unexpected ${r.error ?? r.finding?.divergence.message}`);
  return { calls: r.calls, ms: r.durationMs, rate: (r.calls * 1000) / r.durationMs, cpuMs: (used.user + used.system) / 1000, ...(r.pipeline ? { pipeline: r.pipeline } : {}) };
}

function report(label: string, samples: readonly Sample[]): number {
  const rate = median(samples.map((s) => s.rate));
  const cpu = median(samples.map((s) => (s.cpuMs * 1000) / s.calls));
  console.log(`${label}: median ${Math.round(rate)} calls/s over ${samples.length} campaigns (${samples.map((s) => `${s.calls} calls in ${s.ms.toFixed(0)} ms`).join('; ')}); this process ${cpu.toFixed(1)} us CPU per call`);
  const p = samples[0]?.pipeline;
  if (p) {
    const ended = Object.entries(p.unspeculated).map(([why, n]) => `${n} at ${why}`).join(', ') || 'none';
    console.log(`    first campaign: ${p.plans} runs planned, ${p.speculated} of them taken from the plan (speculation ended: ${ended}); ${p.chains} chains carrying ${p.chainedCalls} calls, ${p.singleCalls} single calls, ${p.remade} runs made again`);
  }
  return rate;
}

async function main(): Promise<void> {
  const reps = flag('--reps', 5);
  const runs = flag('--runs', 400);
  const processRuns = flag('--process-runs', 40);
  const dd = process.argv.indexOf('--');
  const command = dd >= 0 ? process.argv.slice(dd + 1) : defaultCommand();

  const local = createReferenceImplementation();
  await campaign(local, 1000, runs, 0); // warm-up: JIT and module loading
  const inProcess: Sample[] = [];
  for (let i = 0; i < reps; i++) inProcess.push(await campaign(local, 1 + i, runs, 0));
  const a = report(`in-process, reference against reference (${runs} runs x 40 steps)`, inProcess);
  console.log(`  target >= 20000 calls/s: ${a >= 20000 ? 'met' : 'NOT met'}`);

  const impl = await openProcessImplementation({ command, timeoutMs: 20_000 });
  if ('error' in impl) throw new Error(impl.error);
  try {
    await campaign(impl, 1000, Math.max(5, Math.floor(processRuns / 4)), 50, false);
    await campaign(impl, 1000, Math.max(5, Math.floor(processRuns / 4)), 50);
    const single: Sample[] = [];
    const chained: Sample[] = [];
    for (let i = 0; i < Math.max(1, reps); i++) {
      single.push(await campaign(impl, 1 + i, processRuns, 50, false));
      chained.push(await campaign(impl, 1 + i, processRuns, 50));
    }
    console.log(`through the process adapter (${command.join(' ')}; ${processRuns} runs x 40 steps); load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    const b = report('  one request per call', single);
    const c = report('  pipelined (chain)', chained);
    console.log(`  pipelined / one request per call: ${(c / b).toFixed(2)}x (same seeds, alternating); in-process / pipelined: ${(a / c).toFixed(1)}x`);
    console.log(`  target >= 10000 calls/s pipelined: ${c >= 10000 ? 'met' : 'NOT met'}`);
  } finally {
    await impl.close();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exitCode = 1;
});
