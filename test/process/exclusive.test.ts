/**
 * The thread discipline of the process adapter (adapters/process/adapter.ts, exclusive): one request
 * at a time per logical thread, sent in the order the calls were made, each only once the one before
 * on its thread is answered; another thread is not held up. A slow 1.1 implementation logs what it
 * receives and answers to stderr, which the adapter keeps as the process's stderr tail.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openProcessImplementation, type ProcessImplementation } from '../../adapters/process/adapter';

const slow = `
const rl = require('readline').createInterface({ input: process.stdin });
rl.on('line', (line) => {
  const r = JSON.parse(line);
  const out = (a) => process.stdout.write(JSON.stringify({ id: r.id, ...a }) + '\\n');
  if (r.cmd === 'hello') return out({ result: 'hello', protocol: 1, minor: 1, features: ['batch', 'chain'], implementation: { name: 'slow', version: '1' }, target: 'current', pointerWidth: 64, capabilities: ['threads'] });
  if (r.cmd === 'shutdown') { out({ result: 'ok' }); process.exit(0); }
  if (r.cmd === 'reset') return out({ result: 'ok' });
  const what = r.cmd === 'batch' ? r.thread + ' chain' : r.thread + ' ' + r.args.context;
  process.stderr.write('got ' + what + '\\n');
  setTimeout(() => {
    process.stderr.write('answered ' + what + '\\n');
    out(r.cmd === 'batch' ? { result: 'batch', answers: r.calls.map(() => ({ result: 'returned', err: 0 })) } : { result: 'returned', err: 0 });
  }, 40);
});`;

test('one request at a time per thread, in the order made; another thread is not held up', async () => {
  const impl = (await openProcessImplementation({ command: [process.execPath, '-e', slow], timeoutMs: 5_000 })) as ProcessImplementation;
  assert.ok(!('error' in impl) && impl.callChain !== undefined);
  let codes: number[];
  try {
    assert.equal((await impl.reset()).kind, 'ok');
    const call = (thread: string, context: number) => impl.call(thread, 'JetSetSessionContext', { sesid: '0x1', context });
    const results = await Promise.all([
      call('t1', 1),
      call('t1', 2),
      call('t2', 3),
      impl.callChain([
        { thread: 't1', op: 'JetResetSessionContext', args: { sesid: '0x1' }, expect: 0 },
        { thread: 't2', op: 'JetResetSessionContext', args: { sesid: '0x2' }, expect: 0 },
      ]),
      call('t1', 4),
    ]);
    codes = results.flat().map((r) => (r.kind === 'returned' ? r.err : -9999));
  } finally {
    await impl.close();
  }
  assert.deepEqual(codes, [0, 0, 0, 0, 0, 0]);
  const log = (impl.stderrTail() ?? '').split('\n').filter((l) => l !== '');
  // Per thread, in the order made; the chain holds both of its threads.
  const threadsOf = (what: string) => (what.endsWith(' chain') ? ['t1', 't2'] : [what.split(' ')[0]]);
  const got = (t: string) => log.filter((l) => l.startsWith('got ') && threadsOf(l.slice(4)).includes(t)).map((l) => l.slice(4));
  assert.deepEqual(got('t1'), ['t1 1', 't1 2', 't1 chain', 't1 4']);
  assert.deepEqual(got('t2'), ['t2 3', 't1 chain']);
  // Never two requests at once on one thread.
  const open = new Map<string, string>();
  for (const l of log) {
    const [kind, ...rest] = l.split(' ');
    const what = rest.join(' ');
    for (const t of threadsOf(what)) {
      if (kind === 'got') {
        assert.equal(open.get(t), undefined, `${what} sent while ${open.get(t)} was unanswered on ${t}`);
        open.set(t, what);
      } else {
        assert.equal(open.get(t), what, l);
        open.delete(t);
      }
    }
  }
  // t2 is not held up by t1: its call went before t1's first answer.
  assert.ok(log.indexOf('got t2 3') < log.indexOf('answered t1 1'), log.join('; '));
  assert.equal(log.length, 10);
});
