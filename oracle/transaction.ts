/**
 * Transaction levels: begin, commit one level, roll back one level, and the thread binding
 * (ESE's trx context, pib.hxx PIBSetTrxContext / FPIBCheckTrxContext, Errata 5).
 */
import { JET_errors as E } from '../api/codes';
import type { JET_ERR } from '../api/codes';
import { Pos, type Cursor, type PreparedUpdate } from './cursor';
import type { ProcessState } from './process';
import { Rec } from './records';
import { cancelPrepared, closeCursor, dropExclusiveOpen, finalClose } from './resources';
import type { DdlUndo, Session } from './session';
import type { DbFile } from './table';
import { commitToZero, commitTopInto, undoTop } from './versions';

/**
 * Who may commit, roll back or nest: without a session context, the thread of the level-0 begin;
 * with one, the thread that currently has the same context value set. 'end' is JetEndSession's
 * PrepareTrxContextForEnd (a context-bound transaction passes from any thread); 'none' skips the
 * check and a stored undo failure (JetTerm discarding what a dead instance left).
 */
export type TrxCheck = 'thread' | 'end' | 'none';

export function trxContextOk(s: Session, thread: string, check: TrxCheck): boolean {
  if (check === 'none') return true;
  if (s.trxUsesContext) {
    return check === 'end' || (s.context !== null && s.context.value === s.trxContext && s.context.thread === thread);
  }
  return s.trxThread === thread;
}

/**
 * The check of an internal nested transaction (ErrDIRBeginTransaction, dir.cxx 1872-1879), which
 * updates, deletes, long-value writes and DDL begin: inside a user transaction it must run on the
 * transaction's thread (no context) or under its context, else -1910; at level 0 the internal
 * transaction binds itself to the caller, so nothing is checked. Engine (ESENT flavour under Wine):
 * JetUpdate, JetDelete, JetCreateTable, JetAddColumn, a long value's JetSetColumn and
 * JetPrepareUpdate(JET_prepInsertCopy) -1910 after JetResetSessionContext or on another thread.
 */
export function internalTrxErr(s: Session, thread: string): JET_ERR {
  return s.level > 0 && !trxContextOk(s, thread, 'thread') ? E.JET_errSessionSharingViolation : 0;
}

/**
 * Triage item 10 [context-owner-thread] (docs/implementations/ese.md): a call on a thread other than
 * the one that set the session context, at level 0, whose operation begins an internal transaction.
 * FEnter lets it in (jetapi.cxx 4215-4250); ErrDIRBeginTransaction binds the new level to the
 * context with no check at level 0 (dir.cxx 1847, PIBSetTrxContext, pib.hxx 1407-1411); the
 * operation's nested begins, its commit (dir.cxx 1932-1936) and its error path's rollback (dir.cxx
 * 2228-2235) then all fail FPIBCheckTrxContext (pib.hxx 1457-1460: the caller is not the context's
 * thread). The level leaks, bound to the context, with whatever the operation did before the
 * failure: the context's thread can commit or roll it back, JetEndSession rolls it back.
 */
export function leaksInternalTrx(s: Session, thread: string): boolean {
  return s.level === 0 && s.context !== null && s.context.thread !== thread;
}

export function beginTransaction(p: ProcessState, s: Session, thread: string, readOnly: boolean): void {
  if (s.level === 0) {
    if (s.context === null) {
      s.trxUsesContext = false;
      s.trxThread = thread;
    } else {
      s.trxUsesContext = true;
      s.trxContext = s.context.value;
      s.trxThread = null;
    }
    s.readOnlyTrx = readOnly;
    s.trxBeginTs = p.clock;
    p.activeTrx.add(s);
  }
  s.level++;
  s.frame(s.level);
}

/** Commits the innermost level into the one below (or to level 0). Checks are the caller's. */
export function commitLevel(p: ProcessState, s: Session): void {
  const level = s.level;
  const f = s.frame(level);
  s.frames[level] = undefined;
  s.level = level - 1;
  carryNavigationDown(s);
  if (level === 1) {
    p.activeTrx.delete(s);
    const ts = ++p.clock;
    const oldest = p.oldestSnapshot();
    // DDL: the table becomes visible to others (a column's table is created in this transaction
    // or was committed before, so clearing it for an added column changes nothing).
    for (const u of f.undo) {
      if (u instanceof Rec) commitToZero(u, ts, oldest);
      else {
        u.table.uncommittedBy = null;
        if (u.kind === 'add-column') {
          u.column.uncommittedBy = null;
          u.column.committedTs = ts;
        }
      }
    }
    endTransaction(p, s);
    return;
  }
  const g = s.frame(level - 1);
  for (const u of f.undo) {
    if (!(u instanceof Rec) || commitTopInto(u, level - 1)) g.undo.push(u);
  }
  // Closed cursors go along too: every later close of a closed cursor returns at once.
  for (const c of f.opened) g.opened.push(c);
  for (const c of f.reopened) g.reopened.push(c);
}

