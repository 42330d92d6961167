/**
 * Record versioning: what a session sees (its own uncommitted work, otherwise committed data as
 * of its transaction's begin), write conflicts (-1102), and moving uncommitted entries on commit
 * and rollback. Every function touches one record: O(1) apart from version pruning.
 */
import type { Rec, Values, Version } from './records';
import type { Session } from './session';
import type { Column } from './table';

/**
 * A column s may read or set (ErrRECIAccessColumn, fldext.cxx 234-270): a column whose AddColumn is
 * still versioned is looked up in the catalog under s's snapshot (ErrCATAccessTableColumn), so
 * another session's uncommitted column, or one committed after s's transaction began, is
 * JET_errColumnNotFound. Engine (ESENT flavour): s2 adds a column in a transaction; s1 reads it
 * -1507 and sets it -1507; s2 reads it +1004; after s2's commit s1 reads it +1004 at level 0 and
 * -1507 in a transaction begun before the commit (+1004 once that ends); after s2's rollback -1507
 * for both (fuzz seed 802).
 */
export function columnVisible(col: Column, s: Session): boolean {
  if (col.uncommittedBy !== null) return col.uncommittedBy === s;
  return s.level === 0 || col.committedTs <= s.trxBeginTs;
}

/** The image s sees, or null when the record does not exist for s. */
export function visibleValues(rec: Rec, s: Session): Values | null {
  if (rec.writer === s) return rec.stack[rec.stack.length - 1].values;
  const v = rec.versions;
  if (s.level === 0) return v.length === 0 ? null : v[v.length - 1].values;
  for (let i = v.length - 1; i >= 0; i--) if (v[i].ts <= s.trxBeginTs) return v[i].values;
  return null;
}

/** A write by s would conflict: another session holds the record, or it changed after s's snapshot. */
export function writeConflict(rec: Rec, s: Session): boolean {
  if (rec.writer !== null) return rec.writer !== s;
  if (s.level === 0) return false;
  // A record nobody holds has a committed version (an insert is held by its writer until it commits).
  return (rec.lastVersion() as Version).ts > s.trxBeginTs;
}

/** An uncommitted write (or write lock) by s at its current level; caller checked conflicts. */
export function writeUncommitted(rec: Rec, s: Session, values: Values | null, lockOnly: boolean): void {
  const level = s.level;
  if (rec.writer === s) {
    const top = rec.stack[rec.stack.length - 1];
    if (top.level === level) {
      if (!lockOnly) top.values = values;
      return;
    }
    if (lockOnly) return;
  } else {
    if (lockOnly) values = visibleValues(rec, s);
    rec.writer = s;
  }
  rec.stack.push({ level, values });
  s.frame(level).undo.push(rec);
}

/** A committed write (an implicit one-call transaction, or a commit to level 0). */
export function writeCommitted(rec: Rec, values: Values | null, ts: number, oldestSnapshot: number): void {
  rec.versions.push({ ts, values });
  prune(rec, oldestSnapshot);
}

/** Drops versions no snapshot can see; unlinks a record nobody can see any more. */
function prune(rec: Rec, oldestSnapshot: number): void {
  const v = rec.versions;
  if (v.length > 1) {
    let i = v.length - 1;
    while (i > 0 && v[i].ts > oldestSnapshot) i--;
    if (i > 0) v.splice(0, i);
  }
  if (rec.stack.length === 0 && (v.length === 0 || (v.length === 1 && v[0].values === null))) rec.list.unlink(rec);
}

/** Rollback of the top entry (the level being undone). */
export function undoTop(rec: Rec): void {
  rec.stack.pop();
  if (rec.stack.length === 0) {
    rec.writer = null;
    if (rec.versions.length === 0) rec.list.unlink(rec);
  }
}

/**
 * Commit of the top entry from level L to L-1 (L >= 2). Returns true when the record must be
 * listed in level L-1's frame (it had no entry there yet).
 */
export function commitTopInto(rec: Rec, toLevel: number): boolean {
  const top = rec.stack[rec.stack.length - 1];
  const below = rec.stack[rec.stack.length - 2];
  if (below !== undefined && below.level === toLevel) {
    // top is never a bare lock here: a lock taken over an entry of a lower level takes no entry
    below.values = top.values;
    rec.stack.pop();
    return false;
  }
  top.level = toLevel;
  return true;
}

/**
 * Commit to level 0 of the record's only entry. A write lock commits like a write of the image it
 * locked: ESE keeps the committed lock's version (operWriteLock RCE) in the record's chain, and a
 * transaction begun before that commit conflicts with it (ver.cxx FVERIWriteConflict; measured on
 * the engine: -1102 for the older transaction, 0 for one begun after the commit).
 */
export function commitToZero(rec: Rec, ts: number, oldestSnapshot: number): void {
  const entry = rec.stack[0];
  rec.stack.length = 0;
  rec.writer = null;
  writeCommitted(rec, entry.values, ts, oldestSnapshot);
}
