/**
 * Reads the package's feature files without running them: every scenario (outline rows expanded)
 * with its tags and steps. Used by `ese-conformance list` and by the checks in `npm test`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateMessages } from '@cucumber/gherkin';
import { scenarioId } from './verdict';

export interface IndexedScenario {
  readonly id: string;
  readonly uri: string;
  readonly name: string;
  readonly tags: readonly string[];
  readonly steps: readonly string[];
  /** Data tables of the steps, as rows of cells, in step order (undefined for a step without one). */
  readonly tables: readonly (readonly (readonly string[])[] | undefined)[];
}

export function featureFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...featureFiles(p));
    else if (entry.name.endsWith('.feature')) out.push(p);
  }
  return out.sort();
}

/** Parses the feature files below `root/features`; uris are relative to `root`, as cucumber gives them. */
export function indexFeatures(root: string, dir = path.join(root, 'features')): { scenarios: IndexedScenario[]; errors: string[] } {
  const scenarios: IndexedScenario[] = [];
  const errors: string[] = [];
  let id = 0;
  for (const file of featureFiles(dir)) {
    const uri = path.relative(root, file).replace(/\\/g, '/');
    const envelopes = generateMessages(fs.readFileSync(file, 'utf8'), uri, 'text/x.cucumber.gherkin+plain' as never, {
      includeSource: false,
      includeGherkinDocument: false,
      includePickles: true,
      newId: () => String(++id),
    });
    for (const e of envelopes) {
      if (e.parseError) errors.push(`${uri}: ${e.parseError.message}`);
      if (!e.pickle) continue;
      scenarios.push({
        id: scenarioId(uri, e.pickle.name),
        uri,
        name: e.pickle.name,
        tags: e.pickle.tags.map((t) => t.name),
        steps: e.pickle.steps.map((s) => s.text),
        tables: e.pickle.steps.map((s) => s.argument?.dataTable?.rows.map((r) => r.cells.map((c) => c.value))),
      });
    }
  }
  return { scenarios, errors };
}
