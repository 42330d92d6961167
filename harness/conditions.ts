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
import { ConformanceFailure, RefusedUse, SuiteError } from './errors';
import { JET_bits, JET_constants, JET_errors } from './codes';
import * as fx from './fixtures';
import { run, then, wait, type Flow, type Maybe } from './maybe';

export interface CheckOrderTarget {
  /** The saved name of the handle JetEndSession is called with, or `neverIssued`. */
  session: string;
  /** The thread it is called from. */
  thread: string;
}

export const neverIssued = '<never-issued>';

const targets = new WeakMap<ScenarioContext, CheckOrderTarget>();

/** The conditions a scenario has established so far: a later one picks the call it holds by them. */
const establishedBy = new WeakMap<ScenarioContext, Set<string>>();

function established(ctx: ScenarioContext): Set<string> {
  let set = establishedBy.get(ctx);
  if (set === undefined) {
    set = new Set();
    establishedBy.set(ctx, set);
  }
  return set;
}

export function endTarget(ctx: ScenarioContext): CheckOrderTarget {
  let t = targets.get(ctx);
  if (t === undefined) {
    t = { session: 's1', thread: 't1' };
    targets.set(ctx, t);
  }
  return t;
}

/** Instance i1, table t1 of db1 with 3 records, sessions s1 and s2, s1 holding a cursor on t1. */
export function checkOrderBase(ctx: ScenarioContext): Maybe<void> {
  return run(
    (function* (): Flow<void> {
      yield* wait(fx.initInstance(ctx));
      yield* wait(fx.createTableWithRecords(ctx, 'db1', 't1', 3));
      yield* wait(fx.beginSession(ctx, 's1'));
      yield* wait(fx.beginSession(ctx, 's2'));
      yield* wait(fx.ensureCursor(ctx, 's1', 't1'));
    })(),
  );
}

async function hold(ctx: ScenarioContext, thread: string, call: Parameters<ScenarioContext['traced']['hold']>[1]): Promise<void> {
  const held = await ctx.traced.hold(thread, call);
  if (held.kind === 'unsupported') throw new RefusedUse(`${ctx.traced.inner.info.name} cannot hold ${call.op} in flight: ${held.reason}`);
  if (held.kind !== 'held') {
    const r = ctx.returned(held, `hold ${call.op}`);
    throw new ConformanceFailure(`setup: ${call.op} could not be held in flight on ${thread}`, 'held', String(r.err));
  }
  ctx.holds.set(thread, { hold: held.hold, op: call.op });
}

/**
 * Starts JetTerm2 on the thread without waiting: it waits for the held calls. Shown to wait (a term
 * that returned at once would leave no term in progress, and the row would prove nothing about it).
 */
async function startTerm(ctx: ScenarioContext, thread: string, instance: string): Promise<void> {
  const promise = ctx.traced.call(thread, 'JetTerm2', { instance: ctx.handle(instance), grbit: JET_bits.JET_bitTermComplete });
  const pending: { op: 'JetTerm2'; promise: typeof promise; settled?: Awaited<typeof promise> } = { op: 'JetTerm2', promise };
  ctx.pending.set(thread, pending);
  void promise.then((r) => {
    pending.settled = r;
  });
  await ctx.letCallsSettle();
  if (pending.settled !== undefined) {
    const r = ctx.returned(pending.settled, 'JetTerm2');
    throw new ConformanceFailure(`setup: JetTerm2 on ${thread} returned at once; it should wait for the call held in flight`, 'no answer yet', String(r.err));
  }
}

/** A call held on s1 makes s1 busy for every other thread: even the context's own thread t4 cannot reset a context. */
async function showInFlight(ctx: ScenarioContext): Promise<void> {
  const busy = [JET_errors.JET_errSessionSharingViolation, JET_errors.JET_errSessionInUse];
  await ctx.expectCall('setup: s1 has a call in flight on t3, so a call of s1 on t4 is refused', 't4', 'JetResetSessionContext', { sesid: ctx.handle('s1') }, (err) => busy.includes(err), `JET_errSessionSharingViolation or JET_errSessionInUse`);
}

