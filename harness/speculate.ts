/**
 * The whole-state probes over a process in one round trip (protocol 1.1 `chain`). The probes are a
 * deterministic program whose path depends only on each call's code (an out-value the schema
 * requires is there whenever err >= 0): given the shadow reference's codes, the implementation's
 * calls are known in advance, with the handles and dbids it will issue standing as references to
 * the calls that issue them. The chain sends them all, each expecting the reference's code, and
 * the implementation stops at the first call that answers otherwise; the probes then run on the
 * real answers, and from where the chain stopped they call live. So the implementation makes
 * exactly the calls the probes ask for, one by one, as without the chain: only the round trips go.
 */
import type { CallResult, ChainCall, Implementation, OutRef } from '../adapters/types';
import type { ApiCall, ArgsOf, OperationName } from '../api';
import type { ScenarioContext } from './context';
import { FaultError, SuiteError } from './errors';
import { PredictedImplementation, type Predictor } from './predict';
import type { Speculation } from './traced';
import { observe, type Observation, type ObserveOptions, type Side } from './observe';
import type { Registry } from './registry';
import type { CarriedCall, SetupChain } from './setup-chain';

/** Out-values that are handles: predicted as placeholder strings. */
const handleOuts = ['instance', 'sesid', 'tableid'] as const;
/** dbid is a number: predicted as a placeholder number far below any dbid (dbids are small and non-negative). */
const numberBase = -(2 ** 40);
const stringMark = '\u0001ref:';

function handlePlaceholder(call: number, out: string): string {
  return `${stringMark}${call}:${out}`;
}

/** A placeholder value back to the reference it stands for, or undefined for a real value. */
function refOf(v: unknown): { ref: number; out: string } | undefined {
  if (typeof v === 'string' && v.startsWith(stringMark)) {
    const [call, out] = v.slice(stringMark.length).split(':');
    return { ref: Number(call), out };
  }
  if (typeof v === 'number' && v <= numberBase) return { ref: numberBase - v, out: 'dbid' };
  return undefined;
}

/** The reference's result of call `i` as the probes should see it from the implementation: issued values as placeholders. */
function predicted(r: CallResult, i: number): CallResult {
  if (r.kind !== 'returned' || r.err < 0 || r.out === undefined) return r;
  const out: Record<string, unknown> = { ...(r.out as Record<string, unknown>) };
  for (const k of handleOuts) if (typeof out[k] === 'string') out[k] = handlePlaceholder(i, k);
  if (typeof out.dbid === 'number') out.dbid = numberBase - i;
  return { ...r, out };
}

class EndOfPrediction extends Error {}

/**
 * The calls the probes make on the implementation if it answers every call with the reference's
 * code, from the reference's results of the same probes (in call order). Ends before a call the
 * reference did not answer with a code.
 */
export function plan(reg: Registry, options: ObserveOptions, reference: readonly CallResult[]): ChainCall[] {
  const calls: ChainCall[] = [];
  const side: Side = {
    call: () => Promise.reject(new EndOfPrediction()),
    callSync: (thread, op, args) => {
      const i = calls.length;
      const r = reference[i];
      if (r?.kind !== 'returned') throw new EndOfPrediction();
      const wire: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(args)) wire[k] = refOf(v) ?? v;
      calls.push({ thread, op, args: wire, expect: r.err });
      return predicted(r, i);
    },
    handle: (h) => h,
    number: (_k, n) => n,
  };
  // The probes' own bookkeeping (observer sessions owed) is not the plan's to change.
  const planOptions: ObserveOptions = { ...options, debt: new Map(options.debt) };
  // observe() returns at once: the side answers synchronously.
  void observe(side, reg, planOptions).catch(() => undefined);
  return calls;
}

/**
 * A Side of the implementation that makes the planned calls in one chain at its first call, answers
 * the probes from the chain's results while they ask for the planned calls, and calls live after.
 */
