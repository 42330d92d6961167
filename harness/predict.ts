/**
 * A predictor for an implementation behind a process: a reference engine of its own that is given
 * every call the implementation is given, in the same order, and is believed only while it answered
 * every one of them as the implementation did (same code, same out-values; handles, dbids and column
 * ids paired as the mirror pairs them). While it holds, its answer to the next call is the
 * implementation's answer as far as a program of calls can tell, so whole probe programs can be
 * planned on it and sent as one chain (harness/speculate.ts, speculated()). Once it answered
 * otherwise, or was given a call the implementation was not (a plan the chain stopped short of), or
 * anything it cannot follow happened (a held call), it is dead until the next reset: nothing is
 * planned on it any more. It only ever predicts: every prediction is checked by the chain's expect
 * and expectOut, so a wrong prediction costs round trips, never a verdict.
 *
 * It follows lazily: the calls and answers it is to follow are queued, in the order the calls were
 * made, and given to its engine only when something needs its state (a plan, a hold, a release, a
 * forced state, an injected fault, a term); a reset drops what is queued. Most calls of a scenario
 * come after its last speculated program (the whole-state probes after the last step), and those
 * are never followed at all.
 */
import type {
  AdapterStatus,
  CallResult,
  ChainCall,
  HoldResult,
  Implementation,
} from '../adapters/types';
import type { ApiCall, ArgsOf, FaultSpec, ForcedInstanceState, HandleArg, OperationName } from '../api';
import { createReferenceImplementation, synchronousCall } from '../adapters/reference';

const handleKeys = new Set(['sesid', 'tableid', 'instance']);
const numberKeys = new Set(['dbid', 'columnid']);

type Sync = NonNullable<ReturnType<typeof synchronousCall>>;

/** What the predictor is still to follow: a call (its answer once it returned), or a chain with its answers. */
type Queued =
  | { readonly kind: 'call'; readonly thread: string; readonly op: OperationName; readonly args: object; result: CallResult | null | undefined }
  | { readonly kind: 'chain'; readonly calls: readonly ChainCall[]; readonly results: readonly CallResult[] };
type Chaining = Implementation & Required<Pick<Implementation, 'callChain'>>;

export class Predictor {
  private readonly engine: Implementation;
  private readonly sync: Sync;
  /** Implementation value → the predictor's (handles, and dbid/columnid numbers by kind). */
  private readonly handles = new Map<string, string>();
  /** The predictor's handles already paired (the values of `handles`), so that a pairing costs no scan. */
  private readonly pairedHandles = new Set<string>();
  private readonly numbers = new Map<string, number>();
  private dead = false;
  /** Calls made on the implementation and not followed yet, in the order they were made; a result still to come is undefined. */
  private readonly queue: Queued[] = [];

  constructor(target: Implementation['info']['target']) {
    this.engine = createReferenceImplementation({ target });
    const sync = synchronousCall(this.engine);
    if (sync === undefined) throw new Error('predictor: the reference engine has no synchronous entry');
    this.sync = sync;
  }

  get alive(): boolean {
    return !this.dead;
  }

  kill(): void {
    this.dead = true;
  }

  async reset(): Promise<void> {
    this.queue.length = 0;
    this.handles.clear();
    this.pairedHandles.clear();
    this.numbers.clear();
    this.holds.clear();
    this.holding = undefined;
    const r = await this.engine.reset();
    this.dead = r.kind !== 'ok';
  }

  /** An implementation-side argument value in the predictor's terms (an unpaired handle: never issued). */
  translate(key: string, v: unknown): unknown {
    if (handleKeys.has(key) && typeof v === 'string') return this.handles.get(v) ?? { forged: 'never-issued' };
    if (numberKeys.has(key) && typeof v === 'number') return this.numbers.get(`${key}:${v}`) ?? v;
    return v;
  }

