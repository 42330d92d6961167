/**
 * Opening and closing what a session holds: cursors (with their domain locks and the
 * instance-wide quotas) and database opens. Closing is shared by JetCloseTable,
 * JetCloseDatabase, rollbacks, JetEndSession and JetTerm, so that the limits observe every release.
 */
import { Cursor, Pos } from './cursor';
import type { Sort } from './cursor';
import type { ProcessState } from './process';
import type { Session } from './session';
import type { DbFile, Table } from './table';

/**
 * A new cursor on table, counted against MaxCursors (and MaxOpenTables for a first user cursor).
 * A temp table (db null) counts against MaxTemporaryTables only while it is a sort: its SCB is
 * taken by the first cursor on it and released by the last one's close (SORTClose, sort.cxx
 * 769-810; engine: a sort closed while its duplicate is open still holds its slot, -1701) or by
 * materialization (sortapi.cxx 2621-2628).
 */
export function openCursor(p: ProcessState, s: Session, table: Table, db: DbFile | null, sort: Sort | null): Cursor {
  const c = new Cursor(s, table, db, sort);
  c.levelNavigate = s.level; // DIRInitOpenedCursor (dir.hxx 125-129)
  c.handle = p.handles.issue(c);
  const inst = s.instance;
  inst.cursorCount++;
  if (db === null) {
    if (sort !== null && sort.refs++ === 0) inst.tempTableCount++;
    s.temps.add(c);
  } else {
    if (table.cursors.size === 0) inst.openTableCount++;
    let set = s.cursorsByDb.get(db);
    if (!set) {
      set = new Set();
      s.cursorsByDb.set(db, set);
    }
    set.add(c);
  }
  table.cursors.add(c);
  if (s.level > 0) s.frame(s.level).opened.push(c);
  return c;
}

export function cancelPrepared(c: Cursor): void {
  c.prep = null;
  c.session.prepared.delete(c);
}

/**
 * Closes a cursor. A table cursor that wrote in the open transaction is only defer-closed
 * (Errata 7): its tableid dies now, its locks and quota stay until the transaction ends.
 */
export function closeCursor(p: ProcessState, c: Cursor): void {
  if (c.closed || c.deferred) return;
  cancelPrepared(c);
  const s = c.session;
  // Only a table cursor is ever versioned, and only until its transaction ends (endTransaction).
  if (c.versioned) {
    c.deferred = true;
    (s.cursorsByDb.get(c.db as DbFile) as Set<Cursor>).delete(c);
    s.deferred.add(c);
    return;
  }
  finalClose(p, c);
}

/**
 * The cursor ESE inserts a record through (ErrRECInsert, recupd.cxx 1667-1947: ErrDIROpen on the
 * table, ErrDIRInsert with it, DIRClose), not the user's. Inside a transaction it is the cursor the
 * insert versions, so its close is deferred to level 0 (bt.cxx 770-777): it holds a cursor slot and
 * keeps the table in use, but no domain lock, and a later insert of the session into the table
 * reuses it (ErrBTOpen, bt.cxx 505-560). The user's cursor keeps no lock for an insert. Engine
 * (MaxCursors 16): another session's free cursors 14, 13 after an insert in a transaction, 13 after
 * two more (one nested and committed), 14 after the rollback, 14 after an insert at level 0; with
 * every slot taken the insert still succeeds, at level 0 and in a transaction (then one slot over).
 */
export function insertCursor(p: ProcessState, s: Session, user: Cursor): void {
  if (s.level === 0) return; // opened and closed at once
  for (const d of s.deferred) if (d.table === user.table) return;
  const c = openCursor(p, s, user.table, user.db, null);
  c.versioned = true;
  s.versionedCursors.add(c);
  closeCursor(p, c);
}

/**
 * ErrBTOpen (bt.cxx 496-560): a cursor the session opens on a table takes the session's defer-closed
 * cursor on it, if it has one, instead of a new one: no new cursor slot, its versioned flag kept
 * (536-544), so its close is deferred again (770-777) and its tableid stays a live handle that FEnter
 * checks first (-1329 after JetStopServiceInstance, where a freed one is -1310). Engine (ESENT
 * flavour, MaxCursors 16, another session's JetOpenTable count): after an insert in a transaction
 * with the user's cursor closed 14, with the table opened again 14 (the reference took a slot: 14 ->
 * 13 before), closed again 14; with the inserting cursor still open 13 and 13. A defer-closed cursor
 * holding DenyRead/DenyWrite is never taken (FFUCBNotReuse, fucb.hxx 563-570; bt.cxx 515; engine: the new
 * open's closed tableid -1310 after JetStopServiceInstance). d.db === db restates d.table === table.
 */
