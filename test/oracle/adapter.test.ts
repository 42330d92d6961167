/**
 * The reference adapter: declared info, handle strings and forged handles, results as data (a
 * crash never rejects), holds, and a JetTerm2 promise that resolves only after the release.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createReferenceImplementation, referenceAdapterFactory } from '../../adapters/reference';
import type { CallResult, Implementation } from '../../adapters/types';
import { capabilities } from '../../adapters/types';
import { JET_bits as B, JET_constants as K, JET_errors as E } from '../../oracle';

function returned(r: CallResult): { err: number; out?: Record<string, unknown> } {
  assert.equal(r.kind, 'returned', JSON.stringify(r));
  return r;
}

async function started(impl: Implementation): Promise<{ instance: string; sesid: string }> {
  const instance = returned(await impl.call('t1', 'JetCreateInstance', { name: 'i1' })).out?.instance as string;
  assert.equal(returned(await impl.call('t1', 'JetInit', { instance })).err, 0);
  const sesid = returned(await impl.call('t1', 'JetBeginSession', { instance, username: '', password: '' })).out?.sesid as string;
  return { instance, sesid };
}

test('info: name, version from package.json, target, pointer width 64, every capability', async () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
  const impl = createReferenceImplementation();
  assert.deepEqual(impl.info, { name: 'ese-conformance reference engine', version: pkg.version, target: 'current', pointerWidth: 64, capabilities: [...capabilities] });
  assert.equal(createReferenceImplementation({ target: 'windows-xp' }).info.target, 'windows-xp');
  const opened = await referenceAdapterFactory.open({ target: 'windows-2000' });
  assert.ok('info' in opened);
  assert.equal(opened.info.target, 'windows-2000');
  assert.equal(referenceAdapterFactory.name, 'reference');
});

test('handles are 0x-hex strings; forged and unparsable handles answer as ESENT does', async () => {
  const impl = createReferenceImplementation();
  const { instance, sesid } = await started(impl);
  assert.match(instance, /^0x[0-9a-f]+$/);
  assert.match(sesid, /^0x[0-9a-f]+$/);
  for (const bad of [{ forged: 'nil' as const }, { forged: 'zero' as const }, { forged: 'never-issued' as const }, 'garbage', instance]) {
    const r = returned(await impl.call('t1', 'JetEndSession', { sesid: bad, grbit: 0 }));
    assert.equal(r.err, E.JET_errInvalidSesid, JSON.stringify(bad));
    assert.equal(r.out, undefined, 'no out-values on failure');
  }
  assert.equal(returned(await impl.call('t1', 'JetBeginSession', { instance: 'garbage', username: '', password: '' })).err, E.JET_errInvalidInstance);
  assert.equal(returned(await impl.call('t1', 'JetBeginSession', { instance: { forged: 'nil' }, username: '', password: '' })).err, E.JET_errInvalidParameter);
  assert.equal(returned(await impl.call('t1', 'JetEndSession', { sesid, grbit: 0 })).err, 0);
});

test('warnings carry out-values: a NULL column is +1004 with value null', async () => {
  const impl = createReferenceImplementation();
  const { sesid } = await started(impl);
  const temp = returned(await impl.call('t1', 'JetOpenTempTable', { sesid, columns: [{ coltyp: K.JET_coltypLong, grbit: 0 }], grbit: 0 }));
  const tableid = temp.out?.tableid as string;
  assert.deepEqual(temp.out?.columnids, [1]);
  await impl.call('t1', 'JetPrepareUpdate', { sesid, tableid, prep: K.JET_prepInsert });
  await impl.call('t1', 'JetUpdate', { sesid, tableid });
  await impl.call('t1', 'JetMove', { sesid, tableid, cRow: K.JET_MoveFirst, grbit: 0 });
  assert.deepEqual(returned(await impl.call('t1', 'JetRetrieveColumn', { sesid, tableid, columnid: 1 })), { kind: 'returned', err: E.JET_wrnColumnNull, out: { value: null } });
});

test('an engine exception becomes a crash fault; promises never reject', async () => {
  const impl = createReferenceImplementation();
  const r = await impl.release?.('12345');
  assert.equal(r?.kind, 'crash');
  const { sesid } = await started(impl);
  const bad = await impl.call('t1', 'JetOpenTempTable', { sesid, columns: null as never, grbit: 0 });
  assert.equal(bad.kind, 'crash', 'the engine reads the columns of the body and throws');
  assert.match(bad.kind === 'crash' ? bad.reason : '', /^reference engine threw: /);
});

test('JetTerm2 waiting on a held call resolves only after the release (ES-TERM-IN-PROGRESS through the adapter)', async () => {
  const impl = createReferenceImplementation();
  const { instance, sesid } = await started(impl);
  const busy = returned(await impl.call('t1', 'JetBeginSession', { instance, username: '', password: '' })).out?.sesid as string;
  assert.equal(returned(await impl.call('t1', 'JetBeginTransaction', { sesid })).err, 0);
  const held = await impl.hold?.('t3', { op: 'JetBeginTransaction', args: { sesid: busy } });
  assert.equal(held?.kind, 'held');
  const events: string[] = [];
  const term = impl.call('t2', 'JetTerm2', { instance, grbit: B.JET_bitTermComplete }).then((r) => {
    events.push('term');
    return r;
  });
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual([...events], [], 'still waiting');
  assert.equal(returned(await impl.call('t1', 'JetEndSession', { sesid, grbit: 0 })).err, E.JET_errTermInProgress);
  const released = await impl.release?.((held as { hold: string }).hold);
  events.push('released');
  assert.equal(returned(released as CallResult).err, 0);
  assert.equal(returned(await term).err, E.JET_errTooManyActiveUsers);
  assert.deepEqual(events, ['term', 'released']);
  assert.equal(returned(await impl.call('t1', 'JetEndSession', { sesid, grbit: 0 })).err, 0);
});

test('hold: calls that do not enter through a session are unsupported; failing entry checks return at once', async () => {
  const impl = createReferenceImplementation();
  const { instance } = await started(impl);
  assert.equal((await impl.hold?.('t1', { op: 'JetTerm', args: { instance } }))?.kind, 'unsupported');
  const r = await impl.hold?.('t1', { op: 'JetEndSession', args: { sesid: { forged: 'nil' }, grbit: 0 } });
  assert.deepEqual(r, { kind: 'returned', err: E.JET_errInvalidSesid });
});

test('reset: a fresh process state; a waiting JetTerm is answered with a fault; injections reported as ok', async () => {
  const impl = createReferenceImplementation();
  const { instance, sesid } = await started(impl);
  assert.deepEqual(await impl.injectFault?.({ step: 'close-sort', err: E.JET_errOutOfMemory, times: 1 }), { kind: 'ok' });
  assert.deepEqual(await impl.forceInstanceState?.(instance, { state: 'restore-in-progress' }), { kind: 'ok' });
  assert.equal((await impl.forceInstanceState?.('garbage', { state: 'normal' }))?.kind, 'unsupported');
  assert.deepEqual(await impl.forceInstanceState?.(instance, { state: 'normal' }), { kind: 'ok' });
  const held = await impl.hold?.('t3', { op: 'JetBeginTransaction', args: { sesid } });
  assert.equal(held?.kind, 'held');
  const term = impl.call('t2', 'JetTerm', { instance });
  assert.deepEqual(await impl.reset(), { kind: 'ok' });
  assert.equal((await term).kind, 'crash');
  assert.equal(returned(await impl.call('t1', 'JetBeginSession', { instance, username: '', password: '' })).err, E.JET_errInvalidInstance);
  await impl.close();
});
