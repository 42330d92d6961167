/**
 * Bugs of the handle, instance-state, thread and clean-up-failure paths (red team B): what ports,
 * emulators and reimplementations get wrong around JetTerm, session contexts, the transaction's
 * thread binding and a fatal undo failure, each one postcondition wrong and everything else the
 * reference's. Plans replace a step of JetEndSession (oracle/endsession.ts); wrappers change what
 * an implementation answers around the reference.
 */
import type { AdapterStatus, CallResult, Implementation } from '../adapters/types';
import type { ArgsOf, HandleArg, OperationName } from '../api';
import { createReferenceImplementation } from '../adapters/reference';
import { JET_bits, JET_errors as E } from '../api';
import type { JET_ERR } from '../api';
import type { OpImpl, OpTable } from '../oracle/api';
import type { MutantSpec } from './types';
import {
  checkCallInFlight,
  checkInstanceUnavailable,
  checkProcessTerm,
  checkSessionContext,
  checkTermInProgress,
  closeDatabases,
  closeTempTables,
  endSessionFree,
  makeJetEndSession,
  referenceEndSession,
  rollbackTransaction,
  type EndSessionCheck,
  type EndSessionPlan,
  type EndSessionStep,
} from '../oracle/endsession';
import { sessionOf } from '../oracle/entry';
import type { Instance } from '../oracle/instance';
import { cancelPrepared, closeCursor } from '../oracle/resources';
import type { Session } from '../oracle/session';
import { JetSetSessionContext } from '../oracle/sessionops';
import { commitLevel, rollbackLevel, trxContextOk } from '../oracle/transaction';
import { WrappedImplementation, errOf, handleKey, returned } from './wrap';
import { plan, replace, withEndSession } from './engine-plans';
import { both, made, wrapped, type MutantOptions } from './entries';

const ref = referenceEndSession;

/** The reference with some operations replaced. */
function withOps(ops: Partial<OpTable>, options: MutantOptions): Implementation {
  return createReferenceImplementation({ engine: { ops }, ...(options?.target === undefined ? {} : { target: options.target }) });
}


// ---- The transaction's thread binding -----------------------------------------------------------

/**
 * JetEndSession from a thread the transaction is not bound to: `refuse` does what the
 * implementation does before answering -1910; the bound thread gets the reference's rollback.
 */
function wrongThreadRefusal(refuse: (p: Parameters<EndSessionStep>[0]['p'], s: Session, level: number) => void): EndSessionStep {
  return (core, s, thread) => {
    if (s.level > 0 && !trxContextOk(s, thread, 'end')) {
      refuse(core.p, s, s.level);
      return E.JET_errSessionSharingViolation;
    }
    return rollbackTransaction(core, s, thread);
  };
}

/** The refusal closes the innermost level's table cursors, but not its temp tables. */
const refusalKeepsTempTables = wrongThreadRefusal((p, s, level) => {
  for (const c of s.prepared) if (c.prep !== null && c.prep.level >= level) cancelPrepared(c);
  for (const c of s.frame(level).opened) if (!c.temp) closeCursor(p, c);
});

/** The refusal closes the innermost level's cursors but keeps the updates prepared in it. */
const refusalKeepsPrepared = wrongThreadRefusal((p, s, level) => {
  for (const c of s.frame(level).opened) closeCursor(p, c);
});

/** The refusal closes the cursors opened at every level of the transaction, not only the innermost. */
const refusalClosesEveryLevel = wrongThreadRefusal((p, s, level) => {
  for (const c of s.prepared) if (c.prep !== null && c.prep.level >= level) cancelPrepared(c);
  for (let l = 1; l <= level; l++) for (const c of s.frames[l]?.opened ?? []) closeCursor(p, c);
});

/** A transaction with nothing to undo is dropped without the thread check (a read-only one, an empty one). */
const emptyTransactionUnbound: EndSessionStep = (core, s, thread) => {
  let empty = true;
  for (let l = 1; l <= s.level; l++) if ((s.frames[l]?.undo.length ?? 0) > 0) empty = false;
  if (s.level > 0 && empty) {
    while (s.level > 0) rollbackLevel(core.p, s, thread, 'none', null);
    return 0;
  }
  return rollbackTransaction(core, s, thread);
};

