/**
 * What the "Given" steps set up, as sequences of plain API calls. Every setup call must succeed
 * (warnings allowed); the shadow records what the implementation should now hold.
 *
 * Through a process, a fixture's setup calls go as one chain (harness/setup-chain.ts): each fixture
 * is `batched`, and its calls go through setup/call/act below, never through ctx directly.
 */
import type { Returned } from '../adapters/types';
import type { ArgsOf, OperationName, OutOf } from '../api';
import { JET_bits, JET_constants, JET_params } from './codes';
import type { ScenarioContext } from './context';
import { ConformanceFailure } from './errors';
import { run, wait, type Flow, type Maybe } from './maybe';
import { PredictedImplementation } from './predict';
import { setupChainOf } from './setup-chain';
import { speculated, speculatedAfterSetup } from './speculate';

const T1 = 't1';

/**
 * A fixture whose setup calls may be chained: the outermost one sends them at its end. Fixtures are
 * Flows (harness/maybe.ts): in-process every call is answered at once, so a fixture, and the Given
 * step that runs it, finishes without a promise; through a process it waits on each answer as before.
 */
function batched<A extends unknown[], R>(fn: (ctx: ScenarioContext, ...args: A) => Flow<R>): (ctx: ScenarioContext, ...args: A) => Maybe<R> {
  return (ctx, ...args) => {
    const chain = setupChainOf(ctx);
    return chain === undefined ? run(fn(ctx, ...args)) : chain.around(async () => run(fn(ctx, ...args)));
  };
}

/** ctx.setup, queued in the fixture's chain when there is one. */
function setup<O extends OperationName>(ctx: ScenarioContext, thread: string, op: O, args: ArgsOf<O>): Maybe<Partial<OutOf<O>>> {
  const chain = setupChainOf(ctx);
  return chain === undefined ? ctx.setupNow(thread, op, args) : chain.setup(thread, op, args);
}

/** ctx.act, after the chain's queued calls. */
function act<O extends OperationName>(ctx: ScenarioContext, thread: string, op: O, args: ArgsOf<O>): Maybe<Returned<O>> {
  const chain = setupChainOf(ctx);
  return chain === undefined ? ctx.actNow(thread, op, args) : chain.live(args).then((a) => ctx.act(thread, op, a));
}

/**
 * A program speculated over a process (harness/speculate.ts), or run as it is where there is no
 * predictor to plan it on (speculated() would run it as it is too): then an in-process program
 * answers at once.
 */
export function speculatedNow<T>(ctx: ScenarioContext, program: () => Maybe<T>): Maybe<T> {
  return ctx.mirror.impl instanceof PredictedImplementation ? speculated(ctx, async () => program()) : program();
}

/** Tables in the scenarios hold a handful of records: a longer scan means JetMove never ends. */
export const maxScan = 1000;
export const defaultThread = T1;

export function dbFile(db: string): string {
  return `${db}.edb`;
}

/** `MaxSessions` or `JET_paramMaxSessions` → its number. */
export function paramId(name: string): number {
  const full = (name.startsWith('JET_param') ? name : `JET_param${name}`);
  const id = JET_params[full];
  if (id === undefined) throw new Error(`unknown system parameter ${name}; known: ${Object.keys(JET_params).join(', ')}`);
  return id;
}

/**
 * The limits of the suite's instances unless a scenario sets them: the whole-state checks count free
 * sessions, temp tables and cursors to the limit (harness/observe.ts) four times per JetEndSession,
 * and ESE's defaults (16, 20, 1024) would make that most of the suite's cost. No scenario needs more.
 */
export const suiteLimits: Readonly<Record<string, number>> = { MaxSessions: 8, MaxTemporaryTables: 8, MaxCursors: 32 };

export const initInstance = batched(function* initInstance(ctx: ScenarioContext, params: Record<string, number> = {}, name: string = 'i1'): Flow<void> {
  const out = yield* wait(setup(ctx, T1, 'JetCreateInstance', { name }));
  ctx.saveHandle(name, out.instance, 'JetCreateInstance');
  const instance = ctx.handle(name);
  for (const [param, value] of Object.entries({ ...suiteLimits, ...params })) {
    yield* wait(setup(ctx, T1, 'JetSetSystemParameter', { instance, sesid: null, paramid: paramId(param), lParam: value }));
  }
  yield* wait(setup(ctx, T1, 'JetInit', { instance }));
  ctx.instanceName = name;
});

