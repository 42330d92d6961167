/**
 * The request time limit (--timeout-ms) for an adapter module (--adapter-module), which runs in the
 * suite's own process: a call whose promise never settles is the implementation's TIMEOUT after the
 * limit, as over the process protocol, instead of waiting for cucumber's step limit (about 21 min).
 * While a call is held in flight, a call may wait for it (JetTerm2): its limit starts once no hold is
 * left, as the process adapter's does. A synchronous endless loop blocks this process: no timer can
 * end it (such an engine belongs behind the process protocol).
 */
import type { AdapterStatus, CallResult, HoldResult, Implementation } from '../adapters/types';
import type { ApiCall, ArgsOf, FaultSpec, ForcedInstanceState, HandleArg, OperationName } from '../api';

type Timeout = { readonly kind: 'timeout'; readonly reason: string };

export function withCallLimit(inner: Implementation, ms: number): Implementation {
  let holds = 0;
  let waiters: (() => void)[] = [];
  const noHold = (): Promise<void> => (holds === 0 ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve)));
  const holdsGone = (n: number) => {
    holds = Math.max(0, n);
    if (holds > 0) return;
    const ready = waiters;
    waiters = [];
    for (const w of ready) w();
  };
  /** `body`, or a TIMEOUT `ms` after no hold is left, whichever comes first. */
  async function limited<R>(what: string, body: () => Promise<R>, waitsForHolds: boolean): Promise<R | Timeout> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<Timeout>((resolve) => {
      const start = () => {
        timer = setTimeout(() => resolve({ kind: 'timeout', reason: `${what}: no answer within ${ms} ms (--timeout-ms; the in-process implementation's call may still be running)` }), ms);
      };
      if (waitsForHolds) void noHold().then(start);
      else start();
    });
    try {
      return await Promise.race([body(), expired]);
    } finally {
      clearTimeout(timer);
    }
  }
  const limitedImpl: Implementation = {
    info: inner.info,
    callTimeoutMs: ms,
    async reset(): Promise<AdapterStatus> {
      const r = await limited('reset', () => inner.reset(), false);
      holdsGone(0);
      return r;
    },
    call<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<CallResult<O>> {
      return limited(`${op} on ${thread}`, () => inner.call(thread, op, args), true);
    },
    close: () => inner.close(),
  };
  const hold = inner.hold?.bind(inner);
  const release = inner.release?.bind(inner);
  const forceInstanceState = inner.forceInstanceState?.bind(inner);
  const injectFault = inner.injectFault?.bind(inner);
  const optional: Partial<Implementation> = {
    ...(hold === undefined
      ? {}
      : {
          async hold(thread: string, call: ApiCall): Promise<HoldResult> {
            const r = await limited(`hold ${call.op} on ${thread}`, () => hold(thread, call), true);
            if (r.kind === 'held') holds++;
            return r;
          },
        }),
    ...(release === undefined
      ? {}
      : {
          async release(h: string): Promise<CallResult> {
            holdsGone(holds - 1);
            return limited(`release ${h}`, () => release(h), true);
          },
        }),
    ...(forceInstanceState === undefined ? {} : { forceInstanceState: (i: HandleArg, s: ForcedInstanceState) => limited('force-instance-state', () => forceInstanceState(i, s), false) }),
    ...(injectFault === undefined ? {} : { injectFault: (f: FaultSpec) => limited('inject-fault', () => injectFault(f), false) }),
    // Round-trip optimisations and diagnostics pass through as they are.
    ...(inner.sync === undefined ? {} : { sync: inner.sync.bind(inner) }),
    ...(inner.stderrTail === undefined ? {} : { stderrTail: inner.stderrTail.bind(inner) }),
    ...(inner.finish === undefined ? {} : { finish: inner.finish.bind(inner) }),
  };
  return { ...limitedImpl, ...optional };
}
