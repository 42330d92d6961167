/**
 * The specification ships: docs/catalogue.md is generated from catalogue/ and features/ and is
 * current; every ID has ESENT's behaviour with places in the ESE source; every code it names has
 * its number; nothing a user gets points at files outside the package.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { nameCodes, numberNames, renderCatalogue } from '../../scripts/catalogue-doc';

const root = path.resolve(__dirname, '..', '..');
const read = (f: string) => fs.readFileSync(path.join(root, f), 'utf8');

describe('docs/catalogue.md', () => {
  it('is current (npm run catalogue:doc regenerates it)', () => {
    const committed = read('docs/catalogue.md').split('\n');
    const fresh = renderCatalogue(root).split('\n');
    const at = fresh.findIndex((line, i) => line !== committed[i]);
    assert.ok(at < 0 && committed.length === fresh.length, `docs/catalogue.md is stale from line ${at + 1} (${JSON.stringify(fresh[at] ?? '').slice(0, 160)}): run npm run catalogue:doc`);
  });

  it('gives every ID its tiers, capability, ESENT behaviour and source places', () => {
    const catalogue = JSON.parse(read('catalogue/outcomes.json')) as { entries: { id: string }[] };
    const behaviour = JSON.parse(read('catalogue/esent-behaviour.json')) as { ids: Record<string, { esent: string; cite: string[] }>; checkOrder: { cite: string[] }[] };
    assert.deepEqual(Object.keys(behaviour.ids).sort(), catalogue.entries.map((e) => e.id).sort());
    for (const [id, b] of Object.entries(behaviour.ids)) {
      assert.ok(b.esent.length > 20, `${id}: ESENT behaviour in words`);
      assert.ok(b.cite.length > 0, `${id}: at least one source place`);
    }
    for (const cite of [...Object.values(behaviour.ids).flatMap((b) => b.cite), ...behaviour.checkOrder.flatMap((c) => c.cite)]) {
      assert.match(cite, /^dev\/ese\/(src|published)\/[\w/]+\.\w+:\d+(-\d+)?$/, 'file:line in the ESE repository');
    }
    const doc = read('docs/catalogue.md');
    for (const e of catalogue.entries) assert.match(doc, new RegExp(`^#### ${e.id}( †)?$`, 'm'));
    assert.match(doc, /## ESENT's check order in JetEndSession/);
  });

  it('names every code with its number', () => {
    const codes = (JSON.parse(read('catalogue/codes.json')) as { codes: { name: string; kind: string; value: number }[] }).codes;
    assert.equal(nameCodes('before: -1302; after: 0', codes), 'before: JET_errTableLocked (-1302); after: JET_errSuccess (0)');
    assert.equal(nameCodes('reading at level 0 sees', codes), 'reading at level 0 sees');
    assert.equal(numberNames('returns JET_errTableLocked', codes), 'returns JET_errTableLocked (-1302)');
    const lines = read('docs/catalogue.md').split('\n').filter((l) => l.startsWith('  - `') || l.startsWith('| documented') || l.startsWith('| esent'));
    assert.ok(lines.length > 100);
    const unnumbered = lines.filter((l) => /\bJET_(err|wrn)\w+\b(?! \()/.test(l) || /(?<![\w(.])-\d{3,4}(?![\d)])/.test(l));
    assert.deepEqual(unnumbered, [], 'each code appears with its name and number');
  });
});

describe('docs/protocol.md', () => {
  const protocol = read('docs/protocol.md');
  it('lists every code the suite compares against, with its number', () => {
    const codes = (JSON.parse(read('catalogue/codes.json')) as { codes: { name: string; kind: string; value: number }[] }).codes;
    const missing = codes.filter((c) => c.kind === 'err' && !protocol.includes(`| ${c.name} | ${c.value} |`)).map((c) => c.name);
    assert.deepEqual(missing, [], 'docs/protocol.md section 15');
    for (const c of codes.filter((x) => x.kind !== 'err')) assert.ok(protocol.includes(c.name), `${c.name} in docs/protocol.md`);
  });

  it('names only operations of its own operation table in the setup and checks section', () => {
    const ops = new Set([...protocol.matchAll(/^\| (Jet\w+) \|/gm)].map((m) => m[1]));
    const section = protocol.slice(protocol.indexOf('## 14.'), protocol.indexOf('## 15.'));
    const named = [...new Set([...section.matchAll(/`(Jet[A-Z]\w+)/g)].map((m) => m[1]))];
    assert.ok(named.length > 10);
    assert.deepEqual(named.filter((op) => !ops.has(op)), []);
  });
});

describe('the package stands alone', () => {
  it('points at no file outside it (no ../shared)', () => {
    const pkg = JSON.parse(read('package.json')) as { files: string[] };
    // dist/ is compiled from these, comments included.
    const compiled = ['oracle', 'adapters', 'harness', 'steps', 'cli', 'reporting', 'mutants', 'fuzz'];
    const roots = [...pkg.files.filter((f) => f !== 'dist/').map((f) => f.replace(/\/$/, '')), ...compiled];
    const offenders: string[] = [];
    const walk = (rel: string) => {
      const abs = path.join(root, rel);
      if (!fs.existsSync(abs)) return;
      if (fs.statSync(abs).isDirectory()) {
        for (const e of fs.readdirSync(abs)) walk(path.join(rel, e));
        return;
      }
      if (!/\.(md|json|feature|py|ts|js|cjs|txt|yml|yaml)$|expectations$/.test(rel)) return;
      const text = fs.readFileSync(abs, 'utf8');
      if (/\.\.\/shared|\/work\/shared|shared spec folder/.test(text)) offenders.push(rel);
    };
    for (const r of roots) walk(r);
    assert.deepEqual(offenders, []);
  });
});
