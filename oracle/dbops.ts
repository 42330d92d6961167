/**
 * Databases, tables, cursors and temp tables (db.cxx ErrDBOpenDatabase/ErrDBCloseDatabase,
 * fileopen.cxx ErrFILEOpenTable/ErrFILEISetMode, fcreate.cxx, sortapi.cxx; Errata 1, 7, 9).
 */
import { JET_bits as B, JET_constants, JET_errors as E } from '../api/codes';
import type { JET_ERR } from '../api/codes';
import type { OpImpl } from './api';
import { fail, ok } from './api';
import type { Cursor } from './cursor';
import { Pos } from './cursor';
import { enterDbid, enterSesid, enterTableid, openedDb } from './entry';
import { move } from './navigate';
import type { Instance } from './instance';
import { closeCursor, closeDatabaseOnce, deferredToReuse, dropExclusiveOpen, openCursor, openDatabase, reuseDeferred } from './resources';
import type { Session } from './session';
import { DbFile, Table, fileKey, modelledColtyps } from './table';
import { beginTransaction, internalTrxErr, leaksInternalTrx, markVersioned, trxContextOk } from './transaction';

function sessionOfEntry(e: { s: Session | null }): Session {
  return e.s as Session;
}

export const JetCreateDatabase: OpImpl<'JetCreateDatabase'> = {
  enter: (core, thread, a) => enterSesid(core, thread, a.sesid, false),
  body: (core, e, a) => {
    const s = sessionOfEntry(e);
    if (s.level > 0) return fail(E.JET_errInTransaction);
    if (a.filename === '') return fail(E.JET_errDatabaseInvalidPath);
    const key = fileKey(a.filename);
    // FMP::ErrNewAndWriteLatch looks for the name among the FMPs in use first: another instance's
    // is JET_errDatabaseSharingViolation (fmp.cxx 1190-1233), this instance's becomes -1201 (db.cxx
    // 1788-1791). Engine, fuzz seed 501: -1215 from a second instance.
    const existing = core.p.folder.get(key);
    if (existing !== undefined && existing.attachedTo !== null && existing.attachedTo !== s.instance) return fail(E.JET_errDatabaseSharingViolation);
    if (existing !== undefined) return fail(E.JET_errDatabaseDuplicate);
    // Off the context's thread at level 0 (triage item 10), ErrDBInitDatabase's transaction fails
    // -1910 (db.cxx 275-305); a logged creation that fails takes the instance offline and purges the
    // half-created file (db.cxx 2296-2318). Engine, fuzz seed 912: -1910, then -1090 for every call
    // but JetTerm (0); a new instance finds no file.
    if (leaksInternalTrx(s, e.thread)) {
      s.instance.unavailableCause = E.JET_errSessionSharingViolation;
      return fail(E.JET_errSessionSharingViolation);
    }
    const db = new DbFile(a.filename);
    core.p.folder.set(key, db);
    attach(core.p, s.instance, db);
    openDatabase(s, db, false);
    return ok({ dbid: db.dbid });
  },
};

function attach(p: { allocDbid(db: DbFile): number }, inst: Instance, db: DbFile): void {
  db.attachedTo = inst;
  db.dbid = p.allocDbid(db);
  inst.attached.add(db);
}

export const JetAttachDatabase: OpImpl<'JetAttachDatabase'> = {
  enter: (core, thread, a) => enterSesid(core, thread, a.sesid, false),
  body: (core, e, a) => {
    const s = sessionOfEntry(e);
    if (s.level > 0) return fail(E.JET_errInTransaction);
    if (a.filename === '') return fail(E.JET_errDatabaseInvalidPath);
    const db = core.p.folder.get(fileKey(a.filename));
    if (db === undefined) return fail(E.JET_errFileNotFound);
    // A dirty term's file, not yet recovered: its header is inconsistent (db.cxx 2843-2844). Engine:
    // -550 from an instance initialized before the dirty term; 0 after the next JetInit.
    if (db.dirty) return fail(E.JET_errDatabaseDirtyShutdown);
    if (db.attachedTo === s.instance) return { err: E.JET_wrnDatabaseAttached };
    if (db.attachedTo !== null) return fail(E.JET_errDatabaseSharingViolation);
    attach(core.p, s.instance, db);
    return ok();
  },
};

