/**
 * Pipelined fuzz runs over an implementation that speaks protocol 1.1 `chain` (docs/protocol.md
 * section 16): the implementation makes exactly the calls it makes one request at a time, in far
 * fewer round trips.
 *
 * A run is made twice. First as a plan, in-process and cheap: the reference against a twin
 * reference (the shadow) that answers for the implementation, with every handle and column id it
 * issues replaced by a placeholder naming the call that issued it. The shadow records the calls
 * the implementation would get if it answered as the reference does. Then for real, against the
 * implementation, through ChainedSut: at the first call of a stretch of plain calls it sends the
 * whole stretch as one chain, each call expecting the reference's code and naming the handles of
 * earlier calls by index; the chain stops at the first unexpected code. The run reads the chain's
 * answers one by one as if each came from its own request, and every comparison is the Pair's,
 * on the implementation's real answers. Holds, releases, injections, forced states and terms made
 * while calls are held stay single requests (they end a stretch); from the first answer that is
 * not the plan's, the rest of the run is made one call at a time.
 *
 * A chain that ends in a crash or a timeout cannot say which of its calls failed (a process that
 * died answers nothing): such a run is made again one call at a time from a reset, and the
 * campaign stops chaining, so the finding is the one the calls one by one give. A plan the real
 * run does not follow is a fuzzer bug, reported as a ModelError, never a verdict.
 *
 * This module is the campaign's side: whether runs are pipelined, and one run (plan, then the run
 * made after it). The plan is fuzz/plan.ts, the run against the implementation fuzz/chain.ts, the
 * data both share (placeholders, planned operations, chains on the wire) fuzz/planned.ts.
 */
import fc from 'fast-check';
import type { AdapterStatus, Implementation } from '../adapters/types';
import type { Capability } from '../api';
import { describeResult } from '../harness/traced';
import { runEpilogue, runPrologue, type Prologue } from './bookends';
import { ChainedSut } from './chain';
import type { FuzzModel } from './exec';
import { DivergenceError, ModelError, Pair, type PairOptions } from './pair';
import { PlanSut } from './plan';
import type { Chainable, Made, Plan, PipelineStats } from './planned';
import { World } from './world';

/** fast-check's command sequence of one run. */
export type Cmds = Iterable<fc.AsyncCommand<FuzzModel, Implementation>>;

// ---- Campaign state and one run -----------------------------------------------------------------

/**
 * A campaign's pipelining: the shadow, whether chains are sent at all (not after one crashed or
 * timed out), and the counts.
 */
export class Pipeline {
  readonly stats: PipelineStats = { plans: 0, speculated: 0, unspeculated: {}, chains: 0, chainedCalls: 0, singleCalls: 0, remade: 0 };
  /** Why the campaign stopped chaining, once it has. */
  stopped: string | undefined;

  /**
   * @param twin a reference like the model, for the shadow
   * @param speculate whether plans also make their operations on the implementation (else the
   *   run is always made again after its plan)
   */
  constructor(
    private readonly twin: () => Implementation,
    private readonly speculate = true,
  ) {}

  private shadow: Implementation | undefined;

  /** Whether runs against `sut` are planned and chained. */
  usable(sut: Implementation): sut is Chainable {
    return sut.callChain !== undefined && this.stopped === undefined;
  }

