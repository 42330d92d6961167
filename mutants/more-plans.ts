/**
 * More bugs of an ESE implementation's JetEndSession, written outside the engine as plans
 * (mutants/engine-plans.ts): resources leaked one kind at a time, checks in the wrong order, the
 * clean-up half done, other sessions disturbed. Each models what a plausible implementation gets
 * wrong, not a particular scenario: "forgets to release the DenyWrite lock", "checks the call in
 * flight before the instance".
 */
import { JET_errors as E } from '../api';
import type { JET_ERR } from '../api';
import type { Cursor } from '../oracle/cursor';
import {
  checkCallInFlight,
  checkNotInitialized,
  checkProcessTerm,
  checkSessionContext,
  closeDatabases,
  closeTempTables,
  endSessionFree,
  referenceEndSession,
  rollbackTransaction,
  type EndSessionCheck,
  type EndSessionPlan,
  type EndSessionStep,
} from '../oracle/endsession';
import { Rec } from '../oracle/records';
import { closeCursor, closeDatabaseOnce, finalClose } from '../oracle/resources';
import type { Session } from '../oracle/session';
import type { DbFile, Table } from '../oracle/table';
import { rollbackLevel, trxContextOk } from '../oracle/transaction';
import { plan, replace } from './engine-plans';

const ref = referenceEndSession;
/** The list with `a` moved to just before `b`. */
const before = <T>(list: readonly T[], a: T, b: T): T[] => list.filter((x) => x !== a).flatMap((x) => (x === b ? [a, b] : [x]));

/** Runs `body` with what the session holds, as it was before the clean-up, then the reference clean-up. */
function thenLeak(leak: (core: Parameters<EndSessionStep>[0], s: Session, held: Held) => void): EndSessionPlan {
  const snapshot: EndSessionStep = (_core, s) => {
    held.set(s, heldBy(s));
    return 0;
  };
  const apply: EndSessionStep = (core, s) => {
    const h = held.get(s);
    held.delete(s);
    if (h !== undefined) leak(core, s, h);
    return 0;
  };
  const held = new WeakMap<Session, Held>();
  return plan({ cleanup: [snapshot, ...ref.cleanup, apply] });
}

interface Held {
  readonly cursors: readonly Cursor[];
  readonly temps: number;
  /** Temp tables still sorts: only they hold a MaxTemporaryTables slot (a materialized one released it). */
  readonly sorts: number;
  readonly dbs: readonly { readonly db: DbFile; readonly exclusive: boolean }[];
  readonly recs: readonly Rec[];
  readonly tables: readonly Table[];
}

function heldBy(s: Session): Held {
  const cursors = [...[...s.cursorsByDb.values()].flatMap((set) => [...set]), ...s.deferred];
  const recs: Rec[] = [];
  const tables: Table[] = [];
  for (let level = 1; level <= s.level; level++) {
    for (const u of s.frames[level]?.undo ?? []) {
      if (u instanceof Rec) recs.push(u);
      else if (u.kind === 'create-table') tables.push(u.table);
    }
  }
  return { cursors, temps: s.temps.size, sorts: [...s.temps].filter((c) => c.sortSlot).length, dbs: [...s.dbOpens.keys()].map((db) => ({ db, exclusive: db.exclusiveBy === s })), recs, tables };
}

// ---- Leaks, one kind of resource at a time (the session is freed; one thing stays taken) ------------

/** JET_bitTableDenyRead locks of the session's cursors stay after the end. */
const denyReadLocksLeaked = thenLeak((_core, s, h) => {
  for (const c of h.cursors) {
    if (!c.denyRead) continue;
    c.table.denyReadCount++;
    c.table.denyReadBy = s;
  }
});

/** JET_bitTableDenyWrite locks of the session's cursors stay after the end. */
const denyWriteLocksLeaked = thenLeak((_core, _s, h) => {
  for (const c of h.cursors) if (c.denyWrite) c.table.denyWriteCount++;
});

/** The instance's cursor count is not decremented for the session's cursors (JET_paramMaxCursors slots leak). */
const cursorSlotsLeaked = thenLeak((_core, s, h) => {
  s.instance.cursorCount += h.cursors.length + h.temps;
});

/** The temp-table count is not decremented (JET_paramMaxTemporaryTables slots leak), though the temp tables are closed. */
const tempTableSlotsLeaked = thenLeak((_core, s, h) => {
  s.instance.tempTableCount += h.sorts;
});

/** An exclusive database open of the session is closed but its exclusivity stays. */
const exclusiveOpenLeaked = thenLeak((_core, s, h) => {
  for (const { db, exclusive } of h.dbs) if (exclusive) db.exclusiveBy = s;
});

