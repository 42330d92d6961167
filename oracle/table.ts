/**
 * Database files, tables and columns. Database files live in the process state ("the database
 * folder"): they survive JetTerm and are forgotten by `reset`. A file is attached to at most one
 * instance at a time; its dbid is a small process-wide number, like ESE's IFMP.
 */
import { JET_constants } from '../api/codes';
import { RecordList } from './records';
import type { Writer } from './records';

/** Column types the engine stores (ESE's coltyp numbers). */
export const modelledColtyps: ReadonlySet<number> = new Set([
  JET_constants.JET_coltypLong,
  JET_constants.JET_coltypText,
  JET_constants.JET_coltypLongText,
]);

export class Column {
  /** Uncommitted DDL: the session that added it, until its transaction commits to level 0. */
  uncommittedBy: Writer | null = null;
  /** The commit timestamp of its catalog entry: an older snapshot does not see it (versions.ts columnVisible). */
  committedTs = 0;
  dropped = false;
  constructor(
    readonly columnid: number,
    readonly name: string,
    readonly coltyp: number,
    readonly ordinal: number,
  ) {}
}

/** A cursor as the table sees it: who holds it and which domain locks it carries. */
export interface TableCursor {
  readonly owner: Writer;
  denyRead: boolean;
  denyWrite: boolean;
  updatable: boolean;
}

export class Table {
  readonly records = new RecordList();
  readonly columns: Column[] = [];
  readonly byId = new Map<number, Column>();
  readonly byName = new Map<string, Column>();
  /** Every cursor on the table, deferred-closed ones included (they keep their locks). */
  readonly cursors = new Set<TableCursor>();
  denyReadBy: Writer | null = null;
  denyReadCount = 0;
  denyWriteCount = 0;
  /** Uncommitted DDL: the session that created it, until its transaction commits to level 0. */
  uncommittedBy: Writer | null = null;
  private nextFixed = 1;
  private nextVar = 128;
  private nextTagged = 256;

  constructor(
    readonly name: string,
    readonly db: DbFile | null,
  ) {}

  get temp(): boolean {
    return this.db === null;
  }

  /** ESE numbering: fixed columns from 1, variable from 128, tagged (long values) from 256. */
  addColumn(name: string, coltyp: number): Column {
    let id: number;
    if (coltyp === JET_constants.JET_coltypLong) id = this.nextFixed++;
    else if (coltyp === JET_constants.JET_coltypText) id = this.nextVar++;
    else id = this.nextTagged++;
    const c = new Column(id, name, coltyp, this.columns.length);
    this.columns.push(c);
    this.byId.set(id, c);
    this.byName.set(name.toLowerCase(), c);
    return c;
  }

  dropColumn(c: Column): void {
    c.dropped = true;
    this.byId.delete(c.columnid);
    if (this.byName.get(c.name.toLowerCase()) === c) this.byName.delete(c.name.toLowerCase());
  }

  /** Visible to a session: committed, or created by that session. */
  visibleTo(w: Writer): boolean {
    return this.uncommittedBy === null || this.uncommittedBy === w;
  }
}

export class DbFile {
  readonly tables = new Map<string, Table>();
  /** The instance it is attached to (opaque here), and its dbid while attached. */
  attachedTo: object | null = null;
  dbid = 0;
  /** Opens by every session of the attaching instance (ESE's CPin). */
  pins = 0;
  exclusiveBy: Writer | null = null;
  /** Left attached by a dirty term and not yet recovered (ProcessState.dirtyTerms). */
  dirty = false;

  constructor(readonly name: string) {}

  /** Forgets everything an instance held on the file (detach at term). */
  detach(): void {
    this.attachedTo = null;
    this.dbid = 0;
    this.pins = 0;
    this.exclusiveBy = null;
    for (const t of this.tables.values()) {
      t.cursors.clear();
      t.denyReadBy = null;
      t.denyReadCount = 0;
      t.denyWriteCount = 0;
    }
  }
}

/** Folder key of a file name: Windows file names are case-insensitive. */
export function fileKey(name: string): string {
  return name.toLowerCase();
}
