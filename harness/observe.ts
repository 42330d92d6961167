/**
 * The observable state of every live instance, through the API only: what another session, the
 * scenario's own handles and the engine's limits show. One probe sequence, run on a side (the
 * implementation, or the shadow reference of harness/mirror.ts), gives an Observation: named
 * components, each a plain value, so that a difference names the part of the state that differs
 * ("state: temp-table slots of i1").
 *
 * Every probe undoes what it did (observer sessions are ended, their cursors, temp tables and
 * databases closed, transactions rolled back, contexts reset), so that observing does not change
 * what later steps check. Values never include handles, dbids or column ids (the implementation's
 * choice): only codes, counts and record data.
 */
import type { CallResult, Returned } from '../adapters/types';
import type { ArgsOf, HandleArg, OperationName } from '../api';
import { JET_bits, JET_constants, JET_errors, JET_params } from './codes';
import { FaultError } from './errors';
import type { Registry, RegSession, RegTable } from './registry';

/** One side of the comparison: calls, and the translation of the scenario's handles into the side's. */
export interface Side {
  call<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<CallResult<O>>;
  handle(h: string): HandleArg;
  number(key: 'dbid' | 'columnid', n: number): number;
}

export type Observation = Map<string, unknown>;

export interface ObserveOptions {
  /** Threads the probes may call on (not holding a call, not waiting). The first is the observer's. */
  readonly threads: readonly string[];
  /** Session handle → the scenario's name for it; cursor handle → its name. */
  readonly nameOf: (handle: string) => string | undefined;
  /** Observer sessions left behind by earlier observations (their end was refused), by instance handle. */
  readonly debt: Map<string, number>;
}

/** Scans stop here: the scenarios' tables hold a handful of records. */
const maxRows = 1000;
/** Limits are probed up to the declared value plus this much (ESENT's session slack is up to 69). */
const beyondLimit = 100;
const probeContext = 0x0b5e;

/** ESE's defaults of the limits the probes count (sysparamtable.g.cxx). */
const defaults: Record<string, number> = { JET_paramMaxSessions: 16, JET_paramMaxCursors: 1024, JET_paramMaxTemporaryTables: 20 };

/** Warnings are successes: a code is kept when negative, 0 otherwise. */
function code(r: Returned): number {
  return r.err < 0 ? r.err : 0;
}

class Prober {
  constructor(
    private readonly side: Side,
    readonly thread: string,
  ) {}

  async call<O extends OperationName>(op: O, args: ArgsOf<O>, thread = this.thread): Promise<Returned<O>> {
    const r = await this.side.call(thread, op, args);
    if (r.kind === 'returned') return r;
    if (r.kind === 'unsupported') throw new FaultError({ kind: 'protocol-error', reason: `${op} answered "unsupported" while observing the state: ${r.reason}` }, op);
    throw new FaultError(r, `${op} (observing the state)`);
  }

  h(handle: string): HandleArg {
    return this.side.handle(handle);
  }

  n(key: 'dbid' | 'columnid', value: number): number {
    return this.side.number(key, value);
  }
}

type Row = { readonly data: string; readonly lock?: number };
type Scan = Row[] | { readonly error: number | string };

/** Reads every record the cursor reaches: the known columns by name, and optionally the write-lock probe. */
async function scan(p: Prober, sesid: HandleArg, tableid: HandleArg, table: RegTable, thread: string, withLocks: boolean): Promise<Scan> {
  const cols = [...table.columns].sort(([a], [b]) => a.localeCompare(b));
  const rows: Row[] = [];
  let move = await p.call('JetMove', { sesid, tableid, cRow: JET_constants.JET_MoveFirst, grbit: 0 }, thread);
  while (move.err >= 0 && rows.length < maxRows) {
    const values: Record<string, unknown> = {};
    for (const [name, columnid] of cols) {
      const r = await p.call('JetRetrieveColumn', { sesid, tableid, columnid: p.n('columnid', columnid) }, thread);
      values[name] = r.err < 0 ? { err: r.err } : (r.out?.value ?? null);
    }
    let lock: number | undefined;
    if (withLocks) {
      lock = code(await p.call('JetPrepareUpdate', { sesid, tableid, prep: JET_constants.JET_prepReplace }, thread));
      if (lock === 0) await p.call('JetPrepareUpdate', { sesid, tableid, prep: JET_constants.JET_prepCancel }, thread);
    }
    rows.push({ data: JSON.stringify(values), ...(lock === undefined ? {} : { lock }) });
    move = await p.call('JetMove', { sesid, tableid, cRow: JET_constants.JET_MoveNext, grbit: 0 }, thread);
  }
  if (rows.length >= maxRows) return { error: `JetMove still moving after ${maxRows} records` };
  // The end of the table is the only stop that is not a finding of its own.
  return move.err === JET_errors.JET_errNoCurrentRecord ? rows : rows.length === 0 ? { error: code(move) } : [...rows, { data: `JetMove stopped with ${move.err}` }];
}