/** JetSetSessionContext inside a transaction begun without one binds that transaction to the context. */
const lateContextBindsTransaction: OpImpl<'JetSetSessionContext'> = {
  enter: (core, thread, a) => JetSetSessionContext.enter(core, thread, a),
  body(core, e, a) {
    const r = JetSetSessionContext.body(core, e, a);
    const s = e.s as Session;
    if (!('pending' in r) && r.err === 0 && s.level > 0 && !s.trxUsesContext) {
      s.trxUsesContext = true;
      s.trxContext = a.context;
      s.trxThread = null;
    }
    return r;
  },
};

// ---- Instance states and refusals ---------------------------------------------------------------

/** Codes JetEndSession refuses with at its entry, on the instance's state. */
const instanceRefusals = new Set<JET_ERR>([
  E.JET_errNotInitialized, E.JET_errTermInProgress, E.JET_errInstanceUnavailable,
  E.JET_errInstanceUnavailableDueToFatalLogDiskFull, E.JET_errRestoreInProgress,
]);

/** A refusal on the instance's state goes out through the error path that unlocks the session: its context is cleared. */
function refusalClearsContext(): OpImpl<'JetEndSession'> {
  const inner = makeJetEndSession(referenceEndSession);
  return {
    enter(core, thread, a) {
      const r = inner.enter(core, thread, a);
      if (typeof r === 'number' && instanceRefusals.has(r)) {
        const s = sessionOf(core.p, a.sesid);
        if (s !== undefined) s.context = null;
      }
      return r;
    },
    body: (core, e, a) => inner.body(core, e, a),
  };
}

/**
 * An undo failure marks the failed session and refuses new sessions, but the instance's other
 * sessions carry on: only a forced fatal error, or the session that failed, gets -1090/-1092.
 */
function undoFailureFatalForFailedSessionOnly(): EndSessionPlan {
  const byUndo = new WeakSet<Instance>();
  const check: EndSessionCheck = (p, s, thread) => (byUndo.has(s.instance) && s.rollbackFailure === 0 ? 0 : checkInstanceUnavailable(p, s, thread));
  const rollback: EndSessionStep = (core, s, thread) => {
    const err = rollbackTransaction(core, s, thread);
    if (err !== 0 && s.instance.unavailableCause !== null) byUndo.add(s.instance);
    return err;
  };
  return plan({ entry: replace(ref.entry, checkInstanceUnavailable, check), cleanup: replace(ref.cleanup, rollbackTransaction, rollback) });
}

/** The session context is looked at only when there is a transaction to roll back. */
const contextCheckedInTransactionOnly: EndSessionCheck = (p, s, thread) => (s.level > 0 ? checkSessionContext(p, s, thread) : 0);

/** Checks of a JetTerm in progress made only for a session with a transaction (an idle one is "ended by the term anyway"). */
const termCheckedInTransactionOnly = (check: EndSessionCheck): EndSessionCheck => (p, s, thread) => (s.level > 0 ? check(p, s, thread) : 0);

/** After JetStopService the temp tables are left to JetTerm: the end frees the session without closing them. */
const tempTablesLeftAfterStopService: EndSessionStep = (core, s, thread) => (s.instance.stopService ? 0 : closeTempTables(core, s, thread));

/**
 * The clean-up resumes where a failed end stopped: the steps done before the failure (the rollback)
 * are not run again, though the session, left usable, may have begun a new transaction since.
 */
function resumableCleanup(): EndSessionPlan {
  const stageOf = new WeakMap<Session, number>();
  const resume: EndSessionStep = (core, s, thread) => {
    for (let i = stageOf.get(s) ?? 0; i < ref.cleanup.length; i++) {
      const err = ref.cleanup[i](core, s, thread);
      if (err === 0) continue;
      if (i > 0) stageOf.set(s, i);
      return err;
    }
    return 0;
  };
  return plan({ cleanup: [resume] });
}

