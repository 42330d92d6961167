/** "Given" steps: the states a session is put into before JetEndSession. */
import { Given } from '@cucumber/cucumber';
import { parseNumber } from '../harness/codes';
import * as fx from '../harness/fixtures';
import { run, then, wait, type Flow, type Maybe } from '../harness/maybe';
import { glue, type EseWorld } from './world';

// Every pattern's groups take part in every match: a group that did not would reach cucumber's
// reports as an empty argument (its HTML then repeats the step's text), so variants are separate steps.

/** An instance created and initialized (JetCreateInstance, JetSetSystemParameter of the suite's limits: MaxSessions 8, MaxTemporaryTables 8, MaxCursors 32, JetInit). */
Given(
  /^an initialized instance$/,
  glue(function (this: EseWorld) {
    return fx.initInstance(this.ctx, {});
  }),
);

/** An instance created, with a system parameter set (the suite's other limits as in "an initialized instance"), and initialized (JetCreateInstance, JetSetSystemParameter, JetInit). */
Given(
  /^an initialized instance with (\w+) (\d+)$/,
  glue(function (this: EseWorld, param: string, value: string) {
    return fx.initInstance(this.ctx, { [param]: Number(value) });
  }),
);

/** A database file with one table of committed records, made by a setup session that is then ended. */
Given(
  /^a database "(\w+)" with a table "(\w+)" holding (\d+) records?$/,
  glue(function (this: EseWorld, db: string, table: string, count: string) {
    return fx.createTableWithRecords(this.ctx, db, table, Number(count));
  }),
);

/** One session (JetBeginSession on the instance). */
Given(
  /^session (\w+)$/,
  glue(function (this: EseWorld, name: string) {
    return fx.beginSession(this.ctx, name);
  }),
);

/** Two sessions. */
Given(
  /^sessions (\w+) and (\w+)$/,
  glue(function (this: EseWorld, a: string, b: string) {
    return fx.together(this.ctx, () => fx.beginSession(this.ctx, a), () => fx.beginSession(this.ctx, b));
  }),
);

/** A session begun and ended at once: its handle is stale (no JetBeginSession may follow before it is used). */
Given(
  /^session (\w+), begun and ended$/,
  glue(function (this: EseWorld, name: string) {
    return fx.together(this.ctx, () => fx.beginSession(this.ctx, name), () => fx.endSessionOk(this.ctx, name));
  }),
);

function openDatabaseTimes(this: EseWorld, session: string, db: string, exclusively: boolean, times: number): Maybe<void> {
  const grbit = exclusively ? (parseNumber('JET_bitDbExclusive') ?? 0) : 0;
  const ctx = this.ctx;
  return run(
    (function* (): Flow<void> {
      for (let i = 0; i < times; i++) yield* wait(fx.openDatabase(ctx, session, db, grbit));
    })(),
  );
}

/** JetOpenDatabase by the session, plain. */
Given(
  /^(\w+) has opened database "(\w+)"$/,
  glue(function (this: EseWorld, session: string, db: string) {
    return openDatabaseTimes.call(this, session, db, false, 1);
  }),
);

/** JetOpenDatabase by the session with JET_bitDbExclusive. */
Given(
  /^(\w+) has opened database "(\w+)" exclusively$/,
  glue(function (this: EseWorld, session: string, db: string) {
    return openDatabaseTimes.call(this, session, db, true, 1);
  }),
);

/** JetOpenDatabase by the session, plain, several times. */
Given(
  /^(\w+) has opened database "(\w+)" (\d+) times$/,
  glue(function (this: EseWorld, session: string, db: string, times: string) {
    return openDatabaseTimes.call(this, session, db, false, Number(times));
  }),
);

function openTable(this: EseWorld, session: string, table: string, grbit: string | undefined): Maybe<void> {
  const bits = grbit === undefined ? 0 : parseNumber(grbit);
  if (bits === undefined) throw new Error(`unknown grbit ${grbit}`);
  return then(fx.ensureCursor(this.ctx, session, table, bits), () => undefined);
}

/** JetOpenTable at level 0; the cursor is saved as <session>.<table>. */
Given(
  /^(\w+) has opened table "(\w+)"$/,
  glue(function (this: EseWorld, session: string, table: string) {
    return openTable.call(this, session, table, undefined);
  }),
);

/** JetOpenTable at level 0 with a grbit; the cursor is saved as <session>.<table>. */
Given(
  /^(\w+) has opened table "(\w+)" with (\S+)$/,
  glue(function (this: EseWorld, session: string, table: string, grbit: string) {
    return openTable.call(this, session, table, grbit);
  }),
);