/** Errata 9: exclusive held by another session -1207; exclusive asked while anyone has it open -1202. */
export const JetOpenDatabase: OpImpl<'JetOpenDatabase'> = {
  enter: (core, thread, a) => enterSesid(core, thread, a.sesid, false),
  body: (core, e, a) => {
    const s = sessionOfEntry(e);
    if (a.filename === '') return fail(E.JET_errDatabaseInvalidPath);
    const db = core.p.folder.get(fileKey(a.filename));
    if (db === undefined || db.attachedTo !== s.instance) return fail(E.JET_errDatabaseNotFound);
    if (db.exclusiveBy !== null && db.exclusiveBy !== s) return fail(E.JET_errDatabaseLocked);
    const exclusive = (a.grbit & B.JET_bitDbExclusive) !== 0;
    if (exclusive && db.pins > 0) return fail(E.JET_errDatabaseInUse);
    openDatabase(s, db, exclusive);
    return ok({ dbid: db.dbid });
  },
};

export const JetCloseDatabase: OpImpl<'JetCloseDatabase'> = {
  enter: (core, thread, a) => enterDbid(core, thread, a.sesid, a.dbid, true),
  body: (core, e, a) => {
    const s = sessionOfEntry(e);
    closeDatabaseOnce(core.p, s, openedDb(core, s, a.dbid) as DbFile, true);
    return ok();
  },
};

/** Room for one more cursor, and (for a table nobody has open) one more open table. */
function quota(inst: Instance, table: Table): JET_ERR {
  if (table.cursors.size === 0 && inst.openTableCount >= inst.params.maxOpenTables) return E.JET_errTooManyOpenTables;
  if (inst.cursorCount >= inst.params.maxCursors) return E.JET_errOutOfCursors;
  return 0;
}

/** The table is returned opened with DenyRead (fcreate.cxx opens it JET_bitTableCreate|DenyRead). */
export const JetCreateTable: OpImpl<'JetCreateTable'> = {
  enter: (core, thread, a) => enterDbid(core, thread, a.sesid, a.dbid, false),
  body: (core, e, a) => {
    const s = sessionOfEntry(e);
    const db = openedDb(core, s, a.dbid) as DbFile;
    // ErrFILECreateTable checks the name first (fcreate.cxx 2675, ErrUTILCheckName); the read-only
    // transaction fails later, when the table is written. Engine, fuzz seed 502: "" -1002 in a
    // read-only transaction.
    if (a.tablename === '') return fail(E.JET_errInvalidName);
    // Then the nested transaction (fcreate.cxx 2771), before any write (-1110, bt.cxx 1632) or
    // lookup. Engine: after JetResetSessionContext in a read-only transaction -1910, a duplicate
    // name -1910, "" -1002.
    const trxErr = internalTrxErr(s, e.thread);
    if (trxErr !== 0) return fail(trxErr);
    // Triage item 10: off the context's thread at level 0 the begin (2771) leaks its level and the
    // first nested begin (ErrDIRCreateDirectory's) fails before the name is looked up. Engine: a new
    // name and a duplicate both -1910, nothing created, the level left to the context's owner.
    if (leaksInternalTrx(s, e.thread)) {
      beginTransaction(core.p, s, e.thread, false);
      return fail(E.JET_errSessionSharingViolation);
    }
    if (s.readOnlyTrx) return fail(E.JET_errTransReadOnly);
    const key = a.tablename.toLowerCase();
    if (db.tables.has(key)) {
      // ErrCATAddTable finds the name (cat.cxx 2598) after ErrDIRCreateDirectory allocated the
      // table's space (fcreate.cxx 2781); the error path's rollback (3040) frees it through
      // VERIFreeExt (ver.cxx 5132-5176), which opens and closes the database for the session, and
      // that close drops the session's exclusive open (ErrDBCloseDatabase, db.cxx 6446-6447).
      // Engine (fuzz seed 802): after a -1303 on a database s opened exclusively, another session
      // opens it (0, not -1207).
      dropExclusiveOpen(s, db);
      return fail(E.JET_errTableDuplicate);
    }
    const table = new Table(a.tablename, db);
    const quotaErr = quota(s.instance, table);
    if (quotaErr !== 0) return fail(quotaErr);
    db.tables.set(key, table);
    if (s.level > 0) {
      table.uncommittedBy = s;
      s.frame(s.level).undo.push({ kind: 'create-table', table });
    }
    const c = openCursor(core.p, s, table, db, null);
    lock(c, true, false);
    markVersioned(s, c);
    return ok({ tableid: c.handle });
  },
};

