/**
 * The messages of protocol v1 as TypeScript types (docs/protocol.md; the JSON Schemas in
 * schemas/protocol/ are the normative form). Shared by the adapter (client) and serve (server).
 */
import { operationNames, type Capability, type CleanupStep, type HandleArg, type OperationName, type TargetVersion } from '../../api';

export const protocolVersion = 1;
/**
 * Protocol 1.1: minor additions a v1 implementation never sees. The suite asks with `minor` in
 * `hello`; an implementation that speaks 1.1 answers `minor` and the `features` it accepts.
 */
export const protocolMinor = 1;
export const minorFeatures = ['sync', 'batch', 'reset-waiting', 'chain', 'expect-out', 'repeat'] as const;
export type MinorFeature = (typeof minorFeatures)[number];
/** The most calls one batch request carries. */
export const maxBatchCalls = 10_000;
/**
 * The most calls the suite puts in one batch: an answer of 1,000 calls stays well within the bounds of
 * one line (bounds.ts: 10,000 values; about 9 values per call answer).
 */
export const suiteBatchCalls = 1_000;

/**
 * Protocol 1.1 `chain`: an argument value that stands for the out-value `out` of the `ref`-th call of
 * the same batch (made before it, answered `returned` with err >= 0).
 */
export interface OutRef {
  readonly ref: number;
  readonly out: string;
  /** Protocol 1.1 `repeat`: in the k-th call (from 0) of a repeated batch call, the reference is to call ref + k * stride. */
  readonly stride?: number;
}

export function isOutRef(v: unknown): v is OutRef {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as { ref?: unknown }).ref === 'number' && typeof (v as { out?: unknown }).out === 'string';
}

/** One call of a batch request; `thread` and `expect` (and OutRef argument values) need `chain`. */
export interface BatchCall {
  op: string;
  args: Record<string, unknown>;
  thread?: string;
  expect?: number;
  /** `expect-out` (with `expect`): out-values the answer must carry, each equal as JSON, for the batch to go on. */
  expectOut?: Record<string, unknown>;
  /** `repeat`: this call stands for `repeat` calls in a row, each as the batch would make it on its own (at least 1). */
  repeat?: number;
}

/**
 * Protocol 1.1 `repeat`: a batch's calls as sent, each run of calls that differ only in references
 * advancing by a fixed stride folded into one call with `repeat` (the whole-state probes count slots
 * with a thousand JetDupCursor calls in a row, then close each). The implementation makes the same
 * calls: unfolding gives `calls` back, call by call (a test checks it).
 */
export function foldRepeats(calls: readonly BatchCall[]): BatchCall[] {
  const folded: BatchCall[] = [];
  for (let i = 0; i < calls.length; ) {
    const first = calls[i];
    const strides = new Map<string, number>();
    let j = i + 1;
    while (j < calls.length && continuesRun(first, calls[j], j - i, strides)) j++;
    if (j - i === 1) folded.push(first);
    else {
      const args: Record<string, unknown> = {};
      for (const k in first.args) {
        const v = first.args[k];
        const stride = strides.get(k) ?? 0;
        args[k] = isOutRef(v) && stride !== 0 ? { ref: v.ref, out: v.out, stride } : v;
      }
      folded.push({ ...first, args, repeat: j - i });
    }
    i = j;
  }
  return folded;
}

/** Whether `c` is the k-th repetition (k >= 1) of `first`; the first repetition fixes each reference's stride. */
function continuesRun(first: BatchCall, c: BatchCall, k: number, strides: Map<string, number>): boolean {
  if (c.op !== first.op || c.thread !== first.thread || c.expect !== first.expect || c.repeat !== undefined || first.repeat !== undefined) return false;
  if ((c.expectOut === undefined) !== (first.expectOut === undefined)) return false;
  if (c.expectOut !== undefined && JSON.stringify(c.expectOut) !== JSON.stringify(first.expectOut)) return false;
  let keys = 0;
  for (const key in first.args) {
    keys++;
    if (!Object.prototype.hasOwnProperty.call(c.args, key)) return false;
    const a = first.args[key];
    const b = c.args[key];
    if (isOutRef(a)) {
      if (!isOutRef(b) || b.out !== a.out || a.stride !== undefined || b.stride !== undefined) return false;
      const d = b.ref - a.ref;
      if (k === 1) strides.set(key, d);
      else if (d !== k * (strides.get(key) ?? 0)) return false;
    } else if (typeof a === 'object' && a !== null) {
      if (typeof b !== 'object' || b === null || isOutRef(b) || JSON.stringify(a) !== JSON.stringify(b)) return false;
    } else if (a !== b) return false;
  }
  return Object.keys(c.args).length === keys;
}

