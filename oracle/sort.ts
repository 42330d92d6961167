/**
 * A sort's two modes (sortapi.cxx 2903-3024). A keyed temp table that is not materialized at open
 * is a sort in insert mode (vtfndefTTSortIns): it takes JetPrepareUpdate(insert), JetSetColumn and
 * JetUpdate, but JetRetrieveColumn, JetDupCursor and JetDelete are -1312. Its first JetMove ends the
 * insert (ErrTTSortInsMove, 3390-3422): the records are sorted by key and duplicate keys removed
 * (ErrSORTEndInsert, sort.cxx 303-372); with JET_bitTTUpdatable the sort is materialized, else it is
 * in return mode (vtfndefTTSortRet) on its first record: JetPrepareUpdate (any prep),
 * JetSetColumn, JetUpdate and JetDelete are -1312, JetRetrieveColumn reads, JetDupCursor gives a
 * second cursor on the first record. Engine (ESENT flavour under Wine, a probe script through the
 * bridge): the answers cited at each step below.
 */
import { JET_bits, JET_constants as K, JET_errors as E } from '../api/codes';
import type { JET_ERR } from '../api/codes';
import type { ColumnValue } from '../api';
import { Pos } from './cursor';
import type { Cursor, Sort } from './cursor';
import { move } from './navigate';
import type { Values } from './records';
import { cancelPrepared } from './resources';

/** jethdr.w 4824-4834. */
const { JET_bitTTIndexed, JET_bitTTUnique, JET_bitTTUpdatable, JET_bitTTScrollable, JET_bitTTSortNullsHigh, JET_bitTTForwardOnly } = JET_bits;

/** The cursor is on a sort still in insert mode. */
export function inInsertMode(c: Cursor): boolean {
  return c.sort !== null && c.sort.mode === 'insert';
}

/** The cursor is on a sort in return mode. */
export function inReturnMode(c: Cursor): boolean {
  return c.sort !== null && c.sort.mode === 'return';
}

function isMoveFirst(cRow: number): boolean {
  return cRow === K.JET_MoveFirst || cRow === 0x80000000;
}

/** One key column's order: NULL first unless JET_bitTTSortNullsHigh; text by its upper case (not measured). */
function compareValue(a: ColumnValue | undefined, b: ColumnValue | undefined, nullsHigh: boolean): number {
  const an = a === null || a === undefined;
  const bn = b === null || b === undefined;
  if (an || bn) return an && bn ? 0 : an !== nullsHigh ? -1 : 1;
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  const x = String(a).toUpperCase();
  const y = String(b).toUpperCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

function compareKeys(sort: Sort, a: Values, b: Values): number {
  const nullsHigh = (sort.grbit & JET_bitTTSortNullsHigh) !== 0;
  for (const k of sort.keys) {
    const d = compareValue(a[k.ordinal], b[k.ordinal], nullsHigh);
    if (d !== 0) return k.descending ? -d : d;
  }
  return 0;
}

/**
 * ErrSORTEndInsert (sort.cxx 303-372): the records in key order, a duplicate key removed
 * (CspairSORTIUnique, 1029-1059) unless a forward-only sort did not ask for it (ErrSORTTableOpen,
 * sortapi.cxx 72-76). Engine: keys 5, 3, 5, -7 and NULL read back NULL, -7, 3, 5. Of two records
 * with the same key the first inserted is kept (ESE keeps the lower record bytes; not measured).
 */
function endInsert(c: Cursor, sort: Sort): void {
  const list = c.table.records;
  const images: Values[] = [];
  for (let r = list.head; r !== null; r = r.next) images.push(r.versions[r.versions.length - 1].values as Values);
  images.sort((a, b) => compareKeys(sort, a, b));
  const unique = !((sort.grbit & JET_bitTTForwardOnly) !== 0 && (sort.grbit & JET_bitTTUnique) === 0);
  list.head = null;
  list.tail = null;
  let last: Values | null = null;
  for (const values of images) {
    if (unique && last !== null && compareKeys(sort, last, values) === 0) continue;
    list.append().versions.push({ ts: 0, values });
    last = values;
  }
}

/** Return mode (ErrIsamSortMove, sortapi.cxx 393-465): backwards only when scrollable or indexed, else -1312. */
function returnMove(c: Cursor, sort: Sort, cRow: number): JET_ERR {
  if (cRow < 0 && !isMoveFirst(cRow) && (sort.grbit & (JET_bitTTScrollable | JET_bitTTIndexed)) === 0) return E.JET_errIllegalOperation;
  return move(c, cRow);
}

/**
 * JetMove on a sort. In insert mode (ErrTTSortInsMove, sortapi.cxx 3395-3422): a prepared update is
 * cancelled, the insert ends (ErrTTEndInsert, 3321-3368); with JET_bitTTUpdatable the sort is
 * materialized (its SCB, and so its MaxTemporaryTables slot, released: sortapi.cxx 2621-2628) and
 * the move goes on from before the first record (engine: JetMove(0) -1603, then MoveNext the
 * first record, another sort's open 0 where it was -1701); otherwise it is in return mode on its
 * first record (an empty sort: -1603, whatever the move), and the move counts from there: MoveNext
 * stays, MoveFirst and 0 are done (engine: MoveNext 0 on the smallest key, JetMove(2) the second,
 * MovePrevious -1312 and on the first record after).
 */
export function sortMove(c: Cursor, cRow: number): JET_ERR {
  const sort = c.sort as Sort;
  if (sort.mode === 'return') return returnMove(c, sort, cRow);
  cancelPrepared(c);
  endInsert(c, sort);
  c.pos = Pos.BeforeFirst;
  c.rec = null;
  if ((sort.grbit & JET_bitTTUpdatable) !== 0) {
    // ErrIsamSortMaterialize (sortapi.cxx 2319-2628): in insert mode the sort has no other cursor.
    sort.refs = 0;
    c.session.instance.tempTableCount--;
    c.sort = null;
    if (cRow !== 0) c.levelNavigate = c.session.level;
    return move(c, cRow);
  }
  sort.mode = 'return';
  const first = c.table.records.head;
  if (first === null) return E.JET_errNoCurrentRecord;
  c.pos = Pos.On;
  c.rec = first;
  let rest = cRow;
  if (rest > 0 && rest < K.JET_MoveLast) rest--;
  if (rest === 0 || isMoveFirst(rest)) return 0;
  return returnMove(c, sort, rest);
}
