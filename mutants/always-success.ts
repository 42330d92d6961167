/**
 * `always-success`: an engine that answers JET_errSuccess to every call, with plausible out-values,
 * and declares every capability. What a stub implementation (Wine's esent, say) would look like if
 * it did not crash: every scenario that expects more than plain success must fail against it.
 */
import type { CallResult, Implementation } from '../adapters/types';
import type { OperationName, OutOf, TargetVersion } from '../api';
import { capabilities } from '../api';

type OutMaker = () => Record<string, unknown>;

export function createAlwaysSuccess(options: { readonly target?: TargetVersion } = {}): Implementation {
  let next = 0x1000;
  const handle = () => `0x${(next += 0x10).toString(16)}`;
  const outs: Partial<Record<OperationName, OutMaker>> = {
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
  const success = <O extends OperationName>(op: O): CallResult<O> => ({
    kind: 'returned',
    err: 0,
    out: (outs[op]?.() ?? {}) as Partial<OutOf<O>>,
  });
  let holds = 0;
  return {
    info: { name: 'mutant:always-success', version: '1', target: options.target ?? 'current', pointerWidth: 64, capabilities },
    reset: () => Promise.resolve({ kind: 'ok' }),
    call: (_thread, op) => Promise.resolve(success(op)),
    hold: () => Promise.resolve({ kind: 'held', hold: `h${++holds}` }),
    release: () => Promise.resolve(success('JetRollback')),
    forceInstanceState: () => Promise.resolve({ kind: 'ok' }),
    injectFault: () => Promise.resolve({ kind: 'ok' }),
    close: () => Promise.resolve(),
  };
}
