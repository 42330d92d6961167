/**
 * The ESE codes by name and number: every JET_err, JET_wrn, grbit, system parameter and named
 * constant the project calls or compares, spelled as ESE spells them. Values come from ESE's
 * published/inc/jethdr.w; test/api/codes.test.ts checks every one the catalogue names against the
 * shipped catalogue copy (catalogue/codes.json). The bottom layer: imports nothing.
 */

/** A JET_ERR: 0 success, negative error, positive warning. */
export type JET_ERR = number;
/** A JET_GRBIT: a 32-bit unsigned bit field. */
export type JET_GRBIT = number;

export const JET_errors = {
  JET_errSuccess: 0,
  JET_wrnNyi: -1,
  JET_errInternalError: -107,
  JET_errBackupInProgress: -505,
  JET_errRestoreInProgress: -506,
  JET_errLogWriteFail: -510,
  JET_errLogDiskFull: -529,
  JET_errDatabaseDirtyShutdown: -550,
  JET_errInvalidGrbit: -900,
  JET_errTermInProgress: -1000,
  JET_errFeatureNotAvailable: -1001,
  JET_errInvalidParameter: -1003,
  JET_errInvalidDatabaseId: -1010,
  JET_errOutOfMemory: -1011,
  JET_errOutOfCursors: -1013,
  JET_errOutOfBuffers: -1014,
  JET_errDiskIO: -1022,
  JET_errTooManyOpenDatabases: -1027,
  JET_errNotInitialized: -1029,
  JET_errAlreadyInitialized: -1030,
  JET_errInitInProgress: -1031,
  JET_errNotInTransaction: -1054,
  JET_errMustRollback: -1057,
  JET_errTooManyActiveUsers: -1059,
  JET_errRunningInOneInstanceMode: -1080,
  JET_errRunningInMultiInstanceMode: -1081,
  JET_errSystemParamsAlreadySet: -1082,
  JET_errInstanceNameInUse: -1086,
  JET_errInstanceUnavailable: -1090,
  JET_errInstanceUnavailableDueToFatalLogDiskFull: -1092,
  JET_errOutOfSessions: -1101,
  JET_errWriteConflict: -1102,
  JET_errTransTooDeep: -1103,
  JET_errInvalidSesid: -1104,
  JET_errInTransaction: -1108,
  JET_errTransReadOnly: -1110,
  JET_errSessionWriteConflict: -1111,
  JET_errSesidTableIdMismatch: -1114,
  JET_errInvalidInstance: -1115,
  JET_errDirtyShutdown: -1116,
  JET_errDatabaseInUse: -1202,
  JET_errDatabaseNotFound: -1203,
  JET_errDatabaseLocked: -1207,
  JET_errTooManyInstances: -1214,
  JET_errTransactionsNotReadyDuringRecovery: -1232,
  JET_errTableLocked: -1302,
  JET_errTableInUse: -1304,
  JET_errInvalidTableId: -1310,
  JET_errTooManyOpenTables: -1311,
  JET_errClientRequestToStopJetService: -1329,
  JET_errNoCurrentRecord: -1603,
  JET_errTooManySorts: -1701,
  JET_errInvalidOperation: -1906,
  JET_errSessionSharingViolation: -1910,
  JET_errSessionContextAlreadySet: -1912,
  JET_errSessionContextNotSetByThisThread: -1913,
  JET_errSessionInUse: -1914,
  JET_errRollbackError: -1917,
  JET_errCallbackFailed: -2101,
  JET_wrnRemainingVersions: 321,
  JET_wrnTableInUseBySystem: 1327,
  // Codes the reference engine returns outside the JetEndSession catalogue (jethdr.w).
  JET_errInvalidName: -1002,
  JET_wrnColumnNull: 1004,
  JET_wrnDatabaseAttached: 1007,
  JET_wrnCallbackNotRegistered: 2100,
  JET_errRecordDeleted: -1017,
  JET_errFileAccessDenied: -1032,
  JET_errInvalidBufferSize: -1047,
  JET_errDatabaseDuplicate: -1201,
  JET_errDatabaseSharingViolation: -1215,
  JET_errDatabaseInvalidPath: -1217,
  JET_errTableDuplicate: -1303,
  JET_errObjectNotFound: -1305,
  JET_errIllegalOperation: -1312,
  JET_errFixedDDL: -1323,
  JET_errColumnNotFound: -1507,
  JET_errColumnDuplicate: -1508,
  JET_errInvalidColumnType: -1511,
  JET_errAlreadyPrepared: -1607,
  JET_errUpdateNotPrepared: -1609,
  JET_errPermissionDenied: -1809,
  JET_errFileNotFound: -1811,
} as const;

export type JET_errName = keyof typeof JET_errors;

