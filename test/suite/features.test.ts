/**
 * Traceability checks of the suite itself: the catalogue copy, the tags of every scenario, its
 * expectations per tier, the step definitions, and the generated glossary.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfiguration, loadSupport, runCucumber } from '@cucumber/cucumber/api';
import { Writable } from 'node:stream';
import { capabilities, targetVersions } from '../../adapters/types';
import { loadCatalogue } from '../../harness/catalogue';
import { parseOutcomesMarkdown } from '../../harness/catalogue-md';
import { indexFeatures } from '../../harness/feature-index';
import { parseAllowed } from '../../harness/by-tier';
import { tiers } from '../../harness/results';
import { renderGlossary } from '../../scripts/steps-glossary';
import { docClauses } from '../../harness/doc-clauses';

const root = path.join(__dirname, '..', '..');
const specFile = path.join(root, '..', 'shared', 'spec', 'outcomes.md');
const catalogue = loadCatalogue();
const { scenarios, errors } = indexFeatures(root);
const ids = new Set(catalogue.entries.map((e) => e.id));
const knownDocTags = new Set(Object.keys(docClauses));

test('the feature files parse', () => {
  assert.deepEqual(errors, []);
  assert.ok(scenarios.length > 26);
});

test('the catalogue copy equals ../shared/spec/outcomes.md when that file is present', { skip: !fs.existsSync(specFile) && 'outcomes.md is not beside the project' }, () => {
  const spec = parseOutcomesMarkdown(fs.readFileSync(specFile, 'utf8'));
  assert.deepEqual(catalogue.entries, spec, 'catalogue/outcomes.json is stale: run scripts/catalogue-sync.ts');
  assert.equal(spec.length, 26);
});

test('every catalogue ID has a scenario in each of its tiers', () => {
  for (const entry of catalogue.entries) {
    for (const tier of entry.tiers) {
      const mine = scenarios.filter((s) => s.tags.includes(`@${entry.id}`) && s.tags.includes(`@${tier}`));
      assert.ok(mine.length > 0, `${entry.id} has no scenario in the ${tier} tier`);
    }
  }
});

test('every scenario carries exactly one known catalogue ID and tiers within that ID', () => {
  for (const s of scenarios) {
    const tagged = s.tags.filter((t) => /^@ES-/.test(t)).map((t) => t.slice(1));
    assert.equal(tagged.length, 1, `${s.id} must carry exactly one catalogue ID tag, has ${tagged.join(', ') || 'none'}`);
    assert.ok(ids.has(tagged[0]), `${s.id}: ${tagged[0]} is not in the catalogue`);
    const entry = catalogue.entries.find((e) => e.id === tagged[0])!;
    const mine = tiers.filter((t) => s.tags.includes(`@${t}`));
    assert.ok(mine.length > 0, `${s.id} belongs to no tier (@documented / @esent)`);
    for (const t of mine) assert.ok(entry.tiers.includes(t), `${s.id}: ${entry.id} is not part of the ${t} tier`);
    if (s.uri.includes('/regressions/')) assert.ok(s.tags.includes('@regression'), `${s.id}: regression scenarios carry @regression`);
  }
});

test('capability, version and doc tags are known, and an ID\'s capabilities are declared', () => {
  for (const s of scenarios) {
    for (const t of s.tags) {
      if (t.startsWith('@needs:')) assert.ok((capabilities as readonly string[]).includes(t.slice(7)), `${s.id}: unknown ${t}`);
      if (t.startsWith('@since:')) assert.ok((targetVersions as readonly string[]).includes(t.slice(7)), `${s.id}: unknown ${t}`);
      if (t.startsWith('@doc:') || t.startsWith('@source:')) assert.ok(knownDocTags.has(t.slice(1)), `${s.id}: ${t} has no clause in harness/doc-clauses.ts`);
    }
    const id = s.tags.find((t) => /^@ES-/.test(t))!.slice(1);
    const entry = catalogue.entries.find((e) => e.id === id)!;
    for (const c of requiredCapabilities(entry.needs)) {
      assert.ok(s.tags.includes(`@needs:${c}`), `${s.id}: ${id} needs ${c}; tag the scenario @needs:${c}`);
    }
  }
});

/** Capabilities every scenario of an ID needs: those of its needs cell not limited to one case ("for ..."). */
function requiredCapabilities(needs: string): string[] {
  return needs
    .split(/[;,]/)
    .map((part) => part.trim())
    .filter((part) => !/\bfor\b/.test(part))
    .map((part) => part.split(/\s/)[0])
    .filter((word) => (capabilities as readonly string[]).includes(word));
}

test('scenario ids are unique', () => {
  const seen = new Set<string>();
  for (const s of scenarios) {
    assert.ok(!seen.has(s.id), `two scenarios share the id ${s.id}: give them distinct names`);
    seen.add(s.id);
  }
});

test('every by-tier table states an expectation for exactly the scenario\'s tiers, in valid codes', () => {
  for (const s of scenarios) {
    const mine = tiers.filter((t) => s.tags.includes(`@${t}`));
    s.steps.forEach((text, i) => {
      const table = s.tables[i];
      if (!/, by tier:$/.test(text) || table === undefined) return;
      const header = table[0];
      const tierColumn = header.indexOf('tier');
      assert.ok(tierColumn >= 0, `${s.id}: "${text}" needs a tier column`);
      const stated = new Set(table.slice(1).map((r) => r[tierColumn]));
      assert.deepEqual([...stated].sort(), [...mine].sort(), `${s.id}: "${text}" must state each of its tiers (${mine.join(', ')})`);
      const returns = header.indexOf('returns');
      if (returns >= 0) for (const row of table.slice(1)) parseAllowed(row[returns]);
    });
  }
});

test('docs/steps.md is current', () => {
  const expected = renderGlossary(root);
  const actual = fs.readFileSync(path.join(root, 'docs', 'steps.md'), 'utf8');
  assert.equal(actual, expected, 'docs/steps.md is stale: run scripts/steps-glossary.ts');
});

test('every step of every scenario has exactly one definition (dry run)', async () => {
  const sink = new Writable({ write: (_c, _e, done) => done() });
  const { runConfiguration } = await loadConfiguration(
    { file: false, provided: { paths: [path.join(root, 'features')], require: [path.join(root, 'steps', '**', '*.ts')], dryRun: true } },
    { cwd: root, stdout: sink, stderr: sink },
  );
  const support = await loadSupport({ sources: runConfiguration.sources, support: runConfiguration.support }, { cwd: root });
  const problems: string[] = [];
  const stepText = new Map<string, string>();
  await runCucumber({ ...runConfiguration, support }, { cwd: root, stdout: sink, stderr: sink }, (envelope) => {
    for (const step of envelope.pickle?.steps ?? []) stepText.set(step.id, step.text);
    for (const step of envelope.testCase?.testSteps ?? []) {
      if (step.pickleStepId === undefined) continue;
      const n = step.stepDefinitionIds?.length ?? 0;
      if (n !== 1) problems.push(`${n === 0 ? 'undefined' : 'ambiguous'}: ${stepText.get(step.pickleStepId)}`);
    }
  });
  assert.deepEqual(problems, []);
});