export function chainedSide(impl: Implementation & Required<Pick<Implementation, 'callChain'>>, planned: readonly ChainCall[], answered?: readonly CallResult[]): Side {
  let made: Promise<readonly CallResult[]> | undefined = answered === undefined ? undefined : Promise.resolve(answered);
  let results: readonly CallResult[] = answered ?? [];
  let next = 0;
  let live = planned.length === 0;
  const start = async (): Promise<void> => {
    if (live || made !== undefined) return;
    made = impl.callChain(planned);
    results = await made;
  };
  /** The chain's result for this call, or undefined once the chain's results are used up. */
  const take = (thread: string, op: OperationName): CallResult | undefined => {
    if (live || next >= results.length) {
      live = true;
      return undefined;
    }
    const p = planned[next];
    if (p.op !== op || p.thread !== thread) {
      throw new SuiteError(`whole-state probes: the chain made ${p.op} on ${p.thread} as call ${next}, where the probes ask for ${op} on ${thread}`);
    }
    return results[next++];
  };
  const endsBatch = (r: CallResult, stopOnError: boolean) => r.kind !== 'returned' || (stopOnError && r.err < 0);
  return {
    call: async (thread, op, args) => {
      await start();
      return (take(thread, op) as CallResult<typeof op> | undefined) ?? impl.call(thread, op, args);
    },
    callBatch: async (thread, calls: readonly ApiCall[], stopOnError) => {
      await start();
      const out: CallResult[] = [];
      for (const [i, c] of calls.entries()) {
        const r = take(thread, c.op);
        if (r === undefined) {
          const rest = calls.slice(i);
          if (impl.callBatch !== undefined) return [...out, ...(await impl.callBatch(thread, rest, stopOnError))];
          for (const d of rest) {
            const s = await impl.call(thread, d.op, d.args);
            out.push(s);
            if (endsBatch(s, stopOnError)) break;
          }
          return out;
        }
        out.push(r);
        if (endsBatch(r, stopOnError)) break;
      }
      return out;
    },
    handle: (h) => h,
    number: (_k, n) => n,
  };
}

/**
 * The shadow reference's side of the whole-state probes over a process that chains, planning the
 * implementation's chain from the same run (no second run of the probes to plan it): the probes see
 * the implementation's view (the scenario's handles as the implementation's, translated for the
 * reference here, and the values the reference issues during the probes as placeholders), the
 * reference makes the calls, and each call goes into the plan as plan() would put it there. The
 * Observation equals the reference's own (it never holds handles, dbids or column ids).
 */
export function planningSide(
  refSync: <O extends OperationName>(thread: string, op: O, args: ArgsOf<O>) => CallResult<O>,
  translateArg: (key: string, value: unknown) => unknown,
): { readonly side: Side; readonly planned: readonly ChainCall[] } {
  const planned: ChainCall[] = [];
  /** placeholder → the reference's value it stands for. */
  const values = new Map<unknown, unknown>();
  let planning = true;
  const callSync = <O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): CallResult<O> => {
    const given = args as Record<string, unknown>;
    const wire: Record<string, unknown> = {};
    const mine: Record<string, unknown> = {};
    for (const k in given) {
      const v = given[k];
      const ref = refOf(v);
      wire[k] = ref ?? v;
      mine[k] = ref !== undefined ? values.get(v) : translateArg(k, v);
    }
    const r = refSync(thread, op, mine as ArgsOf<O>);
    // As plan(): it ends before a call the reference did not answer with a code.
    if (!planning || r.kind !== 'returned') {
      planning = false;
      return r;
    }
    const i = planned.length;
    planned.push({ thread, op, args: wire, expect: r.err });
    if (r.err < 0 || r.out === undefined) return r;
    // predicted(r, i), noting what each placeholder stands for.
    const real = r.out as Record<string, unknown>;
    const out: Record<string, unknown> = { ...real };
    for (const k in real) {
      const v = real[k];
      const p = typeof v === 'string' && (k === 'instance' || k === 'sesid' || k === 'tableid') ? handlePlaceholder(i, k) : typeof v === 'number' && k === 'dbid' ? numberBase - i : undefined;
      if (p === undefined) continue;
      out[k] = p;
      values.set(p, v);
    }
    return { ...r, out } as CallResult<O>;
  };
  return { side: { call: (thread, op, args) => Promise.resolve(callSync(thread, op, args)), callSync, handle: (h) => h, number: (_k, n) => n }, planned };
}

/** The chain's results ran out before the probes did: they go on live (chainedSide). */
class ChainExhausted extends Error {}

/**
 * The implementation's half of a whole-state check planned by planningSide(): the plan goes as one
 * chain, the probes run at once on its answers (no promise per call), and only if they ask for more
 * calls than the chain made (it stopped short, or the plan ended early) they run again through
 * chainedSide(), served from the same answers and live after. The implementation makes the calls
 * the probes make one by one, each once.
 */
