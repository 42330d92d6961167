/**
 * The shadow run: every interaction the scenario has with the implementation is replayed, in the
 * same order, on a fresh in-process reference engine, so that the whole-state checks can compare
 * the implementation's observable state with the one ESENT's model reaches from the same calls.
 *
 * Handles, dbids and column ids are the implementation's own choice: the mirror pairs the
 * implementation's value with the reference's at the call that issued them, and translates every
 * later argument. The reference serves as oracle of states only; no code table of it is read here.
 */
import type {
  AdapterStatus,
  CallResult,
  HoldResult,
  Implementation,
} from '../adapters/types';
import type {
  ApiCall,
  ArgsOf,
  FaultSpec,
  ForcedInstanceState,
  HandleArg,
  OperationName,
} from '../api';
import { synchronousCall } from '../adapters/reference';
import { judge } from './judge';
import { PredictedImplementation } from './predict';

/** Argument and out-value names that hold handles, and those that hold small implementation-chosen numbers. */
const handleKeys = new Set(['sesid', 'tableid', 'instance']);
const numberKeys = new Set(['dbid', 'columnid']);

type Sync = NonNullable<ReturnType<typeof synchronousCall>>;

/** The first call where the implementation and the reference answered differently. */
export interface Divergence {
  readonly index: number;
  readonly op: string;
  readonly implementation: string;
  readonly reference: string;
}

function describe(r: HoldResult | AdapterStatus): string {
  if (r.kind === 'returned') return String(r.err);
  if (r.kind === 'held') return 'held';
  return r.kind;
}

export class MirroredImplementation implements Implementation {
  /** Implementation handle → reference handle; dbid and columnid numbers likewise. */
  private readonly handles = new Map<string, string>();
  private readonly numbers = new Map<string, number>();
  private readonly holdIds = new Map<string, string>();
  private calls = 0;
  /** Every call where the two answered differently, in order. */
  readonly divergences: Divergence[] = [];
  /** The reference's answer to the last call (undefined while it waits). */
  lastRef: CallResult | undefined;

  /** Both sides' synchronous entries, when both are in-process reference engines (or mutants of one). */
  private readonly bothSync: readonly [Sync, Sync] | undefined;
  /** The reference's synchronous entry when only the reference answers at once (an implementation behind a process). */
  private readonly refOnlySync: Sync | undefined;

  /** The implementation; one behind a process that chains is given with a predictor (harness/predict.ts). */
  readonly impl: Implementation;

  constructor(
    impl: Implementation,
    readonly ref: Implementation,
  ) {
    const implSync = synchronousCall(impl);
    // Only where speculated programs can use it (chain with expect-out): following every call costs this process's time.
    const predicts = implSync === undefined && impl.callChain !== undefined && impl.chainExpectsOut === true && judge().synchronousCall(ref) !== undefined;
    this.impl = predicts ? new PredictedImplementation(impl as ConstructorParameters<typeof PredictedImplementation>[0]) : impl;
    const refSync = judge().synchronousCall(ref);
    this.bothSync = implSync !== undefined && refSync !== undefined ? [implSync, refSync] : undefined;
    this.refOnlySync = implSync === undefined ? refSync : undefined;
  }

  get info() {
    return this.impl.info;
  }

  /** The reference's counterpart of an implementation handle (a never-issued handle when unpaired). */
  handle(arg: HandleArg): HandleArg {
    if (typeof arg !== 'string') return arg;
    return this.handles.get(arg) ?? { forged: 'never-issued' };
  }

  number(key: 'dbid' | 'columnid', n: number): number {
    return this.numbers.get(`${key}:${n}`) ?? n;
  }

  translate<A extends object>(args: A): A {
    const out: Record<string, unknown> = {};
    // Every scenario call passes here: a plain loop, no array of entries per call (the arguments are plain objects).
    const given = args as Record<string, unknown>;
    for (const k of Object.keys(given)) out[k] = this.translateArg(k, given[k]);
    return out as A;
  }

  /** One argument value in the reference's terms, as translate() gives it. */
  translateArg(k: string, v: unknown): unknown {
    if (handleKeys.has(k) && v !== null && v !== undefined) return this.handle(v as HandleArg);
    if (numberKeys.has(k) && typeof v === 'number') return this.number(k as 'dbid' | 'columnid', v);
    return v;
  }

  /** Pairs the out-values of one call. */
  private pair(impl: CallResult, ref: CallResult): void {
    if (impl.kind !== 'returned' || ref.kind !== 'returned' || impl.out === undefined || ref.out === undefined) return;
    const a = impl.out as Record<string, unknown>;
    const b = ref.out as Record<string, unknown>;
    for (const k of Object.keys(a)) {
      const v = a[k];
      const w = b[k];
      if (handleKeys.has(k) && typeof v === 'string' && typeof w === 'string') this.handles.set(v, w);
      else if (numberKeys.has(k) && typeof v === 'number' && typeof w === 'number') this.numbers.set(`${k}:${v}`, w);
      else if (k === 'columnids' && Array.isArray(v) && Array.isArray(w)) v.forEach((x, i) => typeof x === 'number' && typeof w[i] === 'number' && this.numbers.set(`columnid:${x}`, w[i]));
    }
  }