/** PrepareTrxContextForEnd honoured for the innermost level only: the outer levels check the thread again. */
const migratedInnermostOnly: EndSessionStep = (core, s, thread) => {
  let check: 'end' | 'thread' = 'end';
  while (s.level > 0) {
    const err = rollbackLevel(core.p, s, thread, check, () => {
      const e = core.faults.take('undo');
      if (e !== 0) s.instance.unavailableCause = e;
      return e;
    });
    if (err !== 0) return err;
    check = 'thread';
  }
  return 0;
};

/** An undo failure keeps what the levels did: they are dropped as if committed, then the error is returned. */
const undoFailureKeepsWork: EndSessionStep = (core, s, thread) => {
  while (s.level > 0) {
    let failed: JET_ERR = 0;
    const err = rollbackLevel(core.p, s, thread, 'end', () => (failed = core.faults.take('undo')));
    if (err === 0) continue;
    if (failed !== 0) {
      s.rollbackFailure = 0;
      while (s.level > 0) commitLevel(core.p, s);
      s.instance.unavailableCause = failed;
    }
    return err;
  }
  return 0;
};

/** Calls in flight counted per instance: a call held on any session of the instance refuses the end (-1910). */
const callInFlightOnInstance: EndSessionCheck = (_p, s) => (s.instance.heldCalls > 0 ? E.JET_errSessionSharingViolation : 0);

export const redTeamPlans = {
  migratedInnermostOnly: plan({ cleanup: replace(ref.cleanup, rollbackTransaction, migratedInnermostOnly) }),
  undoFailureKeepsWork: plan({ cleanup: replace(ref.cleanup, rollbackTransaction, undoFailureKeepsWork) }),
  callInFlightOnInstance: plan({ entry: replace(ref.entry, checkCallInFlight, callInFlightOnInstance) }),
  resumableCleanup: resumableCleanup(),
  databasesClosedBeforeRollback: plan({ cleanup: [closeDatabases, rollbackTransaction, closeTempTables, endSessionFree] }),
  termCheckedInTransactionOnly: plan({
    entry: ref.entry.map((c) => (c === checkTermInProgress || c === checkProcessTerm ? termCheckedInTransactionOnly(c) : c)),
  }),
  tempTablesLeftAfterStopService: plan({ cleanup: replace(ref.cleanup, closeTempTables, tempTablesLeftAfterStopService) }),
  refusalKeepsTempTables: plan({ cleanup: replace(ref.cleanup, rollbackTransaction, refusalKeepsTempTables) }),
  refusalKeepsPrepared: plan({ cleanup: replace(ref.cleanup, rollbackTransaction, refusalKeepsPrepared) }),
  refusalClosesEveryLevel: plan({ cleanup: replace(ref.cleanup, rollbackTransaction, refusalClosesEveryLevel) }),
  emptyTransactionUnbound: plan({ cleanup: replace(ref.cleanup, rollbackTransaction, emptyTransactionUnbound) }),
  undoFailureFatalForFailedSessionOnly: undoFailureFatalForFailedSessionOnly(),
  contextCheckedInTransactionOnly: plan({ body: replace(ref.body, checkSessionContext, contextCheckedInTransactionOnly) }),
} satisfies Record<string, EndSessionPlan>;

export type RedTeamPlanName = keyof typeof redTeamPlans;

export function lateContextBindsTransactionEngine(options: MutantOptions): Implementation {
  return withOps({ JetSetSessionContext: lateContextBindsTransaction }, options);
}

export function refusalClearsContextEngine(options: MutantOptions): Implementation {
  return withOps({ JetEndSession: refusalClearsContext() }, options);
}

// ---- JetTerm and the sessions it ends (wrappers) ------------------------------------------------

type Args = Partial<Record<'instance' | 'sesid' | 'tableid', HandleArg | null>> & { readonly grbit?: number; readonly context?: number };

