/**
 * The stable error codes (harness/error-codes.ts): docs/errors.md lists exactly them with the same
 * meaning; every code the sources raise is in the table and every code of the table is raised
 * somewhere (a code nobody raises would be documented in vain).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { internalErrorCodes, suiteErrorCodes, usageErrorCodes } from '../../harness/error-codes';
import { verdict } from '../../harness/verdict';
import { SuiteError } from '../../harness/errors';

const root = path.join(__dirname, '..', '..');
const table: Record<string, { kind: string; meaning: string }> = {
  ...Object.fromEntries(Object.entries(usageErrorCodes).map(([k, v]) => [k, { kind: 'usage', meaning: v }])),
  ...Object.fromEntries(Object.entries(suiteErrorCodes).map(([k, v]) => [k, { kind: 'suite', meaning: v }])),
  ...Object.fromEntries(Object.entries(internalErrorCodes).map(([k, v]) => [k, { kind: 'internal', meaning: v }])),
};

test('docs/errors.md lists every code with its kind and meaning, and nothing else', () => {
  const rows = fs
    .readFileSync(path.join(root, 'docs', 'errors.md'), 'utf8')
    .split('\n')
    .flatMap((l) => {
      const m = /^\| `(ERR_\w+)` \| (\w+) \| \d+ \| (.*?) \| .* \|$/.exec(l);
      return m === null ? [] : [[m[1], { kind: m[2], meaning: m[3] }] as const];
    });
  assert.deepEqual(Object.fromEntries(rows), table);
  assert.equal(rows.length, Object.keys(table).length, 'each code once');
});

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.tsx?$/.test(e.name) ? [p] : [];
  });
}

test('every code raised in the sources is in the table, and every code of the table is raised', () => {
  const raised = new Set<string>();
  for (const dir of ['cli', 'reporting', 'harness', 'steps', 'adapters', 'mutants', 'fuzz']) {
    for (const file of sources(path.join(root, dir))) {
      if (file.endsWith(path.join('harness', 'error-codes.ts'))) continue;
      for (const m of fs.readFileSync(file, 'utf8').matchAll(/\b(ERR_ESE_\w*[A-Z])\b/g)) raised.add(m[1]); // not the ERR_ESE_SUITE_ prefix of a pattern
    }
  }
  assert.deepEqual([...raised].filter((c) => !(c in table)).sort(), [], 'raised but not in harness/error-codes.ts');
  assert.deepEqual(Object.keys(table).filter((c) => !raised.has(c)).sort(), [], 'in the table but raised nowhere');
});

test('a SUITE_ERROR reason ends with its code: no check, an undefined step, a suite definition error, an internal error', () => {
  const base = { pickle: { uri: 'features/x.feature', name: 'x', line: 1, tags: [] }, tier: 'documented' as const, trace: [] };
  const cases: [Parameters<typeof verdict>[0], string][] = [
    [{ ...base, passed: true, unchecked: ['thread t1 calls JetBeginSession'] }, 'ERR_ESE_SUITE_NO_CHECK'],
    [{ ...base, passed: false, cucumberStatus: 'UNDEFINED' }, 'ERR_ESE_SUITE_STEP_UNDEFINED'],
    [{ ...base, passed: false, cucumberStatus: 'AMBIGUOUS' }, 'ERR_ESE_SUITE_STEP_AMBIGUOUS'],
    [{ ...base, passed: false, failure: new SuiteError("'JET_errNope' is not a JET_err name") }, 'ERR_ESE_SUITE_DEFINITION'],
    [{ ...base, passed: false, failure: new TypeError('x is undefined') }, 'ERR_ESE_SUITE_INTERNAL'],
  ];
  for (const [finished, code] of cases) {
    const r = verdict(finished);
    assert.equal(r.status, 'SUITE_ERROR');
    assert.ok(r.reason?.endsWith(` [${code}]`), `${code}: ${r.reason}`);
  }
});