function sortedData(rows: Scan): unknown {
  return Array.isArray(rows) ? rows.map((r) => r.data).sort() : rows;
}

function sortedLocks(rows: Scan): unknown {
  return Array.isArray(rows) ? rows.map((r) => `${r.data} -> ${r.lock ?? '-'}`).sort() : rows;
}

function limitOf(reg: Registry, instance: string, param: string): number {
  return reg.instances.get(instance)?.params.get(JET_params[param]) ?? defaults[param];
}

/** Observes one side. The order is fixed, so both sides make the same calls while their states agree. */
export async function observe(side: Side, reg: Registry, options: ObserveOptions): Promise<Observation> {
  const obs: Observation = new Map();
  const [thread] = options.threads;
  const p = new Prober(side, thread);
  const instances = [...reg.instances.values()].filter((i) => i.inited).sort((a, b) => a.name.localeCompare(b.name));
  const label = (h: string) => {
    const inst = reg.instances.get(h);
    return inst === undefined ? 'the instance' : inst.name === '' ? 'the unnamed instance' : inst.name;
  };

  // The scenario's sessions first, before any observer session exists.
  const sessionFindings: Observation = new Map();
  let unnamed = 0;
  for (const s of [...reg.sessions.values()]) {
    const name = options.nameOf(s.sesid) ?? `session #${++unnamed}`;
    await observeSession(p, reg, s, name, options, sessionFindings);
  }

  for (const inst of instances) {
    const at = label(inst.handle);
    const begun = await p.call('JetBeginSession', { instance: p.h(inst.handle), username: '', password: '' });
    obs.set(`state: observer session on ${at}`, code(begun));
    if (begun.err >= 0 && typeof begun.out?.sesid === 'string') {
      const o = begun.out.sesid;
      await observeDatabases(p, reg, inst.handle, o, obs);
      await observeTempSlots(p, reg, inst.handle, o, at, obs);
      await observeCursorSlots(p, reg, inst.handle, o, at, obs);
      await observeThreads(p, o, options.threads, obs);
      const ended = await p.call('JetEndSession', { sesid: o, grbit: 0 });
      if (ended.err < 0) {
        // Sessions cannot be ended now (a term in progress): counting slots would leave them all behind.
        options.debt.set(inst.handle, (options.debt.get(inst.handle) ?? 0) + 1);
        obs.set(`state: session slots of ${at}`, `not counted: JetEndSession of an observer session returned ${ended.err}`);
        continue;
      }
    }
    await observeSessionSlots(p, reg, inst.handle, at, obs, options.debt);
  }
  // What the sessions' own probes found goes in too, in a stable order.
  for (const [k, v] of sessionFindings) obs.set(k, v);
  return obs;
}

