/**
 * The `process` adapter: an Implementation whose calls go over protocol v1 to a program of any
 * language (docs/protocol.md). It owns the process's life: the handshake, restarts at `reset`
 * after any fault, the capability gate (a request of an undeclared capability is never sent) and
 * the thread discipline (one call per logical thread; one request at a time without `threads`).
 */
import { JET_params } from '../../api';
import type {
  AdapterOptions,
  AdapterStatus,
  CallResult,
  ChainCall,
  HoldResult,
  Implementation,
  ImplementationFault,
  ImplementationInfo,
} from '../types';
import type {
  ApiCall,
  ArgsOf,
  Capability,
  FaultSpec,
  ForcedInstanceState,
  HandleArg,
  OperationName,
  OutOf,
} from '../../api';
import { ProcessConnection, type ConnectionOptions, type Deadline, type Outcome } from './connection';
import { defaultBudgetMs, defaultMaxLineBytes, defaultScenarioTimeoutMs, defaultTimeoutMs, endsBatch, foldRepeats, isOutRef, minorFeatures, protocolMinor, protocolVersion, suiteBatchCalls, type Answer, type BatchCall, type BatchItem, type HelloAnswer, type MinorFeature } from './wire';

export interface ProcessAdapterOptions extends AdapterOptions {
  /** Size limit of one protocol line, in bytes (default 1 MiB). */
  readonly maxLineBytes?: number;
  /** Sent in `hello` as the suite's version. */
  readonly suiteVersion?: string;
}

/** The three limits of docs/protocol.md section 10, in milliseconds. */
export interface TimeLimits {
  /** One request (default 10 s). */
  readonly callMs: number;
  /** One scenario: from its reset to its last call, restarts included (default 120 s). */
  readonly scenarioMs: number;
  /** The whole run from the handshake on (default 60 min); scenarios after it are TIMEOUT, not run. */
  readonly budgetMs: number;
}

type Handshake = { readonly hello: HelloAnswer } | { readonly error: string; readonly kind: ImplementationFault['kind'] };

/** Starts the command and shakes hands; a failure is one line "expected X, got Y". */
export async function handshake(options: ConnectionOptions, suiteVersion: string, deadline?: Deadline): Promise<{ conn: ProcessConnection } & Handshake> {
  const conn = new ProcessConnection(options);
  const expected = `expected a hello answer (protocol ${protocolVersion}) within ${options.timeoutMs} ms`;
  const outcome = await conn.request(
    {
      cmd: 'hello',
      protocol: protocolVersion,
      suite: { name: 'ese-conformance', version: suiteVersion },
      timeoutMs: options.timeoutMs,
      maxLineBytes: options.maxLineBytes,
      // Protocol 1.1 is offered; a v1 implementation ignores the field and is spoken to in v1.
      minor: protocolMinor,
      features: [...minorFeatures],
    },
    'hello',
    undefined,
    deadline,
  );
  // The group is gone (and its stderr drained) before the failure is told.
  const fail = async (got: string, kind: ImplementationFault['kind'] = 'protocol-error'): Promise<{ conn: ProcessConnection; error: string; kind: ImplementationFault['kind'] }> => {
    await conn.stop();
    const last = lastLine(conn.stderrTail());
    return { conn, kind, error: `handshake with ${options.command.join(' ')}: ${expected}, got ${got}${last ? ` (stderr: ${last})` : ''}` };
  };
  if (outcome.kind !== 'answer') return fail(outcome.reason.replace(/^hello \(id \d+\): /, '').replace(/^got /, ''), outcome.kind);
  const a = outcome.answer;
  if (a.result === 'error') return fail(`an error answer '${a.error}': ${a.message}`);
  if (a.result !== 'hello') return fail(`a '${a.result}' answer`);
  if (a.capabilities.includes('in-flight') && !a.capabilities.includes('threads')) {
    return fail('capabilities with in-flight but without threads (in-flight needs threads)');
  }
  // repeat (1.1): the implementation may fold its batch answers; any other may not.
  conn.foldedAnswers = features(a).includes('batch') && features(a).includes('repeat');
  return { conn, hello: a };
}

