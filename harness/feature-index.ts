/**
 * Reads the package's feature files without running them: every scenario (outline rows expanded)
 * with its tags and steps. Used by `ese-conformance list` and by the checks in `npm test`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as Gherkin from '@cucumber/gherkin';
import { scenarioId } from './verdict';

export interface IndexedScenario {
  readonly id: string;
  readonly uri: string;
  readonly name: string;
  readonly tags: readonly string[];
  readonly steps: readonly string[];
  /** Data tables of the steps, as rows of cells, in step order (undefined for a step without one). */
  readonly tables: readonly (readonly (readonly string[])[] | undefined)[];
  /** Each step's kind as Gherkin gives it (And/But take the previous keyword's): Context, Action, Outcome. */
  readonly stepTypes?: readonly string[];
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
  return indexFeatureFiles(root, featureFiles(dir));
}

/** The feature files and folders given (as cucumber's paths), expanded to files. */
export function featurePaths(paths: readonly string[]): string[] {
  return paths.flatMap((p) => (fs.statSync(p).isDirectory() ? featureFiles(p) : [p]));
}

/** Parses the given feature files; uris are relative to `root`. */
export function indexFeatureFiles(root: string, files: readonly string[]): { scenarios: IndexedScenario[]; errors: string[] } {
  const scenarios: IndexedScenario[] = [];
  const errors: string[] = [];
  for (const file of files) {
    const found = indexFeatureSource(fs.readFileSync(file, 'utf8'), path.relative(root, file).replace(/\\/g, '/'));
    scenarios.push(...found.scenarios);
    errors.push(...found.errors);
  }
  return { scenarios, errors };
}

/** Parses one feature file's text (for tools and tests); `uri` names it in ids and errors. */
export function indexFeatureSource(source: string, uri: string): { scenarios: IndexedScenario[]; errors: string[] } {
  const scenarios: IndexedScenario[] = [];
  const errors: string[] = [];
  let id = 0;
  {
    // Loaded on first use: `list` reads the build's index without the parser (cli/feature-list.ts).
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose (start-up time); typed by the cast
    const { generateMessages } = require('@cucumber/gherkin') as typeof Gherkin;
    const envelopes = generateMessages(source, uri, 'text/x.cucumber.gherkin+plain' as never, {
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
        stepTypes: e.pickle.steps.map((s) => String(s.type ?? 'Unknown')),
      });
    }
  }
  return { scenarios, errors };
}
