/**
 * One running implementation process and the protocol's client side: ids, answers matched by id,
 * a timeout per request (bounded further by the scenario's and the run's deadlines), a size and
 * shape limit per line, schema validation of every answer. Any fault (exit, hang, garbage, a wrong
 * or repeated id, an oversize or overdeep line, a closed stdout) stops the process's whole group
 * and then resolves every unanswered request with the fault as data; later requests get the same
 * fault until the owner restarts. A violation no request was waiting for is kept as a stray fault
 * for the owner to report (never forgiven by a silent restart).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { ImplementationFault } from '../types';
import type { OperationName } from '../../api';
import { scanJson } from './bounds';
import { groupMembers, isPosix, signalGroup, trackGroup, untrackGroup, waitGroupGone } from './group';
import { LineSplitter, TailBuffer } from './lines';
import { outViolation, violation } from './schema';
import { allowedResults, endsBatch, stderrTailBytes, unfoldAnswers, type Answer, type Command, type Request } from './wire';

export interface ConnectionOptions {
  readonly command: readonly string[];
  /** The time one request may take (docs/protocol.md section 10). */
  readonly timeoutMs: number;
  readonly maxLineBytes: number;
  /** From SIGTERM to SIGKILL when the group is stopped (default 1000 ms). */
  readonly killGraceMs?: number;
}

/** A limit above the request's own timeout: the scenario's or the run's, as an absolute time. */
export interface Deadline {
  readonly at: number;
  /** Names the limit in a reason: "the scenario's time limit (120000 ms)". */
  readonly what: string;
}

/** What a request comes back with: a schema-valid answer of an allowed kind, or a fault. */
export type Outcome = { readonly kind: 'answer'; readonly answer: Answer } | ImplementationFault;

/** Requests as the caller gives them: the connection numbers them. */
export type RequestBody = Request extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

interface Pending {
  readonly id: number;
  readonly cmd: Command;
  /** "JetBeginSession (id 7) on t1": names the request in fault reasons. */
  readonly label: string;
  /** The operation whose out-values a `returned` answer must carry. */
  readonly op?: OperationName;
  /** A batch's operations, in order, the code each call expects (chain), and whether its first failure ends it (protocol 1.1). */
  readonly batch?: BatchShape;
  /** Calls the request makes (a batch's count, else 1): its timeout is that many request timeouts. */
  readonly calls: number;
  readonly resolve: (o: Outcome) => void;
  timer?: NodeJS.Timeout;
  /** Sent while a call was held: may wait for the release, so its own timeout starts then. */
  patient?: { readonly deadline: Deadline | undefined } | undefined;
}

type BatchShape = { readonly ops: readonly OperationName[]; readonly expects: readonly (number | undefined)[]; readonly expectOuts: readonly (Readonly<Record<string, unknown>> | undefined)[]; readonly stopOnError: boolean };

/** A fault without its stderr tail: the tail is read when the process is really gone. */
type FaultDraft = { kind: ImplementationFault['kind']; reason: string; code?: string };

/** The last stdout lines and stderr bytes after an exit or a kill: bounded, a descendant may hold the pipes. */
const drainMs = 1000;
/** How long SIGKILL may take to empty the group before the connection gives up on it. */
const killWaitMs = 5000;
/** Answered ids remembered to name a repeated answer. */
const answeredMemory = 1024;

