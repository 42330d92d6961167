/**
 * A small fixture over the engine for the oracle's tests: an initialized instance, sessions, a
 * database with a table of Long values, and readers that show what a session sees.
 */
import { strict as assert } from 'node:assert';
import { Engine, JET_bits as B, JET_constants as K, JET_errors as E, JET_params as P, describeErr } from '../../oracle';
import type { EngineOptions, JET_HANDLE } from '../../oracle';

export { B, E, K, P };
export type { JET_HANDLE };

export interface FixtureOptions {
  readonly engine?: EngineOptions;
  readonly maxSessions?: number;
  readonly maxCursors?: number;
  readonly maxTemporaryTables?: number;
  readonly maxOpenTables?: number;
}

/** Asserts the code of a result and returns the result. */
export function expectErr<T extends { readonly err: number }>(r: T, err: number, what = 'call'): T {
  assert.equal(r.err, err, `${what}: expected ${describeErr(err)}, got ${describeErr(r.err)}`);
  return r;
}

export function must<T extends { readonly err: number }>(r: T, what = 'call'): T {
  return expectErr(r, 0, what);
}

export class Fixture {
  readonly e: Engine;
  readonly inst: JET_HANDLE;
  /** The column of the table made by `table`. */
  columnid = 0;

  constructor(options: FixtureOptions = {}) {
    this.e = new Engine(options.engine);
    this.inst = must(this.e.JetCreateInstance('t1', 'i1')).instance as JET_HANDLE;
    const params: [number, number | undefined][] = [
      [P.JET_paramMaxSessions, options.maxSessions],
      [P.JET_paramMaxCursors, options.maxCursors],
      [P.JET_paramMaxTemporaryTables, options.maxTemporaryTables],
      [P.JET_paramMaxOpenTables, options.maxOpenTables],
    ];
    for (const [id, v] of params) if (v !== undefined) must(this.e.JetSetSystemParameter('t1', this.inst, null, id, v));
    must(this.e.JetInit('t1', this.inst));
  }

  session(thread = 't1'): JET_HANDLE {
    return must(this.e.JetBeginSession(thread, this.inst, '', ''), 'JetBeginSession').sesid as JET_HANDLE;
  }

  /** Creates (first time) or opens the database; returns its dbid for s. */
  database(s: JET_HANDLE, name = 'db1', grbit = 0, thread = 't1'): number {
    const created = this.e.JetCreateDatabase(thread, s, name, 0);
    if (created.err === 0) {
      if (grbit === 0) return created.dbid as number;
      must(this.e.JetCloseDatabase(thread, s, created.dbid as number, 0));
    }
    return must(this.e.JetOpenDatabase(thread, s, name, grbit), 'JetOpenDatabase').dbid as number;
  }

  /** A committed table "t" with one Long column holding values; the creating cursor is closed. */
  table(s: JET_HANDLE, dbid: number, values: readonly number[], name = 't', thread = 't1'): void {
    const tableid = must(this.e.JetCreateTable(thread, s, dbid, name), 'JetCreateTable').tableid as JET_HANDLE;
    this.columnid = must(this.e.JetAddColumn(thread, s, tableid, 'v', K.JET_coltypLong)).columnid as number;
    for (const v of values) this.insert(s, tableid, v, thread);
    must(this.e.JetCloseTable(thread, s, tableid));
  }

  open(s: JET_HANDLE, dbid: number, grbit = 0, name = 't', thread = 't1'): JET_HANDLE {
    return must(this.e.JetOpenTable(thread, s, dbid, name, grbit), 'JetOpenTable').tableid as JET_HANDLE;
  }

  insert(s: JET_HANDLE, tableid: JET_HANDLE, value: number, thread = 't1'): void {
    must(this.e.JetPrepareUpdate(thread, s, tableid, K.JET_prepInsert), 'prepInsert');
    must(this.e.JetSetColumn(thread, s, tableid, this.columnid, value), 'JetSetColumn');
    must(this.e.JetUpdate(thread, s, tableid), 'JetUpdate');
  }

  /** Replaces the value of the record that holds `from`; returns the JET_ERR of the first failing call. */
  replace(s: JET_HANDLE, tableid: JET_HANDLE, from: number, to: number, thread = 't1'): number {
    if (!this.seek(s, tableid, from, thread)) return E.JET_errNoCurrentRecord;
    const prep = this.e.JetPrepareUpdate(thread, s, tableid, K.JET_prepReplace).err;
    if (prep !== 0) return prep;
    must(this.e.JetSetColumn(thread, s, tableid, this.columnid, to));
    return this.e.JetUpdate(thread, s, tableid).err;
  }

  remove(s: JET_HANDLE, tableid: JET_HANDLE, value: number, thread = 't1'): number {
    if (!this.seek(s, tableid, value, thread)) return E.JET_errNoCurrentRecord;
    return this.e.JetDelete(thread, s, tableid).err;
  }

  /** Moves to the first record holding value; false when none. */
  seek(s: JET_HANDLE, tableid: JET_HANDLE, value: number, thread = 't1'): boolean {
    let err = this.e.JetMove(thread, s, tableid, K.JET_MoveFirst, 0).err;
    while (err === 0) {
      if (this.e.JetRetrieveColumn(thread, s, tableid, this.columnid).value === value) return true;
      err = this.e.JetMove(thread, s, tableid, K.JET_MoveNext, 0).err;
    }
    return false;
  }

  /** Every value s sees through a cursor, in order. */
  scan(s: JET_HANDLE, tableid: JET_HANDLE, thread = 't1'): (number | string | null)[] {
    const out: (number | string | null)[] = [];
    let err = this.e.JetMove(thread, s, tableid, K.JET_MoveFirst, 0).err;
    while (err === 0) {
      out.push(this.e.JetRetrieveColumn(thread, s, tableid, this.columnid).value ?? null);
      err = this.e.JetMove(thread, s, tableid, K.JET_MoveNext, 0).err;
    }
    assert.equal(err, E.JET_errNoCurrentRecord);
    return out;
  }

  /** What a fresh session sees in table t of db (opens and closes everything it uses). */
  committed(name = 'db1', table = 't'): (number | string | null)[] {
    const r = this.session('reader');
    const dbid = must(this.e.JetOpenDatabase('reader', r, name, 0)).dbid as number;
    const tableid = this.open(r, dbid, 0, table, 'reader');
    const values = this.scan(r, tableid, 'reader');
    must(this.e.JetEndSession('reader', r, 0));
    return values;
  }
}

/** A session, database db1, table "t" holding 1 and 2 in its Long column, and the session's cursor on it. */
export function sessionWithTable(options: FixtureOptions = {}): { f: Fixture; s: JET_HANDLE; dbid: number; t: JET_HANDLE } {
  const f = new Fixture(options);
  const s = f.session();
  const dbid = f.database(s);
  f.table(s, dbid, [1, 2]);
  return { f, s, dbid, t: f.open(s, dbid) };
}

/** Cursors s can still open on table "t" before -1013 JET_errOutOfCursors (closed again afterwards). */
export function freeCursors(f: Fixture, s: JET_HANDLE, dbid: number): number {
  const opened: JET_HANDLE[] = [];
  for (;;) {
    const r = f.e.JetOpenTable('t1', s, dbid, 't', 0);
    if (r.err !== 0) {
      assert.equal(r.err, E.JET_errOutOfCursors);
      break;
    }
    opened.push(r.tableid as JET_HANDLE);
  }
  for (const c of opened) must(f.e.JetCloseTable('t1', s, c));
  return opened.length;
}
