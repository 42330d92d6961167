/**
 * A tiny in-memory Implementation for the protocol tests: enough of the API to see a round trip,
 * a held call blocking JetTerm2 until its release, an exception inside a call (JetDelete throws),
 * and the optional operations. Not a model of ESE.
 */
import type { AdapterStatus, ApiCall, ArgsOf, CallResult, HoldResult, Implementation, OperationName } from '../../../adapters/types';

export function createFakeEngine(): Implementation & { readonly seen: string[] } {
  let next = 0x100;
  const handle = (): string => `0x${(next += 0x10).toString(16)}`;
  let sessions = new Set<string>();
  const held = new Set<string>();
  let waiters: (() => void)[] = [];
  const seen: string[] = [];
  const key = (h: unknown): string | undefined => (typeof h === 'string' ? h : undefined);

  async function call<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<CallResult<O>> {
    seen.push(`${thread}:${op}`);
    const a = args as Record<string, unknown>;
    switch (op) {
      case 'JetCreateInstance':
        return { kind: 'returned', err: 0, out: { instance: handle() } as never };
      case 'JetBeginSession': {
        const s = handle();
        sessions.add(s);
        return { kind: 'returned', err: 0, out: { sesid: s } as never };
      }
      case 'JetEndSession': {
        const s = key(a.sesid);
        if (s === undefined || !sessions.has(s)) return { kind: 'returned', err: -1104 };
        sessions.delete(s);
        return { kind: 'returned', err: 0 };
      }
      case 'JetTerm2': {
        // Waits for held calls, as JetTerm2(TermComplete) waits for calls in flight.
        const hadHeld = held.size > 0;
        while (held.size > 0) await new Promise<void>((resolve) => waiters.push(resolve));
        return { kind: 'returned', err: hadHeld ? -1059 : 0 };
      }
      case 'JetDelete':
        throw new TypeError('fake engine: JetDelete is broken on purpose');
      case 'JetSetSystemParameter':
        return { kind: 'returned', err: (a.paramid as number) === 5 && typeof a.paramName === 'string' ? 1 : 0 };
      default:
        return { kind: 'returned', err: 0 };
    }
  }

  return {
    seen,
    info: { name: 'fake', version: '1.0.0', target: 'current', pointerWidth: 64, capabilities: ['threads', 'in-flight', 'instance-state', 'fault-injection'] },
    reset(): Promise<AdapterStatus> {
      sessions = new Set();
      return Promise.resolve({ kind: 'ok' });
    },
    call,
    hold(thread: string, c: ApiCall): Promise<HoldResult> {
      seen.push(`${thread}:hold:${c.op}`);
      const token = `h${held.size + 1}`;
      held.add(token);
      return Promise.resolve({ kind: 'held', hold: token });
    },
    release(hold: string): Promise<CallResult> {
      if (!held.delete(hold)) return Promise.resolve({ kind: 'unsupported', reason: `no hold ${hold}` });
      const w = waiters;
      waiters = [];
      for (const resolve of w) resolve();
      return Promise.resolve({ kind: 'returned', err: 0 });
    },
    forceInstanceState(): Promise<AdapterStatus> {
      return Promise.resolve({ kind: 'ok' });
    },
    injectFault(): Promise<AdapterStatus> {
      return Promise.resolve({ kind: 'unsupported', reason: 'fake engine: no fault injection' });
    },
    async close(): Promise<void> {},
  };
}
