/**
 * One fuzz campaign: fast-check model-based testing (fc.commands + fc.asyncModelRun) of an
 * implementation against the reference engine, from a fixed seed. On a divergence fast-check
 * shrinks the sequence; the shrunk counterexample is then run once more to record its trace and
 * to prove that it reproduces (same seed, same sequence, same verdict).
 */
import fc from 'fast-check';
import type { Implementation } from '../adapters/types';
import { targetVersions, type Capability } from '../api';
import { createReferenceImplementation } from '../adapters/reference';
import { describeResult } from '../harness/traced';
import { prologueArb, type Prologue } from './bookends';
import { commandArbitrary } from './commands';
import type { FuzzModel } from './exec';
import { DivergenceError, type PairOptions } from './pair';
import { Pipeline, runOnce, type RunEnv } from './pipeline';
import type { PipelineStats } from './planned';
import type { Divergence, TraceStep } from './trace';
import type { AvoidRule } from './avoid';
import { divergenceKind } from './kind';

export interface FuzzOptions {
  /** The implementation under test. */
  readonly sut: Implementation;
  /** The model; a fresh reference engine by default. */
  readonly model?: Implementation;
  readonly seed: number;
  /** fast-check runs (each a fresh reset and one command sequence). */
  readonly runs: number;
  /** Most commands per run (a command is one call or a short composite, e.g. a table scan). */
  readonly maxSteps: number;
  /** `PATH@REPLAYPATH` from an earlier finding: replays that counterexample only. */
  readonly replay?: string;
  /** See PairOptions. Defaults: 0 (in-process) and 10 000 ms. */
  readonly settleMs?: number;
  readonly awaitTimeoutMs?: number;
  /** Called after every run (shrinking runs included) with its trace: for coverage statistics. */
  readonly onRun?: (trace: readonly TraceStep[]) => void;
  /** Calls made on neither side (fuzz/avoid.ts); every use is counted in the report. */
  readonly avoid?: readonly AvoidRule[];
  /**
   * Most shrinking executions after the first divergence (default: no limit). Past it every
   * further candidate counts as passing without running, so shrinking ends where it stands;
   * deterministic, unlike a time limit. The final re-run of the counterexample always runs.
   */
  readonly shrinkBudget?: number;
  /**
   * Only a divergence of this kind (fuzz/kind.ts) counts as a failure: shrinking a campaign's
   * finding keeps its kind instead of drifting to another divergence on the way.
   */
  readonly onlyKind?: string;
  /**
   * Pipelined runs (fuzz/pipeline.ts) against an implementation that offers protocol 1.1 `chain`
   * (default true): the same calls and findings in fewer round trips. Needs the default model.
   */
  readonly chain?: boolean;
  /** A pipeline to share (keep-going shrinks with its own); made here when absent. */
  readonly pipeline?: Pipeline;
}

export interface Finding {
  readonly divergence: Divergence;
  /** The run (1-based) in which fast-check first saw a divergence, before shrinking. */
  readonly foundInRun: number;
  /** The shrunk run, step by step; the last step diverged. */
  readonly trace: readonly TraceStep[];
  readonly prologue: Prologue;
  /** fast-check's rendering of the shrunk command sequence. */
  readonly sequence: string;
  /** `PATH@REPLAYPATH`: with the same seed and max steps, replays this counterexample. */
  readonly replay: string;
  readonly shrinks: number;
  /** Whether running the shrunk counterexample again diverged in the same way. */
  readonly reproduced: boolean;
}

