/**
 * One mutation campaign: the reference and every chosen mutant through the suite, on a pool of
 * child processes, folded into a kill matrix. Shared by `ese-conformance mutants`, the tests and
 * the benchmark.
 */
import * as os from 'node:os';
import { loadCatalogue } from '../harness/catalogue';
import type { Tier } from '../harness/results';
import { mutants } from './catalogue';
import { buildKillMatrix, type FuzzBudget, type KillMatrix, type MutantRun } from './kill-matrix';
import { runInWorkers } from './pool';
import type { MutantSpec } from './types';
import { referenceRunName } from './worker';

export interface CampaignOptions {
  readonly tiers: readonly Tier[];
  /** Mutants to run; the whole catalogue by default. */
  readonly specs?: readonly MutantSpec[];
  readonly jobs?: number;
  readonly timeoutMs?: number;
  /** A fuzz campaign against each mutant after its suite run; none when absent. */
  readonly fuzz?: FuzzBudget;
  readonly onRun?: (run: MutantRun) => void;
}

/**
 * The fuzz budget of `npm test` and of `ese-conformance mutants` by default: one seed, a few hundred
 * short runs per mutant. Found mutants stop early; the others (those outside the esent tier, or
 * out of the fuzzer's reach) spend the whole budget, about a second each here.
 */
export const defaultFuzzBudget: FuzzBudget = { seed: 1, runs: 200, maxSteps: 40 };

/** Two children by default: the machine this was tuned on has two cores. */
export function defaultJobs(): number {
  return Math.max(1, Math.min(2, os.availableParallelism?.() ?? os.cpus().length));
}

/** A whole-suite run (both tiers, whole-state checks) takes 5-20 s here, more under load; three minutes means stuck. */
export const defaultTimeoutMs = 180_000;

export async function runCampaign(options: CampaignOptions): Promise<KillMatrix> {
  const started = Date.now();
  const specs = options.specs ?? mutants;
  const runs = await runInWorkers([referenceRunName, ...specs.map((s) => s.name)], {
    tiers: options.tiers,
    jobs: options.jobs ?? defaultJobs(),
    timeoutMs: options.timeoutMs ?? defaultTimeoutMs,
    ...(options.onRun === undefined ? {} : { onRun: options.onRun }),
    extras: (name) => (name === referenceRunName ? { logChecks: true } : options.fuzz === undefined ? {} : { fuzz: options.fuzz }),
    // A reference that cannot finish a run makes every verdict meaningless: stop there.
    stopAfter: (run) => run.name === referenceRunName && run.outcome !== 'completed',
  });
  const entries = loadCatalogue().entries;
  const ids = Object.fromEntries(options.tiers.map((t) => [t, entries.filter((e) => e.tiers.includes(t)).map((e) => e.id)]));
  const reference = runs.get(referenceRunName) ?? { name: referenceRunName, outcome: 'error' as const, error: 'never ran', durationMs: 0, scenarios: [] };
  return buildKillMatrix({
    specs,
    runs,
    reference,
    tiers: options.tiers,
    ids,
    durationMs: Date.now() - started,
    ...(options.fuzz === undefined ? {} : { fuzzBudget: options.fuzz }),
  });
}
