/**
 * The suite's own record of what the fixtures did: which records are committed, which changes each
 * session has made at which transaction level. Probes compare what the implementation shows with it.
 * It is deliberately tiny: records are key → text, and only the fixtures write to it.
 */

export type Records = ReadonlyMap<number, string>;

export interface Change {
  level: number;
  readonly kind: 'insert' | 'update' | 'delete';
  readonly key: number;
  readonly value?: string;
}

export interface TableShadow {
  readonly name: string;
  readonly db: string;
  readonly columnids: { readonly key: number; readonly value: number };
  committed: Map<number, string>;
}

export interface SessionShadow {
  readonly name: string;
  level: number;
  /** The thread of the level-0 JetBeginTransaction: the one a context-free transaction is bound to. */
  trxThread?: string | undefined;
  readonly dbids: Map<string, number>;
  /** table name → the saved name of the session's level-0 cursor on it. */
  readonly cursors: Map<string, string>;
  /** table name → committed records as of the level-0 begin (snapshot isolation). */
  snapshot?: Map<string, Map<number, string>> | undefined;
  readonly changes: Map<string, Change[]>;
  readonly tempTables: string[];
}

function apply(base: Records, changes: readonly Change[]): Map<number, string> {
  const out = new Map(base);
  for (const c of changes) {
    if (c.kind === 'delete') out.delete(c.key);
    else out.set(c.key, c.value ?? '');
  }
  return out;
}

export class Shadow {
  readonly tables = new Map<string, TableShadow>();
  readonly sessions = new Map<string, SessionShadow>();

  session(name: string): SessionShadow {
    let s = this.sessions.get(name);
    if (s === undefined) {
      s = { name, level: 0, dbids: new Map(), cursors: new Map(), changes: new Map(), tempTables: [] };
      this.sessions.set(name, s);
    }
    return s;
  }

  /** Maps the issued numbers the shadow holds (column ids, dbids): placeholders of chained setup calls become the implementation's values. */
  mapNumbers(f: (n: number) => number): void {
    for (const [name, t] of this.tables) {
      const key = f(t.columnids.key);
      const value = f(t.columnids.value);
      if (key !== t.columnids.key || value !== t.columnids.value) this.tables.set(name, { ...t, columnids: { key, value } });
    }
    for (const s of this.sessions.values()) for (const [db, dbid] of s.dbids) s.dbids.set(db, f(dbid));
  }

  table(name: string): TableShadow {
    const t = this.tables.get(name);
    if (t === undefined) throw new Error(`the scenario has no table "${name}": add 'Given a database "db1" with a table "${name}" holding 3 records'`);
    return t;
  }

  begin(session: string, thread: string): void {
    const s = this.session(session);
    if (s.level === 0) {
      s.trxThread = thread;
      s.snapshot = new Map([...this.tables].map(([name, t]) => [name, new Map(t.committed)]));
    }
    s.level++;
  }

  change(session: string, table: string, change: Omit<Change, 'level'>): void {
    const s = this.session(session);
    const list = s.changes.get(table) ?? [];
    list.push({ ...change, level: s.level });
    s.changes.set(table, list);
    if (s.level === 0) this.commitAll(s);
  }

  commit(session: string): void {
    const s = this.session(session);
    if (s.level === 0) return;
    s.level--;
    for (const list of s.changes.values()) for (const c of list) if (c.level > s.level) c.level = s.level;
    if (s.level === 0) this.commitAll(s);
  }

  rollback(session: string, all: boolean): void {
    const s = this.session(session);
    while (s.level > 0) {
      for (const [table, list] of s.changes) s.changes.set(table, list.filter((c) => c.level < s.level));
      s.level--;
      if (!all) break;
    }
    if (s.level === 0) this.endTransaction(s);
  }

  /** The session is gone: what it had not committed is discarded. */
  end(session: string): void {
    const s = this.session(session);
    s.level = 0;
    s.changes.clear();
    this.endTransaction(s);
    this.sessions.delete(session);
  }

  private commitAll(s: SessionShadow): void {
    for (const [table, list] of s.changes) {
      const t = this.table(table);
      t.committed = apply(t.committed, list);
    }
    s.changes.clear();
    this.endTransaction(s);
  }

  private endTransaction(s: SessionShadow): void {
    s.trxThread = undefined;
    s.snapshot = undefined;
  }

  /** What the session itself must see in the table. */
  view(session: string, table: string): Map<number, string> {
    const s = this.session(session);
    const base = s.snapshot?.get(table) ?? this.table(table).committed;
    return apply(base, s.changes.get(table) ?? []);
  }

  /** Committed records the session changed in its open transaction: others must not be able to write them. */
  lockedKeys(session: string, table: string): number[] {
    const s = this.session(session);
    const committed = this.table(table).committed;
    const keys = (s.changes.get(table) ?? []).filter((c) => c.kind !== 'insert' && committed.has(c.key)).map((c) => c.key);
    return [...new Set(keys)];
  }

  hasUncommittedWork(session: string): boolean {
    return [...this.session(session).changes.values()].some((l) => l.length > 0);
  }
}