export interface FuzzReport {
  readonly seed: number;
  /** Generated runs fast-check tried (at most --runs). */
  readonly runs: number;
  /** Every execution: the generated runs, the shrinking attempts and the final re-run. */
  readonly executions: number;
  /** API calls made on the implementation under test (each also made on the reference). */
  readonly calls: number;
  readonly durationMs: number;
  readonly capabilities: readonly Capability[];
  /** Calls not made, by avoid rule name (only rules that matched at least once). */
  readonly avoided: Readonly<Record<string, number>>;
  /** Holds the implementation answered `unsupported` (made on neither side, not compared). */
  readonly notHoldable: number;
  /** Faults the implementation answered `unsupported` (armed on neither side). */
  readonly notInjectable: number;
  /** Calls held in flight on both sides (pair.ts `held`). */
  readonly held: number;
  /** Whether shrinking stopped at --shrink-budget rather than at a local minimum. */
  readonly shrinkBudgetSpent: boolean;
  /** How the runs were pipelined, when they were (counts of this campaign's pipeline, shared ones included). */
  readonly pipeline?: PipelineStats;
  readonly finding?: Finding;
  /** A failure that is not a divergence: the reference or the adapter broke. */
  readonly error?: string;
}

/** Threads the fuzzer uses: three with `threads`, else one. */
export function threadsFor(caps: ReadonlySet<Capability>): string[] {
  return caps.has('threads') ? ['t1', 't2', 't3'] : ['t1'];
}

/** The capabilities the fuzzer exercises: those the implementation declares (in-flight only with threads). */
export function usableCapabilities(sut: Implementation): Set<Capability> {
  const caps = new Set(sut.info.capabilities);
  if (!caps.has('threads')) caps.delete('in-flight');
  if (caps.has('in-flight') && (sut.hold === undefined || sut.release === undefined)) caps.delete('in-flight');
  if (sut.injectFault === undefined) caps.delete('fault-injection');
  if (sut.forceInstanceState === undefined) caps.delete('instance-state');
  // A forced fatal error is specified since Windows XP only (ES-INSTANCE-UNAVAILABLE's @since).
  if (targetVersions.indexOf(sut.info.target) < targetVersions.indexOf('windows-xp')) caps.delete('instance-state');
  return caps;
}

export function parseReplay(replay: string): { path: string; replayPath: string | undefined } {
  const at = replay.indexOf('@');
  return at < 0 ? { path: replay, replayPath: undefined } : { path: replay.slice(0, at), replayPath: replay.slice(at + 1) };
}

/** fast-check's command sequence; its toString is the replay path (read below). */
type Cmds = Iterable<fc.AsyncCommand<FuzzModel, Implementation>> & { toString(): string };

/** The pipeline of a campaign against `sut`, if its runs are to be pipelined: a twin of the model is needed for the plan. */
export function pipelineFor(options: Pick<FuzzOptions, 'sut' | 'model' | 'chain' | 'pipeline'>): Pipeline | undefined {
  if (options.chain === false || options.sut.callChain === undefined) return undefined;
  if (options.pipeline !== undefined) return options.pipeline;
  return options.model === undefined ? new Pipeline(() => createReferenceImplementation()) : undefined;
}

/** Every run's environment; a failed reset of the implementation is thrown, ending the property. */
export function runEnv(model: Implementation, sut: Implementation, caps: ReadonlySet<Capability>, pairOptions: PairOptions, pipeline: Pipeline | undefined): RunEnv {
  return {
    model,
    sut,
    threads: threadsFor(caps),
    caps,
    pairOptions,
    ...(pipeline === undefined ? {} : { pipeline }),
    resetFailed: (s) => {
      throw new Error(`reset of the implementation failed: ${describeResult(s)}`);
    },
  };
}

