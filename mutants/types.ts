/**
 * What a mutant is: a plausible bug of an ESE implementation, made from the reference engine, with
 * the claim the suite must prove about it (issue 6).
 */
import type { Implementation } from '../adapters/types';
import type { TargetVersion } from '../api';
import type { Tier } from '../harness/results';

/**
 * How a mutant is made: `engine`, the reference engine with JetEndSession built from another plan
 * (mutants/engine-plans.ts); `wrapper`, the reference wrapped (mutants/wrappers.ts); `stub`.
 */
export type MutantKind = 'engine' | 'wrapper' | 'stub';

export interface MutantSpec {
  /** kebab-case; `ese-conformance run --adapter mutant:NAME`. */
  readonly name: string;
  /** One line: what is wrong. */
  readonly description: string;
  readonly kind: MutantKind;
  /** For kind 'engine': the JetEndSession plan (a key of mutants/engine-plans.ts `plans` or mutants/more-plans.ts `morePlans`). */
  readonly plan?: string;
  /**
   * The tiers it deviates in, each with the catalogue IDs that must kill it there. It must survive
   * every other tier: where the documentation is permissive, or where the tier has no such ID.
   */
  readonly killedBy: Partial<Readonly<Record<Tier, readonly string[]>>>;
  /** Why it survives the tiers missing from killedBy; required when any is missing. */
  readonly survives?: string;
  readonly create: (options?: { readonly target?: TargetVersion }) => Implementation;
}

/** The expectation for one tier: killed (with the IDs that must do it) or survives. */
export function expectationIn(spec: MutantSpec, tier: Tier): { readonly killed: true; readonly ids: readonly string[] } | { readonly killed: false } {
  const ids = spec.killedBy[tier];
  return ids === undefined ? { killed: false } : { killed: true, ids };
}
