/**
 * The ESE operations the suite calls, with their argument and out-value types, and the handle kinds.
 * Plain data that survives JSON: the process protocol sends these shapes almost unchanged
 * (docs/protocol.md). The bottom layer: imports nothing.
 */

/** A handle (JET_INSTANCE, JET_SESID, JET_TABLEID) exactly as the implementation issued it. Opaque. */
export type Handle = string;

/** Handles the suite forges without asking the implementation to issue them. */
export type ForgedHandleKind = 'nil' | 'zero' | 'never-issued';

/**
 * What can stand in a handle slot: an issued handle (of any kind, in any slot: an instance handle
 * passed as a sesid is a valid test) or a forged one, which the implementation maps to its own
 * value (nil is all ones at its pointer width).
 */
export type HandleArg = Handle | { readonly forged: ForgedHandleKind };

/** A JET_DBID or JET_COLUMNID: small integers, not pointers. */
export type JET_DBID = number;
export type JET_COLUMNID = number;

/** A column value: a number for JET_coltypLong, a string for the text types, null for NULL. */
export type ColumnValue = number | string | null;

/**
 * Every API operation the suite calls, with its arguments and out-values. Names and argument
 * names follow the ESE API; grbits, codes and parameters are numbers.
 */
export interface Operations {
  JetCreateInstance: { args: { name: string }; out: { instance: Handle } };
  /** instance null is the process-wide slot (JET_instanceNil / NULL in C). */
  JetSetSystemParameter: {
    args: { instance: HandleArg | null; sesid: HandleArg | null; paramid: number; lParam: number };
    out: Record<string, never>;
  };
  JetInit: { args: { instance: HandleArg }; out: Record<string, never> };
  JetTerm: { args: { instance: HandleArg }; out: Record<string, never> };
  JetTerm2: { args: { instance: HandleArg; grbit: number }; out: Record<string, never> };
  JetStopService: { args: Record<string, never>; out: Record<string, never> };
  JetStopServiceInstance: { args: { instance: HandleArg }; out: Record<string, never> };
  JetStopServiceInstance2: { args: { instance: HandleArg; grbit: number }; out: Record<string, never> };
  JetBeginSession: { args: { instance: HandleArg; username: string; password: string }; out: { sesid: Handle } };
  JetDupSession: { args: { sesid: HandleArg }; out: { sesid: Handle } };
  JetEndSession: { args: { sesid: HandleArg; grbit: number }; out: Record<string, never> };
  /** context is a JET_API_PTR; -1 stands for all ones. */
  JetSetSessionContext: { args: { sesid: HandleArg; context: number }; out: Record<string, never> };
  JetResetSessionContext: { args: { sesid: HandleArg }; out: Record<string, never> };
  JetBeginTransaction: { args: { sesid: HandleArg }; out: Record<string, never> };
  JetBeginTransaction2: { args: { sesid: HandleArg; grbit: number }; out: Record<string, never> };
  JetCommitTransaction: { args: { sesid: HandleArg; grbit: number }; out: Record<string, never> };
  JetRollback: { args: { sesid: HandleArg; grbit: number }; out: Record<string, never> };
  JetCreateDatabase: { args: { sesid: HandleArg; filename: string; grbit: number }; out: { dbid: JET_DBID } };
  JetAttachDatabase: { args: { sesid: HandleArg; filename: string; grbit: number }; out: Record<string, never> };
  JetOpenDatabase: { args: { sesid: HandleArg; filename: string; grbit: number }; out: { dbid: JET_DBID } };
  JetCloseDatabase: { args: { sesid: HandleArg; dbid: JET_DBID; grbit: number }; out: Record<string, never> };
  /** Creates the table and returns an open cursor on it, as JetCreateTable does. */
  JetCreateTable: { args: { sesid: HandleArg; dbid: JET_DBID; tablename: string }; out: { tableid: Handle } };
  JetAddColumn: {
    args: { sesid: HandleArg; tableid: HandleArg; column: string; coltyp: number };
    out: { columnid: JET_COLUMNID };
  };
  JetOpenTable: {
    args: { sesid: HandleArg; dbid: JET_DBID; tablename: string; grbit: number };
    out: { tableid: Handle };
  };
  JetDupCursor: { args: { sesid: HandleArg; tableid: HandleArg; grbit: number }; out: { tableid: Handle } };
  JetCloseTable: { args: { sesid: HandleArg; tableid: HandleArg }; out: Record<string, never> };
  JetPrepareUpdate: { args: { sesid: HandleArg; tableid: HandleArg; prep: number }; out: Record<string, never> };
  JetSetColumn: {
    args: { sesid: HandleArg; tableid: HandleArg; columnid: JET_COLUMNID; value: ColumnValue };
    out: Record<string, never>;
  };
  JetUpdate: { args: { sesid: HandleArg; tableid: HandleArg }; out: Record<string, never> };
  JetDelete: { args: { sesid: HandleArg; tableid: HandleArg }; out: Record<string, never> };
  JetMove: { args: { sesid: HandleArg; tableid: HandleArg; cRow: number; grbit: number }; out: Record<string, never> };
  JetRetrieveColumn: {
    args: { sesid: HandleArg; tableid: HandleArg; columnid: JET_COLUMNID };
    out: { value: ColumnValue };
  };
  /** One column per entry; the out-value lists their columnids in the same order. */
  JetOpenTempTable: {
    args: { sesid: HandleArg; columns: { coltyp: number; grbit: number }[]; grbit: number };
    out: { tableid: Handle; columnids: JET_COLUMNID[] };
  };
}

export type OperationName = keyof Operations;
export type ArgsOf<O extends OperationName> = Operations[O]['args'];
export type OutOf<O extends OperationName> = Operations[O]['out'];

/** One API call, as a discriminated union on `op`. */
export type ApiCall = { [O in OperationName]: { readonly op: O; readonly args: ArgsOf<O> } }[OperationName];

/** The names of the operation list, for validation and glossaries. */
export const operationNames: readonly OperationName[] = [
  'JetCreateInstance', 'JetSetSystemParameter', 'JetInit', 'JetTerm', 'JetTerm2', 'JetStopService',
  'JetStopServiceInstance', 'JetStopServiceInstance2', 'JetBeginSession', 'JetDupSession', 'JetEndSession',
  'JetSetSessionContext', 'JetResetSessionContext', 'JetBeginTransaction', 'JetBeginTransaction2',
  'JetCommitTransaction', 'JetRollback', 'JetCreateDatabase', 'JetAttachDatabase', 'JetOpenDatabase',
  'JetCloseDatabase', 'JetCreateTable', 'JetAddColumn', 'JetOpenTable', 'JetDupCursor', 'JetCloseTable',
  'JetPrepareUpdate', 'JetSetColumn', 'JetUpdate', 'JetDelete', 'JetMove', 'JetRetrieveColumn',
  'JetOpenTempTable',
];
