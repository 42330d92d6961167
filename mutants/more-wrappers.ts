/**
 * More bugs in what an implementation answers, made by wrapping the reference (or replacing one
 * of its operations): wrong codes, a stale handle accepted, a duplicated session that is not a new
 * one, a session limit off by one, a term that waited and then fails, a grbit checked too late.
 */
import type { AdapterStatus, CallResult, HoldResult, Implementation } from '../adapters/types';
import type { ApiCall, ArgsOf, HandleArg, OperationName, TargetVersion } from '../api';
import { createReferenceImplementation } from '../adapters/reference';
import { JET_bits, JET_errors as E } from '../api';
import { isPending, type OpImpl } from '../oracle/api';
import { freeSession } from '../oracle/endsession';
import { sessionOf } from '../oracle/entry';
import * as life from '../oracle/lifecycle';
import { JetDupSession } from '../oracle/sessionops';
import { WrappedImplementation, errOf, handleKey, returned } from './wrap';

/** Rewrites one code into another in what one operation returns. */
export class OpCodeRewrite extends WrappedImplementation {
  constructor(
    inner: Implementation,
    name: string,
    private readonly op: OperationName,
    private readonly from: number,
    private readonly to: number,
  ) {
    super(inner, name);
  }

  override async call<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<CallResult<O>> {
    const r = await this.inner.call(thread, op, args);
    return op === this.op && errOf(r) === this.from ? returned<O>(this.to) : r;
  }
}

/** JetEndSession on a session it already ended answers JET_errSuccess again (the end is "idempotent"). */
export class DoubleEndSucceeds extends WrappedImplementation {
  private readonly ended = new Set<string>();

  override reset(): Promise<AdapterStatus> {
    this.ended.clear();
    return this.inner.reset();
  }

  override async call<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<CallResult<O>> {
    const r = await this.inner.call(thread, op, args);
    if (op !== 'JetEndSession') return r;
    const key = handleKey((args as { sesid: HandleArg }).sesid);
    if (errOf(r) === 0) this.ended.add(key);
    else if (errOf(r) === E.JET_errInvalidSesid && this.ended.has(key)) return returned<O>(0);
    return r;
  }
}

/** JetDupSession hands back the session it was given: the "new" session is the same one. */
export class DupSessionSameHandle extends WrappedImplementation {
  override async call<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<CallResult<O>> {
    const r = await this.inner.call(thread, op, args);
    if (op !== 'JetDupSession' || r.kind !== 'returned' || r.err !== 0) return r;
    const made = (r.out as { sesid?: string } | undefined)?.sesid;
    if (made !== undefined) await this.inner.call(thread, 'JetEndSession', { sesid: made, grbit: 0 });
    return { kind: 'returned', err: 0, out: { sesid: (args as { sesid: HandleArg }).sesid } } as unknown as CallResult<O>;
  }
}

/** A grbit with unknown bits is refused with -1003, but only after the open transaction was rolled back. */
export class GrbitRejectedAfterRollback extends WrappedImplementation {
  override async call<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<CallResult<O>> {
    if (op !== 'JetEndSession') return this.inner.call(thread, op, args);
    const a = args as ArgsOf<'JetEndSession'>;
    if ((a.grbit & ~JET_bits.JET_bitForceSessionClosed) === 0) return this.inner.call(thread, op, args);
    await this.inner.call(thread, 'JetRollback', { sesid: a.sesid, grbit: JET_bits.JET_bitRollbackAll });
    return returned<O>(E.JET_errInvalidParameter);
  }
}

/** A JetTerm/JetTerm2 that had to wait for calls in flight returns -1000 once it completes. */
export class WaitedTermFails extends WrappedImplementation {
  override async call<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<CallResult<O>> {
    const p = this.inner.call(thread, op, args);
    if (op !== 'JetTerm' && op !== 'JetTerm2') return p;
    let immediate: NodeJS.Immediate | undefined;
    const later = new Promise<'later'>((resolve) => (immediate = setImmediate(() => resolve('later'))));
    const first = await Promise.race([p, later]);
    clearImmediate(immediate);
    if (first !== 'later') return first;
    const r = await p;
    return errOf(r) === undefined ? r : returned<O>(E.JET_errTermInProgress);
  }
}

/** A JetEndSession refused with -1910 (a call in flight on another thread) makes that call fail with -1104 when it completes. */
export class RefusedEndCancelsCallInFlight extends WrappedImplementation {
  /** Held calls by hold id: the session they are on. */
  private readonly holds = new Map<string, string>();
  private readonly cancelled = new Set<string>();

  override reset(): Promise<AdapterStatus> {
    this.holds.clear();
    this.cancelled.clear();
    return this.inner.reset();
  }

  override async hold(thread: string, call: ApiCall): Promise<HoldResult> {
    const r = await super.hold(thread, call);
    if (r.kind === 'held') this.holds.set(r.hold, handleKey((call.args as { sesid?: HandleArg }).sesid));
    return r;
  }

