/**
 * Reference-engine benchmarks (not a timed test):
 *  1. JetEndSession on a session holding C cursors, T temp tables and a 7-level transaction with R
 *     uncommitted rows, at 1/10, 1/4, 1/2 and 1 of C=10,000, T=1,000, R=100,000: median of
 *     several repetitions per size (setup not timed), and the time per unit of size (linearity).
 *  2. A plain JetBeginSession/JetEndSession pair: calls per second.
 *  3. A mixed workload: API calls per second, directly on the engine and through the adapter.
 *
 *   node -r ts-node/register/transpile-only bench/oracle.ts [--reps N] [--json FILE]
 * or, closer to an installed package, compiled:
 *   npx tsc -p tsconfig.json --noEmit false --outDir /tmp/ese-bench && node --expose-gc /tmp/ese-bench/bench/oracle.js
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createReferenceImplementation } from '../adapters/reference';
import { Engine, JET_bits as B, JET_constants as K, JET_params as P } from '../oracle';
import type { JET_HANDLE } from '../oracle';

const args = process.argv.slice(2);
const reps = Number(args[args.indexOf('--reps') + 1] ?? 0) || 7;
const jsonOut = args.includes('--json') ? args[args.indexOf('--json') + 1] : undefined;
const gc = (globalThis as { gc?: () => void }).gc;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function ok(r: { err: number }, what: string): void {
  if (r.err < 0) throw new Error(`${what} failed with ${r.err}`);
}

const levels = 7;
const tablesForCursors = 10;

/** Builds the heavy session; returns the engine and its sesid, ready for the timed JetEndSession. */
function heavySession(cursors: number, temps: number, rows: number): { e: Engine; s: JET_HANDLE } {
  const e = new Engine();
  const t = 't1';
  const inst = e.JetCreateInstance(t, 'bench').instance as JET_HANDLE;
  ok(e.JetSetSystemParameter(t, inst, null, P.JET_paramMaxCursors, cursors + temps + levels + 16), 'MaxCursors');
  ok(e.JetSetSystemParameter(t, inst, null, P.JET_paramMaxTemporaryTables, temps + 1), 'MaxTemporaryTables');
  ok(e.JetInit(t, inst), 'JetInit');
  const s = e.JetBeginSession(t, inst, '', '').sesid as JET_HANDLE;
  const dbid = e.JetCreateDatabase(t, s, 'bench.edb', 0).dbid as number;
  for (let i = 0; i < tablesForCursors; i++) {
    const tid = e.JetCreateTable(t, s, dbid, `t${i}`).tableid as JET_HANDLE;
    ok(e.JetAddColumn(t, s, tid, 'v', K.JET_coltypLong), 'JetAddColumn');
    ok(e.JetCloseTable(t, s, tid), 'JetCloseTable');
  }
  const cols = [{ coltyp: K.JET_coltypLong, grbit: 0 }];
  // Half of the cursors and temp tables at level 0, the rest spread over the 7 levels.
  const openSome = (n: number, m: number) => {
    for (let i = 0; i < n; i++) ok(e.JetOpenTable(t, s, dbid, `t${i % tablesForCursors}`, 0), 'JetOpenTable');
    for (let i = 0; i < m; i++) ok(e.JetOpenTempTable(t, s, cols, 0), 'JetOpenTempTable');
  };
  openSome(cursors >> 1, temps >> 1);
  const perLevelCursors = Math.floor((cursors - (cursors >> 1)) / levels);
  const perLevelTemps = Math.floor((temps - (temps >> 1)) / levels);
  const perLevelRows = Math.floor(rows / levels);
  for (let level = 1; level <= levels; level++) {
    ok(e.JetBeginTransaction(t, s), 'JetBeginTransaction');
    const last = level === levels;
    openSome(perLevelCursors + (last ? (cursors - (cursors >> 1)) % levels : 0), perLevelTemps + (last ? (temps - (temps >> 1)) % levels : 0));
    const writer = e.JetOpenTable(t, s, dbid, `t${level % tablesForCursors}`, 0).tableid as JET_HANDLE;
    const n = perLevelRows + (last ? rows % levels : 0);
    for (let i = 0; i < n; i++) {
      e.JetPrepareUpdate(t, s, writer, K.JET_prepInsert);
      e.JetSetColumn(t, s, writer, 1, i);
      e.JetUpdate(t, s, writer);
    }
  }
  return { e, s };
}

