/**
 * The chain request on the wire (docs/protocol.md section 16), as the adapter serializes it once:
 * one JSON line whose calls name a thread only where it is not the batch's, with the arguments,
 * expect and expectOut as given (grbits unsigned), split by the line limit where it must be. A
 * recording 1.1 implementation writes each request line it receives to stderr, which the adapter
 * keeps as the process's stderr tail.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openProcessImplementation, type ProcessImplementation } from '../../adapters/process/adapter';
import type { ChainCall } from '../../adapters/types';
import { sameJson } from '../../adapters/process/wire';

const recorder = `
const rl = require('readline').createInterface({ input: process.stdin });
rl.on('line', (line) => {
  const r = JSON.parse(line);
  const out = (a) => process.stdout.write(JSON.stringify({ id: r.id, ...a }) + '\\n');
  if (r.cmd === 'hello') return out({ result: 'hello', protocol: 1, minor: 1, features: ['batch', 'chain', 'expect-out'], implementation: { name: 'recorder', version: '1' }, target: 'current', pointerWidth: 64, capabilities: ['threads'] });
  if (r.cmd === 'batch') process.stderr.write(line + '\\n');
  if (r.cmd === 'batch') return out({ result: 'batch', answers: r.calls.map((c) => ({ result: 'returned', err: c.expect ?? 0, ...(c.op === 'JetBeginSession' ? { out: { sesid: '0x30' } } : c.expectOut ? { out: c.expectOut } : {}) })) });
  if (r.cmd === 'shutdown') { out({ result: 'ok' }); process.exit(0); }
  out(r.cmd === 'reset' ? { result: 'ok' } : { result: 'returned', err: 0 });
});`;

async function recorded(maxLineBytes: number, calls: readonly ChainCall[]): Promise<{ lines: Record<string, unknown>[]; raw: string[]; results: number }> {
  const impl = (await openProcessImplementation({ command: [process.execPath, '-e', recorder], timeoutMs: 5_000, maxLineBytes })) as ProcessImplementation;
  assert.ok(!('error' in impl) && impl.callChain !== undefined && impl.chainExpectsOut);
  let results: number;
  try {
    assert.equal((await impl.reset()).kind, 'ok');
    results = (await impl.callChain(calls)).length;
  } finally {
    // Once the process is gone its stderr has been read to the end.
    await impl.close();
  }
  const raw = (impl.stderrTail() ?? '').split('\n').filter((l) => l !== '');
  return { lines: raw.map((l) => JSON.parse(l) as Record<string, unknown>), raw, results };
}

test('a chain is one line: calls on the batch thread name none, another thread is named, the rest as given', async () => {
  const calls: ChainCall[] = [
    { thread: 't1', op: 'JetBeginSession', args: { instance: '0x10', username: '', password: '' }, expect: 0 },
    { thread: 't2', op: 'JetSetSessionContext', args: { sesid: { ref: 0, out: 'sesid' }, context: 7 }, expect: 0 },
    { thread: 't1', op: 'JetMove', args: { sesid: { ref: 0, out: 'sesid' }, tableid: '0x20', cRow: -2147483648, grbit: 0x80000000 | 0 }, expect: 0 },
    { thread: 't1', op: 'JetRetrieveColumn', args: { sesid: { ref: 0, out: 'sesid' }, tableid: '0x20', columnid: 1 }, expect: 0, expectOut: { value: 'a"b' } },
  ];
  const { lines, raw, results } = await recorded(1024 * 1024, calls);
  assert.equal(results, 4);
  assert.equal(lines.length, 1);
  const line = lines[0];
  assert.deepEqual(Object.keys(line), ['id', 'cmd', 'thread', 'calls', 'stopOnError']);
  assert.equal(line.cmd, 'batch');
  assert.equal(line.thread, 't1');
  assert.equal(line.stopOnError, false);
  assert.deepEqual(line.calls, [
    { op: 'JetBeginSession', args: { instance: '0x10', username: '', password: '' }, expect: 0 },
    { op: 'JetSetSessionContext', args: { sesid: { ref: 0, out: 'sesid' }, context: 7 }, thread: 't2', expect: 0 },
    { op: 'JetMove', args: { sesid: { ref: 0, out: 'sesid' }, tableid: '0x20', cRow: -2147483648, grbit: 0x80000000 }, expect: 0 },
    { op: 'JetRetrieveColumn', args: { sesid: { ref: 0, out: 'sesid' }, tableid: '0x20', columnid: 1 }, expect: 0, expectOut: { value: 'a"b' } },
  ]);
  // The line is the JSON of the request as one object would give it: nothing but its fields.
  assert.equal(raw[0], JSON.stringify(line));
});

test('over the line limit a chain goes as several lines, each within it, every call once and in order', async () => {
  const limit = 1024;
  // About 2.5 KiB in all: within the 4 KiB of stderr the adapter keeps.
  const calls: ChainCall[] = Array.from({ length: 40 }, (_, i) => ({ thread: 't1', op: 'JetRollback', args: { sesid: `0x${(1000 + i).toString(16)}`, grbit: 0 }, expect: 0 }));
  const { lines, raw, results } = await recorded(limit, calls);
  assert.equal(results, 40);
  assert.ok(lines.length > 1, `${lines.length} lines`);
  for (const l of raw) assert.ok(Buffer.byteLength(l) <= limit, `a line of ${Buffer.byteLength(l)} bytes`);
  const sent = lines.flatMap((l) => (l.calls as { args: { sesid: string } }[]).map((c) => c.args.sesid));
  assert.deepEqual(sent, calls.map((c) => c.args.sesid));
});

test('sameJson: equal exactly when JSON.stringify says so, on the fast path and off it', () => {
  const values: unknown[] = ['', 'a', 'A', '0', 0, -0, 1, 1.5, -1, 2 ** 53, NaN, Infinity, -Infinity, null, undefined, true, false, [], [1], { a: 1 }, { a: 1, b: [2] }, { b: [2], a: 1 }, [null], [NaN], { a: undefined }, {}];
  for (const a of values) {
    for (const b of values) {
      assert.equal(sameJson(a, b), JSON.stringify(a) === JSON.stringify(b), `${String(a)} / ${String(b)}`);
    }
  }
});
