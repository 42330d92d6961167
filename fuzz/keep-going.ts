/**
 * A campaign that does not stop at the first divergence (`fuzz --keep-going`): every run of the
 * seed is made from a reset; a run that diverges is recorded (its index, the diverging call, both
 * answers) and the next run starts from a reset. Divergences are then grouped by kind (the call,
 * the reference's answer, the implementation's) and the first run of each kind is shrunk through
 * `fuzz` with that run's path, so each kind gets a shrunk counterexample and a replay token.
 * Runs are generated from the seed alone (fast-check draws run i the same whatever runs before it
 * did), so the same seed gives the same runs and, against a deterministic implementation, the same
 * findings.
 */
import fc from 'fast-check';
import type { Implementation } from '../adapters/types';
import { createReferenceImplementation } from '../adapters/reference';
import { describeResult } from '../harness/traced';
import { prologueArb, type Prologue } from './bookends';
import { commandArbitrary } from './commands';
import { fuzz, pipelineFor, runEnv, usableCapabilities, type FuzzOptions, type FuzzReport } from './campaign';
import type { FuzzModel } from './exec';
import { DivergenceError } from './pair';
import { runOnce } from './pipeline';
import type { PipelineStats } from './planned';
import type { Divergence } from './trace';
import { divergenceKind } from './kind';

/** One run that diverged, before shrinking. */
export interface RunDivergence {
  /** 0-based: `--replay RUN` (with the same seed and max steps) replays and shrinks it. */
  readonly run: number;
  readonly kind: string;
  readonly divergence: Divergence;
  /** Steps of the run up to and including the diverging one. */
  readonly steps: number;
}

/** A kind of divergence: its runs, and the shrunk counterexample of its first run. */
export interface DivergenceKind {
  readonly kind: string;
  readonly runs: readonly number[];
  /** `fuzz` over the first run (shrinking); absent when shrinking was not asked for. */
  readonly shrunk?: FuzzReport;
}

export interface KeepGoingReport {
  readonly seed: number;
  readonly runs: number;
  /** API calls of the generated runs (each also made on the reference); shrinking not included. */
  readonly calls: number;
  readonly durationMs: number;
  readonly capabilities: readonly string[];
  readonly avoided: Readonly<Record<string, number>>;
  /** Holds the implementation answered `unsupported` (made on neither side), shrinking included. */
  readonly notHoldable: number;
  /** Faults the implementation answered `unsupported` (armed on neither side), shrinking included. */
  readonly notInjectable: number;
  /** Calls held in flight on both sides in the generated runs (shrinking not included, as `calls`), and in how many runs. */
  readonly held: number;
  readonly runsWithHolds: number;
  readonly divergences: readonly RunDivergence[];
  readonly kinds: readonly DivergenceKind[];
  /** Runs the implementation failed outside a comparison (a reset), with the reason. */
  readonly failedRuns: readonly { readonly run: number; readonly reason: string }[];
  /** Set when the campaign stopped early: the reference broke, or resets kept failing. */
  readonly stopped?: string;
  /** API calls and time spent shrinking. */
  readonly shrinkCalls: number;
  readonly shrinkMs: number;
  /** How the runs were pipelined (fuzz/pipeline.ts), shrinking included, when they were. */
  readonly pipeline?: PipelineStats;
}

/** Resets that fail in a row before the campaign gives up on the implementation. */
const maxFailedResetsInARow = 3;

type Cmds = Iterable<fc.AsyncCommand<FuzzModel, Implementation>>;

export interface KeepGoingProgress {
  /** Runs made so far, diverging runs among them, and calls. */
  readonly runs: number;
  readonly diverged: number;
  readonly calls: number;
  /** 'explore' while the seed's runs are made; 'shrink' with the kind being shrunk. */
  readonly phase: 'explore' | 'shrink';
  readonly kind?: string;
}

