/**
 * The shipped JSON Schemas (schemas/matrix.schema.json, schemas/expectations.schema.json) accept
 * what real runs write, and reject broken files with an error that points at the problem.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { matrixSchemaVersion, type Matrix, type Status } from '../../harness/results';
import { parseExpectations, readExpectations } from '../../reporting/expectations';
import { cli, exampleExpectations, expectationsJson, readMatrixFile, repoRoot, schemaErrors, schemaValidator, tempDir } from './helpers';

const hostile = (name: string) => [process.execPath, path.join(repoRoot, 'test', 'fixtures', 'hostile', `${name}.js`)];

/** Real runs, each into its own report dir: the reference (every capability) and three broken implementations. */
const runs: { name: string; argv: string[]; status?: Status }[] = [
  { name: 'reference', argv: ['--adapter', 'reference'] },
  { name: 'crash', argv: ['--adapter', 'process', '--tier', 'esent', '--id', 'ES-SUCCESS-IDLE', '--', ...hostile('crash-mid-scenario')], status: 'CRASH' },
  { name: 'timeout', argv: ['--adapter', 'process', '--tier', 'esent', '--id', 'ES-SUCCESS-IDLE', '--timeout-ms', '500', '--', ...hostile('never-answer')], status: 'TIMEOUT' },
  { name: 'protocol-error', argv: ['--adapter', 'process', '--tier', 'esent', '--id', 'ES-SUCCESS-IDLE', '--', ...hostile('garbage')], status: 'PROTOCOL_ERROR' },
];

describe('schemas: the shipped files', () => {
  for (const name of ['matrix', 'expectations'] as const) {
    it(`${name}.schema.json compiles in ajv strict mode and is versioned in its $id`, () => {
      const schema = JSON.parse(fs.readFileSync(path.join(repoRoot, 'schemas', `${name}.schema.json`), 'utf8')) as { $id: string; properties: { schemaVersion: { const: number } } };
      assert.equal(schema.$id, `https://ese-conformance.invalid/${name}/v1/${name}.schema.json`);
      assert.equal(schema.properties.schemaVersion.const, 1);
      assert.equal(typeof schemaValidator(name), 'function');
    });
  }

  it('the matrix schema is for the schemaVersion the suite writes', () => {
    assert.equal(matrixSchemaVersion, 1, 'a new matrix schemaVersion needs schemas/matrix.schema.json v2');
  });

  it('schemas/ is shipped in the package', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { files: string[] };
    assert.ok(pkg.files.includes('schemas/'), `package.json "files": ${pkg.files.join(', ')}`);
  });
});