export const beginSession = batched(function* beginSession(ctx: ScenarioContext, name: string, thread: string = T1): Flow<void> {
  const out = yield* wait(setup(ctx, thread, 'JetBeginSession', { instance: ctx.handle(ctx.instanceName), username: '', password: '' }));
  ctx.saveHandle(name, out.sesid, 'JetBeginSession');
  ctx.shadow.session(name);
});

/** Two fixtures as one: through a process their setup calls go in one chain (the first's are not sent alone). */
export const together = batched(function* together(_ctx: ScenarioContext, first: () => Maybe<unknown>, second: () => Maybe<unknown>): Flow<void> {
  yield* wait(first());
  yield* wait(second());
});

export const endSessionOk = batched(function* endSessionOk(ctx: ScenarioContext, name: string, thread: string = T1): Flow<void> {
  yield* wait(setup(ctx, thread, 'JetEndSession', { sesid: ctx.handle(name), grbit: 0 }));
  ctx.shadow.end(name);
});

/**
 * Sessions begun and ended one after another, each inside a transaction it leaves open; `name` holds
 * each in turn. No shadow bookkeeping: the sessions are gone when the step ends.
 */
export const cycleSessions = batched(function* cycleSessions(ctx: ScenarioContext, count: number, name: string): Flow<void> {
  const instance = ctx.handle(ctx.instanceName);
  for (let i = 0; i < count; i++) {
    const begun = yield* wait(setup(ctx, T1, 'JetBeginSession', { instance, username: '', password: '' }));
    ctx.saveHandle(name, begun.sesid, 'JetBeginSession');
    const sesid = ctx.handle(name);
    yield* wait(setup(ctx, T1, 'JetBeginTransaction', { sesid }));
    yield* wait(setup(ctx, T1, 'JetEndSession', { sesid, grbit: 0 }));
  }
});

/** A database with one table of `count` committed records: key k = 1..count, value "r<k>". */
export const createTableWithRecords = batched(function* createTableWithRecords(ctx: ScenarioContext, db: string, table: string, count: number): Flow<void> {
  const s = '_setup';
  yield* wait(beginSession(ctx, s));
  const sesid = ctx.handle(s);
  const { dbid } = yield* wait(setup(ctx, T1, 'JetCreateDatabase', { sesid, filename: dbFile(db), grbit: 0 }));
  if (typeof dbid !== 'number') throw new ConformanceFailure('JetCreateDatabase succeeded but returned no dbid');
  const created = yield* wait(setup(ctx, T1, 'JetCreateTable', { sesid, dbid, tablename: table }));
  ctx.saveHandle(`${s}.${table}`, created.tableid, 'JetCreateTable');
  const tableid = ctx.handle(`${s}.${table}`);
  const key = yield* wait(setup(ctx, T1, 'JetAddColumn', { sesid, tableid, column: 'k', coltyp: JET_constants.JET_coltypLong }));
  const value = yield* wait(setup(ctx, T1, 'JetAddColumn', { sesid, tableid, column: 'v', coltyp: JET_constants.JET_coltypText }));
  if (typeof key.columnid !== 'number' || typeof value.columnid !== 'number') {
    throw new ConformanceFailure('JetAddColumn succeeded but returned no columnid');
  }
  ctx.shadow.tables.set(table, { name: table, db, columnids: { key: key.columnid, value: value.columnid }, committed: new Map() });
  ctx.shadow.session(s).dbids.set(db, dbid);
  ctx.shadow.session(s).cursors.set(table, `${s}.${table}`);
  yield* wait(beginTransaction(ctx, s));
  for (let k = 1; k <= count; k++) yield* wait(insert(ctx, s, table, k, `r${k}`));
  yield* wait(commit(ctx, s));
  yield* wait(setup(ctx, T1, 'JetCloseTable', { sesid, tableid }));
  yield* wait(setup(ctx, T1, 'JetCloseDatabase', { sesid, dbid, grbit: 0 }));
  yield* wait(endSessionOk(ctx, s));
});

