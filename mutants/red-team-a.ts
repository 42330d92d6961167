/**
 * Bugs of the success path and the grbit (red team A): what ports, emulators and reimplementations
 * get wrong when JetEndSession succeeds, each one postcondition wrong and everything else the
 * reference's. A resource kind released on one path only, a lock kept as a flag instead of a count,
 * a rollback that commits before-images, a binding or a validation in the wrong place, a grbit read
 * as a signed number. Plans replace a step of JetEndSession (oracle/endsession.ts); wrappers change
 * what an implementation answers around the reference and forget what they tracked at each reset.
 */
import type { AdapterStatus, CallResult } from '../adapters/types';
import type { ArgsOf, HandleArg, OperationName } from '../api';
import { JET_bits, JET_constants, JET_errors as E } from '../api';
import {
  closeDatabases,
  closeTempTables,
  referenceEndSession,
  rollbackTransaction,
  type EndSessionPlan,
  type EndSessionStep,
} from '../oracle/endsession';
import { Cursor, Pos } from '../oracle/cursor';
import { Rec } from '../oracle/records';
import { cancelPrepared, closeDatabaseOnce, finalClose } from '../oracle/resources';
import type { Session } from '../oracle/session';
import type { Table } from '../oracle/table';
import type { MutantSpec } from './types';
import { WrappedImplementation, errOf, handleKey, returned } from './wrap';
import { plan, replace, withEndSession } from './engine-plans';
import { both, wrapped } from './entries';

const ref = referenceEndSession;


const sesidOf = (args: unknown): HandleArg => (args as { sesid: HandleArg }).sesid;
const isBegin = (op: OperationName) => op === 'JetBeginTransaction' || op === 'JetBeginTransaction2';
const newSesid = (r: CallResult): string | undefined => (r.kind === 'returned' ? (r.out as { sesid?: string } | undefined)?.sesid : undefined);

/** A wrapper that tracks something per handle: what it tracked is forgotten at each reset (handles are issued afresh). */
abstract class TrackingWrapper extends WrappedImplementation {
  protected abstract forget(): void;

  override async reset(): Promise<AdapterStatus> {
    this.forget();
    return this.inner.reset();
  }
}

/** A wrapper that remembers the sessions JetEndSession ended, until a new session is handed the same handle. */
abstract class EndedSessions extends TrackingWrapper {
  protected readonly ended = new Set<string>();

  protected forget(): void {
    this.ended.clear();
  }

  protected note<O extends OperationName>(op: O, args: ArgsOf<O>, r: CallResult<O>): CallResult<O> {
    if (op === 'JetEndSession' && errOf(r) === 0) this.ended.add(handleKey(sesidOf(args)));
    const issued = newSesid(r);
    if (issued !== undefined) this.ended.delete(handleKey(issued));
    return r;
  }
}

// ---- Handles ---------------------------------------------------------------------------------------

/** The cursor calls of another module than navigation look the tableid up first: a dead session's cursor is -1310. */
const tableidFirst = new Set<OperationName>(['JetCloseTable', 'JetDupCursor', 'JetPrepareUpdate', 'JetUpdate', 'JetDelete', 'JetSetColumn', 'JetRetrieveColumn']);

export class TableidCheckedBeforeSesid extends EndedSessions {
  override async call<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<CallResult<O>> {
    if (tableidFirst.has(op) && this.ended.has(handleKey(sesidOf(args)))) return returned<O>(E.JET_errInvalidTableId);
    return this.note(op, args, await this.inner.call(thread, op, args));
  }
}

/** JetCloseDatabase closes by dbid without validating the session: a dead session's dbid closes with success. */
export class CloseDatabaseSkipsSesidCheck extends EndedSessions {
  override async call<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<CallResult<O>> {
    if (op === 'JetCloseDatabase' && this.ended.has(handleKey(sesidOf(args)))) return returned<O>(E.JET_errSuccess);
    return this.note(op, args, await this.inner.call(thread, op, args));
  }
}

