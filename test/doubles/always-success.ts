/**
 * An engine that answers JET_errSuccess to every call and declares every capability: what a stub
 * implementation looks like. Every scenario whose expected outcome is not plain success must fail
 * against it, or the suite certifies a stub.
 */
import type { Implementation, OperationName, OutOf } from '../../adapters/types';
import { capabilities } from '../../adapters/types';

export function createAlwaysSuccess(): Implementation {
  let next = 0x1000;
  const handle = () => `0x${(next += 0x10).toString(16)}`;
  const outs: Partial<Record<OperationName, () => Record<string, unknown>>> = {
    JetCreateInstance: () => ({ instance: handle() }),
    JetBeginSession: () => ({ sesid: handle() }),
    JetDupSession: () => ({ sesid: handle() }),
    JetCreateDatabase: () => ({ dbid: 1 }),
    JetOpenDatabase: () => ({ dbid: 1 }),
    JetCreateTable: () => ({ tableid: handle() }),
    JetAddColumn: () => ({ columnid: next++ }),
    JetOpenTable: () => ({ tableid: handle() }),
    JetDupCursor: () => ({ tableid: handle() }),
    JetRetrieveColumn: () => ({ value: 1 }),
    JetOpenTempTable: () => ({ tableid: handle(), columnids: [1] }),
  };
  const answer = <O extends OperationName>(op: O) => ({ kind: 'returned' as const, err: 0, out: (outs[op]?.() ?? {}) as Partial<OutOf<O>> });
  let holds = 0;
  return {
    info: { name: 'always-success', version: '1', target: 'current', pointerWidth: 64, capabilities },
    reset: async () => ({ kind: 'ok' }),
    call: async (_thread, op) => answer(op),
    hold: async () => ({ kind: 'held', hold: `h${++holds}` }),
    release: async () => answer('JetRollback' as OperationName),
    forceInstanceState: async () => ({ kind: 'ok' }),
    injectFault: async () => ({ kind: 'ok' }),
    close: async () => undefined,
  };
}

