/**
 * `ese-conformance smoke -- COMMAND [ARGS...]`: a self-test for authors of process implementations.
 * Walks the protocol once (handshake, reset, a begin/end pair, the stale and forged handles, an
 * unknown operation, a reset after use, shutdown) and prints one line per check, `problem:` for
 * each thing to fix. Exit 0 all well, 1 problems, 2 usage.
 */
import { handshake } from '../../adapters/process/adapter';
import { ProcessConnection, type Outcome } from '../../adapters/process/connection';
import { suiteVersion } from '../../adapters/process/index';
import { defaultMaxLineBytes, defaultTimeoutMs } from '../../adapters/process/wire';
import type { ForgedHandleKind, OperationName } from '../../api';
import { describeErr, JET_errors } from '../../api';
import { UsageError, type Command } from '../command';
import { safePrinter } from '../../text/terminal';

const usage = `Usage: ese-conformance smoke [--timeout-ms N] [--max-line-bytes N] -- COMMAND [ARGS...]

Starts COMMAND (no shell) and checks that it speaks the JSON-lines protocol (docs/protocol.md):
handshake, reset, JetCreateInstance/JetInit/JetBeginSession/JetEndSession/JetTerm, JetEndSession
on the ended sesid and on the forged nil, zero and never-issued handles (-1104), the error answer
to an unknown operation, a reset after use, and a clean shutdown. One line per check.

  --timeout-ms N       timeout of each request, the handshake included (default ${defaultTimeoutMs})
  --max-line-bytes N   size limit of one protocol line (default ${defaultMaxLineBytes})

Exit codes: 0 all well, 1 problems found, 2 usage error.`;

interface SmokeOptions {
  readonly command: readonly string[];
  readonly timeoutMs: number;
  readonly maxLineBytes: number;
}

function positiveInt(flag: string, text: string | undefined, min: number): number {
  const v = Number(text);
  if (text === undefined || !Number.isInteger(v) || v < min) throw new UsageError('ERR_ESE_INVALID_VALUE', `${flag} needs an integer of at least ${min}`);
  return v;
}

function parse(argv: readonly string[]): SmokeOptions {
  let timeoutMs = defaultTimeoutMs;
  let maxLineBytes = defaultMaxLineBytes;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      const command = argv.slice(i + 1);
      if (command.length === 0) break;
      return { command, timeoutMs, maxLineBytes };
    }
    if (a === '--timeout-ms') timeoutMs = positiveInt(a, argv[++i], 1);
    else if (a === '--max-line-bytes') maxLineBytes = positiveInt(a, argv[++i], 1024);
    else throw new UsageError('ERR_ESE_UNKNOWN_OPTION', `unknown argument '${a}'; the command to test goes after --, e.g. smoke -- ./my-ese-server`);
  }
  throw new UsageError('ERR_ESE_MISSING_ARGUMENT', 'missing the command to test after --, e.g. smoke -- ./my-ese-server');
}

const invalidSesid = JET_errors.JET_errInvalidSesid;

/** Sequential checks against one process; stops at the first fault, since the process is gone. */
class Smoke {
  problems = 0;
  checks = 0;
  stopped = false;

  constructor(
    private readonly conn: ProcessConnection,
    private readonly out: (line: string) => void,
  ) {}

  ok(what: string): void {
    this.checks++;
    this.out(`ok: ${what}`);
  }

  problem(what: string): void {
    this.checks++;
    this.problems++;
    this.out(`problem: ${what}`);
  }

  private fault(what: string, outcome: Exclude<Outcome, { kind: 'answer' }>): void {
    const tail = lastLine(outcome.stderrTail);
    this.problem(`${what}: ${outcome.kind.toUpperCase().replace('-', '_')}: ${outcome.reason}${tail ? ` (stderr: ${tail})` : ''}`);
    this.stopped = true;
  }

  /** A call; returns its err and out when it returned, after reporting anything else as a problem. */
  async call(what: string, op: OperationName, args: Record<string, unknown>): Promise<{ err: number; out: Record<string, unknown> } | undefined> {
    if (this.stopped) return undefined;
    const outcome = await this.conn.request({ cmd: 'call', thread: 't1', op, args }, `${op} on t1`, op);
    if (outcome.kind !== 'answer') {
      this.fault(what, outcome);
      return undefined;
    }
    const a = outcome.answer;
    if (a.result === 'returned') return { err: a.err, out: a.out ?? {} };
    if (a.result === 'crash') this.problem(`${what}: answered crash (an exception inside the call): ${a.code}: ${a.message}`);
    else if (a.result === 'unsupported') this.problem(`${what}: answered unsupported (${a.reason}); the plain API is not optional`);
    else if (a.result === 'error') this.problem(`${what}: answered error '${a.error}': ${a.message}`);
    else this.problem(`${what}: answered '${a.result}'`);
    return undefined;
  }

  /** A call that must give exactly `expected`. */
  async expectErr(what: string, op: OperationName, args: Record<string, unknown>, expected: number): Promise<void> {
    const r = await this.call(what, op, args);
    if (!r) return;
    if (r.err === expected) this.ok(`${what}: ${describeErr(r.err)}`);
    else this.problem(`${what}: expected ${describeErr(expected)}, got ${describeErr(r.err)}`);
  }

