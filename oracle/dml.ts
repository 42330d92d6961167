/**
 * Record operations: JetPrepareUpdate / JetSetColumn / JetUpdate, JetDelete, JetMove,
 * JetRetrieveColumn (fldmod.cxx ErrIsamPrepareUpdate, recupd.cxx, rec.cxx ErrIsamMove).
 * Outside a transaction a write is an implicit one-call transaction; inside, it is an
 * uncommitted entry that also write-locks the record. Temp-table writes are not versioned.
 */
import type { ColumnValue } from '../api';
import { JET_constants as K, JET_errors as E } from '../api/codes';
import type { JET_ERR } from '../api/codes';
import type { Core, Entered, EngineResult, HeldWrite, OpImpl } from './api';
import { fail, ok } from './api';
import type { Cursor, PreparedUpdate } from './cursor';
import { enterTableid } from './entry';
import { beginHeldWrite, endHeldWrite, lockHeldReplace, upgradeReplace } from './inflight';
import type { JET_HANDLE } from './handles';
import { current, move } from './navigate';
import type { Rec, Values } from './records';
import { cancelPrepared, insertCursor } from './resources';
import { inInsertMode, inReturnMode, sortMove } from './sort';
import type { Session } from './session';
import type { Column } from './table';
import { beginTransaction, internalTrxErr, leaksInternalTrx, markVersioned } from './transaction';
import { columnVisible, visibleValues, writeCommitted, writeConflict, writeUncommitted } from './versions';

function cursorOp<O extends 'JetPrepareUpdate' | 'JetSetColumn' | 'JetUpdate' | 'JetDelete' | 'JetMove' | 'JetRetrieveColumn'>(
  body: (core: Core, s: Session, c: Cursor, a: Parameters<OpImpl<O>['body']>[2], thread: string, held: HeldWrite | undefined) => EngineResult<O>,
  hold?: (core: Core, e: Entered, s: Session, c: Cursor) => EngineResult<O> | Entered,
): OpImpl<O> {
  return {
    enter: (core, thread, a) => {
      const t = a as unknown as { readonly sesid: JET_HANDLE; readonly tableid: JET_HANDLE };
      return enterTableid(core, thread, t.sesid, t.tableid, false);
    },
    body: (core, e, a) => body(core, e.s as Session, e.c as Cursor, a, e.thread, e.held),
    ...(hold === undefined ? {} : { hold: (core: Core, e: Entered) => hold(core, e, e.s as Session, e.c as Cursor) }),
  };
}

/** The write checks every modification starts with: updatable cursor, then read-only transaction. */
function writable(s: Session, c: Cursor): JET_ERR {
  if (!c.updatable) return E.JET_errPermissionDenied;
  if (!c.temp && s.readOnlyTrx) return E.JET_errTransReadOnly;
  return 0;
}

function setPrepared(s: Session, c: Cursor, mode: PreparedUpdate['mode'], values: Values, rec: Rec | null, image: Values | null = null): void {
  c.prep = { mode, values, rec, level: s.level, image };
  s.prepared.add(c);
}

