/**
 * The protocol's server side, generic over any Implementation: reads requests from `input`,
 * answers on `output` (docs/protocol.md). Calls are started as they arrive and answered when they
 * complete, so calls on different threads overlap and a held call does not block the reader.
 */
import type { Readable, Writable } from 'node:stream';
import type { AdapterStatus, CallResult, HoldResult, Implementation } from '../types';
import type { ApiCall, FaultSpec, ForcedInstanceState } from '../../api';
import { LineSplitter } from './lines';
import { violation } from './schema';
import { defaultMaxLineBytes, endsBatch, foldAnswers, isOperation, isOutRef, maxBatchCalls, protocolMinor, protocolVersion, type Answer, type BatchCall, type BatchItem, type ErrorCode, type MinorFeature } from './wire';

export interface ServeOptions {
  readonly maxLineBytes?: number;
  /** Where notes about unreadable input go (default: stderr). */
  readonly log?: (line: string) => void;
  /**
   * `impl`'s calls answered at once, when it can (the reference engine: adapters/reference
   * synchronousCall): a batch's calls are then made without a promise each. JetTerm and JetTerm2,
   * which may wait for held calls, always go through impl.call().
   */
  readonly callSync?: (thread: string, op: ApiCall['op'], args: ApiCall['args']) => CallResult;
}

/** How serving ended: a `shutdown` request, or the end of the input. */
export interface ServeEnd {
  readonly reason: 'shutdown' | 'eof';
}

type AnswerBody = Answer extends infer A ? (A extends { id: number } ? Omit<A, 'id'> : never) : never;

function callAnswer(r: CallResult | HoldResult): AnswerBody {
  switch (r.kind) {
    case 'returned':
      return r.err >= 0 && r.out !== undefined ? { result: 'returned', err: r.err, out: r.out } : { result: 'returned', err: r.err };
    case 'held':
      return { result: 'held', hold: r.hold };
    case 'unsupported':
      return { result: 'unsupported', reason: r.reason };
    case 'crash':
      return { result: 'crash', code: r.code ?? 'crash', message: r.reason };
    case 'timeout':
    case 'protocol-error':
      // An Implementation that is itself a proxy (a process adapter) can fail this way.
      return { result: 'crash', code: r.kind, message: r.reason };
  }
}

function statusAnswer(r: AdapterStatus): AnswerBody {
  return r.kind === 'ok' ? { result: 'ok' } : callAnswer(r);
}

function error(code: ErrorCode, message: string): AnswerBody {
  return { result: 'error', error: code, message };
}

function thrown(e: unknown): AnswerBody {
  return e instanceof Error ? { result: 'crash', code: e.name, message: e.message } : { result: 'crash', code: 'exception', message: String(e) };
}

const threadPattern = /^[A-Za-z0-9_-]{1,32}$/;

