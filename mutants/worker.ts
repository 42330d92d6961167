/**
 * A child process of the mutant pool: runs the suite in-process against one mutant (or the
 * reference) per request and answers with the verdicts, without traces. Kept alive between
 * requests so that cucumber's support code loads once.
 */
import { createReferenceImplementation } from '../adapters/reference';
import type { Implementation } from '../adapters/types';
import type { Tier } from '../harness/results';
import { runSuite } from '../harness/runner';
import { findMutant } from './catalogue';
import type { CompactScenario, MutantRun } from './kill-matrix';

export interface WorkerRequest {
  readonly name: string;
  readonly tiers: readonly Tier[];
}

/** The name the pool uses for the unmutated reference engine. */
export const referenceRunName = 'reference';

function open(name: string): Implementation | undefined {
  return name === referenceRunName ? createReferenceImplementation() : findMutant(name)?.create();
}

export async function runOne(request: WorkerRequest): Promise<MutantRun> {
  const started = Date.now();
  const impl = open(request.name);
  if (impl === undefined) return { name: request.name, outcome: 'error', error: `no mutant is named ${request.name}`, durationMs: 0, scenarios: [] };
  try {
    const { matrix } = await runSuite({ impl, adapterName: request.name === referenceRunName ? 'reference' : `mutant:${request.name}`, tiers: request.tiers });
    const scenarios: CompactScenario[] = matrix.scenarios.map((s) => ({
      id: s.id,
      catalogueId: s.catalogueId,
      tier: s.tier,
      status: s.status,
      ...(s.reason === undefined ? {} : { reason: s.reason }),
      ...(s.expected === undefined ? {} : { expected: s.expected }),
      ...(s.actual === undefined ? {} : { actual: s.actual }),
    }));
    return { name: request.name, outcome: 'completed', durationMs: Date.now() - started, scenarios };
  } catch (e) {
    return { name: request.name, outcome: 'error', error: e instanceof Error ? e.message : String(e), durationMs: Date.now() - started, scenarios: [] };
  } finally {
    await impl.close();
  }
}

if (require.main === module && process.send !== undefined) {
  // Requests come one at a time: the pool waits for each answer before it sends the next.
  process.on('message', (request: WorkerRequest) => {
    void runOne(request).then((run) => process.send?.(run));
  });
  process.on('disconnect', () => process.exit(0));
}