export const JetPrepareUpdate = cursorOp<'JetPrepareUpdate'>((core, s, c, a, thread) => {
  // A sort in return mode: ErrIllegalPrepareUpdate for every prep (sortapi.cxx 2994). Engine -1312
  // for prepInsert, prepCancel and prepReplace after the first move.
  if (inReturnMode(c)) return fail(E.JET_errIllegalOperation);
  const prep = a.prep;
  if (prep === K.JET_prepCancel) {
    if (c.prep === null) return fail(E.JET_errUpdateNotPrepared);
    cancelPrepared(c);
    return ok();
  }
  if (prep === K.JET_prepReadOnlyCopy) return prepareReadOnlyCopy(s, c);
  if (prep === K.JET_prepInsertMustSetAutoIncrement) return prepareMustSetAutoIncrement(s, c);
  const insert = prep === K.JET_prepInsert || prep === K.JET_prepInsertCopy;
  const replace = prep === K.JET_prepReplace || prep === K.JET_prepReplaceNoLock;
  const copyDelete = prep === K.JET_prepInsertCopyDeleteOriginal || prep === K.JET_prepInsertCopyReplaceOriginal;
  if (!insert && !replace && !copyDelete) return fail(E.JET_errInvalidParameter);
  const werr = writable(s, c);
  if (werr !== 0) return fail(werr);
  if (c.prep !== null) return fail(E.JET_errAlreadyPrepared);
  if (prep === K.JET_prepInsert) {
    setPrepared(s, c, 'insert', [], null);
    return ok();
  }
  const cur = current(c);
  if (typeof cur === 'number') return fail(cur);
  if (prep === K.JET_prepInsertCopy) {
    // The copy references the record's long values (ErrRECAffectLongFieldsInWorkBuf, lv.cxx
    // 6054-6058): -1054 at level 0, and nothing stays prepared (fldmod.cxx 1224-1294). Engine, fuzz
    // seed 501: -1054 on a table and on a materialized temp table; a sort is not modelled here.
    if (s.level === 0 && !c.sortSlot) return fail(E.JET_errNotInTransaction);
    // ... and then begins a nested transaction (lv.cxx 6061): -1910 off the transaction's context.
    const trxErr = c.sortSlot ? 0 : internalTrxErr(s, thread);
    if (trxErr !== 0) return fail(trxErr);
    setPrepared(s, c, 'insert', cur.values.slice(), null);
    return ok();
  }
  // prepReplace inside a transaction takes the write lock now (ErrDIRGetLock); at level 0, and
  // with prepReplaceNoLock, conflicts surface at JetUpdate. The copy-delete preps take it too
  // (fldmod.cxx 1235-1238; engine: another session's prepReplace -1102; at level 0 0).
  if ((prep === K.JET_prepReplace || copyDelete) && s.level > 0 && !c.temp) {
    if (writeConflict(cur.rec, s)) return fail(E.JET_errWriteConflict);
    writeUncommitted(cur.rec, s, null, true);
    markVersioned(s, c);
  }
  if (copyDelete) {
    setPrepared(s, c, 'copy delete original', cur.values.slice(), cur.rec);
    return ok();
  }
  // At level 0 ESE keeps the record's checksum (fldmod.cxx 1211-1214; prepReplace goes the NoLock
  // way there, 1137-1140). Temp-table writes are not versioned here, so no image is kept for them.
  setPrepared(s, c, 'replace', cur.values.slice(), cur.rec, s.level === 0 && !c.temp ? cur.values.slice() : null);
  return ok();
});

/**
 * JET_prepReadOnlyCopy (fldmod.cxx 1300-1320): no updatability check; -1607 when an update is
 * prepared, -1054 at level 0, the currency (ErrDIRGet), then a copy of the record that JetSetColumn and
 * JetUpdate refuse (-1609) and JET_prepCancel ends. Engine: read-only and updatable cursors, tables
 * and materialized temp tables (a sort in insert mode: -1603); a move, JetDelete and the rollback of
 * its level cancel it (JET_prepCancel then -1609).
 */
function prepareReadOnlyCopy(s: Session, c: Cursor): EngineResult<'JetPrepareUpdate'> {
  if (c.prep !== null) return fail(E.JET_errAlreadyPrepared);
  if (s.level === 0) return fail(E.JET_errNotInTransaction);
  const cur = current(c);
  if (typeof cur === 'number') return fail(cur);
  setPrepared(s, c, 'read-only copy', cur.values.slice(), null);
  return ok();
}

/**
 * JET_prepInsertMustSetAutoIncrement (fldmod.cxx 811-836): prepInsert's checks (updatable cursor,
 * read-only transaction, -1607), then -1312 for a table without an autoincrement column, which every
 * table of the suite is (engine: -1809 on a read-only cursor, -1607 after a prepInsert, else -1312 at
 * level 0 and in a transaction, on a table, a sort and a materialized temp table).
 */
function prepareMustSetAutoIncrement(s: Session, c: Cursor): EngineResult<'JetPrepareUpdate'> {
  const werr = writable(s, c);
  if (werr !== 0) return fail(werr);
  if (c.prep !== null) return fail(E.JET_errAlreadyPrepared);
  return fail(E.JET_errIllegalOperation);
}

/**
 * ESE stores the bytes it is given (ErrRECSetColumn): a fixed JET_coltypLong column takes exactly 4,
 * else -1047 JET_errInvalidBufferSize. Through the protocol an integer is 4 bytes (little-endian)
 * when it fits 32 bits and 8 otherwise, a string its UTF-16LE units. Engine (ESE 7030fe7, Wine):
 * Long column: 2147483648 -1047, "ab" 0, "abc" -1047; Text column: 7 and 4294967296 0.
 */
