/**
 * What an implementation may declare beyond the API (capability names), the target versions a
 * scenario's `@since:X` tag is compared with, and the test-control vocabulary of two capabilities:
 * the instance states `instance-state` forces and the clean-up steps `fault-injection` makes fail.
 * The bottom layer: imports nothing.
 */

export type Capability = 'threads' | 'in-flight' | 'instance-state' | 'fault-injection';
export const capabilities: readonly Capability[] = ['threads', 'in-flight', 'instance-state', 'fault-injection'];

/** Target versions in release order; a scenario tagged `@since:X` needs a target at or after X. */
export const targetVersions = [
  'windows-2000',
  'windows-xp',
  'windows-server-2003',
  'windows-vista',
  'windows-7',
  'windows-8',
  'windows-10',
  'current',
] as const;
export type TargetVersion = (typeof targetVersions)[number];

/** States forced with the `instance-state` capability. */
export type ForcedInstanceState =
  | { readonly state: 'not-initialized' }
  | { readonly state: 'restore-in-progress' }
  /** cause: the JET_ERR that brought the instance down; JET_errLogDiskFull (-529) gives -1092. */
  | { readonly state: 'fatal-error'; readonly cause: number }
  /** Lifts a forced not-initialized or restore-in-progress state, so that "unchanged" can be checked. */
  | { readonly state: 'normal' };

/** Steps of JetEndSession's clean-up that `fault-injection` can make fail. */
export type CleanupStep = 'undo' | 'close-database' | 'close-sort';

export interface FaultSpec {
  readonly step: CleanupStep;
  /** The JET_ERR the step fails with, e.g. JET_errOutOfMemory. */
  readonly err: number;
  /** How many times the step fails before it works again. */
  readonly times: number;
}
