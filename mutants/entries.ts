// The small constructors every catalogue file uses for its entries (one copy, not one per red team).
import type { Implementation } from '../adapters/types';
import type { TargetVersion } from '../api';
import { createReferenceImplementation } from '../adapters/reference';
import type { MutantSpec } from './types';
import { WrappedImplementation } from './wrap';

export type MutantOptions = { readonly target?: TargetVersion } | undefined;

/** The reference engine for the mutant's tier (target version). */
export function reference(options: MutantOptions): Implementation {
  return createReferenceImplementation(options?.target === undefined ? {} : { target: options.target });
}

/** The same IDs must kill the mutant in both tiers. */
export const both = (ids: readonly string[]): MutantSpec['killedBy'] => ({ documented: ids, esent: ids });

/** A mutant that is its own engine (a changed copy of the reference's pieces), wrapped so it answers as one. */
export function made(name: string, description: string, killedBy: MutantSpec['killedBy'], create: (options: MutantOptions) => Implementation, survives?: string): MutantSpec {
  return { name, description, kind: 'engine', killedBy, ...(survives === undefined ? {} : { survives }), create: (options) => new WrappedImplementation(create(options), name) };
}

/** A mutant that wraps the reference and changes some of its answers. */
export function wrapped(name: string, description: string, killedBy: MutantSpec['killedBy'], make: (inner: Implementation, name: string) => Implementation, survives?: string): MutantSpec {
  return { name, description, kind: 'wrapper', killedBy, ...(survives === undefined ? {} : { survives }), create: (options) => make(reference(options), name) };
}