function asStored(col: Column, v: ColumnValue): { readonly value: ColumnValue } | { readonly err: JET_ERR } {
  if (v === null) return { value: null };
  const i32 = typeof v === 'number' && v >= -2147483648 && v <= 2147483647;
  if (col.coltyp === K.JET_coltypLong) {
    if (typeof v === 'number') return i32 ? { value: v } : { err: E.JET_errInvalidBufferSize };
    return v.length === 2 ? { value: v.charCodeAt(0) | (v.charCodeAt(1) << 16) } : { err: E.JET_errInvalidBufferSize };
  }
  if (typeof v === 'string') return { value: v };
  const bytes = i32 ? 4 : 8;
  let n = BigInt.asUintN(bytes * 8, BigInt(v));
  let text = '';
  for (let k = 0; k < bytes / 2; k++, n >>= 16n) text += String.fromCharCode(Number(n & 0xffffn));
  return { value: text };
}

/** ErrIsamSetColumn (fldmod.cxx 1947-1963): the cursor's and the transaction's updatability come before the prepared check. */
export const JetSetColumn = cursorOp<'JetSetColumn'>((_core, s, c, a, thread) => {
  // A sort in return mode: ErrIllegalSetColumn (sortapi.cxx 3004). Engine -1312.
  if (inReturnMode(c)) return fail(E.JET_errIllegalOperation);
  const w = writable(s, c);
  if (w !== 0) return fail(w);
  if (c.prep === null) return fail(E.JET_errUpdateNotPrepared);
  if (c.prep.mode === 'read-only copy') return fail(E.JET_errUpdateNotPrepared);
  const col = c.table.byId.get(a.columnid);
  if (col === undefined || !columnVisible(col, s)) return fail(E.JET_errColumnNotFound);
  // A long value, on any table or sort, goes through ErrRECSetLongField (fldmod.cxx 1789): -1054 at
  // level 0 (lv.cxx 2488-2492), then a nested transaction (2497). Engine: "ab" into a LongText
  // column after prepInsert at level 0 -1054 (table, materialized temp table, sort); in a
  // transaction after JetResetSessionContext -1910.
  if (col.coltyp === K.JET_coltypLongText) {
    if (s.level === 0) return fail(E.JET_errNotInTransaction);
    const trxErr = internalTrxErr(s, thread);
    if (trxErr !== 0) return fail(trxErr);
  }
  const stored = asStored(col, a.value);
  if ('err' in stored) return fail(stored.err);
  c.prep.values[col.ordinal] = stored.value;
  return ok();
});

export const JetUpdate = cursorOp<'JetUpdate'>((core, s, c, _a, thread, held) => {
  // A sort in return mode: ErrIllegalUpdate (sortapi.cxx 3007). Engine -1312 after the first move
  // cancelled the prepared insert.
  if (inReturnMode(c)) return fail(E.JET_errIllegalOperation);
  const prep = c.prep;
  if (prep === null || prep.mode === 'read-only copy') return fail(E.JET_errUpdateNotPrepared);
  if (held !== undefined) {
    // Held at level 0: the nested level and a replace's lock are the hold's (updateHold).
    const err = applyPrepared(core, s, c, prep, false);
    const end = endHeldWrite(core.p, s, thread, held, err);
    if (end !== 0) return fail(end);
    cancelPrepared(c);
    return ok();
  }
  // ErrIsamUpdate (recupd.cxx 963-995): an insert or replace begins a nested transaction first
  // (ErrRECIInsert 1633, ErrRECIReplace 3004); a sort's ErrIsamSortUpdate begins none. On -1910
  // the update stays prepared (engine: the same JetUpdate back on the transaction's thread 0).
  const trxErr = c.sortSlot ? 0 : internalTrxErr(s, thread);
  if (trxErr !== 0) return fail(trxErr);
  // Triage item 10: off the context's thread at level 0 the begin (recupd.cxx 1633, 3004) leaks its
  // level, the write is made in it and the commit fails (1951, 3281): -1910, the update still
  // prepared (FUCBResetUpdateFlags is past the commit). Engine: the insert or replace is seen by the
  // session, undone by the owner's JetRollback or JetEndSession, kept by its JetCommitTransaction.
  const leak = !c.sortSlot && leaksInternalTrx(s, thread);
  if (leak) beginTransaction(core.p, s, thread, false);
  const err = applyPrepared(core, s, c, prep, true);
  if (err !== 0) return fail(err);
  if (leak) return fail(E.JET_errSessionSharingViolation);
  cancelPrepared(c);
  return ok();
}, updateHold);

