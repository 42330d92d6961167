import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineSplitter, TailBuffer } from '../../adapters/process/lines';

function collect(max: number): { splitter: LineSplitter; lines: string[]; oversize: number[] } {
  const lines: string[] = [];
  const oversize: number[] = [];
  const splitter = new LineSplitter(max, { line: (l) => lines.push(l), oversize: (m) => oversize.push(m) });
  return { splitter, lines, oversize };
}

test('lines split across chunks, CRLF tolerated, the unterminated rest given at end', () => {
  const c = collect(100);
  c.splitter.push(Buffer.from('{"a":1}\n{"b"'));
  c.splitter.push(Buffer.from(':2}\r\n\n{"c":3}'));
  assert.deepEqual(c.lines, ['{"a":1}', '{"b":2}', '']);
  c.splitter.end();
  assert.deepEqual(c.lines, ['{"a":1}', '{"b":2}', '', '{"c":3}']);
  assert.deepEqual(c.oversize, []);
});

test('a multi-byte character split between chunks survives', () => {
  const c = collect(100);
  const bytes = Buffer.from('"é€"\n');
  c.splitter.push(bytes.subarray(0, 2));
  c.splitter.push(bytes.subarray(2));
  assert.deepEqual(c.lines, ['"é€"']);
});

test('a line over the limit is reported once, dropped, and the next line is read', () => {
  const c = collect(10);
  c.splitter.push(Buffer.from('0123456789')); // exactly the limit: fine so far
  c.splitter.push(Buffer.from('x'.repeat(5000)));
  c.splitter.push(Buffer.from('y'.repeat(5000) + '\nok\n'));
  assert.deepEqual(c.oversize, [10]);
  assert.deepEqual(c.lines, ['ok']);
  const d = collect(10);
  d.splitter.push(Buffer.from('0123456789\n'));
  assert.deepEqual(d.lines, ['0123456789']);
});

test('the stderr tail keeps the last bytes only', () => {
  const t = new TailBuffer(8);
  assert.equal(t.text(), undefined);
  t.push(Buffer.from('abc'));
  t.push(Buffer.from('defgh'));
  t.push(Buffer.from('ij'));
  assert.equal(t.text(), 'cdefghij');
  t.push(Buffer.from('0123456789abcdef'));
  assert.equal(t.text(), '89abcdef');
});
