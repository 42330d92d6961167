/**
 * A catalogue mutant behind the process protocol on stdio, for the fuzz command's own test:
 * `node -r ts-node/register/transpile-only serve-mutant.ts NAME` (the reference without a name).
 */
import { createReferenceImplementation } from '../../../adapters/reference';
import { serve } from '../../../adapters/process/serve';
import { findMutant } from '../../../mutants/catalogue';

const name = process.argv[2];
const impl = name === undefined ? createReferenceImplementation() : findMutant(name)?.create();
if (impl === undefined) {
  process.stderr.write(`no mutant is named ${name}\n`);
  process.exit(2);
}
void serve(impl, process.stdin, process.stdout).then(() => process.stdin.destroy());
