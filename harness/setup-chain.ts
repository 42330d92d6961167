/**
 * A fixture's setup calls in one round trip (protocol 1.1 `chain`), for an implementation whose calls
 * cost a round trip each (a process) next to a shadow reference that answers at once.
 *
 * A setup call must succeed (warnings allowed), and the fixtures go on from it with nothing but the
 * handles, dbids and column ids it issued. So the shadow reference's answer tells what the fixture
 * does next: the call is queued, expecting the reference's code, and the fixture goes on with
 * placeholders for the values the implementation will issue. The queue goes as one chain when the
 * outermost fixture ends, or before any call whose answer the fixture needs (a live call, a setup
 * call with an out-value that is not an issued value, a reference that fails or cannot answer at
 * once). Then each call is traced and compared as a live call is, the placeholders become the
 * implementation's values (in the scenario's names, the shadow and the mirror's pairs), and the
 * first failure is thrown as ctx.setup throws it. The implementation receives exactly the calls it
 * received one by one: the chain stops at the first answer that is not the expected code; another
 * warning lets the rest go on (in a new chain), anything else ends the fixture there, as it did.
 */
import type { CallResult, ChainCall, Implementation, OutRef } from '../adapters/types';
import type { ArgsOf, OperationName, OutOf } from '../api';
import { describeErr } from './codes';
import type { ScenarioContext } from './context';
import { ConformanceFailure, FaultError, SuiteError } from './errors';
import type { Maybe } from './maybe';

/** Out-values that are values the implementation issues: predicted as placeholders. */
const handleOuts = new Set(['instance', 'sesid', 'tableid']);
const numberOuts = new Set(['dbid', 'columnid']);
const stringMark = '\u0001setup:';
/** Number placeholders lie far below any dbid or column id (small and non-negative). */
const numberBase = -(2 ** 40);

type Placeholder = string | number;

function isPlaceholder(v: unknown): v is Placeholder {
  return (typeof v === 'string' && v.startsWith(stringMark)) || (typeof v === 'number' && v <= numberBase);
}

interface Queued {
  readonly thread: string;
  readonly op: OperationName;
  /** As the fixture gave them: placeholders of calls queued before stand for their values. */
  readonly args: Readonly<Record<string, unknown>>;
  /** The shadow reference's answer, made when the call was queued. */
  readonly ref: CallResult;
  /** The placeholders this call's answer issues, and the out-value each stands for. */
  readonly issued: ReadonlyMap<Placeholder, string>;
  /** The implementation's answer, once the chain made the call. */
  result?: CallResult;
}

/** The code a chain expects of a queued call: the shadow reference's. */
function expectOf(item: Queued): number {
  return item.ref.kind === 'returned' ? item.ref.err : 0;
}

type Chaining = Implementation & Required<Pick<Implementation, 'callChain'>>;

/** A queued setup call as a speculated program's chain carries it (SetupChain.carried()). */
export interface CarriedCall {
  readonly thread: string;
  readonly op: OperationName;
  readonly args: Readonly<Record<string, unknown>>;
  readonly expect: number;
  readonly issued: ReadonlyMap<string | number, string>;
}

export class SetupChain {
  private readonly queue: Queued[] = [];
  /** placeholder → the queued call whose answer issues it. */
  private readonly issuer = new Map<Placeholder, Queued>();
  /** placeholder → the implementation's value, for the rest of the outermost fixture. */
  private readonly resolved = new Map<Placeholder, unknown>();
  private serial = 0;
  /** Fixtures running inside each other: the outermost one's end sends what is queued. */
  private depth = 0;
  private readonly oneThread: boolean;

  constructor(
    private readonly ctx: ScenarioContext,
    private readonly impl: Chaining,
  ) {
    // Without `threads` a chain stays on one thread, so a call on a second one is refused where it was.
    this.oneThread = !impl.info.capabilities.includes('threads');
  }

  /** Runs a fixture; when it is the outermost, what it queued is sent at its end (also when it throws). */
  async around<R>(body: () => Promise<R>): Promise<R> {
    this.depth++;
    let value: R;
    try {
      value = await body();
    } catch (e) {
      // A failure of a call made before the fixture's own error is the one the fixture met first.
      if (--this.depth === 0) await this.end();
      throw e;
    }
    if (--this.depth > 0) return value;
    await this.end(() => (value = this.resolveValue(value)));
    return value;
  }

  private async end(last?: () => void): Promise<void> {
    try {
      await this.flush();
      last?.();
    } finally {
      this.queue.length = 0;
      this.issuer.clear();
      this.resolved.clear();
    }
  }

