/**
 * Proves an emitted feature does what it claims: run through the suite's own runner, it passes
 * against a fresh reference engine and does not pass against the implementation.
 */
import type { Implementation } from '../adapters/types';
import { createReferenceImplementation } from '../adapters/reference';
import type { ScenarioResult, Status } from '../harness/results';
import { runSuite } from '../harness/runner';

export interface Verification {
  /** The scenario's status against the reference, and against the implementation. */
  readonly reference: Status | 'MISSING';
  readonly implementation: Status | 'MISSING';
  /** PASS against the reference, and FAIL, CRASH, TIMEOUT or PROTOCOL_ERROR against the implementation. */
  readonly ok: boolean;
  /** Why the implementation's run did not pass (the verdict's reason), or what went wrong. */
  readonly detail: string;
}

function only(results: readonly ScenarioResult[]): ScenarioResult | undefined {
  return results.length === 1 ? results[0] : undefined;
}

export async function verifyFeature(file: string, sut: Implementation, adapterName: string): Promise<Verification> {
  const reference = createReferenceImplementation();
  const onReference = only((await runSuite({ impl: reference, adapterName: 'reference', tiers: ['esent'], paths: [file] })).matrix.scenarios);
  await reference.close();
  const onSut = only((await runSuite({ impl: sut, adapterName, tiers: ['esent'], paths: [file] })).matrix.scenarios);
  const ref = onReference?.status ?? 'MISSING';
  const imp = onSut?.status ?? 'MISSING';
  const ok = ref === 'PASS' && imp !== 'PASS' && imp !== 'NOT_APPLICABLE' && imp !== 'MISSING';
  const detail =
    ref !== 'PASS'
      ? `against the reference: ${ref}${onReference?.reason ? ` (${onReference.reason})` : ''}`
      : `against ${adapterName}: ${imp}${onSut?.reason ? ` (${onSut.reason}${onSut.expected ? `: expected ${onSut.expected}, actual ${onSut.actual}` : ''})` : ''}`;
  return { reference: ref, implementation: imp, ok, detail };
}
