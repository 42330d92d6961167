/**
 * The judge: the reference engine the shadow run replays every call on (harness/mirror.ts), whose
 * answers and whole-state observations the implementation's are compared with. It is this
 * package's own adapters/reference, unless ESE_CONFORMANCE_JUDGE names another copy of the
 * package's sources (DIR/adapters/reference). Under Stryker the engine under test is the mutated
 * oracle/, and a judge built from the same mutated files agrees with it on every whole-state check;
 * the Stryker profile points the judge at an unmutated copy (mutants/stryker/install-profile.cjs).
 */
import * as path from 'node:path';
import * as reference from '../adapters/reference';

export type Judge = Pick<typeof reference, 'createReferenceImplementation' | 'synchronousCall' | 'synchronousBatch' | 'nativeEntry'>;

let loaded: Judge | undefined;

export function judge(): Judge {
  if (loaded !== undefined) return loaded;
  const dir = process.env.ESE_CONFORMANCE_JUDGE;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a copy named at run time; typed by the cast
  loaded = dir === undefined || dir === '' ? reference : (require(path.resolve(dir, 'adapters', 'reference')) as Judge);
  return loaded;
}
