/**
 * Makes `mutant:NAME` an adapter name. adapters/ sits below mutants/ and must not require it, so
 * the entry points that accept mutant names (the CLI's run, cucumber.js's support code) import this
 * module; the catalogue itself loads only when a `mutant:` name is resolved.
 */
import { registerAdapterFamily } from '../adapters';
import type { AdapterFactory } from '../adapters/types';

registerAdapterFamily('mutant:', (name): AdapterFactory | undefined =>
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the catalogue loads only when a mutant: name is resolved (start-up cost)
  (require('./index') as typeof import('./index')).mutantAdapterFactory(name),
);
