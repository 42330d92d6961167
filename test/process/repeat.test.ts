/**
 * Protocol 1.1 `repeat` (docs/protocol.md section 16): a batch call with `repeat` stands for that
 * many calls in a row, each reference moved by its `stride`. The adapter folds only runs that
 * unfold to exactly the calls it was given, and only for an implementation that accepts `repeat`;
 * serve() makes the same calls and gives the same answers as for the batch written out, and
 * refuses a repeat or stride that would name a call not made before.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openProcessImplementation, type ProcessImplementation } from '../../adapters/process/adapter';
import { foldAnswers, foldRepeats, unfoldAnswers, unfoldRepeats, type BatchCall, type BatchItem } from '../../adapters/process/wire';
import type { ChainCall } from '../../adapters/types';
import { JET_errors } from '../../api';
import { referenceOnStreams as streams } from './helpers/answers';

const hello = { cmd: 'hello', protocol: 1, minor: 1, features: ['batch', 'chain', 'expect-out', 'repeat'], suite: { name: 'ese-conformance', version: '0' }, timeoutMs: 1000, maxLineBytes: 1048576 };

const ses = { ref: 0, out: 'sesid' };
/** The cursor-slot count of the whole-state probes: duplicates until refused, then each closed, last first. */
function cursorProbe(dups: number): BatchCall[] {
  const calls: BatchCall[] = [
    { op: 'JetBeginSession', args: { instance: '0x10', username: '', password: '' }, expect: 0 },
    { op: 'JetOpenDatabase', args: { sesid: ses, filename: 'db1.edb', grbit: 0 }, expect: 0 },
    { op: 'JetOpenTable', args: { sesid: ses, dbid: { ref: 1, out: 'dbid' }, tablename: 't1', grbit: 0 }, expect: 0 },
  ];
  for (let i = 0; i < dups; i++) calls.push({ op: 'JetDupCursor', args: { sesid: ses, tableid: { ref: 2, out: 'tableid' }, grbit: 0 }, expect: 0 });
  calls.push({ op: 'JetDupCursor', args: { sesid: ses, tableid: { ref: 2, out: 'tableid' }, grbit: 0 }, expect: -1013 });
  for (let i = 2 + dups; i >= 2; i--) calls.push({ op: 'JetCloseTable', args: { sesid: ses, tableid: { ref: i, out: 'tableid' } }, expect: 0 });
  return calls;
}

test('foldRepeats: runs fold to one call each, strides where references advance; unfolding gives the calls back', () => {
  const calls = cursorProbe(1000);
  const folded = foldRepeats(calls);
  assert.deepEqual(unfoldRepeats(folded), calls);
  assert.deepEqual(folded.slice(3), [
    { op: 'JetDupCursor', args: { sesid: ses, tableid: { ref: 2, out: 'tableid' }, grbit: 0 }, expect: 0, repeat: 1000 },
    { op: 'JetDupCursor', args: { sesid: ses, tableid: { ref: 2, out: 'tableid' }, grbit: 0 }, expect: -1013 },
    { op: 'JetCloseTable', args: { sesid: ses, tableid: { ref: 1002, out: 'tableid', stride: -1 } }, expect: 0, repeat: 1001 },
  ]);
  assert.ok(JSON.stringify(folded).length * 100 < JSON.stringify(calls).length);
  // Not folded: another plain value, thread, expectOut or a reference that does not advance evenly.
  const apart: BatchCall[] = [
    { op: 'JetMove', args: { sesid: '0x1', tableid: '0x2', cRow: 1, grbit: 0 }, expect: 0 },
    { op: 'JetMove', args: { sesid: '0x1', tableid: '0x2', cRow: 2, grbit: 0 }, expect: 0 },
    { op: 'JetMove', args: { sesid: '0x1', tableid: '0x2', cRow: 2, grbit: 0 }, expect: 0, thread: 't2' },
    { op: 'JetRetrieveColumn', args: { sesid: '0x1', tableid: '0x2', columnid: 1 }, expect: 0, expectOut: { value: 1 } },
    { op: 'JetRetrieveColumn', args: { sesid: '0x1', tableid: '0x2', columnid: 1 }, expect: 0, expectOut: { value: 2 } },
    { op: 'JetCloseTable', args: { sesid: '0x1', tableid: { ref: 1, out: 'tableid' } }, expect: 0 },
    { op: 'JetCloseTable', args: { sesid: '0x1', tableid: { ref: 2, out: 'tableid' } }, expect: 0 },
    { op: 'JetCloseTable', args: { sesid: '0x1', tableid: { ref: 4, out: 'tableid' } }, expect: 0 },
  ];
  const f = foldRepeats(apart);
  assert.deepEqual(unfoldRepeats(f), apart);
  assert.equal(f.length, 7);
  assert.equal(f[5].repeat, 2);
  // Equal objects (a temp table's columns) fold.
  const temp: BatchCall = { op: 'JetOpenTempTable', args: { sesid: '0x1', columns: [{ coltyp: 4, grbit: 1 }], grbit: 0 } };
  assert.deepEqual(foldRepeats([temp, { ...temp, args: { ...temp.args, columns: [{ coltyp: 4, grbit: 1 }] } }]), [{ ...temp, repeat: 2 }]);
});

