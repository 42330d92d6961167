/**
 * The whole-state probes over a process in one round trip (protocol 1.1 `chain`). The probes are a
 * deterministic program whose path depends only on each call's code (an out-value the schema
 * requires is there whenever err >= 0): given the shadow reference's codes, the implementation's
 * calls are known in advance, with the handles and dbids it will issue standing as references to
 * the calls that issue them. The chain sends them all, each expecting the reference's code, and
 * the implementation stops at the first call that answers otherwise; the probes then run on the
 * real answers, and from where the chain stopped they call live. So the implementation makes
 * exactly the calls the probes ask for, one by one, as without the chain: only the round trips go.
 */
import type { CallResult, ChainCall, Implementation } from '../adapters/types';
import type { ApiCall, OperationName } from '../api';
import { SuiteError } from './errors';
import { observe, type Observation, type ObserveOptions, type Side } from './observe';
import type { Registry } from './registry';

/** Out-values that are handles: predicted as placeholder strings. */
const handleOuts = ['instance', 'sesid', 'tableid'] as const;
/** dbid is a number: predicted as a placeholder number far below any dbid (dbids are small and non-negative). */
const numberBase = -(2 ** 40);
const stringMark = '\u0001ref:';

function handlePlaceholder(call: number, out: string): string {
  return `${stringMark}${call}:${out}`;
}

/** A placeholder value back to the reference it stands for, or undefined for a real value. */
function refOf(v: unknown): { ref: number; out: string } | undefined {
  if (typeof v === 'string' && v.startsWith(stringMark)) {
    const [call, out] = v.slice(stringMark.length).split(':');
    return { ref: Number(call), out };
  }
  if (typeof v === 'number' && v <= numberBase) return { ref: numberBase - v, out: 'dbid' };
  return undefined;
}

/** The reference's result of call `i` as the probes should see it from the implementation: issued values as placeholders. */
function predicted(r: CallResult, i: number): CallResult {
  if (r.kind !== 'returned' || r.err < 0 || r.out === undefined) return r;
  const out: Record<string, unknown> = { ...(r.out as Record<string, unknown>) };
  for (const k of handleOuts) if (typeof out[k] === 'string') out[k] = handlePlaceholder(i, k);
  if (typeof out.dbid === 'number') out.dbid = numberBase - i;
  return { ...r, out };
}

class EndOfPrediction extends Error {}

/**
 * The calls the probes make on the implementation if it answers every call with the reference's
 * code, from the reference's results of the same probes (in call order). Ends before a call the
 * reference did not answer with a code.
 */
export function plan(reg: Registry, options: ObserveOptions, reference: readonly CallResult[]): ChainCall[] {
  const calls: ChainCall[] = [];
  const side: Side = {
    call: () => Promise.reject(new EndOfPrediction()),
    callSync: (thread, op, args) => {
      const i = calls.length;
      const r = reference[i];
      if (r?.kind !== 'returned') throw new EndOfPrediction();
      const wire: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(args)) wire[k] = refOf(v) ?? v;
      calls.push({ thread, op, args: wire, expect: r.err });
      return predicted(r, i);
    },
    handle: (h) => h,
    number: (_k, n) => n,
  };
  // The probes' own bookkeeping (observer sessions owed) is not the plan's to change.
  const planOptions: ObserveOptions = { ...options, debt: new Map(options.debt) };
  // observe() returns at once: the side answers synchronously.
  void observe(side, reg, planOptions).catch(() => undefined);
  return calls;
}

/**
 * A Side of the implementation that makes the planned calls in one chain at its first call, answers
 * the probes from the chain's results while they ask for the planned calls, and calls live after.
 */
export function chainedSide(impl: Implementation & Required<Pick<Implementation, 'callChain'>>, planned: readonly ChainCall[]): Side {
  let made: Promise<CallResult[]> | undefined;
  let results: CallResult[] = [];
  let next = 0;
  let live = planned.length === 0;
  const start = async (): Promise<void> => {
    if (live || made !== undefined) return;
    made = impl.callChain(planned);
    results = await made;
  };
  /** The chain's result for this call, or undefined once the chain's results are used up. */
  const take = (thread: string, op: OperationName): CallResult | undefined => {
    if (live || next >= results.length) {
      live = true;
      return undefined;
    }
    const p = planned[next];
    if (p.op !== op || p.thread !== thread) {
      throw new SuiteError(`whole-state probes: the chain made ${p.op} on ${p.thread} as call ${next}, where the probes ask for ${op} on ${thread}`);
    }
    return results[next++];
  };
  const endsBatch = (r: CallResult, stopOnError: boolean) => r.kind !== 'returned' || (stopOnError && r.err < 0);
  return {
    call: async (thread, op, args) => {
      await start();
      return (take(thread, op) as CallResult<typeof op> | undefined) ?? impl.call(thread, op, args);
    },
    callBatch: async (thread, calls: readonly ApiCall[], stopOnError) => {
      await start();
      const out: CallResult[] = [];
      for (const [i, c] of calls.entries()) {
        const r = take(thread, c.op);
        if (r === undefined) {
          const rest = calls.slice(i);
          if (impl.callBatch !== undefined) return [...out, ...(await impl.callBatch(thread, rest, stopOnError))];
          for (const d of rest) {
            const s = await impl.call(thread, d.op, d.args);
            out.push(s);
            if (endsBatch(s, stopOnError)) break;
          }
          return out;
        }
        out.push(r);
        if (endsBatch(r, stopOnError)) break;
      }
      return out;
    },
    handle: (h) => h,
    number: (_k, n) => n,
  };
}

/** Observes the implementation through a chain predicted from the reference's results of the same probes. */
export async function observeChained(
  impl: Implementation & Required<Pick<Implementation, 'callChain'>>,
  reg: Registry,
  options: ObserveOptions,
  reference: readonly CallResult[],
): Promise<Observation> {
  return observe(chainedSide(impl, plan(reg, options, reference)), reg, options);
}