function lastLine(text: string | undefined): string | undefined {
  const lines = (text ?? '').split('\n').map((l) => l.trim()).filter((l) => l !== '');
  const last = lines[lines.length - 1];
  return last === undefined ? undefined : last.length > 200 ? `${last.slice(0, 200)}...` : last;
}

function sameInfo(a: HelloAnswer, b: HelloAnswer): boolean {
  return (
    a.implementation.name === b.implementation.name &&
    a.implementation.version === b.implementation.version &&
    a.target === b.target &&
    a.pointerWidth === b.pointerWidth &&
    [...a.capabilities].sort().join() === [...b.capabilities].sort().join() &&
    [...features(a)].sort().join() === [...features(b)].sort().join()
  );
}

/** The protocol 1.1 features an implementation accepts (none for a v1 hello). */
function features(hello: HelloAnswer): readonly MinorFeature[] {
  return (hello.minor ?? 0) >= 1 ? (hello.features ?? []).filter((f) => (minorFeatures as readonly string[]).includes(f)) : [];
}

const paramNames = new Map<number, string>(Object.entries(JET_params).map(([name, value]) => [value, name]));
const unsignedFields = new Set(['grbit', 'paramid']);

/** grbits and paramids travel unsigned (JS `|` makes 0x80000000 negative); paramid also by name. */
export function wireArgs(op: OperationName, args: object): Record<string, unknown> {
  if (!needsWire(op, args)) return args as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(args)) {
    if (unsignedFields.has(k) && typeof v === 'number' && Number.isInteger(v) && v < 0 && v >= -0x80000000) out[k] = v >>> 0;
    else if (k === 'columns' && Array.isArray(v)) out[k] = v.map((c: object) => wireArgs(op, c));
    else out[k] = v;
  }
  if (op === 'JetSetSystemParameter' && typeof out.paramid === 'number') {
    const name = paramNames.get(out.paramid);
    if (name !== undefined) out.paramName = name;
  }
  return out;
}

/** Whether wireArgs changes anything: a negative grbit or paramid, columns, or a paramid to name (most calls: no copy). */
function needsWire(op: OperationName, args: object): boolean {
  if (op === 'JetSetSystemParameter') return true;
  const a = args as Record<string, unknown>;
  for (const k in a) {
    const v = a[k];
    if ((unsignedFields.has(k) && typeof v === 'number' && v < 0) || (k === 'columns' && Array.isArray(v))) return true;
  }
  return false;
}

export class ProcessImplementation implements Implementation {
  readonly info: ImplementationInfo;
  readonly hold?: (thread: string, call: ApiCall) => Promise<HoldResult>;
  readonly release?: (hold: string) => Promise<CallResult>;
  readonly forceInstanceState?: (instance: HandleArg, state: ForcedInstanceState) => Promise<AdapterStatus>;
  readonly injectFault?: (fault: FaultSpec) => Promise<AdapterStatus>;
  /** Protocol 1.1 `sync` and `batch`, when the implementation accepts them. */
  readonly sync?: () => Promise<AdapterStatus>;
  readonly callBatch?: (thread: string, calls: readonly ApiCall[], stopOnError: boolean) => Promise<CallResult[]>;
  /** Protocol 1.1 `chain`, when the implementation accepts it. */
  readonly callChain?: (calls: readonly ChainCall[]) => Promise<CallResult[]>;
  /** Protocol 1.1 `expect-out`: a chain call's expectOut is sent (else no call may carry one). */
  readonly chainExpectsOut: boolean;
  /** Protocol 1.1 `repeat`: a batch's runs of the same call go folded (foldRepeats). */
  private readonly repeats: boolean;
  readonly callTimeoutMs: number;
  /** Counts resets: a call answered after a later reset began was ended by it (reset-waiting). */
  private epoch = 0;

  /** After a `crash` answer the process state is suspect: restart at the next reset. */
  private restartAtReset = false;
  /** Without `threads`: the one thread name used since the last reset. */
  private soleThread: string | undefined;
  /** Per thread (or '*'): present while one request runs there, with whoever waits next, in order. */
  private readonly queues = new Map<string, (() => void)[]>();
  /** hold token -> the held call; its thread gets nothing else until release. */
  private readonly held = new Map<string, { thread: string; op: OperationName }>();
  private readonly heldThreads = new Map<string, string>();
  /** Set at each reset: the scenario's calls (and restarts) must be done by then. */
  private scenarioDeadline: Deadline | undefined;
  private readonly runDeadline: Deadline;

