/**
 * One scenario's conversation with an implementation: named handles, the calls, and the last
 * outcome. Everything the steps say goes through here, and everything here goes through the adapter
 * interface. Fixtures (what a "Given" sets up) live in fixtures.ts, postconditions in probes.ts.
 */
import type {
  AdapterStatus,
  CallResult,
  Implementation,
  Returned,
} from '../adapters/types';
import type {
  ArgsOf,
  FaultSpec,
  ForcedInstanceState,
  HandleArg,
  OperationName,
  OutOf,
} from '../api';
import { describeErr } from './codes';
import type { NamedValue } from './call-syntax';
import { ConformanceFailure, FaultError, RefusedUse } from './errors';
import type { Tier } from './results';
import { TracedImplementation } from './traced';
import { Shadow } from './shadow';
import { MirroredImplementation } from './mirror';
import { forgetState, noteEnd, noteForce, observeBeforeEnd } from './state';
import { judge } from './judge';
import { CheckLedger } from './check-ledger';
import { then, type Maybe } from './maybe';

/** The outcome of the last call a step made, and the thread that made it. */
export interface LastCall {
  readonly thread: string;
  readonly op: OperationName;
  readonly result: Returned;
}

export interface PendingCall {
  readonly op: OperationName;
  readonly promise: Promise<CallResult>;
  settled?: CallResult;
}

export class ScenarioContext {
  readonly traced: TracedImplementation;
  /** The shadow run: the same calls replayed on a fresh reference engine (harness/mirror.ts). */
  readonly mirror: MirroredImplementation;
  readonly names = new Map<string, NamedValue>();
  /** What the scenario expects each session and table to hold: the suite's own bookkeeping. */
  readonly shadow = new Shadow();
  last: LastCall | undefined;
  /** Calls started and not yet awaited, by thread (JetTerm2 waiting on a held call). */
  readonly pending = new Map<string, PendingCall>();
  /** Held calls, by thread. */
  readonly holds = new Map<string, { readonly hold: string; readonly op: OperationName }>();
  /**
   * Every outcome name a by-tier table of this scenario declared (its `outcome` column), and whether
   * it is the one that happened. Names are unique per scenario: "if the outcome was X" means this X.
   */
  readonly outcomes = new Map<string, boolean>();
  /** Which checks ran after which When-steps (a scenario that checked nothing is a suite error). */
  readonly checks = new CheckLedger();
  /** Outcome-and-state fingerprints recorded under a label, compared after a reset. */
  readonly recorded = new Map<string, string>();
  /** How many JetBeginSession calls succeeded before the first failure (ES-SESSION-SLOT-FREED). */
  sessionsBegun: number | undefined;
  /** The instance the natural-language steps mean. */
  instanceName = 'i1';

  constructor(
    impl: Implementation,
    readonly tier: Tier,
  ) {
    this.mirror = new MirroredImplementation(impl, judge().createReferenceImplementation({ target: impl.info.target }));
    // In-process (the reference or a mutant of it, with its shadow): calls are answered without a promise per layer.
    this.traced = new TracedImplementation(this.mirror, (thread, op, args) => this.mirror.callSync(thread, op, args));
  }

  get info() {
    return this.traced.inner.info;
  }

  /** Back to a fresh process state; the names and fixtures of before are forgotten. */
  async reset(): Promise<void> {
    this.adapterOk(await this.traced.reset(), 'reset');
    forgetState(this);
    this.names.clear();
    this.shadow.tables.clear();
    this.shadow.sessions.clear();
    this.pending.clear();
    this.holds.clear();
    this.last = undefined;
    this.sessionsBegun = undefined;
    this.instanceName = 'i1';
  }

  async force(instance: HandleArg, state: ForcedInstanceState): Promise<void> {
    await noteForce(this, state.state);
    this.adapterOk(await this.traced.forceInstanceState(instance, state), 'forceInstanceState');
  }

  async inject(fault: FaultSpec): Promise<void> {
    const result = await this.traced.injectFault(fault);
    // As a refused hold: a fault the implementation cannot place exactly (its engine has no failure
    // path at that step) makes the scenario NOT_APPLICABLE with the reason, never a pass.
    if (result.kind === 'unsupported') throw new RefusedUse(`${this.traced.inner.info.name} cannot inject a fault at ${fault.step}: ${result.reason}`);
    this.adapterOk(result, 'injectFault');
  }

