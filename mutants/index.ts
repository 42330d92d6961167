/**
 * The mutant catalogue as adapters: `ese-conformance run --adapter mutant:NAME`. Loaded only when a
 * `mutant:` adapter or the `mutants` command is asked for; nothing here runs in a normal run.
 * @packageDocumentation
 */
import type { AdapterFactory } from '../adapters/types';
import { findMutant } from './catalogue';

export { mutants, findMutant, mutantNames } from './catalogue';
export type { MutantSpec, MutantKind } from './types';

/** The adapter factory of `mutant:NAME`, or undefined when no mutant has that name. */
export function mutantAdapterFactory(name: string): AdapterFactory | undefined {
  const spec = findMutant(name);
  if (spec === undefined) return undefined;
  return {
    name: `mutant:${spec.name}`,
    description: `mutant of the reference engine: ${spec.description}`,
    // eslint-disable-next-line @typescript-eslint/require-await -- async so that a throw while building the mutant rejects, as open() promises
    async open(options) {
      return spec.create(options.target === undefined ? {} : { target: options.target });
    },
  };
}
