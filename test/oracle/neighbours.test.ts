/**
 * The neighbouring APIs of ese-source-notes.md §5 and the Errata the catalogue relies on, each
 * asserting the code and the state left behind.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { Engine, forgedHandle } from '../../oracle';
import { B, E, Fixture, K, P, expectErr, must } from './fixture';
import type { JET_HANDLE } from './fixture';

/** One JET_coltypLong key column: the temp table stays a sort and holds a MaxTemporaryTables slot. */
const longCol = [{ coltyp: K.JET_coltypLong, grbit: B.JET_bitColumnTTKey }];

// ---- JetBeginSession ------------------------------------------------------------------------

test('§5 JetBeginSession: username and password are ignored', () => {
  const f = new Fixture();
  must(f.e.JetBeginSession('t1', f.inst, 'anyone', 'secret'));
  must(f.e.JetBeginSession('t1', f.inst, '', ''));
});

test('§5 JetBeginSession: no instance mode -1003; nil/zero in multi-instance mode -1003; garbage -1115', () => {
  const e = new Engine();
  expectErr(e.JetBeginSession('t1', forgedHandle('nil'), '', ''), E.JET_errInvalidParameter);
  const inst = must(e.JetCreateInstance('t1', 'i')).instance as JET_HANDLE;
  must(e.JetInit('t1', inst));
  expectErr(e.JetBeginSession('t1', forgedHandle('nil'), '', ''), E.JET_errInvalidParameter);
  expectErr(e.JetBeginSession('t1', forgedHandle('zero'), '', ''), E.JET_errInvalidParameter);
  expectErr(e.JetBeginSession('t1', forgedHandle('never-issued'), '', ''), E.JET_errInvalidInstance);
  const s = must(e.JetBeginSession('t1', inst, '', '')).sesid as JET_HANDLE;
  expectErr(e.JetBeginSession('t1', s, '', ''), E.JET_errInvalidInstance, 'a sesid as instance');
});

test('§5 JetBeginSession: created but not initialized -1029; StopService -1329; unavailable -1090', () => {
  const e = new Engine();
  const inst = must(e.JetCreateInstance('t1', 'i')).instance as JET_HANDLE;
  expectErr(e.JetBeginSession('t1', inst, '', ''), E.JET_errNotInitialized);
  must(e.JetInit('t1', inst));
  expectErr(e.JetInit('t1', inst), E.JET_errAlreadyInitialized);
  must(e.JetStopServiceInstance2('t1', inst, B.JET_bitStopServiceAll));
  expectErr(e.JetBeginSession('t1', inst, '', ''), E.JET_errClientRequestToStopJetService);
  const f = new Fixture();
  f.e.forceInstanceState(f.inst, { state: 'fatal-error', cause: E.JET_errDiskIO });
  expectErr(f.e.JetBeginSession('t1', f.inst, '', ''), E.JET_errInstanceUnavailable);
});

test('Errata 10 / §5: the session limit is exactly MaxSessions (default 16), -1101, JetDupSession included', () => {
  const f = new Fixture();
  const sessions: JET_HANDLE[] = [];
  for (let i = 0; i < 16; i++) sessions.push(f.session());
  expectErr(f.e.JetBeginSession('t1', f.inst, '', ''), E.JET_errOutOfSessions);
  expectErr(f.e.JetDupSession('t1', sessions[0]), E.JET_errOutOfSessions);
  must(f.e.JetEndSession('t1', sessions[3], 0));
  must(f.e.JetDupSession('t1', sessions[0]));
  expectErr(f.e.JetBeginSession('t1', f.inst, '', ''), E.JET_errOutOfSessions);
  const g = new Fixture({ maxSessions: 2 });
  g.session();
  g.session();
  expectErr(g.e.JetBeginSession('t1', g.inst, '', ''), E.JET_errOutOfSessions);
});

// ---- JetDupSession ---------------------------------------------------------------------------

test('§5 JetDupSession: a new independent session (no transaction, databases, cursors or context)', () => {
  const f = new Fixture();
  const s = f.session();
  const dbid = f.database(s);
  must(f.e.JetSetSessionContext('t1', s, 5));
  must(f.e.JetBeginTransaction('t1', s));
  const d = must(f.e.JetDupSession('t1', s)).sesid as JET_HANDLE;
  assert.notEqual(d, s);
  expectErr(f.e.JetCommitTransaction('t1', d, 0), E.JET_errNotInTransaction);
  expectErr(f.e.JetCreateTable('t1', d, dbid, 'x'), E.JET_errInvalidDatabaseId);
  must(f.e.JetSetSessionContext('t1', d, 5), 'no context on the duplicate');
  must(f.e.JetResetSessionContext('t1', d));
  must(f.e.JetEndSession('t1', d, 0));
  must(f.e.JetCommitTransaction('t1', s, 0), 'the original keeps its transaction');
});

