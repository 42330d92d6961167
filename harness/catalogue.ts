/** The project's machine-readable copy of the outcome catalogue (catalogue/outcomes.json). */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CatalogueEntry } from './catalogue-md';

export type { CatalogueEntry } from './catalogue-md';

export interface CatalogueFile {
  /** Bumped whenever the entries change. */
  readonly version: string;
  readonly source: string;
  readonly entries: readonly CatalogueEntry[];
}

/** Found from source (harness/) and from the compiled package (dist/harness/) alike. */
export const catalogueFile = [path.join(__dirname, '..', 'catalogue', 'outcomes.json'), path.join(__dirname, '..', '..', 'catalogue', 'outcomes.json')].find(
  (p) => fs.existsSync(p),
) ?? path.join(__dirname, '..', 'catalogue', 'outcomes.json');

let cached: CatalogueFile | undefined;

export function loadCatalogue(): CatalogueFile {
  cached ??= JSON.parse(fs.readFileSync(catalogueFile, 'utf8')) as CatalogueFile;
  return cached;
}

export function catalogueEntry(id: string): CatalogueEntry | undefined {
  return loadCatalogue().entries.find((e) => e.id === id);
}
