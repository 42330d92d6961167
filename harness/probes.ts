/**
 * Postconditions: what a "Then" checks after the call, through the API only. Observations from
 * "another session" use a fresh observer session that is begun, used and ended within the probe, so
 * that it holds nothing afterwards (no open database to block an exclusive open, no slot).
 */
import { JET_bits, JET_constants, JET_errors, describeErr } from './codes';
import type { ScenarioContext } from './context';
import { ConformanceFailure } from './errors';
import { dbFile, defaultThread, initInstance, maxScan, speculatedNow } from './fixtures';
import type { Records } from './shadow';
import { run, then, wait, type Flow, type Maybe } from './maybe';

const { JET_errSuccess, JET_errInvalidSesid, JET_errNoCurrentRecord, JET_errTransTooDeep, JET_errWriteConflict } = JET_errors;
const T1 = defaultThread;

function show(records: Records): string {
  const keys = [...records.keys()].sort((a, b) => a - b);
  return keys.length === 0 ? '(no records)' : keys.map((k) => `${k}=${JSON.stringify(records.get(k))}`).join(', ');
}

function sameRecords(a: Records, b: Records): boolean {
  return a.size === b.size && [...a].every(([k, v]) => b.get(k) === v);
}

/** The session's handle is dead: JetEndSession and JetBeginTransaction on it give -1104. */
export function isGone(ctx: ScenarioContext, session: string): Maybe<void> {
  const sesid = ctx.handle(session);
  const is1104 = (e: number) => e === JET_errInvalidSesid;
  // Both calls in one round trip over a process (harness/speculate.ts).
  const gone = speculatedNow(ctx, () =>
    then(ctx.expectCallNow(`${session} should be gone`, T1, 'JetEndSession', { sesid, grbit: 0 }, is1104, 'JET_errInvalidSesid'), () =>
      ctx.expectCallNow(`${session} should be gone`, T1, 'JetBeginTransaction', { sesid }, is1104, 'JET_errInvalidSesid'),
    ),
  );
  return then(gone, () => ctx.shadow.end(session));
}

/** The handle still names a session: a call on it gives anything but -1104 (and changes nothing). */
export function isNotGone(ctx: ScenarioContext, session: string): Maybe<void> {
  return speculatedNow(ctx, () => run(isNotGoneNow(ctx, session)));
}

function* isNotGoneNow(ctx: ScenarioContext, session: string): Flow<void> {
  const thread = ctx.shadow.session(session).trxThread ?? T1;
  const sesid = ctx.handle(session);
  const r = yield* wait(ctx.expectCallNow(`${session} should not be gone`, thread, 'JetBeginTransaction', { sesid }, (e) => e !== JET_errInvalidSesid, 'anything but JET_errInvalidSesid'));
  if (r.err >= 0) yield* wait(ctx.callNow(thread, 'JetRollback', { sesid, grbit: 0 }));
}

/** The session can begin and roll back a transaction level. */
export function isUsable(ctx: ScenarioContext, session: string): Maybe<void> {
  return speculatedNow(ctx, () => run(isUsableNow(ctx, session)));
}

function* isUsableNow(ctx: ScenarioContext, session: string): Flow<void> {
  const thread = ctx.shadow.session(session).trxThread ?? T1;
  const sesid = ctx.handle(session);
  const r = yield* wait(ctx.expectCallNow(`${session} should be usable`, thread, 'JetBeginTransaction', { sesid }, (e) => e === JET_errSuccess || e === JET_errTransTooDeep, 'JET_errSuccess'));
  if (r.err === JET_errSuccess) {
    yield* wait(ctx.expectCallNow(`${session} should be usable`, thread, 'JetRollback', { sesid, grbit: 0 }, (e) => e === JET_errSuccess, 'JET_errSuccess'));
  }
}

/** Every record the cursor reaches with JetMove, as key → value. */
function* readAll(ctx: ScenarioContext, thread: string, sesid: string, tableid: string, table: string, who: string): Flow<Map<number, string>> {
  const cols = ctx.shadow.table(table).columnids;
  const out = new Map<number, string>();
  let move = yield* wait(ctx.callNow(thread, 'JetMove', { sesid, tableid, cRow: JET_constants.JET_MoveFirst, grbit: 0 }));
  for (let guard = 0; move.err >= 0; guard++) {
    if (guard > maxScan) throw new ConformanceFailure(`${who}: JetMove never reaches the end of "${table}"`);
    const k = yield* wait(ctx.callNow(thread, 'JetRetrieveColumn', { sesid, tableid, columnid: cols.key }));
    const v = yield* wait(ctx.callNow(thread, 'JetRetrieveColumn', { sesid, tableid, columnid: cols.value }));
    if (k.err < 0 || v.err < 0) throw new ConformanceFailure(`${who}: JetRetrieveColumn on "${table}" failed`, 'JET_errSuccess', describeErr(k.err < 0 ? k.err : v.err));
    out.set(Number(k.out?.value), String(v.out?.value));
    move = yield* wait(ctx.callNow(thread, 'JetMove', { sesid, tableid, cRow: JET_constants.JET_MoveNext, grbit: 0 }));
  }
  if (move.err !== JET_errNoCurrentRecord) {
    throw new ConformanceFailure(`${who}: JetMove on "${table}" failed`, 'JET_errSuccess, then JET_errNoCurrentRecord at the end', describeErr(move.err));
  }
  return out;
}

