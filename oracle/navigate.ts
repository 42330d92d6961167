/**
 * Cursor currency and JetMove over the records a session sees (rec.cxx ErrIsamMove, dir.cxx).
 * A new cursor sits "deferred first": resolved to the first visible record when used, so
 * JetMove(Next) from it lands on the second record (as ESE does).
 */
import { JET_constants, JET_errors as E } from '../api/codes';
import type { JET_ERR } from '../api/codes';
import { Pos } from './cursor';
import type { Cursor } from './cursor';
import type { Rec, RecordList, Values } from './records';
import type { Session } from './session';
import { visibleValues } from './versions';

function forwardFrom(r: Rec | null, s: Session): Rec | null {
  while (r !== null && visibleValues(r, s) === null) r = r.next;
  return r;
}

function backwardFrom(r: Rec | null, s: Session): Rec | null {
  while (r !== null && visibleValues(r, s) === null) r = r.prev;
  return r;
}

function list(c: Cursor): RecordList {
  return c.table.records;
}

/** Resolves a deferred-first position; false when the table shows no record (position unchanged). */
function resolveDeferred(c: Cursor): boolean {
  const r = forwardFrom(list(c).head, c.session);
  if (r === null) return false;
  c.pos = Pos.On;
  c.rec = r;
  return true;
}

/** The current record and its image, or -1603 (not on a record) / -1017 (deleted under the cursor). */
export function current(c: Cursor): { rec: Rec; values: Values } | JET_ERR {
  if (c.pos === Pos.DeferredFirst && !resolveDeferred(c)) return E.JET_errNoCurrentRecord;
  if (c.pos !== Pos.On || c.rec === null) return E.JET_errNoCurrentRecord;
  const values = c.rec.removed ? null : visibleValues(c.rec, c.session);
  return values === null ? E.JET_errRecordDeleted : { rec: c.rec, values };
}

function isMoveFirst(cRow: number): boolean {
  return cRow === JET_constants.JET_MoveFirst || cRow === 0x80000000;
}

export function move(c: Cursor, cRow: number): JET_ERR {
  const s = c.session;
  if (isMoveFirst(cRow)) return land(c, forwardFrom(list(c).head, s), Pos.BeforeFirst);
  if (cRow === JET_constants.JET_MoveLast) return land(c, backwardFrom(list(c).tail, s), Pos.AfterLast);
  if (cRow === 0) {
    const cur = current(c);
    return typeof cur === 'number' ? cur : 0;
  }
  if (c.pos === Pos.DeferredFirst && !resolveDeferred(c)) {
    // A failed move leaves the cursor after last (forward) or before first (backward), also from
    // the deferred first position (rec.cxx ErrIsamMove 1009-1019). Engine, fuzz seed 601: a
    // failed MovePrevious on an empty table, an insert, then prepReplace -1603.
    c.pos = cRow > 0 ? Pos.AfterLast : Pos.BeforeFirst;
    c.rec = null;
    return E.JET_errNoCurrentRecord;
  }
  for (let n = Math.abs(cRow); n > 0; n--) {
    const next = cRow > 0 ? nextOf(c) : prevOf(c);
    if (next === null) {
      c.pos = cRow > 0 ? Pos.AfterLast : Pos.BeforeFirst;
      c.rec = null;
      return E.JET_errNoCurrentRecord;
    }
    c.pos = Pos.On;
    c.rec = next;
  }
  return 0;
}

function land(c: Cursor, r: Rec | null, otherwise: Pos): JET_ERR {
  if (r === null) {
    c.pos = otherwise;
    c.rec = null;
    return E.JET_errNoCurrentRecord;
  }
  c.pos = Pos.On;
  c.rec = r;
  return 0;
}

function nextOf(c: Cursor): Rec | null {
  const s = c.session;
  if (c.pos === Pos.BeforeFirst) return forwardFrom(list(c).head, s);
  if (c.pos === Pos.AfterLast || c.rec === null) return null;
  return forwardFrom(list(c).after(c.rec), s);
}

function prevOf(c: Cursor): Rec | null {
  const s = c.session;
  if (c.pos === Pos.AfterLast) return backwardFrom(list(c).tail, s);
  if (c.pos === Pos.BeforeFirst || c.rec === null) return null;
  return backwardFrom(list(c).before(c.rec), s);
}