function lock(c: Cursor, denyRead: boolean, denyWrite: boolean): void {
  const t = c.table;
  if (denyRead) {
    c.denyRead = true;
    t.denyReadCount++;
    t.denyReadBy = c.session;
  }
  if (denyWrite) {
    c.denyWrite = true;
    t.denyWriteCount++;
  }
}

export const JetAddColumn: OpImpl<'JetAddColumn'> = {
  enter: (core, thread, a) => enterTableid(core, thread, a.sesid, a.tableid, false),
  body: (core, e, a) => {
    const s = sessionOfEntry(e);
    const c = e.c as Cursor;
    // A temp table's dispatch table has ErrIllegalAddColumn (sortapi.cxx 2847-3154, jetapi.cxx 104-110).
    if (c.temp) return fail(E.JET_errIllegalOperation);
    if (!c.updatable) return fail(E.JET_errPermissionDenied);
    if (s.readOnlyTrx) return fail(E.JET_errTransReadOnly);
    if (a.column === '') return fail(E.JET_errInvalidName);
    if (!modelledColtyps.has(a.coltyp)) return fail(E.JET_errInvalidColumnType);
    // ErrIsamAddColumn validates (fcreate.cxx 3325-3393), begins a nested transaction (3447), then
    // looks for the name (3456). Engine, after JetResetSessionContext: read-only transaction -1110,
    // "" -1002, coltyp 99 -1511, a duplicate name -1910.
    const trxErr = internalTrxErr(s, e.thread);
    if (trxErr !== 0) return fail(trxErr);
    // Triage item 10: off the context's thread at level 0 the begin (3447) leaks its level; the
    // duplicate check (3456) still answers, then the catalog's nested begin fails. Engine: a new
    // column -1910 and not added (the context's thread adds the same name afterwards).
    const leak = leaksInternalTrx(s, e.thread);
    if (leak) beginTransaction(core.p, s, e.thread, false);
    if (c.table.byName.has(a.column.toLowerCase())) return fail(E.JET_errColumnDuplicate);
    if (leak) return fail(E.JET_errSessionSharingViolation);
    const column = c.table.addColumn(a.column, a.coltyp);
    if (s.level > 0) {
      column.uncommittedBy = s;
      s.frame(s.level).undo.push({ kind: 'add-column', table: c.table, column });
    } else column.committedTs = ++core.p.clock; // its own nested transaction, committed (versions.ts columnVisible)
    markVersioned(s, c);
    // ErrIsamAddColumn sets the cursor's currency before first (fcreate.cxx 3827-3833).
    c.pos = Pos.BeforeFirst;
    c.rec = null;
    return ok({ columnid: column.columnid });
  },
};

/**
 * ErrFILEOpenTable / ErrFILEICheckAndSetMode / ErrFILEISetMode: DenyRead with ReadOnly -900;
 * a table locked DenyRead by another session -1302; Updatable against another's DenyWrite -1302;
 * DenyWrite while anyone holds DenyWrite or another session has an updatable cursor -1304;
 * DenyRead while another session has any cursor on it -1304. No background cursors: never +1327.
 */
