/**
 * A mutant of the reference behind the process protocol on stdio, for the fuzz command's own
 * test: `node -r ts-node/register/transpile-only serve-variation.ts FLAG` switches on one variation
 * point of oracle/variations.ts.
 */
import { createReferenceImplementation } from '../../../adapters/reference';
import { serve } from '../../../adapters/process/serve';
import type { EngineVariations } from '../../../oracle/variations';

const flag = process.argv[2] as keyof EngineVariations | undefined;
const impl = createReferenceImplementation(flag === undefined ? {} : { variations: { [flag]: true } });
void serve(impl, process.stdin, process.stdout).then(() => process.stdin.destroy());
