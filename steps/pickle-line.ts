import type * as messages from '@cucumber/messages';

/** The line of the scenario, or of its example row for an outline: what a reader jumps to. */
export function pickleLine(doc: messages.GherkinDocument, astNodeIds: readonly string[]): number {
  const [scenarioId, rowId] = astNodeIds;
  const children = doc.feature?.children ?? [];
  const scenarios = children.flatMap((c) => [c.scenario, ...(c.rule?.children ?? []).map((r) => r.scenario)]);
  for (const scenario of scenarios) {
    if (scenario?.id !== scenarioId) continue;
    for (const examples of scenario.examples) {
      const row = examples.tableBody.find((r) => r.id === rowId);
      if (row) return row.location.line;
    }
    return scenario.location.line;
  }
  return 0;
}