/** The rollback restores the records' values, but their write locks stay with the ended session. */
const writeLocksLeaked = thenLeak((_core, s, h) => {
  for (const rec of h.recs) {
    if (rec.removed || rec.writer !== null) continue;
    rec.writer = s;
    rec.stack = [{ level: 1, values: rec.lastVersion()?.values ?? null }];
  }
});

/** DDL done inside the transaction (a table created) survives the rollback at the end. */
const ddlKept: EndSessionStep = (core, s, thread) => {
  for (let level = 1; level <= s.level; level++) {
    const f = s.frames[level];
    if (f === undefined) continue;
    f.undo = f.undo.filter((u) => {
      if (u instanceof Rec) return true;
      if (u.kind === 'create-table') u.table.uncommittedBy = null;
      else u.column.uncommittedBy = null;
      return false;
    });
  }
  return rollbackTransaction(core, s, thread);
};

/** Deferred closes (Errata 7) are dropped, not completed: those cursors' locks and quota stay. */
const deferredClosesLost: EndSessionStep = (core, s, thread) => {
  const deferred = [...s.deferred];
  s.deferred.clear();
  for (const level of s.frames) if (level !== undefined) level.opened = level.opened.filter((c) => !c.deferred);
  const err = rollbackTransaction(core, s, thread);
  for (const c of deferred) c.closed = true; // the handle dies with nothing released
  return err;
};

/** Only the session's first database is closed; the others stay open (pins, exclusivity). */
const firstDatabaseOnly: EndSessionStep = (core, s, thread) => {
  const [first] = [...s.dbOpens.keys()].sort((x, y) => x.dbid - y.dbid);
  const rest = [...s.dbOpens.entries()].filter(([db]) => db !== first);
  for (const [db] of rest) s.dbOpens.delete(db);
  const err = closeDatabases(core, s, thread);
  return err;
};

/** A database opened several times is closed once only: the other opens' pins stay. */
const oneCloseEach: EndSessionStep = (core, s) => {
  for (const db of [...s.dbOpens.keys()].sort((x, y) => x.dbid - y.dbid)) {
    const err = core.faults.take('close-database');
    if (err !== 0) return err;
    closeDatabaseOnce(core.p, s, db, true);
    if (s.dbOpens.has(db)) {
      const set = s.cursorsByDb.get(db);
      if (set) for (const c of [...set]) closeCursor(core.p, c);
      s.dbOpens.delete(db);
    }
  }
  return 0;
};

/** Temp tables closed only when opened outside a transaction: those opened inside it leak. */
const tempTablesInTrxLeaked: EndSessionStep = (core, s, thread) => {
  const inTrx = new Set<Cursor>();
  for (const f of s.frames) for (const c of f?.opened ?? []) if (c.temp) inTrx.add(c);
  for (const c of inTrx) s.temps.delete(c); // forgotten: neither the rollback nor the close sees them
  for (const f of s.frames) if (f !== undefined) f.opened = f.opened.filter((c) => !inTrx.has(c));
  const err = rollbackTransaction(core, s, thread);
  for (const c of inTrx) c.closed = true; // the handle dies, the slot stays taken
  return err;
};

// ---- Other sessions disturbed -------------------------------------------------------------------------

/** Every cursor of the instance on a table the ended session had open is closed too. */
const othersCursorsClosed = thenLeak((core, s, h) => {
  const tables = new Set(h.cursors.map((c) => c.table));
  for (const other of s.instance.sessions) {
    if (other === s) continue;
    for (const set of other.cursorsByDb.values()) for (const c of [...set]) if (tables.has(c.table)) finalClose(core.p, c);
  }
});

/** The session contexts set by the calling thread on other sessions are reset too. */
const othersContextsReset: EndSessionStep = (_core, s, thread) => {
  for (const other of s.instance.sessions) if (other !== s && other.context?.thread === thread) other.context = null;
  return 0;
};

/** Every temp table of the instance is closed, not only the session's. */
const othersTempTablesClosed: EndSessionStep = (core, s) => {
  for (const other of s.instance.sessions) if (other !== s) for (const c of [...other.temps]) finalClose(core.p, c);
  return 0;
};

/** The other sessions of the ending thread's transaction are committed (a shared commit at the end). */
const othersCommitted: EndSessionStep = (core, s, thread) => {
  for (const other of s.instance.sessions) {
    if (other === s || other.level === 0 || !trxContextOk(other, thread, 'thread')) continue;
    while (other.level > 0) rollbackLevel(core.p, other, thread, 'none', null);
  }
  return 0;
};

