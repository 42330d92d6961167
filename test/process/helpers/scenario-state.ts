/**
 * Everything of a scenario the verdicts read (trace, names, shadow, divergences), for the tests that
 * check a chained path leaves the same scenario as the one-call-at-a-time path.
 */
import type { ScenarioContext } from '../../../harness/context';

export function scenarioState(ctx: ScenarioContext, returned: unknown) {
  return {
    returned,
    trace: ctx.traced.trace,
    names: [...ctx.names],
    tables: [...ctx.shadow.tables].map(([n, t]) => [n, t.db, t.columnids, [...t.committed]]),
    sessions: [...ctx.shadow.sessions].map(([n, s]) => [n, s.level, s.trxThread, [...s.dbids], [...s.cursors], [...s.changes], s.tempTables]),
    divergences: ctx.mirror.divergences,
    lastRef: ctx.mirror.lastRef,
  };
}