  constructor(
    private conn: ProcessConnection,
    private readonly hello: HelloAnswer,
    private readonly options: ConnectionOptions,
    private readonly suiteVersion: string,
    target: ImplementationInfo['target'] | undefined,
    private readonly limits: TimeLimits = { callMs: options.timeoutMs, scenarioMs: defaultScenarioTimeoutMs, budgetMs: defaultBudgetMs },
    startedAt: number = Date.now(),
  ) {
    this.callTimeoutMs = limits.callMs;
    this.runDeadline = { at: startedAt + limits.budgetMs, what: `the run's time budget (--budget, ${formatMs(limits.budgetMs)})` };
    this.info = {
      name: hello.implementation.name,
      version: hello.implementation.version,
      target: target ?? hello.target,
      pointerWidth: hello.pointerWidth,
      capabilities: [...hello.capabilities],
    };
    // Optional operations exist only for declared capabilities, so the runner sees what is offered.
    if (this.declares('in-flight')) {
      this.hold = (thread, call) => this.doHold(thread, call);
      this.release = (hold) => this.doRelease(hold);
    }
    if (this.declares('instance-state')) {
      this.forceInstanceState = (instance, state) =>
        this.status(
          { cmd: 'force-instance-state', instance, state: state.state, ...(state.state === 'fatal-error' ? { cause: state.cause } : {}) },
          `force-instance-state ${state.state}`,
        );
    }
    if (this.declares('fault-injection')) {
      this.injectFault = (fault) =>
        this.status({ cmd: 'inject-fault', step: fault.step, err: fault.err, times: fault.times }, `inject-fault ${fault.step}`);
    }
    if (features(hello).includes('sync')) this.sync = () => this.status({ cmd: 'sync' }, 'sync');
    if (features(hello).includes('batch')) this.callBatch = (thread, calls, stopOnError) => this.doBatch(thread, calls, stopOnError);
    if (features(hello).includes('batch') && features(hello).includes('chain')) this.callChain = (calls) => this.doChain(calls);
    this.chainExpectsOut = this.callChain !== undefined && features(hello).includes('expect-out');
    this.repeats = this.callBatch !== undefined && features(hello).includes('repeat');
  }

  /** A batch's calls as the request carries them: folded where the implementation accepts `repeat`. */
  private callsJson(part: readonly BatchCall[]): string {
    return JSON.stringify(this.repeats ? foldRepeats(part) : part);
  }

