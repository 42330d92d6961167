/**
 * The reference engine: one process state, the ESE API as typed methods on logical threads,
 * calls held in flight, and the injections. Deterministic: no timers, no randomness.
 */
import type { FaultSpec, ForcedInstanceState, OperationName } from '../api';
import { JET_errors as E } from '../api/codes';
import type { JET_ERR } from '../api/codes';
import type { Core, EngineArgs, EngineResult, Entered, OpImpl, OpTable, PendingTerm } from './api';
import { isPending } from './api';
import * as db from './dbops';
import * as dml from './dml';
import { JetEndSession } from './endsession';
import { findInstance } from './entry';
import type { JET_HANDLE } from './handles';
import { FaultTable } from './injection';
import * as life from './lifecycle';
import { ProcessState } from './process';
import type { Session } from './session';
import * as ses from './sessionops';

const ops: OpTable = {
  JetCreateInstance: life.JetCreateInstance,
  JetSetSystemParameter: life.JetSetSystemParameter,
  JetInit: life.JetInit,
  JetTerm: life.JetTerm,
  JetTerm2: life.JetTerm2,
  JetStopService: life.JetStopService,
  JetStopServiceInstance: life.JetStopServiceInstance,
  JetStopServiceInstance2: life.JetStopServiceInstance2,
  JetBeginSession: life.JetBeginSession,
  JetDupSession: ses.JetDupSession,
  JetEndSession,
  JetSetSessionContext: ses.JetSetSessionContext,
  JetResetSessionContext: ses.JetResetSessionContext,
  JetBeginTransaction: ses.JetBeginTransaction,
  JetBeginTransaction2: ses.JetBeginTransaction2,
  JetCommitTransaction: ses.JetCommitTransaction,
  JetRollback: ses.JetRollback,
  JetCreateDatabase: db.JetCreateDatabase,
  JetAttachDatabase: db.JetAttachDatabase,
  JetOpenDatabase: db.JetOpenDatabase,
  JetCloseDatabase: db.JetCloseDatabase,
  JetCreateTable: db.JetCreateTable,
  JetAddColumn: db.JetAddColumn,
  JetOpenTable: db.JetOpenTable,
  JetDupCursor: db.JetDupCursor,
  JetCloseTable: db.JetCloseTable,
  JetPrepareUpdate: dml.JetPrepareUpdate,
  JetSetColumn: dml.JetSetColumn,
  JetUpdate: dml.JetUpdate,
  JetDelete: dml.JetDelete,
  JetMove: dml.JetMove,
  JetRetrieveColumn: dml.JetRetrieveColumn,
  JetOpenTempTable: db.JetOpenTempTable,
};

/** Operations that can be held in flight: those that enter through a session (they take a sesid). */
export const holdableOps: ReadonlySet<OperationName> = new Set<OperationName>([
  'JetDupSession', 'JetEndSession', 'JetSetSessionContext', 'JetResetSessionContext', 'JetBeginTransaction',
  'JetBeginTransaction2', 'JetCommitTransaction', 'JetRollback', 'JetCreateDatabase', 'JetAttachDatabase',
  'JetOpenDatabase', 'JetCloseDatabase', 'JetCreateTable', 'JetAddColumn', 'JetOpenTable', 'JetDupCursor',
  'JetCloseTable', 'JetPrepareUpdate', 'JetSetColumn', 'JetUpdate', 'JetDelete', 'JetMove', 'JetRetrieveColumn',
  'JetOpenTempTable',
]);

/** A pending JetTerm/JetTerm2 that completed because its last held call was released. */
export interface CompletedTerm {
  readonly pending: number;
  readonly result: EngineResult<'JetTerm2'>;
}

export interface Released {
  readonly result: EngineResult;
  readonly completed: readonly CompletedTerm[];
}

/** Engine-level view of the interface's `ApiCall` (handles already converted). */
export type EngineCall = { [O in OperationName]: { readonly op: O; readonly args: EngineArgs<O> } }[OperationName];

export interface EngineOptions {
  /** Operations to use instead of the reference's. */
  readonly ops?: Partial<OpTable>;
}

interface Hold {
  readonly thread: string;
  readonly op: OperationName;
  readonly args: EngineArgs<OperationName>;
  readonly entered: Entered;
}

export class Engine {
  private core: Core;
  private readonly holds = new Map<number, Hold>();
  /** Threads blocked in a held call or a waiting term (value: the hold or pending id). */
  private readonly blocked = new Map<string, number>();

  private readonly ops: OpTable;