export const JET_bits = {
  JET_bitNil: 0x0,
  JET_bitForceSessionClosed: 0x1,
  JET_bitTableDenyWrite: 0x1,
  JET_bitTableDenyRead: 0x2,
  JET_bitTableReadOnly: 0x4,
  JET_bitTableUpdatable: 0x8,
  JET_bitDbExclusive: 0x2,
  JET_bitRollbackAll: 0x1,
  JET_bitCommitLazyFlush: 0x1,
  JET_bitWaitLastLevel0Commit: 0x2,
  JET_bitTransactionReadOnly: 0x1,
  JET_bitTermComplete: 0x1,
  JET_bitTermAbrupt: 0x2,
  JET_bitTermStopBackup: 0x4,
  JET_bitTermDirty: 0x8,
  JET_bitStopServiceAll: 0x0,
  JET_bitStopServiceBackgroundUserTasks: 0x2,
  JET_bitStopServiceQuiesceCaches: 0x4,
  JET_bitStopServiceStopAndEmitLog: 0x8,
  JET_bitStopServiceResume: 0x80000000,
  JET_bitTTIndexed: 0x1,
  JET_bitTTUnique: 0x2,
  JET_bitTTUpdatable: 0x4,
  JET_bitTTScrollable: 0x8,
  JET_bitTTSortNullsHigh: 0x10,
  JET_bitTTForceMaterialization: 0x20,
  JET_bitTTForwardOnly: 0x40,
  JET_bitTTIntrinsicLVsOnly: 0x80,
  JET_bitDbReadOnly: 0x1,
  JET_bitDbOverwriteExisting: 0x200,
  JET_bitWaitAllLevel0Commit: 0x8,
  JET_bitForceNewLog: 0x10,
  JET_bitCommitRedoCallback: 0x20,
  JET_bitRollbackRedoCallback: 0x20,
  JET_bitColumnTTKey: 0x40,
  JET_bitColumnTTDescending: 0x80,
} as const;

export type JET_bitName = keyof typeof JET_bits;

export const JET_params = {
  JET_paramMaxSessions: 5,
  JET_paramMaxOpenTables: 6,
  JET_paramMaxCursors: 8,
  JET_paramMaxTemporaryTables: 10,
} as const;

export type JET_paramName = keyof typeof JET_params;

/** Other named numbers the API takes: prep codes, move offsets, column types. */
export const JET_constants = {
  JET_prepInsert: 0,
  JET_prepReplace: 2,
  JET_prepCancel: 3,
  JET_prepReplaceNoLock: 4,
  JET_prepInsertCopy: 5,
  JET_prepInsertCopyDeleteOriginal: 7,
  JET_prepReadOnlyCopy: 8,
  JET_prepInsertCopyReplaceOriginal: 9,
  JET_prepInsertMustSetAutoIncrement: 10,
  JET_MoveFirst: 0x80000000 | 0,
  JET_MoveNext: 1,
  JET_MovePrevious: -1,
  JET_MoveLast: 0x7fffffff,
  JET_coltypLong: 4,
  JET_coltypText: 10,
  JET_coltypLongText: 12,
} as const;

export type JET_constantName = keyof typeof JET_constants;

/** Nesting depth limit of user transactions (levelUserMost, daeconst.hxx). */
export const levelUserMost = 7;

const errByNumber = new Map<number, JET_errName>();
for (const [name, value] of Object.entries(JET_errors) as [JET_errName, number][]) {
  if (!errByNumber.has(value)) errByNumber.set(value, name);
}

/** The ESE name of a code, or undefined for a number the table does not know. */
export function errName(err: JET_ERR): JET_errName | undefined {
  return errByNumber.get(err);
}

/** "JET_errInvalidSesid (-1104)"; unknown numbers print as the number alone. */
export function describeErr(err: JET_ERR): string {
  const name = errName(err);
  return name === undefined ? String(err) : `${name} (${err})`;
}

/** Resolves a code written as a name (`JET_errInvalidSesid`) or a number (`-1104`, `+1327`). */
export function parseErr(text: string): JET_ERR | undefined {
  const t = text.trim();
  if (/^[+-]?\d+$/.test(t)) return Number(t);
  return (JET_errors as Record<string, number>)[t];
}

/**
 * Resolves a grbit, parameter or constant written as a name, a number (decimal or 0x hex), or
 * names joined with `|`. Returns undefined for a name the table does not know.
 */
export function parseNumber(text: string): number | undefined {
  const parts = text.split('|').map((p) => p.trim());
  const values = parts.map(namedNumber);
  if (values.some((v) => v === undefined)) return undefined;
  if (values.length === 1) return values[0];
  return (values as number[]).reduce((acc, v) => (acc | v) >>> 0, 0);
}

function namedNumber(part: string): number | undefined {
  if (/^[+-]?(0x[0-9a-f]+|\d+)$/i.test(part)) return Number(part);
  return (
    (JET_bits as Record<string, number>)[part] ??
    (JET_params as Record<string, number>)[part] ??
    (JET_constants as Record<string, number>)[part] ??
    (JET_errors as Record<string, number>)[part]
  );
}
