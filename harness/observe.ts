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
import type { CallResult } from '../adapters/types';
import type { NativeEntry, NativeHandle, NativeResult } from '../adapters/reference';
import type { ApiCall, ArgsOf, HandleArg, OperationName } from '../api';
import { JET_bits, JET_constants, JET_errors, JET_params } from './codes';
import { FaultError, SuiteError } from './errors';
import type { Registry, RegSession, RegTable } from './registry';

/** One side of the comparison: calls, and the translation of the scenario's handles into the side's. */
export interface Side {
  call<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<CallResult<O>>;
  /** The same call answered at once, when the side can (an in-process reference engine). */
  callSync?: <O extends OperationName>(thread: string, op: O, args: ArgsOf<O>) => CallResult<O>;
  /** Calls in a row answered at once, when the side can (an in-process reference engine); as callBatch answers them. */
  callBatchSync?: (thread: string, calls: readonly ApiCall[], stopOnError: boolean) => CallResult[];
  /** Calls in a row in one round trip, when the side can (protocol 1.1 `batch`); see Implementation.callBatch. */
  callBatch?: (thread: string, calls: readonly ApiCall[], stopOnError: boolean) => Promise<CallResult[]>;
  handle(h: string): HandleArg;
  number(key: 'dbid' | 'columnid', n: number): number;
  /**
   * An in-process reference engine's own entry (adapters/reference nativeEntry): the probes then pass
   * the engine's handle values as they are, with no conversion to and from interface strings. Used
   * instead of every other entry; the engine makes the same calls either way.
   */
  native?: NativeEntry;
}

export type Observation = Map<string, unknown>;

/** A handle as a side takes it: the interface's (a string or a forged handle), or an in-process engine's own value. */
type SideHandle = HandleArg | NativeHandle;

/** An operation's arguments with side handles in the handle slots. */
type ProbeArgs<O extends OperationName> = { readonly [K in keyof ArgsOf<O>]: HandleArg extends ArgsOf<O>[K] ? SideHandle : ArgsOf<O>[K] };

/** One call of a batch, with side handles. */
interface ProbeApiCall {
  readonly op: OperationName;
  readonly args: object;
}

function probeCall<O extends OperationName>(op: O, args: ProbeArgs<O>): ProbeApiCall {
  return { op, args };
}

/** The out-values the probes read; each is checked before use (an implementation's answer is untrusted). */
interface ProbeOut {
  readonly sesid?: unknown;
  readonly tableid?: unknown;
  readonly dbid?: unknown;
  readonly value?: unknown;
}

/** A call that returned, as the probes read it. */
interface ProbeReturned {
  readonly err: number;
  readonly out?: ProbeOut;
}

/** What a side answers: the interface's result, or the native entry's. */
type SideResult = CallResult | NativeResult;

/** One call of a probe sequence; the driver (observe) answers it with the side's result. */
interface ProbeCall {
  readonly thread: string;
  readonly op: OperationName;
  readonly args: object;
}

/** Calls on one thread in a row; with stopOnError the first failure is the last call made. */
interface ProbeBatch {
  readonly thread: string;
  readonly batch: readonly ProbeApiCall[];
  readonly stopOnError: boolean;
}

type Probe<T> = Generator<ProbeCall | ProbeBatch, T, SideResult | SideResult[]>;

/** Whether a batch stops after this result (as Implementation.callBatch). */
function endsBatch(r: SideResult, stopOnError: boolean): boolean {
  return r.kind !== 'returned' || (stopOnError && r.err < 0);
}

/** A batch answered call by call (a side that answers at once, or one that cannot batch). */
function* oneByOne(batch: ProbeBatch): Generator<ProbeCall, CallResult[], CallResult> {
  const results: CallResult[] = [];
  for (const c of batch.batch) {
    const r = yield { thread: batch.thread, op: c.op, args: c.args };
    results.push(r);
    if (endsBatch(r, batch.stopOnError)) break;
  }
  return results;
}

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
function code(r: ProbeReturned): number {
  return r.err < 0 ? r.err : 0;
}

class Prober {
  constructor(
    private readonly side: Side,
    readonly thread: string,
  ) {}