/** Every session of every other instance is rolled back. */
const otherInstancesRolledBack: EndSessionStep = (core, s, thread) => {
  for (const inst of core.p.instances) {
    if (inst === s.instance) continue;
    for (const other of inst.sessions) while (other.level > 0) rollbackLevel(core.p, other, thread, 'none', null);
  }
  return 0;
};

// ---- Checks --------------------------------------------------------------------------------------------

/** The transaction's thread binding (-1910) checked before the session context (-1914). */
const trxBindingFirst: EndSessionCheck = (_p, s, thread) => (s.level > 0 && !trxContextOk(s, thread, 'end') ? E.JET_errSessionSharingViolation : 0);

/** Refuses to end a session with an open transaction, like JetTerm without JET_bitTermAbrupt would. */
const refuseOpenTransaction: EndSessionCheck = (_p, s) => (s.level > 0 ? E.JET_errInTransaction : 0);

/** Refuses to end a session that still has table cursors open. */
const refuseOpenCursors: EndSessionCheck = (_p, s) => ([...s.cursorsByDb.values()].some((set) => set.size > 0) ? E.JET_errTooManyActiveUsers : 0);

/** Every check after the clean-up: the session is ended, and then the error is returned. */
function checksAfterCleanup(): EndSessionPlan {
  const checks = [...ref.entry.filter((c) => c !== checkCallInFlight), ...ref.body];
  let late: JET_ERR = 0;
  const lateChecks: EndSessionStep = (core, s, thread) => {
    late = 0;
    for (const c of checks) {
      const err = c(core.p, s, thread);
      if (err !== 0) {
        late = err;
        break;
      }
    }
    return 0;
  };
  const report: EndSessionStep = () => late;
  return plan({ entry: [checkCallInFlight], body: [], cleanup: [lateChecks, ...ref.cleanup, report] });
}

export const morePlans = {
  denyReadLocksLeaked,
  denyWriteLocksLeaked,
  cursorSlotsLeaked,
  tempTableSlotsLeaked,
  exclusiveOpenLeaked,
  writeLocksLeaked,
  ddlKept: plan({ cleanup: replace(ref.cleanup, rollbackTransaction, ddlKept) }),
  deferredClosesLost: plan({ cleanup: replace(ref.cleanup, rollbackTransaction, deferredClosesLost) }),
  firstDatabaseOnly: plan({ cleanup: replace(ref.cleanup, closeDatabases, firstDatabaseOnly) }),
  oneCloseEach: plan({ cleanup: replace(ref.cleanup, closeDatabases, oneCloseEach) }),
  tempTablesInTrxLeaked: plan({ cleanup: replace(ref.cleanup, rollbackTransaction, tempTablesInTrxLeaked) }),
  othersCursorsClosed,
  othersContextsReset: plan({ cleanup: [...ref.cleanup, othersContextsReset] }),
  othersTempTablesClosed: plan({ cleanup: [...ref.cleanup, othersTempTablesClosed] }),
  othersRolledBackOnThread: plan({ cleanup: [...ref.cleanup, othersCommitted] }),
  otherInstancesRolledBack: plan({ cleanup: [...ref.cleanup, otherInstancesRolledBack] }),
  callInFlightBeforeInstance: plan({ entry: before(ref.entry, checkCallInFlight, checkNotInitialized) }),
  processTermAfterInstance: plan({ entry: [...ref.entry.filter((c) => c !== checkProcessTerm), checkProcessTerm] }),
  contextBeforeCallInFlight: plan({ entry: [...ref.entry.filter((c) => c !== checkCallInFlight), checkSessionContext, checkCallInFlight], body: [] }),
  trxBindingBeforeContext: plan({ body: [trxBindingFirst, checkSessionContext] }),
  databasesClosedBeforeContextCheck: plan({ body: [], cleanup: [closeDatabasesThenContext(), ...ref.cleanup] }),
  refuseOpenTransaction: plan({ body: [...ref.body, refuseOpenTransaction] }),
  refuseOpenCursors: plan({ body: [...ref.body, refuseOpenCursors] }),
  checksAfterCleanup: checksAfterCleanup(),
  tempTablesBeforeRollback: plan({ cleanup: [closeTempTables, rollbackTransaction, closeDatabases, endSessionFree] }),
} satisfies Record<string, EndSessionPlan>;

/** The databases are closed before the session context is looked at: -1914 comes too late. */
function closeDatabasesThenContext(): EndSessionStep {
  return (core, s, thread) => {
    const err = closeDatabases(core, s, thread);
    if (err !== 0) return err;
    return checkSessionContext(core.p, s, thread);
  };
}

export type MorePlanName = keyof typeof morePlans;
