/**
 * Handle values (oracle/handles.ts): the forged values are ESENT's (JET_sesidNil is all ones at
 * pointer width 64, NULL is zero), issued handles never coincide with a forged one, and the text
 * form the adapters carry parses back exactly, anything else naming no object.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { HandleTable, JET_handleNeverIssued, JET_handleNil, JET_handleZero, forgedHandle, formatHandle, parseHandle } from '../../oracle/handles';
import type { HandleTarget, JET_HANDLE } from '../../oracle/handles';

test('forged handles: nil is all ones at 64 bits, zero is NULL, never-issued is neither', () => {
  assert.equal(forgedHandle('nil'), 0xffff_ffff_ffff_ffffn);
  assert.equal(forgedHandle('nil'), JET_handleNil);
  assert.equal(forgedHandle('zero'), 0n);
  assert.equal(forgedHandle('zero'), JET_handleZero);
  assert.equal(forgedHandle('never-issued'), JET_handleNeverIssued);
  assert.notEqual(JET_handleNeverIssued, JET_handleNil);
  assert.notEqual(JET_handleNeverIssued, JET_handleZero);
});

test('issued handles are distinct, 64-bit, and never a forged value, however many are issued', () => {
  const table = new HandleTable<HandleTarget>();
  const seen = new Set<bigint>();
  const forged = new Set<bigint>([JET_handleNil, JET_handleZero, JET_handleNeverIssued]);
  for (let i = 0; i < 5000; i++) {
    const target: HandleTarget = { kind: 'cursor' };
    const h = table.issue(target);
    assert.ok(h > 0n && h <= 0xffff_ffff_ffff_ffffn, `handle ${formatHandle(h)} is a 64-bit pointer value`);
    assert.ok(!forged.has(h), `handle ${formatHandle(h)} is a forged value`);
    assert.ok(!seen.has(h), `handle ${formatHandle(h)} issued twice`);
    seen.add(h);
    assert.equal(table.get(h), target);
    if (i % 2 === 0) {
      table.free(h);
      assert.equal(table.get(h), undefined, 'a freed handle names nothing');
    }
  }
  for (const h of forged) assert.equal(table.get(h as JET_HANDLE), undefined);
});

test('the text form: formatHandle parses back; decimal too; the 64-bit maximum is nil', () => {
  const table = new HandleTable<HandleTarget>();
  const h = table.issue({ kind: 'session' });
  assert.equal(parseHandle(formatHandle(h)), h);
  assert.equal(parseHandle(formatHandle(h).toUpperCase().replace('0X', '0x')), h, 'hex digits in either case');
  assert.equal(parseHandle(h.toString(10)), h, 'decimal');
  assert.equal(parseHandle('65536'), 65536n);
  assert.equal(parseHandle('0xffffffffffffffff'), JET_handleNil);
  assert.equal(parseHandle('18446744073709551615'), JET_handleNil);
  assert.equal(parseHandle('0x0'), JET_handleZero);
});

test('the text form: anything else (above 64 bits, junk around the digits, blanks, empty) names no object', () => {
  for (const text of ['0x10000000000000000', '18446744073709551616', 'x0x10000', '0x10000x', 'junk65536', '65536junk', ' 0x10000', '0x10000 ', '', '0x', '-1', '1e5']) {
    assert.equal(parseHandle(text), JET_handleNeverIssued, JSON.stringify(text));
  }
});
