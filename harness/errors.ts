/**
 * Why a scenario stopped. Each maps to one status of outcomes.md: a verdict the suite reached (FAIL),
 * a fault of the implementation (CRASH / TIMEOUT / PROTOCOL_ERROR) or of the suite (SUITE_ERROR),
 * carried as an Error only so that cucumber stops the scenario there.
 */
import type { ImplementationFault } from '../adapters/types';
import type { Status } from './results';

/** The implementation answered, and the answer is not allowed. */
export class ConformanceFailure extends Error {
  constructor(
    message: string,
    readonly expected?: string,
    readonly actual?: string,
  ) {
    super(expected === undefined ? message : `${message}\n  expected: ${expected}\n  actual:   ${actual ?? '(nothing)'}`);
    this.name = 'ConformanceFailure';
  }
}

/**
 * The suite itself cannot reach a verdict: a condition it cannot evaluate (an outcome no table
 * declares, an unknown code or grbit name), a step that names nothing the scenario has, a scenario
 * that checked nothing. A defect of the suite (SUITE_ERROR), never the implementation's FAIL.
 */
export class SuiteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SuiteError';
  }
}

/**
 * The implementation declares the capability but answered one use of it `unsupported`: a hold of a
 * call it cannot keep in flight faithfully (a real engine holds only calls that call back into it),
 * or a fault at a clean-up step its engine has no failure path at (ESE's database and sort closes).
 * The scenario is NOT_APPLICABLE with the reason, as if the capability were not declared: never a pass.
 */
export class RefusedUse extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RefusedUse';
  }
}

/** The implementation crashed, hung or broke the protocol. */
export class FaultError extends Error {
  constructor(
    readonly fault: ImplementationFault,
    readonly during: string,
  ) {
    super(`${faultStatus(fault)} during ${during}: ${fault.reason}`);
    this.name = 'FaultError';
  }
}

export function faultStatus(fault: ImplementationFault): Status {
  switch (fault.kind) {
    case 'crash':
      return 'CRASH';
    case 'timeout':
      return 'TIMEOUT';
    case 'protocol-error':
      return 'PROTOCOL_ERROR';
  }
}
