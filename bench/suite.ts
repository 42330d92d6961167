/**
 * The whole suite against the reference engine, next to the same scenarios with no-op steps in the
 * same process (cucumber's own cost), as a ratio (target <= 1.25); and the start-up of the command.
 * Run: npm run build && node -r ts-node/register/transpile-only bench/suite.ts [repetitions]
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createReferenceImplementation } from '../adapters/reference';
import { runSuite } from '../harness/runner';
import { tiers } from '../harness/results';

const root = path.join(__dirname, '..');
const reps = Number(process.argv[2] ?? 7);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

async function timeRun(noop: boolean): Promise<{ ms: number; scenarios: number }> {
  const t0 = process.hrtime.bigint();
  const { matrix } = await runSuite({
    impl: createReferenceImplementation(),
    adapterName: 'reference',
    tiers,
    ...(noop ? { supportPaths: [path.join(root, 'bench', 'noop-steps', '*.ts').replace(/\\/g, '/')] } : {}),
  });
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, scenarios: matrix.scenarios.length };
}

async function main(): Promise<void> {
  // Warm both support libraries and the JIT first.
  await timeRun(false);
  await timeRun(true);
  const real: number[] = [];
  const noop: number[] = [];
  let scenarios = 0;
  for (let i = 0; i < reps; i++) {
    const r = await timeRun(false);
    const n = await timeRun(true);
    real.push(r.ms);
    noop.push(n.ms);
    scenarios = r.scenarios;
  }
  const ratios = real.map((r, i) => r / noop[i]);
  console.log(`suite (both tiers, ${scenarios} scenario runs), ${reps} repetitions, in-process:`);
  console.log(`  reference engine: median ${median(real).toFixed(0)} ms (min ${Math.min(...real).toFixed(0)}, max ${Math.max(...real).toFixed(0)})`);
  console.log(`  no-op steps:      median ${median(noop).toFixed(0)} ms (min ${Math.min(...noop).toFixed(0)}, max ${Math.max(...noop).toFixed(0)})`);
  console.log(`  ratio: median ${median(ratios).toFixed(2)} (target <= 1.25)`);

  const cli = path.join(root, 'dist', 'cli', 'main.js');
  if (!fs.existsSync(cli)) {
    console.log('start-up: dist/ is missing; run `npm run build` first');
    return;
  }
  for (const args of [['--version'], ['list'], ['run', '--help']]) {
    const times: number[] = [];
    for (let i = 0; i < reps; i++) {
      const t0 = process.hrtime.bigint();
      const r = spawnSync(process.execPath, [cli, ...args], { stdio: 'ignore', timeout: 30_000 });
      if (r.status !== 0) throw new Error(`ese-conformance ${args.join(' ')} exited ${r.status}`);
      times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    console.log(`start-up: ese-conformance ${args.join(' ')}: median ${median(times).toFixed(0)} ms over ${reps} runs`);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