export const openDatabase = batched(function* openDatabase(ctx: ScenarioContext, session: string, db: string, grbit: number = 0): Flow<number> {
  const { dbid } = yield* wait(setup(ctx, T1, 'JetOpenDatabase', { sesid: ctx.handle(session), filename: dbFile(db), grbit }));
  if (typeof dbid !== 'number') throw new ConformanceFailure('JetOpenDatabase succeeded but returned no dbid');
  ctx.shadow.session(session).dbids.set(db, dbid);
  return dbid;
});

/** Opens the table's database and the table for the session unless it already has them. */
export const ensureCursor = batched(function* ensureCursor(ctx: ScenarioContext, session: string, table: string, grbit: number = 0, thread: string = T1): Flow<string> {
  const s = ctx.shadow.session(session);
  const existing = s.cursors.get(table);
  if (existing !== undefined) return existing;
  const t = ctx.shadow.table(table);
  const dbid = s.dbids.get(t.db) ?? (yield* wait(openDatabase(ctx, session, t.db)));
  const name = `${session}.${table}`;
  const out = yield* wait(setup(ctx, thread, 'JetOpenTable', { sesid: ctx.handle(session), dbid, tablename: table, grbit }));
  ctx.saveHandle(name, out.tableid, 'JetOpenTable');
  s.cursors.set(table, name);
  return name;
});

export const openCursorNamed = batched(function* openCursorNamed(ctx: ScenarioContext, session: string, table: string, name: string): Flow<void> {
  const s = ctx.shadow.session(session);
  const t = ctx.shadow.table(table);
  const dbid = s.dbids.get(t.db) ?? (yield* wait(openDatabase(ctx, session, t.db)));
  const out = yield* wait(setup(ctx, s.trxThread ?? T1, 'JetOpenTable', { sesid: ctx.handle(session), dbid, tablename: table, grbit: 0 }));
  ctx.saveHandle(name, out.tableid, 'JetOpenTable');
});

export const beginTransaction = batched(function* beginTransaction(ctx: ScenarioContext, session: string, thread?: string): Flow<void> {
  const s = ctx.shadow.session(session);
  const on = thread ?? s.trxThread ?? T1;
  yield* wait(setup(ctx, on, 'JetBeginTransaction', { sesid: ctx.handle(session) }));
  ctx.shadow.begin(session, on);
});

export const commit = batched(function* commit(ctx: ScenarioContext, session: string): Flow<void> {
  const s = ctx.shadow.session(session);
  yield* wait(setup(ctx, s.trxThread ?? T1, 'JetCommitTransaction', { sesid: ctx.handle(session), grbit: 0 }));
  ctx.shadow.commit(session);
});

function cursorArgs(ctx: ScenarioContext, session: string, table: string) {
  const s = ctx.shadow.session(session);
  const cursor = s.cursors.get(table);
  if (cursor === undefined) throw new Error(`${session} has no cursor on ${table}`);
  return { thread: s.trxThread ?? T1, sesid: ctx.handle(session), tableid: ctx.handle(cursor) };
}

export const insert = batched(function* insert(ctx: ScenarioContext, session: string, table: string, key: number, value: string): Flow<void> {
  const { thread, sesid, tableid } = cursorArgs(ctx, session, table);
  const cols = ctx.shadow.table(table).columnids;
  yield* wait(setup(ctx, thread, 'JetPrepareUpdate', { sesid, tableid, prep: JET_constants.JET_prepInsert }));
  yield* wait(setup(ctx, thread, 'JetSetColumn', { sesid, tableid, columnid: cols.key, value: key }));
  yield* wait(setup(ctx, thread, 'JetSetColumn', { sesid, tableid, columnid: cols.value, value }));
  yield* wait(setup(ctx, thread, 'JetUpdate', { sesid, tableid }));
  ctx.shadow.change(session, table, { kind: 'insert', key, value });
});