  /** `options.ops` replaces operations (e.g. a JetEndSession built from another plan, endsession.ts). */
  constructor(options: EngineOptions = {}) {
    this.ops = options.ops === undefined ? ops : { ...ops, ...options.ops };
    this.core = { p: new ProcessState(), faults: new FaultTable() };
  }

  /** The current process state (read-only use: tests and benchmarks). */
  get state(): ProcessState {
    return this.core.p;
  }

  /**
   * Back to a fresh process state: no instance, instance mode forgotten, database folder empty,
   * no holds, no faults. Returns the ids of terms that were still waiting (they never complete).
   */
  reset(): number[] {
    const abandoned: number[] = [];
    for (const inst of this.core.p.instances) {
      if (inst.pendingTerm) abandoned.push(inst.pendingTerm.id);
      for (const q of inst.queuedTerms) abandoned.push(q.id);
    }
    this.core = { p: new ProcessState(), faults: new FaultTable() };
    this.holds.clear();
    this.blocked.clear();
    return abandoned;
  }

  /** One API call on `thread`. JetTerm/JetTerm2 may answer `{ pending }` (see `release`). */
  call<O extends OperationName>(thread: string, op: O, args: EngineArgs<O>): EngineResult<O> | PendingTerm {
    if (this.blocked.has(thread)) return { err: E.JET_errInvalidOperation } as EngineResult<O>;
    const impl = this.ops[op] as OpImpl<O>;
    const e = impl.enter(this.core, thread, args);
    if (typeof e === 'number') return { err: e } as EngineResult<O>;
    const r = impl.body(this.core, e, args);
    if (isPending(r)) this.blocked.set(thread, r.pending);
    return r;
  }

  /**
   * Enters a session call (its entry checks, then the session's in-API count goes up) and keeps it
   * in progress until `release`. Returns `{ held }`, or the result when the entry checks failed.
   */
  hold(thread: string, call: EngineCall): { readonly held: number } | { readonly result: EngineResult } {
    if (!holdableOps.has(call.op)) throw new Error(`${call.op} cannot be held: only calls that enter through a session`);
    if (this.blocked.has(thread)) return { result: { err: E.JET_errInvalidOperation } };
    const impl = this.ops[call.op] as OpImpl<OperationName>;
    const entered = impl.enter(this.core, thread, call.args);
    if (typeof entered === 'number') return { result: { err: entered } };
    const e = impl.hold === undefined ? entered : impl.hold(this.core, entered, call.args);
    if ('err' in e) return { result: e };
    const s = e.s as Session;
    s.inApi++;
    s.instance.heldCalls++;
    const id = this.core.p.nextWaitId++;
    this.holds.set(id, { thread, op: call.op, args: call.args, entered: e });
    this.blocked.set(thread, id);
    return { held: id };
  }

  /** Completes a held call; a term that waited for it completes too when it was the last one. */
  release(id: number): Released {
    const h = this.holds.get(id);
    if (h === undefined) throw new Error(`no call is held under id ${id}`);
    this.holds.delete(id);
    this.blocked.delete(h.thread);
    const s = h.entered.s as Session;
    const inst = s.instance;
    s.inApi--;
    inst.heldCalls--;
    const impl = this.ops[h.op] as OpImpl<OperationName>;
    const result = impl.body(this.core, h.entered, h.args) as EngineResult;
    const completed: CompletedTerm[] = [];
    const t = inst.pendingTerm;
    if (inst.heldCalls === 0 && t !== null) {
      this.blocked.delete(t.thread);
      completed.push({ pending: t.id, result: life.completeTerm(this.core, inst, t.grbit) });
      for (const q of inst.queuedTerms.splice(0)) {
        this.blocked.delete(q.thread);
        completed.push({ pending: q.id, result: life.queuedTermResult() });
      }
    }
    return { result, completed };
  }

  /** instance-state: forces a state; 0, or the lookup error for an unknown instance. */
  forceInstanceState(instance: JET_HANDLE, state: ForcedInstanceState): JET_ERR {
    const p = this.core.p;
    const inst = findInstance(p, instance);
    if (typeof inst === 'number') return inst;
    if (state.state === 'not-initialized') inst.forcedNotInitialized = true;
    else if (state.state === 'restore-in-progress') inst.forcedRestoreInProgress = true;
    else if (state.state === 'fatal-error') inst.unavailableCause = state.cause;
    else {
      inst.forcedNotInitialized = false;
      inst.forcedRestoreInProgress = false;
    }
    return 0;
  }

  /** fault-injection: the step fails with `err` the next `times` times it is attempted. */
  injectFault(fault: FaultSpec): void {
    this.core.faults.inject(fault);
  }