interface SizeResult {
  readonly fraction: number;
  readonly cursors: number;
  readonly temps: number;
  readonly rows: number;
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  /** medianMs / fraction: constant when the cost is linear. */
  readonly msPerFullSize: number;
}

function benchEndSession(): SizeResult[] {
  const results: SizeResult[] = [];
  for (const fraction of [0.1, 0.25, 0.5, 1]) {
    const cursors = Math.round(10_000 * fraction);
    const temps = Math.round(1_000 * fraction);
    const rows = Math.round(100_000 * fraction);
    const times: number[] = [];
    for (let r = 0; r < reps + 1; r++) {
      const { e, s } = heavySession(cursors, temps, rows);
      gc?.();
      const t0 = process.hrtime.bigint();
      const res = e.JetEndSession('t1', s, 0);
      const t1 = process.hrtime.bigint();
      if (res.err !== 0) throw new Error(`JetEndSession returned ${res.err}`);
      if (r > 0) times.push(Number(t1 - t0) / 1e6); // the first run warms the JIT up
    }
    const medianMs = median(times);
    results.push({ fraction, cursors, temps, rows, medianMs, minMs: Math.min(...times), maxMs: Math.max(...times), msPerFullSize: medianMs / fraction });
  }
  return results;
}

function benchBeginEnd(): { pairs: number; ms: number; callsPerSecond: number } {
  const e = new Engine();
  const inst = e.JetCreateInstance('t1', 'bench').instance as JET_HANDLE;
  e.JetInit('t1', inst);
  const run = (n: number) => {
    for (let i = 0; i < n; i++) {
      const s = e.JetBeginSession('t1', inst, '', '').sesid as JET_HANDLE;
      e.JetEndSession('t1', s, 0);
    }
  };
  run(20_000);
  const pairs = 200_000;
  const t0 = process.hrtime.bigint();
  run(pairs);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { pairs, ms, callsPerSecond: (2 * pairs) / (ms / 1000) };
}

/** One round of a typical session: transactions, cursors, inserts, reads, updates, deletes, a temp table. */
function mixedRound(call: (op: string, a: Record<string, unknown>) => { err: number; [k: string]: unknown }, inst: unknown, round: number): number {
  let calls = 0;
  const c = (op: string, a: Record<string, unknown>) => {
    calls++;
    return call(op, a);
  };
  const sesid = c('JetBeginSession', { instance: inst, username: '', password: '' }).sesid;
  const dbid = c('JetOpenDatabase', { sesid, filename: 'mixed.edb', grbit: 0 }).dbid;
  c('JetBeginTransaction', { sesid });
  const tableid = c('JetOpenTable', { sesid, dbid, tablename: 't', grbit: 0 }).tableid;
  for (let i = 0; i < 5; i++) {
    c('JetPrepareUpdate', { sesid, tableid, prep: K.JET_prepInsert });
    c('JetSetColumn', { sesid, tableid, columnid: 1, value: round * 10 + i });
    c('JetUpdate', { sesid, tableid });
  }
  c('JetMove', { sesid, tableid, cRow: K.JET_MoveLast, grbit: 0 });
  for (let i = 0; i < 4; i++) {
    c('JetRetrieveColumn', { sesid, tableid, columnid: 1 });
    c('JetMove', { sesid, tableid, cRow: K.JET_MovePrevious, grbit: 0 });
  }
  c('JetPrepareUpdate', { sesid, tableid, prep: K.JET_prepReplace });
  c('JetSetColumn', { sesid, tableid, columnid: 1, value: -1 });
  c('JetUpdate', { sesid, tableid });
  c('JetDelete', { sesid, tableid });
  c('JetBeginTransaction', { sesid });
  const temp = c('JetOpenTempTable', { sesid, columns: [{ coltyp: K.JET_coltypLong, grbit: 0 }], grbit: 0 }).tableid;
  c('JetPrepareUpdate', { sesid, tableid: temp, prep: K.JET_prepInsert });
  c('JetUpdate', { sesid, tableid: temp });
  c('JetRollback', { sesid, grbit: 0 });
  c(round % 4 === 0 ? 'JetRollback' : 'JetCommitTransaction', { sesid, grbit: 0 });
  c('JetCloseTable', { sesid, tableid });
  c('JetEndSession', { sesid, grbit: B.JET_bitForceSessionClosed });
  return calls;
}

