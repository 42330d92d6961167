/**
 * Mutants made by wrapping the reference: bugs in what an implementation answers, or in the state
 * it keeps, that the reference's variation points do not cover. Each class changes one behaviour
 * and leaves the rest to the reference.
 */
import type { AdapterStatus, CallResult, Implementation } from '../adapters/types';
import type { ArgsOf, ForcedInstanceState, HandleArg, OperationName } from '../api';
import { JET_bits, JET_errors as E } from '../api';
import { WrappedImplementation, errOf, handleKey, returned } from './wrap';

type EndArgs = ArgsOf<'JetEndSession'>;

function endArgs<O extends OperationName>(op: O, args: ArgsOf<O>): EndArgs | undefined {
  return op === 'JetEndSession' ? (args as EndArgs) : undefined;
}

/** Rewrites one JET_ERR into another in what JetEndSession (or every call, with `everyCall`) returns. */
export class CodeRewrite extends WrappedImplementation {
  constructor(
    inner: Implementation,
    name: string,
    private readonly from: number,
    private readonly to: number,
    private readonly everyCall: boolean,
  ) {
    super(inner, name);
  }

  override async call<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<CallResult<O>> {
    const r = await this.inner.call(thread, op, args);
    if ((this.everyCall || op === 'JetEndSession') && errOf(r) === this.from) return returned<O>(this.to);
    return r;
  }
}

/**
 * JET_bitForceSessionClosed taken at its word: a session blocked by its context (-1914) is forced
 * closed anyway, by resetting the context and ending it again.
 */
export class ForceSessionClosedActedUpon extends WrappedImplementation {
  override async call<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<CallResult<O>> {
    const r = await this.inner.call(thread, op, args);
    const end = endArgs(op, args);
    if (end === undefined || (end.grbit & JET_bits.JET_bitForceSessionClosed) === 0 || errOf(r) !== E.JET_errSessionInUse) return r;
    await this.inner.call(thread, 'JetResetSessionContext', { sesid: end.sesid });
    return this.inner.call(thread, op, args);
  }
}

/** Any grbit bit other than JET_bitForceSessionClosed refused with -1003, before anything else. */
export class UnknownGrbitRejected extends WrappedImplementation {
  override async call<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<CallResult<O>> {
    const end = endArgs(op, args);
    if (end !== undefined && (end.grbit & ~JET_bits.JET_bitForceSessionClosed) !== 0) return returned<O>(E.JET_errInvalidParameter);
    return this.inner.call(thread, op, args);
  }
}

function isNil(h: HandleArg): boolean {
  return typeof h === 'string' ? /^0x0*f{16}$/i.test(h.trim()) : h.forged === 'nil';
}

/** JET_sesidNil (~0) passes handle validation: JetEndSession answers success and ends nothing. */
export class NilAcceptedAsLive extends WrappedImplementation {
  override async call<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<CallResult<O>> {
    const end = endArgs(op, args);
    if (end !== undefined && isNil(end.sesid)) return returned<O>(E.JET_errSuccess);
    return this.inner.call(thread, op, args);
  }
}

/**
 * Sessions that JetTerm ended answer -1029 (not initialized) to JetEndSession instead of -1104:
 * the implementation remembers terminated sessions and blames the instance.
 */
export class StaleHandleNotInitialized extends WrappedImplementation {
  /** Live sessions by handle: the instance they belong to. */
  private readonly live = new Map<string, string>();
  private readonly termed = new Set<string>();

  override reset(): Promise<AdapterStatus> {
    this.live.clear();
    this.termed.clear();
    return this.inner.reset();
  }

  override async call<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<CallResult<O>> {
    const r = await this.inner.call(thread, op, args);
    const err = errOf(r);
    if (err === undefined) return r;
    const a = args as Partial<Record<'instance' | 'sesid', HandleArg | null>>;
    const out = r.kind === 'returned' ? (r.out as { sesid?: string } | undefined) : undefined;
    if (err >= 0 && op === 'JetBeginSession' && out?.sesid !== undefined) this.live.set(handleKey(out.sesid), handleKey(a.instance));
    if (err >= 0 && op === 'JetDupSession' && out?.sesid !== undefined) this.live.set(handleKey(out.sesid), this.live.get(handleKey(a.sesid)) ?? '');
    if (err >= 0 && (op === 'JetTerm' || op === 'JetTerm2')) {
      const instance = handleKey(a.instance);
      for (const [sesid, owner] of this.live) {
        if (owner === instance || typeof a.instance !== 'string') {
          this.termed.add(sesid);
          this.live.delete(sesid);
        }
      }
    }
    if (op === 'JetEndSession') {
      const sesid = handleKey(a.sesid);
      if (err >= 0) this.live.delete(sesid);
      if (err === E.JET_errInvalidSesid && this.termed.has(sesid)) return returned<O>(E.JET_errNotInitialized);
    }
    return r;
  }
}

/** A forced instance state that JetEndSession never checks: forcing it changes nothing. */
export class ForcedStateUnchecked extends WrappedImplementation {
  constructor(
    inner: Implementation,
    name: string,
    private readonly ignored: ForcedInstanceState['state'],
  ) {
    super(inner, name);
  }

  override async forceInstanceState(instance: HandleArg, state: ForcedInstanceState): Promise<AdapterStatus> {
    if (state.state === this.ignored) return { kind: 'ok' };
    return super.forceInstanceState(instance, state);
  }
}

/**
 * The transaction's thread binding is not enforced at the end: a transaction begun on t1 and ended
 * from t2 is rolled back and the session ended (done here by ending it again on the thread that
 * began it, once the reference has refused with -1910).
 */
export class ThreadBindingIgnored extends WrappedImplementation {
  /** Per session: transaction depth and the thread of its level-0 begin. */
  private readonly trx = new Map<string, { level: number; thread: string }>();

  override reset(): Promise<AdapterStatus> {
    this.trx.clear();
    return this.inner.reset();
  }

  override async call<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<CallResult<O>> {
    const r = await this.inner.call(thread, op, args);
    const err = errOf(r);
    if (err === undefined) return r;
    const a = args as { sesid?: HandleArg; grbit?: number };
    const key = handleKey(a.sesid);
    const t = this.trx.get(key);
    if (err >= 0) {
      if (op === 'JetBeginTransaction' || op === 'JetBeginTransaction2') {
        if (t === undefined || t.level === 0) this.trx.set(key, { level: 1, thread });
        else t.level++;
      } else if (op === 'JetCommitTransaction' && t !== undefined && t.level > 0) {
        t.level--;
      } else if (op === 'JetRollback' && t !== undefined && t.level > 0) {
        t.level = ((a.grbit ?? 0) & JET_bits.JET_bitRollbackAll) !== 0 ? 0 : t.level - 1;
      } else if (op === 'JetEndSession') {
        this.trx.delete(key);
      }
      return r;
    }
    if (op === 'JetEndSession' && err === E.JET_errSessionSharingViolation && t !== undefined && t.level > 0 && t.thread !== thread) {
      const again = await this.inner.call(t.thread, op, args);
      if (errOf(again) === E.JET_errSuccess) this.trx.delete(key);
      return again;
    }
    return r;
  }
}