  private compare(op: string, impl: HoldResult | AdapterStatus, ref: HoldResult | AdapterStatus): void {
    const index = ++this.calls;
    // The common case, without describing either side: both returned the same code.
    if (impl.kind === 'returned' && ref.kind === 'returned' && impl.err === ref.err) return;
    const a = describe(impl);
    const b = describe(ref);
    if (a !== b) this.divergences.push({ index, op, implementation: a, reference: b });
  }

  async reset(): Promise<AdapterStatus> {
    this.handles.clear();
    this.numbers.clear();
    this.holdIds.clear();
    this.divergences.length = 0;
    await this.ref.reset();
    return this.impl.reset();
  }

  async call<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<CallResult<O>> {
    // Issued first, so that a reference call that waits (JetTerm2) is in the reference's order.
    const refPromise = this.ref.call(thread, op, this.translate(args));
    let refResult: CallResult | undefined;
    void refPromise.then((r) => {
      refResult = r;
    });
    const result = await this.impl.call(thread, op, args);
    // The reference answers at once unless it waits (JetTerm2): one turn of the event loop tells which.
    if (refResult === undefined) await new Promise((resolve) => setImmediate(resolve));
    this.lastRef = refResult;
    if (refResult !== undefined) {
      this.compare(op, result, refResult);
      this.pair(result, refResult);
    } else {
      // The reference still waits (or the implementation answered where it waits): pair when it answers.
      if (result.kind === 'returned') this.divergences.push({ index: ++this.calls, op, implementation: String(result.err), reference: 'waiting' });
      void refPromise.then((r) => this.pair(result, r));
    }
    return result;
  }

  /**
   * call() without a promise, when both sides answer at once (in-process reference engines): the
   * same calls in the same order, compared and paired alike. Undefined when they may not: another
   * implementation, or a JetTerm that may wait for held calls (those go through call()).
   */
  callSync<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): CallResult<O> | undefined {
    if (this.bothSync === undefined || op === 'JetTerm' || op === 'JetTerm2') return undefined;
    const [implSync, refSync] = this.bothSync;
    const refResult = refSync(thread, op, this.translate(args));
    const result = implSync(thread, op, args);
    this.lastRef = refResult;
    this.compare(op, result, refResult);
    this.pair(result, refResult);
    return result;
  }

  /**
   * The reference's half of a call whose implementation half is made later, in a chain
   * (harness/setup-chain.ts): the reference answers now, in the calls' order. Undefined when the
   * reference cannot answer at once or the implementation can (in-process: callSync), or for a
   * JetTerm that may wait. `predicted` (the answer expected from the implementation, its issued
   * values as placeholders) is paired with the reference's, so later arguments translate.
   */
  refNow<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): CallResult<O> | undefined {
    if (this.refOnlySync === undefined || op === 'JetTerm' || op === 'JetTerm2') return undefined;
    return this.refOnlySync(thread, op, this.translate(args));
  }

  /** Whether refNow() answers: the reference answers at once and the implementation does not. */
  get refAnswersAlone(): boolean {
    return this.refOnlySync !== undefined;
  }

  /** Pairs the issued values of an answer predicted from the reference's (placeholders) with the reference's. */
  pairPredicted(predicted: CallResult, ref: CallResult): void {
    this.pair(predicted, ref);
  }

  /** The implementation's answer to a call whose reference half refNow() made: compared and paired as call() does. */
  settle(op: OperationName, result: CallResult, refResult: CallResult): void {
    this.lastRef = refResult;
    this.compare(op, result, refResult);
    this.pair(result, refResult);
  }

  async hold(thread: string, call: ApiCall): Promise<HoldResult> {
    if (!this.impl.hold) return { kind: 'unsupported', reason: 'the adapter has no hold()' };
    const ref = this.ref.hold ? await this.ref.hold(thread, { op: call.op, args: this.translate(call.args) } as ApiCall) : undefined;
    const result = await this.impl.hold(thread, call);
    if (ref !== undefined) this.compare(`hold ${call.op}`, result, ref);
    if (result.kind === 'held' && ref?.kind === 'held') this.holdIds.set(result.hold, ref.hold);
    return result;
  }

  async release(hold: string): Promise<CallResult> {
    if (!this.impl.release) return { kind: 'unsupported', reason: 'the adapter has no release()' };
    const refHold = this.holdIds.get(hold);
    this.holdIds.delete(hold);
    const ref = refHold !== undefined && this.ref.release ? await this.ref.release(refHold) : undefined;
    const result = await this.impl.release(hold);
    if (ref !== undefined) {
      this.compare('release', result, ref);
      this.pair(result, ref);
    }
    // Terms the reference completed at this release answer through their own pending promises.
    await new Promise((resolve) => setImmediate(resolve));
    return result;
  }

  async forceInstanceState(instance: HandleArg, state: ForcedInstanceState): Promise<AdapterStatus> {
    if (!this.impl.forceInstanceState) return { kind: 'unsupported', reason: 'the adapter has no forceInstanceState()' };
    if (this.ref.forceInstanceState) await this.ref.forceInstanceState(this.handle(instance), state);
    return this.impl.forceInstanceState(instance, state);
  }

  async injectFault(fault: FaultSpec): Promise<AdapterStatus> {
    if (!this.impl.injectFault) return { kind: 'unsupported', reason: 'the adapter has no injectFault()' };
    if (this.ref.injectFault) await this.ref.injectFault(fault);
    return this.impl.injectFault(fault);
  }

  stderrTail(): string | undefined {
    return this.impl.stderrTail?.();
  }

  async close(): Promise<void> {
    await this.ref.close();
  }
}
