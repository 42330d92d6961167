/** `ese-conformance run`, `list` and the dispatcher: exit codes and one-line errors a user can act on. */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../cli/main';

interface Captured {
  code: number;
  out: string[];
  err: string[];
}

async function cli(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<Captured> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env, cwd: process.cwd() });
  return { code, out, err };
}

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'ese-run-'));
}

const python = path.join(__dirname, '..', '..', 'examples', 'python-adapter', 'adapter.py');

for (const [argv, mentions] of [
  [['run', '--bogus'], '--help'],
  [['run', '--adapter', 'nope'], 'unknown adapter'],
  [['run', '--tier', 'both'], 'documented, esent or all'],
  [['run', '--id', 'ES-NOPE'], 'ese-conformance list'],
  [['run', '--order', 'shuffled'], 'random:SEED'],
  [['run', '--reports', 'some'], 'full or minimal'],
  [['run', '--timeout-ms=0'], 'positive whole number'],
  [['run', '--adapter', 'process'], 'after --'],
  [['run', '--expectations', '/nonexistent/file'], 'no such file'],
  [['run', '--annotations', 'gitlab'], 'github or none'],
  [['frobnicate'], "'ese-conformance --help'"],
] as const) {
  test(`${argv.join(' ')}: exit 2 with one line naming what to do`, async () => {
    const r = await cli([...argv]);
    assert.equal(r.code, 2);
    assert.equal(r.err.length, 1, r.err.join('\n'));
    assert.match(r.err[0], new RegExp(mentions.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  });
}

test('a tag expression that selects nothing is a usage error, not a pass', async () => {
  const r = await cli(['run', '--tags', '@no-such-tag', '--reports', 'minimal', '--report-dir', tmp()]);
  assert.equal(r.code, 2);
  assert.match(r.err.join('\n'), /no scenario matched.* \[ERR_ESE_NOTHING_SELECTED\]/);
});

test('run --reports minimal writes matrix.json and junit.xml only, and exits 0 on the reference', async () => {
  const dir = tmp();
  const r = await cli(['run', '--tier', 'esent', '--reports', 'minimal', '--report-dir', dir]);
  assert.equal(r.code, 0, r.err.join('\n'));
  assert.ok(fs.existsSync(path.join(dir, 'matrix.json')));
  assert.ok(fs.existsSync(path.join(dir, 'junit.xml')));
  assert.ok(!fs.existsSync(path.join(dir, 'matrix.html')));
  const matrix = JSON.parse(fs.readFileSync(path.join(dir, 'matrix.json'), 'utf8')) as { tiers: string[]; scenarios: { status: string }[] };
  assert.deepEqual(matrix.tiers, ['esent']);
  assert.ok(matrix.scenarios.every((s) => s.status === 'PASS'));
  assert.match(r.out.join('\n'), /esent: +24\/24 applicable IDs pass/);
});

test('an implementation without the needed capability: every selected scenario NOT_APPLICABLE is exit 2', async () => {
  const r = await cli(['run', '--id', 'ES-TERM-IN-PROGRESS', '--reports', 'minimal', '--report-dir', tmp(), '--adapter', 'process', '--', 'python3', python]);
  assert.equal(r.code, 2);
  assert.match(r.err.join('\n'), /applies|capabilit/);
});

test('a target before the doc\'s version gate makes @since scenarios NOT_APPLICABLE, with the reason', async () => {
  const r = await cli(['run', '--target', 'windows-2000', '--id', 'ES-INSTANCE-UNAVAILABLE', '--reports', 'minimal', '--report-dir', tmp()]);
  assert.equal(r.code, 2);
  assert.match(r.err.join('\n'), /since windows-xp; the declared target is windows-2000/);
});

test('--annotations github prints workflow commands and appends the step summary', async () => {
  const dir = tmp();
  const summary = path.join(dir, 'summary.md');
  // The example's IDs of its two bugs (the whole suite's example runs are test/adoption/example.test.ts's):
  // more than 10 FAILs, so the cap below is reached.
  const ids = ['ES-AFTER-TERM', 'ES-UNDO-FAILURE-FATAL', 'ES-SORTS-CLOSED'].flatMap((id) => ['--id', id]);
  const r = await cli(['run', '--tier', 'esent', ...ids, '--reports', 'minimal', '--report-dir', dir, '--annotations', 'github', '--adapter', 'process', '--', 'python3', python], {
    GITHUB_STEP_SUMMARY: summary,
  });
  assert.equal(r.code, 1);
  const matrix = JSON.parse(fs.readFileSync(path.join(dir, 'matrix.json'), 'utf8')) as { scenarios: { status: string }[] };
  assert.ok(matrix.scenarios.filter((s) => s.status === 'FAIL').length > 10, 'enough FAILs to reach the cap');
  const errors = r.out.filter((l) => l.startsWith('::error '));
  assert.ok(errors.length > 0, 'no ::error line');
  // GitHub shows 10 annotations of a level per step: past that, one more line says where the rest is.
  assert.ok(errors.length <= 11, `${errors.length} ::error lines`);
  assert.ok(errors.some((l) => /^::error title=ES-[A-Z-]+ \[esent\] FAIL/.test(l)), 'a FAIL annotated with its ID');
  const text = fs.readFileSync(summary, 'utf8');
  assert.match(text, /^## /);
  assert.ok(text.includes('ES-SORTS-CLOSED') && text.includes('ES-AFTER-TERM'), 'both bugs in the step summary');
});

test('list names all 26 IDs and the † mark', async () => {
  const r = await cli(['list']);
  assert.equal(r.code, 0);
  const text = r.out.join('\n');
  assert.match(text, /26 IDs, \d+ scenarios/);
  assert.match(text, /ES-AFTER-TERM †/);
  const json = await cli(['list', '--json']);
  assert.equal((JSON.parse(json.out.join('\n')) as { ids: unknown[] }).ids.length, 26);
});

test('--version and --help', async () => {
  const v = await cli(['--version']);
  assert.equal(v.code, 0);
  assert.match(v.out[0], /^\d+\.\d+\.\d+$/);
  const h = await cli(['run', '--help']);
  assert.equal(h.code, 0);
  assert.match(h.out.join('\n'), /--adapter NAME/);
});
