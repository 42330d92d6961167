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
export const minorFeatures = ['sync', 'batch', 'reset-waiting', 'chain', 'expect-out'] as const;
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
  | { result: 'returned'; err: number; out?: Record<string, unknown> }
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
  for (const k in expected) if (!(k in o) || JSON.stringify(o[k]) !== JSON.stringify(expected[k])) return false;
  return true;
}

const operationSet: ReadonlySet<string> = new Set(operationNames);

export function isOperation(op: string): op is OperationName {
  return operationSet.has(op);
}