  /**
   * The run made on the reference and the shadow: the operations the implementation would get,
   * also made on it while the speculation holds. `model` is the run when it held to the end.
   * Resets the implementation (a failed reset is thrown as `env.resetFailed` throws it).
   */
  async plan(env: RunEnv, prologue: Prologue, cmds: Cmds, real: Chainable): Promise<{ plan: Plan; made: Made; model?: FuzzModel }> {
    this.stats.plans++;
    this.shadow ??= this.twin();
    const world = new World(env.threads, env.caps);
    const sut = new PlanSut(this.shadow, real, this.speculate ? { sut: real, callMs: env.pairOptions.awaitTimeoutMs } : undefined, this.stats, (dbid) => world.sutDbid(dbid));
    const m = await env.model.reset();
    if (m.kind !== 'ok') throw new ModelError(`reset of the reference failed: ${describeResult(m)}`);
    const shadowReset = await sut.reset();
    if (shadowReset.kind !== 'ok') throw new ModelError(`reset of the shadow reference failed: ${describeResult(shadowReset)}`);
    // The implementation's reset heads the plan's queue: the plan starts while it is answered, and
    // nothing is sent after a reset that failed (thrown below, once the plan has ended).
    const realReset = real.reset();
    sut.after(realReset);
    // The plan waits for nothing: its shadow's terms are exactly as pending as the reference's.
    // An op that sends the chain before it first may take that chain's time too (PlanSut.waits).
    const current: FuzzModel = { world, pair: new Pair(env.model, sut, world, { ...env.pairOptions, settleMs: 0, waits: () => sut.waits() }) };
    let complete = false;
    try {
      // A clone: fast-check marks the commands that ran, and only the run it judges may (they are the counterexample).
      await fc.asyncModelRun(async () => {
        await runPrologue(current, prologue);
        return { model: current, real: sut };
      }, fc.cloneIfNeeded(cmds));
      await current.pair.finish();
      await runEpilogue(current);
      await sut.flush();
      complete = true;
    } catch {
      // The plan ends where its run stopped; the run made after it goes on one call at a time from there.
    }
    // Not before what the plan is still making on the implementation has ended: `made` is then final.
    await sut.idle();
    const s = await realReset;
    if (s.kind !== 'ok') env.resetFailed(s);
    const spoke = complete && sut.speculating;
    if (spoke) this.stats.speculated++;
    return { plan: { ops: sut.ops }, made: sut.made, ...(spoke ? { model: current } : {}) };
  }
}

/** What every run of a campaign shares. */
export interface RunEnv {
  readonly model: Implementation;
  readonly sut: Implementation;
  readonly threads: readonly string[];
  readonly caps: ReadonlySet<Capability>;
  readonly pairOptions: PairOptions;
  /** Absent: every call is its own request. */
  readonly pipeline?: Pipeline;
  /** The implementation's reset failed: throws what the caller makes of it. */
  readonly resetFailed: (status: AdapterStatus) => never;
}

/**
 * One run: a reset of both sides, the prologue, the commands, the release of what is held, the
 * epilogue. `onModel` gets the run's model (its pair's trace and counts) as soon as it exists.
 * Throws what the run threw (a DivergenceError, a ModelError) after letting held calls finish.
 */
export async function runOnce(env: RunEnv, prologue: Prologue, cmds: Cmds, onModel: (m: FuzzModel) => void): Promise<void> {
  const pipeline = env.pipeline;
  if (pipeline === undefined || !pipeline.usable(env.sut)) return attempt(env, prologue, cmds, undefined, onModel);
  const sut = env.sut;
  const { plan, made, model } = await pipeline.plan(env, prologue, cmds, sut);
  if (model !== undefined) {
    // Every answer was one the Pair takes as the shadow's: the plan's run is the run.
    onModel(model);
    return;
  }
  const chained = new ChainedSut(sut, plan, pipeline.stats, env.pairOptions.awaitTimeoutMs, made);
  try {
    await attempt(env, prologue, cmds, chained, onModel);
  } catch (e) {
    if (!(e instanceof DivergenceError) || !chained.suspect) throw e;
    // Which call of the chain crashed or hung is unknown: the run again, one call at a time.
    pipeline.stopped = `a chain answered ${e.divergence.actual}`;
    pipeline.stats.remade++;
    await attempt(env, prologue, cmds, undefined, onModel);
  }
}

async function attempt(env: RunEnv, prologue: Prologue, cmds: Cmds, chained: ChainedSut | undefined, onModel: (m: FuzzModel) => void): Promise<void> {
  const m = await env.model.reset();
  if (m.kind !== 'ok') throw new ModelError(`reset of the reference failed: ${describeResult(m)}`);
  const sut = chained ?? env.sut;
  const s = await sut.reset();
  if (s.kind !== 'ok') env.resetFailed(s);
  const world = new World(env.threads, env.caps);
  const options: PairOptions = chained === undefined ? env.pairOptions : { ...env.pairOptions, waits: () => chained.waits() };
  const current: FuzzModel = { world, pair: new Pair(env.model, sut, world, options) };
  onModel(current);
  try {
    await fc.asyncModelRun(async () => {
      await runPrologue(current, prologue);
      return { model: current, real: sut };
    }, cmds);
    await current.pair.finish();
    await runEpilogue(current);
  } catch (e) {
    chained?.goLive();
    await current.pair.abandon();
    throw e;
  }
}