// ---- The transaction's thread binding and the grbit --------------------------------------------------

/**
 * The thread a transaction was begun on (without a session context) stays recorded after the
 * transaction commits or rolls back to level 0: the idle session is refused (-1910) on any other thread.
 */
export class TrxBindingKeptAfterTransaction extends TrackingWrapper {
  private readonly bound = new Map<string, string>();
  private readonly level = new Map<string, number>();
  private readonly withContext = new Set<string>();

  protected forget(): void {
    this.bound.clear();
    this.level.clear();
    this.withContext.clear();
  }

  override async call<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<CallResult<O>> {
    const k = op === 'JetBeginSession' || op === 'JetCreateInstance' || op === 'JetInit' ? '' : handleKey(sesidOf(args));
    const on = this.bound.get(k);
    if (op === 'JetEndSession' && on !== undefined && on !== thread && (this.level.get(k) ?? 0) === 0) return returned<O>(E.JET_errSessionSharingViolation);
    const r = await this.inner.call(thread, op, args);
    if ((errOf(r) ?? -1) < 0) return r;
    const level = this.level.get(k) ?? 0;
    if (op === 'JetSetSessionContext') this.withContext.add(k);
    else if (op === 'JetResetSessionContext') this.withContext.delete(k);
    else if (isBegin(op)) {
      if (level === 0 && !this.withContext.has(k)) this.bound.set(k, thread);
      this.level.set(k, level + 1);
    } else if (op === 'JetCommitTransaction') this.level.set(k, Math.max(0, level - 1));
    else if (op === 'JetRollback') this.level.set(k, ((args as ArgsOf<'JetRollback'>).grbit & JET_bits.JET_bitRollbackAll) !== 0 ? 0 : Math.max(0, level - 1));
    else if (op === 'JetEndSession') {
      this.bound.delete(k);
      this.level.delete(k);
      this.withContext.delete(k);
    }
    return r;
  }
}

/** JET_bitForceSessionClosed taken at its word on the wrong thread: the transaction is rolled back on its own thread and the session ended. */
export class ForceEndsAcrossThreads extends TrackingWrapper {
  private readonly trxThread = new Map<string, string>();

  protected forget(): void {
    this.trxThread.clear();
  }

  override async call<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<CallResult<O>> {
    const r = await this.inner.call(thread, op, args);
    if (!isBegin(op) && op !== 'JetEndSession') return r;
    const k = handleKey(sesidOf(args));
    if (isBegin(op) && errOf(r) === 0) this.trxThread.set(k, thread);
    if (op !== 'JetEndSession') return r;
    if (errOf(r) === 0) this.trxThread.delete(k);
    const owner = this.trxThread.get(k);
    if (errOf(r) !== E.JET_errSessionSharingViolation || ((args as ArgsOf<'JetEndSession'>).grbit & JET_bits.JET_bitForceSessionClosed) === 0 || owner === undefined) return r;
    await this.inner.call(owner, 'JetRollback', { sesid: sesidOf(args), grbit: JET_bits.JET_bitRollbackAll });
    return this.inner.call(thread, op, args);
  }
}

/** The grbit compared as a signed 32-bit number: 2..0x7FFFFFFF are refused (-900), a word with the top bit set (0xFFFFFFFF) passes. */
export class GrbitCheckedAsSigned extends WrappedImplementation {
  override async call<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<CallResult<O>> {
    if (op === 'JetEndSession' && ((args as ArgsOf<'JetEndSession'>).grbit | 0) > JET_bits.JET_bitForceSessionClosed) return returned<O>(E.JET_errInvalidGrbit);
    return this.inner.call(thread, op, args);
  }
}

/** Unknown grbit bits refused (-1003) by the sort clean-up stage, after it closed the session's temp tables. */
export class UnknownGrbitRefusedAfterSortsClosed extends TrackingWrapper {
  private readonly temps = new Map<string, Set<HandleArg>>();