export async function fuzz(options: FuzzOptions): Promise<FuzzReport> {
  const { sut } = options;
  const model = options.model ?? createReferenceImplementation();
  const caps = usableCapabilities(sut);
  const pairOptions = { settleMs: options.settleMs ?? 0, awaitTimeoutMs: options.awaitTimeoutMs ?? 10_000, ...(options.avoid ? { avoid: options.avoid } : {}) };
  const pipeline = pipelineFor(options);
  const env = runEnv(model, sut, caps, pairOptions, pipeline);
  const replay = options.replay === undefined ? undefined : parseReplay(options.replay);
  let current: FuzzModel | undefined;
  let calls = 0;
  let executions = 0;
  const avoided: Record<string, number> = {};
  let notHoldable = 0;
  let notInjectable = 0;
  let held = 0;
  // Shrinking starts at the first divergence; past the budget, candidates pass unrun.
  let shrinking = false;
  let shrinkRuns = 0;
  let shrinkBudgetSpent = false;
  let finalRun = false;

  const body = async (prologue: Prologue, cmds: Cmds): Promise<void> => {
    if (shrinking && !finalRun && options.shrinkBudget !== undefined) {
      if (shrinkRuns >= options.shrinkBudget) {
        shrinkBudgetSpent = true;
        return;
      }
      shrinkRuns++;
    }
    current = undefined as FuzzModel | undefined; // the callback below sets it
    try {
      await runOnce(env, prologue, cmds, (m) => (current = m));
    } catch (e) {
      // Another kind than the one asked for passes: shrinking looks for this kind only.
      if (e instanceof DivergenceError && options.onlyKind !== undefined && divergenceKind(e.divergence) !== options.onlyKind) return;
      if (e instanceof DivergenceError) shrinking = true;
      throw e;
    } finally {
      executions++;
      calls += current?.pair.calls ?? 0;
      for (const [name, n] of current?.pair.avoided ?? []) avoided[name] = (avoided[name] ?? 0) + n;
      notHoldable += current?.pair.notHoldable ?? 0;
      notInjectable += current?.pair.notInjectable ?? 0;
      held += current?.pair.held ?? 0;
      if (current) options.onRun?.(current.pair.trace);
    }
  };

  const commands = fc.commands([commandArbitrary(caps)], { maxCommands: options.maxSteps, size: 'max', ...(replay?.replayPath ? { replayPath: replay.replayPath } : {}) });
  const property = fc.asyncProperty(prologueArb, commands, body);
  const started = process.hrtime.bigint();
  const details = await fc.check(property, { seed: options.seed, numRuns: options.runs, ...(replay ? { path: replay.path } : {}) });
  const base = () => ({
    seed: options.seed,
    runs: details.numRuns,
    executions,
    calls,
    durationMs: Number(process.hrtime.bigint() - started) / 1e6,
    capabilities: [...caps],
    avoided: { ...avoided },
    notHoldable,
    notInjectable,
    held,
    shrinkBudgetSpent,
    ...(pipeline === undefined ? {} : { pipeline: { ...pipeline.stats, unspeculated: { ...pipeline.stats.unspeculated } } }),
  });
  if (!details.failed) return base();
  const error = details.errorInstance;
  if (!(error instanceof DivergenceError)) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { ...base(), error: message };
  }
  const [prologue, cmds] = details.counterexample as [Prologue, Cmds];
  // Run the shrunk counterexample once more: its trace is the finding, and it must diverge again.
  let again: DivergenceError | undefined;
  finalRun = true;
  try {
    await body(prologue, cmds);
  } catch (e) {
    if (!(e instanceof DivergenceError)) throw e;
    again = e;
  }
  const sequence = String(cmds);
  const replayPath = /replayPath="([^"]*)"/.exec(sequence)?.[1] ?? '';
  const pair = (current as FuzzModel).pair;
  return {
    ...base(),
    finding: {
      divergence: again?.divergence ?? error.divergence,
      foundInRun: Number((details.counterexamplePath ?? '0').split(':')[0]) + 1,
      trace: pair.trace,
      prologue,
      sequence: sequence.replace(/\s*\/\*replayPath=.*\*\/\s*$/, ''),
      replay: `${details.counterexamplePath ?? ''}@${replayPath}`,
      shrinks: details.numShrinks,
      reproduced: again !== undefined && again.message === error.message,
    },
  };
}
