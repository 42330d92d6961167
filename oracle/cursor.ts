/**
 * A cursor (ESE's FUCB): a table cursor, or the one cursor of a temp table. Its position is
 * "deferred first" after open (ESE positions a new cursor virtually on the first record), before
 * first, after last, or on a record.
 */
import type { JET_HANDLE, HandleTarget } from './handles';
import type { Rec, Values } from './records';
import type { DbFile, Table, TableCursor } from './table';
import type { Session } from './session';

export enum Pos {
  DeferredFirst,
  BeforeFirst,
  AfterLast,
  On,
}

export interface PreparedUpdate {
  /**
   * 'read-only copy': JET_prepReadOnlyCopy, which only JET_prepCancel (or a move, delete, rollback) ends.
   * 'copy delete original': JET_prepInsertCopyDeleteOriginal or ...ReplaceOriginal (rec: the original).
   */
  readonly mode: 'insert' | 'replace' | 'read-only copy' | 'copy delete original';
  readonly values: Values;
  /** The record a replace writes to. */
  readonly rec: Rec | null;
  /** ESE's levelPrep: a rollback of this level or below cancels it. */
  readonly level: number;
  /**
   * A replace prepared at level 0: the record as it was then (ESE keeps its checksum, fldmod.cxx
   * 1211-1214); the update is JET_errWriteConflict if the record no longer is (inflight.ts). Null
   * for an insert, for a replace prepared inside a transaction (checksum deferred), and once the
   * replace took its lock (upgraded).
   */
  image: Values | null;
}

/** A key column of a sort: its ordinal and direction (JET_bitColumnTTKey, JET_bitColumnTTDescending). */
export interface SortKey {
  readonly ordinal: number;
  readonly descending: boolean;
}

/**
 * A temp table that is still a sort (ESE's SCB), shared by its cursors. It has two dispatch tables
 * (sortapi.cxx 2903-3024): vtfndefTTSortIns from the open, vtfndefTTSortRet after the first move
 * (ErrTTSortInsMove, 3390-3422). The SCB holds a MaxTemporaryTables slot until the last cursor on
 * it is closed (SORTClose, sort.cxx 769-810) or the sort is materialized (sortapi.cxx 2621-2628).
 */
export interface Sort {
  mode: 'insert' | 'return';
  /** The JetOpenTempTable grbit (JET_bitTTUpdatable, JET_bitTTScrollable, ...). */
  readonly grbit: number;
  readonly keys: readonly SortKey[];
  /** Open cursors on the SCB (ESE's FCB WRefCount). */
  refs: number;
}

export class Cursor implements HandleTarget, TableCursor {
  readonly kind = 'cursor' as const;
  handle: JET_HANDLE = 0n as JET_HANDLE;
  denyRead = false;
  denyWrite = false;
  updatable = true;
  /** Created versions in the current transaction (ESE's FFUCBVersioned). */
  versioned = false;
  /** Closed by the user while versioned: the tableid is dead but locks stay (Errata 7). */
  deferred = false;
  closed = false;
  pos: Pos = Pos.DeferredFirst;
  /**
   * ESE's navigation level (fucb.hxx LevelFUCBNavigate): the transaction level of the cursor's
   * open or last move (dir.cxx ErrDIRDown 700, ErrDIRNext 865, ErrDIRPrev 1057). A rollback of
   * that level moves the cursor before first (ErrDIRRollback 2264-2271); a commit carries it down
   * (ErrDIRCommitTransaction 2155-2158). A sort moves outside DIR and never changes it.
   */
  levelNavigate = 0;
  rec: Rec | null = null;
  prep: PreparedUpdate | null = null;

  constructor(
    readonly session: Session,
    readonly table: Table,
    readonly db: DbFile | null,
    /** A temp table that is still a sort (its SCB holds a MaxTemporaryTables slot); null once materialized. */
    public sort: Sort | null,
  ) {}

  /** A cursor on a sort (not a materialized temp table, not a table). */
  get sortSlot(): boolean {
    return this.sort !== null;
  }

  get owner(): Session {
    return this.session;
  }

  get temp(): boolean {
    return this.db === null;
  }
}