/**
 * The write of a prepared update (a replace passes its prepare to the lock checks unless held). A
 * copy-delete deletes the original through the user's cursor, then inserts the copy (ErrRECIInsert,
 * recupd.cxx 1656-1660, in the insert's nested transaction): the cursor stays on the deleted
 * original (engine: JetRetrieveColumn -1017 after it).
 */
function applyPrepared(core: Core, s: Session, c: Cursor, prep: PreparedUpdate, checkPrepare: boolean): JET_ERR {
  if (prep.mode === 'insert') return insert(core, s, c, prep.values);
  if (prep.mode === 'replace') return write(core, s, prep.rec as Rec, prep.values, c, checkPrepare ? prep : null);
  const del = write(core, s, prep.rec as Rec, null, c);
  return del !== 0 ? del : insert(core, s, c, prep.values);
}

/**
 * JetUpdate up to its BeforeInsert/BeforeReplace callback (recupd.cxx 963-995, 1633-1663,
 * 3004-3024), where a real engine holds it: not prepared -1609, the nested transaction (-1910 off
 * the transaction's thread), a replace's write lock (-1102: inflight.ts). A temp table's update is
 * left whole to the release (not measured: no feature holds one).
 */
function updateHold(core: Core, e: Entered, s: Session, c: Cursor): EngineResult<'JetUpdate'> | Entered {
  if (c.temp) return e;
  const prep = c.prep;
  if (prep === null || prep.mode === 'read-only copy') return fail(E.JET_errUpdateNotPrepared);
  const trxErr = internalTrxErr(s, e.thread);
  if (trxErr !== 0) return fail(trxErr);
  const held = beginHeldWrite(core.p, s, e.thread);
  if (prep.mode === 'replace') {
    const err = lockHeldReplace(s, c, prep);
    if (err !== 0) return fail(held === null ? err : endHeldWrite(core.p, s, e.thread, held, err));
  }
  return held === null ? e : { ...e, held };
}

/**
 * A table's insert goes through a cursor of its own, which holds the version (resources.ts insertCursor).
 * A sort's insert (ErrIsamSortUpdate, sortapi.cxx 697-800: ErrSORTInsert) is not versioned; a
 * materialized temp table is a table of the temp database and its writes are versioned as a table's
 * (ErrRECInsert, recupd.cxx 1633, 1844; engine: an insert, a replace and a delete inside a
 * transaction undone by its rollback, a nested level's insert undone by that level's rollback and one
 * committed into level 1 by level 1's rollback).
 */
function insert(core: Core, s: Session, c: Cursor, values: Values): JET_ERR {
  if (!c.temp) insertCursor(core.p, s, c);
  const rec = c.table.records.append();
  if (c.sort !== null) rec.versions.push({ ts: 0, values });
  else if (s.level > 0) writeUncommitted(rec, s, values, false);
  else writeCommitted(rec, values, ++core.p.clock, core.p.oldestSnapshot());
  return 0;
}

/**
 * Writes a new image (null: delete) of rec for s: the shared path of replace and delete. A replace
 * passes its prepared update: its lock's checks, with a level-0 prepare's image (inflight.ts).
 */
function write(core: Core, s: Session, rec: Rec, values: Values | null, c: Cursor, prep: PreparedUpdate | null = null): JET_ERR {
  if (rec.removed || visibleValues(rec, s) === null) return E.JET_errRecordDeleted;
  // A materialized temp table has one session: no conflict; its cursor is not deferred at close
  // (engine: the cursor slots after closing it in the transaction as after the rollback).
  if (!c.temp) {
    const conflict = prep === null ? (writeConflict(rec, s) ? E.JET_errWriteConflict : 0) : upgradeReplace(s, rec, prep);
    if (conflict !== 0) return conflict;
  }
  if (s.level > 0) {
    writeUncommitted(rec, s, values, false);
    if (!c.temp) markVersioned(s, c);
  } else writeCommitted(rec, values, ++core.p.clock, core.p.oldestSnapshot());
  return 0;
}

