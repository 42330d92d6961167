/**
 * The numbers the suite judges with: catalogue/codes.json (shipped, generated from the spec's
 * "Codes used") against the spec when it is beside the project; api/codes.ts (the engine's and the
 * adapters' table) is checked against the catalogue copy in test/api/codes.test.ts.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { codesBeyondSpec, parseCodesUsed } from '../../harness/catalogue-md';
import { JET_bits, JET_errors, describeErr, loadCodes, parseErr, parseNumber, requireErr, requireNumber } from '../../harness/codes';
import { SuiteError } from '../../harness/errors';

const specFile = path.join(__dirname, '..', '..', '..', 'shared', 'spec', 'outcomes.md');
const catalogue = loadCodes();

test('the code catalogue copy equals ../shared/spec/outcomes.md "Codes used" when that file is present', { skip: !fs.existsSync(specFile) && 'outcomes.md is not beside the project' }, () => {
  const spec = [...parseCodesUsed(fs.readFileSync(specFile, 'utf8')), ...codesBeyondSpec];
  assert.deepEqual(catalogue.codes, spec, 'catalogue/codes.json is stale: run npm run catalogue:sync');
});

test('the code catalogue copy carries every code the catalogue needs, with a number', () => {
  assert.ok(catalogue.codes.length >= 66, `only ${catalogue.codes.length} codes`);
  const names = new Set<string>();
  for (const c of catalogue.codes) {
    assert.ok(/^JET_\w+$/.test(c.name), c.name);
    assert.ok(Number.isInteger(c.value), `${c.name} has no integer value`);
    assert.ok(!names.has(c.name), `${c.name} is listed twice`);
    names.add(c.name);
  }
  for (const name of ['JET_errInvalidSesid', 'JET_errSessionSharingViolation', 'JET_errClientRequestToStopJetService', 'JET_wrnTableInUseBySystem', 'JET_bitForceSessionClosed', 'JET_paramMaxSessions', 'JET_MoveFirst']) {
    assert.ok(names.has(name), `${name} is missing`);
  }
});

test('the abbreviations of "Codes used" expand to ESE names', () => {
  const text = '## Codes used (numbers)\n0 JET_errSuccess · -506 RestoreInProgress · +1327\nwrnTableInUseBySystem · -529 LogDiskFull (a cause). Parameters: JET_paramMaxSessions 5, MaxOpenTables 6. Bits: JET_bitTableDenyWrite\n0x1, DenyRead 0x2, ReadOnly 0x4, JET_bitTermComplete 0x1, TermAbrupt 0x2, JET_prepInsert 0, prepReplace 2, JET_MoveFirst 0x80000000, MoveNext 1, coltypText 10.\n\n## Next\n1 JET_errNotThis';
  assert.deepEqual(
    parseCodesUsed(text).map((c) => `${c.kind} ${c.name} ${c.value}`),
    [
      'err JET_errSuccess 0',
      'err JET_errRestoreInProgress -506',
      'err JET_wrnTableInUseBySystem 1327',
      'err JET_errLogDiskFull -529',
      'param JET_paramMaxSessions 5',
      'param JET_paramMaxOpenTables 6',
      'bit JET_bitTableDenyWrite 1',
      'bit JET_bitTableDenyRead 2',
      'bit JET_bitTableReadOnly 4',
      'bit JET_bitTermComplete 1',
      'bit JET_bitTermAbrupt 2',
      'constant JET_prepInsert 0',
      'constant JET_prepReplace 2',
      'constant JET_MoveFirst -2147483648',
      'constant JET_MoveNext 1',
      'constant JET_coltypText 10',
    ],
  );
});

test('the judge\'s table: names and numbers both ways; an unknown name is a SuiteError, never 0', () => {
  assert.equal(parseErr('JET_errInvalidSesid'), -1104);
  assert.equal(parseErr('+1327'), 1327);
  assert.equal(parseErr('JET_errInvalidSesd'), undefined);
  assert.equal(describeErr(-1910), 'JET_errSessionSharingViolation (-1910)');
  assert.equal(describeErr(-12345), '-12345');
  assert.equal(parseNumber('JET_bitTableDenyRead|JET_bitTableReadOnly'), 6);
  assert.equal(parseNumber('0xFFFFFFFF'), 0xffffffff);
  assert.equal(parseNumber('JET_bitNoSuchBit'), undefined);
  assert.equal(JET_errors.JET_errSessionInUse, -1914);
  assert.equal(JET_bits.JET_bitTableDenyRead, 2);
  assert.throws(() => JET_bits.JET_bitTableDenyReed, SuiteError);
  assert.throws(() => requireErr('JET_errSucess', 'a step'), (e: unknown) => e instanceof SuiteError && /JET_errSucess/.test(e.message));
  assert.throws(() => requireNumber('JET_bitForceSessionClosd', 'a step'), SuiteError);
  assert.equal(requireNumber('JET_bitForceSessionClosed', 'a step'), 1);
});

test('steps/ and harness/ take no number from the engine they judge (no import of oracle/codes)', () => {
  const root = path.join(__dirname, '..', '..');
  const offenders: string[] = [];
  for (const dir of ['steps', 'harness']) {
    for (const file of fs.readdirSync(path.join(root, dir), { recursive: true }) as string[]) {
      if (!file.endsWith('.ts')) continue;
      const text = fs.readFileSync(path.join(root, dir, file), 'utf8');
      if (/(from|require\()\s*['"][./]*\/?oracle\/codes['"]/.test(text)) offenders.push(`${dir}/${file}`);
    }
  }
  assert.deepEqual(offenders, [], 'import codes from harness/codes.ts (the catalogue copy) instead');
});