// Conditions set up by fixtures alone return what the fixture returns: in-process, nothing to wait for (harness/maybe.ts).
export const conditions: Readonly<Record<string, (ctx: ScenarioContext) => Maybe<unknown>>> = {
  // A handle that was never issued: a stale one would forbid observing the state before the call.
  'invalid handle': (ctx) => {
    endTarget(ctx).session = neverIssued;
  },
  'not initialized': async (ctx) => ctx.force(ctx.handle('i1'), { state: 'not-initialized' }),
  // The held call is a write a real engine can hold (in its JET callback, bridge/win32/hold.c): s2's
  // JetDelete on a cursor of its own, at level 0; it takes no lock before the callback (recupd.cxx 2387, 2391).
  // After StopService s2 cannot open a table (-1329): a JetRollback is held there.
  'term in progress on this instance': async (ctx) => {
    if (established(ctx).has('StopService')) await hold(ctx, 't5', { op: 'JetRollback', args: { sesid: ctx.handle('s2'), grbit: 0 } });
    else {
      await fx.ensureCursor(ctx, 's2', 't1');
      await hold(ctx, 't5', { op: 'JetDelete', args: { sesid: ctx.handle('s2'), tableid: ctx.handle('s2.t1') } });
    }
    await startTerm(ctx, 't6', 'i1');
  },
  'instance unavailable': async (ctx) => ctx.force(ctx.handle('i1'), { state: 'fatal-error', cause: JET_errors.JET_errDiskIO }),
  'full log disk': async (ctx) => ctx.force(ctx.handle('i1'), { state: 'fatal-error', cause: JET_errors.JET_errLogDiskFull }),
  'restore in progress': async (ctx) => ctx.force(ctx.handle('i1'), { state: 'restore-in-progress' }),
  // A JetDelete, which a real engine can hold in its callback, where it can: inside a transaction of
  // another thread a write's nested begin refuses it before any callback (dir.cxx 1873-1878), and with
  // a context set by another thread (t4) ESE refuses t3 the callback's registration (-1910, measured
  // at level 0) and the observer's probes leave a level bound to that context: a JetMove there.
  'call in flight on another thread': async (ctx) => {
    const sesid = ctx.handle('s1');
    const tableid = ctx.handle('s1.t1');
    const write = ctx.shadow.session('s1').level === 0 && !established(ctx).has('context set by another thread');
    await hold(ctx, 't3', write ? { op: 'JetDelete', args: { sesid, tableid } } : { op: 'JetMove', args: { sesid, tableid, cRow: JET_constants.JET_MoveFirst, grbit: 0 } });
    await showInFlight(ctx);
  },
  // Set by t4, and shown to be t4's: t1 cannot reset it (a context set by t1 would block JetEndSession just the same).
  'context set by another thread': async (ctx) => {
    await fx.setContext(ctx, 't4', 's1', 0x1234);
    const notMine = JET_errors.JET_errSessionContextNotSetByThisThread;
    await ctx.expectCall('setup: the session context of s1 is set by thread t4, so thread t1 cannot reset it', 't1', 'JetResetSessionContext', { sesid: ctx.handle('s1') }, (err) => err === notMine, `JET_errSessionContextNotSetByThisThread (${notMine})`);
  },
  'transaction bound to another thread': (ctx) =>
    run(
      (function* (): Flow<void> {
        yield* wait(fx.beginTransaction(ctx, 's1', 't2'));
        yield* wait(fx.insert(ctx, 's1', 't1', 101, 's1 insert on t2'));
        yield* wait(fx.update(ctx, 's1', 't1', 1, 's1 update on t2'));
      })(),
    ),
  // Twice: the first failure is s3's (its probe shows the fault is applied), the second is left for the pair.
  'clean-up fault': async (ctx) => {
    await fx.beginSession(ctx, 's3');
    await fx.openDatabase(ctx, 's3', 'db1');
    await ctx.inject({ step: 'close-database', err: JET_errors.JET_errDiskIO, times: 2 });
  },
  StopService: (ctx) => fx.stopServiceAll(ctx),
  'term in progress on another instance': async (ctx) => {
    const home = ctx.instanceName;
    // Room for the observer sessions the whole-state checks begin on i2 and cannot end while its term waits.
    await fx.initInstance(ctx, { MaxSessions: 32 }, 'i2');
    // s8's held call is a JetDelete a real engine can hold, on a table of i2's own (t8 in db8).
    try {
      await fx.createTableWithRecords(ctx, 'db8', 't8', 1);
    } finally {
      ctx.instanceName = home;
    }
    const out = await ctx.setup('t1', 'JetBeginSession', { instance: ctx.handle('i2'), username: '', password: '' });
    ctx.saveHandle('s8', out.sesid, 'JetBeginSession');
    await fx.ensureCursor(ctx, 's8', 't8');
    await hold(ctx, 't7', { op: 'JetDelete', args: { sesid: ctx.handle('s8'), tableid: ctx.handle('s8.t8') } });
    await startTerm(ctx, 't8', 'i2');
  },
  'open transaction': (ctx) => fx.levelOneWork(ctx, 's1', 't1', { inserts: 2, update: 1 }),
};