  private adapterOk(result: AdapterStatus, during: string): void {
    if (result.kind === 'ok') return;
    if (result.kind === 'unsupported') {
      throw new ConformanceFailure(`${during} was answered "unsupported" (${result.reason}) although its capability is declared`);
    }
    throw new FaultError(result, during);
  }

  lookup = (name: string): NamedValue | undefined => this.names.get(name);

  saveHandle(name: string, handle: string | undefined, during: string): void {
    if (typeof handle !== 'string' || handle === '') {
      throw new ConformanceFailure(`${during} succeeded but returned no handle to save as ${name}`);
    }
    this.names.set(name, { handle });
  }

  handle(name: string): string {
    const v = this.names.get(name);
    if (v === undefined || !('handle' in v)) throw new Error(`the scenario has no handle named ${name}`);
    return v.handle;
  }

  number(name: string): number {
    const v = this.names.get(name);
    if (v === undefined || !('number' in v)) throw new Error(`the scenario has no number named ${name}`);
    return v.number;
  }

  /**
   * Gives the calls started so far their chance to answer, before a step checks that one still
   * waits. An implementation that can tell (`sync`: the in-process reference, a process speaking
   * protocol 1.1) says at once that every call made so far has returned or waits; then two turns of
   * the event loop let an answer that came pass the mirror and the trace. Otherwise: 50 ms.
   */
  async letCallsSettle(): Promise<void> {
    const impl = this.mirror.impl;
    const synced = impl.sync === undefined ? undefined : await impl.sync();
    if (synced?.kind === 'ok') {
      for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  /** One call; a fault of the implementation stops the scenario with its status. */
  async call<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<Returned<O>> {
    return this.callNow(thread, op, args);
  }

  /** call(), answered at once (no promise) when the implementation answers at once (in-process). */
  callNow<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Maybe<Returned<O>> {
    const now = this.traced.callNow(thread, op, args);
    if (now !== undefined) return this.returned(now, op);
    return this.traced.call(thread, op, args).then((result) => this.returned(result, op));
  }

  returned<O extends OperationName>(result: CallResult<O>, op: string): Returned<O> {
    if (result.kind === 'returned') return result;
    if (result.kind === 'unsupported') {
      throw new ConformanceFailure(`${op} was answered "unsupported" (${result.reason}) although its capability is declared`);
    }
    throw new FaultError(result, op);
  }

  /** A call whose outcome the scenario reports as "the call". */
  async act<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<Returned<O>> {
    return this.actNow(thread, op, args);
  }

  /** act(), done at once (no promise) when the implementation answers at once (in-process). */
  actNow<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Maybe<Returned<O>> {
    // The whole-state steps compare what JetEndSession leaves with the state before it (harness/state.ts).
    const ending = op === 'JetEndSession';
    const observed = ending ? observeBeforeEnd(this, (args as ArgsOf<'JetEndSession'>).sesid, thread) : undefined;
    return then(observed, () =>
      then(this.callNow(thread, op, args), (result) => {
        if (ending) noteEnd(this, result);
        this.last = { thread, op, result };
        return result;
      }),
    );
  }

  /** A setup call: it must succeed (warnings allowed), or the scenario fails naming it. */
  async setup<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<Partial<OutOf<O>>> {
    return this.setupNow(thread, op, args);
  }

  /** setup(), done at once (no promise) when the implementation answers at once (in-process). */
  setupNow<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Maybe<Partial<OutOf<O>>> {
    return then(this.callNow(thread, op, args), (result) => {
      if (result.err < 0) {
        throw new ConformanceFailure(`setup call ${op} failed`, 'JET_errSuccess or a warning', describeErr(result.err));
      }
      return result.out ?? {};
    });
  }

  /** A probe call that must return exactly `expected`. */
  async expectCall<O extends OperationName>(
    what: string,
    thread: string,
    op: O,
    args: ArgsOf<O>,
    expected: (err: number) => boolean,
    expectedText: string,
  ): Promise<Returned<O>> {
    return this.expectCallNow(what, thread, op, args, expected, expectedText);
  }

  /** expectCall(), done at once (no promise) when the implementation answers at once (in-process). */
  expectCallNow<O extends OperationName>(
    what: string,
    thread: string,
    op: O,
    args: ArgsOf<O>,
    expected: (err: number) => boolean,
    expectedText: string,
  ): Maybe<Returned<O>> {
    return then(this.callNow(thread, op, args), (result) => {
      if (!expected(result.err)) throw new ConformanceFailure(what, `${op} returns ${expectedText}`, describeErr(result.err));
      return result;
    });
  }
}