/** Runs `body` with a fresh observer session holding the table open; ends the observer after. */
function* withObserver<T>(
  ctx: ScenarioContext,
  table: string,
  body: (o: { sesid: string; tableid: string }) => Flow<T>,
  instanceName = ctx.instanceName,
): Flow<T> {
  const begun = yield* wait(ctx.callNow(T1, 'JetBeginSession', { instance: ctx.handle(instanceName), username: '', password: '' }));
  if (begun.err < 0 || typeof begun.out?.sesid !== 'string') {
    throw new ConformanceFailure('another session could not be begun to observe', 'JetBeginSession returns JET_errSuccess', describeErr(begun.err));
  }
  const sesid = begun.out.sesid;
  const opened = yield* wait(ctx.callNow(T1, 'JetOpenDatabase', { sesid, filename: dbFile(ctx.shadow.table(table).db), grbit: 0 }));
  if (opened.err < 0 || typeof opened.out?.dbid !== 'number') {
    throw new ConformanceFailure('another session could not open the database to observe', 'JetOpenDatabase returns JET_errSuccess', describeErr(opened.err));
  }
  const cursor = yield* wait(ctx.callNow(T1, 'JetOpenTable', { sesid, dbid: opened.out.dbid, tablename: table, grbit: 0 }));
  if (cursor.err < 0 || typeof cursor.out?.tableid !== 'string') {
    throw new ConformanceFailure(`another session could not open "${table}" to observe`, 'JetOpenTable returns JET_errSuccess', describeErr(cursor.err));
  }
  const result = yield* body({ sesid, tableid: cursor.out.tableid });
  yield* wait(ctx.callNow(T1, 'JetEndSession', { sesid, grbit: 0 }));
  return result;
}

/** Another session, reading at level 0, sees exactly the committed records. */
export function othersSeeCommitted(ctx: ScenarioContext, table: string): Maybe<void> {
  return speculatedNow(ctx, () => run(othersSeeCommittedNow(ctx, table)));
}

function* othersSeeCommittedNow(ctx: ScenarioContext, table: string): Flow<void> {
  const expected = ctx.shadow.table(table).committed;
  const seen = yield* withObserver(ctx, table, (o) => readAll(ctx, T1, o.sesid, o.tableid, table, 'another session'));
  if (!sameRecords(seen, expected)) {
    throw new ConformanceFailure(`another session should see exactly the committed records of "${table}"`, show(expected), show(seen));
  }
}

/** Another session can update every committed record in its own transaction (then rolls back). */
export function othersCanUpdateAll(ctx: ScenarioContext, table: string): Maybe<void> {
  return speculatedNow(ctx, () => run(othersCanUpdateAllNow(ctx, table)));
}

function* othersCanUpdateAllNow(ctx: ScenarioContext, table: string): Flow<void> {
  const cols = ctx.shadow.table(table).columnids;
  yield* withObserver(ctx, table, function* ({ sesid, tableid }): Flow<void> {
    yield* wait(ctx.setupNow(T1, 'JetBeginTransaction', { sesid }));
    for (const key of ctx.shadow.table(table).committed.keys()) {
      yield* seekAs(ctx, sesid, tableid, cols.key, key);
      yield* wait(ctx.expectCallNow(`another session should be able to update record ${key} of "${table}"`, T1, 'JetPrepareUpdate', { sesid, tableid, prep: JET_constants.JET_prepReplace }, (e) => e === JET_errSuccess, 'JET_errSuccess (no write conflict: nothing holds the record)'));
      yield* wait(ctx.setupNow(T1, 'JetSetColumn', { sesid, tableid, columnid: cols.value, value: 'observer' }));
      yield* wait(ctx.expectCallNow(`another session should be able to update record ${key} of "${table}"`, T1, 'JetUpdate', { sesid, tableid }, (e) => e === JET_errSuccess, 'JET_errSuccess'));
    }
    yield* wait(ctx.setupNow(T1, 'JetRollback', { sesid, grbit: JET_bits.JET_bitRollbackAll }));
  });
}

