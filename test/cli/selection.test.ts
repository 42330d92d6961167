/**
 * `run` is honest about what it ran: -- COMMAND with an adapter that takes none is a usage error
 * (it would silently test the reference engine); a filtered run records its selection, marks the
 * IDs it did not run NOT_RUN and says its score is partial; a SUITE_ERROR exits 2.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../cli/main';
import { exitCode } from '../../cli/commands/run';
import { indexFeatures } from '../../harness/feature-index';
import { packageRoot } from '../../harness/package-root';
import type { Matrix, ScenarioResult } from '../../harness/results';

async function cli(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env: {}, cwd: process.cwd() });
  return { code, out, err };
}

test('run -- CMD with the reference adapter is a usage error, not a green run of the reference engine', async () => {
  for (const adapter of [[], ['--adapter', 'reference']]) {
    const r = await cli(['run', ...adapter, '--reports', 'minimal', '--report-dir', fs.mkdtempSync(path.join(os.tmpdir(), 'ese-sel-')), '--', './my-ese', '--stdio']);
    assert.equal(r.code, 2);
    assert.equal(r.err.length, 1, r.err.join('\n'));
    assert.match(r.err[0], /--adapter reference takes no command.*--adapter process -- \.\/my-ese/);
  }
});

test('a run filtered by --tags records the selection; the left-out ID is NOT_RUN and the score says partial', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ese-sel-'));
  const r = await cli(['run', '--tier', 'esent', '--tags', 'not @ES-SESSION-SLOT-FREED', '--reports', 'minimal', '--report-dir', dir]);
  assert.equal(r.code, 0, r.err.join('\n'));
  const matrix = JSON.parse(fs.readFileSync(path.join(dir, 'matrix.json'), 'utf8')) as Matrix;
  // Every esent scenario of the left-out ID, counted from the features (the count grows with them).
  const leftOut = indexFeatures(packageRoot).scenarios.filter((s) => s.tags.includes('@ES-SESSION-SLOT-FREED') && s.tags.includes('@esent')).length;
  assert.ok(leftOut >= 1);
  assert.deepEqual(matrix.selection, { ids: [], tags: 'not @ES-SESSION-SLOT-FREED', scenariosNotRun: leftOut, complete: false });
  const left = matrix.ids.find((i) => i.id === 'ES-SESSION-SLOT-FREED');
  assert.equal(left?.status, 'NOT_RUN', 'not NOT_APPLICABLE');
  const score = matrix.scores[0];
  assert.equal(score.partial, true);
  assert.equal(score.idsNotRun, 1);
  assert.ok(r.out.some((l) => /esent:.*(PARTIAL|partial run)/.test(l)), r.out.join('\n'));
  fs.rmSync(dir, { recursive: true, force: true });
});

test('--id records the IDs selected; every other ID of the tier is NOT_RUN', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ese-sel-'));
  const r = await cli(['run', '--tier', 'esent', '--id', 'ES-SUCCESS-IDLE', '--reports', 'minimal', '--report-dir', dir]);
  assert.equal(r.code, 0, r.err.join('\n'));
  const matrix = JSON.parse(fs.readFileSync(path.join(dir, 'matrix.json'), 'utf8')) as Matrix;
  assert.equal(matrix.selection?.complete, false, '--id of one ID leaves the others out');
  assert.deepEqual(matrix.selection?.ids, ['ES-SUCCESS-IDLE']);
  assert.equal(matrix.ids.filter((i) => i.status === 'NOT_RUN').length, matrix.ids.length - 1);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a SUITE_ERROR anywhere makes the exit code 2, above any FAIL', () => {
  const s = (status: ScenarioResult['status']): ScenarioResult => ({ id: `f::${status}`, catalogueId: 'ES-SUCCESS-IDLE', tier: 'esent', feature: 'f', scenario: status, line: 1, tags: [], doc: [], status, trace: [] });
  const matrix = (...st: ScenarioResult['status'][]) => ({ scenarios: st.map(s) }) as unknown as Matrix;
  assert.equal(exitCode(matrix('PASS', 'NOT_APPLICABLE')), 0);
  assert.equal(exitCode(matrix('PASS', 'FAIL', 'CRASH')), 1);
  assert.equal(exitCode(matrix('PASS', 'FAIL', 'SUITE_ERROR')), 2);
});