test('§5 JetDupSession does not ignore StopService (-1329) and inherits FEnter errors', () => {
  const f = new Fixture();
  const s = f.session();
  expectErr(f.e.JetDupSession('t1', forgedHandle('nil')), E.JET_errInvalidSesid);
  must(f.e.JetStopServiceInstance2('t1', f.inst, B.JET_bitStopServiceAll));
  expectErr(f.e.JetDupSession('t1', s), E.JET_errClientRequestToStopJetService);
});

// ---- Session contexts -------------------------------------------------------------------------

test('§5 JetSetSessionContext: 0 and all ones -1003; already set (any thread, any value) -1912', () => {
  const f = new Fixture();
  const s = f.session();
  expectErr(f.e.JetSetSessionContext('t1', s, 0), E.JET_errInvalidParameter);
  expectErr(f.e.JetSetSessionContext('t1', s, -1), E.JET_errInvalidParameter);
  must(f.e.JetSetSessionContext('t1', s, 5));
  expectErr(f.e.JetSetSessionContext('t1', s, 5), E.JET_errSessionContextAlreadySet);
  expectErr(f.e.JetSetSessionContext('t2', s, 6), E.JET_errSessionContextAlreadySet);
});

test('Errata 6: JetSetSessionContext(0) while a context is set is -1003; after StopService(All) -1329', () => {
  const f = new Fixture();
  const s = f.session();
  must(f.e.JetSetSessionContext('t1', s, 5));
  expectErr(f.e.JetSetSessionContext('t1', s, 0), E.JET_errInvalidParameter);
  must(f.e.JetStopServiceInstance2('t1', f.inst, B.JET_bitStopServiceAll));
  expectErr(f.e.JetSetSessionContext('t1', s, 0), E.JET_errClientRequestToStopJetService);
});

test('§5 JetResetSessionContext: not set or set by another thread -1913; ignores StopService', () => {
  const f = new Fixture();
  const s = f.session();
  expectErr(f.e.JetResetSessionContext('t1', s), E.JET_errSessionContextNotSetByThisThread);
  must(f.e.JetSetSessionContext('t1', s, 5));
  expectErr(f.e.JetResetSessionContext('t2', s), E.JET_errSessionContextNotSetByThisThread);
  must(f.e.JetStopServiceInstance2('t1', f.inst, B.JET_bitStopServiceAll));
  must(f.e.JetResetSessionContext('t1', s));
});

test('§5 thread migration with a context (MDE VerifyJetSetSessionContextAllowsThreadMigration)', () => {
  const f = new Fixture();
  const s = f.session();
  must(f.e.JetSetSessionContext('t1', s, 77));
  must(f.e.JetBeginTransaction('t1', s));
  must(f.e.JetResetSessionContext('t1', s));
  must(f.e.JetSetSessionContext('t2', s, 77));
  must(f.e.JetCommitTransaction('t2', s, 0));
  must(f.e.JetResetSessionContext('t2', s));
});

test('§5 without a context, nested begin, commit and rollback from another thread: -1910', () => {
  const f = new Fixture();
  const s = f.session();
  must(f.e.JetBeginTransaction('t1', s));
  expectErr(f.e.JetBeginTransaction('t2', s), E.JET_errSessionSharingViolation);
  expectErr(f.e.JetCommitTransaction('t2', s, 0), E.JET_errSessionSharingViolation);
  expectErr(f.e.JetRollback('t2', s, 0), E.JET_errSessionSharingViolation);
  must(f.e.JetCommitTransaction('t1', s, 0));
  // the binding is per level-0 begin: the next transaction may start anywhere
  must(f.e.JetBeginTransaction('t2', s));
  must(f.e.JetRollback('t2', s, 0));
});

test('Errata 6: a nested begin from the wrong thread at level 7 is -1103, not -1910', () => {
  const f = new Fixture();
  const s = f.session();
  for (let i = 0; i < 7; i++) must(f.e.JetBeginTransaction('t1', s));
  expectErr(f.e.JetBeginTransaction('t2', s), E.JET_errTransTooDeep);
  expectErr(f.e.JetBeginTransaction('t1', s), E.JET_errTransTooDeep);
  must(f.e.JetRollback('t1', s, B.JET_bitRollbackAll));
});

test('Errata 5: after the context of a context-bound transaction is reset, nobody can commit, roll back or nest it until the same value is set again', () => {
  const f = new Fixture();
  const s = f.session();
  must(f.e.JetSetSessionContext('t1', s, 10));
  must(f.e.JetBeginTransaction('t1', s));
  must(f.e.JetResetSessionContext('t1', s));
  for (const t of ['t1', 't2']) {
    expectErr(f.e.JetCommitTransaction(t, s, 0), E.JET_errSessionSharingViolation);
    expectErr(f.e.JetRollback(t, s, 0), E.JET_errSessionSharingViolation);
    expectErr(f.e.JetBeginTransaction(t, s), E.JET_errSessionSharingViolation);
  }
  must(f.e.JetSetSessionContext('t2', s, 11));
  expectErr(f.e.JetCommitTransaction('t2', s, 0), E.JET_errSessionSharingViolation, 'a different value');
  must(f.e.JetResetSessionContext('t2', s));
  must(f.e.JetSetSessionContext('t2', s, 10));
  expectErr(f.e.JetCommitTransaction('t1', s, 0), E.JET_errSessionSharingViolation, 'not the thread that set it');
  must(f.e.JetBeginTransaction('t2', s));
  must(f.e.JetCommitTransaction('t2', s, 0));
  must(f.e.JetCommitTransaction('t2', s, 0));
});