describe('schemas: real run outputs are valid', () => {
  const dirs = new Map<string, string>();
  const matrices = new Map<string, Matrix>();

  before(async () => {
    for (const r of runs) {
      const dir = tempDir(`schema-${r.name}`);
      dirs.set(r.name, dir);
      const result = await cli(['run', '--reports', 'minimal', '--report-dir', dir, ...r.argv]);
      assert.equal(result.code, r.status === undefined ? 0 : 1, `${r.name}: ${[...result.out, ...result.err].join('\n')}`);
      matrices.set(r.name, readMatrixFile(dir));
    }
  });

  after(() => {
    for (const dir of dirs.values()) fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const r of runs) {
    it(`matrix.json of a run against ${r.name}${r.status ? ` (${r.status})` : ''} is valid`, () => {
      const m = matrices.get(r.name);
      assert.ok(m);
      if (r.status !== undefined) {
        assert.ok(m.scenarios.some((s) => s.status === r.status), `the run should produce ${r.status}`);
      } else {
        assert.ok(m.scenarios.length > 100 && m.scenarios.every((s) => s.status === 'PASS'));
      }
      assert.deepEqual(schemaErrors(schemaValidator('matrix'), m), []);
    });
  }

  it('the expectations files `ese-conformance expectations` writes are valid in their JSON form', async () => {
    for (const r of runs.filter((x) => x.status !== undefined)) {
      const dir = dirs.get(r.name);
      assert.ok(dir);
      const file = path.join(dir, 'start.expectations');
      const made = await cli(['expectations', '--from', path.join(dir, 'matrix.json'), '-o', file]);
      assert.equal(made.code, 0, made.err.join('\n'));
      const entries = readExpectations(file);
      assert.ok(entries.length > 0 && entries.every((e) => e.status === r.status));
      assert.deepEqual(schemaErrors(schemaValidator('expectations'), expectationsJson(entries)), []);
    }
  });

  it('the example expectations file is valid in its JSON form', () => {
    const entries = readExpectations(exampleExpectations);
    assert.equal(entries.length, 47, "the 47 results of the example's two bugs (its README)");
    assert.deepEqual(schemaErrors(schemaValidator('expectations'), expectationsJson(entries)), []);
  });

  it('the hand-made matrix fixtures of the report tests follow the same schema', () => {
    const dir = path.join(repoRoot, 'test', 'fixtures', 'matrix');
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.json'))) {
      assert.deepEqual(schemaErrors(schemaValidator('matrix'), JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'))), [], f);
    }
  });

  it('rejects broken matrices, naming where', () => {
    const base = matrices.get('crash');
    assert.ok(base);
    /* eslint-disable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-return -- breaks a matrix.json in ways its type forbids: untyped JSON on purpose */
    const broken: [string, (m: Record<string, any>) => void, RegExp][] = [
      ['another schemaVersion', (m) => (m.schemaVersion = 2), /^\/schemaVersion must be equal to constant/],
      ['a scenario without status', (m) => delete m.scenarios[0].status, /^\/scenarios\/0 must have required property 'status'/],
      ['an unknown status', (m) => (m.scenarios[0].status = 'SKIPPED'), /^\/scenarios\/0\/status must be equal to one of the allowed values/],
      ['a FAIL without its reason', (m) => Object.assign(m.scenarios[0], { status: 'FAIL', reason: undefined }), /^\/scenarios\/0 must have required property 'reason'/],
      ['a score above 1', (m) => (m.scores[0].score = 1.5), /^\/scores\/0\/score must be <= 1/],
      ['a 48-bit pointer', (m) => (m.implementation.pointerWidth = 48), /^\/implementation\/pointerWidth must be equal to one of the allowed values/],
      ['an unknown capability', (m) => (m.implementation.capabilities = ['teleport']), /^\/implementation\/capabilities\/0 must be equal to one of the allowed values/],
      ['a field the format does not define', (m) => (m.verdict = 'ok'), /^\(root\) must NOT have additional properties/],
      ['a trace entry of an unknown kind', (m) => (m.scenarios[0].trace[0].kind = 'sleep'), /^\/scenarios\/0\/trace\/0\/kind must be equal to one of the allowed values/],
      ['a local time without zone', (m) => (m.startedAt = '2025-01-01 10:00'), /^\/startedAt must match pattern/],
      ['a scenario id without ::', (m) => (m.scenarios[0].id = 'just a name'), /^\/scenarios\/0\/id must match pattern/],
      ['no tiers', (m) => (m.tiers = []), /^\/tiers must NOT have fewer than 1 items/],
    ];
    for (const [what, breakIt, expected] of broken) {
      const m = JSON.parse(JSON.stringify(base)) as Record<string, any>;
      /* eslint-enable @typescript-eslint/no-explicit-any, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-return */
      breakIt(m);
      const errors = schemaErrors(schemaValidator('matrix'), JSON.parse(JSON.stringify(m)));
      assert.ok(errors.some((e) => expected.test(e)), `${what}: ${errors.join('; ') || 'accepted'}`);
    }
  });
});

describe('schemas: the expectations JSON form', () => {
  const valid = () => expectationsJson(parseExpectations('esent  ES-AFTER-TERM  FAIL  returns -1029  https://example.org/i/1\ndocumented  features/a.feature::b c  CRASH  dies', 'x')) as { entries: Record<string, unknown>[] };

  it('accepts catalogue ID and scenario entries, with and without an issue link', () => {
    assert.deepEqual(schemaErrors(schemaValidator('expectations'), valid()), []);
    assert.deepEqual(schemaErrors(schemaValidator('expectations'), { schemaVersion: 1, entries: [] }), []);
  });

  it('rejects what the text format rejects', () => {
    const broken: [string, Record<string, unknown>, RegExp][] = [
      ['PASS as an expected status', { status: 'PASS' }, /^\/entries\/0\/status must be equal to one of the allowed values/],
      ['a tier "all"', { tier: 'all' }, /^\/entries\/0\/tier must be equal to one of the allowed values/],
      ['a target that is neither an ID nor a scenario id', { target: 'after term' }, /^\/entries\/0\/target must match a schema in anyOf/],
      ['a blank reason', { reason: '   ' }, /^\/entries\/0\/reason must match pattern/],
      ['an issue that is not a URL', { issue: 'ticket 12' }, /^\/entries\/0\/issue must match pattern/],
    ];
    for (const [what, patch, expected] of broken) {
      const doc = valid();
      Object.assign(doc.entries[0], patch);
      const errors = schemaErrors(schemaValidator('expectations'), doc);
      assert.ok(errors.some((e) => expected.test(e)), `${what}: ${errors.join('; ') || 'accepted'}`);
    }
    const noReason = valid();
    delete noReason.entries[1].reason;
    assert.ok(schemaErrors(schemaValidator('expectations'), noReason).some((e) => /^\/entries\/1 must have required property 'reason'/.test(e)));
  });
});