  translateArgs(args: object): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(args)) out[k] = this.translate(k, v);
    return out;
  }

  /**
   * The predictor's answer to a call, its arguments already in the predictor's terms; undefined (and
   * nothing made) when it is dead or the call may wait (a term).
   */
  answer(thread: string, op: OperationName, args: Record<string, unknown>): CallResult | undefined {
    if (this.dead || op === 'JetTerm' || op === 'JetTerm2') return undefined;
    try {
      return this.sync(thread, op, args as ArgsOf<typeof op>);
    } catch {
      this.kill();
      return undefined;
    }
  }

  /** A term (it may wait): answered through the engine's promise; none is held while the predictor holds. */
  async answerLater(thread: string, op: OperationName, args: Record<string, unknown>): Promise<CallResult | undefined> {
    this.catchUp();
    if (this.dead) return undefined;
    return this.engine.call(thread, op, args as ArgsOf<typeof op>);
  }

  close(): Promise<void> {
    return this.engine.close();
  }

  /**
   * A call made on the implementation, to be followed when the predictor's state is next needed; its
   * answer given by the returned function (null: the call was not made after all).
   */
  defer(thread: string, op: OperationName, args: object): (impl: CallResult | null) => void {
    if (this.dead) return () => undefined;
    const item: Queued = { kind: 'call', thread, op, args, result: undefined };
    this.queue.push(item);
    return (r) => {
      item.result = r;
    };
  }

  /** A chain made on the implementation (not a planned one), to be followed likewise. */
  deferChain(calls: readonly ChainCall[], results: readonly CallResult[]): void {
    if (!this.dead) this.queue.push({ kind: 'chain', calls, results });
  }

  /**
   * Follows what is queued, in order: the predictor's state is then the implementation's (or it is
   * dead). A queued call whose answer has not come (made concurrently with what needs the state
   * now) cannot be followed in order: the predictor is dead.
   */
  catchUp(): void {
    if (this.queue.length === 0) return;
    const items = this.queue.splice(0);
    for (const item of items) {
      if (this.dead) return;
      if (item.kind === 'chain') this.followChain(item.calls, item.results);
      else if (item.result === undefined) this.kill();
      else if (item.result !== null) this.follow(item.thread, item.op, item.args, item.result);
    }
  }

  /** Implementation hold token → the predictor's. */
  private readonly holds = new Map<string, string>();
  private holding: string | undefined;

  async hold(thread: string, call: ApiCall): Promise<HoldResult | undefined> {
    this.catchUp();
    if (this.dead || this.engine.hold === undefined) return undefined;
    const r = await this.engine.hold(thread, { op: call.op, args: this.translateArgs(call.args) } as ApiCall);
    if (r.kind === 'held') this.holding = r.hold;
    return r;
  }

  /** The implementation's answer to a hold against the predictor's: both held (tokens paired) or both answered alike. */
  confirmHold(impl: HoldResult, predicted: HoldResult | undefined): void {
    const mine = this.holding;
    this.holding = undefined;
    if (this.dead) return;
    if (impl.kind === 'held' && predicted?.kind === 'held' && mine !== undefined) this.holds.set(impl.hold, mine);
    else if (impl.kind === 'held' || predicted === undefined || predicted.kind === 'held') this.kill();
    else this.confirm(impl, predicted);
  }

  async release(hold: string): Promise<CallResult | undefined> {
    this.catchUp();
    const mine = this.holds.get(hold);
    this.holds.delete(hold);
    if (this.dead || mine === undefined || this.engine.release === undefined) {
      this.kill();
      return undefined;
    }
    return this.engine.release(mine);
  }

  /** Whether a call of the predictor's is held: a term would wait in it. */
  get held(): boolean {
    return this.holds.size > 0;
  }

  async force(instance: HandleArg, state: ForcedInstanceState): Promise<AdapterStatus | undefined> {
    this.catchUp();
    if (this.dead || this.engine.forceInstanceState === undefined) return undefined;
    return this.engine.forceInstanceState(typeof instance === 'string' ? (this.translate('instance', instance) as HandleArg) : instance, state);
  }

  async inject(fault: FaultSpec): Promise<AdapterStatus | undefined> {
    this.catchUp();
    if (this.dead || this.engine.injectFault === undefined) return undefined;
    return this.engine.injectFault(fault);
  }

  /**
   * Checks the implementation's answer against the predictor's to the same call and pairs their
   * issued values; a difference kills the predictor.
   */
  confirm(impl: CallResult, predicted: CallResult | undefined): void {
    if (this.dead) return;
    if (predicted === undefined || !this.agree(impl, predicted)) this.kill();
  }

  private agree(a: CallResult, b: CallResult): boolean {
    if (a.kind !== b.kind) return false;
    if (a.kind !== 'returned' || b.kind !== 'returned') return a.kind === 'returned';
    if (a.err !== b.err) return false;
    const x = (a.out ?? {}) as Record<string, unknown>;
    const y = (b.out ?? {}) as Record<string, unknown>;
    // Every key of either side, each once (a key on one side only compares with undefined).
    for (const k in x) if (!this.agreeValue(k, x[k], y[k])) return false;
    for (const k in y) if (!(k in x) && !this.agreeValue(k, undefined, y[k])) return false;
    return true;
  }

  private agreeValue(k: string, v: unknown, w: unknown): boolean {
    if (handleKeys.has(k) && typeof v === 'string' && typeof w === 'string') return this.pairHandle(v, w);
    if (numberKeys.has(k) && typeof v === 'number' && typeof w === 'number') return this.pairNumber(k, v, w);
    if (k === 'columnids' && Array.isArray(v) && Array.isArray(w)) {
      return v.length === w.length && v.every((c, i) => typeof c === 'number' && typeof w[i] === 'number' && this.pairNumber('columnid', c, w[i]));
    }
    return v === w || JSON.stringify(v) === JSON.stringify(w);
  }

  /** One implementation value for one predictor value, both ways (a reused handle on one side only is a difference). */
  private pairHandle(v: string, w: string): boolean {
    const known = this.handles.get(v);
    if (known !== undefined) return known === w;
    if (this.pairedHandles.has(w)) return false;
    this.handles.set(v, w);
    this.pairedHandles.add(w);
    return true;
  }

  private pairNumber(kind: string, v: number, w: number): boolean {
    const key = `${kind}:${v}`;
    const known = this.numbers.get(key);
    if (known !== undefined) return known === w;
    this.numbers.set(key, w);
    return true;
  }

  /** A call the implementation was given outside a plan: the predictor is given it too, and checked. */
  follow(thread: string, op: OperationName, args: object, impl: CallResult): void {
    if (this.dead) return;
    this.confirm(impl, this.answer(thread, op, this.translateArgs(args)));
  }

  /** The calls of a chain the implementation made (not a planned one), each followed in order. */
  followChain(calls: readonly ChainCall[], results: readonly CallResult[]): void {
    const made: Record<string, unknown>[] = [];
    for (const [i, r] of results.entries()) {
      if (this.dead) return;
      const c = calls[i];
      const args: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(c.args)) {
        if (typeof v === 'object' && v !== null && 'ref' in v && 'out' in v) {
          const ref = v as { ref: number; out: string };
          args[k] = made[ref.ref]?.[ref.out];
        } else args[k] = this.translate(k, v);
      }
      const predicted = this.answer(c.thread, c.op, args);
      made.push(predicted?.kind === 'returned' ? (predicted.out ?? {}) : {});
      this.confirm(r, predicted);
    }
  }
}