  /**
   * Protocol 1.1 `chain`: calls on any threads in as few requests as the line limits allow, each
   * ending the chain when its code is not the one it expects; OutRef argument values name out-values
   * of earlier calls of the chain (resolved here when the earlier call went in an earlier request).
   */
  private async doChain(calls: readonly ChainCall[]): Promise<CallResult[]> {
    const threads = [...new Set(calls.map((c) => c.thread))].sort();
    for (const t of threads) {
      const refused = this.threadCheck(t);
      if (refused) return [refused];
    }
    const epoch = this.epoch;
    return this.exclusiveAll(threads, async () => {
      const results: CallResult[] = [];
      for (let start = 0; start < calls.length; ) {
        let part: BatchCall[] = [];
        const thread = calls[start].thread;
        for (let i = start; i < calls.length && part.length < suiteBatchCalls; i++) {
          const c = calls[i];
          const args = chainArgs(c.args, start, results);
          if (typeof args === 'string') return [...results, { kind: 'protocol-error' as const, reason: `adapter misuse: chain call ${i} (${c.op}): ${args}` }];
          if (c.expectOut !== undefined && (!this.chainExpectsOut || c.expect === undefined)) return [...results, { kind: 'protocol-error' as const, reason: `adapter misuse: chain call ${i} (${c.op}) has expectOut, which ${this.chainExpectsOut ? 'needs expect' : 'the implementation does not accept (expect-out)'}` }];
          // A call on the batch's own thread names none (section 16: the batch's thread is its default).
          part.push({ op: c.op, args: wireArgs(c.op, args), ...(c.thread === thread ? {} : { thread: c.thread }), ...(c.expect === undefined ? {} : { expect: c.expect }), ...(c.expectOut === undefined ? {} : { expectOut: c.expectOut }) });
        }
        // Serialized once, here, and sent as it is. Over the line limit (a margin for the request's
        // other fields; a UTF-16 unit is at most 3 bytes): as many calls as fit, at least one.
        let callsJson = this.callsJson(part);
        if (callsJson.length * 3 + 200 > this.options.maxLineBytes && Buffer.byteLength(callsJson) + 200 > this.options.maxLineBytes) {
          // Counted unfolded: folding only shortens a line.
          let bytes = 200;
          const fits = part.findIndex((item) => (bytes += Buffer.byteLength(JSON.stringify(item)) + 1) > this.options.maxLineBytes);
          part = part.slice(0, Math.max(1, fits));
          callsJson = this.callsJson(part);
        }
        const label = `chain of ${part.length} calls (${part[0].op}${part.length > 1 ? ', ...' : ''}) on ${threads.join(', ')}`;
        const outcome = await this.conn.request({ cmd: 'batch', thread, calls: part, stopOnError: false }, label, undefined, this.deadline(), this.held.size > 0, callsJson);
        if (outcome.kind !== 'answer') return [...results, outcome];
        if (outcome.answer.result !== 'batch') return [...results, epoch === this.epoch ? await this.faultFrom(outcome.answer, label) : afterReset(outcome.answer, label)];
        const answers = outcome.answer.answers;
        const id = outcome.answer.id;
        for (const [i, a] of answers.entries()) {
          // returned and unsupported read no id: the answer with its request's id is built for a fault only.
          const now = epoch === this.epoch ? this.returnedNow(a as Answer) : undefined;
          if (now !== undefined) {
            results.push(now);
            continue;
          }
          const answer = { id, ...a } as Answer;
          results.push(epoch === this.epoch ? await this.callResult({ kind: 'answer', answer }, part[i].op as OperationName) : afterReset(answer, part[i].op));
        }
        const last = answers[answers.length - 1] as BatchItem | undefined;
        if (answers.length < part.length || (last !== undefined && endsBatch(last, false, part[answers.length - 1].expect, part[answers.length - 1].expectOut))) break;
        start += part.length;
      }
      return results;
    });
  }

  /**
   * Protocol 1.1 `batch`: the calls in one request, answered in one line. The results are those of
   * one call after another (a fault ends the batch; its later calls get no result).
   */
  private async doBatch(thread: string, calls: readonly ApiCall[], stopOnError: boolean): Promise<CallResult[]> {
    const refused = this.threadCheck(thread);
    if (refused) return [refused];
    const results: CallResult[] = [];
    for (let start = 0; start < calls.length; start += suiteBatchCalls) {
      const part = calls.slice(start, start + suiteBatchCalls);
      const label = `batch of ${part.length} calls (${part[0].op}${part.length > 1 ? ', ...' : ''}) on ${thread}`;
      const wire: BatchCall[] = part.map((c) => ({ op: c.op, args: wireArgs(c.op, c.args) }));
      const outcome = await this.exclusive(thread, () =>
        this.conn.request({ cmd: 'batch', thread, calls: wire, stopOnError }, label, undefined, this.deadline(), this.held.size > 0, this.repeats ? this.callsJson(wire) : undefined),
      );
      if (outcome.kind !== 'answer') return [...results, outcome];
      if (outcome.answer.result !== 'batch') return [...results, await this.faultFrom(outcome.answer, label)];
      const answers = outcome.answer.answers;
      for (const [i, a] of answers.entries()) {
        results.push(this.returnedNow(a as Answer) ?? (await this.callResult({ kind: 'answer', answer: { id: outcome.answer.id, ...a } as Answer }, part[i].op)));
      }
      const last = answers[answers.length - 1] as BatchItem | undefined;
      if (answers.length < part.length || (last !== undefined && (last.result !== 'returned' || (stopOnError && last.err < 0)))) break;
    }
    return results;
  }

  private declares(c: Capability): boolean {
    return this.hello.capabilities.includes(c);
  }

  /** The pid of the current process (tests use it to check restarts). */
  get pid(): number | undefined {
    return this.conn.pid;
  }

  /** The last 4 KiB of the current process's stderr, for reports of scenarios without a fault. */
  stderrTail(): string | undefined {
    return this.conn.stderrTail();
  }