function within(p: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void p.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** A line as evidence in a reason: truncated, control characters escaped, in single quotes. */
function quote(text: string, max = 120): string {
  const s = text.length > max ? `${text.slice(0, max)}...` : text;
  return `'${s.replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1))}'`;
}

/**
 * How a shutdown ended. `violation`: a broken answer to shutdown. `fault`: the process answered and
 * then crashed (a signal, a non-zero exit) or hung while releasing what the last scenario left:
 * that scenario's CRASH or TIMEOUT, as the same end during a reset would be.
 */
export interface ShutdownEnd {
  readonly clean: boolean;
  readonly detail: string;
  readonly violation?: ImplementationFault;
  readonly fault?: ImplementationFault;
}

export class ProcessConnection {
  private readonly child: ChildProcessWithoutNullStreams;
  /** The process group (POSIX): the child's pid, as it leads a group of its own. */
  private readonly pgid: number | undefined;
  private readonly pending = new Map<number, Pending>();
  private readonly answered = new Map<number, string>();
  private readonly tail = new TailBuffer(stderrTailBytes);
  private nextId = 1;
  /** Set once the process is unusable; every later request gets it. */
  private deadFault: ImplementationFault | undefined;
  /** A protocol violation that arrived while no request (but shutdown) was unanswered. */
  private strayFault: ImplementationFault | undefined;
  private dying = false;
  private shuttingDown = false;
  private stopping: Promise<boolean> | undefined;
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** The process died on its own: a signal the adapter did not send, or a non-zero exit code. */
  private crashedOnItsOwn = false;
  /** The process and all its pipes are closed. */
  private readonly closed: Promise<void>;
  /** The process itself has exited. */
  private readonly exited: Promise<void>;
  /** Every line the process wrote to stdout has been read. */
  private readonly stdoutEnded: Promise<void>;
  /** Resolves once a fault has been dispatched to every unanswered request. */
  private readonly dead: Promise<void>;
  private markDead!: () => void;

  /** Protocol 1.1 `repeat` agreed in the handshake: a batch answer may fold equal answers (wire.ts foldAnswers). */
  foldedAnswers = false;

  constructor(readonly options: ConnectionOptions) {
    const [file, ...args] = options.command;
    // No shell: argv exactly as given. A group of its own, so that every descendant can be ended.
    this.child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true, detached: isPosix });
    this.pgid = isPosix ? this.child.pid : undefined;
    if (this.pgid !== undefined) trackGroup(this.pgid);
    const splitter = new LineSplitter(options.maxLineBytes, {
      line: (text) => this.onLine(text),
      oversize: (max) =>
        this.die({ kind: 'protocol-error', reason: `a line over ${max} bytes (the limit of one protocol line)` }),
    });
    this.child.stdout.on('data', (chunk: Buffer) => {
      if (!this.dying) splitter.push(chunk);
    });
    this.stdoutEnded = new Promise((resolve) => {
      this.child.stdout.once('end', () => resolve());
      this.child.stdout.once('close', () => resolve());
    });
    this.child.stdout.once('end', () => {
      if (this.dying) return;
      splitter.end();
      this.onStdoutEnd();
    });
    this.child.stderr.on('data', (chunk: Buffer) => this.tail.push(chunk));
    for (const stream of [this.child.stdin, this.child.stdout, this.child.stderr]) {
      stream.on('error', () => {
        /* EPIPE when the process is gone: its exit is reported instead. */
      });
    }
    this.dead = new Promise((resolve) => (this.markDead = resolve));
    this.closed = new Promise((resolve) => {
      this.child.once('close', () => resolve());
      this.child.once('error', () => resolve());
    });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.once('error', () => resolve());
    });
    this.child.once('error', (e) => this.die({ kind: 'crash', reason: `cannot start ${quote(file)}: ${e.message}` }));
    this.child.once('exit', (code, signal) => {
      this.exitInfo = { code, signal };
      // Killed by a signal the adapter did not send (SIGSEGV, SIGABRT), or a non-zero exit code (a
      // panic, an uncaught exception): a crash, never the chosen exit that section 4 allows.
      this.crashedOnItsOwn = (signal !== null || (code !== null && code !== 0)) && this.stopping === undefined && !this.shuttingDown;
      // Lines written just before the exit are still in the pipe: read them first (bounded).
      void within(this.stdoutEnded, drainMs).then(() =>
        this.die({ kind: 'crash', reason: this.describeExit(), ...(signal ? { code: signal } : code !== null ? { code: `exit ${code}` } : {}) }),
      );
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** True until the process failed, exited or was killed. */
  get usable(): boolean {
    return this.deadFault === undefined && !this.dying;
  }

  get unanswered(): number {
    return this.pending.size;
  }

  stderrTail(): string | undefined {
    return this.tail.text();
  }

  /** The violation (or crash) no request was waiting for, once (then forgotten). */
  takeStray(): ImplementationFault | undefined {
    const f = this.strayFault;
    this.strayFault = undefined;
    return f;
  }

  /**
   * Sends one request; resolves with its answer or a fault within the timeout, or earlier when
   * `deadline` comes first (then the request is not even sent if it has passed). Never rejects.
   */
  request(body: RequestBody, label: string, op?: OperationName, deadline?: Deadline, patient = false, callsJson?: string): Promise<Outcome> {
    if (this.deadFault) return Promise.resolve(this.deadFault);
    if (this.dying) return this.dead.then(() => this.deadFault as ImplementationFault);
    // A batch of n calls has the time of n calls (never a TIMEOUT that the calls one by one would not get).
    const calls = body.cmd === 'batch' ? body.calls.length : 1;
    let ms = this.options.timeoutMs * calls;
    let why = calls === 1 ? `no answer within ${ms} ms` : `no answer within ${ms} ms (${calls} calls of ${this.options.timeoutMs} ms)`;
    if (deadline !== undefined && deadline.at - Date.now() < ms) {
      ms = deadline.at - Date.now();
      if (ms <= 0) return Promise.resolve({ kind: 'timeout', reason: `${label}: not sent: ${deadline.what} had run out` });
      why = `no answer before ${deadline.what} ran out`;
    }
    const id = this.nextId++;
    const line = body.cmd === 'batch' && callsJson !== undefined ? batchLine(id, body, callsJson) : JSON.stringify({ id, ...body });
    // A UTF-16 unit is at most 3 bytes of UTF-8: the bytes are counted only when the line may be over the limit.
    if (line.length * 3 > this.options.maxLineBytes && Buffer.byteLength(line) > this.options.maxLineBytes) {
      return Promise.resolve({ kind: 'protocol-error', reason: `${label}: the request is over ${this.options.maxLineBytes} bytes; not sent` });
    }
    return new Promise<Outcome>((resolve) => {
      const batch: BatchShape | undefined =
        body.cmd === 'batch' ? { ops: body.calls.map((c) => c.op as OperationName), expects: body.calls.map((c) => c.expect), expectOuts: body.calls.map((c) => c.expectOut), stopOnError: body.stopOnError } : undefined;
      const p: Pending = { id, cmd: body.cmd, label: `${label} (id ${id})`, calls, ...(op ? { op } : {}), ...(batch ? { batch } : {}), resolve };
      if (patient && deadline !== undefined) {
        // Bounded by the scenario's and the run's limits only, until armPatient() after the release.
        p.patient = { deadline };
        const left = Math.max(0, deadline.at - Date.now());
        p.timer = setTimeout(() => this.die({ kind: 'timeout', reason: `${p.label}: no answer before ${deadline.what} ran out` }, p.id), left);
      } else {
        p.timer = setTimeout(() => this.die({ kind: 'timeout', reason: `${p.label}: ${why}` }, p.id), ms);
      }
      this.pending.set(id, p);
      this.child.stdin.write(line + '\n');
    });
  }

  /** The held calls were released: requests that waited for it now get their own timeout. */
  armPatient(): void {
    for (const p of this.pending.values()) {
      if (p.patient === undefined) continue;
      const deadline = p.patient.deadline;
      p.patient = undefined;
      clearTimeout(p.timer);
      let ms = this.options.timeoutMs * p.calls;
      let why = `no answer within ${ms} ms of the release of the held calls`;
      if (deadline !== undefined && deadline.at - Date.now() < ms) {
        ms = Math.max(0, deadline.at - Date.now());
        why = `no answer before ${deadline.what} ran out`;
      }
      p.timer = setTimeout(() => this.die({ kind: 'timeout', reason: `${p.label}: ${why}` }, p.id), ms);
    }
  }

  /**
   * The clean shutdown: `shutdown`, stdin closed, exit awaited within the timeout; then the group
   * is stopped in any case (descendants must not outlive the run). Resolves with what happened,
   * for smoke to judge.
   */
  async shutdown(): Promise<ShutdownEnd> {
    if (!this.usable || this.pending.size > 0) {
      await this.stop();
      return { clean: false, detail: this.deadFault ? this.deadFault.reason : 'requests were unanswered; killed' };
    }
    this.shuttingDown = true;
    const outcome = await this.request({ cmd: 'shutdown' }, 'shutdown');
    this.child.stdin.end();
    const exited = await this.waitExited(this.options.timeoutMs);
    await this.stop();
    if (!exited) {
      const detail = `did not exit within ${this.options.timeoutMs} ms after shutdown; killed`;
      return { clean: false, detail, ...(outcome.kind === 'answer' ? { fault: { kind: 'timeout', reason: `after answering shutdown, the process ${detail}` } } : {}) };
    }
    if (outcome.kind !== 'answer') {
      // No answer: an exit's lines are read before it counts (drainMs), so none was written. Section
      // 11 asks for `ok` first; an exit 0 without it is the last scenario's PROTOCOL_ERROR, a crash or
      // hang its CRASH or TIMEOUT: what was released is unknown either way.
      const silent = outcome.kind === 'crash' && this.exitInfo?.code === 0;
      const fault: ImplementationFault = silent ? { kind: 'protocol-error', reason: 'shutdown: the process exited with code 0 without answering it (protocol section 11: answer ok, release everything, then exit 0)' } : { ...outcome, reason: `shutdown: ${outcome.reason}` };
      return { clean: false, detail: silent ? 'exited with code 0 without answering shutdown' : `shutdown: ${outcome.reason}`, ...(fault.kind === 'protocol-error' ? { violation: fault } : { fault }) };
    }
    const { code, signal } = this.exitInfo ?? { code: null, signal: null };
    if (code !== 0) {
      const how = signal ? `signal ${signal}` : `code ${code}`;
      return { clean: false, detail: `exited with ${how} after shutdown (expected 0)`, fault: { kind: 'crash', reason: `after answering shutdown, the process exited with ${how} (protocol section 11: release everything, exit 0)` } };
    }
    return { clean: true, detail: 'exited with code 0' };
  }

  /** Starts stopping the process group (see stop); returns at once. */
  kill(): void {
    void this.stop();
  }

  /**
   * Ends the process and every descendant in its group: stdin closed, SIGTERM to the group, SIGKILL
   * after the grace period, then a bounded drain of the pipes (a descendant that left the group may
   * hold them). Resolves true when no member of the group is left. Idempotent.
   */
  stop(): Promise<boolean> {
    this.stopping ??= this.doStop();
    return this.stopping;
  }

  /** The pids of the group still alive (for tests and for the reason of a failed stop). */
  survivors(): number[] {
    return this.pgid === undefined ? [] : groupMembers(this.pgid);
  }

  private async doStop(): Promise<boolean> {
    this.child.stdin.destroy();
    let gone: boolean;
    if (this.pgid !== undefined) {
      signalGroup(this.pgid, 'SIGTERM');
      gone = await waitGroupGone(this.pgid, this.options.killGraceMs ?? 1000);
      if (!gone) {
        signalGroup(this.pgid, 'SIGKILL');
        gone = await waitGroupGone(this.pgid, killWaitMs);
      }
      await this.waitExited(killWaitMs);
      if (gone) untrackGroup(this.pgid);
    } else {
      if (this.exitInfo === undefined) this.child.kill('SIGKILL');
      gone = await this.waitExited(killWaitMs);
    }
    if (!(await this.waitClosed(drainMs))) {
      this.child.stdout.destroy();
      this.child.stderr.destroy();
    }
    return gone;
  }

  /** Resolves true when the process has exited within `ms`. */
  waitExited(ms: number): Promise<boolean> {
    return within(this.exited, ms);
  }

  /** Resolves true when the process and its pipes are closed within `ms`. */
  waitClosed(ms: number): Promise<boolean> {
    return within(this.closed, ms);
  }

  private tailField(): { stderrTail?: string } {
    const t = this.tail.text();
    return t === undefined ? {} : { stderrTail: t };
  }

  private describeExit(): string {
    const info = this.exitInfo;
    if (!info) return 'the process ended';
    return info.signal ? `the process was killed by signal ${info.signal}` : `the process exited with code ${info.code}`;
  }

  /** Stdout closed: unless the process is exiting (its exit says more), it can answer nothing more. */
  private onStdoutEnd(): void {
    if (this.shuttingDown) return;
    void this.waitExited(200).then((exited) => {
      if (!exited && !this.shuttingDown) this.die({ kind: 'crash', reason: 'the process closed its stdout and kept running (it can answer nothing more)' });
    });
  }

  private onLine(text: string): void {
    if (this.dying) return;
    // Before anything walks the line (JSON.parse, the schema, JSON.stringify in reports).
    const scan = scanJson(text);
    if (scan.shape !== undefined) {
      this.die({ kind: 'protocol-error', reason: `got ${scan.shape}: ${quote(text, 60)}` });
      return;
    }
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      this.die({ kind: 'protocol-error', reason: `got a line that is not JSON: ${quote(text)}` });
      return;
    }
    if (typeof msg !== 'object' || msg === null || Array.isArray(msg)) {
      this.die({ kind: 'protocol-error', reason: `got a line that is not a JSON object: ${quote(text)}` });
      return;
    }
    const id = (msg as { id?: unknown }).id;
    if (typeof id !== 'number' || !Number.isInteger(id)) {
      this.die({ kind: 'protocol-error', reason: `got an answer without an integer id: ${quote(text)}` });
      return;
    }
    const p = this.pending.get(id);
    if (!p) {
      const open = [...this.pending.keys()];
      const earlier = this.answered.get(id);
      this.die({
        kind: 'protocol-error',
        reason:
          earlier !== undefined
            ? `got a second answer to ${earlier}, which was answered already: ${quote(text)}`
            : `got an answer with id ${id}, which is not an unanswered request (${open.length ? `unanswered: ${open.join(', ')}` : 'none is unanswered'}): ${quote(text)}`,
      });
      return;
    }
    if (scan.number !== undefined) {
      this.die({ kind: 'protocol-error', reason: `${p.label}: got ${scan.number}: ${quote(text)}` }, p.id);
      return;
    }
    const problem = this.check(p, msg) ?? this.resetOrder(p);
    if (problem) {
      this.die({ kind: 'protocol-error', reason: `${p.label}: ${problem}` }, p.id);
      return;
    }
    this.pending.delete(id);
    clearTimeout(p.timer);
    this.answered.set(id, p.label);
    if (this.answered.size > answeredMemory) this.answered.delete(this.answered.keys().next().value as number);
    p.resolve({ kind: 'answer', answer: msg as Answer });
  }

  /**
   * A reset is answered only once every earlier request has been (protocol 1.1 reset-waiting: the
   * calls it ends are answered first; without it, the suite sends reset only when nothing waits).
   */
  private resetOrder(p: Pending): string | undefined {
    if (p.cmd !== 'reset') return undefined;
    const open = [...this.pending.values()].filter((q) => q.id < p.id);
    return open.length === 0 ? undefined : `the reset was answered while ${open.map((q) => q.label).join(', ')} ${open.length === 1 ? 'was' : 'were'} still unanswered (every earlier request is answered first)`;
  }

  /** Names the first way an answer breaks the protocol, or undefined. */
  private check(p: Pending, msg: { result?: unknown; err?: unknown; out?: unknown }): string | undefined {
    const allowed = allowedResults[p.cmd];
    const result = msg.result;
    if (typeof result !== 'string' || !(allowed as readonly string[]).includes(result)) {
      return `expected an answer with result ${allowed.map((r) => `'${r}'`).join(' or ')}, got ${
        result === undefined ? 'no result field' : `result ${JSON.stringify(result)}`
      }`;
    }
    const bad = violation('answers', `/$defs/${result}`, msg);
    if (bad) return `the '${result}' answer breaks the schema: ${bad}`;
    if (result === 'returned' && p.op && typeof msg.err === 'number' && msg.err >= 0) {
      const badOut = outViolation(p.op, msg.out ?? {}, () => '/out');
      if (badOut) return `the answer breaks the schema: ${badOut} (out-values of ${p.op} with err ${msg.err})`;
    }
    if (result === 'batch' && p.batch) {
      const m = msg as { answers: { result: string; err?: number; out?: unknown; repeat?: number }[] };
      if (m.answers.some((a) => a.repeat !== undefined)) {
        if (!this.foldedAnswers) return 'a batch answer with repeat, which the implementation did not list in its hello';
        const unfolded = unfoldAnswers(m.answers, p.batch.ops.length);
        if (unfolded === undefined) return `the batch answer has more answers than its ${p.batch.ops.length} calls`;
        // Read as the answers written out from here on.
        m.answers = unfolded;
      }
      return checkBatch(p.batch, m.answers);
    }
    return undefined;
  }

  /**
   * The process is unusable: stop its group (the last stderr arrives meanwhile, bounded), then
   * resolve every unanswered request. `culprit` is the request the fault belongs to; the others
   * name it. A protocol violation nobody waited for is kept for takeStray().
   */
  private die(draft: FaultDraft, culprit?: number): void {
    if (this.dying || this.deadFault) return;
    this.dying = true;
    const culpritLabel = culprit === undefined ? undefined : this.pending.get(culprit)?.label;
    const stray = culprit === undefined && draft.kind === 'protocol-error' && [...this.pending.values()].every((p) => p.cmd === 'shutdown');
    void this.stop().then(() => this.dispatch(draft, culprit, culpritLabel, stray));
  }

  private dispatch(draft: FaultDraft, culprit: number | undefined, culpritLabel: string | undefined, stray: boolean): void {
    const base = { ...draft, ...this.tailField() } as ImplementationFault;
    this.deadFault = { ...base, reason: `the process had already failed: ${draft.reason}` };
    // Also a crash no request was waiting for (between scenarios): the next reset reports it, as a
    // stray violation, instead of the restart absorbing it.
    if (stray || (this.pending.size === 0 && this.crashedOnItsOwn)) this.strayFault = base;
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      let reason: string;
      if (p.id === culprit) reason = draft.reason;
      else if (culpritLabel) reason = `${p.label}: the process was stopped because of ${draft.reason}`;
      else reason = `${p.label}: ${draft.reason}`;
      p.resolve({ ...base, reason });
    }
    this.pending.clear();
    this.markDead();
  }
}