  protected forget(): void {
    this.temps.clear();
  }

  override async call<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<CallResult<O>> {
    if (op === 'JetEndSession' && ((args as ArgsOf<'JetEndSession'>).grbit & ~JET_bits.JET_bitForceSessionClosed) !== 0) {
      const k = handleKey(sesidOf(args));
      for (const tableid of this.temps.get(k) ?? []) await this.inner.call(thread, 'JetCloseTable', { sesid: sesidOf(args), tableid });
      this.temps.delete(k);
      return returned<O>(E.JET_errInvalidParameter);
    }
    const r = await this.inner.call(thread, op, args);
    if (errOf(r) !== 0) return r;
    if (op === 'JetOpenTempTable') {
      const tableid = (r.kind === 'returned' ? (r.out as { tableid?: string } | undefined)?.tableid : undefined) ?? undefined;
      const k = handleKey(sesidOf(args));
      if (tableid !== undefined) this.temps.set(k, (this.temps.get(k) ?? new Set()).add(tableid));
    } else if (op === 'JetCloseTable') {
      const closed = handleKey((args as ArgsOf<'JetCloseTable'>).tableid);
      for (const set of this.temps.values()) for (const t of set) if (handleKey(t) === closed) set.delete(t);
    }
    return r;
  }
}

// ---- Cursors ------------------------------------------------------------------------------------------

/** JetEndSession saves an update prepared and never applied, as if closing the cursor applied its copy buffer. */
export class PendingUpdateSavedAtEnd extends TrackingWrapper {
  private readonly prepared = new Map<string, Map<string, HandleArg>>();

  protected forget(): void {
    this.prepared.clear();
  }

  override async call<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<CallResult<O>> {
    const k = op === 'JetCreateInstance' || op === 'JetInit' || op === 'JetBeginSession' ? '' : handleKey(sesidOf(args));
    if (op === 'JetEndSession') for (const tableid of this.prepared.get(k)?.values() ?? []) await this.inner.call(thread, 'JetUpdate', { sesid: sesidOf(args), tableid });
    const r = await this.inner.call(thread, op, args);
    if (errOf(r) !== 0) return r;
    if (op === 'JetPrepareUpdate') {
      const a = args as ArgsOf<'JetPrepareUpdate'>;
      const mine = this.prepared.get(k) ?? new Map<string, HandleArg>();
      this.prepared.set(k, mine);
      if (a.prep === JET_constants.JET_prepCancel) mine.delete(handleKey(a.tableid));
      else mine.set(handleKey(a.tableid), a.tableid);
    } else if (op === 'JetUpdate' || op === 'JetCloseTable') this.prepared.get(k)?.delete(handleKey((args as ArgsOf<'JetUpdate'>).tableid));
    else if (op === 'JetEndSession') this.prepared.delete(k);
    return r;
  }
}

/** Temp tables still sorts are closed; a materialized one (no key column) is left open, with its cursor. */
const closeSortsOnly: EndSessionStep = (core, s) => {
  for (const c of s.temps) {
    if (!c.sortSlot) continue;
    const err = core.faults.take('close-sort');
    if (err !== 0) return err;
    finalClose(core.p, c);
  }
  return 0;
};

/** Every database open closed, but the cursors closed with the first database only: the others' cursors keep their locks. */
const closeCursorsOfFirstDatabaseOnly: EndSessionStep = (core, s) => {
  let first = true;
  for (const db of [...s.dbOpens.keys()]) {
    while (s.dbOpens.has(db)) {
      const err = core.faults.take('close-database');
      if (err !== 0) return err;
      closeDatabaseOnce(core.p, s, db, first);
    }
    first = false;
  }
  return 0;
};

// ---- The rollback -------------------------------------------------------------------------------------

/**
 * The rollback writes the before-images back as a new commit (a compensating commit) instead of
 * dropping the session's versions: the data is right, but a transaction begun before the end now
 * conflicts (-1102) on every record the ended session had changed.
 */
