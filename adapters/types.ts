/**
 * The adapter interface: the only way the suite reaches an ESE implementation.
 *
 * Everything here is plain data that survives JSON: the process adapter sends these shapes over
 * its protocol almost unchanged (docs/protocol.md). Errors of the implementation (a crash, a hang,
 * an answer that breaks the protocol) are returned as data, never thrown, so that a broken
 * implementation costs one scenario and never the run.
 *
 * @packageDocumentation
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

/** The implementation's own failure, as opposed to an ESE error code it returned. */
export type ImplementationFault =
  | { readonly kind: 'crash'; readonly reason: string; readonly code?: string; readonly stderrTail?: string }
  | { readonly kind: 'timeout'; readonly reason: string; readonly stderrTail?: string }
  | { readonly kind: 'protocol-error'; readonly reason: string; readonly stderrTail?: string };

/** A call that returned: its JET_ERR and, when it succeeded (err >= 0), its out-values. */
export interface Returned<O extends OperationName = OperationName> {
  readonly kind: 'returned';
  readonly err: number;
  readonly out?: Partial<OutOf<O>>;
}

/** Answer to an operation of a declared capability that the implementation cannot do after all. */
export interface Unsupported {
  readonly kind: 'unsupported';
  readonly reason: string;
}

export type CallResult<O extends OperationName = OperationName> = Returned<O> | ImplementationFault | Unsupported;

/** A call started with `hold`: entered and kept in progress until `release`. */
export interface Held {
  readonly kind: 'held';
  readonly hold: string;
}

/** The call returned at once instead of being held (e.g. it failed its entry checks). */
export type HoldResult = Held | CallResult;

/** Result of an adapter operation that has no JET_ERR of its own (reset, injections). */
export type AdapterStatus = { readonly kind: 'ok' } | ImplementationFault | Unsupported;

export type Capability = 'threads' | 'in-flight' | 'instance-state' | 'fault-injection';
export const capabilities: readonly Capability[] = ['threads', 'in-flight', 'instance-state', 'fault-injection'];

/** Target versions in release order; a scenario tagged `@since:X` needs a target at or after X. */
export const targetVersions = [
  'windows-2000',
  'windows-xp',
  'windows-server-2003',
  'windows-vista',
  'windows-7',
  'windows-8',
  'windows-10',
  'current',
] as const;
export type TargetVersion = (typeof targetVersions)[number];

export interface ImplementationInfo {
  readonly name: string;
  readonly version: string;
  readonly target: TargetVersion;
  readonly pointerWidth: 32 | 64;
  readonly capabilities: readonly Capability[];
}

/** States forced with the `instance-state` capability. */
export type ForcedInstanceState =
  | { readonly state: 'not-initialized' }
  | { readonly state: 'restore-in-progress' }
  /** cause: the JET_ERR that brought the instance down; JET_errLogDiskFull (-529) gives -1092. */
  | { readonly state: 'fatal-error'; readonly cause: number }
  /** Lifts a forced not-initialized or restore-in-progress state, so that "unchanged" can be checked. */
  | { readonly state: 'normal' };

/** Steps of JetEndSession's clean-up that `fault-injection` can make fail. */
export type CleanupStep = 'undo' | 'close-database' | 'close-sort';

export interface FaultSpec {
  readonly step: CleanupStep;
  /** The JET_ERR the step fails with, e.g. JET_errOutOfMemory. */
  readonly err: number;
  /** How many times the step fails before it works again. */
  readonly times: number;
}

/**
 * An ESE implementation under test. Threads are logical names ("t1", "t2"): the implementation maps
 * each to one real thread for its lifetime (until `reset`). Calls on one thread are sequential; calls
 * on different threads may overlap when `threads` is declared.
 */
export interface Implementation {
  /** Known after `open`; constant for the adapter's lifetime. */
  readonly info: ImplementationInfo;
  /** Back to a fresh process state: no instance, instance mode forgotten, fresh database folder. */
  reset(): Promise<AdapterStatus>;
  /**
   * One API call. The promise stays pending while the implementation is blocked (JetTerm2 waiting
   * for a held call, with `in-flight`); it never rejects.
   */
  call<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<CallResult<O>>;
  /** `in-flight`: enter the call and keep it in progress on `thread` until `release`. */
  hold?(thread: string, call: ApiCall): Promise<HoldResult>;
  /** `in-flight`: let a held call complete and return its result. */
  release?(hold: string): Promise<CallResult>;
  /** `instance-state`: force the instance into a state ESENT cannot be driven into. */
  forceInstanceState?(instance: HandleArg, state: ForcedInstanceState): Promise<AdapterStatus>;
  /** `fault-injection`: make a named clean-up step of JetEndSession fail. */
  injectFault?(fault: FaultSpec): Promise<AdapterStatus>;
  /** The last few KiB of the implementation's diagnostic output (a process's stderr), for the reports. */
  stderrTail?(): string | undefined;
  /** Release the implementation (stop its process). Never rejects. */
  close(): Promise<void>;
}

/** How the command line opens an adapter by name. */
export interface AdapterFactory {
  readonly name: string;
  readonly description: string;
  open(options: AdapterOptions): Promise<Implementation | { readonly error: string }>;
}

export interface AdapterOptions {
  /** For `process`: the command and its arguments, as given after `--`. */
  readonly command?: readonly string[];
  /** Timeout of one call or handshake, in milliseconds. */
  readonly timeoutMs?: number;
  /** Target version asked for on the command line, overriding the declared one. */
  readonly target?: TargetVersion;
}