  /** The operation of the call asked last: what got() names when its answer is not a return. */
  private asked: OperationName = 'JetBeginSession';

  /**
   * One call, yielded by the probe itself: `p.got(yield p.ask(op, args))`. Not a generator of its own
   * (`yield*`): the probes make about 340,000 single calls a suite run, and a generator per call was
   * most of their harness cost after the engine's.
   */
  ask<O extends OperationName>(op: O, args: ProbeArgs<O>, thread = this.thread): ProbeCall {
    this.asked = op;
    return { thread, op, args };
  }

  /** The answer to the call asked last, as a probe reads it. */
  got(answer: SideResult | SideResult[]): ProbeReturned {
    return returned(answer as SideResult, this.asked);
  }

  /** Calls on one thread in a row, in one round trip where the side batches; the results as `call` gives them. */
  *batch(calls: readonly ProbeApiCall[], stopOnError: boolean, thread = this.thread): Probe<ProbeReturned[]> {
    if (calls.length === 0) return [];
    const results = (yield { thread, batch: calls, stopOnError }) as SideResult[];
    return results.map((r, i) => returned(r, calls[i].op));
  }

  /** A scenario handle as this side takes it. */
  h(handle: string): SideHandle {
    const h = this.side.handle(handle);
    return this.side.native === undefined ? h : this.side.native.handle(h);
  }

  /** Whether an out-value is a handle of this side (an interface string, or the native entry's value). */
  isHandle(v: unknown): v is SideHandle {
    return this.side.native === undefined ? typeof v === 'string' : this.side.native.isHandle(v);
  }

  n(key: 'dbid' | 'columnid', value: number): number {
    return this.side.number(key, value);
  }
}

/** A probe's result; a fault or `unsupported` ends the observation. */
function returned(r: SideResult, op: OperationName): ProbeReturned {
  if (r.kind === 'returned') return r as ProbeReturned;
  if (r.kind === 'unsupported') throw new FaultError({ kind: 'protocol-error', reason: `${op} answered "unsupported" while observing the state: ${r.reason}` }, op);
  throw new FaultError(r, `${op} (observing the state)`);
}

/** The handles calls issued until the first that failed (or issued none), and its code (0: none failed). */
function issued(p: Prober, results: readonly ProbeReturned[], key: 'tableid' | 'sesid'): { handles: SideHandle[]; stop: number } {
  const handles: SideHandle[] = [];
  for (const r of results) {
    const h = r.out?.[key];
    if (r.err < 0 || !p.isHandle(h)) return { handles, stop: r.err };
    handles.push(h);
  }
  return { handles, stop: 0 };
}

/** The same call `n` times (a batch's calls). */
function times(n: number, call: ProbeApiCall): ProbeApiCall[] {
  return n > 0 ? new Array<ProbeApiCall>(n).fill(call) : [];
}

type Row = { readonly data: string; readonly lock?: number };
type Scan = Row[] | { readonly error: number | string };