test('Errata 5: a context set after JetBeginTransaction does not migrate the transaction', () => {
  const f = new Fixture();
  const s = f.session();
  must(f.e.JetBeginTransaction('t1', s));
  must(f.e.JetSetSessionContext('t2', s, 10));
  expectErr(f.e.JetCommitTransaction('t2', s, 0), E.JET_errSessionSharingViolation);
  must(f.e.JetCommitTransaction('t1', s, 0));
});

// ---- Transactions -----------------------------------------------------------------------------

test('§5 JetRollback: ignores StopService; invalid grbit -900; level 0 -1054; one level without RollbackAll', () => {
  const f = new Fixture();
  const s = f.session();
  expectErr(f.e.JetRollback('t1', s, 0), E.JET_errNotInTransaction);
  must(f.e.JetBeginTransaction('t1', s));
  must(f.e.JetBeginTransaction('t1', s));
  expectErr(f.e.JetRollback('t1', s, 0x4), E.JET_errInvalidGrbit);
  must(f.e.JetStopServiceInstance2('t1', f.inst, B.JET_bitStopServiceAll));
  must(f.e.JetRollback('t1', s, 0));
  must(f.e.JetRollback('t1', s, 0), 'one level was left');
  expectErr(f.e.JetRollback('t1', s, 0), E.JET_errNotInTransaction);
});

test('§5 JetCommitTransaction does not ignore StopService (-1329); level 0 -1054', () => {
  const f = new Fixture();
  const s = f.session();
  expectErr(f.e.JetCommitTransaction('t1', s, 0), E.JET_errNotInTransaction);
  must(f.e.JetBeginTransaction('t1', s));
  must(f.e.JetStopServiceInstance2('t1', f.inst, B.JET_bitStopServiceAll));
  expectErr(f.e.JetCommitTransaction('t1', s, 0), E.JET_errClientRequestToStopJetService);
  expectErr(f.e.JetBeginTransaction('t1', s), E.JET_errClientRequestToStopJetService);
  must(f.e.JetRollback('t1', s, 0));
});

test('Errata 4: commit grbit validated before the level; WaitLastLevel0Commit commits nothing', () => {
  const f = new Fixture();
  const s = f.session();
  expectErr(f.e.JetCommitTransaction('t1', s, 0x40), E.JET_errInvalidGrbit);
  must(f.e.JetCommitTransaction('t1', s, B.JET_bitWaitLastLevel0Commit), 'level 0');
  must(f.e.JetBeginTransaction('t1', s));
  must(f.e.JetCommitTransaction('t1', s, B.JET_bitWaitLastLevel0Commit));
  expectErr(f.e.JetCommitTransaction('t1', s, B.JET_bitWaitLastLevel0Commit | B.JET_bitCommitLazyFlush), E.JET_errInvalidGrbit);
  must(f.e.JetCommitTransaction('t1', s, B.JET_bitCommitLazyFlush), 'still at level 1');
  expectErr(f.e.JetCommitTransaction('t1', s, 0), E.JET_errNotInTransaction);
});

test('Errata 4: JetBeginTransaction2 ignores every grbit but ReadOnly; a read-only insert is -1110', () => {
  const f = new Fixture();
  const s = f.session();
  const dbid = f.database(s);
  f.table(s, dbid, [1]);
  const t = f.open(s, dbid);
  must(f.e.JetBeginTransaction2('t1', s, 0x7ffffffe));
  f.insert(s, t, 2);
  must(f.e.JetCommitTransaction('t1', s, 0));
  must(f.e.JetBeginTransaction2('t1', s, B.JET_bitTransactionReadOnly));
  expectErr(f.e.JetPrepareUpdate('t1', s, t, K.JET_prepInsert), E.JET_errTransReadOnly);
  must(f.e.JetMove('t1', s, t, K.JET_MoveFirst, 0));
  expectErr(f.e.JetDelete('t1', s, t), E.JET_errTransReadOnly);
  expectErr(f.e.JetPrepareUpdate('t1', s, t, K.JET_prepReplace), E.JET_errTransReadOnly);
  must(f.e.JetBeginTransaction2('t1', s, 0), 'nested levels inherit read-only');
  expectErr(f.e.JetPrepareUpdate('t1', s, t, K.JET_prepInsert), E.JET_errTransReadOnly);
  must(f.e.JetOpenTempTable('t1', s, longCol, 0), 'temp tables are exempt');
  must(f.e.JetCommitTransaction('t1', s, 0));
  must(f.e.JetCommitTransaction('t1', s, 0));
  assert.deepEqual(f.scan(s, t), [1, 2]);
});