export const JetOpenTable: OpImpl<'JetOpenTable'> = {
  enter: (core, thread, a) => enterDbid(core, thread, a.sesid, a.dbid, false),
  body: (core, e, a) => {
    const s = sessionOfEntry(e);
    const db = openedDb(core, s, a.dbid) as DbFile;
    const grbit = a.grbit >>> 0;
    const denyRead = (grbit & B.JET_bitTableDenyRead) !== 0;
    const denyWrite = (grbit & B.JET_bitTableDenyWrite) !== 0;
    const readOnly = (grbit & B.JET_bitTableReadOnly) !== 0;
    if (denyRead && readOnly) return fail(E.JET_errInvalidGrbit);
    // ErrFILEOpenTable checks the name first (fileopen.cxx 1455, ErrUTILCheckName): "" is -1002.
    if (a.tablename === '') return fail(E.JET_errInvalidName);
    // Triage item 10: a read-only transaction begins at level 0 before the lookup (fileopen.cxx
    // 1553-1556); off the context's thread its level leaks, whatever the lookup and the mode checks
    // answer, and a success's commit (1689 or 1856) fails: the cursor is closed (1969-1985). Engine:
    // -1305 for a missing table, -1304 for a mode conflict, -1910 else, each with a read-only level.
    const leak = leaksInternalTrx(s, e.thread);
    if (leak) beginTransaction(core.p, s, e.thread, true);
    const table = db.tables.get(a.tablename.toLowerCase());
    if (table === undefined || !table.visibleTo(s)) return fail(E.JET_errObjectNotFound);
    // A defer-closed cursor of the session on the table is taken instead of a new one: no slot.
    const reusable = deferredToReuse(s, table, db);
    const quotaErr = reusable !== undefined ? 0 : quota(s.instance, table);
    if (quotaErr !== 0) return fail(quotaErr);
    if (readOnly && (grbit & B.JET_bitTableUpdatable) !== 0) return fail(E.JET_errInvalidGrbit);
    const modeErr = checkMode(table, s, grbit);
    if (modeErr !== 0) return fail(modeErr);
    if (leak) return fail(E.JET_errSessionSharingViolation);
    const c = reusable !== undefined ? reuseDeferred(s, reusable) : openCursor(core.p, s, table, db, null);
    c.updatable = !readOnly;
    lock(c, denyRead, denyWrite);
    return ok({ tableid: c.handle });
  },
};

function checkMode(t: Table, s: Session, grbit: number): JET_ERR {
  const deniedToUs = t.denyReadCount > 0 && t.denyReadBy !== s;
  if ((grbit & (B.JET_bitTableDenyRead | B.JET_bitTableDenyWrite)) === 0 && !deniedToUs && t.denyWriteCount === 0) return 0;
  if (deniedToUs) return E.JET_errTableLocked;
  if ((grbit & B.JET_bitTableUpdatable) !== 0 && t.denyWriteCount > 0) {
    for (const c of t.cursors) if (c.owner !== s && c.denyWrite) return E.JET_errTableLocked;
  }
  if ((grbit & B.JET_bitTableDenyWrite) !== 0) {
    if (t.denyWriteCount > 0) return E.JET_errTableInUse;
    for (const c of t.cursors) if (c.owner !== s && c.updatable) return E.JET_errTableInUse;
  }
  if ((grbit & B.JET_bitTableDenyRead) !== 0) {
    for (const c of t.cursors) if (c.owner !== s) return E.JET_errTableInUse;
  }
  return 0;
}