async function observeSession(p: Prober, reg: Registry, s: RegSession, name: string, options: ObserveOptions, sessionFindings: Observation): Promise<void> {
  const sesid = p.h(s.sesid);
  const thread = s.trxThread !== undefined && options.threads.includes(s.trxThread) ? s.trxThread : p.thread;
  // Its context: setting one succeeds only when none is set (then it is reset at once).
  const set = await p.call('JetSetSessionContext', { sesid, context: probeContext });
  if (set.err >= 0) await p.call('JetResetSessionContext', { sesid });
  sessionFindings.set(`state: context of ${name}`, code(set));
  // Its transaction level: nested levels until JetBeginTransaction refuses, then each rolled back.
  let nested = 0;
  let stop = 0;
  for (; nested <= 8; nested++) {
    const b = await p.call('JetBeginTransaction', { sesid }, thread);
    if (b.err < 0) {
      stop = b.err;
      break;
    }
  }
  const rollbacks: number[] = [];
  for (let i = 0; i < nested; i++) rollbacks.push(code(await p.call('JetRollback', { sesid, grbit: 0 }, thread)));
  sessionFindings.set(`state: transaction of ${name}`, { levelsFree: nested, refusedWith: stop, ...(rollbacks.some((r) => r !== 0) ? { rollbacks } : {}) });
  // What it sees, through a fresh cursor on every table of the databases it has open.
  for (const [file, db] of [...s.dbs].sort(([a], [b]) => a.localeCompare(b))) {
    for (const table of [...reg.tables.values()].filter((t) => t.file === file).sort((a, b) => a.name.localeCompare(b.name))) {
      const opened = await p.call('JetOpenTable', { sesid, dbid: p.n('dbid', db.dbid), tablename: table.name, grbit: 0 }, thread);
      let seen: unknown = { error: code(opened) };
      if (opened.err >= 0 && typeof opened.out?.tableid === 'string') {
        seen = sortedData(await scan(p, sesid, opened.out.tableid, table, thread, false));
        await p.call('JetCloseTable', { sesid, tableid: opened.out.tableid }, thread);
      }
      sessionFindings.set(`state: view of ${name} on ${table.file}/${table.name}`, seen);
    }
  }
  // Its cursors: whether each still works. Read without moving it; where it stands is not compared
  // (the scenario's own probes read through it), so "no current record" counts as open.
  const cursors: Record<string, unknown> = {};
  let k = 0;
  for (const c of s.cursors.values()) {
    const cname = options.nameOf(c.tableid) ?? `cursor #${++k}`;
    const table = c.table === undefined ? undefined : reg.tables.get(c.table);
    const columnid = table !== undefined ? [...table.columns.values()][0] : c.columnids?.[0];
    if (columnid === undefined) continue;
    const r = await p.call('JetRetrieveColumn', { sesid, tableid: p.h(c.tableid), columnid: p.n('columnid', columnid) }, thread);
    cursors[cname] = r.err >= 0 || r.err === JET_errors.JET_errNoCurrentRecord ? 'open' : r.err;
  }
  if (Object.keys(cursors).length > 0) sessionFindings.set(`state: cursors of ${name}`, cursors);
}

async function observeDatabases(p: Prober, reg: Registry, instance: string, o: string, obs: Observation): Promise<void> {
  const inst = reg.instances.get(instance);
  for (const file of [...(inst?.files ?? [])].sort()) {
    // Exclusive first: the observer's own plain open would make it fail.
    const exclusive = await p.call('JetOpenDatabase', { sesid: o, filename: file, grbit: JET_bits.JET_bitDbExclusive });
    if (exclusive.err >= 0 && typeof exclusive.out?.dbid === 'number') await p.call('JetCloseDatabase', { sesid: o, dbid: exclusive.out.dbid, grbit: 0 });
    const shared = await p.call('JetOpenDatabase', { sesid: o, filename: file, grbit: 0 });
    obs.set(`state: database ${file}`, { exclusive: code(exclusive), shared: code(shared) });
    if (shared.err < 0 || typeof shared.out?.dbid !== 'number') continue;
    const dbid = shared.out.dbid;
    for (const table of [...reg.tables.values()].filter((t) => t.file === file).sort((a, b) => a.name.localeCompare(b.name))) {
      const where = `${file}/${table.name}`;
      const locks: Record<string, number> = {};
      for (const [kind, grbit] of [
        ['plain', 0],
        ['DenyRead', JET_bits.JET_bitTableDenyRead],
        ['DenyWrite', JET_bits.JET_bitTableDenyWrite],
        ['DenyRead|DenyWrite', JET_bits.JET_bitTableDenyRead | JET_bits.JET_bitTableDenyWrite],
      ] as const) {
        const r = await p.call('JetOpenTable', { sesid: o, dbid, tablename: table.name, grbit });
        locks[kind] = code(r);
        if (r.err >= 0 && typeof r.out?.tableid === 'string') await p.call('JetCloseTable', { sesid: o, tableid: r.out.tableid });
      }
      obs.set(`state: table locks of ${where}`, locks);
      // Data and record locks, from a fresh transaction that is rolled back.
      await p.call('JetBeginTransaction', { sesid: o });
      const c = await p.call('JetOpenTable', { sesid: o, dbid, tablename: table.name, grbit: 0 });
      let rows: Scan = { error: code(c) };
      if (c.err >= 0 && typeof c.out?.tableid === 'string') {
        rows = await scan(p, o, c.out.tableid, table, p.thread, true);
        await p.call('JetCloseTable', { sesid: o, tableid: c.out.tableid });
      }
      await p.call('JetRollback', { sesid: o, grbit: JET_bits.JET_bitRollbackAll });
      obs.set(`state: data of ${where} seen by another session`, sortedData(rows));
      obs.set(`state: record write locks of ${where}`, sortedLocks(rows));
    }
    await p.call('JetCloseDatabase', { sesid: o, dbid, grbit: 0 });
  }
}

