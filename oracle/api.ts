/**
 * The engine's call shapes: the operations of adapters/types.ts `Operations`, with handles as
 * engine handles (bigint) instead of the interface's strings, and results as `{ err, ...out }`.
 */
import type { OperationName, Operations } from '../api';
import type { JET_ERR } from '../api/codes';
import type { Cursor } from './cursor';
import type { JET_HANDLE } from './handles';
import type { FaultTable } from './injection';
import type { ProcessState } from './process';
import type { Session } from './session';

/** Argument and out-value names that carry handles. */
export type HandleKey = 'instance' | 'sesid' | 'tableid';
export const handleKeys: ReadonlySet<string> = new Set<HandleKey>(['instance', 'sesid', 'tableid']);

export type EngineShape<T> = {
  [K in keyof T]: K extends HandleKey ? (null extends T[K] ? JET_HANDLE | null : JET_HANDLE) : T[K];
};
/** An operation without out-values (Record<string, never>) maps to no fields. */
type Fields<T> = string extends keyof T ? Record<never, never> : EngineShape<T>;
export type EngineArgs<O extends OperationName> = Fields<Operations[O]['args']>;
export type EngineOut<O extends OperationName> = Fields<Operations[O]['out']>;
/** A call's JET_ERR and, when it succeeded, its out-values. */
export type EngineResult<O extends OperationName = OperationName> = { readonly err: JET_ERR } & Partial<EngineOut<O>>;

/** JetTerm/JetTerm2 waiting for held calls: completes when the last one is released. */
export interface PendingTerm {
  readonly pending: number;
}

export function isPending(r: EngineResult | PendingTerm): r is PendingTerm {
  return (r as PendingTerm).pending !== undefined;
}

/** What every operation reaches: the process state and the injected faults. */
export interface Core {
  readonly p: ProcessState;
  readonly faults: FaultTable;
}

/** A call that passed its entry checks (ESE's JET_VALIDATE_* and APICALL FEnter). */
export interface Entered {
  readonly thread: string;
  readonly s: Session | null;
  readonly c: Cursor | null;
  /** A held write that began its nested transaction at level 0 (inflight.ts). */
  readonly held?: HeldWrite;
}

/** The nested level a held write began; `leak`: bound to another thread's session context. */
export interface HeldWrite {
  readonly leak: boolean;
}

/**
 * One operation: `enter` runs the entry checks and returns an error or what the body needs;
 * `body` is the rest. A held call runs `enter` at hold and `body` at release.
 */
export interface OpImpl<O extends OperationName> {
  enter(core: Core, thread: string, a: EngineArgs<O>): JET_ERR | Entered;
  body(core: Core, e: Entered, a: EngineArgs<O>): EngineResult<O> | PendingTerm;
  /**
   * What a held call does before the point where a real engine holds it (a JET callback,
   * inflight.ts), run at hold after `enter`: an error result ends the call there (nothing is held);
   * otherwise `body` runs at release with the Entered it returns. Without it all is done at release.
   */
  hold?(core: Core, e: Entered, a: EngineArgs<O>): EngineResult<O> | Entered;
}

export type OpTable = { readonly [O in OperationName]: OpImpl<O> };

/** Success, with the call's out-values. */
export function ok(): { readonly err: JET_ERR };
export function ok<T extends object>(out: T): { readonly err: JET_ERR } & T;
export function ok(out?: object): { readonly err: JET_ERR } {
  return out === undefined ? { err: 0 } : { err: 0, ...out };
}

export function fail(err: JET_ERR): { readonly err: JET_ERR } {
  return { err };
}
