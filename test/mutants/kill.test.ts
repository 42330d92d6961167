/**
 * The mutant campaign as part of `npm test`: `ese-conformance mutants` over the whole catalogue and
 * both tiers. Each mutant is its own test, so a mutant that no scenario kills (or that a tier kills
 * where the documentation allows it) fails the build under its own name.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../cli/main';
import { mutants } from '../../mutants';
import type { KillMatrix } from '../../mutants/kill-matrix';

interface Campaign {
  readonly code: number;
  readonly matrix: KillMatrix;
  readonly dir: string;
}

let campaign: Promise<Campaign> | undefined;

/** One run of the command for every test of this file. */
function run(): Promise<Campaign> {
  campaign ??= (async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ese-mutants-'));
    const sink = { out: () => undefined, err: () => undefined, env: process.env, cwd: process.cwd() };
    const code = await main(['mutants', '--tier', 'all', '--report-dir', dir, '--timeout-ms', '60000'], sink);
    const matrix = JSON.parse(fs.readFileSync(path.join(dir, 'mutants.json'), 'utf8')) as KillMatrix;
    return { code, matrix, dir };
  })();
  return campaign;
}

test('ese-conformance mutants writes the kill matrix and exits 0 exactly when every claim holds', async () => {
  const { code, matrix, dir } = await run();
  for (const f of ['mutants.json', 'mutants.md', 'mutants.html']) assert.ok(fs.statSync(path.join(dir, f)).size > 0, f);
  assert.equal(code, matrix.ok ? 0 : 1);
  assert.deepEqual(matrix.tiers, ['documented', 'esent']);
  assert.equal(matrix.mutants.length, mutants.length);
});

test('the reference engine passes every scenario of both tiers', async () => {
  const { matrix } = await run();
  assert.deepEqual(matrix.reference.failures, []);
  assert.ok(matrix.reference.scenariosRun > 100, `only ${matrix.reference.scenariosRun} scenario runs`);
});

for (const spec of mutants) {
  const where = (['documented', 'esent'] as const).map((t) => `${t}: ${spec.killedBy[t] === undefined ? 'survives' : 'killed'}`).join(', ');
  test(`mutant ${spec.name} (${where})`, async () => {
    const { matrix } = await run();
    const verdict = matrix.mutants.find((m) => m.name === spec.name);
    assert.ok(verdict, `${spec.name} is missing from the kill matrix`);
    assert.deepEqual(verdict.problems, [], `${spec.name} is not as declared`);
  });
}

test('mutants that deviate only where the documentation is permissive survive the documented tier and die in the esent tier', async () => {
  const { matrix } = await run();
  const permissive = mutants.filter((m) => m.killedBy.documented === undefined && m.killedBy.esent !== undefined);
  assert.ok(permissive.length >= 5, `only ${permissive.length} permissive mutants`);
  for (const spec of permissive) {
    const verdict = matrix.mutants.find((m) => m.name === spec.name)!;
    const [documented, esent] = ['documented', 'esent'].map((t) => verdict.tiers.find((v) => v.tier === t)!);
    assert.ok(documented.scenariosRun > 0 && !documented.killed, `${spec.name} is killed in the documented tier by ${Object.keys(documented.killers).join(', ')}`);
    assert.ok(esent.killed, `${spec.name} survives the esent tier`);
  }
});