export async function fuzzKeepGoing(options: FuzzOptions & { readonly shrink: boolean; readonly onProgress?: (p: KeepGoingProgress) => void; readonly progressEvery?: number; readonly onExplored?: (r: KeepGoingReport) => void }): Promise<KeepGoingReport> {
  const { sut } = options;
  const model = options.model ?? createReferenceImplementation();
  const caps = usableCapabilities(sut);
  const pairOptions = { settleMs: options.settleMs ?? 0, awaitTimeoutMs: options.awaitTimeoutMs ?? 10_000, ...(options.avoid ? { avoid: options.avoid } : {}) };
  const pipeline = pipelineFor(options);
  /** A failed reset of the implementation: recorded, and the run is not made. */
  class ResetFailed extends Error {}
  const env = { ...runEnv(model, sut, caps, pairOptions, pipeline), resetFailed: (s: Parameters<typeof describeResult>[0]): never => {
    throw new ResetFailed(`reset of the implementation failed: ${describeResult(s)}`);
  } };
  const divergences: RunDivergence[] = [];
  const failedRuns: { run: number; reason: string }[] = [];
  const avoided: Record<string, number> = {};
  let notHoldable = 0;
  let notInjectable = 0;
  let held = 0;
  let runsWithHolds = 0;
  let calls = 0;
  let run = 0;
  let failedInARow = 0;
  let stopped: string | undefined;

  const once = async (prologue: Prologue, cmds: Cmds): Promise<void> => {
    const index = run++;
    if (stopped !== undefined) return;
    let current: FuzzModel | undefined;
    try {
      await runOnce(env, prologue, cmds, (m) => (current = m));
      failedInARow = 0;
    } catch (e) {
      if (e instanceof ResetFailed) {
        failedRuns.push({ run: index, reason: e.message });
        if (++failedInARow >= maxFailedResetsInARow) stopped = `${failedInARow} resets of the implementation failed in a row`;
        return;
      }
      failedInARow = 0;
      if (e instanceof DivergenceError) {
        divergences.push({ run: index, kind: divergenceKind(e.divergence), divergence: e.divergence, steps: current?.pair.trace.length ?? 0 });
      } else {
        // The reference or the fuzzer broke: no later run can be trusted.
        stopped = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      }
    } finally {
      calls += current?.pair.calls ?? 0;
      for (const [name, n] of current?.pair.avoided ?? []) avoided[name] = (avoided[name] ?? 0) + n;
      notHoldable += current?.pair.notHoldable ?? 0;
      notInjectable += current?.pair.notInjectable ?? 0;
      held += current?.pair.held ?? 0;
      if ((current?.pair.held ?? 0) > 0) runsWithHolds++;
      if (options.onProgress && (index + 1) % (options.progressEvery ?? 100) === 0) options.onProgress({ runs: index + 1, diverged: divergences.length, calls, phase: 'explore' });
    }
  };

  const started = process.hrtime.bigint();
  const commands = fc.commands([commandArbitrary(caps)], { maxCommands: options.maxSteps, size: 'max' });
  await fc.check(fc.asyncProperty(prologueArb, commands, once), { seed: options.seed, numRuns: options.runs });
  const exploreMs = Number(process.hrtime.bigint() - started) / 1e6;

  const byKind = new Map<string, number[]>();
  for (const d of divergences) byKind.set(d.kind, [...(byKind.get(d.kind) ?? []), d.run]);
  const report = (kinds: readonly DivergenceKind[], shrinkCalls: number, shrinkMs: number): KeepGoingReport => ({
    seed: options.seed,
    runs: Math.min(run, options.runs),
    calls,
    durationMs: exploreMs,
    capabilities: [...caps],
    avoided: { ...avoided },
    notHoldable,
    notInjectable,
    held,
    runsWithHolds,
    divergences,
    kinds,
    failedRuns,
    ...(stopped === undefined ? {} : { stopped }),
    shrinkCalls,
    shrinkMs,
    ...(pipeline === undefined ? {} : { pipeline: { ...pipeline.stats, unspeculated: { ...pipeline.stats.unspeculated } } }),
  });
  // Every run is made: what they found is kept before shrinking, which may take long.
  options.onExplored?.(report([...byKind].map(([kind, runs]) => ({ kind, runs })), 0, 0));
  const kinds: DivergenceKind[] = [];
  let shrinkCalls = 0;
  const shrinkStarted = process.hrtime.bigint();
  for (const [kind, runs] of byKind) {
    if (!options.shrink || stopped !== undefined) {
      kinds.push({ kind, runs });
      continue;
    }
    // The kind's first run, replayed by its path and shrunk as `fuzz` shrinks any finding.
    options.onProgress?.({ runs: run, diverged: divergences.length, calls, phase: 'shrink', kind });
    const shrunk = await fuzz({ ...options, model, ...(pipeline === undefined ? {} : { pipeline }), runs: 1, replay: String(runs[0]), onlyKind: kind });
    shrinkCalls += shrunk.calls;
    for (const [name, n] of Object.entries(shrunk.avoided)) avoided[name] = (avoided[name] ?? 0) + n;
    notHoldable += shrunk.notHoldable;
    notInjectable += shrunk.notInjectable;
    kinds.push({ kind, runs, shrunk });
  }
  return report(kinds, shrinkCalls, Number(process.hrtime.bigint() - shrinkStarted) / 1e6);
}