/** A new cursor on the same table: no locks, same updatability, deferred-first (fileopen.cxx). */
export const JetDupCursor: OpImpl<'JetDupCursor'> = {
  enter: (core, thread, a) => enterTableid(core, thread, a.sesid, a.tableid, false),
  body: (core, e) => {
    const s = sessionOfEntry(e);
    const src = e.c as Cursor;
    if (src.temp) {
      // A sort in insert mode has ErrIllegalDupCursor (vtfndefTTSortIns, sortapi.cxx 2915); in return
      // mode ErrTTSortRetDupCursor (2976, 3466-3475): ErrIsamSortDupCursor links a new cursor to the
      // SCB, in return mode, and moves it to the first record (845-852; engine: 0, the duplicate on
      // the first record; of an empty sort, no current record). A materialized temp table's has
      // ErrTTBaseDupCursor (3038, 3478-3486): a second cursor on it (engine: 0, seed 313).
      const sort = src.sort;
      if (sort !== null && sort.mode === 'insert') return fail(E.JET_errIllegalOperation);
      if (s.instance.cursorCount >= s.instance.params.maxCursors) return fail(E.JET_errOutOfCursors);
      const dup = openCursor(core.p, s, src.table, null, sort);
      if (sort !== null) {
        dup.pos = Pos.BeforeFirst;
        move(dup, JET_constants.JET_MoveFirst);
        return ok({ tableid: dup.handle });
      }
      // A materialized temp table is an index cursor: ErrIsamSortDupCursor hands it to ErrIsamDupCursor
      // (sortapi.cxx 819-823) before the sort path that moves to the first record (845-852), so the
      // duplicate is deferred first like a table's. Engine: JetPrepareUpdate(replace) on the duplicate
      // 0 (fuzz seed 602); duplicated while empty, then an insert through it: JetMove(Next) -1603 and
      // JetMove(Previous) 0 (fuzz seed 714; the reference, on the first record, answered 0 and -1603).
      return ok({ tableid: dup.handle });
    }
    // ErrIsamDupCursor opens through ErrDIROpen (fileopen.cxx 22), so ErrBTOpen takes the session's
    // defer-closed cursor on the table, as JetOpenTable's does (triage item 16; engine: the dup of an
    // inserting cursor, closed, answers -1329 after JetStopServiceInstance, a live handle).
    const db = src.db as DbFile;
    const reusable = deferredToReuse(s, src.table, db);
    const quotaErr = reusable !== undefined ? 0 : quota(s.instance, src.table);
    if (quotaErr !== 0) return fail(quotaErr);
    const c = reusable !== undefined ? reuseDeferred(s, reusable) : openCursor(core.p, s, src.table, db, null);
    c.updatable = src.updatable;
    return ok({ tableid: c.handle });
  },
};

export const JetCloseTable: OpImpl<'JetCloseTable'> = {
  enter: (core, thread, a) => enterTableid(core, thread, a.sesid, a.tableid, true),
  body: (core, e) => {
    const c = e.c as Cursor;
    // The last close of a materialized temp table frees its FDP (ErrFILECloseTable, fileopen.cxx
    // 2152-2241) with ErrSPFreeFDP, which begins a transaction at level 0 (space.cxx 10882-10886)
    // and commits it (11044) ignoring the result: off the session context's thread the level leaks
    // (triage item 10) and the close still answers 0. Engine (fuzz seed 804): context set on t2, the
    // close on t1 0, then JetOpenTable on t1 0 (not -1910) and the owner's JetRollback 0.
    const s = sessionOfEntry(e);
    if (c.temp && c.sort === null && c.table.cursors.size === 1 && leaksInternalTrx(s, e.thread)) beginTransaction(core.p, s, e.thread, false);
    closeCursor(core.p, c);
    return ok();
  },
};

/**
 * Cursors a materialization needs on top of the sort's own while it builds the table
 * (ErrIsamSortMaterialize, sortapi.cxx 2319-2380: ErrFILECreateTable in the temp database). Measured
 * on the engine: with MaxCursors 8, 12 and 32, 3, 7 and 27 temp tables without a key column open
 * before -1013 (each then holds one cursor: 5 keyed ones still open after the 3).
 */
const materializeCursors = 5;

/**
 * ErrIsamOpenTempTable (sortapi.cxx 3257-3318): a temp table is opened as a sort, which takes a
 * cursor and an SCB (the instance-wide MaxTemporaryTables quota: -1701 when used up, Errata 1), and
 * is materialized at once when no column is a key (JET_bitColumnTTKey), when a long-value column is
 * not restricted to intrinsic values, or on JET_bitTTForceMaterialization; materialization releases
 * the SCB (sortapi.cxx 2621-2628), so only a sort keeps its quota slot.
 */
