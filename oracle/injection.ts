/**
 * Faults injected into JetEndSession's clean-up steps (capability `fault-injection`): a step fails
 * with a chosen error the next N times it is attempted, then works again.
 */
import type { CleanupStep, FaultSpec } from '../api';
import type { JET_ERR } from '../api/codes';

export class FaultTable {
  private readonly armed = new Map<CleanupStep, { err: JET_ERR; remaining: number }>();

  inject(spec: FaultSpec): void {
    if (spec.times > 0) this.armed.set(spec.step, { err: spec.err, remaining: spec.times });
    else this.armed.delete(spec.step);
  }

  /** One attempt of `step`: its injected error (consuming one failure), or 0. */
  take(step: CleanupStep): JET_ERR {
    const f = this.armed.get(step);
    if (f === undefined) return 0;
    if (--f.remaining <= 0) this.armed.delete(step);
    return f.err;
  }
}