const rollbackByCompensatingCommit: EndSessionStep = (core, s, thread) => {
  const touched = new Set<Rec>();
  for (let level = 1; level <= s.level; level++) for (const u of s.frames[level]?.undo ?? []) if (u instanceof Rec) touched.add(u);
  const err = rollbackTransaction(core, s, thread);
  if (err !== 0 || touched.size === 0) return err;
  const ts = ++core.p.clock;
  for (const rec of touched) {
    const last = rec.lastVersion();
    if (!rec.removed && last !== undefined && rec.writer === null) rec.versions.push({ ts, values: last.values });
  }
  return 0;
};

// ---- Other sessions -------------------------------------------------------------------------------------

/**
 * The rollback puts every cursor standing on a record it restored before first, other sessions'
 * too (currency dropped with the versions it undid): their next relative move fails (-1603).
 */
const rollbackMovesOthersCursors: EndSessionStep = (core, s, thread) => {
  const touched = new Set<Rec>();
  for (let level = 1; level <= s.level; level++) for (const u of s.frames[level]?.undo ?? []) if (u instanceof Rec) touched.add(u);
  const tables = tablesOf(s);
  const err = rollbackTransaction(core, s, thread);
  if (err !== 0) return err;
  for (const t of tables) {
    for (const c of t.cursors) {
      if (!(c instanceof Cursor) || c.session === s || c.rec === null || !touched.has(c.rec)) continue;
      c.pos = Pos.BeforeFirst;
      c.rec = null;
    }
  }
  return 0;
};

function tablesOf(s: Session): Set<Table> {
  const tables = new Set<Table>();
  for (const set of s.cursorsByDb.values()) for (const c of set) tables.add(c.table);
  for (const c of s.deferred) tables.add(c.table);
  return tables;
}

/** Runs `after` on the tables the session had cursors on, once the reference clean-up has freed it. */
function onTablesAfterEnd(after: (tables: Set<Table>) => void): EndSessionPlan {
  const held = new WeakMap<Session, Set<Table>>();
  const remember: EndSessionStep = (_core, s) => {
    held.set(s, tablesOf(s));
    return 0;
  };
  const apply: EndSessionStep = (_core, s) => {
    after(held.get(s) ?? new Set());
    held.delete(s);
    return 0;
  };
  return plan({ cleanup: [remember, ...ref.cleanup, apply] });
}

/** Table locks kept as flags, not counts: the end clears them on every table it closed a cursor on, whoever else holds them. */
const tableLocksCleared = onTablesAfterEnd((tables) => {
  for (const t of tables) {
    t.denyReadCount = 0;
    t.denyWriteCount = 0;
  }
});

/** Prepared updates kept per table: the end cancels every cursor's prepared update on the tables it used. */
const preparedUpdatesOfTableCancelled = onTablesAfterEnd((tables) => {
  for (const t of tables) for (const c of t.cursors) if (c instanceof Cursor && c.prep !== null) cancelPrepared(c);
});

export const redTeamAPlans = {
  materializedTempTablesLeftOpen: plan({ cleanup: replace(ref.cleanup, closeTempTables, closeSortsOnly) }),
  cursorsOfFirstDatabaseOnly: plan({ cleanup: replace(ref.cleanup, closeDatabases, closeCursorsOfFirstDatabaseOnly) }),
  rollbackByCompensatingCommit: plan({ cleanup: replace(ref.cleanup, rollbackTransaction, rollbackByCompensatingCommit) }),
  tableLocksCleared,
  preparedUpdatesOfTableCancelled,
  rollbackMovesOthersCursors: plan({ cleanup: replace(ref.cleanup, rollbackTransaction, rollbackMovesOthersCursors) }),
} satisfies Record<string, EndSessionPlan>;

export type RedTeamAPlanName = keyof typeof redTeamAPlans;