/** Reads every record the cursor reaches: the known columns by name, and optionally the write-lock probe. */
function* scan(p: Prober, sesid: SideHandle, tableid: SideHandle, table: RegTable, thread: string, withLocks: boolean): Probe<Scan> {
  const cols = [...table.columns].sort(([a], [b]) => a.localeCompare(b));
  const rows: Row[] = [];
  let move: ProbeReturned = p.got(yield p.ask('JetMove', { sesid, tableid, cRow: JET_constants.JET_MoveFirst, grbit: 0 }, thread));
  const retrieves = cols.map(([, columnid]) => probeCall('JetRetrieveColumn', { sesid, tableid, columnid: p.n('columnid', columnid) }));
  const next = probeCall('JetMove', { sesid, tableid, cRow: JET_constants.JET_MoveNext, grbit: 0 });
  const replace = probeCall('JetPrepareUpdate', { sesid, tableid, prep: JET_constants.JET_prepReplace });
  const cancel = probeCall('JetPrepareUpdate', { sesid, tableid, prep: JET_constants.JET_prepCancel });
  while (move.err >= 0 && rows.length < maxRows) {
    // Per record: its columns, then the write-lock probe or the move on (one batch; a refusal is data here).
    const got = yield* p.batch([...retrieves, withLocks ? replace : next], false, thread);
    const values: Record<string, unknown> = {};
    cols.forEach(([name], i) => (values[name] = got[i].err < 0 ? { err: got[i].err } : (got[i].out?.value ?? null)));
    let lock: number | undefined;
    if (withLocks) {
      lock = code(got[cols.length]);
      const after = yield* p.batch(lock === 0 ? [cancel, next] : [next], false, thread);
      move = after[after.length - 1];
    } else move = got[cols.length];
    rows.push({ data: JSON.stringify(values), ...(lock === undefined ? {} : { lock }) });
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

/**
 * Observes one side. The order is fixed, so both sides make the same calls while their states agree.
 * A side that answers synchronously (an in-process reference engine) is driven without a promise per
 * call: the probes are a generator of calls, and only the driver knows how a call is answered.
 */
export async function observe(side: Side, reg: Registry, options: ObserveOptions): Promise<Observation> {
  if (side.native !== undefined) return observeNow(side, side.native, reg, options);
  const probes = observeAll(side, reg, options);
  // Without a native entry every handle the probes pass is one the side gave (Prober.h, Prober.isHandle):
  // the interface's own arguments.
  const args = (c: ProbeCall) => c.args as ArgsOf<OperationName>;
  const calls = (b: ProbeBatch) => b.batch as readonly ApiCall[];
  const sync = side.callSync;
  let step = probes.next();
  if (sync !== undefined) {
    const batch = side.callBatchSync ?? ((thread: string, cs: readonly ApiCall[], stopOnError: boolean) => batchSync(thread, cs, stopOnError, sync));
    while (step.done !== true) {
      const c = step.value;
      step = probes.next('batch' in c ? batch(c.thread, calls(c), c.stopOnError) : sync(c.thread, c.op, args(c)));
    }
    return step.value;
  }
  while (step.done !== true) {
    const c = step.value;
    if (!('batch' in c)) step = probes.next(await side.call(c.thread, c.op, args(c)));
    else if (side.callBatch !== undefined) step = probes.next(await side.callBatch(c.thread, calls(c), c.stopOnError));
    else {
      const one = oneByOne(c);
      let inner = one.next();
      while (inner.done !== true) inner = one.next(await side.call(inner.value.thread, inner.value.op, args(inner.value)));
      step = probes.next(inner.value);
    }
  }
  return step.value;
}

/** Observes a side with a native entry (an in-process reference engine), at once. */
export function observeNow(side: Side, native: NativeEntry, reg: Registry, options: ObserveOptions): Observation {
  const probes = observeAll(side.native === native ? side : { ...side, native }, reg, options);
  let step = probes.next();
  while (step.done !== true) {
    const c = step.value;
    step = probes.next('batch' in c ? native.batch(c.thread, c.batch, c.stopOnError) : native.call(c.thread, c.op, c.args));
  }
  return step.value;
}

/** A batch answered call by call by a side that answers at once (as oneByOne, without a generator per batch). */
function batchSync(thread: string, calls: readonly ApiCall[], stopOnError: boolean, sync: NonNullable<Side['callSync']>): CallResult[] {
  const results: CallResult[] = [];
  for (const c of calls) {
    const r = sync(thread, c.op, c.args);
    results.push(r);
    if (endsBatch(r, stopOnError)) break;
  }
  return results;
}

function* observeAll(side: Side, reg: Registry, options: ObserveOptions): Probe<Observation> {
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
    yield* observeSession(p, reg, s, name, options, sessionFindings);
  }

  for (const inst of instances) {
    const at = label(inst.handle);
    const begun = p.got(yield p.ask('JetBeginSession', { instance: p.h(inst.handle), username: '', password: '' }));
    obs.set(`state: observer session on ${at}`, code(begun));
    const o = begun.out?.sesid;
    if (begun.err >= 0 && p.isHandle(o)) {
      yield* observeDatabases(p, reg, inst.handle, o, obs);
      yield* observeTempSlots(p, reg, inst.handle, o, at, obs);
      yield* observeCursorSlots(p, reg, inst.handle, o, at, obs);
      yield* observeThreads(p, o, options.threads, obs);
      const ended = p.got(yield p.ask('JetEndSession', { sesid: o, grbit: 0 }));
      if (ended.err < 0) {
        // Sessions cannot be ended now (a term in progress): counting slots would leave them all behind.
        options.debt.set(inst.handle, (options.debt.get(inst.handle) ?? 0) + 1);
        obs.set(`state: session slots of ${at}`, `not counted: JetEndSession of an observer session returned ${ended.err}`);
        continue;
      }
    }
    yield* observeSessionSlots(p, reg, inst.handle, at, obs, options.debt);
  }
  // What the sessions' own probes found goes in too, in a stable order.
  for (const [k, v] of sessionFindings) obs.set(k, v);
  return obs;
}

function* observeSession(p: Prober, reg: Registry, s: RegSession, name: string, options: ObserveOptions, sessionFindings: Observation): Probe<void> {
  const sesid = p.h(s.sesid);
  // Its context: setting one succeeds only when none is set (then it is reset at once).
  const set = p.got(yield p.ask('JetSetSessionContext', { sesid, context: probeContext }));
  if (set.err >= 0) p.got(yield p.ask('JetResetSessionContext', { sesid }));
  sessionFindings.set(`state: context of ${name}`, code(set));
  // The probes below call on the thread that owns the session's levels: any other thread's begin at
  // level 0 would bind a level to another thread's context that the probe could not roll back.
  const owner = levelOwner(s);
  if (owner !== undefined && !options.threads.includes(owner)) {
    // Recorded as "not probed" on both sides, the two would compare equal: a check that passes
    // unable to fail (red team M). The scenario must check the state once that thread is free.
    throw new SuiteError(`the whole-state probe cannot observe the transaction, views and cursors of ${name}: its levels belong to thread ${owner}, which is busy (a call held in flight, or waiting); check the state once it is free`);
  }
  // At level 0 with no context any thread may: the probe takes the thread that last bound the
  // session's levels, for its begin on another thread would rebind an implementation that wrongly
  // keeps that binding at level 0 and hide it (red team A's trx-binding-kept-after-transaction).
  const thread = owner ?? (s.trxThread !== undefined && options.threads.includes(s.trxThread) ? s.trxThread : p.thread);
  // Its transaction level: nested levels (up to 9) until JetBeginTransaction refuses, then each rolled back.
  const begins = yield* p.batch(times(9, probeCall('JetBeginTransaction', { sesid })), true, thread);
  const refused = begins.find((b) => b.err < 0);
  const nested = refused === undefined ? begins.length : begins.length - 1;
  const stop = refused?.err ?? 0;
  const rollbacks = (yield* p.batch(times(nested, probeCall('JetRollback', { sesid, grbit: 0 })), false, thread)).map(code);
  sessionFindings.set(`state: transaction of ${name}`, { levelsFree: nested, refusedWith: stop, ...(rollbacks.some((r) => r !== 0) ? { rollbacks } : {}) });
  // What it sees, through a fresh cursor on every table of the databases it has open.
  for (const [file, db] of [...s.dbs].sort(([a], [b]) => a.localeCompare(b))) {
    for (const table of [...reg.tables.values()].filter((t) => t.file === file).sort((a, b) => a.name.localeCompare(b.name))) {
      const opened = p.got(yield p.ask('JetOpenTable', { sesid, dbid: p.n('dbid', db.dbid), tablename: table.name, grbit: 0 }, thread));
      let seen: unknown = { error: code(opened) };
      const tableid = opened.out?.tableid;
      if (opened.err >= 0 && p.isHandle(tableid)) {
        seen = sortedData(yield* scan(p, sesid, tableid, table, thread, false));
        p.got(yield p.ask('JetCloseTable', { sesid, tableid }, thread));
      }
      sessionFindings.set(`state: view of ${name} on ${table.file}/${table.name}`, seen);
    }
  }
  // Its cursors: whether each still works and where it stands, read without moving it: the record's
  // first column, or "no current record" (a position lost, or moved before first, shows).
  const cursors: Record<string, unknown> = {};
  let k = 0;
  for (const c of s.cursors.values()) {
    const cname = options.nameOf(c.tableid) ?? `cursor #${++k}`;
    const table = c.table === undefined ? undefined : reg.tables.get(c.table);
    const columnid = table !== undefined ? [...table.columns.values()][0] : c.columnids?.[0];
    if (columnid === undefined) continue;
    const r = p.got(yield p.ask('JetRetrieveColumn', { sesid, tableid: p.h(c.tableid), columnid: p.n('columnid', columnid) }, thread));
    cursors[cname] = r.err >= 0 ? { on: r.out?.value ?? null } : r.err === JET_errors.JET_errNoCurrentRecord ? 'open, no current record' : r.err;
  }
  if (Object.keys(cursors).length > 0) sessionFindings.set(`state: cursors of ${name}`, cursors);
}

/**
 * The thread that may begin, nest and roll back the session's levels (ESE's trx context, the
 * oracle's trxContextOk): inside a transaction begun without a context, its thread; otherwise the
 * thread that set the context, if one is set; else any thread (undefined).
 */
function levelOwner(s: RegSession): string | undefined {
  if (s.level > 0 && s.trxUnderContext !== true) return s.trxThread;
  return s.contextThread;
}

function* observeDatabases(p: Prober, reg: Registry, instance: string, o: SideHandle, obs: Observation): Probe<void> {
  const inst = reg.instances.get(instance);
  for (const file of [...(inst?.files ?? [])].sort()) {
    // Exclusive first: the observer's own plain open would make it fail.
    const exclusive = p.got(yield p.ask('JetOpenDatabase', { sesid: o, filename: file, grbit: JET_bits.JET_bitDbExclusive }));
    if (exclusive.err >= 0 && typeof exclusive.out?.dbid === 'number') p.got(yield p.ask('JetCloseDatabase', { sesid: o, dbid: exclusive.out.dbid, grbit: 0 }));
    const shared = p.got(yield p.ask('JetOpenDatabase', { sesid: o, filename: file, grbit: 0 }));
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
        // Another session's DenyWrite refuses only an Updatable open (-1302, fileopen.cxx 1084-1097);
        // a DenyWrite open cannot tell it from that session's plain (updatable) cursor (-1304 both).
        ['Updatable', JET_bits.JET_bitTableUpdatable],
      ] as const) {
        const r = p.got(yield p.ask('JetOpenTable', { sesid: o, dbid, tablename: table.name, grbit }));
        locks[kind] = code(r);
        const tableid = r.out?.tableid;
        if (r.err >= 0 && p.isHandle(tableid)) p.got(yield p.ask('JetCloseTable', { sesid: o, tableid }));
      }
      obs.set(`state: table locks of ${where}`, locks);
      // Data and record locks, from a fresh transaction that is rolled back.
      p.got(yield p.ask('JetBeginTransaction', { sesid: o }));
      const c = p.got(yield p.ask('JetOpenTable', { sesid: o, dbid, tablename: table.name, grbit: 0 }));
      let rows: Scan = { error: code(c) };
      const tableid = c.out?.tableid;
      if (c.err >= 0 && p.isHandle(tableid)) {
        rows = yield* scan(p, o, tableid, table, p.thread, true);
        p.got(yield p.ask('JetCloseTable', { sesid: o, tableid }));
      }
      p.got(yield p.ask('JetRollback', { sesid: o, grbit: JET_bits.JET_bitRollbackAll }));
      obs.set(`state: data of ${where} seen by another session`, sortedData(rows));
      obs.set(`state: record write locks of ${where}`, sortedLocks(rows));
    }
    p.got(yield p.ask('JetCloseDatabase', { sesid: o, dbid, grbit: 0 }));
  }
}