export function serve(impl: Implementation, input: Readable, output: Writable, options: ServeOptions = {}): Promise<ServeEnd> {
  const log = options.log ?? ((line: string) => process.stderr.write(line + '\n'));
  const maxLineBytes = options.maxLineBytes ?? defaultMaxLineBytes;
  const callSync = options.callSync;
  /** No more requests are read (after shutdown or the end of the input). */
  let closing = false;
  /** repeat (1.1), agreed in the handshake: batch answers go folded. */
  let folding = false;
  let stopped = false;

  return new Promise<ServeEnd>((resolve) => {
    const finish = (reason: ServeEnd['reason']): void => {
      if (stopped) return;
      stopped = true;
      closing = true;
      input.off('data', onData);
      input.off('end', onEnd);
      input.pause();
      void impl.close().then(
        () => resolve({ reason }),
        () => resolve({ reason }),
      );
    };

    /** Requests answered by a reset (reset-waiting) before their call came back: the call's own answer is dropped. */
    const abandoned = new Set<number>();
    const send = (id: number, body: AnswerBody): void => {
      if (abandoned.delete(id)) return;
      output.write(JSON.stringify({ id, ...body }) + '\n');
    };

    /** Requests started and not yet answered, by id: shutdown answers after them, reset answers them first. */
    const outstanding = new Map<number, Promise<void>>();

    /** Runs one request; its answer is written whenever it completes. */
    const answer = (id: number, work: () => Promise<AnswerBody>): void => {
      const done: Promise<void> = work().then(
        (body) => send(id, body),
        (e: unknown) => send(id, thrown(e)),
      );
      outstanding.set(id, done);
      void done.then(() => outstanding.delete(id));
    };

    const onLine = (text: string): void => {
      if (closing) return;
      let msg: unknown;
      try {
        msg = JSON.parse(text);
      } catch {
        log(`serve: ignored a line that is not JSON: ${text.slice(0, 200)}`);
        return;
      }
      const req = msg as Record<string, unknown>;
      if (typeof msg !== 'object' || msg === null || Array.isArray(msg) || typeof req.id !== 'number' || !Number.isInteger(req.id)) {
        log(`serve: ignored a request without an integer id: ${text.slice(0, 200)}`);
        return;
      }
      const id = req.id;
      const cmd = req.cmd;
      switch (cmd) {
        case 'hello':
          if (req.protocol !== protocolVersion) {
            send(id, error('unsupported-protocol', `this server speaks protocol ${protocolVersion}, asked for ${JSON.stringify(req.protocol)}`));
            return;
          }
          folding = typeof req.minor === 'number' && req.minor >= 1 && features(impl).filter((f) => spoken(req.features).includes(f)).includes('repeat');
          send(id, {
            result: 'hello',
            protocol: protocolVersion,
            implementation: { name: impl.info.name, version: impl.info.version },
            target: impl.info.target,
            pointerWidth: impl.info.pointerWidth,
            capabilities: [...impl.info.capabilities],
            // Protocol 1.1 only for a suite that asked: a v1 suite would reject the unknown fields.
            ...(typeof req.minor === 'number' && req.minor >= 1 ? { minor: protocolMinor, features: features(impl).filter((f) => spoken(req.features).includes(f)) } : {}),
          });
          return;
        case 'sync': {
          const sync = impl.sync?.bind(impl);
          if (sync === undefined) {
            send(id, error('unknown-command', `${impl.info.name} cannot tell a waiting call from a slow one (no sync)`));
            return;
          }
          // After the implementation's own sync, one macrotask: answers of calls that returned are written first.
          answer(id, async () => {
            const r = await sync();
            await new Promise((resolve) => setImmediate(resolve));
            return statusAnswer(r);
          });
          return;
        }
        case 'batch': {
          const bad = checkBatch(req);
          if (bad) {
            send(id, bad);
            return;
          }
          const thread = req.thread as string;
          const calls = req.calls as BatchCall[];
          const stopOnError = req.stopOnError as boolean;
          answer(id, async () => {
            const answers: BatchItem[] = [];
            calls: for (const c of calls) {
              const op = c.op as ApiCall['op'];
              const now = callSync !== undefined && op !== 'JetTerm' && op !== 'JetTerm2';
              // repeat (1.1): the same call again, its references moved by their strides each time.
              for (let k = 0, n = c.repeat ?? 1; k < n; k++) {
                const args = resolveRefs(c.args, answers, k);
                const a: BatchItem =
                  typeof args === 'string'
                    ? (error('bad-request', `batch: ${c.op}: ${args}`) as BatchItem)
                    : (callAnswer(now ? callSync(c.thread ?? thread, op, args as ApiCall['args']) : await impl.call(c.thread ?? thread, op, args as ApiCall['args'])) as BatchItem);
                answers.push(a);
                if (endsBatch(a, stopOnError, c.expect, c.expectOut)) break calls;
              }
            }
            return { result: 'batch', answers: folding ? foldAnswers(answers) : answers };
          });
          return;
        }
        case 'reset': {
          // reset-waiting: calls still unanswered (a JetTerm2 waiting for a held call) are answered
          // before the reset: by the implementation as its reset ends them, else here.
          const earlier = [...outstanding];
          answer(id, async () => {
            const r = await impl.reset();
            // One macrotask: the answers of the calls the reset ended are written first.
            if (earlier.length > 0) await new Promise((resolve) => setImmediate(resolve));
            for (const [eid] of earlier) {
              if (!outstanding.has(eid)) continue;
              send(eid, { result: 'crash', code: 'reset', message: 'the call was still in progress when the suite reset the state' });
              abandoned.add(eid);
            }
            return r.kind === 'ok' ? { result: 'ok' } : error('reset-failed', r.reason);
          });
          return;
        }
        case 'call':
        case 'hold': {
          const bad = checkCall(req);
          if (bad) {
            send(id, bad);
            return;
          }
          const call = { op: req.op, args: req.args } as ApiCall;
          const thread = req.thread as string;
          if (cmd === 'call') {
            answer(id, async () => callAnswer(await impl.call(thread, call.op, call.args)));
          } else {
            const hold = impl.hold?.bind(impl);
            answer(id, async () => (hold ? callAnswer(await hold(thread, call)) : { result: 'unsupported', reason: `${impl.info.name} has no in-flight hold` }));
          }
          return;
        }
        case 'release': {
          const bad = violation('requests', '/$defs/release', req);
          if (bad) {
            send(id, error('bad-request', `release: ${bad}`));
            return;
          }
          const release = impl.release?.bind(impl);
          answer(id, async () => (release ? callAnswer(await release(req.hold as string)) : { result: 'unsupported', reason: `${impl.info.name} has no in-flight release` }));
          return;
        }
        case 'force-instance-state': {
          const bad = violation('requests', '/$defs/force-instance-state', req);
          if (bad) {
            send(id, error('bad-request', `force-instance-state: ${bad}`));
            return;
          }
          const force = impl.forceInstanceState?.bind(impl);
          const state = (req.state === 'fatal-error' ? { state: req.state, cause: req.cause } : { state: req.state }) as ForcedInstanceState;
          answer(id, async () =>
            force ? statusAnswer(await force(req.instance as string, state)) : { result: 'unsupported', reason: `${impl.info.name} cannot force instance states` },
          );
          return;
        }
        case 'inject-fault': {
          const bad = violation('requests', '/$defs/inject-fault', req);
          if (bad) {
            send(id, error('bad-request', `inject-fault: ${bad}`));
            return;
          }
          const inject = impl.injectFault?.bind(impl);
          const fault = { step: req.step, err: req.err, times: req.times } as FaultSpec;
          answer(id, async () => (inject ? statusAnswer(await inject(fault)) : { result: 'unsupported', reason: `${impl.info.name} cannot inject faults` }));
          return;
        }
        case 'shutdown':
          closing = true;
          void Promise.allSettled([...outstanding.values()]).then(() => {
            send(id, { result: 'ok' });
            finish('shutdown');
          });
          return;
        default:
          send(id, error('unknown-command', `no command named ${JSON.stringify(cmd)}`));
      }
    };

    const splitter = new LineSplitter(maxLineBytes, {
      line: onLine,
      oversize: (max) => log(`serve: ignored a request line over ${max} bytes`),
    });
    const onData = (chunk: Buffer | string): void => splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    const onEnd = (): void => {
      splitter.end();
      finish('eof');
    };
    input.on('data', onData);
    input.on('end', onEnd);
    input.on('error', onEnd);
  });
}