/**
 * A batch request's line around its calls, already serialized as a JSON array (once, by the adapter
 * that counts their bytes): the same JSON as JSON.stringify({ id, ...body }).
 */
function batchLine(id: number, body: Extract<RequestBody, { cmd: 'batch' }>, callsJson: string): string {
  return `{"id":${id},"cmd":"batch","thread":${JSON.stringify(body.thread)},"calls":${callsJson},"stopOnError":${body.stopOnError}}`;
}

/**
 * Names the first way a batch answer breaks protocol 1.1, or undefined: one answer per call made,
 * in order, each with its operation's out-values, ending exactly where the batch ends.
 */
function checkBatch(batch: BatchShape, answers: readonly { result: string; err?: number; out?: unknown }[]): string | undefined {
  if (answers.length > batch.ops.length) return `the batch answer has ${answers.length} answers for ${batch.ops.length} calls`;
  for (const [i, a] of answers.entries()) {
    const op = batch.ops[i];
    if (a.result === 'returned' && typeof a.err === 'number' && a.err >= 0) {
      const badOut = outViolation(op, a.out ?? {}, () => `/answers/${i}/out`);
      if (badOut) return `the batch answer breaks the schema: ${badOut} (out-values of ${op} with err ${a.err})`;
    }
    const last = i === answers.length - 1;
    const ends = endsBatch(a, batch.stopOnError, batch.expects[i], batch.expectOuts[i]);
    if (!last && ends) return `the batch answer goes on after answer ${i} (${op}: ${a.result}${a.err === undefined ? '' : ` ${a.err}`}), which ends the batch`;
    if (last && answers.length < batch.ops.length && !ends) {
      return `the batch answer stops after ${answers.length} of ${batch.ops.length} calls, at an answer that does not end it (${op}: ${a.result}${a.err === undefined ? '' : ` ${a.err}`})`;
    }
  }
  return undefined;
}