// ---- JetStopService* --------------------------------------------------------------------------

test('§5 JetStopService: no instance mode -1003; multi-instance mode -1081; single-instance mode stops', () => {
  const e = new Engine();
  expectErr(e.JetStopService('t1'), E.JET_errInvalidParameter);
  must(e.JetInit('t1', forgedHandle('nil')), 'JetInit without JetCreateInstance: single-instance mode');
  expectErr(e.JetCreateInstance('t1', 'x'), E.JET_errRunningInOneInstanceMode);
  const s = must(e.JetBeginSession('t1', forgedHandle('nil'), '', '')).sesid as JET_HANDLE;
  must(e.JetStopService('t1'));
  expectErr(e.JetBeginSession('t1', forgedHandle('zero'), '', ''), E.JET_errClientRequestToStopJetService);
  must(e.JetEndSession('t1', s, 0));
  must(e.JetTerm('t1', forgedHandle('nil')) as { err: number });
  const f = new Fixture();
  expectErr(f.e.JetStopService('t1'), E.JET_errRunningInMultiInstanceMode);
});

test('§5 JetStopServiceInstance2: bits outside the user bits -900; StopAndEmitLog only alone; BackgroundUserTasks/QuiesceCaches do not block', () => {
  const f = new Fixture();
  expectErr(f.e.JetStopServiceInstance2('t1', f.inst, 0x1), E.JET_errInvalidGrbit);
  expectErr(f.e.JetStopServiceInstance2('t1', f.inst, B.JET_bitStopServiceStopAndEmitLog | B.JET_bitStopServiceQuiesceCaches), E.JET_errInvalidGrbit);
  must(f.e.JetStopServiceInstance2('t1', f.inst, B.JET_bitStopServiceBackgroundUserTasks));
  must(f.e.JetStopServiceInstance2('t1', f.inst, B.JET_bitStopServiceQuiesceCaches));
  const s = f.session();
  must(f.e.JetEndSession('t1', s, 0));
  must(f.e.JetStopServiceInstance2('t1', f.inst, B.JET_bitStopServiceResume), 'resumes both');
  expectErr(f.e.JetStopServiceInstance2('t1', forgedHandle('never-issued'), 0), E.JET_errInvalidInstance);
});

test('§5 JetStopServiceInstance2(StopAndEmitLog) without a log-data callback: +2100 JET_wrnCallbackNotRegistered (engine: twice +2100)', () => {
  const f = new Fixture();
  expectErr(f.e.JetStopServiceInstance2('t1', f.inst, B.JET_bitStopServiceStopAndEmitLog), E.JET_wrnCallbackNotRegistered);
  expectErr(f.e.JetStopServiceInstance2('t1', f.inst, B.JET_bitStopServiceStopAndEmitLog), E.JET_wrnCallbackNotRegistered);
});

test('§5 after StopService(All): rollback, close table, close database, reset context and end are allowed; the rest -1329', () => {
  const f = new Fixture();
  const s = f.session();
  const dbid = f.database(s);
  f.table(s, dbid, [1]);
  const t = f.open(s, dbid);
  must(f.e.JetSetSessionContext('t1', s, 4));
  must(f.e.JetBeginTransaction('t1', s));
  must(f.e.JetStopServiceInstance2('t1', f.inst, B.JET_bitStopServiceAll));
  const stop = E.JET_errClientRequestToStopJetService;
  expectErr(f.e.JetMove('t1', s, t, K.JET_MoveFirst, 0), stop);
  expectErr(f.e.JetOpenTable('t1', s, dbid, 't', 0), stop);
  expectErr(f.e.JetOpenTempTable('t1', s, longCol, 0), stop);
  expectErr(f.e.JetCreateDatabase('t1', s, 'db2', 0), stop);
  expectErr(f.e.JetPrepareUpdate('t1', s, t, K.JET_prepInsert), stop);
  must(f.e.JetRollback('t1', s, 0));
  must(f.e.JetCloseTable('t1', s, t));
  must(f.e.JetCloseDatabase('t1', s, dbid, 0));
  must(f.e.JetResetSessionContext('t1', s));
  must(f.e.JetEndSession('t1', s, 0));
  must(f.e.JetTerm('t1', f.inst) as { err: number }, 'JetTerm ignores StopService');
});