  /** The earlier of the scenario's and the run's deadlines. */
  private deadline(): Deadline {
    const s = this.scenarioDeadline;
    return s !== undefined && s.at < this.runDeadline.at ? s : this.runDeadline;
  }

  /**
   * Starts a scenario: its time limit begins. A protocol violation that no request was waiting for
   * (garbage or a repeated answer after the last scenario's last call, or before this reset) is
   * this scenario's PROTOCOL_ERROR, never absorbed by the restart that follows it. `reset-failed`,
   * a `crash` answer or an exit during reset get one restart (docs/protocol.md section 4); any other
   * fault is the scenario's at once.
   */
  async reset(): Promise<AdapterStatus> {
    this.epoch++;
    this.soleThread = undefined;
    this.held.clear();
    this.heldThreads.clear();
    this.queues.clear();
    this.startScenarioClock();
    if (Date.now() >= this.runDeadline.at) {
      await this.conn.stop();
      return { kind: 'timeout', reason: `not run: ${this.runDeadline.what} was used up before this scenario` };
    }
    const old = this.conn;
    const early = old.takeStray();
    const status = await this.resetProcess(early !== undefined);
    // A crash between scenarios may be dispatched only once the restart has stopped the old process.
    const stray = early ?? (this.conn === old ? undefined : old.takeStray());
    if (stray === undefined) return status;
    const reason = `before this scenario, after the previous request was answered: ${stray.reason}`;
    return { kind: stray.kind === 'crash' ? 'crash' : 'protocol-error', reason: status.kind === 'ok' ? reason : `${reason}; then ${status.reason}`, ...tailField(stray.stderrTail) };
  }

  private startScenarioClock(): void {
    this.scenarioDeadline = { at: Date.now() + this.limits.scenarioMs, what: `the scenario's time limit (--scenario-timeout-ms ${this.limits.scenarioMs})` };
  }

  private async resetProcess(restartFirst: boolean): Promise<AdapterStatus> {
    let first: string | undefined;
    for (let attempt = 0; attempt < 2; attempt++) {
      // With reset-waiting the process ends and answers the calls still waiting itself; else it is restarted.
      const waiting = this.conn.unanswered > 0 && !features(this.hello).includes('reset-waiting');
      if (attempt > 0 || restartFirst || this.restartAtReset || !this.conn.usable || waiting) {
        const restarted = await this.restart();
        if (restarted) return withReason(restarted, first ? `${first}; then ${restarted.reason}` : restarted.reason);
      }
      const outcome = await this.conn.request({ cmd: 'reset' }, 'reset', undefined, this.deadline());
      if (outcome.kind === 'answer' && outcome.answer.result === 'ok') return { kind: 'ok' };
      const why = describeFailure(outcome);
      if (crashedInReset(outcome)) {
        // Tearing down what the previous scenario left crashed the implementation: a CRASH, which
        // the restart (for an exit with code 0 or reset-failed, section 4) must not absorb.
        await this.conn.stop();
        this.restartAtReset = true;
        return { kind: 'crash', reason: `reset crashed (cleaning up after the previous scenario): ${why}`, ...(outcome.kind === 'crash' && outcome.code !== undefined ? { code: outcome.code } : {}), ...tailOf(outcome, this.conn) };
      }
      if (!mayRetryReset(outcome)) {
        if (outcome.kind !== 'answer') return withReason(outcome, first ? `${outcome.reason} (before the restart: ${first})` : outcome.reason);
        return this.faultFrom(outcome.answer, 'reset');
      }
      if (first === undefined) first = why;
      else {
        // A fault is reported once the group is gone: its stderr is then drained into the tail
        // (the process may answer before its last stderr line reaches us).
        await this.conn.stop();
        this.restartAtReset = true;
        return { kind: 'crash', reason: `reset failed after a restart: ${why} (before the restart: ${first})`, ...tailOf(outcome, this.conn) };
      }
    }
    return { kind: 'crash', reason: `reset failed: ${first ?? 'unknown'}` };
  }