function outSesid(r: CallResult): string | undefined {
  return r.kind === 'returned' && r.err >= 0 ? (r.out as { sesid?: string } | undefined)?.sesid : undefined;
}

/** Tracks the live sessions of each instance, in the order they were begun, and what they hold. */
abstract class SessionTracker extends WrappedImplementation {
  /** Live session → its instance; Map order is begin order. */
  protected readonly live = new Map<string, string>();
  /** Sessions with a context set (session → setting thread). */
  protected readonly contexts = new Map<string, string>();
  /** Open table cursors per session (tableid → session). */
  protected readonly cursors = new Map<string, string>();

  override reset(): Promise<AdapterStatus> {
    this.live.clear();
    this.contexts.clear();
    this.cursors.clear();
    this.forget();
    return this.inner.reset();
  }

  protected forget(): void {}

  protected track(thread: string, op: OperationName, a: Args, r: CallResult): void {
    const err = errOf(r);
    if (err === undefined || err < 0) return;
    const sesid = handleKey(a.sesid);
    const made = outSesid(r);
    if (op === 'JetBeginSession' && made !== undefined) this.live.set(handleKey(made), handleKey(a.instance));
    else if (op === 'JetDupSession' && made !== undefined) this.live.set(handleKey(made), this.live.get(sesid) ?? '');
    else if (op === 'JetSetSessionContext') this.contexts.set(sesid, thread);
    else if (op === 'JetResetSessionContext') this.contexts.delete(sesid);
    else if (op === 'JetOpenTable') {
      const t = r.kind === 'returned' ? (r.out as { tableid?: string } | undefined)?.tableid : undefined;
      if (t !== undefined) this.cursors.set(handleKey(t), sesid);
    } else if (op === 'JetCloseTable') this.cursors.delete(handleKey(a.tableid));
    else if (op === 'JetEndSession') this.drop(sesid);
  }

  protected drop(sesid: string): void {
    this.live.delete(sesid);
    this.contexts.delete(sesid);
    for (const [t, s] of this.cursors) if (s === sesid) this.cursors.delete(t);
  }

  /** The live sessions of an instance, in begin order (all of them for a null instance handle). */
  protected sessionsOf(instance: HandleArg | null | undefined): string[] {
    const key = handleKey(instance);
    return [...this.live].filter(([, i]) => i === key || typeof instance !== 'string').map(([s]) => s);
  }

  /**
   * The call on the reference, tracked. A JetTerm or JetTerm2 that succeeds ends the instance's
   * sessions: they are dropped and returned in begin order, each with the thread that had set its
   * context (so that a wrapper can keep some alive); for any other call, or a failed term, none.
   */
  protected async callEndingSessions<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<{ readonly r: CallResult<O>; readonly ended: readonly (readonly [sesid: string, contextThread: string | undefined])[] }> {
    const a = args as Args;
    const before = op === 'JetTerm' || op === 'JetTerm2' ? this.sessionsOf(a.instance) : [];
    const r = await this.inner.call(thread, op, args);
    const ended = before.length > 0 && (errOf(r) ?? -1) >= 0 ? before.map((s) => [s, this.contexts.get(s)] as const) : [];
    for (const [s] of ended) this.drop(s);
    this.track(thread, op, a, r);
    return { r, ended };
  }
}

/**
 * JetTerm ends its sessions with a loop that removes from the list it walks: every second
 * session is skipped, stays in the implementation's table, and a later JetEndSession ends it (0).
 */
export class TermSkipsEverySecondSession extends SessionTracker {
  private readonly zombies = new Set<string>();

  protected override forget(): void {
    this.zombies.clear();
  }

  override async call<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<CallResult<O>> {
    const a = args as Args;
    const sesid = handleKey(a.sesid);
    if (op === 'JetEndSession' && this.zombies.delete(sesid)) return returned<O>(E.JET_errSuccess);
    const { r, ended } = await this.callEndingSessions(thread, op, args);
    ended.forEach(([s], i) => {
      if (i % 2 === 1) this.zombies.add(s);
    });
    return r;
  }
}