  /** A call that must succeed (a warning is fine) and carry `outField`; returns that out-value. */
  async expectSuccess(what: string, op: OperationName, args: Record<string, unknown>, outField?: string): Promise<unknown> {
    const r = await this.call(what, op, args);
    if (!r) return undefined;
    if (r.err < 0) {
      this.problem(`${what}: expected JET_errSuccess (0) or a warning, got ${describeErr(r.err)}`);
      return undefined;
    }
    const value = outField === undefined ? undefined : r.out[outField];
    this.ok(`${what}: ${describeErr(r.err)}${value === undefined ? '' : `, ${outField} ${JSON.stringify(value)}`}`);
    return value;
  }

  async reset(what: string): Promise<void> {
    if (this.stopped) return;
    const outcome = await this.conn.request({ cmd: 'reset' }, 'reset');
    if (outcome.kind !== 'answer') return this.fault(what, outcome);
    const a = outcome.answer;
    if (a.result === 'ok') this.ok(what);
    else if (a.result === 'error') this.problem(`${what}: answered error '${a.error}': ${a.message} (the suite would restart the process before every scenario)`);
    else if (a.result === 'crash') this.problem(`${what}: answered crash: ${a.code}: ${a.message}`);
    else this.problem(`${what}: answered '${a.result}'`);
  }

  async unknownOperation(): Promise<void> {
    if (this.stopped) return;
    const what = 'an unknown operation (JetFrobnicate) gets the error answer unknown-operation';
    const outcome = await this.conn.request({ cmd: 'call', thread: 't1', op: 'JetFrobnicate', args: {} }, 'JetFrobnicate on t1');
    if (outcome.kind !== 'answer') return this.fault(what, outcome);
    const a = outcome.answer;
    if (a.result === 'error' && a.error === 'unknown-operation') this.ok(what);
    else if (a.result === 'error') this.problem(`${what}: got error '${a.error}' (${a.message})`);
    else if (a.result === 'returned') this.problem(`${what}: got returned with ${describeErr(a.err)}`);
    else this.problem(`${what}: got '${a.result}'`);
  }
}

function lastLine(text: string | undefined): string | undefined {
  const lines = (text ?? '').split('\n').map((l) => l.trim()).filter((l) => l !== '');
  return lines[lines.length - 1];
}

async function smoke(options: SmokeOptions, out: (line: string) => void): Promise<number> {
  const h = await handshake({ command: options.command, timeoutMs: options.timeoutMs, maxLineBytes: options.maxLineBytes }, suiteVersion());
  if ('error' in h) {
    out(`problem: ${h.error}`);
    out('smoke: 1 problem (the handshake failed; nothing else was checked)');
    await h.conn.stop();
    return 1;
  }
  const { hello, conn } = h;
  const s = new Smoke(conn, out);
  s.ok(
    `handshake: ${hello.implementation.name} ${hello.implementation.version}, target ${hello.target}, ${hello.pointerWidth}-bit, capabilities: ${
      hello.capabilities.length ? hello.capabilities.join(', ') : 'none'
    }`,
  );
  await s.reset('reset');
  const instance = await s.expectSuccess('JetCreateInstance', 'JetCreateInstance', { name: 'smoke' }, 'instance');
  if (instance !== undefined) {
    await s.expectSuccess('JetInit', 'JetInit', { instance });
    const sesid = await s.expectSuccess('JetBeginSession', 'JetBeginSession', { instance, username: '', password: '' }, 'sesid');
    if (sesid !== undefined) {
      await s.expectErr('JetEndSession of the new session', 'JetEndSession', { sesid, grbit: 0 }, 0);
      await s.expectErr('JetEndSession of the ended session', 'JetEndSession', { sesid, grbit: 0 }, invalidSesid);
    }
  } else if (!s.stopped) {
    s.problem('JetInit, JetBeginSession and JetEndSession not checked: no instance');
  }
  for (const forged of ['nil', 'zero', 'never-issued'] as ForgedHandleKind[]) {
    await s.expectErr(`JetEndSession on the forged ${forged} sesid`, 'JetEndSession', { sesid: { forged }, grbit: 0 }, invalidSesid);
  }
  await s.unknownOperation();
  if (instance !== undefined) await s.expectSuccess('JetTerm', 'JetTerm', { instance });
  await s.reset('reset after use');
  if (s.stopped) {
    await conn.stop();
    out(`smoke: ${s.problems} problem${s.problems === 1 ? '' : 's'} (stopped at the first fault: the process is gone)`);
    return 1;
  }
  const end = await conn.shutdown();
  if (end.clean) s.ok('shutdown: answered ok and exited with code 0');
  else s.problem(`shutdown: ${end.detail}`);
  if (s.problems === 0) {
    out(`smoke: all well (${s.checks} checks)`);
    return 0;
  }
  out(`smoke: ${s.problems} problem${s.problems === 1 ? '' : 's'} in ${s.checks} checks`);
  return 1;
}

export const command: Command = {
  name: 'smoke',
  summary: 'self-test of a process implementation: handshake, a begin/end pair, forged handles, shutdown',
  usage,
  run(argv, io) {
    // Every line quotes what the implementation said: neutralised for terminals and CI logs.
    return smoke(parse(argv), safePrinter(io.out));
  },
};