  override async release(hold: string): Promise<CallResult> {
    const r = await super.release(hold);
    const sesid = this.holds.get(hold);
    this.holds.delete(hold);
    return sesid !== undefined && this.cancelled.delete(sesid) && r.kind === 'returned' ? returned(E.JET_errInvalidSesid) : r;
  }

  override async call<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<CallResult<O>> {
    const r = await this.inner.call(thread, op, args);
    if (op === 'JetEndSession' && errOf(r) === E.JET_errSessionSharingViolation) {
      const sesid = handleKey((args as { sesid: HandleArg }).sesid);
      if ([...this.holds.values()].includes(sesid)) this.cancelled.add(sesid);
    }
    return r;
  }
}

/** Codes a JetEndSession fails with before any clean-up: not a clean-up failure. */
const entryCodes = new Set<number>([
  E.JET_errInvalidSesid, E.JET_errNotInitialized, E.JET_errTermInProgress, E.JET_errInstanceUnavailable,
  E.JET_errInstanceUnavailableDueToFatalLogDiskFull, E.JET_errRestoreInProgress, E.JET_errSessionSharingViolation,
  E.JET_errSessionInUse, E.JET_errClientRequestToStopJetService, E.JET_errInvalidParameter,
]);

/** After a clean-up failure the session is marked as ending: JetBeginTransaction on it answers -1914 until it is ended. */
export class FailedCleanupLeavesSessionEnding extends WrappedImplementation {
  private readonly ending = new Set<string>();

  override reset(): Promise<AdapterStatus> {
    this.ending.clear();
    return this.inner.reset();
  }

  override async call<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<CallResult<O>> {
    const sesid = handleKey((args as { sesid?: HandleArg }).sesid);
    if (op === 'JetBeginTransaction' && this.ending.has(sesid)) return returned<O>(E.JET_errSessionInUse);
    const r = await this.inner.call(thread, op, args);
    const err = errOf(r);
    if (op === 'JetEndSession' && err !== undefined) {
      if (err < 0 && !entryCodes.has(err)) this.ending.add(sesid);
      else if (err >= 0) this.ending.delete(sesid);
    }
    return r;
  }
}

/** JET_bitForceSessionClosed resets the context of a session in use, but the end is still refused with -1914. */
export class ForceResetsContext extends WrappedImplementation {
  override async call<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<CallResult<O>> {
    const r = await this.inner.call(thread, op, args);
    if (op !== 'JetEndSession' || errOf(r) !== E.JET_errSessionInUse) return r;
    const a = args as ArgsOf<'JetEndSession'>;
    if ((a.grbit & JET_bits.JET_bitForceSessionClosed) !== 0) await this.inner.call(thread, 'JetResetSessionContext', { sesid: a.sesid });
    return r;
  }
}

type Core = Parameters<OpImpl<'JetBeginSession'>['body']>[0];

/** Whether the session a call just made took the instance's last slot; if so, it is freed again. */
function tookLastSlot(core: Core, sesid: Parameters<typeof sessionOf>[1] | undefined): boolean {
  const s = sesid === undefined ? undefined : sessionOf(core.p, sesid);
  if (s === undefined || s.instance.slotsUsed < s.instance.params.maxSessions) return false;
  freeSession(core.p, s);
  return true;
}

/** JetBeginSession refuses one session early: MaxSessions - 1 sessions at most. */
const beginSessionOneEarly: OpImpl<'JetBeginSession'> = {
  enter: (core, thread, a) => life.JetBeginSession.enter(core, thread, a),
  body(core, e, a) {
    const r = life.JetBeginSession.body(core, e, a);
    return isPending(r) || r.err !== 0 || !tookLastSlot(core, r.sesid) ? r : { err: E.JET_errOutOfSessions };
  },
};

/** JetDupSession with the same limit: it acts in all ways as JetBeginSession (its documentation). */
const dupSessionOneEarly: OpImpl<'JetDupSession'> = {
  enter: (core, thread, a) => JetDupSession.enter(core, thread, a),
  body(core, e, a) {
    const r = JetDupSession.body(core, e, a);
    return isPending(r) || r.err !== 0 || !tookLastSlot(core, r.sesid) ? r : { err: E.JET_errOutOfSessions };
  },
};

export function sessionLimitOneEarly(options?: { readonly target?: TargetVersion }): Implementation {
  // Both calls that make a session, as one limit in a port would: JetDupSession acts in all ways as
  // JetBeginSession (its documentation), so a limit on one only would be another bug.
  return createReferenceImplementation({ engine: { ops: { JetBeginSession: beginSessionOneEarly, JetDupSession: dupSessionOneEarly } }, ...(options?.target === undefined ? {} : { target: options.target }) });
}