test('serve: a folded batch makes the calls and gives the answers of the batch written out', async () => {
  const s = streams();
  assert.deepEqual((await s.ask(hello)).features, ['batch', 'chain', 'expect-out', 'repeat']);
  const run = async (calls: BatchCall[]) => {
    assert.equal((await s.ask({ cmd: 'reset' })).result, 'ok');
    const setup = await s.ask({
      cmd: 'batch',
      thread: 't1',
      stopOnError: true,
      calls: [
        { op: 'JetCreateInstance', args: { name: 'i1' } },
        { op: 'JetSetSystemParameter', args: { instance: { ref: 0, out: 'instance' }, sesid: null, paramid: 10, lParam: 3, szParam: null } },
        { op: 'JetInit', args: { instance: { ref: 0, out: 'instance' } } },
        { op: 'JetBeginSession', args: { instance: { ref: 0, out: 'instance' }, username: '', password: '' } },
      ],
    });
    const sesid = (unfoldAnswers(setup.answers as BatchItem[], 4) as { out?: { sesid?: string } }[])[3].out?.sesid;
    assert.equal(typeof sesid, 'string');
    const withSession = calls.map((c) => ({ ...c, args: { ...c.args, sesid } }));
    const r = await s.ask({ cmd: 'batch', thread: 't1', stopOnError: false, calls: withSession });
    assert.equal(r.result, 'batch');
    // Answers come folded (repeat agreed): equal answers without out-values as one.
    const answers = r.answers as BatchItem[];
    assert.deepEqual(answers, foldAnswers(answers));
    return unfoldAnswers(answers, unfoldRepeats(calls).length) as { result: string; err: number }[];
  };
  // Sorts opened until the limit (3) refuses, then each closed: the slot count of the probes.
  const open: BatchCall = { op: 'JetOpenTempTable', args: { columns: [{ coltyp: 4, grbit: 0x40 }], grbit: 0 }, expect: 0 };
  const written: BatchCall[] = [open, open, open, { ...open, expect: JET_errors.JET_errTooManySorts }, ...[2, 1, 0].map((ref) => ({ op: 'JetCloseTable', args: { tableid: { ref, out: 'tableid' } }, expect: 0 }))];
  const folded = foldRepeats(written);
  assert.equal(folded.length, 3);
  const one = await run(written);
  assert.equal(one.length, 7);
  // The three closes' equal answers went as one.
  assert.deepEqual(foldAnswers(one as BatchItem[]).map((a) => (a as { repeat?: number }).repeat), [undefined, undefined, undefined, undefined, 3]);
  assert.deepEqual(one.map((a) => a.err), [0, 0, 0, JET_errors.JET_errTooManySorts, 0, 0, 0]);
  assert.deepEqual(await run(folded), one);
  // A repeated call whose code is not the one expected ends the batch there.
  assert.deepEqual((await run([{ ...open, repeat: 5 }, open])).map((a) => a.err), [0, 0, 0, JET_errors.JET_errTooManySorts]);
  s.end();
});

test('serve: a repeat or stride that names a call not made before, or a batch over 10,000 calls, is refused whole', async () => {
  const s = streams();
  await s.ask(hello);
  const refused = async (calls: unknown[]) => {
    const r = await s.ask({ cmd: 'batch', thread: 't1', stopOnError: false, calls });
    assert.equal(r.result, 'error', JSON.stringify(calls));
    assert.equal(r.error, 'bad-request');
  };
  const begin = { op: 'JetBeginSession', args: { instance: '0x10', username: '', password: '' } };
  const end = (ref: Record<string, unknown>, repeat?: number) => ({ op: 'JetEndSession', args: { sesid: ref, grbit: 0 }, ...(repeat === undefined ? {} : { repeat }) });
  await refused([{ ...begin, repeat: 0 }]);
  await refused([{ ...begin, repeat: 1.5 }]);
  await refused([{ ...begin, repeat: '2' }]);
  await refused([{ ...begin, repeat: 10_001 }]);
  await refused([{ ...begin, repeat: 9_999 }, { ...begin, repeat: 2 }]);
  // The second repetition would name itself (call 2), the third a call before the batch.
  await refused([begin, end({ ref: 0, out: 'sesid', stride: 2 }, 2)]);
  await refused([begin, begin, end({ ref: 1, out: 'sesid', stride: -1 }, 3)]);
  await refused([begin, end({ ref: 0, out: 'sesid', stride: 0.5 }, 2)]);
  await refused([begin, end({ ref: 0, out: 'sesid', step: 1 }, 2)]);
  s.end();
});

