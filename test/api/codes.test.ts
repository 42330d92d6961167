/**
 * api/codes.ts (the vocabulary the engine and the adapters share) against the shipped catalogue copy
 * (catalogue/codes.json, always) and the specification's "Codes used" (outcomes.md, when it is beside
 * the project): every code, parameter, bit and constant the catalogue names has that number here.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { JET_bits, JET_constants, JET_errors, JET_params, describeErr, parseErr, parseNumber } from '../../api/codes';
import * as oracleCodes from '../../oracle/codes';
import { loadCodes } from '../../harness/codes';

const specFile = path.join(__dirname, '..', '..', '..', 'shared', 'spec', 'outcomes.md');

function codesSection(): string {
  const md = fs.readFileSync(specFile, 'utf8');
  return md.slice(md.indexOf('## Codes used'), md.indexOf('## The catalogue')).replace(/\s+/g, ' ');
}

test('every error code of "Codes used" has its number in api/codes.ts', { skip: !fs.existsSync(specFile) && 'outcomes.md is not beside the project' }, () => {
  const errorsPart = codesSection().split('Parameters:')[0];
  const pairs = [...errorsPart.matchAll(/([+-]?\d+) (JET_)?(err|wrn)?([A-Z][A-Za-z]+)/g)];
  assert.ok(pairs.length >= 39, `only ${pairs.length} codes read`);
  for (const [, number, , kind, name] of pairs) {
    const full = `JET_${kind ?? 'err'}${name}`;
    assert.equal((JET_errors as Record<string, number>)[full], Number(number), `${full} should be ${number}`);
  }
});

test('every parameter, bit and constant of "Codes used" has its number in api/codes.ts', { skip: !fs.existsSync(specFile) && 'outcomes.md is not beside the project' }, () => {
  const rest = codesSection().split('Parameters:')[1];
  const tables: Record<string, Record<string, number>> = { JET_param: JET_params, JET_bit: JET_bits };
  let prefix = '';
  let checked = 0;
  for (const [, name, value] of rest.matchAll(/((?:JET_)?[A-Za-z]+) (0x[0-9a-f]+|-?\d+)/g)) {
    const m = /^(JET_param|JET_bit|JET_prep|JET_Move|JET_coltyp)?(.*)$/.exec(name)!;
    if (m[1] !== undefined) prefix = m[1];
    const table = tables[prefix] ?? JET_constants;
    // "JET_bitTableDenyWrite 0x1, DenyRead 0x2": an abbreviated name continues the last family.
    const base = m[2].replace(/^(prep|coltyp)/, '');
    const full = [`${prefix}${base}`, `${prefix}Table${base}`, `JET_${m[2]}`].find((n) => n in table) ?? `${prefix}${base}`;
    const expected = value.startsWith('0x') && prefix === 'JET_Move' ? Number(value) | 0 : Number(value);
    assert.equal(table[full], expected, `${full} should be ${value}`);
    checked++;
  }
  assert.ok(checked >= 25, `only ${checked} values read`);
});

test('names and numbers convert both ways', () => {
  assert.equal(parseErr('JET_errInvalidSesid'), -1104);
  assert.equal(parseErr('+1327'), 1327);
  assert.equal(describeErr(-1104), 'JET_errInvalidSesid (-1104)');
  assert.equal(describeErr(-12345), '-12345');
  assert.equal(parseNumber('JET_bitTableDenyRead|JET_bitTableReadOnly'), 6);
  assert.equal(parseNumber('0xFFFFFFFF'), 0xffffffff);
  assert.equal(parseNumber('JET_bitNoSuchBit'), undefined);
});

test('api/codes.ts has the catalogue copy\'s number for every code (no ../shared needed)', () => {
  const catalogue = loadCodes();
  assert.ok(catalogue.codes.length >= 66, `only ${catalogue.codes.length} codes in the catalogue copy`);
  const tables: Record<string, Readonly<Record<string, number>>> = { err: JET_errors, bit: JET_bits, param: JET_params, constant: JET_constants };
  const wrong: string[] = [];
  for (const c of catalogue.codes) {
    const value = tables[c.kind][c.name];
    if (value !== c.value) wrong.push(`${c.name}: api/codes.ts has ${value}, the catalogue copy ${c.value}`);
  }
  assert.deepEqual(wrong, []);
});

test('oracle/codes.ts is the same table (a re-export kept for old imports), not a second copy', () => {
  assert.equal(oracleCodes.JET_errors, JET_errors);
  assert.equal(oracleCodes.JET_bits, JET_bits);
  assert.equal(oracleCodes.describeErr, describeErr);
});
