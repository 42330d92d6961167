/**
 * docs/catalogue.md: the specification the suite checks, readable without anything outside the
 * package. Generated from catalogue/outcomes.json (the IDs and what each tier expects),
 * catalogue/codes.json (names and numbers), catalogue/esent-behaviour.json (ESENT's behaviour and
 * check order, with places in the ESE source) and the feature files (the scenarios and the checks
 * each makes). `npm test` fails when the file is stale; refresh it with
 * `node -r ts-node/register/transpile-only scripts/catalogue-doc.ts`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateMessages } from '@cucumber/gherkin';
import { nameCodes, numberNames } from '../harness/code-text';

export { nameCodes, numberNames };

interface Entry {
  id: string;
  group: string;
  deviates: boolean;
  documented: string | null;
  esent: string | null;
  needs: string;
  tiers: string[];
  capabilities: string[];
}
interface Code {
  name: string;
  kind: string;
  value: number;
}
interface Behaviour {
  repository: string;
  commit: string;
  checkOrder: { step: string; code: number | null; also?: number[]; cite: string[] }[];
  ids: Record<string, { esent: string; cite: string[] }>;
}
interface Scenario {
  name: string;
  uri: string;
  line: number;
  tags: string[];
  checks: string[];
}

const readJson = <T>(root: string, file: string): T => JSON.parse(fs.readFileSync(path.join(root, file), 'utf8')) as T;

/** Scenarios with their Then steps (the checks), outline rows folded into one entry per name. */
function scenarios(root: string): Scenario[] {
  const out = new Map<string, Scenario>();
  const dir = path.join(root, 'features');
  const files = (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.feature')).sort();
  let id = 0;
  for (const file of files) {
    const uri = `features/${file.replace(/\\/g, '/')}`;
    const source = fs.readFileSync(path.join(dir, file), 'utf8');
    const envelopes = generateMessages(source, uri, 'text/x.cucumber.gherkin+plain' as never, {
      includeSource: false,
      includeGherkinDocument: true,
      includePickles: true,
      newId: () => String(++id),
    });
    const lines = new Map<string, number>();
    for (const e of envelopes) {
      for (const child of e.gherkinDocument?.feature?.children ?? []) {
        const items = child.rule ? child.rule.children : [child];
        for (const c of items) if (c.scenario) lines.set(c.scenario.id, c.scenario.location.line);
      }
    }
    for (const e of envelopes) {
      const p = e.pickle;
      if (!p) continue;
      const key = `${uri}::${p.name}`;
      const checks = p.steps.filter((s) => String(s.type) === 'Outcome').map((s) => s.text + tableText(s.argument?.dataTable?.rows.map((r) => r.cells.map((c) => c.value))));
      const known = out.get(key);
      if (known) {
        for (const c of checks) if (!known.checks.includes(c)) known.checks.push(c);
        continue;
      }
      out.set(key, { name: p.name, uri, line: lines.get(p.astNodeIds[0]) ?? 0, tags: p.tags.map((t) => t.name), checks });
    }
  }
  return [...out.values()];
}

/** A step's table in one line: " documented: any error; esent: JET_errTableLocked". */
function tableText(rows: string[][] | undefined): string {
  if (rows === undefined || rows.length < 2) return '';
  const [head, ...body] = rows;
  return ' ' + body.map((r) => `${r[0]}: ${r.slice(1).map((v, i) => (r.length > 2 && v !== '' ? `${head[i + 1]} ${v}` : v)).filter((v) => v !== '').join(', ')}`).join('; ');
}

function codeText(value: number | null, codes: readonly Code[]): string {
  if (value === null) return '—';
  const name = codes.find((c) => c.kind === 'err' && c.value === value)?.name;
  return name === undefined ? String(value) : `${name} (${value})`;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function citeLinks(cites: readonly string[], b: Behaviour): string {
  return cites
    .map((c) => {
      const m = /^(.*):(\d+)(?:-(\d+))?$/.exec(c);
      if (!m) return `\`${c}\``;
      const anchor = m[3] === undefined ? `#L${m[2]}` : `#L${m[2]}-L${m[3]}`;
      return `[\`${c}\`](${b.repository}/blob/${b.commit}/${m[1]}${anchor})`;
    })
    .join(', ');
}

export function renderCatalogue(root: string): string {
  const catalogue = readJson<{ version: string; entries: Entry[] }>(root, 'catalogue/outcomes.json');
  const codes = readJson<{ codes: Code[] }>(root, 'catalogue/codes.json').codes;
  const b = readJson<Behaviour>(root, 'catalogue/esent-behaviour.json');
  const all = scenarios(root);
  const L: string[] = [
    '# The JetEndSession catalogue',
    '',
    'Generated from `catalogue/outcomes.json`, `catalogue/codes.json`, `catalogue/esent-behaviour.json` and',
    '`features/` by `scripts/catalogue-doc.ts`; `npm test` checks it is current. This page is the',
    'specification the suite checks: every catalogue ID, what each tier expects (codes by name and',
    'number), the capability it needs, what ESENT does and where the ESE source shows it, and the',
    'scenarios that prove it with the checks each makes.',
    '',
    `Catalogue version ${catalogue.version}: ${catalogue.entries.length} IDs, ${all.length} scenarios. ESE source: [microsoft/Extensible-Storage-Engine](${b.repository}) at commit \`${b.commit}\`; line numbers are approximate (within two lines).`,
    '',
    '- **documented** tier: what the JetEndSession documentation allows. Where it is silent or',
    '  permissive a set of outcomes is allowed, each with its own postcondition; the set always',
    "  contains ESENT's outcome.",
    '- **esent** tier: exactly what ESENT does.',
    '- **†**: ESENT deviates from the documentation here. **—**: not part of that tier.',
    '- **Gone**: later calls with the handle give JET_errInvalidSesid (-1104). **Unchanged**: the call',
    '  changed nothing: the session, its transaction levels, data, cursors and locks are as before.',
    '',
    "## ESENT's check order in JetEndSession",
    '',
    'The first check that applies decides the code; a failing check changes nothing unless the row says so.',
    '',
    '| # | check | code | ESE source |',
    '|---|---|---|---|',
  ];
  b.checkOrder.forEach((c, i) => {
    const code = [codeText(c.code, codes), ...(c.also ?? []).map((v) => codeText(v, codes))].join(', ');
    L.push(`| ${i + 1} | ${cell(c.step)} | ${code} | ${citeLinks(c.cite, b)} |`);
  });
  L.push('', '## The IDs', '');
  const groups = [...new Set(catalogue.entries.map((e) => e.group))];
  for (const group of groups) {
    L.push(`### ${group}`, '');
    for (const e of catalogue.entries.filter((x) => x.group === group)) {
      const behaviour = b.ids[e.id];
      L.push(`#### ${e.id}${e.deviates ? ' †' : ''}`, '');
      L.push('| | |', '|---|---|');
      L.push(`| tiers | ${e.tiers.join(', ')} |`);
      L.push(`| documented | ${e.documented === null ? '— (not part of this tier)' : cell(nameCodes(e.documented, codes))} |`);
      const esent = e.esent === 'same' ? 'same as documented' : e.esent;
      L.push(`| esent | ${esent === null ? '— (not part of this tier)' : cell(nameCodes(esent, codes))} |`);
      L.push(`| needs | ${e.needs === '' ? 'no capability' : cell(e.needs)} |`);
      if (behaviour) {
        L.push(`| ESENT | ${cell(nameCodes(behaviour.esent, codes))} |`);
        L.push(`| ESE source | ${citeLinks(behaviour.cite, b)} |`);
      }
      L.push('');
      const mine = all.filter((s) => s.tags.includes(`@${e.id}`));
      for (const s of mine) {
        const tiers = ['documented', 'esent'].filter((t) => s.tags.includes(`@${t}`));
        const needs = s.tags.filter((t) => t.startsWith('@needs:')).map((t) => t.slice('@needs:'.length));
        L.push(`- *${s.name}* (\`${s.uri}:${s.line}\`; ${tiers.join(', ')}${needs.length > 0 ? `; needs ${needs.join(', ')}` : ''}). Checks:`);
        for (const c of s.checks) L.push(`  - \`${numberNames(nameCodes(c, codes), codes).replace(/`/g, "'")}\``);
      }
      L.push('');
    }
  }
  L.push('## Codes', '', 'Every number the scenarios and the suite compare against (from ESE\'s `published/inc/jethdr.w`).', '');
  L.push('| name | number | kind |', '|---|---:|---|');
  for (const c of [...codes].sort((x, y) => x.kind.localeCompare(y.kind) || Math.abs(x.value) - Math.abs(y.value))) L.push(`| ${c.name} | ${c.value} | ${c.kind} |`);
  return L.join('\n') + '\n';
}

if (require.main === module) {
  const root = path.join(__dirname, '..');
  fs.writeFileSync(path.join(root, 'docs', 'catalogue.md'), renderCatalogue(root));
  process.stdout.write('docs/catalogue.md written\n');
}