test('Errata 3: Resume after All is -1329 alone, 0 with QuiesceCaches/BackgroundUserTasks (still stopped); after the legacy call Resume is 0 and un-stops nothing', () => {
  const f = new Fixture();
  must(f.e.JetStopServiceInstance2('t1', f.inst, B.JET_bitStopServiceAll));
  expectErr(f.e.JetStopServiceInstance2('t1', f.inst, B.JET_bitStopServiceResume), E.JET_errClientRequestToStopJetService);
  must(f.e.JetStopServiceInstance2('t1', f.inst, B.JET_bitStopServiceResume | B.JET_bitStopServiceQuiesceCaches));
  must(f.e.JetStopServiceInstance2('t1', f.inst, B.JET_bitStopServiceResume | B.JET_bitStopServiceBackgroundUserTasks));
  expectErr(f.e.JetBeginSession('t1', f.inst, '', ''), E.JET_errClientRequestToStopJetService);
  expectErr(f.e.JetStopServiceInstance2('t1', f.inst, B.JET_bitStopServiceResume | B.JET_bitStopServiceStopAndEmitLog), E.JET_errInvalidGrbit);
  const g = new Fixture();
  must(g.e.JetStopServiceInstance('t1', g.inst));
  must(g.e.JetStopServiceInstance2('t1', g.inst, B.JET_bitStopServiceResume));
  expectErr(g.e.JetBeginSession('t1', g.inst, '', ''), E.JET_errClientRequestToStopJetService);
});

// ---- JetTerm ----------------------------------------------------------------------------------

test('§5 JetTerm (= JetTerm2 Abrupt) and TermComplete with an open transaction: -1059, instance usable, term-in-progress cleared', () => {
  for (const term of [(f: Fixture) => f.e.JetTerm('t1', f.inst), (f: Fixture) => f.e.JetTerm2('t1', f.inst, B.JET_bitTermComplete)]) {
    const f = new Fixture();
    const s = f.session();
    const idle = f.session();
    must(f.e.JetBeginTransaction2('t1', s, B.JET_bitTransactionReadOnly), 'read-only transactions count too');
    expectErr(term(f) as { err: number }, E.JET_errTooManyActiveUsers);
    must(f.e.JetBeginSession('t1', f.inst, '', ''));
    must(f.e.JetEndSession('t1', idle, 0), 'the idle session was not ended');
    must(f.e.JetCommitTransaction('t1', s, 0));
    must(term(f) as { err: number });
    expectErr(f.e.JetEndSession('t1', s, 0), E.JET_errInvalidSesid);
  }
});

test('§5 JetTerm2(TermDirty) goes ahead with open transactions: -1116, their work lost', () => {
  const f = new Fixture();
  const s = f.session();
  const dbid = f.database(s);
  f.table(s, dbid, [1]);
  const t = f.open(s, dbid);
  must(f.e.JetBeginTransaction('t1', s));
  f.insert(s, t, 2);
  expectErr(f.e.JetTerm2('t1', f.inst, B.JET_bitTermDirty) as { err: number }, E.JET_errDirtyShutdown);
  expectErr(f.e.JetEndSession('t1', s, 0), E.JET_errInvalidSesid);
  // the database survives the term: attach it to a new instance
  const i2 = must(f.e.JetCreateInstance('t1', 'i2')).instance as JET_HANDLE;
  must(f.e.JetInit('t1', i2));
  const r = must(f.e.JetBeginSession('t1', i2, '', '')).sesid as JET_HANDLE;
  must(f.e.JetAttachDatabase('t1', r, 'db1', 0));
  const rd = must(f.e.JetOpenDatabase('t1', r, 'db1', 0)).dbid as number;
  assert.deepEqual(f.scan(r, f.open(r, rd)), [1]);
});

test('§5 a created but never initialized instance is simply freed by JetTerm', () => {
  const e = new Engine();
  const inst = must(e.JetCreateInstance('t1', 'i')).instance as JET_HANDLE;
  must(e.JetTerm('t1', inst) as { err: number });
  expectErr(e.JetBeginSession('t1', inst, '', ''), E.JET_errInvalidInstance, 'no instance left: the freed handle fails validation (engine: -1115)');
  must(e.JetInit('t1', inst), 'JetInit in no mode starts single-instance mode');
  expectErr(e.JetCreateInstance('t1', 'j'), E.JET_errRunningInOneInstanceMode);
});

test('Errata 8: JetTerm2 does not validate its grbit; a freed instance handle gives -1115 even once the last instance is freed (ESENT validates; engine)', () => {
  const e = new Engine();
  const a = must(e.JetCreateInstance('t1', 'a')).instance as JET_HANDLE;
  const b = must(e.JetCreateInstance('t1', 'b')).instance as JET_HANDLE;
  must(e.JetInit('t1', a));
  must(e.JetInit('t1', b));
  must(e.JetTerm2('t1', a, 0x7ff0) as { err: number });
  expectErr(e.JetBeginSession('t1', a, '', ''), E.JET_errInvalidInstance, 'stale handle while another instance lives');
  must(e.JetTerm2('t1', b, 0) as { err: number });
  expectErr(e.JetBeginSession('t1', a, '', ''), E.JET_errInvalidInstance);
  expectErr(e.JetTerm('t1', b) as { err: number }, E.JET_errInvalidInstance);
});