function* seekAs(ctx: ScenarioContext, sesid: string, tableid: string, keyColumn: number, key: number, thread = T1, who = 'another session'): Flow<void> {
  let move = yield* wait(ctx.callNow(thread, 'JetMove', { sesid, tableid, cRow: JET_constants.JET_MoveFirst, grbit: 0 }));
  for (let guard = 0; move.err >= 0; guard++) {
    if (guard > maxScan) throw new ConformanceFailure(`${who}: JetMove never reaches the end`, `at most ${maxScan} records`, 'more');
    const got = yield* wait(ctx.callNow(thread, 'JetRetrieveColumn', { sesid, tableid, columnid: keyColumn }));
    if (got.out?.value === key) return;
    move = yield* wait(ctx.callNow(thread, 'JetMove', { sesid, tableid, cRow: JET_constants.JET_MoveNext, grbit: 0 }));
  }
  throw new ConformanceFailure(`${who} cannot reach record ${key}`, `record ${key} reachable with JetMove`, 'not found');
}

/** The session sees its own uncommitted work through its level-0 cursor on the table. */
export function seesOwnWork(ctx: ScenarioContext, session: string, table: string): Maybe<void> {
  return speculatedNow(ctx, () => run(seesOwnWorkNow(ctx, session, table)));
}

function* seesOwnWorkNow(ctx: ScenarioContext, session: string, table: string): Flow<void> {
  const s = ctx.shadow.session(session);
  const cursor = s.cursors.get(table);
  if (cursor === undefined) throw new Error(`${session} has no cursor on "${table}"`);
  const expected = ctx.shadow.view(session, table);
  const thread = s.trxThread ?? T1;
  const sesid = ctx.handle(session);
  const tableid = ctx.handle(cursor);
  // The scenario's own cursor: read through, then put back on the record it stood on, so that the
  // whole-state probe, which compares where each cursor stands, sees the position the end left.
  const keyColumn = ctx.shadow.table(table).columnids.key;
  const stood = yield* wait(ctx.callNow(thread, 'JetRetrieveColumn', { sesid, tableid, columnid: keyColumn }));
  const seen = yield* readAll(ctx, thread, sesid, tableid, table, session);
  if (!sameRecords(seen, expected)) {
    throw new ConformanceFailure(`${session} should still see its own uncommitted work in "${table}"`, show(expected), show(seen));
  }
  if (stood.err >= 0) yield* seekAs(ctx, sesid, tableid, keyColumn, Number(stood.out?.value), thread, session);
}

/**
 * A failed call left the session as it was: its handle works, its cursors still read what it
 * wrote, others still see only committed data, and the records it changed are still locked.
 */
export function isUnchanged(ctx: ScenarioContext, session: string): Maybe<void> {
  return speculatedNow(ctx, () => run(isUnchangedNow(ctx, session)));
}

function* isUnchangedNow(ctx: ScenarioContext, session: string): Flow<void> {
  yield* wait(isNotGone(ctx, session));
  const s = ctx.shadow.session(session);
  for (const table of s.cursors.keys()) {
    yield* wait(seesOwnWork(ctx, session, table));
    if (ctx.shadow.hasUncommittedWork(session)) yield* wait(othersSeeCommitted(ctx, table));
    const locked = ctx.shadow.lockedKeys(session, table);
    if (locked.length > 0) yield* othersBlockedOn(ctx, session, table, locked);
  }
}

function* othersBlockedOn(ctx: ScenarioContext, session: string, table: string, keys: readonly number[]): Flow<void> {
  const cols = ctx.shadow.table(table).columnids;
  yield* withObserver(ctx, table, function* ({ sesid, tableid }): Flow<void> {
    yield* wait(ctx.setupNow(T1, 'JetBeginTransaction', { sesid }));
    for (const key of keys) {
      yield* seekAs(ctx, sesid, tableid, cols.key, key);
      yield* wait(ctx.expectCallNow(`record ${key}, changed in ${session}'s open transaction, should still be locked`, T1, 'JetPrepareUpdate', { sesid, tableid, prep: JET_constants.JET_prepReplace }, (e) => e === JET_errWriteConflict, 'JET_errWriteConflict'));
    }
    yield* wait(ctx.setupNow(T1, 'JetRollback', { sesid, grbit: JET_bits.JET_bitRollbackAll }));
  });
}

