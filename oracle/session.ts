/**
 * A session (ESE's PIB): its transaction levels, session context, thread binding, open
 * databases, cursors and temp tables. Every collection is indexed so that a call costs O(1) and
 * JetEndSession costs O(what the session holds).
 */
import type { JET_HANDLE, HandleTarget } from './handles';
import type { Cursor } from './cursor';
import type { Rec, Writer } from './records';
import type { Column, DbFile, Table } from './table';
import type { Instance } from './instance';

/** DDL done inside a transaction, undone by a rollback of its level. */
export type DdlUndo = { readonly kind: 'create-table'; readonly table: Table } | { readonly kind: 'add-column'; readonly table: Table; readonly column: Column };

/** The work of one transaction level. */
export class LevelFrame {
  /** Records given a new uncommitted entry at this level, and DDL, in order. */
  undo: (Rec | DdlUndo)[] = [];
  /** Cursors and temp tables opened at (or committed into) this level; closed ones are skipped. */
  opened: Cursor[] = [];
  /**
   * Defer-closed cursors a JetOpenTable took again at this level (ESE's levelReuse, bt.cxx 525-528):
   * a rollback of it closes them, deferred again while their versions of a lower level stand.
   */
  reopened: Cursor[] = [];
}

/** A session context set by JetSetSessionContext: its value and the setting thread. */
export interface SessionContext {
  readonly value: number;
  readonly thread: string;
}

export class Session implements HandleTarget, Writer {
  readonly kind = 'session' as const;
  handle: JET_HANDLE = 0n as JET_HANDLE;

  level = 0;
  /** frames[L] holds level L's work, 1 <= L <= 7. */
  readonly frames: (LevelFrame | undefined)[] = [];
  /** Commit timestamp the level-0 begin sees (snapshot isolation). */
  trxBeginTs = 0;
  readOnlyTrx = false;
  /** The level-0 begin happened under a session context (ESE's m_fUseSessionContextForTrxContext). */
  trxUsesContext = false;
  /** The thread (no context) or the context value (with context) the transaction is bound to. */
  trxThread: string | null = null;
  trxContext = 0;
  context: SessionContext | null = null;
  /** Calls held in flight on this session (ESE's m_cInJetAPI). */
  inApi = 0;
  /** A stored undo failure (ESE's ErrRollbackFailure). */
  rollbackFailure = 0;

  /** Open counts per database (ESE's rgcdbOpen). */
  readonly dbOpens = new Map<DbFile, number>();
  /** Live table cursors per database. */
  readonly cursorsByDb = new Map<DbFile, Set<Cursor>>();
  /** Live temp tables, in opening order. */
  readonly temps = new Set<Cursor>();
  /** Closed-but-deferred cursors (Errata 7). */
  readonly deferred = new Set<Cursor>();
  /** Cursors that wrote in the current transaction. */
  readonly versionedCursors = new Set<Cursor>();
  /** Cursors with a prepared update. */
  readonly prepared = new Set<Cursor>();

  constructor(readonly instance: Instance) {}

  frame(level: number): LevelFrame {
    let f = this.frames[level];
    if (!f) {
      f = new LevelFrame();
      this.frames[level] = f;
    }
    return f;
  }
}