test('§5 instance names are unique (-1086); parameters: defaults, ranges, -1030 after JetInit unless unchanged', () => {
  const e = new Engine();
  const inst = must(e.JetCreateInstance('t1', 'i')).instance as JET_HANDLE;
  expectErr(e.JetCreateInstance('t1', 'i'), E.JET_errInstanceNameInUse);
  expectErr(e.JetSetSystemParameter('t1', inst, null, P.JET_paramMaxSessions, 30001), E.JET_errInvalidParameter);
  expectErr(e.JetSetSystemParameter('t1', inst, null, P.JET_paramMaxSessions, -1), E.JET_errInvalidParameter);
  expectErr(e.JetSetSystemParameter('t1', inst, null, 9999, 1), E.JET_errInvalidParameter);
  must(e.JetSetSystemParameter('t1', inst, null, P.JET_paramMaxSessions, 2));
  must(e.JetInit('t1', inst));
  expectErr(e.JetSetSystemParameter('t1', inst, null, P.JET_paramMaxSessions, 3), E.JET_errAlreadyInitialized);
  must(e.JetSetSystemParameter('t1', inst, null, P.JET_paramMaxSessions, 2), 'unchanged value');
  expectErr(e.JetSetSystemParameter('t1', forgedHandle('never-issued'), null, P.JET_paramMaxSessions, 3), E.JET_errInvalidInstance);
  // process-wide defaults apply to instances created afterwards
  must(e.JetSetSystemParameter('t1', null, null, P.JET_paramMaxSessions, 1));
  const j = must(e.JetCreateInstance('t1', 'j')).instance as JET_HANDLE;
  must(e.JetInit('t1', j));
  must(e.JetBeginSession('t1', j, '', ''));
  expectErr(e.JetBeginSession('t1', j, '', ''), E.JET_errOutOfSessions);
  must(e.JetBeginSession('t1', inst, '', ''));
  must(e.JetBeginSession('t1', inst, '', ''));
  expectErr(e.JetBeginSession('t1', inst, '', ''), E.JET_errOutOfSessions);
});

// ---- Temp tables (Errata 1) -------------------------------------------------------------------

test('Errata 1: MaxTemporaryTables = 0 gives -1701 for every JetOpenTempTable', () => {
  const f = new Fixture({ maxTemporaryTables: 0 });
  const s = f.session();
  expectErr(f.e.JetOpenTempTable('t1', s, longCol, 0), E.JET_errTooManySorts);
  expectErr(f.e.JetOpenTempTable('t1', s, [], 0), E.JET_errTooManySorts);
});

test('Errata 1: the temp-table quota is instance-wide; JetCloseTable, a rollback of the opening level and JetEndSession free a slot', () => {
  const f = new Fixture({ maxTemporaryTables: 2 });
  const a = f.session();
  const b = f.session();
  const t1 = must(f.e.JetOpenTempTable('t1', a, longCol, 0)).tableid as JET_HANDLE;
  must(f.e.JetBeginTransaction('t1', b));
  must(f.e.JetOpenTempTable('t1', b, longCol, 0));
  expectErr(f.e.JetOpenTempTable('t1', a, longCol, 0), E.JET_errTooManySorts);
  must(f.e.JetRollback('t1', b, 0));
  must(f.e.JetOpenTempTable('t1', a, longCol, 0));
  expectErr(f.e.JetOpenTempTable('t1', b, longCol, 0), E.JET_errTooManySorts);
  must(f.e.JetCloseTable('t1', a, t1));
  must(f.e.JetOpenTempTable('t1', b, longCol, 0));
  must(f.e.JetEndSession('t1', a, 0));
  must(f.e.JetOpenTempTable('t1', b, longCol, 0));
});

test('a temp table materialized at open (no key column, an unrestricted long value, JET_bitTTForceMaterialization) releases its quota slot; the quota is still checked at open', () => {
  // Engine (ESE 7030fe7 under Wine), MaxTemporaryTables 2: 4 unkeyed opens give 0; then 2 keyed, and
  // every further open, keyed or not, -1701; keyed + 0x20 x3, keyed + LongText x3: 0; keyed +
  // LongText + 0x80 (intrinsic LVs only): 0, 0, -1701.
  const plain = [{ coltyp: K.JET_coltypLong, grbit: 0 }];
  const lv = [...longCol, { coltyp: K.JET_coltypLongText, grbit: 0 }];
  const f = new Fixture({ maxTemporaryTables: 2 });
  const s = f.session();
  for (let i = 0; i < 4; i++) must(f.e.JetOpenTempTable('t1', s, plain, 0), `unkeyed ${i + 1}`);
  for (let i = 0; i < 3; i++) must(f.e.JetOpenTempTable('t1', s, longCol, 0x20), `forced ${i + 1}`);
  for (let i = 0; i < 3; i++) must(f.e.JetOpenTempTable('t1', s, lv, 0), `long value ${i + 1}`);
  must(f.e.JetOpenTempTable('t1', s, lv, 0x80));
  must(f.e.JetOpenTempTable('t1', s, lv, 0x80));
  expectErr(f.e.JetOpenTempTable('t1', s, lv, 0x80), E.JET_errTooManySorts);
  expectErr(f.e.JetOpenTempTable('t1', s, plain, 0), E.JET_errTooManySorts, 'the SCB is taken before materialization');
});