  /**
   * ctx.setup, queued when the reference's answer tells the fixture's path: then its predicted
   * out-values at once, without a promise (a fixture's Flow goes on synchronously, harness/maybe.ts;
   * each promise costs the more under cucumber's AsyncLocalStorage); else a promise of the answer.
   */
  setup<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Maybe<Partial<OutOf<O>>> {
    if (this.ctx.holds.size > 0 || this.ctx.pending.size > 0) return this.setupLive(thread, op, args);
    if (this.oneThread && this.queue.length > 0 && this.queue[0].thread !== thread) return this.flush().then(() => this.queueOrCall(thread, op, args));
    return this.queueOrCall(thread, op, args);
  }

  private async setupLive<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<Partial<OutOf<O>>> {
    return this.ctx.setup(thread, op, await this.live(args));
  }

  private queueOrCall<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Maybe<Partial<OutOf<O>>> {
    const ref = this.ctx.mirror.refNow(thread, op, args);
    if (ref === undefined) return this.setupLive(thread, op, args);
    const issued = new Map<Placeholder, string>();
    const predicted: Record<string, unknown> = {};
    let predictable = ref.kind === 'returned' && ref.err >= 0;
    if (predictable && ref.kind === 'returned') {
      for (const [k, v] of Object.entries(ref.out ?? {})) {
        let p: Placeholder;
        if (handleOuts.has(k) && typeof v === 'string') p = `${stringMark}${++this.serial}`;
        else if (numberOuts.has(k) && typeof v === 'number') p = numberBase - ++this.serial;
        else {
          predictable = false;
          break;
        }
        predicted[k] = p;
        issued.set(p, k);
      }
    }
    const item: Queued = { thread, op, args, ref, issued: predictable ? issued : new Map() };
    this.queue.push(item);
    if (predictable && ref.kind === 'returned') {
      for (const p of issued.keys()) this.issuer.set(p, item);
      this.ctx.mirror.pairPredicted({ kind: 'returned', err: ref.err, out: predicted }, ref);
      return predicted as Partial<OutOf<O>>;
    }
    // The fixture needs the real answer (or the call is expected to fail): made now, after the queue.
    return this.flush().then(() => {
      const r = item.result;
      return r?.kind === 'returned' && r.out !== undefined ? r.out : {};
    });
  }

  /** Arguments of a call made live: the queue is sent first, and placeholders become the values they stand for. */
  async live<A extends object>(args: A): Promise<A> {
    await this.flush();
    return this.resolveArgs(args);
  }

  /** Whether a chain must stay on one thread (the implementation has no `threads`). */
  get singleThread(): boolean {
    return this.oneThread;
  }

  /**
   * What is queued, for a speculated program to carry at the head of its chain (speculate.ts,
   * speculatedAfterSetup): each call with the code it expects, its arguments with the values of
   * calls made already (placeholders of queued calls left as they are), and the placeholders its
   * answer issues with the out-value each stands for.
   */
  carried(): readonly CarriedCall[] {
    return this.queue.map((item) => ({ thread: item.thread, op: item.op, args: this.resolveMade(item.args), expect: expectOf(item), issued: item.issued }));
  }

  /**
   * The implementation's answers to the carried calls (in order; fewer when its chain stopped among
   * them), settled as flush() settles its chain's: traced, compared, the first failure thrown; a
   * chain stopped at another warning sends the rest of the queue, as flush() does.
   */
  async settleCarried(results: readonly CallResult[]): Promise<void> {
    const q = this.queue;
    let rest = false;
    try {
      rest = !this.settleChain(q, results);
      if (rest) q.splice(0, results.length);
    } finally {
      if (!rest) {
        q.length = 0;
        this.fixUp();
      }
    }
    if (rest) await this.flush();
  }

  /** Sends what is queued as chains; throws the first failure as ctx.setup throws it. */
  async flush(): Promise<void> {
    const q = this.queue;
    try {
      for (let start = 0; start < q.length; ) {
        const part = q.slice(start);
        const calls: ChainCall[] = part.map((item, i) => ({ thread: item.thread, op: item.op, args: this.chainArgs(item.args, part, i), expect: expectOf(item) }));
        const first = part[0];
        const results = await this.ctx.traced.chain({ thread: first.thread, op: first.op, args: this.resolveArgs(first.args) }, () => this.impl.callChain(calls));
        if (this.settleChain(part, results)) break;
        start += results.length;
      }
    } finally {
      q.length = 0;
      this.fixUp();
    }
  }

