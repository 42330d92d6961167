/**
 * The conditions of JetEndSession's check order (catalogue/check-order.json), each as a fixture that
 * makes it hold for session s1 of instance i1. A scenario of the pairwise outline sets up the base
 * (`checkOrderBase`), then two conditions in their `setup` rank, then ends the session the
 * conditions name (`endTarget`) from thread t1. Threads are fixed per condition so that any two
 * can hold at once: the transaction is bound to t2, a call is held on t3, the context set on t4,
 * a call of s2 held on t5 while t6 waits in JetTerm2, a call of i2's session held on t7 while t8
 * waits in JetTerm2 of i2.
 */
import type { ScenarioContext } from './context';
import { ConformanceFailure, SuiteError } from './errors';
import { JET_bits, JET_constants, JET_errors } from './codes';
import * as fx from './fixtures';

export interface CheckOrderTarget {
  /** The saved name of the handle JetEndSession is called with, or `neverIssued`. */
  session: string;
}

export const neverIssued = '<never-issued>';

const targets = new WeakMap<ScenarioContext, CheckOrderTarget>();

export function endTarget(ctx: ScenarioContext): CheckOrderTarget {
  let t = targets.get(ctx);
  if (t === undefined) {
    t = { session: 's1' };
    targets.set(ctx, t);
  }
  return t;
}

/** Instance i1, table t1 of db1 with 3 records, sessions s1 and s2, s1 holding a cursor on t1. */
export async function checkOrderBase(ctx: ScenarioContext): Promise<void> {
  await fx.initInstance(ctx);
  await fx.createTableWithRecords(ctx, 'db1', 't1', 3);
  await fx.beginSession(ctx, 's1');
  await fx.beginSession(ctx, 's2');
  await fx.ensureCursor(ctx, 's1', 't1');
}

async function hold(ctx: ScenarioContext, thread: string, call: Parameters<ScenarioContext['traced']['hold']>[1]): Promise<void> {
  const held = await ctx.traced.hold(thread, call);
  if (held.kind !== 'held') {
    const r = ctx.returned(held, `hold ${call.op}`);
    throw new ConformanceFailure(`setup: ${call.op} could not be held in flight on ${thread}`, 'held', String(r.err));
  }
  ctx.holds.set(thread, { hold: held.hold, op: call.op });
}

/** Starts JetTerm2 on the thread without waiting: it waits for the held calls. */
function startTerm(ctx: ScenarioContext, thread: string, instance: string): void {
  const promise = ctx.traced.call(thread, 'JetTerm2', { instance: ctx.handle(instance), grbit: JET_bits.JET_bitTermComplete });
  const pending: { op: 'JetTerm2'; promise: typeof promise; settled?: Awaited<typeof promise> } = { op: 'JetTerm2', promise };
  ctx.pending.set(thread, pending);
  void promise.then((r) => {
    pending.settled = r;
  });
}

export const conditions: Readonly<Record<string, (ctx: ScenarioContext) => void | Promise<void>>> = {
  // A handle that was never issued: a stale one would forbid observing the state before the call.
  'invalid handle': (ctx) => {
    endTarget(ctx).session = neverIssued;
  },
  'not initialized': async (ctx) => ctx.force(ctx.handle('i1'), { state: 'not-initialized' }),
  'term in progress on this instance': async (ctx) => {
    await hold(ctx, 't5', { op: 'JetRollback', args: { sesid: ctx.handle('s2'), grbit: 0 } });
    startTerm(ctx, 't6', 'i1');
  },
  'instance unavailable': async (ctx) => ctx.force(ctx.handle('i1'), { state: 'fatal-error', cause: JET_errors.JET_errDiskIO }),
  'full log disk': async (ctx) => ctx.force(ctx.handle('i1'), { state: 'fatal-error', cause: JET_errors.JET_errLogDiskFull }),
  'restore in progress': async (ctx) => ctx.force(ctx.handle('i1'), { state: 'restore-in-progress' }),
  'call in flight on another thread': async (ctx) =>
    hold(ctx, 't3', { op: 'JetMove', args: { sesid: ctx.handle('s1'), tableid: ctx.handle('s1.t1'), cRow: JET_constants.JET_MoveFirst, grbit: 0 } }),
  'context set by another thread': async (ctx) => fx.setContext(ctx, 't4', 's1', 0x1234),
  'transaction bound to another thread': async (ctx) => {
    await fx.beginTransaction(ctx, 's1', 't2');
    await fx.insert(ctx, 's1', 't1', 101, 's1 insert on t2');
    await fx.update(ctx, 's1', 't1', 1, 's1 update on t2');
  },
  'clean-up fault': async (ctx) => ctx.inject({ step: 'close-database', err: JET_errors.JET_errDiskIO, times: 1 }),
  StopService: async (ctx) => fx.stopServiceAll(ctx),
  'term in progress on another instance': async (ctx) => {
    const home = ctx.instanceName;
    await fx.initInstance(ctx, {}, 'i2');
    ctx.instanceName = home;
    const out = await ctx.setup('t1', 'JetBeginSession', { instance: ctx.handle('i2'), username: '', password: '' });
    ctx.saveHandle('s8', out.sesid, 'JetBeginSession');
    await hold(ctx, 't7', { op: 'JetRollback', args: { sesid: ctx.handle('s8'), grbit: 0 } });
    startTerm(ctx, 't8', 'i2');
  },
  'open transaction': async (ctx) => fx.levelOneWork(ctx, 's1', 't1', { inserts: 2, update: 1 }),
};

export async function establish(ctx: ScenarioContext, name: string): Promise<void> {
  const setup = conditions[name];
  if (setup === undefined) throw new SuiteError(`unknown check-order condition "${name}"; known: ${Object.keys(conditions).join('; ')}`);
  await setup(ctx);
}