function mixedSetup(call: (op: string, a: Record<string, unknown>) => { err: number; [k: string]: unknown }): unknown {
  const instance = call('JetCreateInstance', { name: 'mixed' }).instance;
  call('JetInit', { instance });
  const sesid = call('JetBeginSession', { instance, username: '', password: '' }).sesid;
  const dbid = call('JetCreateDatabase', { sesid, filename: 'mixed.edb', grbit: 0 }).dbid;
  const tableid = call('JetCreateTable', { sesid, dbid, tablename: 't' }).tableid;
  call('JetAddColumn', { sesid, tableid, column: 'v', coltyp: K.JET_coltypLong });
  call('JetEndSession', { sesid, grbit: 0 });
  return instance;
}

function benchMixedEngine(): { calls: number; ms: number; callsPerSecond: number } {
  const e = new Engine();
  const call = (op: string, a: Record<string, unknown>) => e.call('t1', op as never, a) as { err: number };
  const inst = mixedSetup(call);
  for (let r = 0; r < 2_000; r++) mixedRound(call, inst, r);
  let calls = 0;
  const t0 = process.hrtime.bigint();
  for (let r = 0; r < 20_000; r++) calls += mixedRound(call, inst, r);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { calls, ms, callsPerSecond: calls / (ms / 1000) };
}

async function benchMixedAdapter(): Promise<{ calls: number; ms: number; callsPerSecond: number }> {
  const impl = createReferenceImplementation();
  // The adapter is asynchronous; run the same round with one awaited call at a time.
  const run = async (rounds: number, inst: unknown): Promise<number> => {
    let calls = 0;
    for (let r = 0; r < rounds; r++) calls += await adapterRound(impl, inst, r);
    return calls;
  };
  const setupCall = async (op: string, a: Record<string, unknown>): Promise<Record<string, unknown>> => {
    const res = await impl.call('t1', op as never, a as never);
    return res.kind === 'returned' ? { err: res.err, ...(res.out ?? {}) } : { err: -1 };
  };
  const instance = (await setupCall('JetCreateInstance', { name: 'mixed' })).instance;
  await setupCall('JetInit', { instance });
  const sesid = (await setupCall('JetBeginSession', { instance, username: '', password: '' })).sesid;
  const dbid = (await setupCall('JetCreateDatabase', { sesid, filename: 'mixed.edb', grbit: 0 })).dbid;
  const tableid = (await setupCall('JetCreateTable', { sesid, dbid, tablename: 't' })).tableid;
  await setupCall('JetAddColumn', { sesid, tableid, column: 'v', coltyp: K.JET_coltypLong });
  await setupCall('JetEndSession', { sesid, grbit: 0 });
  await run(1_000, instance);
  const t0 = process.hrtime.bigint();
  const calls = await run(10_000, instance);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return { calls, ms, callsPerSecond: calls / (ms / 1000) };
}