function* observeTempSlots(p: Prober, reg: Registry, instance: string, o: SideHandle, at: string, obs: Observation): Probe<void> {
  const bound = limitOf(reg, instance, 'JET_paramMaxTemporaryTables') + beyondLimit;
  // Opened until the first refusal, then each closed.
  // A key column keeps each a sort, which holds a slot (without one it is materialized and frees it).
  const { handles: opened, stop } = issued(p, yield* p.batch(times(bound, probeCall('JetOpenTempTable', { sesid: o, columns: [{ coltyp: JET_constants.JET_coltypLong, grbit: JET_bits.JET_bitColumnTTKey }], grbit: 0 })), true), 'tableid');
  yield* p.batch(opened.map((tableid) => probeCall('JetCloseTable', { sesid: o, tableid })), false);
  obs.set(`state: temp-table slots of ${at}`, { free: opened.length, then: stop });
}

function* observeCursorSlots(p: Prober, reg: Registry, instance: string, o: SideHandle, at: string, obs: Observation): Probe<void> {
  const inst = reg.instances.get(instance);
  const bound = limitOf(reg, instance, 'JET_paramMaxCursors') + beyondLimit;
  // A table the observer can open: cursors are counted as duplicates of one cursor on it.
  for (const table of [...reg.tables.values()].filter((t) => inst?.files.has(t.file)).sort((a, b) => `${a.file}/${a.name}`.localeCompare(`${b.file}/${b.name}`))) {
    const db = p.got(yield p.ask('JetOpenDatabase', { sesid: o, filename: table.file, grbit: 0 }));
    if (db.err < 0 || typeof db.out?.dbid !== 'number') continue;
    const dbid = db.out.dbid;
    const first = p.got(yield p.ask('JetOpenTable', { sesid: o, dbid, tablename: table.name, grbit: 0 }));
    const tableid = first.out?.tableid;
    if (first.err < 0 || !p.isHandle(tableid)) {
      p.got(yield p.ask('JetCloseDatabase', { sesid: o, dbid, grbit: 0 }));
      continue;
    }
    const dups = issued(p, yield* p.batch(times(bound - 1, probeCall('JetDupCursor', { sesid: o, tableid, grbit: 0 })), true), 'tableid');
    const opened = [tableid, ...dups.handles];
    const stop = dups.stop;
    yield* p.batch([...opened].reverse().map((t) => probeCall('JetCloseTable', { sesid: o, tableid: t })), false);
    p.got(yield p.ask('JetCloseDatabase', { sesid: o, dbid, grbit: 0 }));
    obs.set(`state: cursor slots of ${at}`, { free: opened.length, then: stop, bound });
    return;
  }
  obs.set(`state: cursor slots of ${at}`, 'no table the observer can open to count cursors on');
}

