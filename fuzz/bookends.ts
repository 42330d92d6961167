/**
 * How a run starts and ends. The prologue (generated, shrinkable) gets a run to an interesting
 * state quickly; the epilogue compares what the run left behind.
 */
import fc from 'fast-check';
import { JET_constants as K, JET_params as P } from '../api/codes';
import { call, scanTable, type FuzzModel } from './exec';
import { columnsOf, files, tableNames } from './picks';
import type { HandleRef } from './roles';

/** How a run starts: an initialized instance with small limits, a few sessions, maybe a table. */
export interface Prologue {
  readonly single: boolean;
  readonly maxSessions: number;
  readonly maxTemporaryTables: number | null;
  readonly sessions: number;
  readonly table: boolean;
  readonly records: number;
  readonly closeCursor: boolean;
  /** The other sessions open the database too. */
  readonly shareDatabase: boolean;
}

/** true `yes` times in `yes + no`; shrinks towards false (a oneof would not shrink across its arbitraries). */
function weighted(yes: number, no: number): fc.Arbitrary<boolean> {
  return fc.integer({ min: 0, max: yes + no - 1 }).map((n) => n >= no);
}

export const prologueArb: fc.Arbitrary<Prologue> = fc.record({
  single: weighted(1, 5),
  maxSessions: fc.integer({ min: 1, max: 4 }),
  maxTemporaryTables: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }),
  sessions: fc.integer({ min: 1, max: 3 }),
  table: weighted(3, 1),
  records: fc.integer({ min: 0, max: 3 }),
  closeCursor: fc.boolean(),
  shareDatabase: weighted(3, 1),
});

/** Runs the prologue's calls on thread t1 (each compared like any other call). */
export async function runPrologue(m: FuzzModel, p: Prologue): Promise<void> {
  const t = 't1';
  const w = m.world;
  let instance: HandleRef = { forged: 'nil' };
  if (!p.single) {
    await call(m, t, 'JetCreateInstance', { name: 'fz1' });
    instance = { role: 'i1' };
  }
  const param = (paramid: number, lParam: number) => call(m, t, 'JetSetSystemParameter', { instance: p.single ? null : instance, sesid: null, paramid, lParam });
  await param(P.JET_paramMaxSessions, p.maxSessions);
  if (p.maxTemporaryTables !== null) await param(P.JET_paramMaxTemporaryTables, p.maxTemporaryTables);
  await call(m, t, 'JetInit', { instance });
  for (let i = 0; i < Math.min(p.sessions, p.maxSessions); i++) {
    await call(m, t, 'JetBeginSession', { instance, username: '', password: '' });
  }
  const s1 = w.sessionOf('s1');
  if (!p.table || s1 === undefined) return;
  const sesid = { role: 's1' };
  if ((await call(m, t, 'JetCreateDatabase', { sesid, filename: files[0], grbit: 0 })) !== 0) return;
  const dbid = [...w.dbids.keys()][0];
  if ((await call(m, t, 'JetCreateTable', { sesid, dbid, tablename: tableNames[0] })) !== 0) return;
  const tableid = { role: m.pair.lastIssued as string };
  await call(m, t, 'JetAddColumn', { sesid, tableid, column: 'a', coltyp: K.JET_coltypLong });
  await call(m, t, 'JetAddColumn', { sesid, tableid, column: 'b', coltyp: K.JET_coltypText });
  const cols = columnsOf(w.cursorOf(tableid.role)).slice(0, -1);
  for (let k = 1; k <= p.records; k++) {
    await call(m, t, 'JetPrepareUpdate', { sesid, tableid, prep: K.JET_prepInsert });
    for (const columnid of cols) await call(m, t, 'JetSetColumn', { sesid, tableid, columnid, value: columnid < 128 ? k : `r${k}` });
    await call(m, t, 'JetUpdate', { sesid, tableid });
  }
  if (p.closeCursor) await call(m, t, 'JetCloseTable', { sesid, tableid });
  if (!p.shareDatabase) return;
  for (const other of w.usable('session', 'live').slice(1)) {
    await call(m, t, 'JetOpenDatabase', { sesid: { role: other.name }, filename: files[0], grbit: 0 });
  }
}

/**
 * The end of every run: the observable state must agree too. A fresh session (the first live
 * one when MaxSessions is reached) reads every table the run knows of, and takes temp tables
 * until the quota refuses one (what ended sessions left behind shows there).
 */
export async function runEpilogue(m: FuzzModel): Promise<void> {
  const w = m.world;
  const t = w.freeThreads()[0];
  const inst = w.instances.find((i) => !i.freed && i.initialized);
  if (t === undefined || inst === undefined) return;
  const instance: HandleRef = inst.role ? { role: inst.role.name } : { forged: 'nil' };
  let sesid: HandleRef | undefined;
  if (w.roomForSession(inst)) {
    const err = await call(m, t, 'JetBeginSession', { instance, username: '', password: '' });
    if (err !== undefined && err >= 0 && m.pair.lastIssued !== undefined) sesid = { role: m.pair.lastIssued };
  }
  sesid ??= [...inst.sessions].map((s) => ({ role: s.role.name }))[0];
  if (sesid === undefined) return;
  const tables = [...w.tables.values()].sort((x, y) => (x.file + x.name).localeCompare(y.file + y.name));
  for (const table of tables) await scanTable(m, t, sesid, table.file, table.name);
  // The temp-table quota: temp tables until one is refused (at most 4), then closed again.
  const temps: string[] = [];
  // The first temp table of an instance with every session slot taken is not comparable (World).
  for (let i = 0; i < 4 && w.roomForTempDatabase(inst); i++) {
    const err = await call(m, t, 'JetOpenTempTable', { sesid, columns: [{ coltyp: K.JET_coltypLong, grbit: 0 }], grbit: 0 });
    if (err === undefined || err < 0 || m.pair.lastIssued === undefined) break;
    temps.push(m.pair.lastIssued);
  }
  for (const role of temps) await call(m, t, 'JetCloseTable', { sesid, tableid: { role } });
}
