/**
 * Counts quoted in the docs are checked against what a run gives today: docs/implementations/wine.md
 * shows the summary of a run through the bridge on Wine, where every call is a Wine stub (each
 * scenario that runs is a CRASH) and only `threads` is declared. The lines are rebuilt here from
 * the feature files with the same roll-up and summary code a run uses.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { ImplementationInfo } from '../../adapters/types';
import { notApplicableReason } from '../../harness/applicability';
import { loadCatalogue } from '../../harness/catalogue';
import { indexFeatures } from '../../harness/feature-index';
import { matrixSchemaVersion, summarise, tiers, type Matrix, type ScenarioResult } from '../../harness/results';
import { summaryLines } from '../../reporting/progress';

const root = path.resolve(__dirname, '..', '..');

/** The summary a run gives when every applicable scenario crashes at its first call. */
export function allCrashSummary(info: ImplementationInfo): string[] {
  const { scenarios } = indexFeatures(root);
  const results: ScenarioResult[] = [];
  for (const tier of tiers) {
    for (const s of scenarios.filter((x) => x.tags.includes(`@${tier}`))) {
      const reason = notApplicableReason(s.tags, info);
      results.push({
        id: s.id,
        catalogueId: s.tags.find((t) => t.startsWith('@ES-'))?.slice(1) ?? '(untagged)',
        tier,
        feature: s.uri,
        scenario: s.name,
        line: 0,
        tags: s.tags,
        doc: [],
        trace: [],
        ...(reason === undefined ? { status: 'CRASH' as const, reason: 'exception inside JetCreateInstance' } : { status: 'NOT_APPLICABLE' as const, reason }),
      });
    }
  }
  const catalogue = loadCatalogue();
  const { ids, scores } = summarise(results, catalogue.entries, tiers);
  const matrix: Matrix = {
    schemaVersion: matrixSchemaVersion,
    suite: { name: 'ese-conformance', version: '0' },
    catalogueVersion: catalogue.version,
    adapter: 'process',
    implementation: info,
    tiers,
    startedAt: new Date(0).toISOString(),
    durationMs: 8200,
    scores,
    ids,
    scenarios: results,
  };
  return summaryLines(matrix, []).slice(0, 3);
}

/**
 * docs/implementations/wine.md's table of what each catalogue ID gets when every applicable scenario
 * crashes: one row per ID, `N CRASH`, then `N NOT_APPLICABLE (capability)` by the first capability a
 * scenario needs and the implementation lacks, `—` for a tier without the ID.
 */
export function allCrashTable(info: ImplementationInfo): string[] {
  const { scenarios } = indexFeatures(root);
  return loadCatalogue().entries.map((e) => {
    const cells = tiers.map((tier) => {
      const counts = new Map<string, number>();
      for (const s of scenarios.filter((x) => x.tags.includes(`@${tier}`) && x.tags.includes(`@${e.id}`))) {
        const lacking = s.tags.filter((t) => t.startsWith('@needs:')).map((t) => t.slice('@needs:'.length)).find((c) => !(info.capabilities as readonly string[]).includes(c));
        const key = notApplicableReason(s.tags, info) === undefined ? 'CRASH' : `NOT_APPLICABLE (${lacking ?? 'target'})`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      const order = (k: string) => (k === 'CRASH' ? 0 : k.includes('instance-state') ? 1 : 2);
      return counts.size === 0 ? '—' : [...counts].sort((a, b) => order(a[0]) - order(b[0])).map(([k, n]) => `${n} ${k}`).join(', ');
    });
    return `| ${e.id} | ${cells.join(' | ')} |`;
  });
}

describe('counts in the docs', () => {
  it('docs/implementations/wine.md: the summary of a run on Wine is what a run gives today', () => {
    const doc = fs.readFileSync(path.join(root, 'docs', 'implementations', 'wine.md'), 'utf8');
    const expected = allCrashSummary({ name: 'Wine esent.dll', version: 'Wine 8.0 (ese-bridge 0.1.0)', target: 'current', pointerWidth: 64, capabilities: ['threads', 'in-flight'] });
    for (const line of expected) {
      const comparable = line.replace(/ in \d+\.\d s$/, ' in ');
      assert.ok(doc.split('\n').some((l) => l.replace(/ in \d+\.\d s$/, ' in ') === comparable), `docs/implementations/wine.md should quote:\n${line}`);
    }
  });

  it('docs/implementations/wine.md: the table of what each catalogue ID gets is what a run gives today', () => {
    const doc = fs.readFileSync(path.join(root, 'docs', 'implementations', 'wine.md'), 'utf8');
    const rows = doc.split('\n').filter((l) => /^\| ES-/.test(l));
    const expected = allCrashTable({ name: 'Wine esent.dll', version: 'Wine 8.0 (ese-bridge 0.1.0)', target: 'current', pointerWidth: 64, capabilities: ['threads', 'in-flight'] });
    assert.deepEqual(rows, expected, `docs/implementations/wine.md should hold these rows, in catalogue order:\n${expected.join('\n')}`);
  });

  it('docs/reports.md quotes no run-dependent scenario counts', () => {
    const doc = fs.readFileSync(path.join(root, 'docs', 'reports.md'), 'utf8');
    assert.deepEqual(doc.match(/\b\d+ scenario results\b/g) ?? [], []);
  });
});