async function observeTempSlots(p: Prober, reg: Registry, instance: string, o: string, at: string, obs: Observation): Promise<void> {
  const bound = limitOf(reg, instance, 'JET_paramMaxTemporaryTables') + beyondLimit;
  const opened: string[] = [];
  let stop = 0;
  while (opened.length < bound) {
    // A key column keeps each a sort, which holds a slot (without one it is materialized and frees it).
    const r = await p.call('JetOpenTempTable', { sesid: o, columns: [{ coltyp: JET_constants.JET_coltypLong, grbit: JET_bits.JET_bitColumnTTKey }], grbit: 0 });
    if (r.err < 0 || typeof r.out?.tableid !== 'string') {
      stop = r.err;
      break;
    }
    opened.push(r.out.tableid);
  }
  for (const tableid of opened) await p.call('JetCloseTable', { sesid: o, tableid });
  obs.set(`state: temp-table slots of ${at}`, { free: opened.length, then: stop });
}

async function observeCursorSlots(p: Prober, reg: Registry, instance: string, o: string, at: string, obs: Observation): Promise<void> {
  const inst = reg.instances.get(instance);
  const bound = limitOf(reg, instance, 'JET_paramMaxCursors') + beyondLimit;
  // A table the observer can open: cursors are counted as duplicates of one cursor on it.
  for (const table of [...reg.tables.values()].filter((t) => inst?.files.has(t.file)).sort((a, b) => `${a.file}/${a.name}`.localeCompare(`${b.file}/${b.name}`))) {
    const db = await p.call('JetOpenDatabase', { sesid: o, filename: table.file, grbit: 0 });
    if (db.err < 0 || typeof db.out?.dbid !== 'number') continue;
    const first = await p.call('JetOpenTable', { sesid: o, dbid: db.out.dbid, tablename: table.name, grbit: 0 });
    if (first.err < 0 || typeof first.out?.tableid !== 'string') {
      await p.call('JetCloseDatabase', { sesid: o, dbid: db.out.dbid, grbit: 0 });
      continue;
    }
    const opened = [first.out.tableid];
    let stop = 0;
    while (opened.length < bound) {
      const r = await p.call('JetDupCursor', { sesid: o, tableid: first.out.tableid, grbit: 0 });
      if (r.err < 0 || typeof r.out?.tableid !== 'string') {
        stop = r.err;
        break;
      }
      opened.push(r.out.tableid);
    }
    for (const tableid of opened.reverse()) await p.call('JetCloseTable', { sesid: o, tableid });
    await p.call('JetCloseDatabase', { sesid: o, dbid: db.out.dbid, grbit: 0 });
    obs.set(`state: cursor slots of ${at}`, { free: opened.length, then: stop, bound });
    return;
  }
  obs.set(`state: cursor slots of ${at}`, 'no table the observer can open to count cursors on');
}

/** Every thread the scenario used can set a context on a fresh session, work in it and reset it. */
async function observeThreads(p: Prober, o: string, threads: readonly string[], obs: Observation): Promise<void> {
  for (const t of [...threads].sort()) {
    const set = code(await p.call('JetSetSessionContext', { sesid: o, context: probeContext }, t));
    const begin = code(await p.call('JetBeginTransaction', { sesid: o }, t));
    const rollback = begin === 0 ? code(await p.call('JetRollback', { sesid: o, grbit: 0 }, t)) : undefined;
    const reset = set === 0 ? code(await p.call('JetResetSessionContext', { sesid: o }, t)) : undefined;
    obs.set(`state: session contexts of thread ${t}`, { set, begin, ...(rollback === undefined ? {} : { rollback }), ...(reset === undefined ? {} : { reset }) });
  }
}

async function observeSessionSlots(p: Prober, reg: Registry, instance: string, at: string, obs: Observation, debt: Map<string, number>): Promise<void> {
  const bound = limitOf(reg, instance, 'JET_paramMaxSessions') + beyondLimit;
  const begun: string[] = [];
  let stop = 0;
  while (begun.length < bound) {
    const r = await p.call('JetBeginSession', { instance: p.h(instance), username: '', password: '' });
    if (r.err < 0 || typeof r.out?.sesid !== 'string') {
      stop = r.err;
      break;
    }
    begun.push(r.out.sesid);
  }
  let refused = 0;
  for (const sesid of begun) if ((await p.call('JetEndSession', { sesid, grbit: 0 })).err < 0) refused++;
  // Observer sessions an earlier observation could not end still take slots: they are ours, not the scenario's.
  const owed = debt.get(instance) ?? 0;
  debt.set(instance, owed + refused);
  obs.set(`state: session slots of ${at}`, { free: begun.length + owed, then: stop, bound });
}