/** A folded batch's calls one by one (what the implementation makes), with each reference resolved to its call. */
export function unfoldRepeats(calls: readonly BatchCall[]): BatchCall[] {
  const out: BatchCall[] = [];
  for (const c of calls) {
    const n = c.repeat ?? 1;
    for (let k = 0; k < n; k++) out.push(repetition(c, k));
  }
  return out;
}

/** The k-th call (from 0) of a batch call with `repeat`: its references moved by k strides, without `repeat` and `stride`. */
export function repetition(c: BatchCall, k: number): BatchCall {
  if (c.repeat === undefined) return c;
  const args: Record<string, unknown> = {};
  for (const key in c.args) {
    const v = c.args[key];
    args[key] = isOutRef(v) ? { ref: v.ref + k * (v.stride ?? 0), out: v.out } : v;
  }
  const { repeat: _repeat, ...rest } = c;
  return { ...rest, args };
}
/**
 * `repeat` in a batch answer: runs of equal `returned` answers without out-values (the closes,
 * ends and rollbacks of the probes' slot counts) as one answer with `repeat`.
 */
export function foldAnswers(answers: readonly BatchItem[]): BatchItem[] {
  const folded: BatchItem[] = [];
  for (let i = 0; i < answers.length; ) {
    const a = answers[i];
    let j = i + 1;
    if (a.result === 'returned' && noValues(a.out)) {
      while (j < answers.length) {
        const b = answers[j];
        if (b.result !== 'returned' || b.err !== a.err || (b.out === undefined) !== (a.out === undefined) || !noValues(b.out)) break;
        j++;
      }
    }
    folded.push(j - i === 1 ? a : { ...(a as Extract<BatchItem, { result: 'returned' }>), repeat: j - i });
    i = j;
  }
  return folded;
}

/** No out-values: none given, or an empty object (what a close answers). */
function noValues(out: Record<string, unknown> | undefined): boolean {
  if (out === undefined) return true;
  for (const _k in out) return false;
  return true;
}

/** A batch answer's items one per call made; undefined when they would be more than `max`. */
export function unfoldAnswers<T extends object>(answers: readonly T[], max: number): T[] | undefined {
  const repeatOf = (a: T) => (a as { repeat?: unknown }).repeat;
  let n = 0;
  for (const a of answers) {
    const r = repeatOf(a);
    n += typeof r === 'number' ? r : 1;
  }
  if (n > max) return undefined;
  const out: T[] = [];
  for (const a of answers) {
    const r = repeatOf(a);
    if (typeof r !== 'number') {
      out.push(a);
      continue;
    }
    const { repeat: _repeat, ...one } = a as T & { repeat: number };
    for (let k = 0; k < r; k++) out.push(one as unknown as T);
  }
  return out;
}

export const defaultTimeoutMs = 10_000;
/**
 * One scenario, from its reset on. The heaviest scenarios make about 1,000 requests (whole-state
 * observation probes limits by filling them): about 210 s at 200 ms per answer.
 */
export const defaultScenarioTimeoutMs = 10 * 60_000;
/** The whole run (about 26,000 requests, 90 min at 200 ms per answer): below a CI job's usual 6 h limit. */
export const defaultBudgetMs = 5.5 * 60 * 60_000;
export const defaultMaxLineBytes = 1024 * 1024;
/** How much of the implementation's stderr a fault carries. */
export const stderrTailBytes = 4096;