export const JetDelete = cursorOp<'JetDelete'>((core, s, c, _a, thread, held) => {
  if (held !== undefined) {
    // Held at level 0 (deleteHold): the currency and the lock come after the callback (recupd.cxx
    // 2391), in the nested level whose snapshot is the hold's: a record another session changed or
    // deleted meanwhile is -1102 (engine: both, where the reference without it gave 0 and -1017).
    const cur = current(c);
    const err = typeof cur === 'number' ? cur : write(core, s, cur.rec, null, c);
    const end = endHeldWrite(core.p, s, thread, held, err);
    return end === 0 ? ok() : fail(end);
  }
  // A sort's dispatch tables have ErrIllegalDelete (sortapi.cxx 2912, 2973). Engine: -1312 on a
  // keyed temp table, before and after a move, with its prepared update kept.
  if (c.sortSlot) return fail(E.JET_errIllegalOperation);
  const werr = writable(s, c);
  if (werr !== 0) return fail(werr);
  // ErrIsamDelete (recupd.cxx 2321-2367): a prepared update is cancelled, then a nested transaction
  // begins, both before the currency check. Engine: prepInsert, JetDelete (0, -1017 or -1910),
  // then JetUpdate -1609.
  cancelPrepared(c);
  const trxErr = internalTrxErr(s, thread);
  if (trxErr !== 0) return fail(trxErr);
  // Triage item 10: the begin (recupd.cxx 2366) leaks its level off the context's thread; the
  // currency and the delete come after it (2391), the failed commit last (2471): engine -1910 and
  // the record deleted in the leaked level.
  const leak = leaksInternalTrx(s, thread);
  if (leak) beginTransaction(core.p, s, thread, false);
  const cur = current(c);
  if (typeof cur === 'number') return fail(cur);
  const err = write(core, s, cur.rec, null, c);
  if (err !== 0) return fail(err);
  return leak ? fail(E.JET_errSessionSharingViolation) : ok();
}, deleteHold);

/** JetDelete up to its BeforeDelete callback (recupd.cxx 2321-2387), where a real engine holds it; a temp table's at release. */
function deleteHold(core: Core, e: Entered, s: Session, c: Cursor): EngineResult<'JetDelete'> | Entered {
  if (c.temp) return e;
  const werr = writable(s, c);
  if (werr !== 0) return fail(werr);
  cancelPrepared(c);
  const trxErr = internalTrxErr(s, e.thread);
  if (trxErr !== 0) return fail(trxErr);
  const held = beginHeldWrite(core.p, s, e.thread);
  return held === null ? e : { ...e, held };
}

/** JetMove cancels a prepared update first (ErrIsamMove); the grbit is not modelled. */
export const JetMove = cursorOp<'JetMove'>((_core, _s, c, a) => {
  // A sort moves outside DIR (oracle/sort.ts): its first move ends the insert.
  if (c.sort !== null) {
    const sortErr = sortMove(c, a.cRow);
    return sortErr === 0 ? ok() : fail(sortErr);
  }
  cancelPrepared(c);
  // Every move but JetMove(0) goes down or across through DIR, which records the level (rec.cxx ErrIsamMove).
  if (a.cRow !== 0 && !c.sortSlot) c.levelNavigate = c.session.level;
  const err = move(c, a.cRow);
  return err === 0 ? ok() : fail(err);
});

/** A NULL column answers JET_wrnColumnNull (+1004) with value null. */
export const JetRetrieveColumn = cursorOp<'JetRetrieveColumn'>((core, s, c, a, thread) => {
  // Triage item 10: ErrIsamRetrieveColumn begins a read-only transaction at level 0 (fldext.cxx
  // 1751-1756) and ignores its commit's result (CallS, 2275-2279): off the context's thread the
  // answer stands and a read-only level leaks (engine: the value, then the owner's JetPrepareUpdate
  // -1110 and JetRollback 0). Not for a sort: in insert mode ESE answers -1312 before any begin
  // (ErrIllegalRetrieveColumn, sortapi.cxx 2936; engine -1312 before the first move, keyed or not
  // empty), and the sort's return mode is not modelled for it.
  if (inInsertMode(c)) return fail(E.JET_errIllegalOperation);
  if (!c.sortSlot && leaksInternalTrx(s, thread)) beginTransaction(core.p, s, thread, true);
  const col = c.table.byId.get(a.columnid);
  if (col === undefined || !columnVisible(col, s)) return fail(E.JET_errColumnNotFound);
  const cur = current(c);
  if (typeof cur === 'number') return fail(cur);
  const value = cur.values[col.ordinal] ?? null;
  return value === null ? { err: E.JET_wrnColumnNull, value: null } : ok({ value });
});
