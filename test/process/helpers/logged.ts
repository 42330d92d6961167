/**
 * A reference engine that logs every call it receives and counts round trips, for the tests that
 * check the chained paths (setup chains, speculated probe programs) make exactly the calls the
 * one-call-at-a-time paths make. With `chaining` it answers callChain as serve() does: references
 * to earlier out-values, the end at the first answer whose code (or, with `expectOut`, named
 * out-values) differ; `expectOut` also declares protocol 1.1 expect-out. `answer` may change the
 * answer of the n-th call received.
 */
import type { CallResult, ChainCall, Implementation } from '../../../adapters/types';
import { createReferenceImplementation } from '../../../adapters/reference';
import type { OperationName } from '../../../api';

export type Answer = (index: number, op: OperationName, r: CallResult) => CallResult;

export interface Logged {
  readonly impl: Implementation;
  readonly log: string[];
  readonly trips: () => number;
}

function sameOut(r: CallResult, expected: Readonly<Record<string, unknown>>): boolean {
  const out = (r.kind === 'returned' ? r.out ?? {} : {}) as Record<string, unknown>;
  return Object.entries(expected).every(([k, v]) => JSON.stringify(out[k]) === JSON.stringify(v));
}

export function logged(chaining: boolean, answer?: Answer, opts: { expectOut?: boolean } = {}): Logged {
  const inner = createReferenceImplementation();
  const log: string[] = [];
  let trips = 0;
  const one = async (thread: string, op: OperationName, args: object): Promise<CallResult> => {
    log.push(JSON.stringify([thread, op, args]));
    const r = await inner.call(thread, op, args as never);
    return answer ? answer(log.length - 1, op, r) : r;
  };
  const call: Implementation['call'] = (thread, op, args) => {
    trips++;
    return one(thread, op, args);
  };
  const callChain = async (calls: readonly ChainCall[]): Promise<CallResult[]> => {
    trips++;
    const results: CallResult[] = [];
    for (const c of calls) {
      const args: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(c.args)) {
        const ref = v as { ref?: unknown; out?: unknown } | null;
        args[k] = ref !== null && typeof ref === 'object' && typeof ref.ref === 'number' && typeof ref.out === 'string' ? (results[ref.ref] as { out: Record<string, unknown> }).out[ref.out] : v;
      }
      const r = await one(c.thread, c.op, args);
      results.push(r);
      if (r.kind !== 'returned' || (c.expect !== undefined && r.err !== c.expect)) break;
      if (opts.expectOut === true && c.expectOut !== undefined && !sameOut(r, c.expectOut)) break;
    }
    return results;
  };
  const chained = chaining ? { callChain, ...(opts.expectOut === true ? { chainExpectsOut: true } : {}) } : {};
  const impl = Object.assign(Object.create(inner) as Implementation, { call, ...chained });
  return { impl, log, trips: () => trips };
}