export async function observePlanned(
  impl: Implementation & Required<Pick<Implementation, 'callChain'>>,
  reg: Registry,
  options: ObserveOptions,
  planned: readonly ChainCall[],
): Promise<Observation> {
  const results = planned.length === 0 ? [] : await impl.callChain(planned);
  let next = 0;
  const take = <O extends OperationName>(thread: string, op: O): CallResult<O> => {
    if (next >= results.length) throw new ChainExhausted();
    const p = planned[next];
    if (p.op !== op || p.thread !== thread) {
      throw new SuiteError(`whole-state probes: the chain made ${p.op} on ${p.thread} as call ${next}, where the probes ask for ${op} on ${thread}`);
    }
    return results[next++];
  };
  const served: Side = {
    call: (thread, op) => Promise.resolve(take(thread, op)),
    callSync: (thread, op) => take(thread, op),
    handle: (h) => h,
    number: (_k, n) => n,
  };
  // The observer sessions owed change only with an observation that completes here (or fails as it would live).
  const debt = new Map(options.debt);
  try {
    const observation = await observe(served, reg, { ...options, debt });
    copyInto(options.debt, debt);
    return observation;
  } catch (e) {
    if (!(e instanceof ChainExhausted)) {
      copyInto(options.debt, debt);
      throw e;
    }
  }
  return observe(chainedSide(impl, planned, results), reg, options);
}

function copyInto<K, V>(to: Map<K, V>, from: ReadonlyMap<K, V>): void {
  to.clear();
  for (const [k, v] of from) to.set(k, v);
}

/** Observes the implementation through a chain predicted from the reference's results of the same probes. */
export async function observeChained(
  impl: Implementation & Required<Pick<Implementation, 'callChain'>>,
  reg: Registry,
  options: ObserveOptions,
  reference: readonly CallResult[],
): Promise<Observation> {
  return observe(chainedSide(impl, plan(reg, options, reference)), reg, options);
}

/** Out-values that are values the implementation issues (a handle, a dbid or a column id): placeholders in a plan. */
const issuedOuts = new Set(['instance', 'sesid', 'tableid', 'dbid', 'columnid']);

class EndOfPlan extends Error {}

/**
 * A program's calls planned on the predictor (harness/predict.ts): each answered by it, issued values
 * as placeholders standing for references to the call that issues them, every other out-value sent
 * as `expectOut` so that the chain ends at the first answer the program could tell apart from the
 * prediction. The plan ends before a call the predictor cannot answer at once (a term), before a
 * call given a value the chain cannot name (a column id from a list), and after a fault.
 */
class Plan implements Speculation {
  readonly calls: ChainCall[] = [];
  readonly predicted: CallResult[] = [];
  /** placeholder → the predictor's value it stands for there, and the reference the chain names it by. */
  private readonly values = new Map<unknown, { readonly value: unknown; readonly ref: OutRef }>();
  private ended = false;

  constructor(private readonly predictor: Predictor) {}