test('materialization needs 5 cursors beyond its own while it builds the table (engine: MaxCursors 8 gives 3 unkeyed temp tables, then 5 keyed)', () => {
  const plain = [{ coltyp: K.JET_coltypLong, grbit: 0 }];
  for (const [maxCursors, unkeyed] of [[8, 3], [12, 7], [32, 27]] as const) {
    const f = new Fixture({ maxCursors, maxTemporaryTables: 100 });
    const s = f.session();
    for (let i = 0; i < unkeyed; i++) must(f.e.JetOpenTempTable('t1', s, plain, 0), `MaxCursors ${maxCursors}: unkeyed ${i + 1}`);
    expectErr(f.e.JetOpenTempTable('t1', s, plain, 0), E.JET_errOutOfCursors);
    for (let i = unkeyed; i < maxCursors; i++) must(f.e.JetOpenTempTable('t1', s, longCol, 0), `MaxCursors ${maxCursors}: keyed ${i + 1}`);
    expectErr(f.e.JetOpenTempTable('t1', s, longCol, 0), E.JET_errOutOfCursors);
  }
});

test('a temp table materialized inside a transaction whose context is no longer set gives -1910 (engine); a keyed sort does not', () => {
  const f = new Fixture();
  const s = f.session();
  must(f.e.JetSetSessionContext('t1', s, 0x1234));
  must(f.e.JetBeginTransaction('t1', s));
  must(f.e.JetResetSessionContext('t1', s));
  expectErr(f.e.JetOpenTempTable('t1', s, [{ coltyp: K.JET_coltypLong, grbit: 0 }], 0), E.JET_errSessionSharingViolation);
  must(f.e.JetOpenTempTable('t1', s, longCol, 0), 'a sort begins no transaction');
});

test('JetOpenTable with an empty name: -1002 (ErrUTILCheckName; engine)', () => {
  const f = new Fixture();
  const s = f.session();
  const dbid = f.database(s);
  expectErr(f.e.JetOpenTable('t1', s, dbid, '', 0), E.JET_errInvalidName);
});

test('temp tables take a cursor (MaxCursors): -1013 before the temp-table quota', () => {
  const f = new Fixture({ maxCursors: 1, maxTemporaryTables: 5 });
  const s = f.session();
  must(f.e.JetOpenTempTable('t1', s, longCol, 0));
  expectErr(f.e.JetOpenTempTable('t1', s, longCol, 0), E.JET_errOutOfCursors);
});

// ---- Errata 7: deferred close -----------------------------------------------------------------

test('Errata 7: a cursor that wrote inside a transaction dies at close (-1310) but keeps its DenyRead lock until the transaction ends', () => {
  for (const end of ['commit', 'rollback', 'endsession'] as const) {
    const f = new Fixture();
    const s = f.session();
    const dbid = f.database(s);
    f.table(s, dbid, [1]);
    const o = f.session();
    const od = must(f.e.JetOpenDatabase('t1', o, 'db1', 0)).dbid as number;
    must(f.e.JetBeginTransaction('t1', s));
    const t = f.open(s, dbid, B.JET_bitTableDenyRead);
    assert.equal(f.replace(s, t, 1, 2), 0); // a replace versions the user's cursor (an insert its own: insert-cursor.test.ts)
    must(f.e.JetCloseTable('t1', s, t));
    expectErr(f.e.JetMove('t1', s, t, K.JET_MoveFirst, 0), E.JET_errInvalidTableId);
    expectErr(f.e.JetCloseTable('t1', s, t), E.JET_errInvalidTableId);
    expectErr(f.e.JetOpenTable('t1', o, od, 't', 0), E.JET_errTableLocked, `${end}: lock kept`);
    if (end === 'commit') must(f.e.JetCommitTransaction('t1', s, 0));
    else if (end === 'rollback') must(f.e.JetRollback('t1', s, 0));
    else must(f.e.JetEndSession('t1', s, 0));
    must(f.e.JetOpenTable('t1', o, od, 't', 0), `${end}: lock released`);
  }
});

test('Errata 7: a cursor that only read is closed at once, even inside a transaction', () => {
  const f = new Fixture();
  const s = f.session();
  const dbid = f.database(s);
  f.table(s, dbid, [1]);
  const o = f.session();
  const od = must(f.e.JetOpenDatabase('t1', o, 'db1', 0)).dbid as number;
  must(f.e.JetBeginTransaction('t1', s));
  const t = f.open(s, dbid, B.JET_bitTableDenyRead);
  must(f.e.JetMove('t1', s, t, K.JET_MoveFirst, 0));
  must(f.e.JetCloseTable('t1', s, t));
  must(f.e.JetOpenTable('t1', o, od, 't', 0));
});