function engine(name: string, which: RedTeamAPlanName, description: string, killedBy: MutantSpec['killedBy']): MutantSpec {
  return { name, description, kind: 'engine', plan: which, killedBy, create: (options) => new WrappedImplementation(withEndSession(redTeamAPlans[which], options), name) };
}

export const redTeamAMutants: readonly MutantSpec[] = [
  wrapped('tableid-checked-before-sesid', 'cursor calls other than JetMove look the tableid up before the sesid: after the end they answer -1310 (InvalidTableId), not -1104',
    both(['ES-HANDLE-CLOSED']), (inner, name) => new TableidCheckedBeforeSesid(inner, name)),
  wrapped('close-database-skips-sesid-check', 'JetCloseDatabase does not validate the session: the ended session\'s dbid closes with JET_errSuccess',
    both(['ES-HANDLE-CLOSED']), (inner, name) => new CloseDatabaseSkipsSesidCheck(inner, name)),
  wrapped('trx-binding-kept-after-transaction', 'a transaction\'s thread binding is not cleared at level 0: a session idle again after a transaction on t2 is refused (-1910) on t1',
    both(['ES-SUCCESS-IDLE']), (inner, name) => new TrxBindingKeptAfterTransaction(inner, name)),
  wrapped('force-ends-across-threads', 'JET_bitForceSessionClosed rolls back a transaction bound to another thread and ends the session (grbit 0: -1910)',
    both(['ES-GRBIT-FORCE-NOOP']), (inner, name) => new ForceEndsAcrossThreads(inner, name)),
  wrapped('grbit-checked-as-signed', 'the grbit is compared as a signed number: 2..0x7FFFFFFF are refused with -900 (InvalidGrbit), 0xFFFFFFFF passes',
    both(['ES-GRBIT-UNKNOWN']), (inner, name) => new GrbitCheckedAsSigned(inner, name)),
  wrapped('unknown-grbit-refused-after-sorts-closed', 'an unknown grbit is refused (-1003) only after the session\'s temp tables were closed',
    both(['ES-GRBIT-UNKNOWN']), (inner, name) => new UnknownGrbitRefusedAfterSortsClosed(inner, name)),
  wrapped('pending-update-saved-at-end', 'an update prepared and never applied is saved when JetEndSession closes its cursor (outside a transaction it stays)',
    both(['ES-CURSORS-CLOSED']), (inner, name) => new PendingUpdateSavedAtEnd(inner, name)),
  engine('materialized-temp-tables-left-open', 'materializedTempTablesLeftOpen', 'temp tables without a key column (materialized, no sort slot) are not closed: their cursors stay taken',
    both(['ES-SORTS-CLOSED', 'ES-GRBIT-FORCE-NOOP'])),
  engine('cursors-of-first-database-only', 'cursorsOfFirstDatabaseOnly', 'every database is closed, but only the cursors on the first one: a DenyRead lock on another database stays',
    both(['ES-CURSORS-CLOSED'])),
  engine('rollback-by-compensating-commit', 'rollbackByCompensatingCommit', 'the rollback commits the before-images as a new version: a transaction begun before the end conflicts (-1102) on those records',
    both(['ES-ROLLBACK-LEVEL1', 'ES-ROLLBACK-NESTED'])),
  engine('table-locks-cleared', 'tableLocksCleared', 'table locks are flags, not counts: the end clears another session\'s JET_bitTableDenyWrite on a table it used',
    both(['ES-OTHER-SESSIONS-UNTOUCHED'])),
  engine('prepared-updates-of-table-cancelled', 'preparedUpdatesOfTableCancelled', 'the end cancels the prepared updates of every cursor on the tables it used, another session\'s too',
    both(['ES-OTHER-SESSIONS-UNTOUCHED'])),
  engine('rollback-moves-others-cursors', 'rollbackMovesOthersCursors', 'the rollback puts every cursor on a record it restored before first, another session\'s too: its JetMove(JET_MovePrevious) answers -1603',
    both(['ES-OTHER-SESSIONS-UNTOUCHED'])),
];