/** A cursor opened inside the innermost open transaction level, saved under the given name. */
Given(
  /^(\w+) has opened table "(\w+)" as cursor (\w+) inside its innermost transaction level$/,
  glue(function (this: EseWorld, session: string, table: string, name: string) {
    return fx.openCursorNamed(this.ctx, session, table, name);
  }),
);

function levelOne(this: EseWorld, session: string, inserts: string, update: string | undefined, remove: string | undefined, table: string): Maybe<void> {
  return fx.levelOneWork(this.ctx, session, table, {
    inserts: Number(inserts),
    ...(update === undefined ? {} : { update: Number(update) }),
    ...(remove === undefined ? {} : { remove: Number(remove) }),
  });
}

/** A level-1 transaction with inserts (keys 101..). */
Given(
  /^(\w+) has a level 1 transaction that inserted (\d+) records? of "(\w+)"$/,
  glue(function (this: EseWorld, session: string, inserts: string, table: string) {
    return levelOne.call(this, session, inserts, undefined, undefined, table);
  }),
);

/** A level-1 transaction with inserts (keys 101..) and an update of a committed record. */
Given(
  /^(\w+) has a level 1 transaction that inserted (\d+) records?(?:,| and) updated record (\d+) of "(\w+)"$/,
  glue(function (this: EseWorld, session: string, inserts: string, update: string, table: string) {
    return levelOne.call(this, session, inserts, update, undefined, table);
  }),
);

/** A level-1 transaction with inserts (keys 101..) and a delete of a committed record. */
Given(
  /^(\w+) has a level 1 transaction that inserted (\d+) records? and deleted record (\d+) of "(\w+)"$/,
  glue(function (this: EseWorld, session: string, inserts: string, remove: string, table: string) {
    return levelOne.call(this, session, inserts, undefined, remove, table);
  }),
);

/** A level-1 transaction with inserts (keys 101..), an update and a delete of committed records. */
Given(
  /^(\w+) has a level 1 transaction that inserted (\d+) records?(?:,| and) updated record (\d+) and deleted record (\d+) of "(\w+)"$/,
  glue(function (this: EseWorld, session: string, inserts: string, update: string, remove: string, table: string) {
    return levelOne.call(this, session, inserts, update, remove, table);
  }),
);

/** A transaction N levels deep with inserts and updates at every level and a level committed into level 1. */
Given(
  /^(\w+) has a level (\d+) transaction with work at every level of "(\w+)", an inner level committed into level 1$/,
  glue(function (this: EseWorld, session: string, depth: string, table: string) {
    return fx.nestedWork(this.ctx, session, table, Number(depth));
  }),
);

/** Work committed to level 0 before the end: inserts and an update. */
Given(
  /^(\w+) has committed (\d+) inserted records and an update of record (\d+) of "(\w+)" to level 0$/,
  glue(function (this: EseWorld, session: string, inserts: string, key: string, table: string) {
    return fx.committedWork(this.ctx, session, table, Number(inserts), Number(key));
  }),
);

/** N temp tables opened by the session (JetOpenTempTable, one JET_coltypLong key column: sorts, each holding a MaxTemporaryTables slot). */
Given(
  /^(\w+) holds (\d+) temp tables?$/,
  glue(function (this: EseWorld, session: string, count: string) {
    return fx.holdTempTables(this.ctx, session, Number(count));
  }),
);

/** JetSetSessionContext on the thread. */
Given(
  /^thread (\w+) has set the session context of (\w+) to (\S+)$/,
  glue(function (this: EseWorld, thread: string, session: string, context: string) {
    const value = parseNumber(context);
    if (value === undefined) throw new Error(`${context} is not a number`);
    return fx.setContext(this.ctx, thread, session, value);
  }),
);

/** JetResetSessionContext on the thread. */
Given(
  /^thread (\w+) has reset the session context of (\w+)$/,
  glue(function (this: EseWorld, thread: string, session: string) {
    return fx.resetContext(this.ctx, thread, session);
  }),
);

/** JetStopServiceInstance2 with the given grbit on the instance. */
Given(
  /^JetStopServiceInstance2 has been called on the instance with (\S+)$/,
  glue(async function (this: EseWorld, grbit: string) {
    const bits = parseNumber(grbit);
    if (bits === undefined) throw new Error(`unknown grbit ${grbit}`);
    await this.ctx.setup('t1', 'JetStopServiceInstance2', { instance: this.ctx.handle(this.ctx.instanceName), grbit: bits });
  }),
);