  /**
   * Stops the old process group and starts the command again; a fault when the old group cannot
   * be ended (never two at once) or the new one does not shake hands alike.
   */
  private async restart(): Promise<ImplementationFault | undefined> {
    if (!(await this.conn.stop())) {
      return { kind: 'crash', reason: `the previous process could not be stopped (pids still running: ${this.conn.survivors().join(', ') || 'unknown'}); not starting another` };
    }
    this.restartAtReset = false;
    // A restart is bounded by the request timeout and the run's budget; the scenario's own time
    // starts once the new process is there (its slow start is not the scenario's).
    this.scenarioDeadline = undefined;
    const h = await handshake(this.options, this.suiteVersion, this.deadline());
    this.startScenarioClock();
    this.conn = h.conn;
    if ('error' in h) return { kind: h.kind === 'timeout' ? 'timeout' : 'crash', reason: `restart failed: ${h.error}`, ...tailField(h.conn.stderrTail()) };
    if (!sameInfo(h.hello, this.hello)) {
      await this.conn.stop();
      return {
        kind: 'protocol-error',
        reason: `the restarted process shook hands differently: ${JSON.stringify(h.hello)} instead of ${JSON.stringify(this.hello)}`,
      };
    }
    return undefined;
  }

  async call<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<CallResult<O>> {
    const refused = this.threadCheck(thread);
    if (refused) return refused;
    const epoch = this.epoch;
    return this.exclusive(thread, async () => {
      // A call made while another is held may wait for its release (JetTerm2): its own timeout
      // starts at the release; the scenario's limit bounds it meanwhile.
      const outcome = await this.conn.request({ cmd: 'call', thread, op, args: wireArgs(op, args) }, `${op} on ${thread}`, op, this.deadline(), this.held.size > 0);
      // Answered by the next scenario's reset (reset-waiting): it tells nothing of this process's health.
      if (epoch !== this.epoch && outcome.kind === 'answer') return afterReset(outcome.answer, op);
      return (outcome.kind === 'answer' ? this.returnedNow<O>(outcome.answer) : undefined) ?? this.callResult<O>(outcome, op);
    });
  }

  private async doHold(thread: string, call: ApiCall): Promise<HoldResult> {
    const refused = this.threadCheck(thread);
    if (refused) return refused;
    return this.exclusive(thread, async () => {
      const outcome = await this.conn.request(
        { cmd: 'hold', thread, op: call.op, args: wireArgs(call.op, call.args) },
        `hold ${call.op} on ${thread}`,
        call.op,
        this.deadline(),
      );
      if (outcome.kind === 'answer' && outcome.answer.result === 'held') {
        const token = outcome.answer.hold;
        if (this.held.has(token)) {
          await this.conn.stop();
          return { kind: 'protocol-error', reason: `hold ${call.op} on ${thread}: hold token '${token}' is already held`, ...tailField(this.conn.stderrTail()) };
        }
        this.held.set(token, { thread, op: call.op });
        this.heldThreads.set(thread, token);
        return { kind: 'held', hold: token };
      }
      return this.callResult(outcome, call.op);
    });
  }

  private async doRelease(hold: string): Promise<CallResult> {
    const h = this.held.get(hold);
    if (!h) return { kind: 'protocol-error', reason: `adapter misuse: release of '${hold}', which is not a held call` };
    const outcome = await this.conn.request({ cmd: 'release', hold }, `release ${hold} (${h.op} on ${h.thread})`, h.op, this.deadline());
    this.held.delete(hold);
    this.heldThreads.delete(h.thread);
    if (this.held.size === 0) this.conn.armPatient();
    return this.callResult(outcome, h.op);
  }

  /** exclusive() on every thread of `threads` (sorted, so two callers never wait on each other). */
  private exclusiveAll<T>(threads: readonly string[], fn: () => Promise<T>): Promise<T> {
    if (threads.length === 0) return fn();
    return this.exclusive(threads[0], () => this.exclusiveAll(threads.slice(1), fn));
  }

  /** Refuses, without sending, what the declared capabilities or the thread discipline forbid. */
  private threadCheck(thread: string): CallResult | undefined {
    if (!this.declares('threads')) {
      this.soleThread ??= thread;
      if (thread !== this.soleThread) {
        return {
          kind: 'unsupported',
          reason: `a call on a second thread ('${thread}' after '${this.soleThread}') needs the threads capability, which ${this.info.name} did not declare`,
        };
      }
    }
    const token = this.heldThreads.get(thread);
    if (token !== undefined) {
      return { kind: 'protocol-error', reason: `adapter misuse: a call on thread ${thread} while its call '${token}' is held; release it first` };
    }
    return undefined;
  }