/**
 * Protocol 1.1 features this server offers for `impl`: batch, chain, expect-out, repeat and reset-waiting always (the
 * server itself answers a call a reset left unanswered), sync when the implementation can tell.
 */
function features(impl: Implementation): MinorFeature[] {
  return impl.sync === undefined ? ['batch', 'reset-waiting', 'chain', 'expect-out', 'repeat'] : ['sync', 'batch', 'reset-waiting', 'chain', 'expect-out', 'repeat'];
}

/** The 1.1 features the suite's hello lists; a suite that lists none speaks the first two. */
function spoken(listed: unknown): readonly string[] {
  return Array.isArray(listed) ? listed.filter((f): f is string => typeof f === 'string') : ['sync', 'batch'];
}

/** The handle-valued out-values a reference may name; the others (dbid, columnid) are numbers. */
const handleOuts = new Set(['instance', 'sesid', 'tableid']);

/** A call's args (its repetition `rep` of a repeated call) with every OutRef replaced by the out-value it names, or why one cannot be. */
function resolveRefs(args: Record<string, unknown>, answers: readonly BatchItem[], rep: number): Record<string, unknown> | string {
  let out: Record<string, unknown> | undefined;
  for (const k in args) {
    const v = args[k];
    if (!isOutRef(v)) continue;
    const ref = v.ref + rep * (v.stride ?? 0);
    const a = answers[ref];
    const value = a !== undefined && a.result === 'returned' ? a.out?.[v.out] : undefined;
    if (value === undefined) return `${k} refers to out-value ${v.out} of call ${ref}, which gave none`;
    out ??= { ...args };
    out[k] = value;
  }
  return out ?? args;
}