/**
 * JetTerm ends each session through JetEndSession's own path, which refuses a session whose context
 * is still set (-1914); the refusal is ignored: that session outlives the term with its context set.
 */
export class TermSkipsSessionInUse extends SessionTracker {
  private readonly zombies = new Set<string>();

  protected override forget(): void {
    this.zombies.clear();
  }

  override async call<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<CallResult<O>> {
    const a = args as Args;
    const sesid = handleKey(a.sesid);
    if (this.zombies.has(sesid)) {
      if (op === 'JetResetSessionContext' && this.contexts.get(sesid) === thread) {
        this.contexts.delete(sesid);
        return returned<O>(E.JET_errSuccess);
      }
      if (op === 'JetEndSession') {
        if (this.contexts.has(sesid)) return returned<O>(E.JET_errSessionInUse);
        this.zombies.delete(sesid);
        return returned<O>(E.JET_errSuccess);
      }
    }
    const { r, ended } = await this.callEndingSessions(thread, op, args);
    for (const [s, setter] of ended) {
      if (setter === undefined) continue;
      this.zombies.add(s);
      this.contexts.set(s, setter);
    }
    return r;
  }
}

/** JetTerm counts a session with a table open as active: it answers -1059 and ends nothing. */
export class TermRefusesOpenCursors extends SessionTracker {
  override async call<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<CallResult<O>> {
    const a = args as Args;
    if (op === 'JetTerm' || (op === 'JetTerm2' && ((a.grbit ?? 0) & JET_bits.JET_bitTermDirty) === 0)) {
      const sessions = new Set(this.sessionsOf(a.instance));
      if ([...this.cursors.values()].some((s) => sessions.has(s))) return returned<O>(E.JET_errTooManyActiveUsers);
    }
    return (await this.callEndingSessions(thread, op, args)).r;
  }
}

/**
 * A JetEndSession refused because a context is set (-1914) marks the session as closing; the next
 * JetEndSession of a closing session "finishes the close": it resets the context itself and ends it.
 */
export class RetriedEndForcesClose extends SessionTracker {
  private readonly closing = new Set<string>();

  protected override forget(): void {
    this.closing.clear();
  }

  override async call<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<CallResult<O>> {
    const a = args as Args;
    const sesid = handleKey(a.sesid);
    if (op === 'JetEndSession' && this.closing.has(sesid)) {
      const setter = this.contexts.get(sesid);
      if (setter !== undefined) {
        const reset = await this.inner.call(setter, 'JetResetSessionContext', { sesid: a.sesid as HandleArg });
        if (errOf(reset) === 0) this.contexts.delete(sesid);
      }
    }
    const r = await this.inner.call(thread, op, args);
    if (op === 'JetEndSession' && errOf(r) === E.JET_errSessionInUse) this.closing.add(sesid);
    else if (op === 'JetEndSession' && (errOf(r) ?? -1) >= 0) this.closing.delete(sesid);
    if (op === 'JetResetSessionContext' && errOf(r) === 0) this.closing.delete(sesid);
    this.track(thread, op, a, r);
    return r;
  }
}

/** A tableid passed as sesid: -1104, but the handle table first releases the object the handle names (the cursor is closed). */
export class BadSesidClosesWhatItNames extends SessionTracker {
  override async call<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<CallResult<O>> {
    const a = args as Args;
    const r = await this.inner.call(thread, op, args);
    if (op === 'JetEndSession' && errOf(r) === E.JET_errInvalidSesid && typeof a.sesid === 'string') {
      const owner = this.cursors.get(handleKey(a.sesid));
      const sesid = [...this.live.keys()].find((s) => s === owner);
      if (sesid !== undefined) {
        await this.inner.call(thread, 'JetCloseTable', { sesid, tableid: a.sesid });
        this.cursors.delete(handleKey(a.sesid));
      }
    }
    this.track(thread, op, a, r);
    return r;
  }
}

