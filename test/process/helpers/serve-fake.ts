/** The fake engine behind the protocol on stdio: `node -r ts-node/register/transpile-only serve-fake.ts`. */
import { serve } from '../../../adapters/process/serve';
import { createFakeEngine } from './fake-engine';

void serve(createFakeEngine(), process.stdin, process.stdout).then(() => process.stdin.destroy());
