/** "When" steps in ESE terms: the calls whose outcome the scenario checks. */
import { When } from '@cucumber/cucumber';
import { requireNumber } from '../harness/codes';
import * as fx from '../harness/fixtures';
import { then, type Maybe } from '../harness/maybe';
import { glue, type EseWorld } from './world';

// Every pattern's groups take part in every match: a group that did not would reach cucumber's
// reports as an empty argument (its HTML then repeats the step's text), so variants are separate steps.
// Bodies that only call through the context return what it returns: nothing in-process (cucumber runs the step synchronously), a promise otherwise.
function endSession(this: EseWorld, thread: string, session: string, grbit: string): Maybe<void> {
  const bits = requireNumber(grbit, 'is ended with grbit');
  return then(this.ctx.actNow(thread, 'JetEndSession', { sesid: this.ctx.handle(session), grbit: bits >>> 0 }), (result) => {
    if (result.err === 0) this.ctx.shadow.end(session);
  });
}

/** JetEndSession on the session's handle, from the named thread. */
When(
  /^thread (\w+) ends (\w+) with grbit (\S+)$/,
  glue(function (this: EseWorld, thread: string, session: string, grbit: string) {
    return endSession.call(this, thread, session, grbit);
  }),
);

/** JetEndSession on the session's handle, from thread t1. */
When(
  /^(\w+) is ended with grbit (\S+)$/,
  glue(function (this: EseWorld, session: string, grbit: string) {
    return endSession.call(this, fx.defaultThread, session, grbit);
  }),
);

/** JetOpenTable by the session (its database opened first if needed). */
When(
  /^(\w+) opens table "(\w+)"$/,
  glue(function (this: EseWorld, session: string, table: string) {
    const t = this.ctx.shadow.table(table);
    return then(this.ctx.shadow.session(session).dbids.get(t.db) ?? fx.openDatabase(this.ctx, session, t.db), (dbid) =>
      then(this.ctx.actNow(fx.defaultThread, 'JetOpenTable', { sesid: this.ctx.handle(session), dbid, tablename: table, grbit: 0 }), () => undefined),
    );
  }),
);

/** JetOpenTable by the session with a grbit (JET_bitTableDenyRead, ...). */
When(
  /^(\w+) opens table "(\w+)" with (\S+)$/,
  glue(function (this: EseWorld, session: string, table: string, grbit: string) {
    const t = this.ctx.shadow.table(table);
    return then(this.ctx.shadow.session(session).dbids.get(t.db) ?? fx.openDatabase(this.ctx, session, t.db), (dbid) => {
      const bits = requireNumber(grbit, 'opens table with') >>> 0;
      return then(this.ctx.actNow(fx.defaultThread, 'JetOpenTable', { sesid: this.ctx.handle(session), dbid, tablename: table, grbit: bits }), () => undefined);
    });
  }),
);

function openDatabase(this: EseWorld, session: string, db: string, exclusively: boolean): Maybe<void> {
  return then(
    this.ctx.actNow(fx.defaultThread, 'JetOpenDatabase', {
      sesid: this.ctx.handle(session),
      filename: fx.dbFile(db),
      grbit: exclusively ? requireNumber('JET_bitDbExclusive', 'opens database exclusively') : 0,
    }),
    () => undefined,
  );
}

/** JetOpenDatabase by the session, plain. */
When(
  /^(\w+) opens database "(\w+)"$/,
  glue(function (this: EseWorld, session: string, db: string) {
    return openDatabase.call(this, session, db, false);
  }),
);

/** JetOpenDatabase by the session with JET_bitDbExclusive. */
When(
  /^(\w+) opens database "(\w+)" exclusively$/,
  glue(function (this: EseWorld, session: string, db: string) {
    return openDatabase.call(this, session, db, true);
  }),
);

/** JetOpenTempTable by the session with one JET_coltypLong key column (a sort: it holds a MaxTemporaryTables slot). */
When(
  /^(\w+) opens a temp table$/,
  glue(function (this: EseWorld, session: string) {
    return then(fx.openTempTable(this.ctx, session), () => undefined);
  }),
);

/** JetCommitTransaction by the session on the thread of its transaction. */
When(
  /^(\w+) commits its transaction$/,
  glue(function (this: EseWorld, session: string) {
    const s = this.ctx.shadow.session(session);
    return then(this.ctx.actNow(s.trxThread ?? fx.defaultThread, 'JetCommitTransaction', { sesid: this.ctx.handle(session), grbit: 0 }), (result) => {
      if (result.err === 0) this.ctx.shadow.commit(session);
    });
  }),
);

/** JetCommitTransaction with a grbit (JET_bitCommitLazyFlush, ...) by the session on the thread of its transaction. */
When(
  /^(\w+) commits its transaction with (\S+)$/,
  glue(function (this: EseWorld, session: string, grbit: string) {
    const s = this.ctx.shadow.session(session);
    const bits = requireNumber(grbit, 'commits its transaction with');
    return then(this.ctx.actNow(s.trxThread ?? fx.defaultThread, 'JetCommitTransaction', { sesid: this.ctx.handle(session), grbit: bits >>> 0 }), (result) => {
      if (result.err === 0) this.ctx.shadow.commit(session);
    });
  }),
);

/** JetBeginSession on the instance until it fails, at most N times; the sessions are named slot1, slot2, ... */
When(
  /^sessions are begun on it until JetBeginSession fails, at most (\d+) times$/,
  glue(function (this: EseWorld, most: string) {
    return fx.beginSessionsUntilRefused(this.ctx, this.ctx.instanceName, Number(most));
  }),
);

/** Ends the first session of the ones begun until the limit. */
When(
  /^one of those sessions is ended with grbit (\S+)$/,
  glue(function (this: EseWorld, grbit: string) {
    return then(this.ctx.actNow(fx.defaultThread, 'JetEndSession', { sesid: this.ctx.handle('slot1'), grbit: requireNumber(grbit, 'one of those sessions is ended with grbit') >>> 0 }), () => undefined);
  }),
);

/** Back to a fresh process state in the middle of a scenario; what was recorded is kept. */
When(
  /^the implementation is reset$/,
  glue(async function (this: EseWorld) {
    await this.ctx.reset();
  }),
);