  /**
   * Queued setup calls (harness/setup-chain.ts) at the head of the plan, each answered by the
   * predictor, expecting the code the shadow reference gave it (as the setup chain would send it);
   * the values their answers issue are known by the setup chain's placeholders. False (the plan
   * unusable, the predictor given calls the implementation may never be) when the predictor answers
   * one otherwise than the shadow did or does not issue what the shadow issued.
   */
  carry(carried: readonly CarriedCall[]): boolean {
    for (const c of carried) {
      const mine: Record<string, unknown> = {};
      const wire: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(c.args)) {
        const placed = (typeof v === 'string' || typeof v === 'number') && this.values.get(v);
        mine[k] = placed ? placed.value : this.predictor.translate(k, v);
        wire[k] = placed ? placed.ref : v;
      }
      const r = this.predictor.answer(c.thread, c.op, mine);
      if (r?.kind !== 'returned' || r.err !== c.expect) return false;
      const i = this.calls.length;
      const out = (r.out ?? {}) as Record<string, unknown>;
      for (const [p, k] of c.issued) {
        if (out[k] === undefined || this.values.has(p)) return false;
        this.values.set(p, { value: out[k], ref: { ref: i, out: k } });
      }
      this.calls.push({ thread: c.thread, op: c.op, args: wire, expect: c.expect });
      this.predicted.push(r);
    }
    return true;
  }

  answer(thread: string, op: OperationName, args: object): { result: CallResult; traced: boolean } {
    if (this.ended) throw new EndOfPlan();
    const mine: Record<string, unknown> = {};
    const wire: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(args)) {
      const placed = (typeof v === 'string' || typeof v === 'number') && this.values.get(v);
      if (placed) {
        mine[k] = placed.value;
        wire[k] = placed.ref;
      } else {
        mine[k] = this.predictor.translate(k, v);
        wire[k] = v;
      }
    }
    const r = this.predictor.answer(thread, op, mine);
    if (r?.kind !== 'returned') {
      this.ended = true;
      throw new EndOfPlan();
    }
    const i = this.calls.length;
    const seen: Record<string, unknown> = {};
    const expectOut: Record<string, unknown> = {};
    for (const [k, v] of Object.entries((r.out ?? {}) as Record<string, unknown>)) {
      if (issuedOuts.has(k) && (typeof v === 'string' || typeof v === 'number')) {
        const p = typeof v === 'string' ? handlePlaceholder(i, k) : numberBase - i;
        // A dbid and a column id of one call would share a number placeholder: not planned past it.
        if (this.values.has(p)) this.ended = true;
        this.values.set(p, { value: v, ref: { ref: i, out: k } });
        seen[k] = p;
      } else {
        // A list of column ids cannot be named by a reference: the program may pass them on.
        if (k === 'columnids') this.ended = true;
        seen[k] = v;
        expectOut[k] = v;
      }
    }
    this.calls.push({ thread, op, args: wire, expect: r.err, ...(Object.keys(expectOut).length > 0 ? { expectOut } : {}) });
    this.predicted.push(r);
    return { result: r.err >= 0 ? { ...r, out: seen } : r, traced: false };
  }
}

/** The implementation's answers to a plan, served to the program's calls in order; afterwards the calls are made live. */
class Served implements Speculation {
  constructor(
    private readonly ctx: ScenarioContext,
    private readonly plan: Plan,
    private readonly results: readonly CallResult[],
    /** The plan's first call of the program (the calls before are setup calls it carried). */
    public next = 0,
  ) {}

  answer(thread: string, op: OperationName, args: object): { result: CallResult; traced: boolean } | undefined {
    if (this.next >= this.results.length) return undefined;
    const p = this.plan.calls[this.next];
    if (p.op !== op || p.thread !== thread) {
      throw new SuiteError(`speculated probes: the chain made ${p.op} on ${p.thread} as call ${this.next}, where the program asks for ${op} on ${thread}`);
    }
    const r = this.results[this.next++];
    // The shadow reference is given the call now, in the calls' order, and compares as a live call.
    const ref = this.ctx.mirror.refNow(thread, op, args as ArgsOf<typeof op>);
    if (ref === undefined) throw new SuiteError(`speculated probes: the shadow reference cannot answer ${op} at once`);
    this.ctx.mirror.settle(op, r, ref);
    return { result: r, traced: true };
  }

  /** Calls the implementation made that the program did not ask for (it is not deterministic): traced, then a suite error. */
  leftOver(): void {
    if (this.next >= this.results.length) return;
    for (let i = this.next; i < this.results.length; i++) {
      const c = this.plan.calls[i];
      this.ctx.traced.recordChained(c.thread, c.op, c.args, this.results[i]);
    }
    throw new SuiteError(`speculated probes: the program made ${this.next} of the ${this.results.length} calls its plan made`);
  }
}

/** While a call is held or a term waits, calls may wait or interleave: nothing is planned then (nor inside a plan). */
function mayPlan(ctx: ScenarioContext): boolean {
  return ctx.traced.speculation === undefined && ctx.holds.size === 0 && ![...ctx.pending.values()].some((c) => c.settled === undefined);
}

/** The program run once on the plan (no call reaches the implementation): the plan ends where the program stopped. */
async function planOn(ctx: ScenarioContext, plan: Plan, body: () => Promise<unknown>): Promise<void> {
  ctx.traced.speculation = plan;
  try {
    await body();
  } catch {
    // A failure it would report, or the end of the plan: the plan is what was asked until then.
  } finally {
    ctx.traced.speculation = undefined;
  }
}