  /**
   * One request at a time per logical thread; one at a time overall without `threads`. A thread no
   * request waits on starts at once: no promise but fn's own (each costs the more under cucumber's
   * AsyncLocalStorage); the others start in the order they came, each when the one before is done.
   */
  private exclusive<T>(thread: string, fn: () => Promise<T>): Promise<T> {
    const key = this.declares('threads') ? thread : '*';
    const waiting = this.queues.get(key);
    if (waiting === undefined) {
      this.queues.set(key, []);
      return this.runExclusive(key, fn);
    }
    return new Promise<void>((resolve) => waiting.push(resolve)).then(() => this.runExclusive(key, fn));
  }

  /** fn on the thread `key` holds; when it is done (or failed), the next waiting on `key` starts. */
  private runExclusive<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const next = (): void => {
      const waiting = this.queues.get(key);
      const first = waiting?.shift();
      if (first !== undefined) first();
      else this.queues.delete(key);
    };
    let run: Promise<T>;
    try {
      run = fn();
    } catch (e) {
      // Thrown where fn threw (every caller is an async function: a rejection there).
      next();
      throw e;
    }
    return run.then(
      (v) => {
        next();
        return v;
      },
      (e: unknown) => {
        next();
        throw e;
      },
    );
  }

  /** A `returned` or `unsupported` answer's result without a promise; undefined for a fault (callResult() it). */
  private returnedNow<O extends OperationName>(a: Answer): CallResult<O> | undefined {
    if (a.result === 'returned') return a.err >= 0 ? { kind: 'returned', err: a.err, out: (a.out ?? {}) as Partial<OutOf<O>> } : { kind: 'returned', err: a.err };
    if (a.result === 'unsupported') return { kind: 'unsupported', reason: a.reason };
    return undefined;
  }

  private async callResult<O extends OperationName>(outcome: Outcome, op: O): Promise<CallResult<O>> {
    if (outcome.kind !== 'answer') return outcome;
    return this.returnedNow<O>(outcome.answer) ?? this.faultFrom(outcome.answer, op);
  }

  /** A crash answer (an exception inside the call) or an answer the request does not allow. */
  private async faultFrom(a: Answer, what: string): Promise<ImplementationFault> {
    if (a.result === 'crash') {
      this.restartAtReset = true;
      return { kind: 'crash', reason: `exception inside ${what}: ${a.code}: ${a.message}`, code: a.code, ...tailField(this.conn.stderrTail()) };
    }
    // Stopped before the tail is read: its last bytes come with the pipes' close.
    await this.conn.stop();
    const detail = a.result === 'error' ? `an error answer '${a.error}': ${a.message}` : `a '${a.result}' answer`;
    return { kind: 'protocol-error', reason: `${what} (id ${a.id}): got ${detail}`, ...tailField(this.conn.stderrTail()) };
  }

  private async status(body: Parameters<ProcessConnection['request']>[0], what: string): Promise<AdapterStatus> {
    const outcome = await this.conn.request(body, what, undefined, this.deadline());
    if (outcome.kind !== 'answer') return outcome;
    const a = outcome.answer;
    if (a.result === 'ok') return { kind: 'ok' };
    if (a.result === 'unsupported') return { kind: 'unsupported', reason: a.reason };
    return this.faultFrom(a, what);
  }

  async close(): Promise<void> {
    await this.conn.shutdown();
  }

  /**
   * Ends the run: shuts the process down and returns a protocol violation that came after the last
   * scenario's last call (a repeated answer, garbage), or a crash or hang after answering shutdown,
   * which no later scenario can carry.
   */
  async finish(): Promise<ImplementationFault | undefined> {
    const before = this.conn.takeStray();
    const end = await this.conn.shutdown();
    return before ?? this.conn.takeStray() ?? end.violation ?? end.fault;
  }
}