export function deferredToReuse(s: Session, table: Table, db: DbFile): Cursor | undefined {
  for (const d of s.deferred) if (d.table === table && d.db === db && !d.denyRead && !d.denyWrite) return d;
  return undefined;
}

/** The defer-closed cursor live again as a new open of its table (fresh position, no prepared update). */
export function reuseDeferred(s: Session, c: Cursor): Cursor {
  c.deferred = false;
  s.deferred.delete(c);
  // The database's set is there: a session's sets are made at its first open and never removed.
  (s.cursorsByDb.get(c.db as DbFile) as Set<Cursor>).add(c);
  c.pos = Pos.DeferredFirst;
  c.rec = null;
  c.levelNavigate = s.level;
  // levelReuse (bt.cxx 525-528): a rollback of this level closes it, but its versions belong to the
  // level it was first opened in: deferred until that one ends. Engine: insert at level 1, reopened
  // at level 2, rolled back: -1310, then -1329 after JetStopServiceInstance.
  if (s.level > 0) s.frame(s.level).reopened.push(c);
  return c;
}

/** Releases everything the cursor holds (also ends a deferred close). */
export function finalClose(p: ProcessState, c: Cursor): void {
  if (c.closed) return;
  c.closed = true;
  cancelPrepared(c);
  const s = c.session;
  const t = c.table;
  const inst = s.instance;
  // denyReadBy is only read while denyReadCount > 0, and every new DenyRead lock sets it.
  if (c.denyRead) t.denyReadCount--;
  if (c.denyWrite) t.denyWriteCount--;
  t.cursors.delete(c);
  inst.cursorCount--;
  if (c.temp) {
    if (c.sort !== null && --c.sort.refs === 0) inst.tempTableCount--;
    s.temps.delete(c);
  } else {
    if (t.cursors.size === 0) inst.openTableCount--;
    s.deferred.delete(c);
    (s.cursorsByDb.get(c.db as DbFile) as Set<Cursor>).delete(c);
  }
  s.versionedCursors.delete(c);
  p.handles.free(c.handle);
}

/** Detaches a cursor from a session freed without closing it (only a plan that leaks does that). */
export function abandonCursor(p: ProcessState, c: Cursor): void {
  // Only the handle dies: the session is gone, so nothing else of the cursor is reachable.
  p.handles.free(c.handle);
}

/**
 * VERIFreeExt (ver.cxx 5132-5176), the undo of a space allocation (a table created in the level
 * rolled back), opens and closes the database for the session: the close drops the session's
 * exclusive open of it (ErrDBCloseDatabase, db.cxx 6446-6447), whatever opens remain.
 */
export function dropExclusiveOpen(s: Session, db: DbFile): void {
  if (db.exclusiveBy === s) db.exclusiveBy = null;
}

/** One JetOpenDatabase's worth of open. */
export function openDatabase(s: Session, db: DbFile, exclusive: boolean): void {
  s.dbOpens.set(db, (s.dbOpens.get(db) ?? 0) + 1);
  db.pins++;
  if (exclusive) db.exclusiveBy = s;
}

/**
 * One close (ESE's ErrDBCloseDatabase): the last close by the session closes its table cursors on
 * the database; any close by the exclusive holder drops exclusivity.
 */
export function closeDatabaseOnce(p: ProcessState, s: Session, db: DbFile, closeCursors: boolean): void {
  const n = s.dbOpens.get(db) ?? 0;
  if (n <= 1) {
    if (closeCursors) {
      const set = s.cursorsByDb.get(db);
      if (set) for (const c of [...set]) closeCursor(p, c);
    }
    s.dbOpens.delete(db);
  } else {
    s.dbOpens.set(db, n - 1);
  }
  db.pins--;
  // An exclusive open needs the database closed by everyone (-1202), so s is the holder, if any.
  db.exclusiveBy = null;
}