/**
 * The session whose JetEndSession shows a condition applied on its own: s1, or for a condition
 * whose s1 would not fail (or would use up the condition), the session catalogue/check-order.json's
 * `probe` names.
 */
export const probeSessions: Readonly<Record<string, string>> = {
  'clean-up fault': 's3',
  'term in progress on another instance': 's8',
  'instance unavailable': 's2',
  'full log disk': 's2',
  'not initialized': 's2',
  'restore in progress': 's2',
};

/**
 * How a condition stops holding, for the conditions that can (catalogue/check-order.json
 * `takeAway`): after the pair's call, the other condition must then decide a call on its own.
 */
export const takeAways: Readonly<Record<string, (ctx: ScenarioContext) => void | Promise<void>>> = {
  'invalid handle': (ctx) => {
    endTarget(ctx).session = 's1';
  },
  'call in flight on another thread': async (ctx) => {
    const held = ctx.holds.get('t3');
    if (held === undefined) throw new SuiteError('no call is held on thread t3');
    ctx.holds.delete('t3');
    const result = await ctx.traced.release('t3', held.hold);
    ctx.pending.set('t3', { op: held.op, promise: Promise.resolve(result), settled: result });
    ctx.returned(result, `release of ${held.op}`);
  },
  'transaction bound to another thread': (ctx) => {
    endTarget(ctx).thread = 't2';
  },
};

export async function takeAway(ctx: ScenarioContext, name: string): Promise<void> {
  const step = takeAways[name];
  if (step === undefined) throw new SuiteError(`the check-order condition "${name}" cannot be taken away; those that can: ${Object.keys(takeAways).join('; ')}`);
  await step(ctx);
}

/**
 * Conditions whose set-up itself shows them applied, whatever else holds: a call is held and
 * another thread's call of s1 refused; JetTerm2 is still waiting; the context is refused to t1.
 */
export const shownAtSetUp: readonly string[] = ['call in flight on another thread', 'term in progress on this instance', 'term in progress on another instance', 'context set by another thread'];

export function establish(ctx: ScenarioContext, name: string): Maybe<void> {
  const setup = conditions[name];
  if (setup === undefined) throw new SuiteError(`unknown check-order condition "${name}"; known: ${Object.keys(conditions).join('; ')}`);
  return then(setup(ctx), () => {
    established(ctx).add(name);
  });
}
