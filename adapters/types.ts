/**
 * The adapter interface: the only way the suite reaches an ESE implementation.
 *
 * Everything here is plain data that survives JSON: the process adapter sends these shapes over
 * its protocol almost unchanged (docs/protocol.md). Errors of the implementation (a crash, a hang,
 * an answer that breaks the protocol) are returned as data, never thrown, so that a broken
 * implementation costs one scenario and never the run.
 *
 * @packageDocumentation
 */

import type { ApiCall, ArgsOf, HandleArg, OperationName, OutOf } from '../api/operations';
import type { Capability, FaultSpec, ForcedInstanceState, TargetVersion } from '../api/capabilities';

// The ESE vocabulary lives in api/ (it depends on nothing); re-exported for adapter authors and for
// the modules that still import it from here.
export * from '../api/operations';
export * from '../api/capabilities';

/** The implementation's own failure, as opposed to an ESE error code it returned. */
export type ImplementationFault =
  | { readonly kind: 'crash'; readonly reason: string; readonly code?: string; readonly stderrTail?: string }
  | { readonly kind: 'timeout'; readonly reason: string; readonly stderrTail?: string }
  | { readonly kind: 'protocol-error'; readonly reason: string; readonly stderrTail?: string };

/** A call that returned: its JET_ERR and, when it succeeded (err >= 0), its out-values. */
export interface Returned<O extends OperationName = OperationName> {
  readonly kind: 'returned';
  readonly err: number;
  readonly out?: Partial<OutOf<O>>;
}

/** Answer to an operation of a declared capability that the implementation cannot do after all. */
export interface Unsupported {
  readonly kind: 'unsupported';
  readonly reason: string;
}

export type CallResult<O extends OperationName = OperationName> = Returned<O> | ImplementationFault | Unsupported;

/** In a chain (Implementation.callChain): the out-value `out` of the chain's `ref`-th call. */
export interface OutRef {
  readonly ref: number;
  readonly out: string;
}

/** One call of a chain: its thread, and the code it must return for the chain to go on. */
export interface ChainCall {
  readonly thread: string;
  readonly op: OperationName;
  readonly args: Readonly<Record<string, unknown>>;
  readonly expect?: number;
  /** Out-values the answer must carry (equal as JSON) for the chain to go on; only with `expect`, and only where chainExpectsOut. */
  readonly expectOut?: Readonly<Record<string, unknown>>;
}

/** A call started with `hold`: entered and kept in progress until `release`. */
export interface Held {
  readonly kind: 'held';
  readonly hold: string;
}

/** The call returned at once instead of being held (e.g. it failed its entry checks). */
export type HoldResult = Held | CallResult;

/** Result of an adapter operation that has no JET_ERR of its own (reset, injections). */
export type AdapterStatus = { readonly kind: 'ok' } | ImplementationFault | Unsupported;

export interface ImplementationInfo {
  readonly name: string;
  readonly version: string;
  readonly target: TargetVersion;
  readonly pointerWidth: 32 | 64;
  readonly capabilities: readonly Capability[];
}

/**
 * An ESE implementation under test. Threads are logical names ("t1", "t2"): the implementation maps
 * each to one real thread for its lifetime (until `reset`). Calls on one thread are sequential; calls
 * on different threads may overlap when `threads` is declared.
 */
export interface Implementation {
  /** Known after `open`; constant for the adapter's lifetime. */
  readonly info: ImplementationInfo;
  /** Back to a fresh process state: no instance, instance mode forgotten, fresh database folder. */
  reset(): Promise<AdapterStatus>;
  /**
   * One API call. The promise stays pending while the implementation is blocked (JetTerm2 waiting
   * for a held call, with `in-flight`); it never rejects.
   */
  call<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<CallResult<O>>;
  /** `in-flight`: enter the call and keep it in progress on `thread` until `release`. */
  hold?(thread: string, call: ApiCall): Promise<HoldResult>;
  /** `in-flight`: let a held call complete and return its result. */
  release?(hold: string): Promise<CallResult>;
  /** `instance-state`: force the instance into a state ESENT cannot be driven into. */
  forceInstanceState?(instance: HandleArg, state: ForcedInstanceState): Promise<AdapterStatus>;
  /** `fault-injection`: make a named clean-up step of JetEndSession fail. */
  injectFault?(fault: FaultSpec): Promise<AdapterStatus>;
  /**
   * Resolves `ok` once every call made before it has returned or waits (JetTerm2 blocked on a held
   * call): a caller tells "waits" from "slow" without a timer. Absent, or `unsupported`, when the
   * implementation cannot tell (a process without protocol 1.1 `sync`).
   */
  sync?(): Promise<AdapterStatus>;
  /**
   * Calls on one thread, one after another, as `call` would make them; with `stopOnError` the first
   * result that is not a success (err < 0, or a fault) is the last. A fault always ends the batch.
   * Only an optimisation of round trips (protocol 1.1 `batch`): absent, the caller calls one by one.
   */
  callBatch?(thread: string, calls: readonly ApiCall[], stopOnError: boolean): Promise<CallResult[]>;
  /**
   * Calls one after another, each on its own thread, in as few round trips as possible (protocol 1.1
   * `chain`): an argument value may be an OutRef, the out-value of an earlier call of the chain; a
   * call with `expect` ends the chain unless it returns exactly that code (a fault always ends it).
   * The results of the calls made, in order. Only an optimisation of round trips.
   */
  callChain?(calls: readonly ChainCall[]): Promise<CallResult[]>;
  /** Whether callChain honours a call's `expectOut` (protocol 1.1 `expect-out`). */
  readonly chainExpectsOut?: boolean;
  /**
   * The adapter's own limit for one call, in ms, when it keeps one (the process adapter answers
   * TIMEOUT by then); a step waiting on a started call waits longer, so the adapter's limit fires first.
   */
  readonly callTimeoutMs?: number;
  /** The last few KiB of the implementation's diagnostic output (a process's stderr), for the reports. */
  stderrTail?(): string | undefined;
  /** Release the implementation (stop its process). Never rejects. */
  close(): Promise<void>;
  /**
   * Releases the implementation at the end of a run, like close, and returns a fault that came after
   * the last scenario's last call (a repeated answer, garbage), which no later scenario can carry.
   */
  finish?(): Promise<ImplementationFault | undefined>;
}

/** How the command line opens an adapter by name. */
export interface AdapterFactory {
  readonly name: string;
  readonly description: string;
  open(options: AdapterOptions): Promise<Implementation | { readonly error: string }>;
}

export interface AdapterOptions {
  /** For `process`: the command and its arguments, as given after `--`. */
  readonly command?: readonly string[];
  /** Timeout of one call or handshake, in milliseconds. */
  readonly timeoutMs?: number;
  /** Time limit of one scenario (from its reset to its last call), in milliseconds. */
  readonly scenarioTimeoutMs?: number;
  /** Time budget of the whole run, in milliseconds; scenarios after it are TIMEOUT, not run. */
  readonly budgetMs?: number;
  /** Target version asked for on the command line, overriding the declared one. */
  readonly target?: TargetVersion;
}
