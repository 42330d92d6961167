/**
 * An in-process implementation that offers protocol 1.1 `chain` the way a process serving it does
 * (docs/protocol.md section 16): calls one after another, `{ref,out}` argument values, a call with
 * `expect` ends the chain unless it answers exactly that code, a fault always ends it. Counts its
 * requests, so a test sees the round trips a run would take over a process. `answerChain` lets a
 * hostile variant answer a chain its own way.
 */
import type { CallResult, ChainCall, Implementation } from '../../../adapters/types';
import type { ApiCall, ArgsOf, OperationName } from '../../../api';

export interface Requests {
  calls: number;
  chains: number;
  chainedCalls: number;
  /** Every call the implementation made, in order (op and thread; 'reset' between runs). */
  readonly made: string[];
}

function isRef(v: unknown): v is { ref: number; out: string } {
  return typeof v === 'object' && v !== null && typeof (v as { ref?: unknown }).ref === 'number' && typeof (v as { out?: unknown }).out === 'string';
}

/** The chain as a conforming server makes it. */
export async function makeChain(impl: Implementation, calls: readonly ChainCall[]): Promise<CallResult[]> {
  const results: CallResult[] = [];
  for (const c of calls) {
    const args: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(c.args)) {
      if (!isRef(v)) {
        args[k] = v;
        continue;
      }
      const r = results[v.ref];
      const value = r?.kind === 'returned' ? (r.out as Record<string, unknown> | undefined)?.[v.out] : undefined;
      if (value === undefined) return [...results, { kind: 'protocol-error', reason: `${k} refers to a missing out-value` }];
      args[k] = value;
    }
    const r = await impl.call(c.thread, c.op, args as never);
    results.push(r);
    if (r.kind !== 'returned' || (c.expect !== undefined && r.err !== c.expect)) break;
  }
  return results;
}

export function withChain(inner: Implementation, answerChain: (calls: readonly ChainCall[], inner: Implementation) => Promise<CallResult[]> = (calls, impl) => makeChain(impl, calls)): Implementation & { readonly requests: Requests } {
  const requests: Requests = { calls: 0, chains: 0, chainedCalls: 0, made: [] };
  // What the implementation makes, logged as it makes it (chains included).
  const logged: Implementation = {
    info: inner.info,
    reset: () => inner.reset(),
    call: <O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<CallResult<O>> => {
      requests.made.push(`${op}@${thread} ${JSON.stringify(args)}`);
      return inner.call(thread, op, args);
    },
    close: () => inner.close(),
  };
  const impl: Implementation & { requests: Requests } = {
    info: inner.info,
    requests,
    reset: () => {
      requests.made.push('reset');
      return inner.reset();
    },
    call: <O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<CallResult<O>> => {
      requests.calls++;
      return logged.call(thread, op, args);
    },
    callChain: (calls) => {
      requests.chains++;
      requests.chainedCalls += calls.length;
      return answerChain(calls, logged);
    },
    close: () => inner.close(),
  };
  if (inner.hold) impl.hold = (thread: string, call: ApiCall) => (requests.calls++, requests.made.push(`hold ${call.op}@${thread}`), (inner.hold as NonNullable<Implementation['hold']>).call(inner, thread, call));
  if (inner.release) impl.release = (hold: string) => (requests.calls++, requests.made.push('release'), (inner.release as NonNullable<Implementation['release']>).call(inner, hold));
  if (inner.sync) impl.sync = () => (inner.sync as NonNullable<Implementation['sync']>).call(inner);
  if (inner.injectFault) impl.injectFault = (f) => (inner.injectFault as NonNullable<Implementation['injectFault']>).call(inner, f);
  if (inner.forceInstanceState) impl.forceInstanceState = (i, s) => (inner.forceInstanceState as NonNullable<Implementation['forceInstanceState']>).call(inner, i, s);
  return impl;
}
