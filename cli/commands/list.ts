/** `ese-conformance list`: the catalogue IDs and the scenarios that prove them. */
import { loadCatalogue } from '../../harness/catalogue';
import { indexFeatures } from '../../harness/feature-index';
import { packageRoot } from '../../harness/package-root';
import type { CliIo, Command } from '../command';
import { parseOptions } from '../args';

const usage = `Usage: ese-conformance list [--json]

Lists every catalogue ID (its group, tiers, the † mark where ESENT deviates from the documentation,
and the capabilities it needs) with the scenarios tagged with it and their tags.

Options:
  --json       one JSON document instead of text
  -h, --help   this text`;

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const json = parseOptions('list', argv, { json: { type: 'boolean', default: false } }).json === true;
  const catalogue = loadCatalogue();
  const { scenarios, errors } = indexFeatures(packageRoot);
  if (errors.length > 0) {
    for (const e of errors) io.err(e);
    return 2;
  }
  const entries = catalogue.entries.map((entry) => ({
    ...entry,
    scenarios: scenarios.filter((s) => s.tags.includes(`@${entry.id}`)).map((s) => ({ id: s.id, tags: s.tags })),
  }));
  if (json) {
    io.out(JSON.stringify({ catalogueVersion: catalogue.version, ids: entries }, null, 2));
    return 0;
  }
  let group = '';
  for (const e of entries) {
    if (e.group !== group) {
      group = e.group;
      io.out(`\n${group}`);
    }
    const needs = e.capabilities.length > 0 ? `  needs: ${e.capabilities.join(', ')}` : '';
    io.out(`  ${e.id}${e.deviates ? ' †' : ''}  [${e.tiers.join(', ')}]${needs}`);
    for (const s of e.scenarios) {
      const tags = s.tags.filter((t) => t !== `@${e.id}`).join(' ');
      io.out(`      ${s.id}  ${tags}`);
    }
  }
  io.out(`\n${catalogue.entries.length} IDs, ${scenarios.length} scenarios (catalogue ${catalogue.version}); † = ESENT deviates from the documentation`);
  return 0;
}

export const command: Command = { name: 'list', summary: 'list the catalogue IDs, their scenarios, tags and capabilities', usage, run };
