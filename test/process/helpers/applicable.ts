/**
 * A run against an implementation that declares no capability: each scenario tagged `@needs:…` must
 * be NOT_APPLICABLE, naming the capability the implementation lacks (never PASS, never skipped); the
 * tests check their status on the rest. Scenarios needing a capability are added to features/ over
 * time, so a test that selects by outcome ID must not expect every scenario to reach the implementation.
 */
import assert from 'node:assert/strict';
import type { ScenarioResult } from '../../../harness/results';

export const needsCapability = (s: ScenarioResult): boolean => s.tags.some((t) => t.startsWith('@needs:'));

/** The scenarios that need no capability, after checking the others are NOT_APPLICABLE for that reason; at least `min` of them. */
export function applicable(scenarios: readonly ScenarioResult[], min: number): ScenarioResult[] {
  const rest: ScenarioResult[] = [];
  for (const s of scenarios) {
    if (!needsCapability(s)) {
      rest.push(s);
      continue;
    }
    assert.equal(s.status, 'NOT_APPLICABLE', `${s.id}: ${s.status} ${s.reason ?? ''}`);
    assert.match(s.reason ?? '', /needs the capability .*, which .* does not declare/, s.id);
  }
  assert.ok(rest.length >= min, `${rest.length} scenarios that need no capability (at least ${min})`);
  return rest;
}