/** Terminates the instance, starts a new one and reads the database: the durable state. */
export async function durableRecords(ctx: ScenarioContext, table: string): Promise<void> {
  await ctx.expectCall('the instance should terminate', T1, 'JetTerm', { instance: ctx.handle(ctx.instanceName) }, (e) => e >= 0, 'JET_errSuccess');
  await recordsAfterRestart(ctx, table);
}

/** The instance already terminated: a new one reads the database, which holds exactly the committed records. */
export async function recordsAfterRestart(ctx: ScenarioContext, table: string): Promise<void> {
  await initInstance(ctx, {}, 'i-restarted');
  // The attach and the read are a program of calls whose path depends only on the answers: one chain through a process.
  const seen = await speculatedNow(ctx, () => run(attachAndRead(ctx, table)));
  const expected = ctx.shadow.table(table).committed;
  if (!sameRecords(seen, expected)) {
    throw new ConformanceFailure(`after a restart the database should hold exactly the committed records of "${table}"`, show(expected), show(seen));
  }
}

function* attachAndRead(ctx: ScenarioContext, table: string): Flow<Records> {
  const begun = yield* wait(ctx.setupNow(T1, 'JetBeginSession', { instance: ctx.handle('i-restarted'), username: '', password: '' }));
  ctx.saveHandle('s-restarted', begun.sesid, 'JetBeginSession');
  yield* wait(ctx.setupNow(T1, 'JetAttachDatabase', { sesid: ctx.handle('s-restarted'), filename: dbFile(ctx.shadow.table(table).db), grbit: 0 }));
  yield* wait(ctx.callNow(T1, 'JetEndSession', { sesid: ctx.handle('s-restarted'), grbit: 0 }));
  return yield* withObserver(ctx, table, (o) => readAll(ctx, T1, o.sesid, o.tableid, table, 'a session of the new instance'));
}

/**
 * A fingerprint of what the end left behind, for comparing two runs of one situation: the code,
 * whether the handle still works, and what a fresh session can open, read and hold.
 */
export function fingerprint(ctx: ScenarioContext, session: string): Maybe<string> {
  return speculatedNow(ctx, () => run(fingerprintNow(ctx, session)));
}

function* fingerprintNow(ctx: ScenarioContext, session: string): Flow<string> {
  const facts: Record<string, unknown> = { returned: ctx.last?.result.err };
  const thread = ctx.shadow.session(session).trxThread ?? T1;
  const again = yield* wait(ctx.callNow(thread, 'JetBeginTransaction', { sesid: ctx.handle(session) }));
  facts.handle = again.err;
  if (again.err === JET_errSuccess) yield* wait(ctx.callNow(thread, 'JetRollback', { sesid: ctx.handle(session), grbit: 0 }));
  const begun = yield* wait(ctx.callNow(T1, 'JetBeginSession', { instance: ctx.handle(ctx.instanceName), username: '', password: '' }));
  facts.beginSession = begun.err;
  const sesid = begun.out?.sesid;
  if (begun.err >= 0 && typeof sesid === 'string' && ctx.shadow.tables.size > 0) {
    const [table] = [...ctx.shadow.tables.values()];
    const exclusive = yield* wait(ctx.callNow(T1, 'JetOpenDatabase', { sesid, filename: dbFile(table.db), grbit: JET_bits.JET_bitDbExclusive }));
    facts.openDatabaseExclusive = exclusive.err;
    if (exclusive.err >= 0 && typeof exclusive.out?.dbid === 'number') yield* wait(ctx.callNow(T1, 'JetCloseDatabase', { sesid, dbid: exclusive.out.dbid, grbit: 0 }));
    const plain = yield* wait(ctx.callNow(T1, 'JetOpenDatabase', { sesid, filename: dbFile(table.db), grbit: 0 }));
    facts.openDatabase = plain.err;
    if (plain.err >= 0 && typeof plain.out?.dbid === 'number') {
      const denyRead = yield* wait(ctx.callNow(T1, 'JetOpenTable', { sesid, dbid: plain.out.dbid, tablename: table.name, grbit: JET_bits.JET_bitTableDenyRead }));
      facts.openTableDenyRead = denyRead.err;
      if (denyRead.err >= 0 && typeof denyRead.out?.tableid === 'string') {
        facts.records = show(yield* readAll(ctx, T1, sesid, denyRead.out.tableid, table.name, 'another session'));
      }
    }
    const temp = yield* wait(ctx.callNow(T1, 'JetOpenTempTable', { sesid, columns: [{ coltyp: JET_constants.JET_coltypLong, grbit: 0 }], grbit: 0 }));
    facts.openTempTable = temp.err;
    yield* wait(ctx.callNow(T1, 'JetEndSession', { sesid, grbit: 0 }));
  }
  return JSON.stringify(facts);
}
