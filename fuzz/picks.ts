/**
 * How generated numbers become arguments. Commands are generated before they run, so they carry
 * choices ("the k-th live session", "a forged nil") that are resolved against the World when
 * they run: a shrunk sequence still makes sense, and the same choices always resolve the same way.
 */
import fc from 'fast-check';
import type { ColumnValue, ForgedHandleKind } from '../api';
import { JET_constants as K } from '../api/codes';
import type { HandleRef, Role, RoleKind } from './roles';
import type { CursorRec, World } from './world';

/** live: a handle of the slot's kind in use; dead: one whose object is gone; forged; other: another kind. */
export interface Choice {
  readonly kind: 'live' | 'dead' | 'forged' | 'other';
  readonly k: number;
  readonly forged: ForgedHandleKind;
}

export const nat = fc.nat({ max: 1 << 16 });

export const choiceArb: fc.Arbitrary<Choice> = fc.record({
  kind: fc.oneof(
    { arbitrary: fc.constant('live' as const), weight: 17 },
    { arbitrary: fc.constant('dead' as const), weight: 1 },
    { arbitrary: fc.constant('forged' as const), weight: 1 },
    { arbitrary: fc.constant('other' as const), weight: 1 },
  ),
  k: nat,
  forged: fc.constantFrom<ForgedHandleKind>('nil', 'zero', 'never-issued'),
});

export function pick<T>(xs: readonly T[], k: number): T | undefined {
  return xs.length === 0 ? undefined : xs[k % xs.length];
}

function roleRef(r: Role | undefined, c: Choice): HandleRef {
  return r === undefined ? { forged: c.forged } : { role: r.name };
}

/**
 * A handle for a slot of `kind`, as the choice says; falls back to what exists, then to a forged
 * one. With `prefer`, three live picks in four are made among the preferred roles when there are any.
 */
export function handleFor(w: World, kind: RoleKind, c: Choice, prefer?: (r: Role) => boolean): HandleRef {
  let live = w.usable(kind, 'live');
  if (prefer !== undefined && c.k % 4 !== 3 && live.some(prefer)) live = live.filter(prefer);
  const dead = w.usable(kind, 'dead');
  switch (c.kind) {
    case 'live':
      return roleRef(pick(live, c.k) ?? pick(dead, c.k), c);
    case 'dead':
      return roleRef(pick(dead, c.k) ?? pick(live, c.k), c);
    case 'forged':
      return { forged: c.forged };
    case 'other': {
      const others = (['instance', 'session', 'cursor'] as const).filter((x) => x !== kind).flatMap((x) => [...w.usable(x, 'live'), ...w.usable(x, 'dead')]);
      return roleRef(pick(others, c.k), c);
    }
  }
}

/** The instance argument: in single-instance mode the live instance is reached through NULL/nil. */
export function instanceFor(w: World, c: Choice): HandleRef {
  if (w.mode === 'single' && c.kind === 'live') return { forged: 'nil' };
  return handleFor(w, 'instance', c);
}

/** A cursor and the session to pass with it: its owner unless `owner` is false. */
export function cursorFor(w: World, c: Choice, owner: boolean, other: Choice): { sesid: HandleRef; tableid: HandleRef; cursor: CursorRec | undefined } {
  const tableid = handleFor(w, 'cursor', c);
  const cursor = tableid !== null && 'role' in tableid ? w.cursorOf(tableid.role) : undefined;
  const sesid = owner && cursor !== undefined ? { role: cursor.session.role.name } : handleFor(w, 'session', other);
  return { sesid, tableid, cursor };
}

/** Columnids of the cursor's table (or temp table), and one no table has. */
export function columnsOf(cursor: CursorRec | undefined): number[] {
  const own = cursor === undefined ? [] : cursor.table ? cursor.table.columns : [...cursor.tempColumns];
  return [...own, 999];
}

/** A value for a column: usually of the column's type (ESE numbering: fixed 1.., variable 128.., tagged 256..). */
export interface ValueChoice {
  readonly typed: boolean;
  readonly k: number;
}

export const valueArb: fc.Arbitrary<ValueChoice> = fc.record({ typed: fc.oneof({ arbitrary: fc.constant(true), weight: 9 }, { arbitrary: fc.constant(false), weight: 1 }), k: nat });

const longs: readonly ColumnValue[] = [0, 1, 2, 7, -5, 2147483647, null];
const texts: readonly ColumnValue[] = ['a', 'bb', '', 'x y', null];
// Out of range for a Long (8 bytes) or of the other type: ESE stores bytes, so -1047 JET_errInvalidBufferSize
// when they are not 4 for a Long (oracle/dml.ts asStored), else the bytes.
const odd: readonly ColumnValue[] = [2147483648, -2147483649, 'n', 3, null];

export function valueFor(columnid: number, v: ValueChoice): ColumnValue {
  if (!v.typed) return odd[v.k % odd.length];
  return (columnid < 128 ? longs : texts)[v.k % (columnid < 128 ? longs.length : texts.length)];
}

export const files = ['fz1.edb', 'fz2.edb'] as const;
export const tableNames = ['t1', 't2'] as const;
export const columnNames = ['a', 'b', 'c'] as const;
export const coltyps = [K.JET_coltypLong, K.JET_coltypText, K.JET_coltypLongText] as const;

/**
 * A dbid the World has seen, or 0, which no database has. A dbid beyond the FMPs the process has
 * allocated must not be forged: ESE's FEnter checks only FInRangeIFMP (fmp.hxx 2221-2222: < g_ifmpMax)
 * and ErrPIBCheckIfmp then reads g_rgfmp[dbid], committed only up to the FMPs in use, so such a dbid
 * (77 here once) is an access violation that kills the process (engine, under Wine). 0 is below
 * cfmpReserved (daeconst.hxx 237): FInRangeIFMP rejects it with -1010 before any FMP is read.
 */
export function dbidFor(w: World, k: number): number {
  return pick([...w.dbids.keys(), 0], k) as number;
}
