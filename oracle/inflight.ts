/**
 * A write held in flight (the in-flight capability): what a JetUpdate or JetDelete has done when a
 * real engine holds it in its JET callback (BeforeInsert, recupd.cxx 1663; BeforeReplace, 3024;
 * BeforeDelete, 2387), and how it completes. Each begins its nested transaction first (1633, 3004,
 * 2366): at level 0 that is a level of its own, whose snapshot is taken at the hold. A replace then
 * takes its write lock (ErrRECUpgradeReplaceNoLock, 2867-2910; a prepReplace inside a transaction
 * took it at prepare, fldmod.cxx 1154): while held, another session's replace or delete of the
 * record is JET_errWriteConflict and a reader sees the record as it was. An insert has inserted
 * nothing yet and a delete has locked nothing (its ErrDIRGetLock is after the callback, 2391).
 */
import { JET_errors as E } from '../api/codes';
import type { JET_ERR } from '../api/codes';
import type { HeldWrite } from './api';
import type { Cursor, PreparedUpdate } from './cursor';
import type { ProcessState } from './process';
import type { Rec, Values } from './records';
import type { Session } from './session';
import { beginTransaction, commitLevel, leaksInternalTrx, markVersioned, rollbackLevel } from './transaction';
import { visibleValues, writeConflict, writeUncommitted } from './versions';

/**
 * The write's nested transaction at a hold: at level 0 a new level (bound to the caller, or leaked
 * to the session context of another thread: triage item 10); inside a transaction none is needed
 * (its snapshot and its conflicts are the level-0 begin's, and nothing can fail after the hold).
 */
export function beginHeldWrite(p: ProcessState, s: Session, thread: string): HeldWrite | null {
  if (s.level > 0) return null;
  const leak = leaksInternalTrx(s, thread);
  beginTransaction(p, s, thread, false);
  return { leak };
}

/**
 * The end of a held write's nested level: committed when the write succeeded, rolled back when it
 * failed (the error path's ErrDIRRollback); off the context's thread both fail their context check
 * and the level leaks (-1910 for a success, as at level 0 without a hold).
 */
export function endHeldWrite(p: ProcessState, s: Session, thread: string, held: HeldWrite, err: JET_ERR): JET_ERR {
  if (held.leak) return err !== 0 ? err : E.JET_errSessionSharingViolation;
  if (err !== 0) rollbackLevel(p, s, thread, 'none', null);
  else commitLevel(p, s);
  return err;
}

/** Two record images are the same bytes (a missing ordinal reads as NULL). */
function sameImage(a: Values, b: Values): boolean {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) if ((a[i] ?? null) !== (b[i] ?? null)) return false;
  return true;
}

/**
 * A replace's lock, in ErrRECUpgradeReplaceNoLock's order: the record is gone (-1017), another
 * session holds it or changed it after s's snapshot (ErrDIRGetLock, -1102), or it is not the image
 * a level-0 prepare saw (the record's checksum, StoreChecksum at fldmod.cxx 1211-1214, compared at
 * recupd.cxx 2886: -1102). Engine: prepReplace at level 0, another session replaces the record,
 * JetUpdate -1102 (and again, still prepared); written back to the same value, 0. Once passed, the
 * update is a locked replace (UpgradeReplaceNoLock, 2906): a JetUpdate that then failed (-1910 off
 * the context's thread, with its write kept in the leaked level) does not compare the image again.
 */
export function upgradeReplace(s: Session, rec: Rec, prep: PreparedUpdate): JET_ERR {
  const seen = rec.removed ? null : visibleValues(rec, s);
  if (seen === null) return E.JET_errRecordDeleted;
  if (writeConflict(rec, s)) return E.JET_errWriteConflict;
  if (prep.image !== null && !sameImage(prep.image, seen)) return E.JET_errWriteConflict;
  prep.image = null;
  return 0;
}

/** A held replace's write lock, taken at the hold (in the nested level at level 0). */
export function lockHeldReplace(s: Session, c: Cursor, prep: PreparedUpdate): JET_ERR {
  const rec = prep.rec as Rec;
  const err = upgradeReplace(s, rec, prep);
  if (err !== 0) return err;
  writeUncommitted(rec, s, null, true);
  markVersioned(s, c);
  return 0;
}