/**
 * The transaction is bound to the thread that began the session, not the one that began the
 * transaction: that thread's JetEndSession rolls it back, the transaction's own thread gets -1910.
 */
export class SessionThreadBinding extends SessionTracker {
  private readonly begunOn = new Map<string, string>();
  private readonly trx = new Map<string, { level: number; thread: string; context: boolean }>();

  protected override forget(): void {
    this.begunOn.clear();
    this.trx.clear();
  }

  override async call<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<CallResult<O>> {
    const a = args as Args;
    const sesid = handleKey(a.sesid);
    const t = this.trx.get(sesid);
    if (op === 'JetEndSession' && t !== undefined && t.level > 0 && !t.context && !this.contexts.has(sesid)) {
      const owner = this.begunOn.get(sesid);
      if (owner !== undefined && owner !== t.thread) {
        if (thread === t.thread) return returned<O>(E.JET_errSessionSharingViolation);
        if (thread === owner) {
          const r = await this.inner.call(t.thread, op, args);
          if (errOf(r) === 0) this.trx.delete(sesid);
          this.track(thread, op, a, r);
          return r;
        }
      }
    }
    const r = await this.inner.call(thread, op, args);
    const err = errOf(r);
    if (err !== undefined && err >= 0) {
      const made = outSesid(r);
      if ((op === 'JetBeginSession' || op === 'JetDupSession') && made !== undefined) this.begunOn.set(handleKey(made), thread);
      if (op === 'JetBeginTransaction' || op === 'JetBeginTransaction2') {
        if (t === undefined || t.level === 0) this.trx.set(sesid, { level: 1, thread, context: this.contexts.has(sesid) });
        else t.level++;
      } else if (op === 'JetCommitTransaction' && t !== undefined && t.level > 0) t.level--;
      else if (op === 'JetRollback' && t !== undefined && t.level > 0) t.level = ((a.grbit ?? 0) & JET_bits.JET_bitRollbackAll) !== 0 ? 0 : t.level - 1;
      else if (op === 'JetEndSession') this.trx.delete(sesid);
    }
    this.track(thread, op, a, r);
    return r;
  }
}

// ---- The catalogue entries (mutants/catalogue.ts spreads them in) ------------------------------

function engine(name: string, which: RedTeamPlanName, description: string, killedBy: MutantSpec['killedBy'], survives?: string): MutantSpec {
  return { name, description, kind: 'engine', plan: which, killedBy, ...(survives === undefined ? {} : { survives }), create: (options) => new WrappedImplementation(withEndSession(redTeamPlans[which], options), name) };
}