/**
 * The implementation as the scenario's mirror uses it, with the predictor given every call it is
 * given. Only for an implementation that chains and does not answer at once (a process).
 */
export class PredictedImplementation implements Implementation {
  readonly predictor: Predictor;
  readonly callChain: (calls: readonly ChainCall[]) => Promise<CallResult[]>;
  readonly chainExpectsOut: boolean;
  readonly callBatch?: (thread: string, calls: readonly ApiCall[], stopOnError: boolean) => Promise<CallResult[]>;
  readonly sync?: () => Promise<AdapterStatus>;
  readonly hold?: (thread: string, call: ApiCall) => Promise<HoldResult>;
  readonly release?: (hold: string) => Promise<CallResult>;
  readonly forceInstanceState?: (instance: HandleArg, state: ForcedInstanceState) => Promise<AdapterStatus>;
  readonly injectFault?: (fault: FaultSpec) => Promise<AdapterStatus>;
  readonly callTimeoutMs?: number;

  constructor(readonly inner: Chaining) {
    this.predictor = new Predictor(inner.info.target);
    const p = this.predictor;
    this.chainExpectsOut = inner.chainExpectsOut === true;
    if (inner.callTimeoutMs !== undefined) this.callTimeoutMs = inner.callTimeoutMs;
    // A then, not an async function: one promise fewer per chain (each costs the more under cucumber's AsyncLocalStorage).
    this.callChain = (calls) =>
      inner.callChain(calls).then((results) => {
        p.deferChain(calls, results);
        return results;
      });
    const batch = inner.callBatch?.bind(inner);
    if (batch !== undefined) {
      this.callBatch = async (thread, calls, stopOnError) => {
        const answers = calls.map((c) => p.defer(thread, c.op, c.args));
        const results = await batch(thread, calls, stopOnError);
        // Calls the batch did not make (it ended early) are not followed.
        answers.forEach((answer, i) => answer(i < results.length ? results[i] : null));
        return results;
      };
    }
    if (inner.sync !== undefined) this.sync = inner.sync.bind(inner);
    // A held call and its release are given to the predictor too (its hold paired with the implementation's).
    const hold = inner.hold?.bind(inner);
    if (hold !== undefined) {
      this.hold = async (thread, call) => {
        const predicted = await p.hold(thread, call);
        const r = await hold(thread, call);
        p.confirmHold(r, predicted);
        return r;
      };
    }
    const release = inner.release?.bind(inner);
    if (release !== undefined) {
      this.release = async (h) => {
        const predicted = await p.release(h);
        const r = await release(h);
        p.confirm(r, predicted);
        return r;
      };
    }
    // A forced state and an injected fault are given to the predictor too: both answer `ok` alike, or it is dead.
    const force = inner.forceInstanceState?.bind(inner);
    if (force !== undefined) {
      this.forceInstanceState = async (instance, state) => {
        const predicted = await p.force(instance, state);
        const r = await force(instance, state);
        if (predicted?.kind !== r.kind) p.kill();
        return r;
      };
    }
    const inject = inner.injectFault?.bind(inner);
    if (inject !== undefined) {
      this.injectFault = async (fault) => {
        const predicted = await p.inject(fault);
        const r = await inject(fault);
        if (predicted?.kind !== r.kind) p.kill();
        return r;
      };
    }
  }