/** A 1.1 implementation that writes each batch line to stderr and answers every call as expected (repeats unfolded; answers folded when told). */
function recorder(features: string[], fold: 'no' | 'equal' | 'one-more' = 'no'): string {
  return `
const rl = require('readline').createInterface({ input: process.stdin });
rl.on('line', (line) => {
  const r = JSON.parse(line);
  const out = (a) => process.stdout.write(JSON.stringify({ id: r.id, ...a }) + '\\n');
  if (r.cmd === 'hello') return out({ result: 'hello', protocol: 1, minor: 1, features: ${JSON.stringify(features)}, implementation: { name: 'recorder', version: '1' }, target: 'current', pointerWidth: 64, capabilities: ['threads'] });
  if (r.cmd === 'batch') process.stderr.write(line + '\\n');
  const fold = ${JSON.stringify(fold)};
  if (r.cmd === 'batch' && fold !== 'no' && r.calls.every((c) => c.op === 'JetCloseTable')) return out({ result: 'batch', answers: [{ result: 'returned', err: 0, repeat: r.calls.length + (fold === 'one-more' ? 1 : 0) }] });
  if (r.cmd === 'batch') return out({ result: 'batch', answers: r.calls.flatMap((c) => Array(c.repeat ?? 1).fill({ result: 'returned', err: c.expect ?? 0, ...(c.op === 'JetDupCursor' || c.op === 'JetOpenTable' ? { out: { tableid: '0x40' } } : c.op === 'JetOpenDatabase' ? { out: { dbid: 1 } } : c.op === 'JetBeginSession' ? { out: { sesid: '0x30' } } : {}) })) });
  if (r.cmd === 'shutdown') { out({ result: 'ok' }); process.exit(0); }
  out(r.cmd === 'reset' ? { result: 'ok' } : { result: 'returned', err: 0 });
});`;
}

async function chainLines(features: string[], calls: readonly ChainCall[]): Promise<{ lines: { calls: BatchCall[] }[]; results: number }> {
  const impl = (await openProcessImplementation({ command: [process.execPath, '-e', recorder(features)], timeoutMs: 5_000 })) as ProcessImplementation;
  assert.ok(!('error' in impl) && impl.callChain !== undefined);
  let results: number;
  try {
    assert.equal((await impl.reset()).kind, 'ok');
    results = (await impl.callChain(calls)).length;
  } finally {
    await impl.close();
  }
  const raw = (impl.stderrTail() ?? '').split('\n').filter((l) => l !== '');
  return { lines: raw.map((l) => JSON.parse(l) as { calls: BatchCall[] }), results };
}

test('adapter: folds a chain only for an implementation that accepts repeat, and the calls are the same either way', async () => {
  // Small enough for the 4 KiB stderr tail written out.
  const probe = cursorProbe(5);
  const calls: ChainCall[] = probe.map((c) => ({ thread: 't1', op: c.op as ChainCall['op'], args: c.args, ...(c.expect === undefined ? {} : { expect: c.expect }) }));
  const folding = await chainLines(['batch', 'chain', 'expect-out', 'repeat'], calls);
  const plain = await chainLines(['batch', 'chain', 'expect-out'], calls);
  assert.equal(folding.results, calls.length);
  assert.equal(plain.results, calls.length);
  assert.equal(folding.lines.length, 1);
  assert.equal(plain.lines.length, 1);
  assert.deepEqual(plain.lines[0].calls, probe);
  assert.ok(plain.lines[0].calls.every((c) => c.repeat === undefined));
  assert.deepEqual(folding.lines[0].calls, foldRepeats(probe));
  assert.deepEqual(unfoldRepeats(folding.lines[0].calls), probe);
});

test('adapter: folded answers are read one per call, only from an implementation that listed repeat, and never more than the calls', async () => {
  const closes = (fold: 'equal' | 'one-more', features: string[]) =>
    (async () => {
      const impl = (await openProcessImplementation({ command: [process.execPath, '-e', recorder(features, fold)], timeoutMs: 5_000 })) as ProcessImplementation;
      assert.ok(!('error' in impl) && impl.callBatch !== undefined);
      try {
        assert.equal((await impl.reset()).kind, 'ok');
        return await impl.callBatch('t1', [1, 2, 3].map((t) => ({ op: 'JetCloseTable' as const, args: { sesid: '0x30', tableid: `0x4${t}` } })), false);
      } finally {
        await impl.close();
      }
    })();
  const read = await closes('equal', ['batch', 'repeat']);
  assert.deepEqual(read, [1, 2, 3].map(() => ({ kind: 'returned', err: 0, out: {} })));
  const unlisted = await closes('equal', ['batch']);
  assert.equal(unlisted.length, 1);
  assert.equal(unlisted[0].kind, 'protocol-error');
  assert.match((unlisted[0] as { reason: string }).reason, /repeat, which the implementation did not list/);
  const over = await closes('one-more', ['batch', 'repeat']);
  assert.equal(over[0].kind, 'protocol-error');
  assert.match((over[0] as { reason: string }).reason, /more answers than its 3 calls/);
});