export const redTeamBMutants: readonly MutantSpec[] = [
  engine('refused-end-keeps-innermost-temp-tables', 'refusalKeepsTempTables',
    'a JetEndSession refused on the wrong thread (-1910) closes the innermost level\'s table cursors but not its temp tables',
    both(['ES-SHARING-VIOLATION'])),
  engine('refused-end-keeps-prepared-update', 'refusalKeepsPrepared',
    'a JetEndSession refused on the wrong thread (-1910) closes the innermost level\'s cursors but keeps the update prepared in it',
    { esent: ['ES-SHARING-VIOLATION'] },
    'documented: the doc says nothing of what a refused end has closed or cancelled (the documented tier allows anything for the later JetUpdate)'),
  engine('refused-end-closes-every-level', 'refusalClosesEveryLevel',
    'a JetEndSession refused on the wrong thread (-1910) closes the cursors and temp tables of every transaction level, not only the innermost',
    both(['ES-SHARING-VIOLATION'])),
  engine('empty-transaction-not-bound', 'emptyTransactionUnbound',
    'a transaction with nothing to undo (empty or read-only) is dropped without the thread check: ended from another thread it answers 0',
    both(['ES-SHARING-VIOLATION'])),
  engine('undo-failure-fatal-for-failed-session-only', 'undoFailureFatalForFailedSessionOnly',
    'after an undo failure only the failed session and new sessions get -1090/-1092: the instance\'s other sessions still end with 0',
    { esent: ['ES-UNDO-FAILURE-FATAL'] },
    'documented: the doc says nothing of the instance after a clean-up failure'),
  engine('context-checked-in-transaction-only', 'contextCheckedInTransactionOnly',
    'a session context still set refuses the end (-1914) only when there is a transaction to roll back: an idle session is ended',
    both(['ES-SESSION-IN-USE'])),
  made('refusal-clears-context', 'a JetEndSession refused on the instance\'s state (-1029, -506, -1000, -1090) leaves through an error path that clears the session context',
    { documented: ['ES-TERM-IN-PROGRESS'], esent: ['ES-TERM-IN-PROGRESS'] }, refusalClearsContextEngine),
  engine('cleanup-resumed-after-failure', 'resumableCleanup',
    'after a failed clean-up the next JetEndSession resumes where it stopped: the rollback is not run again, though the usable session began new work since',
    both(['ES-CLEANUP-FAILURE-LEAVES-SESSION'])),
  engine('call-in-flight-counted-per-instance', 'callInFlightOnInstance',
    'calls in flight are counted per instance, not per session: a call held on another session refuses the end with -1910',
    both(['ES-SHARING-VIOLATION'])),
  engine('undo-failure-keeps-work', 'undoFailureKeepsWork',
    'an undo failure drops the transaction\'s levels as if committed: the error and the fatal state are right, but the work becomes durable',
    { esent: ['ES-UNDO-FAILURE-FATAL'] },
    'documented: the doc says only that the clean-up failed ("some part of the session was unable to be cleaned up"), nothing of the data'),
  wrapped('term-skips-every-second-session', 'JetTerm ends its sessions in a loop that removes from the list it walks: every second one outlives the term and a later JetEndSession ends it (0)',
    { documented: ['ES-AFTER-TERM'], esent: ['ES-AFTER-TERM', 'ES-UNDO-FAILURE-FATAL'] }, (inner, name) => new TermSkipsEverySecondSession(inner, name)),
  wrapped('term-skips-session-in-use', 'JetTerm ends sessions through JetEndSession\'s path and ignores its refusal: a session whose context is set outlives the term (-1914 afterwards)',
    both(['ES-AFTER-TERM']), (inner, name) => new TermSkipsSessionInUse(inner, name)),
  wrapped('term-refuses-open-cursors', 'JetTerm counts a session with a table open as active: it answers -1059 JET_errTooManyActiveUsers and ends nothing',
    { documented: ['ES-TERM-IN-PROGRESS', 'ES-INVALID-SESID', 'ES-AFTER-TERM', 'ES-STOP-SERVICE'], esent: ['ES-UNDO-FAILURE-FATAL', 'ES-TERM-IN-PROGRESS', 'ES-INVALID-SESID', 'ES-AFTER-TERM', 'ES-STOP-SERVICE'] }, (inner, name) => new TermRefusesOpenCursors(inner, name)),
  wrapped('retried-end-forces-close', 'a JetEndSession refused because a context is set (-1914) marks the session closing; the next JetEndSession resets the context itself and ends the session',
    both(['ES-SESSION-IN-USE']), (inner, name) => new RetriedEndForcesClose(inner, name)),
  wrapped('bad-sesid-closes-what-it-names', 'a tableid passed as sesid answers -1104, but the handle table first releases the object the handle names: the cursor is closed',
    both(['ES-INVALID-SESID']), (inner, name) => new BadSesidClosesWhatItNames(inner, name)),
  wrapped('session-thread-binding', 'the transaction is bound to the thread that began the session, not the one that began the transaction: that thread\'s JetEndSession rolls it back, the transaction\'s own thread gets -1910',
    both(['ES-INVALID-SESID', 'ES-SHARING-VIOLATION', 'ES-SESSION-IN-USE', 'ES-TERM-IN-PROGRESS', 'ES-INSTANCE-UNAVAILABLE', 'ES-GRBIT-FORCE-NOOP']), (inner, name) => new SessionThreadBinding(inner, name)),
];
