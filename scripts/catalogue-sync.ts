/**
 * Refreshes catalogue/outcomes.json (the project's own copy of the catalogue, shipped in the package)
 * from ../shared/spec/outcomes.md. `npm test` fails while the two differ.
 * Usage: node -r ts-node/register/transpile-only scripts/catalogue-sync.ts [path/to/outcomes.md]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseOutcomesMarkdown } from '../harness/catalogue-md';
import { catalogueFile, type CatalogueFile } from '../harness/catalogue';

const source = process.argv[2] ?? path.join(__dirname, '..', '..', 'shared', 'spec', 'outcomes.md');
if (!fs.existsSync(source)) {
  process.stderr.write(`catalogue-sync: ${source} not found; pass the path of outcomes.md\n`);
  process.exit(2);
}
const previous: CatalogueFile | undefined = fs.existsSync(catalogueFile)
  ? (JSON.parse(fs.readFileSync(catalogueFile, 'utf8')) as CatalogueFile)
  : undefined;
const entries = parseOutcomesMarkdown(fs.readFileSync(source, 'utf8'));
const changed = JSON.stringify(previous?.entries) !== JSON.stringify(entries);
const [major, minor] = (previous?.version ?? '1.0').split('.').map(Number);
const file: CatalogueFile = {
  version: previous === undefined ? '1.0' : changed ? `${major}.${minor + 1}` : previous.version,
  source: 'shared/spec/outcomes.md',
  entries,
};
fs.writeFileSync(catalogueFile, JSON.stringify(file, null, 2) + '\n');
process.stdout.write(`catalogue ${file.version}: ${entries.length} IDs${changed ? ' (updated)' : ' (unchanged)'}\n`);