/**
 * args as the schema checks them before any call is made: a reference stands for a value of its kind.
 * `index` is the call's place in the batch, `repeat` how many calls it stands for: each repetition's
 * reference (ref + k * stride, k from 0) must name an earlier call (checked at both ends, as it is linear in k).
 */
function checkableArgs(args: unknown, index: number, repeat: number): unknown {
  if (typeof args !== 'object' || args === null) return args;
  const given = args as Record<string, unknown>;
  let out: Record<string, unknown> | undefined;
  for (const k in given) {
    if (!Object.prototype.hasOwnProperty.call(given, k)) continue;
    const v = given[k];
    if (typeof v !== 'object' || v === null || !('ref' in v)) continue;
    const stride = isOutRef(v) ? (v.stride ?? 0) : 0;
    const last = isOutRef(v) ? v.ref + (repeat - 1) * stride : -1;
    const earlier = (ref: number, at: number) => Number.isInteger(ref) && ref >= 0 && ref < at;
    const fields = isOutRef(v) ? Object.keys(v).filter((f) => f !== 'ref' && f !== 'out' && f !== 'stride') : [];
    if (!isOutRef(v) || fields.length > 0 || !Number.isInteger(stride) || !earlier(v.ref, index) || !earlier(last, index + repeat - 1)) return { [k]: { 'a reference to an earlier call of the batch': v } };
    out ??= { ...given };
    out[k] = handleOuts.has(v.out) ? '0x0' : 0;
  }
  return out ?? args;
}

/** A call or hold the server can start, or the error answer that says why not. */
function checkCall(req: Record<string, unknown>): AnswerBody | undefined {
  return checkOne(req.cmd, req.op, req.thread, req.args);
}

/** Thread names seen valid: most requests name t1 or t2, checked once. */
const validThreads = new Set<string>();

function validThread(thread: string): boolean {
  if (validThreads.has(thread)) return true;
  if (!threadPattern.test(thread)) return false;
  if (validThreads.size < 1000) validThreads.add(thread);
  return true;
}

function checkOne(cmd: unknown, op: unknown, thread: unknown, args: unknown): AnswerBody | undefined {
  if (typeof op !== 'string') return error('bad-request', `${String(cmd)}: op must be a string`);
  if (!isOperation(op)) return error('unknown-operation', `no operation named ${op}`);
  if (typeof thread !== 'string' || !validThread(thread)) return error('bad-request', `${op}: thread must be 1 to 32 characters of A-Z a-z 0-9 _ -`);
  const bad = violation('operations', `/$defs/args/${op}`, args, '/args');
  return bad ? error('bad-request', `${op}: ${bad}`) : undefined;
}

/** A batch the server can run (every call checked before the first is made), or the error answer. */
function checkBatch(req: Record<string, unknown>): AnswerBody | undefined {
  if (!Array.isArray(req.calls) || req.calls.length === 0 || req.calls.length > maxBatchCalls) {
    return error('bad-request', `batch: calls must be an array of 1 to ${maxBatchCalls} calls`);
  }
  if (typeof req.stopOnError !== 'boolean') return error('bad-request', 'batch: stopOnError must be true or false');
  // The place of each call in the batch as made: a call with repeat (1.1) stands for that many.
  let index = 0;
  for (const [i, c] of (req.calls as unknown[]).entries()) {
    if (typeof c !== 'object' || c === null) return error('bad-request', `batch: call ${i} is not an object`);
    const call = c as Record<string, unknown>;
    const repeat = call.repeat ?? 1;
    if (!Number.isInteger(repeat) || (repeat as number) < 1 || index + (repeat as number) > maxBatchCalls) return error('bad-request', `batch: call ${i}: repeat must be an integer of at least 1, and the batch at most ${maxBatchCalls} calls`);
    if (call.expect !== undefined && (!Number.isInteger(call.expect) || Math.abs(call.expect as number) > 2 ** 31)) return error('bad-request', `batch: call ${i}: expect must be a JET_ERR`);
    if (call.expectOut !== undefined && (call.expect === undefined || typeof call.expectOut !== 'object' || call.expectOut === null || Array.isArray(call.expectOut))) {
      return error('bad-request', `batch: call ${i}: expectOut must be an object of out-values, with expect`);
    }
    const bad = checkOne('batch', call.op, call.thread ?? req.thread, checkableArgs(call.args, index, repeat as number));
    if (bad) return bad;
    index += repeat as number;
  }
  return undefined;
}