export type Request =
  | {
      id: number;
      cmd: 'hello';
      protocol: number;
      suite: { name: string; version: string };
      timeoutMs: number;
      maxLineBytes: number;
      minor?: number;
      /** Protocol 1.1: the additions the suite speaks (absent: sync and batch, the first 1.1). */
      features?: string[];
    }
  | { id: number; cmd: 'reset' }
  | { id: number; cmd: 'sync' }
  | { id: number; cmd: 'batch'; thread: string; calls: BatchCall[]; stopOnError: boolean }
  | { id: number; cmd: 'call' | 'hold'; thread: string; op: string; args: Record<string, unknown> }
  | { id: number; cmd: 'release'; hold: string }
  | { id: number; cmd: 'force-instance-state'; instance: HandleArg; state: string; cause?: number }
  | { id: number; cmd: 'inject-fault'; step: CleanupStep; err: number; times: number }
  | { id: number; cmd: 'shutdown' };

export type Command = Request['cmd'];

export type ErrorCode = 'unknown-command' | 'unknown-operation' | 'bad-request' | 'unsupported-protocol' | 'reset-failed';

export interface HelloAnswer {
  id: number;
  result: 'hello';
  protocol: number;
  implementation: { name: string; version: string };
  target: TargetVersion;
  pointerWidth: 32 | 64;
  capabilities: Capability[];
  /** Protocol 1.1, when the request asked for it. */
  minor?: number;
  features?: MinorFeature[];
}

/** A call's answer inside a batch answer (no id of its own). */
export type BatchItem =
  | { result: 'returned'; err: number; out?: Record<string, unknown>; repeat?: number }
  | { result: 'crash'; code: string; message: string }
  | { result: 'unsupported'; reason: string }
  | { result: 'error'; error: ErrorCode; message: string };

export type Answer =
  | HelloAnswer
  | { id: number; result: 'ok' }
  | { id: number; result: 'returned'; err: number; out?: Record<string, unknown> }
  | { id: number; result: 'crash'; code: string; message: string }
  | { id: number; result: 'unsupported'; reason: string }
  | { id: number; result: 'held'; hold: string }
  | { id: number; result: 'error'; error: ErrorCode; message: string }
  | { id: number; result: 'batch'; answers: BatchItem[] };

export type ResultKind = Answer['result'];

/** The answer kinds each request may get (docs/protocol.md section 2). */
export const allowedResults: Record<Command, readonly ResultKind[]> = {
  hello: ['hello', 'error'],
  reset: ['ok', 'error', 'crash'],
  call: ['returned', 'crash', 'unsupported', 'error'],
  hold: ['held', 'returned', 'crash', 'unsupported', 'error'],
  release: ['returned', 'crash', 'unsupported', 'error'],
  'force-instance-state': ['ok', 'crash', 'unsupported', 'error'],
  'inject-fault': ['ok', 'crash', 'unsupported', 'error'],
  shutdown: ['ok'],
  sync: ['ok', 'error'],
  batch: ['batch', 'error'],
};

/**
 * Whether a batch stops after this answer: a fault always; a call with `expect` (chain) any other
 * code, or (`expect-out`) any out-value of `expectOut` missing or different; else with stopOnError
 * anything but a success.
 */
export function endsBatch(a: { result: string; err?: number; out?: unknown }, stopOnError: boolean, expect?: number, expectOut?: Readonly<Record<string, unknown>>): boolean {
  if (a.result !== 'returned') return true;
  if (expect === undefined) return stopOnError && (a.err ?? 0) < 0;
  if (a.err !== expect) return true;
  return expectOut !== undefined && !sameOut(a.out, expectOut);
}

/** Every out-value `expected` names is in `out`, equal as JSON. */
export function sameOut(out: unknown, expected: Readonly<Record<string, unknown>>): boolean {
  const o = typeof out === 'object' && out !== null ? (out as Record<string, unknown>) : {};
  for (const k in expected) if (!(k in o) || !sameJson(o[k], expected[k])) return false;
  return true;
}

/**
 * JSON.stringify(a) === JSON.stringify(b), without the strings where the answer is plain (each call of
 * a probe's chain expects its out-values): identical values are equal as JSON (NaN is not identical
 * to itself); two different strings, or finite numbers, or booleans, are not.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  const ta = typeof a;
  if (ta === typeof b && (ta === 'string' || ta === 'boolean' || (ta === 'number' && Number.isFinite(a) && Number.isFinite(b)))) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

const operationSet: ReadonlySet<string> = new Set(operationNames);

export function isOperation(op: string): op is OperationName {
  return operationSet.has(op);
}