// ---- Errata 9: neighbouring codes -------------------------------------------------------------

test('Errata 9: exclusive database held by another -1207 (exclusive asked too); exclusive while anyone has it open -1202 (the requester included)', () => {
  const f = new Fixture();
  const s = f.session();
  const dbid = f.database(s);
  const o = f.session();
  expectErr(f.e.JetOpenDatabase('t1', s, 'db1', B.JET_bitDbExclusive), E.JET_errDatabaseInUse, 'the requester has it open');
  must(f.e.JetCloseDatabase('t1', s, dbid, 0));
  must(f.e.JetOpenDatabase('t1', s, 'db1', B.JET_bitDbExclusive));
  expectErr(f.e.JetOpenDatabase('t1', o, 'db1', 0), E.JET_errDatabaseLocked);
  expectErr(f.e.JetOpenDatabase('t1', o, 'db1', B.JET_bitDbExclusive), E.JET_errDatabaseLocked);
  must(f.e.JetOpenDatabase('t1', s, 'db1', 0), 'the holder may open again');
});

test('Errata 9: DenyRead by another -1302; DenyRead/DenyWrite not grantable -1304; DenyRead|ReadOnly -900; Updatable against DenyWrite -1302', () => {
  const f = new Fixture();
  const s = f.session();
  const dbid = f.database(s);
  f.table(s, dbid, [1]);
  const o = f.session();
  const od = must(f.e.JetOpenDatabase('t1', o, 'db1', 0)).dbid as number;
  expectErr(f.e.JetOpenTable('t1', s, dbid, 't', B.JET_bitTableDenyRead | B.JET_bitTableReadOnly), E.JET_errInvalidGrbit);
  const r = f.open(s, dbid);
  expectErr(f.e.JetOpenTable('t1', o, od, 't', B.JET_bitTableDenyRead), E.JET_errTableInUse, 'another session has a cursor');
  expectErr(f.e.JetOpenTable('t1', o, od, 't', B.JET_bitTableDenyWrite), E.JET_errTableInUse, 'another session has an updatable cursor');
  must(f.e.JetCloseTable('t1', s, r));
  const ro = f.open(s, dbid, B.JET_bitTableReadOnly);
  const dw = f.open(o, od, B.JET_bitTableDenyWrite);
  expectErr(f.e.JetOpenTable('t1', s, dbid, 't', B.JET_bitTableUpdatable), E.JET_errTableLocked);
  expectErr(f.e.JetOpenTable('t1', s, dbid, 't', B.JET_bitTableDenyWrite), E.JET_errTableInUse);
  must(f.e.JetCloseTable('t1', o, dw));
  must(f.e.JetCloseTable('t1', s, ro));
  f.open(s, dbid, B.JET_bitTableDenyRead);
  expectErr(f.e.JetOpenTable('t1', o, od, 't', 0), E.JET_errTableLocked);
  expectErr(f.e.JetOpenTable('t1', o, od, 't', B.JET_bitTableDenyRead), E.JET_errTableLocked);
  f.open(s, dbid, 0);
});

test('Errata 9: a tableid of another session -1114; a dbid the session did not open -1010; a deferred tableid of another session -1114', () => {
  const f = new Fixture();
  const s = f.session();
  const dbid = f.database(s);
  f.table(s, dbid, [1]);
  const t = f.open(s, dbid);
  const o = f.session();
  expectErr(f.e.JetMove('t1', o, t, K.JET_MoveFirst, 0), E.JET_errSesidTableIdMismatch);
  expectErr(f.e.JetCloseTable('t1', o, t), E.JET_errSesidTableIdMismatch);
  expectErr(f.e.JetOpenTable('t1', o, dbid, 't', 0), E.JET_errInvalidDatabaseId);
  expectErr(f.e.JetCloseDatabase('t1', o, dbid, 0), E.JET_errInvalidDatabaseId);
  expectErr(f.e.JetCreateTable('t1', o, 99, 'x'), E.JET_errInvalidDatabaseId);
  expectErr(f.e.JetMove('t1', s, forgedHandle('nil'), 1, 0), E.JET_errInvalidTableId);
  expectErr(f.e.JetMove('t1', s, s, 1, 0), E.JET_errInvalidTableId, 'a sesid as tableid');
  must(f.e.JetBeginTransaction('t1', s));
  assert.equal(f.replace(s, t, 1, 2), 0);
  must(f.e.JetCloseTable('t1', s, t));
  expectErr(f.e.JetMove('t1', o, t, 1, 0), E.JET_errSesidTableIdMismatch);
  must(f.e.JetRollback('t1', s, 0));
  expectErr(f.e.JetMove('t1', o, t, 1, 0), E.JET_errInvalidTableId);
});