/** Moves the session's cursor onto the record with this key (a scan: tables are small). */
export const seek = batched(function* seek(ctx: ScenarioContext, session: string, table: string, key: number, cursor?: string): Flow<void> {
  const chain = setupChainOf(ctx);
  // The scan's next call depends on the key read: it runs as a speculated program (harness/speculate.ts),
  // carrying what the fixture queued at the head of its chain. It reads its handles and column ids
  // on each run: placeholders while it is planned, the implementation's values after.
  const scan = (): Maybe<void> => {
    const args = cursorArgs(ctx, session, table);
    const { thread, sesid } = args;
    const tableid = cursor === undefined ? args.tableid : ctx.handle(cursor);
    const cols = ctx.shadow.table(table).columnids;
    return run(
      (function* scan(): Flow<void> {
        let move = yield* wait(ctx.callNow(thread, 'JetMove', { sesid, tableid, cRow: JET_constants.JET_MoveFirst, grbit: 0 }));
        for (let guard = 0; move.err >= 0; guard++) {
          if (guard > maxScan) throw new ConformanceFailure(`setup: JetMove never reaches the end of "${table}"`, `at most ${maxScan} records`, 'more');
          const got = yield* wait(ctx.setupNow(thread, 'JetRetrieveColumn', { sesid, tableid, columnid: cols.key }));
          if (got.value === key) return;
          move = yield* wait(ctx.callNow(thread, 'JetMove', { sesid, tableid, cRow: JET_constants.JET_MoveNext, grbit: 0 }));
        }
        throw new ConformanceFailure(`setup: ${session} cannot find record ${key} of "${table}"`, `record ${key} reachable with JetMove`, 'not found');
      })(),
    );
  };
  yield* wait(chain === undefined ? speculatedNow(ctx, scan) : speculatedAfterSetup(ctx, chain, async () => scan()));
});

export const update = batched(function* update(ctx: ScenarioContext, session: string, table: string, key: number, value: string): Flow<void> {
  const { thread, sesid, tableid } = cursorArgs(ctx, session, table);
  yield* wait(seek(ctx, session, table, key));
  yield* wait(setup(ctx, thread, 'JetPrepareUpdate', { sesid, tableid, prep: JET_constants.JET_prepReplace }));
  yield* wait(setup(ctx, thread, 'JetSetColumn', { sesid, tableid, columnid: ctx.shadow.table(table).columnids.value, value }));
  yield* wait(setup(ctx, thread, 'JetUpdate', { sesid, tableid }));
  ctx.shadow.change(session, table, { kind: 'update', key, value });
});

export const remove = batched(function* remove(ctx: ScenarioContext, session: string, table: string, key: number): Flow<void> {
  const { thread, sesid, tableid } = cursorArgs(ctx, session, table);
  yield* wait(seek(ctx, session, table, key));
  yield* wait(setup(ctx, thread, 'JetDelete', { sesid, tableid }));
  ctx.shadow.change(session, table, { kind: 'delete', key });
});

/** A level-1 transaction with plain work: N inserts, optionally an update and a delete. */
export const levelOneWork = batched(function* levelOneWork(
  ctx: ScenarioContext,
  session: string,
  table: string,
  work: { inserts: number; update?: number; remove?: number },
): Flow<void> {
  yield* wait(ensureCursor(ctx, session, table));
  yield* wait(beginTransaction(ctx, session));
  for (let i = 1; i <= work.inserts; i++) yield* wait(insert(ctx, session, table, 100 + i, `${session} insert ${i}`));
  if (work.update !== undefined) yield* wait(update(ctx, session, table, work.update, `${session} update`));
  if (work.remove !== undefined) yield* wait(remove(ctx, session, table, work.remove));
});

/**
 * A transaction `depth` levels deep with work at every level: level 1 updates record 2, deletes
 * record 3 and inserts; an inner level 2 inserts, updates record 2 and is committed into level 1;
 * then every level up to `depth` inserts and updates record 2 again.
 */
