/**
 * Refreshes catalogue/outcomes.json (the project's own copy of the catalogue, shipped in the package)
 * and catalogue/codes.json (every code, parameter, grbit and constant with its number: the numbers
 * the suite judges with) from ../shared/spec/outcomes.md. `npm test` fails while they differ.
 * Usage: node -r ts-node/register/transpile-only scripts/catalogue-sync.ts [path/to/outcomes.md]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { codesBeyondSpec, parseCodesUsed, parseOutcomesMarkdown } from '../harness/catalogue-md';
import { codesFile, type CodesFile } from '../harness/codes';
import { catalogueFile, type CatalogueFile } from '../harness/catalogue';

const source = process.argv[2] ?? path.join(__dirname, '..', '..', 'shared', 'spec', 'outcomes.md');
if (!fs.existsSync(source)) {
  process.stderr.write(`catalogue-sync: ${source} not found; pass the path of outcomes.md\n`);
  process.exit(2);
}
const previous: CatalogueFile | undefined = fs.existsSync(catalogueFile)
  ? (JSON.parse(fs.readFileSync(catalogueFile, 'utf8')) as CatalogueFile)
  : undefined;
const markdown = fs.readFileSync(source, 'utf8');
const entries = parseOutcomesMarkdown(markdown);
const changed = JSON.stringify(previous?.entries) !== JSON.stringify(entries);
const [major, minor] = (previous?.version ?? '1.0').split('.').map(Number);
const file: CatalogueFile = {
  version: previous === undefined ? '1.0' : changed ? `${major}.${minor + 1}` : previous.version,
  source: 'shared/spec/outcomes.md',
  entries,
};
fs.writeFileSync(catalogueFile, JSON.stringify(file, null, 2) + '\n');
process.stdout.write(`catalogue ${file.version}: ${entries.length} IDs${changed ? ' (updated)' : ' (unchanged)'}\n`);

const previousCodes: CodesFile | undefined = fs.existsSync(codesFile) ? (JSON.parse(fs.readFileSync(codesFile, 'utf8')) as CodesFile) : undefined;
const codes = [...parseCodesUsed(markdown), ...codesBeyondSpec];
const codesChanged = JSON.stringify(previousCodes?.codes) !== JSON.stringify(codes);
const [codesMajor, codesMinor] = (previousCodes?.version ?? '1.0').split('.').map(Number);
const codesOut: CodesFile = {
  version: previousCodes === undefined ? '1.0' : codesChanged ? `${codesMajor}.${codesMinor + 1}` : previousCodes.version,
  source: 'shared/spec/outcomes.md "Codes used", and jethdr.w for the few codes the scenarios name beyond it',
  codes,
};
fs.writeFileSync(codesFile, JSON.stringify(codesOut, null, 2) + '\n');
process.stdout.write(`codes ${codesOut.version}: ${codes.length} names${codesChanged ? ' (updated)' : ' (unchanged)'}\n`);