/** Every thread the scenario used can set a context on a fresh session, work in it and reset it. */
function* observeThreads(p: Prober, o: SideHandle, threads: readonly string[], obs: Observation): Probe<void> {
  for (const t of [...threads].sort()) {
    const set = code(p.got(yield p.ask('JetSetSessionContext', { sesid: o, context: probeContext }, t)));
    const begin = code(p.got(yield p.ask('JetBeginTransaction', { sesid: o }, t)));
    const rollback = begin === 0 ? code(p.got(yield p.ask('JetRollback', { sesid: o, grbit: 0 }, t))) : undefined;
    const reset = set === 0 ? code(p.got(yield p.ask('JetResetSessionContext', { sesid: o }, t))) : undefined;
    obs.set(`state: session contexts of thread ${t}`, { set, begin, ...(rollback === undefined ? {} : { rollback }), ...(reset === undefined ? {} : { reset }) });
  }
}

function* observeSessionSlots(p: Prober, reg: Registry, instance: string, at: string, obs: Observation, debt: Map<string, number>): Probe<void> {
  const bound = limitOf(reg, instance, 'JET_paramMaxSessions') + beyondLimit;
  const { handles: begun, stop } = issued(p, yield* p.batch(times(bound, probeCall('JetBeginSession', { instance: p.h(instance), username: '', password: '' })), true), 'sesid');
  const ends = yield* p.batch(begun.map((sesid) => probeCall('JetEndSession', { sesid, grbit: 0 })), false);
  const refused = ends.filter((r) => r.err < 0).length;
  // Observer sessions an earlier observation could not end still take slots: they are ours, not the scenario's.
  const owed = debt.get(instance) ?? 0;
  debt.set(instance, owed + refused);
  obs.set(`state: session slots of ${at}`, { free: begun.length + owed, then: stop, bound });
}
