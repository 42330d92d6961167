/**
 * Runs the suite against many mutants on a few child processes (mutants/worker.ts), each running
 * its adapters in-process. A child is a guard as much as a speed-up: a mutant that spins forever
 * inside a synchronous engine call cannot be stopped in-process, but its child can be killed.
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import type { Tier } from '../harness/results';
import type { MutantRun } from './kill-matrix';
import type { WorkerRequest } from './worker';

export interface PoolOptions {
  readonly tiers: readonly Tier[];
  /** Child processes run at once. */
  readonly jobs: number;
  /** How long one mutant's run (every tier) may take before its child is killed. */
  readonly timeoutMs: number;
  /** Called as each run finishes, in completion order. */
  readonly onRun?: (run: MutantRun) => void;
  /** What else to ask of a run besides the suite (the reference's check log, a fuzz campaign). */
  readonly extras?: (name: string) => Omit<WorkerRequest, 'name' | 'tiers'>;
  /** Asked after each run: true drops every run not yet started (they stay out of the map). */
  readonly stopAfter?: (run: MutantRun) => boolean;
}

const stderrKeep = 2000;

function spawnWorker(): { child: ChildProcess; stderrTail: () => string } {
  const fromSource = __filename.endsWith('.ts');
  const child = fork(path.join(__dirname, fromSource ? 'worker.ts' : 'worker.js'), [], {
    cwd: path.join(__dirname, fromSource ? '..' : path.join('..', '..')),
    execArgv: fromSource ? ['--require', 'ts-node/register/transpile-only'] : [],
    env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let tail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-stderrKeep);
  });
  // A failed spawn or send surfaces as 'exit' (or the timeout) in ask(); keep its text for the report.
  child.on('error', (e) => {
    tail = (tail + `\n${e.message}`).slice(-stderrKeep);
  });
  return { child, stderrTail: () => tail.trim() };
}

/** One request on a live child: its answer, or hung/error when the child does not answer in time. */
function ask(worker: ReturnType<typeof spawnWorker>, request: WorkerRequest, timeoutMs: number): Promise<MutantRun> {
  const started = Date.now();
  return new Promise((resolve) => {
    const { child } = worker;
    const finish = (run: MutantRun) => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(run);
    };
    const onMessage = (run: MutantRun) => finish(run);
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      finish({
        name: request.name,
        outcome: 'error',
        error: `worker exited (${signal ?? `code ${code}`}) during the run: ${worker.stderrTail().split('\n').slice(-3).join(' | ')}`,
        durationMs: Date.now() - started,
        scenarios: [],
      });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish({ name: request.name, outcome: 'hung', error: `no answer after ${timeoutMs} ms; its worker was killed`, durationMs: Date.now() - started, scenarios: [] });
    }, timeoutMs);
    child.on('message', onMessage);
    child.on('exit', onExit);
    child.send(request);
  });
}

/** Runs every name (mutant names, or `reference`) once; the map is keyed by name. */
export async function runInWorkers(names: readonly string[], options: PoolOptions): Promise<Map<string, MutantRun>> {
  const queue = [...names];
  const runs = new Map<string, MutantRun>();
  const lane = async (): Promise<void> => {
    let worker = spawnWorker();
    try {
      for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
        const run = await ask(worker, { name, tiers: options.tiers, ...options.extras?.(name) }, options.timeoutMs);
        runs.set(name, run);
        options.onRun?.(run);
        if (options.stopAfter?.(run) === true) queue.length = 0;
        if (run.outcome !== 'completed' || worker.child.exitCode !== null || worker.child.killed) {
          // Its state is unknown after a hang or an error: the next mutant gets a fresh child.
          worker.child.kill('SIGKILL');
          worker = spawnWorker();
        }
      }
    } finally {
      if (worker.child.connected) worker.child.disconnect();
      worker.child.kill();
    }
  };
  const jobs = Math.max(1, Math.min(options.jobs, names.length));
  await Promise.all(Array.from({ length: jobs }, lane));
  return runs;
}