/** The program run again on the implementation's answers to the plan, live after them. */
async function servedTo<T>(ctx: ScenarioContext, served: Served, body: () => Promise<T>): Promise<T> {
  ctx.traced.speculation = served;
  let value: T;
  try {
    value = await body();
  } finally {
    ctx.traced.speculation = undefined;
  }
  served.leftOver();
  return value;
}

/**
 * Runs a program of calls (a probe: its calls go through ctx.call, it changes nothing but what the
 * calls change, and its path depends only on the answers and on what it reads of the scenario) in
 * as few round trips as the predictor allows: planned on the predictor, sent as one chain whose
 * calls each expect the predicted answer, then run again on the implementation's answers, live from
 * where the chain stopped. The implementation receives exactly the calls the program makes one by
 * one, on the same threads, in the same order; the trace and the shadow reference likewise. Without
 * a live predictor (in-process, a v1 or 1.1 implementation without chain and expect-out, a held
 * call, an earlier prediction the implementation did not follow) the program simply runs.
 */
export async function speculated<T>(ctx: ScenarioContext, body: () => Promise<T>): Promise<T> {
  const impl = ctx.mirror.impl;
  if (!(impl instanceof PredictedImplementation) || !impl.chainExpectsOut) return body();
  if (!mayPlan(ctx)) return body();
  // The predictor follows lazily: it is given what the implementation was given since, then planned on.
  impl.predictor.catchUp();
  if (!impl.predictor.alive) return body();
  const plan = new Plan(impl.predictor);
  await planOn(ctx, plan, body);
  if (plan.calls.length === 0) return body();
  const first = plan.calls[0];
  const results = await ctx.traced.chain({ thread: first.thread, op: first.op, args: first.args }, () => impl.callPlanned(plan.calls, plan.predicted));
  if (results.length === 0 || results.length > plan.calls.length) {
    throw new FaultError({ kind: 'protocol-error', reason: `a chain of ${plan.calls.length} probe calls came back with ${results.length} results` }, first.op);
  }
  const served = new Served(ctx, plan, results);
  return servedTo(ctx, served, body);
}

/**
 * speculated(), carrying what the scenario's setup chain has queued at the head of the program's
 * chain (one round trip where the queue's chain and the program's took two): a fixture's scan for a
 * key after its setup calls (harness/fixtures.ts, seek). The queued calls are planned on the
 * predictor with the codes the shadow reference gave them, and settled from the chain's answers as
 * the setup chain settles its own (the same calls traced, compared, the first failure thrown); the
 * program then runs on the rest of the answers and live from where the chain stopped. The program
 * must read the handles and column ids it uses inside itself: in its first run they are the setup
 * chain's placeholders, after the chain the implementation's values. Where nothing may be carried
 * (no live predictor, a held call, one thread only and two named) the queue goes first, as before.
 */
export async function speculatedAfterSetup<T>(ctx: ScenarioContext, chain: SetupChain, body: () => Promise<T>): Promise<T> {
  const impl = ctx.mirror.impl;
  const carried = chain.carried();
  const plain = async (): Promise<T> => {
    await chain.flush();
    return speculated(ctx, body);
  };
  if (carried.length === 0 || !(impl instanceof PredictedImplementation) || !impl.chainExpectsOut) return plain();
  if (!mayPlan(ctx)) return plain();
  impl.predictor.catchUp();
  if (!impl.predictor.alive) return plain();
  const plan = new Plan(impl.predictor);
  // The predictor is given the carried calls now: a plan not sent leaves it ahead of the implementation (dead).
  const unsent = async (): Promise<T> => {
    impl.predictor.kill();
    return plain();
  };
  if (!plan.carry(carried)) return unsent();
  const start = plan.calls.length;
  await planOn(ctx, plan, body);
  if (chain.singleThread && plan.calls.some((c) => c.thread !== plan.calls[0].thread)) return unsent();
  const first = carried[0];
  const results = await ctx.traced.chain({ thread: first.thread, op: first.op, args: first.args }, () => impl.callPlanned(plan.calls, plan.predicted));
  if (results.length > plan.calls.length) {
    throw new FaultError({ kind: 'protocol-error', reason: `a chain of ${plan.calls.length} setup and probe calls came back with ${results.length} results` }, first.op);
  }
  await chain.settleCarried(results.slice(0, start));
  const served = new Served(ctx, plan, results, start);
  return servedTo(ctx, served, body);
}