/**
 * Rolls back the innermost level, in ESE's order (tm.cxx ErrIsamRollback, dir.cxx ErrDIRRollback):
 * cancel updates prepared at this level, close the cursors and temp tables opened in it, check the
 * thread binding (-1910: what was closed stays closed), fail with a stored undo failure, undo the
 * level's work, then finish the deferred closes of cursors opened in it. `undoFault` returns an
 * injected undo failure (or 0); it is recorded on the session as ESE's SetErrRollbackFailure does.
 */
export function rollbackLevel(p: ProcessState, s: Session, thread: string, check: TrxCheck, undoFault: (() => JET_ERR) | null): JET_ERR {
  const level = s.level;
  const f = s.frame(level);
  for (const c of s.prepared) if ((c.prep as PreparedUpdate).level >= level) cancelPrepared(c);
  for (const c of f.opened) closeCursor(p, c);
  for (const c of f.reopened) closeCursor(p, c);
  if (!trxContextOk(s, thread, check)) return E.JET_errSessionSharingViolation;
  if (s.rollbackFailure !== 0 && check !== 'none') return s.rollbackFailure;
  // ErrDIRRollback (dir.cxx 2264-2271), before the undo: a cursor that moved at this level goes
  // before first, whether or not its record survives (engine: -1603, not -1017, after the rollback).
  for (const c of sessionCursors(s)) {
    if (c.levelNavigate !== level) continue;
    c.levelNavigate = level - 1;
    c.pos = Pos.BeforeFirst;
    c.rec = null;
  }
  if (undoFault !== null) {
    const err = undoFault();
    if (err !== 0) {
      s.rollbackFailure = err;
      return err;
    }
  }
  for (let i = f.undo.length - 1; i >= 0; i--) {
    const u = f.undo[i];
    if (u instanceof Rec) undoTop(u);
    else undoDdl(u, s);
  }
  s.frames[level] = undefined;
  s.level = level - 1;
  // The level's cursors are closed or defer-closed by now: this completes the deferred ones.
  for (const c of f.opened) finalClose(p, c);
  if (s.level === 0) endTransaction(p, s);
  return 0;
}

/** The session's open cursors: table cursors and temp tables. */
function* sessionCursors(s: Session): Iterable<Cursor> {
  for (const set of s.cursorsByDb.values()) yield* set;
  yield* s.temps;
}

/** ErrDIRCommitTransaction (dir.cxx 2155-2158): a navigation level above the new level becomes it. */
function carryNavigationDown(s: Session): void {
  for (const c of sessionCursors(s)) if (c.levelNavigate > s.level) c.levelNavigate = s.level;
}

function undoDdl(u: DdlUndo, s: Session): void {
  if (u.kind === 'add-column') {
    u.table.dropColumn(u.column);
    return;
  }
  // Only JetCreateTable logs this (never a temp table), and the name stays taken until now. Its
  // space allocation is undone by VERIFreeExt, which drops s's exclusive open (resources.ts).
  const db = u.table.db as DbFile;
  db.tables.delete(u.table.name.toLowerCase());
  dropExclusiveOpen(s, db);
}

/** Level 0 reached: cursors stop being versioned, deferred closes complete (dir.cxx commit/rollback to 0). */
function endTransaction(p: ProcessState, s: Session): void {
  p.activeTrx.delete(s);
  for (const c of s.versionedCursors) c.versioned = false;
  s.versionedCursors.clear();
  for (const c of s.deferred) finalClose(p, c);
  s.trxThread = null;
  s.readOnlyTrx = false;
}

/** Rolls back every level with no thread check and no fault (JetTerm's clean-up). */
export function rollbackAll(p: ProcessState, s: Session, thread: string): void {
  while (s.level > 0) rollbackLevel(p, s, thread, 'none', null);
}

/** Records that a cursor wrote inside the current transaction. */
export function markVersioned(s: Session, c: Cursor): void {
  if (s.level === 0) return;
  c.versioned = true;
  s.versionedCursors.add(c);
}