export const nestedWork = batched(function* nestedWork(ctx: ScenarioContext, session: string, table: string, depth: number): Flow<void> {
  yield* wait(ensureCursor(ctx, session, table));
  yield* wait(beginTransaction(ctx, session));
  yield* wait(update(ctx, session, table, 2, `${session} level 1`));
  yield* wait(remove(ctx, session, table, 3));
  yield* wait(insert(ctx, session, table, 1001, `${session} level 1`));
  yield* wait(beginTransaction(ctx, session));
  yield* wait(insert(ctx, session, table, 1099, `${session} inner, committed into level 1`));
  yield* wait(update(ctx, session, table, 2, `${session} inner`));
  yield* wait(commit(ctx, session));
  for (let level = 2; level <= depth; level++) {
    yield* wait(beginTransaction(ctx, session));
    yield* wait(insert(ctx, session, table, 1000 + level, `${session} level ${level}`));
    yield* wait(update(ctx, session, table, 2, `${session} level ${level}`));
  }
});

/** Work committed to level 0: N inserts and an update. */
export const committedWork = batched(function* committedWork(ctx: ScenarioContext, session: string, table: string, inserts: number, updateKey: number): Flow<void> {
  yield* wait(ensureCursor(ctx, session, table));
  yield* wait(beginTransaction(ctx, session));
  for (let i = 1; i <= inserts; i++) yield* wait(insert(ctx, session, table, 2000 + i, `${session} committed ${i}`));
  yield* wait(update(ctx, session, table, updateKey, `${session} committed update`));
  yield* wait(commit(ctx, session));
});

/**
 * A temp table with one JET_coltypLong key column: it stays a sort and holds a MaxTemporaryTables
 * slot. Without a key column ESE materializes it at open and frees the slot (sortapi.cxx 3296-3311).
 */
export const openTempTable = batched(function* openTempTable(ctx: ScenarioContext, session: string, thread: string = T1): Flow<Returned<'JetOpenTempTable'>> {
  return yield* wait(act(ctx, thread, 'JetOpenTempTable', {
    sesid: ctx.handle(session),
    columns: [{ coltyp: JET_constants.JET_coltypLong, grbit: JET_bits.JET_bitColumnTTKey }],
    grbit: 0,
  }));
});

export const holdTempTables = batched(function* holdTempTables(ctx: ScenarioContext, session: string, count: number): Flow<void> {
  const s = ctx.shadow.session(session);
  for (let i = 0; i < count; i++) {
    const result = yield* wait(openTempTable(ctx, session));
    if (result.err < 0) throw new ConformanceFailure(`setup: temp table ${i + 1} of ${count} for ${session}`, 'JET_errSuccess', String(result.err));
    const name = `${session}.temp${s.tempTables.length + 1}`;
    ctx.saveHandle(name, result.out?.tableid, 'JetOpenTempTable');
    s.tempTables.push(name);
  }
});

export const setContext = batched(function* setContext(ctx: ScenarioContext, thread: string, session: string, context: number): Flow<void> {
  yield* wait(setup(ctx, thread, 'JetSetSessionContext', { sesid: ctx.handle(session), context }));
});

export const resetContext = batched(function* resetContext(ctx: ScenarioContext, thread: string, session: string): Flow<void> {
  yield* wait(setup(ctx, thread, 'JetResetSessionContext', { sesid: ctx.handle(session) }));
});

export const stopServiceAll = batched(function* stopServiceAll(ctx: ScenarioContext): Flow<void> {
  yield* wait(setup(ctx, T1, 'JetStopServiceInstance2', { instance: ctx.handle(ctx.instanceName), grbit: JET_bits.JET_bitStopServiceAll }));
});

