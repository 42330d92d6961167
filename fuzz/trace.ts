/**
 * The record of one fuzz run, step by step, in terms the Gherkin writer needs: the symbolic call,
 * the thread, what the reference answered (the expectation the feature states) and, on the last
 * step, how the implementation under test diverged.
 */
import type { FaultSpec } from '../api';
import type { SymCall } from './roles';

/** How the implementation differed from the reference on one step. */
export interface Divergence {
  /** One line: `JetEndSession: expected JET_errInvalidSesid (-1104), got JET_errSuccess (0)`. */
  readonly message: string;
  readonly expected: string;
  readonly actual: string;
  /**
   * code: another JET_ERR; fault: a crash, timeout or protocol error; out: an out-value differs
   * (`out` names it); alias: a new handle equals a live one (`others` lists those in use);
   * held: the hold was refused or taken differently; waiting: a term returned while the reference
   * still waits; status: an adapter operation (injection, forced state) failed.
   */
  readonly kind: 'code' | 'fault' | 'out' | 'alias' | 'held' | 'waiting' | 'status';
  readonly out?: { readonly name: string; readonly value: unknown };
  readonly others?: readonly string[];
}

interface Base {
  readonly thread: string;
  divergence?: Divergence;
}

/** A call that returned; `save` names the handle it issued. */
export interface CallStep extends Base {
  readonly kind: 'call';
  readonly call: SymCall;
  readonly err: number;
  readonly save?: { readonly out: string; readonly as: string };
  /** The dbid the reference gave the database this call opened or created (a written finding saves it by name). */
  readonly dbid?: number;
}

/** A call held in flight (the reference held it). */
export interface HoldStep extends Base {
  readonly kind: 'hold';
  readonly call: SymCall;
}

/** The held call on the thread released; err is what the reference returned for it. */
export interface ReleaseStep extends Base {
  readonly kind: 'release';
  readonly call: SymCall;
  readonly err: number;
}

/** A term started while calls are held: the reference keeps it waiting. */
export interface StartStep extends Base {
  readonly kind: 'start';
  readonly call: SymCall;
}

/** The started call on the thread has not returned yet. */
export interface WaitingStep extends Base {
  readonly kind: 'waiting';
}

/** The started call on the thread returned err. */
export interface ReturnedStep extends Base {
  readonly kind: 'returned';
  readonly call: SymCall;
  readonly err: number;
}

/** `fault-injection`: a clean-up step of JetEndSession made to fail. */
export interface InjectStep extends Base {
  readonly kind: 'inject';
  readonly fault: FaultSpec;
}

/** `instance-state`: instance i1 forced into a fatal error with this cause. */
export interface ForceStep extends Base {
  readonly kind: 'force';
  readonly cause: number;
}

export type TraceStep = CallStep | HoldStep | ReleaseStep | StartStep | WaitingStep | ReturnedStep | InjectStep | ForceStep;