export const JetOpenTempTable: OpImpl<'JetOpenTempTable'> = {
  enter: (core, thread, a) => enterSesid(core, thread, a.sesid, false),
  body: (core, e, a) => {
    const s = sessionOfEntry(e);
    const inst = s.instance;
    if (inst.params.maxTemporaryTables === 0) return fail(E.JET_errTooManySorts);
    // The instance's first temp table creates the temp database in an internal session, begun and
    // ended at once (ErrPIBOpenTempDatabase, sortapi.cxx 3270, before the sort is opened;
    // sysinit.cxx 361): with every session slot taken, -1101, and the next open tries again.
    if (!inst.tempDbCreated) {
      if (inst.slotsUsed >= inst.params.maxSessions) return fail(E.JET_errOutOfSessions);
      inst.tempDbCreated = true;
      // Engine, fuzz seed 601: a JetCreateDatabase after the first temp table gets dbid 2.
      inst.tempDbid = core.p.allocDbid(new DbFile(''));
    }
    // ErrSORTOpen takes the cursor and the SCB (sort.cxx 92-96) before ErrSORTTableOpen looks at the
    // columns (sortapi.cxx 76, 210: ErrRECAddFieldDef, fileopen.cxx 354-356). Engine, fuzz seed 904:
    // -1701 where the reference answered -1511.
    if (inst.cursorCount >= inst.params.maxCursors) return fail(E.JET_errOutOfCursors);
    if (inst.tempTableCount >= inst.params.maxTemporaryTables) return fail(E.JET_errTooManySorts);
    for (const col of a.columns) if (!modelledColtyps.has(col.coltyp)) return fail(E.JET_errInvalidColumnType);
    const keyed = a.columns.some((col) => (col.grbit & B.JET_bitColumnTTKey) !== 0);
    const longValues = a.columns.some((col) => col.coltyp === JET_constants.JET_coltypLongText);
    const materialized = !keyed || (longValues && (a.grbit & B.JET_bitTTIntrinsicLVsOnly) === 0) || (a.grbit & B.JET_bitTTForceMaterialization) !== 0;
    // Materializing creates a table in a nested transaction (ErrFILECreateTable, fcreate.cxx 2771), whose
    // ErrDIRBeginTransaction checks the transaction's thread or context (dir.cxx 1872-1879).
    if (materialized && s.level > 0 && !trxContextOk(s, e.thread, 'thread')) return fail(E.JET_errSessionSharingViolation);
    if (materialized && inst.cursorCount + 1 + materializeCursors > inst.params.maxCursors) return fail(E.JET_errOutOfCursors);
    // Triage item 10: off the context's thread at level 0 the materialization's ErrFILECreateTable
    // leaks its level as JetCreateTable's does (fcreate.cxx 2771): engine -1910, no temp table, a
    // level left to the context's owner; a sort begins no transaction (engine: 0, no level).
    if (materialized && leaksInternalTrx(s, e.thread)) {
      beginTransaction(core.p, s, e.thread, false);
      return fail(E.JET_errSessionSharingViolation);
    }
    const table = new Table('', null);
    const columnids = a.columns.map((col, i) => table.addColumn(`column${i}`, col.coltyp).columnid);
    // A sort starts in insert mode (ErrIsamSortOpen, sortapi.cxx 326-350: vtfndefTTSortIns).
    const keys = a.columns.flatMap((col, ordinal) => ((col.grbit & B.JET_bitColumnTTKey) !== 0 ? [{ ordinal, descending: (col.grbit & B.JET_bitColumnTTDescending) !== 0 }] : []));
    const c = openCursor(core.p, s, table, null, materialized ? null : { mode: 'insert', grbit: a.grbit >>> 0, keys, refs: 0 });
    c.pos = Pos.BeforeFirst;
    return ok({ tableid: c.handle, columnids });
  },
};