/** The composite situations of ES-GRBIT-FORCE-NOOP and ES-GRBIT-UNKNOWN; the session is s1. */
export const situations: Record<string, (ctx: ScenarioContext) => Maybe<void>> = {
  'an idle session': batched(function* (ctx: ScenarioContext): Flow<void> {
    yield* wait(initInstance(ctx));
    yield* wait(createTableWithRecords(ctx, 'db1', 't1', 3));
    yield* wait(beginSession(ctx, 's1'));
  }),
  'a level 3 transaction with inserts': batched(function* (ctx: ScenarioContext): Flow<void> {
    yield* wait(situations['an idle session'](ctx));
    yield* wait(nestedWork(ctx, 's1', 't1', 3));
  }),
  'open databases, cursors and temp tables': batched(function* (ctx: ScenarioContext): Flow<void> {
    yield* wait(initInstance(ctx, { MaxTemporaryTables: 2 }));
    yield* wait(createTableWithRecords(ctx, 'db1', 't1', 3));
    yield* wait(beginSession(ctx, 's1'));
    yield* wait(openDatabase(ctx, 's1', 'db1'));
    yield* wait(openDatabase(ctx, 's1', 'db1'));
    yield* wait(ensureCursor(ctx, 's1', 't1', JET_bits.JET_bitTableDenyRead));
    yield* wait(holdTempTables(ctx, 's1', 2));
  }),
  'a session context set on the thread': batched(function* (ctx: ScenarioContext): Flow<void> {
    yield* wait(situations['an idle session'](ctx));
    yield* wait(setContext(ctx, T1, 's1', 0x1234));
    yield* wait(levelOneWork(ctx, 's1', 't1', { inserts: 2, update: 1 }));
  }),
  'a level 1 transaction after StopService': batched(function* (ctx: ScenarioContext): Flow<void> {
    yield* wait(situations['an idle session'](ctx));
    yield* wait(levelOneWork(ctx, 's1', 't1', { inserts: 2, update: 1 }));
    yield* wait(stopServiceAll(ctx));
  }),
};

/** A replace prepared on the record (JetPrepareUpdate(JET_prepReplace): in a transaction it takes the write lock) and never applied. */
export const prepareReplace = batched(function* prepareReplace(ctx: ScenarioContext, session: string, table: string, key: number): Flow<void> {
  const { thread, sesid, tableid } = cursorArgs(ctx, session, table);
  yield* wait(seek(ctx, session, table, key));
  yield* wait(setup(ctx, thread, 'JetPrepareUpdate', { sesid, tableid, prep: JET_constants.JET_prepReplace }));
});

/** A read-only transaction (JetBeginTransaction2 with JET_bitTransactionReadOnly) on thread t1. */
export const beginReadOnlyTransaction = batched(function* beginReadOnlyTransaction(ctx: ScenarioContext, session: string): Flow<void> {
  const s = ctx.shadow.session(session);
  const on = s.trxThread ?? T1;
  yield* wait(setup(ctx, on, 'JetBeginTransaction2', { sesid: ctx.handle(session), grbit: JET_bits.JET_bitTransactionReadOnly }));
  ctx.shadow.begin(session, on);
});

/**
 * A second instance with its own database, table and a session in a level 1 transaction on it;
 * the natural-language steps keep meaning the first instance.
 */
export const otherInstanceWithTransaction = batched(function* otherInstanceWithTransaction(ctx: ScenarioContext, instance: string, session: string, table: string, db: string): Flow<void> {
  const home = ctx.instanceName;
  yield* wait(initInstance(ctx, {}, instance));
  try {
    yield* wait(createTableWithRecords(ctx, db, table, 3));
    yield* wait(beginSession(ctx, session));
    yield* wait(levelOneWork(ctx, session, table, { inserts: 1, update: 2 }));
  } finally {
    ctx.instanceName = home;
  }
});

/**
 * JetBeginSession on an instance until it fails, at most `most` times, as actions of the scenario:
 * the sessions are named slot1, slot2, ... and ctx.sessionsBegun counts them. No refusal within
 * `most` calls is a conformance failure: the limit is at most JET_paramMaxSessions + 100 in both tiers.
 */
export async function beginSessionsUntilRefused(ctx: ScenarioContext, instanceName: string, most: number, which = ''): Promise<void> {
  const instance = ctx.handle(instanceName);
  for (let i = 1; i <= most; i++) {
    const result = await ctx.act(T1, 'JetBeginSession', { instance, username: '', password: '' });
    if (result.err < 0) {
      ctx.sessionsBegun = i - 1;
      return;
    }
    ctx.saveHandle(`slot${i}`, result.out?.sesid, 'JetBeginSession');
  }
  ctx.sessionsBegun = most;
  throw new ConformanceFailure(
    `the session limit${which} is not enforced: ${most} JetBeginSession calls in a row succeeded`,
    'JET_errOutOfSessions after at most JET_paramMaxSessions + 100 sessions',
    `${most} sessions begun`,
  );
}