async function adapterRound(impl: ReturnType<typeof createReferenceImplementation>, inst: unknown, round: number): Promise<number> {
  let calls = 0;
  const c = async (op: string, a: Record<string, unknown>): Promise<Record<string, unknown>> => {
    calls++;
    const res = await impl.call('t1', op as never, a as never);
    return res.kind === 'returned' ? { err: res.err, ...(res.out ?? {}) } : { err: -1 };
  };
  const sesid = (await c('JetBeginSession', { instance: inst, username: '', password: '' })).sesid;
  const dbid = (await c('JetOpenDatabase', { sesid, filename: 'mixed.edb', grbit: 0 })).dbid;
  await c('JetBeginTransaction', { sesid });
  const tableid = (await c('JetOpenTable', { sesid, dbid, tablename: 't', grbit: 0 })).tableid;
  for (let i = 0; i < 5; i++) {
    await c('JetPrepareUpdate', { sesid, tableid, prep: K.JET_prepInsert });
    await c('JetSetColumn', { sesid, tableid, columnid: 1, value: round * 10 + i });
    await c('JetUpdate', { sesid, tableid });
  }
  await c('JetMove', { sesid, tableid, cRow: K.JET_MoveLast, grbit: 0 });
  for (let i = 0; i < 4; i++) {
    await c('JetRetrieveColumn', { sesid, tableid, columnid: 1 });
    await c('JetMove', { sesid, tableid, cRow: K.JET_MovePrevious, grbit: 0 });
  }
  await c('JetPrepareUpdate', { sesid, tableid, prep: K.JET_prepReplace });
  await c('JetSetColumn', { sesid, tableid, columnid: 1, value: -1 });
  await c('JetUpdate', { sesid, tableid });
  await c('JetDelete', { sesid, tableid });
  await c('JetBeginTransaction', { sesid });
  const temp = (await c('JetOpenTempTable', { sesid, columns: [{ coltyp: K.JET_coltypLong, grbit: 0 }], grbit: 0 })).tableid;
  await c('JetPrepareUpdate', { sesid, tableid: temp, prep: K.JET_prepInsert });
  await c('JetUpdate', { sesid, tableid: temp });
  await c('JetRollback', { sesid, grbit: 0 });
  await c(round % 4 === 0 ? 'JetRollback' : 'JetCommitTransaction', { sesid, grbit: 0 });
  await c('JetCloseTable', { sesid, tableid });
  await c('JetEndSession', { sesid, grbit: B.JET_bitForceSessionClosed });
  return calls;
}

async function main(): Promise<void> {
  const runtime = __filename.endsWith('.ts') ? 'ts-node (transpile-only)' : 'compiled JavaScript';
  console.log(`Reference engine benchmarks: node ${process.version}, ${runtime}, ${reps} repetitions per size${gc ? ', gc before each timed end' : ''}`);
  const sizes = benchEndSession();
  console.log('\nJetEndSession on a session with C cursors, T temp tables and a 7-level transaction of R uncommitted rows');
  console.log('fraction   cursors  temps     rows   median ms   min ms   max ms   ms per full size');
  for (const r of sizes) {
    console.log(
      `${r.fraction.toFixed(2).padStart(8)} ${String(r.cursors).padStart(9)} ${String(r.temps).padStart(6)} ${String(r.rows).padStart(8)} ${r.medianMs.toFixed(2).padStart(11)} ${r.minMs.toFixed(2).padStart(8)} ${r.maxMs.toFixed(2).padStart(8)} ${r.msPerFullSize.toFixed(2).padStart(18)}`,
    );
  }
  const full = sizes[sizes.length - 1];
  const spread = (xs: number[]) => (Math.max(...xs) / Math.min(...xs)).toFixed(2);
  console.log(`full size: median ${full.medianMs.toFixed(2)} ms, min ${full.minMs.toFixed(2)} ms (budget 50 ms: ${full.medianMs <= 50 ? 'within' : 'OVER'})`);
  console.log(`linearity (time / fraction, 1.00 = perfectly linear): medians x${spread(sizes.map((r) => r.msPerFullSize))}, minima x${spread(sizes.map((r) => r.minMs / r.fraction))}`);
  console.log(`load average during the run: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} on ${os.cpus().length} CPUs`);
  const pair = benchBeginEnd();
  console.log(`\nJetBeginSession + JetEndSession: ${pair.pairs} pairs in ${pair.ms.toFixed(0)} ms = ${Math.round(pair.callsPerSecond).toLocaleString('en-US')} calls/s`);
  const mixed = benchMixedEngine();
  console.log(`mixed workload on the engine: ${mixed.calls} calls in ${mixed.ms.toFixed(0)} ms = ${Math.round(mixed.callsPerSecond).toLocaleString('en-US')} calls/s`);
  const viaAdapter = await benchMixedAdapter();
  console.log(`mixed workload through the reference adapter (one awaited call at a time): ${viaAdapter.calls} calls in ${viaAdapter.ms.toFixed(0)} ms = ${Math.round(viaAdapter.callsPerSecond).toLocaleString('en-US')} calls/s`);
  if (jsonOut !== undefined) {
    fs.mkdirSync(path.dirname(jsonOut), { recursive: true });
    fs.writeFileSync(jsonOut, JSON.stringify({ node: process.version, runtime, reps, endSession: sizes, beginEnd: pair, mixed, viaAdapter }, null, 2) + '\n');
    console.log(`\nwritten: ${jsonOut}`);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
