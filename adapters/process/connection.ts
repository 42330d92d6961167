/**
 * One running implementation process and the protocol's client side: ids, answers matched by id,
 * a timeout per request, a size limit per line, schema validation of every answer. Any fault
 * (exit, hang, garbage, wrong id, oversize line) kills the process and resolves every unanswered
 * request with the fault as data; later requests get the same fault until the owner restarts.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { ImplementationFault, OperationName } from '../types';
import { LineSplitter, TailBuffer } from './lines';
import { violation } from './schema';
import { allowedResults, stderrTailBytes, type Answer, type Command, type Request } from './wire';

export interface ConnectionOptions {
  readonly command: readonly string[];
  readonly timeoutMs: number;
  readonly maxLineBytes: number;
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
  readonly resolve: (o: Outcome) => void;
  timer?: NodeJS.Timeout;
}

/** A fault without its stderr tail: the tail is read when the process is really gone. */
type FaultDraft = { kind: ImplementationFault['kind']; reason: string; code?: string };

const live = new Set<ChildProcessWithoutNullStreams>();
let exitHookInstalled = false;

/** Children must not outlive the suite, whatever ends it. */
function track(child: ChildProcessWithoutNullStreams): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const c of live) c.kill('SIGKILL');
    });
  }
}

function within(p: Promise<void>, ms: number): Promise<boolean> {
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

export class ProcessConnection {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly pending = new Map<number, Pending>();
  private readonly tail = new TailBuffer(stderrTailBytes);
  private nextId = 1;
  /** Set once the process is unusable; every later request gets it. */
  private deadFault: ImplementationFault | undefined;
  private dying = false;
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  /** The process and all its pipes are closed (never, when a grandchild such as a Wine helper keeps them). */
  private readonly closed: Promise<void>;
  /** The process itself has exited. */
  private readonly exited: Promise<void>;
  /** Resolves once a fault has been dispatched to every unanswered request. */
  private readonly dead: Promise<void>;
  private markDead!: () => void;

  constructor(readonly options: ConnectionOptions) {
    const [file, ...args] = options.command;
    // No shell: argv exactly as given.
    this.child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    track(this.child);
    const splitter = new LineSplitter(options.maxLineBytes, {
      line: (text) => this.onLine(text),
      oversize: (max) =>
        this.die({ kind: 'protocol-error', reason: `a line over ${max} bytes (the limit of one protocol line)` }),
    });
    this.child.stdout.on('data', (chunk: Buffer) => {
      if (!this.dying) splitter.push(chunk);
    });
    this.child.stdout.on('end', () => {
      if (!this.dying) splitter.end();
    });
    this.child.stderr.on('data', (chunk: Buffer) => this.tail.push(chunk));
    this.child.stdin.on('error', () => {
      /* EPIPE when the process is gone: its exit is reported instead. */
    });
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
      // Lines written just before the exit are still in the pipe: read them first.
      void this.waitClosed(250).then(() => this.die({ kind: 'crash', reason: this.describeExit(), ...(signal ? { code: signal } : code !== null ? { code: `exit ${code}` } : {}) }));
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

  /** Sends one request; resolves with its answer or a fault, within the timeout. Never rejects. */
  request(body: RequestBody, label: string, op?: OperationName): Promise<Outcome> {
    if (this.deadFault) return Promise.resolve(this.deadFault);
    if (this.dying) return this.dead.then(() => this.deadFault as ImplementationFault);
    const id = this.nextId++;
    const line = JSON.stringify({ id, ...body });
    if (Buffer.byteLength(line) > this.options.maxLineBytes) {
      return Promise.resolve({ kind: 'protocol-error', reason: `${label}: the request is over ${this.options.maxLineBytes} bytes; not sent` });
    }
    return new Promise<Outcome>((resolve) => {
      const p: Pending = { id, cmd: body.cmd, label: `${label} (id ${id})`, ...(op ? { op } : {}), resolve };
      p.timer = setTimeout(() => {
        this.die({ kind: 'timeout', reason: `${p.label}: no answer within ${this.options.timeoutMs} ms` }, p.id);
      }, this.options.timeoutMs);
      this.pending.set(id, p);
      this.child.stdin.write(line + '\n');
    });
  }

  /**
   * The clean shutdown: `shutdown`, stdin closed, exit awaited within the timeout, then SIGKILL.
   * Resolves with what happened, for smoke to judge.
   */
  async shutdown(): Promise<{ readonly clean: boolean; readonly detail: string }> {
    if (!this.usable || this.pending.size > 0) {
      this.kill();
      await this.waitExited(this.options.timeoutMs);
      return { clean: false, detail: this.deadFault ? this.deadFault.reason : 'requests were unanswered; killed' };
    }
    const outcome = await this.request({ cmd: 'shutdown' }, 'shutdown');
    this.child.stdin.end();
    const exited = await this.waitExited(this.options.timeoutMs);
    if (!exited) {
      this.kill();
      await this.waitExited(1000);
      return { clean: false, detail: `did not exit within ${this.options.timeoutMs} ms after shutdown; killed` };
    }
    if (outcome.kind !== 'answer') {
      // The exit raced the answer: the exit itself may have been fine.
      return { clean: false, detail: `shutdown: ${outcome.reason}` };
    }
    const { code, signal } = this.exitInfo ?? { code: null, signal: null };
    if (code !== 0) return { clean: false, detail: `exited with ${signal ? `signal ${signal}` : `code ${code}`} after shutdown (expected 0)` };
    return { clean: true, detail: 'exited with code 0' };
  }

  /** Ends the process at once (SIGKILL). */
  kill(): void {
    // Closing stdin too lets a grandchild (a wrapper such as npx) see end of file and exit.
    this.child.stdin.destroy();
    if (this.exitInfo === undefined) this.child.kill('SIGKILL');
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

  private onLine(text: string): void {
    if (this.dying) return;
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
      this.die({
        kind: 'protocol-error',
        reason: `got an answer with id ${id}, which is not an unanswered request (${open.length ? `unanswered: ${open.join(', ')}` : 'none is unanswered'}): ${quote(text)}`,
      });
      return;
    }
    const problem = this.check(p, msg as { result?: unknown });
    if (problem) {
      this.die({ kind: 'protocol-error', reason: `${p.label}: ${problem}` }, p.id);
      return;
    }
    this.pending.delete(id);
    clearTimeout(p.timer);
    p.resolve({ kind: 'answer', answer: msg as Answer });
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
      const badOut = violation('operations', `/$defs/out/${p.op}`, msg.out ?? {}, '/out');
      if (badOut) return `the answer breaks the schema: ${badOut} (out-values of ${p.op} with err ${msg.err})`;
    }
    return undefined;
  }

  /**
   * The process is unusable: kill it, wait briefly for its last stderr, then resolve every
   * unanswered request. `culprit` is the request the fault belongs to; the others name it.
   */
  private die(draft: FaultDraft, culprit?: number): void {
    if (this.dying || this.deadFault) return;
    this.dying = true;
    this.kill();
    const culpritLabel = culprit === undefined ? undefined : this.pending.get(culprit)?.label;
    // The last stderr lines arrive with the pipes' close, which a grandchild may delay: bounded.
    void this.waitExited(1000)
      .then(() => this.waitClosed(250))
      .then(() => this.dispatch(draft, culprit, culpritLabel));
  }

  private dispatch(draft: FaultDraft, culprit: number | undefined, culpritLabel: string | undefined): void {
    const base = { ...draft, ...this.tailField() } as ImplementationFault;
    this.deadFault = { ...base, reason: `the process had already failed: ${draft.reason}` };
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