  /** One call's answer: traced, compared with the reference's, its issued values known; a failure thrown. */
  private settle(item: Queued, r: CallResult): void {
    item.result = r;
    this.ctx.traced.recordChained(item.thread, item.op, this.resolveArgs(item.args), r);
    this.ctx.mirror.settle(item.op, r, item.ref);
    const returned = this.ctx.returned(r, item.op);
    if (returned.err < 0) throw new ConformanceFailure(`setup call ${item.op} failed`, 'JET_errSuccess or a warning', describeErr(returned.err));
    const out = (returned.out ?? {}) as Record<string, unknown>;
    for (const [p, key] of item.issued) {
      const v = out[key];
      if (typeof p === 'string' ? typeof v !== 'string' || v === '' : typeof v !== 'number') {
        throw new ConformanceFailure(`${item.op} succeeded but returned no ${key}`);
      }
      this.resolved.set(p, v);
    }
  }

  /** A queued call's arguments in a chain: placeholders of calls made become values, of calls in the chain references. */
  private chainArgs(args: Readonly<Record<string, unknown>>, part: readonly Queued[], at: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const k in args) {
      const v = args[k];
      if (!isPlaceholder(v)) out[k] = v;
      else if (this.resolved.has(v)) out[k] = this.resolved.get(v);
      else {
        const issuer = this.issuer.get(v);
        const ref = issuer === undefined ? -1 : part.indexOf(issuer);
        if (issuer === undefined || ref < 0 || ref >= at) throw new SuiteError(`setup chain: ${k} of ${part[at].op} stands for a value no earlier call issued`);
        const outRef: OutRef = { ref, out: issuer.issued.get(v) ?? '' };
        out[k] = outRef;
      }
    }
    return out;
  }

  private resolveArgs<A extends object>(args: A): A {
    let out: Record<string, unknown> | undefined;
    for (const [k, v] of Object.entries(args)) {
      if (!isPlaceholder(v)) continue;
      if (!this.resolved.has(v)) throw new SuiteError(`setup chain: ${k} stands for a value whose call was not made`);
      out ??= { ...(args as Record<string, unknown>) };
      out[k] = this.resolved.get(v);
    }
    return (out ?? args) as A;
  }

  /**
   * A chain's answers to the queued calls `part`, each settled (traced, compared, the first failure
   * thrown); true when every call was answered. A chain may stop early only at another warning than
   * the reference's (setup allows warnings): then the rest goes on, and false is returned.
   */
  private settleChain(part: readonly Queued[], results: readonly CallResult[]): boolean {
    if (results.length === 0 || results.length > part.length) {
      throw new FaultError({ kind: 'protocol-error', reason: `a chain of ${part.length} setup calls came back with ${results.length} results` }, part[0]?.op ?? 'a setup chain');
    }
    for (const [i, r] of results.entries()) this.settle(part[i], r);
    if (results.length === part.length) return true;
    const last = results[results.length - 1];
    const at = part[results.length - 1];
    if (last.kind === 'returned' && last.err === expectOf(at)) {
      throw new FaultError({ kind: 'protocol-error', reason: `a chain of ${part.length} setup calls stopped after call ${results.length} (${last.err}), the code it expected` }, at.op);
    }
    return false;
  }

  /** Arguments with the values of calls made; placeholders of calls still queued stay. */
  private resolveMade(args: Readonly<Record<string, unknown>>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const k in args) {
      const v = args[k];
      out[k] = isPlaceholder(v) && this.resolved.has(v) ? this.resolved.get(v) : v;
    }
    return out;
  }

  private resolveValue<R>(value: R): R {
    return isPlaceholder(value) && this.resolved.has(value) ? (this.resolved.get(value) as R) : value;
  }

  /** The scenario's names and shadow hold the implementation's values from here on. */
  private fixUp(): void {
    if (this.resolved.size === 0) return;
    for (const [name, v] of this.ctx.names) {
      if ('handle' in v && this.resolved.has(v.handle)) this.ctx.names.set(name, { handle: this.resolved.get(v.handle) as string });
    }
    this.ctx.shadow.mapNumbers((n) => (n <= numberBase && this.resolved.has(n) ? (this.resolved.get(n) as number) : n));
  }
}

const chains = new WeakMap<ScenarioContext, SetupChain | null>();

/** The scenario's setup chain, or undefined when calls cost no round trip or the implementation has no chain. */
export function setupChainOf(ctx: ScenarioContext): SetupChain | undefined {
  let c = chains.get(ctx);
  if (c === undefined) {
    const impl = ctx.mirror.impl;
    c = impl.callChain !== undefined && ctx.mirror.refAnswersAlone ? new SetupChain(ctx, impl as Chaining) : null;
    chains.set(ctx, c);
  }
  return c ?? undefined;
}
