/**
 * Calls known to kill a real engine's process through a defect of the engine itself, which a
 * campaign may choose not to send (`fuzz --avoid NAME`). Each rule names the call, the source
 * path that proves the defect, and a predicate over the World. An avoided call is made on
 * neither side; the Pair counts it, and the campaign prints every rule it used with its count,
 * so a clean result never hides what was not tried.
 */
import { JET_bits as B } from '../api/codes';
import type { SymCall } from './roles';
import { isRoleRef } from './roles';
import type { World } from './world';

export interface AvoidRule {
  /** Stable name, given to `--avoid`. */
  readonly name: string;
  /** The call it keeps out, in words. */
  readonly call: string;
  /** Why: the engine's defect, with file:line in Microsoft's ESE source. */
  readonly reason: string;
  matches(w: World, call: SymCall): boolean;
}

/** A role-named instance that was created and is neither initialized nor freed. */
function uninitializedInstance(w: World, ref: unknown): boolean {
  if (!isRoleRef(ref)) return false;
  const inst = w.instanceOf(ref.role);
  return inst !== undefined && !inst.freed && !inst.initialized;
}

export const avoidRules: readonly AvoidRule[] = [
  {
    name: 'ese-stop-uninitialized',
    call: 'JetStopServiceInstance on an instance created and never initialized',
    reason:
      'ESE: JetStopServiceInstanceExOld (jetapi.cxx 22278-22312) calls pinst->m_pver->VERSignalCleanup() with no version store before JetInit: a NULL dereference in ESE itself (the process dies; seeds 308, 314, 319-324)',
    matches: (w, call) => call.op === 'JetStopServiceInstance' && uninitializedInstance(w, (call.args as { instance?: unknown }).instance),
  },
  {
    name: 'ese-stop2-uninitialized',
    call: 'JetStopServiceInstance2 with JET_bitStopServiceAll or JET_bitStopServiceQuiesceCaches on an instance created and never initialized',
    reason:
      'ESE: JetStopServiceInstanceEx (jetapi.cxx 22316-22545) quiesces caches for these bits and calls pinst->m_pver->VERSignalCleanup() (22529) with no version store before JetInit: the same NULL dereference (the process dies; seed 501)',
    matches: (w, call) => {
      if (call.op !== 'JetStopServiceInstance2') return false;
      const { instance, grbit } = call.args as { instance?: unknown; grbit?: number };
      // Resume, StopAndEmitLog and unknown bits return before (22342-22451); BackgroundUserTasks alone does not quiesce.
      const quiesces = grbit === B.JET_bitStopServiceAll || grbit === B.JET_bitStopServiceQuiesceCaches || grbit === (B.JET_bitStopServiceQuiesceCaches | B.JET_bitStopServiceBackgroundUserTasks);
      return quiesces && uninitializedInstance(w, instance);
    },
  },
];

/** The rules with these names; an unknown name is returned in `unknown`. */
export function avoidRulesNamed(names: readonly string[]): { rules: AvoidRule[]; unknown: string[] } {
  const rules: AvoidRule[] = [];
  const unknown: string[] = [];
  for (const n of names) {
    const r = avoidRules.find((x) => x.name === n);
    if (r === undefined) unknown.push(n);
    else if (!rules.includes(r)) rules.push(r);
  }
  return { rules, unknown };
}