  get info() {
    return this.inner.info;
  }

  async reset(): Promise<AdapterStatus> {
    await this.predictor.reset();
    return this.inner.reset();
  }

  async call<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<CallResult<O>> {
    // Given to the predictor before the answer: a call that waits (a term) is not followed.
    const p = this.predictor;
    if (op === 'JetTerm' || op === 'JetTerm2') return this.term(thread, op, args);
    // Queued when made (the predictor follows calls in the order they were made), answered when it returns.
    const answered = p.defer(thread, op, args);
    const r = await this.inner.call(thread, op, args);
    answered(r);
    return r;
  }

  /**
   * A term may wait for held calls (in both, until the release): the predictor's answer is taken when
   * the implementation's comes, as the mirror takes the reference's; one still waiting then is a difference.
   */
  private async term<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<CallResult<O>> {
    const p = this.predictor;
    let predicted: CallResult | undefined;
    let settled = !p.alive;
    if (p.alive) {
      void p.answerLater(thread, op, p.translateArgs(args)).then((r) => {
        predicted = r;
        settled = true;
      });
    }
    const r = await this.inner.call(thread, op, args);
    if (!settled) await new Promise((resolve) => setImmediate(resolve));
    if (!settled) p.kill();
    else p.confirm(r, predicted);
    return r;
  }

  /**
   * A chain planned on the predictor (harness/speculate.ts), which was given its calls already:
   * sent as it is, each answer checked against the predictor's. A chain that stopped short leaves
   * the predictor ahead of the implementation: dead.
   */
  async callPlanned(calls: readonly ChainCall[], predicted: readonly CallResult[]): Promise<CallResult[]> {
    const results = await this.inner.callChain(calls);
    const p = this.predictor;
    // The plan was made on the predictor's state after everything queued (speculated() caught it up).
    p.catchUp();
    for (const [i, r] of results.entries()) p.confirm(r, predicted[i]);
    if (results.length < calls.length) p.kill();
    return results;
  }

  stderrTail(): string | undefined {
    return this.inner.stderrTail?.();
  }

  /** The predictor's engine only: the implementation is the run's, lent to the scenario. */
  close(): Promise<void> {
    return this.predictor.close();
  }
}
