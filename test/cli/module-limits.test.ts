/**
 * --timeout-ms for an adapter module (cli/module-limits.ts): a call whose promise never settles is a
 * TIMEOUT after the limit (it waited for cucumber's step limit, ~21 min, and then read as FAIL); a
 * call made while another is held in flight may wait for it, and its limit starts at the release.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { CallResult, Implementation } from '../../adapters/types';
import { withCallLimit } from '../../cli/module-limits';

const never = <T>() => new Promise<T>(() => {});

function engine(): Implementation {
  return {
    info: { name: 'hangs', version: '1', target: 'current', pointerWidth: 64, capabilities: ['threads', 'in-flight'] },
    reset: () => Promise.resolve({ kind: 'ok' }),
    call: (_t, op) => (op === 'JetEndSession' || op === 'JetTerm2' ? never() : Promise.resolve({ kind: 'returned', err: 0, out: {} } as CallResult<never>)),
    hold: () => Promise.resolve({ kind: 'held', hold: 'h1' }),
    release: () => Promise.resolve({ kind: 'returned', err: 0 }),
    close: () => Promise.resolve(),
  };
}

test('a call that never settles is a TIMEOUT after --timeout-ms, naming the call; others answer as they do', async () => {
  const impl = withCallLimit(engine(), 50);
  assert.equal(impl.callTimeoutMs, 50);
  assert.deepEqual(await impl.call('t1', 'JetBeginTransaction', { sesid: '0x1' }), { kind: 'returned', err: 0, out: {} });
  const r = await impl.call('t1', 'JetEndSession', { sesid: '0x1', grbit: 0 });
  assert.equal(r.kind, 'timeout');
  assert.match((r as { reason: string }).reason, /^JetEndSession on t1: no answer within 50 ms \(--timeout-ms/);
});

test('while a call is held, a waiting call has no limit until the release', async () => {
  const impl = withCallLimit(engine(), 50);
  assert.equal((await impl.hold?.('t2', { op: 'JetRollback', args: { sesid: '0x1', grbit: 0 } }))?.kind, 'held');
  let settled: CallResult | undefined;
  const term = impl.call('t1', 'JetTerm2', { instance: '0x2', grbit: 1 }).then((r) => (settled = r));
  await new Promise((r) => setTimeout(r, 150));
  assert.equal(settled, undefined, 'no TIMEOUT while the hold is in place');
  await impl.release?.('h1');
  assert.equal((await term).kind, 'timeout');
});
