/**
 * The pipelined fuzzer's plan as data (fuzz/pipeline.ts): the placeholders that stand for the
 * handles and column ids the shadow issued, naming the planned call that issued them; the planned
 * operations and what a speculation already made; and how a stretch of planned calls goes on the
 * wire as one protocol 1.1 chain and how the chain's answers read as its calls' results. Shared by
 * the plan (fuzz/plan.ts) and the run made after it (fuzz/chain.ts).
 */
import type { AdapterStatus, CallResult, ChainCall, HoldResult, Implementation } from '../adapters/types';
import type { OperationName } from '../api';
import { describeResult } from '../harness/traced';

// ---- Placeholders: the shadow's issued values, naming the planned call that issued them ------

export const handleOuts = ['instance', 'sesid', 'tableid'] as const;
export const mark = '\u0001planned:';
/** columnid of planned op i: columnBase - i; columnids[k]: columnsBase - (i * maxColumns + k). */
export const columnBase = -(2 ** 40);
export const columnsBase = -(2 ** 46);
export const maxColumns = 4096;
/**
 * dbid of the planned op i that first gave it: dbidBase - i (below every columnids placeholder). A
 * database's dbid given again while the shadow keeps it is shown as the same placeholder.
 */
export const dbidBase = -(2 ** 50);

/** What a placeholder stands for: out-value `out` (element `index` of it) of planned op `op`. */
export interface Placeholder {
  readonly op: number;
  readonly out: string;
  readonly index?: number;
}

export function placeholderOf(v: unknown): Placeholder | undefined {
  if (typeof v === 'string' && v.startsWith(mark)) {
    const [op, out] = v.slice(mark.length).split(':');
    return { op: Number(op), out };
  }
  if (typeof v !== 'number' || v > columnBase) return undefined;
  if (v > columnsBase) return { op: columnBase - v, out: 'columnid' };
  if (v <= dbidBase) return { op: dbidBase - v, out: 'dbid' };
  const n = columnsBase - v;
  return { op: Math.floor(n / maxColumns), out: 'columnids', index: n % maxColumns };
}

// ---- Planned operations and their chains -------------------------------------------------------

/** How a hold, release, injection or forced state came out: the real one must come out alike. */
export type Outcome = string;

export function outcomeOf(r: HoldResult | AdapterStatus): Outcome {
  return r.kind === 'returned' ? `returned ${r.err}` : r.kind;
}

/** The value a placeholder stands for, from the implementation's answers by op index. */
export function realValue(results: readonly (CallResult | undefined)[], ph: Placeholder): unknown {
  const r = results[ph.op];
  const v = r?.kind === 'returned' ? (r.out as Record<string, unknown> | undefined)?.[ph.out] : undefined;
  return ph.index === undefined ? v : Array.isArray(v) ? (v as unknown[])[ph.index] : undefined;
}

/**
 * Planned args as the chain that starts at op `start` sends them: a placeholder of a call in the
 * chain becomes a reference to it, one of an earlier call the value that call returned.
 * Undefined when one cannot be sent (an element of a list another call of the chain returns, which
 * a reference cannot name; or a value an earlier call did not return).
 */
export function wire(args: Readonly<Record<string, unknown>>, start: number, results: readonly (CallResult | undefined)[]): Record<string, unknown> | undefined {
  let out: Record<string, unknown> | undefined;
  for (const k in args) {
    const ph = placeholderOf(args[k]);
    if (ph === undefined) continue;
    out ??= { ...args };
    if (ph.op >= start) {
      if (ph.index !== undefined) return undefined;
      out[k] = { ref: ph.op - start, out: ph.out };
      continue;
    }
    const value = realValue(results, ph);
    if (value === undefined) return undefined;
    out[k] = value;
  }
  return out ?? (args);
}

/** The chain's answers as results of its n calls (undefined: not answered within its time of `ms`). */
export function chainResults(rs: readonly CallResult[] | undefined, calls: readonly ChainCall[], ms: number, callMs: number): CallResult[] {
  if (rs === undefined) return [{ kind: 'timeout', reason: `a chain of ${calls.length} calls (${calls[0].op}, ...) was not answered within ${ms} ms (${calls.length} calls of ${callMs} ms)` }];
  const out = rs.slice(0, calls.length);
  if (rs.length > calls.length) out[calls.length - 1] = { kind: 'protocol-error', reason: `a chain of ${calls.length} calls got ${rs.length} answers` };
  return out;
}

/** A chain that stopped before its end at an answer that does not end it (or with none): its next call's result. */
export function endedShort(results: readonly CallResult[], calls: readonly ChainCall[]): CallResult | undefined {
  if (results.length >= calls.length) return undefined;
  const last = results[results.length - 1] as CallResult | undefined;
  if (last !== undefined && (last.kind !== 'returned' || last.err !== calls[results.length - 1].expect)) return undefined;
  return {
    kind: 'protocol-error',
    reason: `the chain of ${calls.length} calls was answered with ${results.length} answers, the last ${last === undefined ? 'none' : describeResult(last)} as expected (a chain stops only after an unexpected answer)`,
  };
}

/** The promise's value, or undefined after `ms`. */
export async function within<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** One operation the implementation gets, in order; args as the run passes them, with placeholders where the shadow's values stood. */
export type PlannedOp =
  | {
      readonly kind: 'call';
      readonly thread: string;
      readonly op: OperationName;
      readonly args: Readonly<Record<string, unknown>>;
      /** The code the shadow returned (undefined: it has not, or faulted). */
      expect?: number;
      /** Made as a single request: a term while calls are held may wait for them. */
      readonly single: boolean;
    }
  | { readonly kind: 'hold' | 'release' | 'inject' | 'force'; readonly thread: string; readonly op: string; readonly args?: Readonly<Record<string, unknown>>; outcome?: Outcome };

export interface Plan {
  readonly ops: readonly PlannedOp[];
}

/** What the plan made on the implementation while it speculated: ops before `end`, their answers by op index. */
export interface Made {
  end: number;
  /** Answers of calls (a chain's), for the values later calls refer to. */
  readonly results: (CallResult | undefined)[];
  /** Every made op's answer as the run made after the plan gets it (a barrier's as its promise). */
  readonly answers: (Promise<CallResult | HoldResult | AdapterStatus> | undefined)[];
}


/** An implementation that takes protocol 1.1 chains. */
export type Chainable = Implementation & Required<Pick<Implementation, 'callChain'>>;

/** Counts of a campaign's pipelining, for the bench and the tests. */
export interface PipelineStats {
  /** Runs planned; of those, runs whose plan was the run (speculation held to the end). */
  plans: number;
  speculated: number;
  /** Why the others' speculation ended, by reason. */
  readonly unspeculated: Record<string, number>;
  /** Chains sent and the calls they carried; calls made one request at a time. */
  chains: number;
  chainedCalls: number;
  singleCalls: number;
  /** Runs made again one call at a time after a chain crashed or timed out. */
  remade: number;
}
