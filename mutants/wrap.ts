/**
 * The base of every mutant made by wrapping an Implementation: delegates everything and renames it
 * `mutant:NAME`, so that reports never mistake a mutant for the reference. Subclasses override the
 * one method their bug lives in.
 */
import type {
  AdapterStatus,
  CallResult,
  HoldResult,
  Implementation,
  ImplementationInfo,
} from '../adapters/types';
import type {
  ApiCall,
  ArgsOf,
  FaultSpec,
  ForcedInstanceState,
  HandleArg,
  OperationName,
} from '../api';

export class WrappedImplementation implements Implementation {
  readonly info: ImplementationInfo;

  /**
   * The inner implementation's `sync`, where it has one. Every override here answers through
   * promise continuations on the inner's answers (WaitedTermFails adds one setImmediate turn), so
   * "every call made so far has returned or waits" stays as true of the wrapper as of the inner
   * engine. Without it, each check that a call still waits costs 50 ms (about 52 a two-tier run).
   */
  readonly sync?: () => Promise<AdapterStatus>;

  constructor(
    protected readonly inner: Implementation,
    name: string,
  ) {
    this.info = { ...inner.info, name: `mutant:${name}` };
    if (inner.sync !== undefined) this.sync = () => inner.sync!();
  }

  reset(): Promise<AdapterStatus> {
    return this.inner.reset();
  }

  call<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<CallResult<O>> {
    return this.inner.call(thread, op, args);
  }

  hold(thread: string, call: ApiCall): Promise<HoldResult> {
    return this.inner.hold?.(thread, call) ?? Promise.resolve(unsupported('hold'));
  }

  release(hold: string): Promise<CallResult> {
    return this.inner.release?.(hold) ?? Promise.resolve(unsupported('release'));
  }

  forceInstanceState(instance: HandleArg, state: ForcedInstanceState): Promise<AdapterStatus> {
    return this.inner.forceInstanceState?.(instance, state) ?? Promise.resolve(unsupported('forceInstanceState'));
  }

  injectFault(fault: FaultSpec): Promise<AdapterStatus> {
    return this.inner.injectFault?.(fault) ?? Promise.resolve(unsupported('injectFault'));
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

function unsupported(what: string): { readonly kind: 'unsupported'; readonly reason: string } {
  return { kind: 'unsupported', reason: `the wrapped implementation has no ${what}()` };
}

/** A returned call with this JET_ERR and no out-values. */
export function returned<O extends OperationName>(err: number): CallResult<O> {
  return { kind: 'returned', err };
}

/** The JET_ERR of a returned call; undefined for a fault or an unsupported answer. */
export function errOf(r: CallResult): number | undefined {
  return r.kind === 'returned' ? r.err : undefined;
}

/** A handle argument as a map key: issued handles by value, forged ones by kind. */
export function handleKey(h: HandleArg | null | undefined): string {
  if (h === null || h === undefined) return '(null)';
  return typeof h === 'string' ? h.toLowerCase() : `(forged ${h.forged})`;
}
