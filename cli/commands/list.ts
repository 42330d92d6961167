/** `ese-conformance list`: the catalogue IDs and the scenarios that prove them. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadCatalogue } from '../../harness/catalogue';
import { nameCodes, type NamedCode } from '../../harness/code-text';
import { packageRoot } from '../../harness/package-root';
import type { CliIo, Command } from '../command';
import { listedScenarios } from '../feature-list';
import { parseOptions } from '../args';

const usage = `Usage: ese-conformance list [--json]

Lists every catalogue ID (its group, tiers, the † mark where ESENT deviates from the documentation,
the capabilities it needs, and what each tier expects, codes by name and number) with the
scenarios tagged with it and their tags. docs/catalogue.md explains each ID in full.

Options:
  --json       one JSON document instead of text
  -h, --help   this text`;

// eslint-disable-next-line @typescript-eslint/require-await -- synchronous work; async so that a throw (a UsageError) rejects, as run() promises
async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const json = parseOptions('list', argv, { json: { type: 'boolean', default: false } }).json === true;
  const catalogue = loadCatalogue();
  const { scenarios, errors } = listedScenarios(packageRoot);
  if (errors.length > 0) {
    for (const e of errors) io.err(e);
    return 2;
  }
  const codes = loadCodeList();
  const expected = (cell: string | null) => (cell === null ? null : nameCodes(cell, codes));
  const entries = catalogue.entries.map((entry) => ({
    ...entry,
    expected: { documented: expected(entry.documented), esent: entry.esent === 'same' ? expected(entry.documented) : expected(entry.esent) },
    scenarios: scenarios.filter((s) => s.tags.includes(`@${entry.id}`)).map((s) => ({ id: s.id, tags: s.tags })),
  }));
  if (json) {
    io.out(JSON.stringify({ catalogueVersion: catalogue.version, ids: entries, codes }, null, 2));
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
    for (const tier of ['documented', 'esent'] as const) {
      const text = e.expected[tier];
      if (text !== null) io.out(`    ${tier}: ${text}`);
    }
    for (const s of e.scenarios) {
      const tags = s.tags.filter((t) => t !== `@${e.id}`).join(' ');
      io.out(`      ${s.id}  ${tags}`);
    }
  }
  io.out(`\n${catalogue.entries.length} IDs, ${scenarios.length} scenarios (catalogue ${catalogue.version}); † = ESENT deviates from the documentation`);
  return 0;
}

/** The catalogue's named numbers (catalogue/codes.json), from source and from dist/ alike. */
function loadCodeList(): NamedCode[] {
  const file = [path.join(packageRoot, 'catalogue', 'codes.json')].find((p) => fs.existsSync(p));
  if (file === undefined) return [];
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { codes: NamedCode[] }).codes;
}

export const command: Command = { name: 'list', summary: 'list the catalogue IDs, their scenarios, tags and capabilities', usage, run };
