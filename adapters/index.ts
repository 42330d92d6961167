/**
 * The adapters the command line knows, by name, and the public types for adapter authors.
 * Loaded lazily: `serve-reference` must not pay for the process adapter, nor `run` for a mutant.
 * @packageDocumentation
 */
import type { AdapterFactory } from './types';

export * from './types';

// Required on first use, not imported: `serve-reference` must not pay for the process adapter.
/* eslint-disable @typescript-eslint/no-require-imports */
const factories: Record<string, () => AdapterFactory> = {
  reference: () => (require('./reference') as typeof import('./reference')).referenceAdapterFactory,
  process: () => (require('./process') as typeof import('./process')).processAdapterFactory,
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** Adapter names for `--adapter`; `mutant:NAME` names are resolved by `resolveAdapter`. */
export function adapterNames(): string[] {
  return Object.keys(factories);
}

/**
 * Adapter families by prefix, registered by the layers above: `mutant:NAME` (a mutant of the
 * reference engine) by mutants/register.ts, which the CLI and cucumber.js load. adapters/ never
 * requires mutants/ (it imports adapters/: a loop).
 */
const families = new Map<string, (name: string) => AdapterFactory | undefined>();

/** Lets a tool add a family of its own (a prefix such as `mine:`). */
export function registerAdapterFamily(prefix: string, resolve: (name: string) => AdapterFactory | undefined): void {
  families.set(prefix, resolve);
}

export function resolveAdapter(name: string): AdapterFactory | undefined {
  const direct = factories[name];
  if (direct !== undefined) return direct();
  const colon = name.indexOf(':');
  if (colon > 0) return families.get(name.slice(0, colon + 1))?.(name.slice(colon + 1));
  return undefined;
}