/** A call's answer that came as a reset ended it (reset-waiting): as data, without restarting or stopping anything. */
function afterReset(a: Answer, what: string): CallResult {
  if (a.result === 'returned') return a.err >= 0 ? { kind: 'returned', err: a.err, out: a.out ?? {} } : { kind: 'returned', err: a.err };
  if (a.result === 'unsupported') return { kind: 'unsupported', reason: a.reason };
  if (a.result === 'crash') return { kind: 'crash', reason: `ended by the reset: ${what}: ${a.code}: ${a.message}`, code: a.code };
  return { kind: 'protocol-error', reason: `${what}: got a '${a.result}' answer as the reset ended it` };
}

/** A chain call's args for the request that starts at call `start`: references before it become the values they name. */
function chainArgs(args: Record<string, unknown>, start: number, results: readonly CallResult[]): Record<string, unknown> | string {
  let out: Record<string, unknown> | undefined;
  for (const k in args) {
    const v = args[k];
    if (!isOutRef(v)) continue;
    out ??= { ...args };
    if (v.ref >= start) {
      out[k] = { ref: v.ref - start, out: v.out };
      continue;
    }
    const r = results[v.ref];
    const value = r?.kind === 'returned' ? (r.out as Record<string, unknown> | undefined)?.[v.out] : undefined;
    if (value === undefined) return `${k} refers to out-value ${v.out} of call ${v.ref}, which gave none`;
    out[k] = value;
  }
  return out ?? args;
}

function tailField(tail: string | undefined): { stderrTail?: string } {
  return tail === undefined ? {} : { stderrTail: tail };
}

function tailOf(outcome: Outcome, conn: ProcessConnection): { stderrTail?: string } {
  return outcome.kind !== 'answer' && outcome.stderrTail !== undefined ? { stderrTail: outcome.stderrTail } : tailField(conn.stderrTail());
}

function withReason(f: ImplementationFault, reason: string): ImplementationFault {
  return { ...f, reason };
}

/** What protocol section 4 answers with a restart: reset-failed, an exit. */
function mayRetryReset(outcome: Outcome): boolean {
  if (outcome.kind === 'crash') return true;
  if (outcome.kind !== 'answer') return false;
  const a = outcome.answer;
  return a.result === 'error' && a.error === 'reset-failed';
}

/** An exception inside reset (a `crash` answer), a death by a signal or a non-zero exit while resetting: no chosen exit. */
function crashedInReset(outcome: Outcome): boolean {
  if (outcome.kind === 'answer') return outcome.answer.result === 'crash';
  return outcome.kind === 'crash' && outcome.code !== undefined && (/^SIG[A-Z0-9]+$/.test(outcome.code) || /^exit -?[1-9]\d*$/.test(outcome.code));
}

function formatMs(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000} min` : ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

function describeFailure(outcome: Outcome): string {
  if (outcome.kind !== 'answer') return outcome.reason;
  const a = outcome.answer;
  if (a.result === 'error') return `reset answered '${a.error}': ${a.message}`;
  if (a.result === 'crash') return `exception inside reset: ${a.code}: ${a.message}`;
  return `reset answered '${a.result}'`;
}

/** Starts COMMAND and shakes hands; a failed handshake is a setup error (one line). */
export async function openProcessImplementation(options: ProcessAdapterOptions): Promise<Implementation | { readonly error: string }> {
  const command = options.command ?? [];
  if (command.length === 0 || command[0] === '') {
    return { error: 'the process adapter needs the implementation command after --, e.g. run --adapter process -- ./my-ese-server' };
  }
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const limits: TimeLimits = {
    callMs: timeoutMs,
    scenarioMs: options.scenarioTimeoutMs ?? Math.max(defaultScenarioTimeoutMs, timeoutMs),
    budgetMs: options.budgetMs ?? Math.max(defaultBudgetMs, timeoutMs),
  };
  for (const [name, v] of Object.entries(limits)) {
    if (!Number.isInteger(v) || v <= 0) return { error: `${name} must be a positive number of milliseconds, got ${v}` };
  }
  const conn: ConnectionOptions = { command, timeoutMs, maxLineBytes: options.maxLineBytes ?? defaultMaxLineBytes };
  const suiteVersion = options.suiteVersion ?? '0.0.0';
  const startedAt = Date.now();
  const h = await handshake(conn, suiteVersion, { at: startedAt + limits.budgetMs, what: 'the run\'s time budget (--budget)' });
  if ('error' in h) return { error: h.error };
  return new ProcessImplementation(h.conn, h.hello, conn, suiteVersion, options.target, limits, startedAt);
}