  // ---- The ESE API, one typed method per operation -------------------------------------------

  JetCreateInstance(thread: string, name: string): EngineResult<'JetCreateInstance'> {
    return this.call(thread, 'JetCreateInstance', { name }) as EngineResult<'JetCreateInstance'>;
  }
  JetSetSystemParameter(thread: string, instance: JET_HANDLE | null, sesid: JET_HANDLE | null, paramid: number, lParam: number): EngineResult<'JetSetSystemParameter'> {
    return this.call(thread, 'JetSetSystemParameter', { instance, sesid, paramid, lParam }) as EngineResult<'JetSetSystemParameter'>;
  }
  JetInit(thread: string, instance: JET_HANDLE): EngineResult<'JetInit'> {
    return this.call(thread, 'JetInit', { instance }) as EngineResult<'JetInit'>;
  }
  JetTerm(thread: string, instance: JET_HANDLE): EngineResult<'JetTerm'> | PendingTerm {
    return this.call(thread, 'JetTerm', { instance });
  }
  JetTerm2(thread: string, instance: JET_HANDLE, grbit: number): EngineResult<'JetTerm2'> | PendingTerm {
    return this.call(thread, 'JetTerm2', { instance, grbit });
  }
  JetStopService(thread: string): EngineResult<'JetStopService'> {
    return this.call(thread, 'JetStopService', {}) as EngineResult<'JetStopService'>;
  }
  JetStopServiceInstance(thread: string, instance: JET_HANDLE): EngineResult<'JetStopServiceInstance'> {
    return this.call(thread, 'JetStopServiceInstance', { instance }) as EngineResult<'JetStopServiceInstance'>;
  }
  JetStopServiceInstance2(thread: string, instance: JET_HANDLE, grbit: number): EngineResult<'JetStopServiceInstance2'> {
    return this.call(thread, 'JetStopServiceInstance2', { instance, grbit }) as EngineResult<'JetStopServiceInstance2'>;
  }
  JetBeginSession(thread: string, instance: JET_HANDLE, username: string, password: string): EngineResult<'JetBeginSession'> {
    return this.call(thread, 'JetBeginSession', { instance, username, password }) as EngineResult<'JetBeginSession'>;
  }
  JetDupSession(thread: string, sesid: JET_HANDLE): EngineResult<'JetDupSession'> {
    return this.call(thread, 'JetDupSession', { sesid }) as EngineResult<'JetDupSession'>;
  }
  JetEndSession(thread: string, sesid: JET_HANDLE, grbit: number): EngineResult<'JetEndSession'> {
    return this.call(thread, 'JetEndSession', { sesid, grbit }) as EngineResult<'JetEndSession'>;
  }
  JetSetSessionContext(thread: string, sesid: JET_HANDLE, context: number): EngineResult<'JetSetSessionContext'> {
    return this.call(thread, 'JetSetSessionContext', { sesid, context }) as EngineResult<'JetSetSessionContext'>;
  }
  JetResetSessionContext(thread: string, sesid: JET_HANDLE): EngineResult<'JetResetSessionContext'> {
    return this.call(thread, 'JetResetSessionContext', { sesid }) as EngineResult<'JetResetSessionContext'>;
  }
  JetBeginTransaction(thread: string, sesid: JET_HANDLE): EngineResult<'JetBeginTransaction'> {
    return this.call(thread, 'JetBeginTransaction', { sesid }) as EngineResult<'JetBeginTransaction'>;
  }
  JetBeginTransaction2(thread: string, sesid: JET_HANDLE, grbit: number): EngineResult<'JetBeginTransaction2'> {
    return this.call(thread, 'JetBeginTransaction2', { sesid, grbit }) as EngineResult<'JetBeginTransaction2'>;
  }
  JetCommitTransaction(thread: string, sesid: JET_HANDLE, grbit: number): EngineResult<'JetCommitTransaction'> {
    return this.call(thread, 'JetCommitTransaction', { sesid, grbit }) as EngineResult<'JetCommitTransaction'>;
  }
  JetRollback(thread: string, sesid: JET_HANDLE, grbit: number): EngineResult<'JetRollback'> {
    return this.call(thread, 'JetRollback', { sesid, grbit }) as EngineResult<'JetRollback'>;
  }
  JetCreateDatabase(thread: string, sesid: JET_HANDLE, filename: string, grbit: number): EngineResult<'JetCreateDatabase'> {
    return this.call(thread, 'JetCreateDatabase', { sesid, filename, grbit }) as EngineResult<'JetCreateDatabase'>;
  }
  JetAttachDatabase(thread: string, sesid: JET_HANDLE, filename: string, grbit: number): EngineResult<'JetAttachDatabase'> {
    return this.call(thread, 'JetAttachDatabase', { sesid, filename, grbit }) as EngineResult<'JetAttachDatabase'>;
  }
  JetOpenDatabase(thread: string, sesid: JET_HANDLE, filename: string, grbit: number): EngineResult<'JetOpenDatabase'> {
    return this.call(thread, 'JetOpenDatabase', { sesid, filename, grbit }) as EngineResult<'JetOpenDatabase'>;
  }
  JetCloseDatabase(thread: string, sesid: JET_HANDLE, dbid: number, grbit: number): EngineResult<'JetCloseDatabase'> {
    return this.call(thread, 'JetCloseDatabase', { sesid, dbid, grbit }) as EngineResult<'JetCloseDatabase'>;
  }
  JetCreateTable(thread: string, sesid: JET_HANDLE, dbid: number, tablename: string): EngineResult<'JetCreateTable'> {
    return this.call(thread, 'JetCreateTable', { sesid, dbid, tablename }) as EngineResult<'JetCreateTable'>;
  }
  JetAddColumn(thread: string, sesid: JET_HANDLE, tableid: JET_HANDLE, column: string, coltyp: number): EngineResult<'JetAddColumn'> {
    return this.call(thread, 'JetAddColumn', { sesid, tableid, column, coltyp }) as EngineResult<'JetAddColumn'>;
  }
  JetOpenTable(thread: string, sesid: JET_HANDLE, dbid: number, tablename: string, grbit: number): EngineResult<'JetOpenTable'> {
    return this.call(thread, 'JetOpenTable', { sesid, dbid, tablename, grbit }) as EngineResult<'JetOpenTable'>;
  }
  JetDupCursor(thread: string, sesid: JET_HANDLE, tableid: JET_HANDLE, grbit: number): EngineResult<'JetDupCursor'> {
    return this.call(thread, 'JetDupCursor', { sesid, tableid, grbit }) as EngineResult<'JetDupCursor'>;
  }
  JetCloseTable(thread: string, sesid: JET_HANDLE, tableid: JET_HANDLE): EngineResult<'JetCloseTable'> {
    return this.call(thread, 'JetCloseTable', { sesid, tableid }) as EngineResult<'JetCloseTable'>;
  }
  JetPrepareUpdate(thread: string, sesid: JET_HANDLE, tableid: JET_HANDLE, prep: number): EngineResult<'JetPrepareUpdate'> {
    return this.call(thread, 'JetPrepareUpdate', { sesid, tableid, prep }) as EngineResult<'JetPrepareUpdate'>;
  }
  JetSetColumn(thread: string, sesid: JET_HANDLE, tableid: JET_HANDLE, columnid: number, value: number | string | null): EngineResult<'JetSetColumn'> {
    return this.call(thread, 'JetSetColumn', { sesid, tableid, columnid, value }) as EngineResult<'JetSetColumn'>;
  }
  JetUpdate(thread: string, sesid: JET_HANDLE, tableid: JET_HANDLE): EngineResult<'JetUpdate'> {
    return this.call(thread, 'JetUpdate', { sesid, tableid }) as EngineResult<'JetUpdate'>;
  }
  JetDelete(thread: string, sesid: JET_HANDLE, tableid: JET_HANDLE): EngineResult<'JetDelete'> {
    return this.call(thread, 'JetDelete', { sesid, tableid }) as EngineResult<'JetDelete'>;
  }
  JetMove(thread: string, sesid: JET_HANDLE, tableid: JET_HANDLE, cRow: number, grbit: number): EngineResult<'JetMove'> {
    return this.call(thread, 'JetMove', { sesid, tableid, cRow, grbit }) as EngineResult<'JetMove'>;
  }
  JetRetrieveColumn(thread: string, sesid: JET_HANDLE, tableid: JET_HANDLE, columnid: number): EngineResult<'JetRetrieveColumn'> {
    return this.call(thread, 'JetRetrieveColumn', { sesid, tableid, columnid }) as EngineResult<'JetRetrieveColumn'>;
  }
  JetOpenTempTable(thread: string, sesid: JET_HANDLE, columns: { coltyp: number; grbit: number }[], grbit: number): EngineResult<'JetOpenTempTable'> {
    return this.call(thread, 'JetOpenTempTable', { sesid, columns, grbit }) as EngineResult<'JetOpenTempTable'>;
  }
}