/** A composite situation of the grbit scenarios (harness/fixtures.ts `situations`); the session is s1. */
Given(
  /^the situation "([^"]+)"(?: is set up again)?$/,
  glue(function (this: EseWorld, name: string) {
    const situation = fx.situations[name];
    if (situation === undefined) throw new Error(`unknown situation "${name}"; known: ${Object.keys(fx.situations).join('; ')}`);
    return situation(this.ctx);
  }),
);

/** `instance-state`: force the instance into a state ESENT cannot be driven into. */
Given(
  /^the instance is forced into the (not-initialized|restore-in-progress) state$/,
  glue(async function (this: EseWorld, state: 'not-initialized' | 'restore-in-progress') {
    await this.ctx.force(this.ctx.handle(this.ctx.instanceName), { state });
  }),
);

/** `instance-state`: force the instance into a fatal error with the given cause. */
Given(
  /^the instance is forced into a fatal error caused by (\S+)$/,
  glue(async function (this: EseWorld, cause: string) {
    const err = parseNumber(cause);
    if (err === undefined) throw new Error(`unknown JET_err ${cause}`);
    await this.ctx.force(this.ctx.handle(this.ctx.instanceName), { state: 'fatal-error', cause: err });
  }),
);

/** `instance-state`: lift a forced not-initialized or restore-in-progress state. */
Given(
  /^the instance's forced state is lifted$/,
  glue(async function (this: EseWorld) {
    await this.ctx.force(this.ctx.handle(this.ctx.instanceName), { state: 'normal' });
  }),
);

/** `fault-injection`: a clean-up step of JetEndSession fails with the error, once or N times. */
Given(
  /^the clean-up step "(undo|close-database|close-sort)" fails with (\S+) (once|\d+ times)$/,
  glue(async function (this: EseWorld, step: 'undo' | 'close-database' | 'close-sort', err: string, times: string) {
    const code = parseNumber(err);
    if (code === undefined) throw new Error(`unknown JET_err ${err}`);
    await this.ctx.inject({ step, err: code, times: times === 'once' ? 1 : parseInt(times, 10) });
  }),
);

/** A replace prepared in the session's transaction and never applied: the record's write lock is taken. */
Given(
  /^(\w+) has prepared a replace of record (\d+) of "(\w+)" without applying it$/,
  glue(function (this: EseWorld, session: string, key: string, table: string) {
    return fx.prepareReplace(this.ctx, session, table, Number(key));
  }),
);

/** The table's columnids saved under names (its key column, then its value column), for call-level steps (JetSetColumn, JetRetrieveColumn). */
Given(
  /^the columnids of "(\w+)" are saved as (\w+) and (\w+)$/,
  glue(function (this: EseWorld, table: string, key: string, value: string) {
    const { columnids } = this.ctx.shadow.table(table);
    this.ctx.names.set(key, { number: columnids.key });
    this.ctx.names.set(value, { number: columnids.value });
  }),
);

/** JetBeginTransaction2 with JET_bitTransactionReadOnly. */
Given(
  /^(\w+) has a read-only transaction$/,
  glue(function (this: EseWorld, session: string) {
    return fx.beginReadOnlyTransaction(this.ctx, session);
  }),
);

/** Record k inserted at level 0 (no transaction): the write is committed at once. */
Given(
  /^(\w+) has inserted record (\d+) into "(\w+)" outside any transaction$/,
  glue(function (this: EseWorld, session: string, key: string, table: string) {
    return fx.together(this.ctx, () => fx.ensureCursor(this.ctx, session, table), () => fx.insert(this.ctx, session, table, Number(key), `${session} level 0`));
  }),
);

/** A second instance with a database, a table of 3 records and a session in a level 1 transaction on it. */
Given(
  /^another instance "(\w+)" with session (\w+) in a level 1 transaction on a table "(\w+)" of database "(\w+)"$/,
  glue(function (this: EseWorld, instance: string, session: string, table: string, db: string) {
    return fx.otherInstanceWithTransaction(this.ctx, instance, session, table, db);
  }),
);

/**
 * Sessions begun and ended one after another, each inside a transaction it leaves open: a slot given
 * back twice by each such end shows only after about MaxSessions + 100 of them (the limit is "at
 * least MaxSessions"; ESENT's pool has up to 69 slots more), so the count is the point.
 */
Given(
  /^(\d+) sessions have been begun and ended one after another, each inside a transaction$/,
  glue(function (this: EseWorld, count: string) {
    // One chain over a process (the setup calls' answers decide nothing but the handles).
    return fx.cycleSessions(this.ctx, Number(count), '_setup_cycled');
  }),
);
