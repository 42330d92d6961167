/**
 * A minimal JSON-lines client for the bridge tests: speaks docs/protocol.md directly (not through
 * the process adapter) so the tests see exactly the lines the bridge writes, and validates every
 * answer against schemas/protocol/.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { violation } from '../../../adapters/process/schema';

export type Answer = { readonly id: number; readonly result: string } & Record<string, unknown>;

export class BridgeClient {
  private readonly child: ChildProcessWithoutNullStreams;
  private buffer = '';
  private nextId = 1;
  private readonly waiting = new Map<number, (a: Answer) => void>();
  /** Every answer line, in arrival order. */
  readonly lines: string[] = [];
  /** Lines that are not valid answers (schema violations, unknown ids). */
  readonly problems: string[] = [];
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(exe: string, args: readonly string[], env: NodeJS.ProcessEnv) {
    this.child = spawn('wine', [exe, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.setEncoding('utf8').on('data', (d: string) => this.onData(d));
    this.child.stderr.setEncoding('utf8').on('data', (d: string) => (this.stderr += d));
    this.child.stdin.on('error', () => undefined);
    // 'exit', not 'close': a Wine helper process may inherit and hold the pipes.
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
  }

  private onData(d: string): void {
    this.buffer += d;
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + 1);
      this.lines.push(line);
      let a: Answer;
      try {
        a = JSON.parse(line) as Answer;
      } catch {
        this.problems.push(`not JSON: ${line}`);
        continue;
      }
      const v = violation('answers', '', a);
      if (v !== undefined) this.problems.push(`schema: ${v}: ${line}`);
      const resolve = this.waiting.get(a.id);
      if (!resolve) this.problems.push(`unexpected id: ${line}`);
      else {
        this.waiting.delete(a.id);
        resolve(a);
      }
    }
  }

  /** Writes a raw line (for malformed input); no answer is awaited. */
  writeRaw(line: string): void {
    this.child.stdin.write(line + '\n');
  }

  /** Sends a request and resolves to its answer; rejects after timeoutMs. */
  request(body: Record<string, unknown>, timeoutMs = 10_000): Promise<Answer> {
    const id = this.nextId++;
    return new Promise<Answer>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`no answer to ${JSON.stringify(body)} within ${timeoutMs} ms; stderr: ${this.stderr.slice(-500)}`));
      }, timeoutMs);
      this.waiting.set(id, (a) => {
        clearTimeout(timer);
        resolve(a);
      });
      this.child.stdin.write(JSON.stringify({ id, ...body }) + '\n');
    });
  }

  hello(extra: Record<string, unknown> = {}): Promise<Answer> {
    return this.request({ cmd: 'hello', protocol: 1, suite: { name: 'ese-conformance', version: '0' }, timeoutMs: 10000, maxLineBytes: 1048576, ...extra });
  }

  /** A call; checks its answer against the per-operation answer schema too. */
  async call(thread: string, op: string, args: Record<string, unknown>): Promise<Answer> {
    const a = await this.request({ cmd: 'call', thread, op, args });
    if (['returned', 'crash', 'unsupported'].includes(a.result)) {
      const v = violation('operations', `/$defs/answer/${op}`, a);
      if (v !== undefined) this.problems.push(`${op} answer: ${v}: ${JSON.stringify(a)}`);
    }
    return a;
  }

  /** A call that must return; gives its err and out. */
  async returned(thread: string, op: string, args: Record<string, unknown>): Promise<{ err: number; out: Record<string, unknown> }> {
    const a = await this.call(thread, op, args);
    if (a.result !== 'returned') throw new Error(`${op}: expected a returned answer, got ${JSON.stringify(a)}`);
    return { err: a.err as number, out: (a.out as Record<string, unknown> | undefined) ?? {} };
  }

  closeInput(): void {
    this.child.stdin.end();
  }

  /** Waits for the exit, killing the process after timeoutMs. */
  async waitExit(timeoutMs = 10_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }
}
