/**
 * The native bridge (bridge/win32) end to end under Wine: against the test double
 * (bridge/testdouble, a tiny esent.dll with deterministic behaviour) for marshaling of handles,
 * threads, codes, values and exceptions; against Wine's own esent.dll for what a real run meets.
 * Builds the bridge if needed; needs the Debian packages wine, wine64 and gcc-mingw-w64-x86-64.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../cli/main';
import { BridgeClient, type Answer } from './helpers/client';
import { buildBridge, freshPrefix, repo, run, type BridgeBuild, type WinePrefix } from './helpers/wine';

let build: BridgeBuild;
let wine: WinePrefix;

/** No test may hang: each is bounded (a bridge start is well under a second once the prefix exists). */
const bounded = { timeout: 60_000 };

before(
  async () => {
    build = buildBridge();
    wine = await freshPrefix();
    process.stderr.write(`# bridge tests: Wine prefix created in ${wine.createdMs} ms\n`);
  },
  { timeout: 240_000 },
);

after(async () => {
  await wine?.dispose();
}, bounded);

/** Starts a bridge, handshakes, and runs body; always ends the process. */
async function withBridge(exe: string, body: (c: BridgeClient, hello: Answer) => Promise<void>, args: readonly string[] = []): Promise<void> {
  const c = new BridgeClient(exe, args, wine.env);
  try {
    const hello = await c.hello();
    assert.equal(hello.result, 'hello', JSON.stringify(hello));
    await body(c, hello);
    assert.deepEqual(c.problems, [], 'every answer line is valid JSON, matches the schema and answers a pending id');
  } finally {
    c.kill();
    await c.waitExit(5000);
  }
}

const bigint = (handle: unknown): bigint => {
  assert.equal(typeof handle, 'string');
  assert.match(handle as string, /^0x[0-9a-f]+$/);
  return BigInt(handle as string);
};

/** The OS thread id the test double encodes in a sesid (bits 24-55). */
const threadOf = (sesid: unknown): bigint => (bigint(sesid) >> 24n) & 0xffffffffn;

/** Creates and initializes an instance of the double; gives its handle. */
async function initInstance(c: BridgeClient, thread = 't1'): Promise<string> {
  const created = await c.returned(thread, 'JetCreateInstance', { name: 'inst' });
  assert.equal(created.err, 0);
  const instance = created.out.instance as string;
  // The double's JetInit gives 0 only when the bridge set the system, log and temp paths of this
  // exact handle to one existing folder: the handle survived the round trip bit for bit.
  assert.equal((await c.returned(thread, 'JetInit', { instance })).err, 0);
  return instance;
}

describe('the bridge JSON reader/writer', () => {
  it('passes its unit test under Wine (json_test.exe)', bounded, async () => {
    const r = await run('wine', [build.jsonTest], { env: wine.env, timeoutMs: 30_000 });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /json: \d+ passed, 0 failed/);
  });

  const hostGcc = spawnSync('sh', ['-c', 'command -v gcc'], { stdio: 'ignore', timeout: 5000 }).status === 0;
  it('passes the same test natively with AddressSanitizer and UBSan', { ...bounded, skip: hostGcc ? false : 'no host gcc' }, async () => {
    const exe = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ese-json-')), 'json_test');
    const src = path.join(repo, 'bridge', 'win32');
    const cc = await run(
      'gcc',
      ['-std=c11', '-Wall', '-Wextra', '-Werror', '-g', '-fsanitize=address,undefined', '-fno-sanitize-recover=all', '-o', exe, path.join(src, 'json.c'), path.join(src, 'json_test.c'), '-lm'],
      { timeoutMs: 60_000 },
    );
    assert.equal(cc.code, 0, cc.stderr);
    const r = await run(exe, [], { timeoutMs: 30_000 });
    fs.rmSync(path.dirname(exe), { recursive: true, force: true });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /json: \d+ passed, 0 failed/);
  });
});

describe('bridge/build.sh', () => {
  it('names the Debian package when the compiler is missing: one line, exit 2', bounded, async () => {
    const r = await run('bash', [path.join(repo, 'bridge', 'build.sh'), path.join(os.tmpdir(), 'ese-never-built')], {
      env: { ...process.env, CC: 'x86_64-w64-mingw32-gcc-missing' },
      timeoutMs: 20_000,
    });
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'bridge/build.sh: x86_64-w64-mingw32-gcc-missing not found: install the Debian package gcc-mingw-w64-x86-64\n');
  });
});

describe('the bridge with the test double esent.dll', () => {
  it('handshakes honestly: threads and in-flight (holds through a JET callback), 64-bit, the DLL next to it', bounded, async () => {
    const c = new BridgeClient(build.doubleExe, [], wine.env);
    try {
      const h = await c.hello();
      assert.equal(h.result, 'hello');
      assert.equal(h.protocol, 1);
      assert.deepEqual(h.capabilities, ['threads', 'in-flight']);
      assert.equal(h.pointerWidth, 64);
      assert.equal(h.target, 'current');
      assert.equal((h.implementation as { name: string }).name, 'esent.dll');
      assert.match((h.implementation as { version: string }).version, /Wine \d/);
      // Loaded from the bridge's own folder, not Wine's system32.
      assert.match(h['x-dll'] as string, /testdouble\\esent\.dll$/i);
      const wrong = await c.request({ cmd: 'hello', protocol: 2, suite: { name: 's', version: '0' }, timeoutMs: 1000, maxLineBytes: 1048576 });
      assert.equal(wrong.result, 'error');
      assert.equal(wrong.error, 'unsupported-protocol');
      assert.deepEqual(c.problems, []);
    } finally {
      c.kill();
      await c.waitExit(5000);
    }
  });

  it('declares fault-injection only when the DLL arms ESE test injection; a retail DLL refuses inject-fault', bounded, () =>
    withBridge(build.doubleExe, async (c, hello) => {
      // The double's JetTestHook answers -2502 (TestInjectionNotSupported) unless told otherwise, as a retail ESE.
      assert.deepEqual(hello.capabilities, ['threads', 'in-flight']);
      const r = await c.request({ cmd: 'inject-fault', step: 'undo', err: -1011, times: 1 });
      assert.equal(r.result, 'unsupported');
    }));

  it('arms an undo fault for JetEndSession only, until an end returns its error; refuses what it cannot place', bounded, async () => {
    // ESE_DOUBLE_TEST_INJECTION=1: the double's JetTestHook keeps the armed shot and its JetEndSession
    // spends it where it would end the session (bridge/testdouble/esent.c).
    const c = new BridgeClient(build.doubleExe, [], { ...wine.env, ESE_DOUBLE_TEST_INJECTION: '1' });
    try {
      const hello = await c.hello();
      assert.deepEqual(hello.capabilities, ['threads', 'in-flight', 'fault-injection']);
      assert.equal((await c.request({ cmd: 'reset' })).result, 'ok');
      const instance = await initInstance(c);
      const begin = async (): Promise<string> => (await c.returned('t1', 'JetBeginSession', { instance, username: '', password: '' })).out.sesid as string;
      const s1 = await begin();
      const inject = (step: string, err: number, times: number) => c.request({ cmd: 'inject-fault', step, err, times });
      // The two close steps have no failure path in ESE; twice, or an error ESE retries on: refused.
      for (const [step, err, times, why] of [
        ['close-database', -1022, 1, /ErrDBCloseDatabase/],
        ['close-sort', -1011, 1, /ErrIsamSortClose/],
        ['undo', -1011, 2, /once only/],
        ['undo', -1017, 1, /retries/],
      ] as const) {
        const a = await inject(step, err, times);
        assert.equal(a.result, 'unsupported', `${step} ${err} ${times}`);
        assert.match(a.reason as string, why);
      }
      assert.equal((await inject('rollback', -1011, 1)).error, 'bad-request');
      assert.equal((await inject('undo', 5, 1)).error, 'bad-request');
      assert.equal((await inject('undo', -1011, 0)).error, 'bad-request');
      // Nothing was armed by the refusals: the end works.
      assert.equal((await c.returned('t1', 'JetEndSession', { sesid: s1, grbit: 0 })).err, 0);
      const s2 = await begin();
      assert.equal((await inject('undo', -1011, 1)).result, 'ok');
      // Not armed outside JetEndSession: the double would spend it on any end it reaches, so an end
      // refused first (another thread: -1910) leaves the fault pending for the next end.
      assert.equal((await c.returned('t2', 'JetEndSession', { sesid: s2, grbit: 0 })).err, -1910);
      assert.equal((await c.returned('t1', 'JetEndSession', { sesid: s2, grbit: 0 })).err, -1011);
      // Spent: the next end ends the session, and a reset drops a pending fault.
      assert.equal((await c.returned('t1', 'JetEndSession', { sesid: s2, grbit: 0 })).err, 0);
      await begin(); // left open with the fault pending: the reset drops both
      assert.equal((await inject('undo', -529, 1)).result, 'ok');
      assert.equal((await c.request({ cmd: 'reset' })).result, 'ok');
      const instance2 = await initInstance(c);
      const s4 = (await c.returned('t1', 'JetBeginSession', { instance: instance2, username: '', password: '' })).out.sesid;
      assert.equal((await c.returned('t1', 'JetEndSession', { sesid: s4, grbit: 0 })).err, 0);
      assert.deepEqual(c.problems, []);
    } finally {
      c.kill();
      await c.waitExit(5000);
    }
  });

  it('passes handles as exact 64-bit hex strings and maps the forged kinds', bounded, () =>
    withBridge(build.doubleExe, async (c) => {
      assert.equal((await c.request({ cmd: 'reset' })).result, 'ok');
      const instance = await initInstance(c);
      assert.ok(bigint(instance) > 2n ** 53n, 'a handle above 2^53 survives');
      const { err, out } = await c.returned('t1', 'JetBeginSession', { instance, username: '', password: '' });
      assert.equal(err, 0);
      const sesid = out.sesid as string;
      assert.ok(bigint(sesid) > 2n ** 63n);
      assert.equal((await c.returned('t1', 'JetEndSession', { sesid, grbit: 0 })).err, 0);
      assert.equal((await c.returned('t1', 'JetEndSession', { sesid, grbit: 0 })).err, -1104);
      // nil and zero are ~0 and 0 to the double; never-issued is readable memory (the double reads
      // a byte behind any handle it does not know, so a random value would crash here).
      for (const forged of ['nil', 'zero', 'never-issued']) {
        assert.equal((await c.returned('t1', 'JetEndSession', { sesid: { forged }, grbit: 0xffffffff })).err, -1104, forged);
      }
      const bad = await c.call('t1', 'JetEndSession', { sesid: 'not-a-handle', grbit: 0 });
      assert.equal(bad.result, 'error');
      assert.equal(bad.error, 'bad-request');
      const badKind = await c.call('t1', 'JetEndSession', { sesid: { forged: 'stale' }, grbit: 0 });
      assert.equal(badKind.error, 'bad-request');
      const badGrbit = await c.call('t1', 'JetEndSession', { sesid, grbit: 4294967296 });
      assert.equal(badGrbit.error, 'bad-request');
    }));

  it('maps each logical thread to one real OS thread', bounded, () =>
    withBridge(build.doubleExe, async (c) => {
      await c.request({ cmd: 'reset' });
      const instance = await initInstance(c);
      const begin = async (thread: string): Promise<string> =>
        (await c.returned(thread, 'JetBeginSession', { instance, username: '', password: '' })).out.sesid as string;
      const a1 = await begin('t1');
      const a2 = await begin('t1');
      const b1 = await begin('t2');
      assert.equal(threadOf(a1), threadOf(a2), 't1 is the same OS thread every time');
      assert.notEqual(threadOf(a1), threadOf(b1), 't1 and t2 are different OS threads');
      // The double's thread affinity: ending a session on another thread is -1910.
      assert.equal((await c.returned('t2', 'JetEndSession', { sesid: a1, grbit: 0 })).err, -1910);
      assert.equal((await c.returned('t1', 'JetEndSession', { sesid: a1, grbit: 0 })).err, 0);
      // Session context: set on t1 (-1 is all ones), busy for everyone, reset only by t1.
      assert.equal((await c.returned('t1', 'JetSetSessionContext', { sesid: a2, context: -1 })).err, 0);
      assert.equal((await c.returned('t1', 'JetSetSessionContext', { sesid: a2, context: 7 })).err, -1912);
      assert.equal((await c.returned('t1', 'JetEndSession', { sesid: a2, grbit: 0 })).err, -1914);
      assert.equal((await c.returned('t2', 'JetResetSessionContext', { sesid: a2 })).err, -1913);
      assert.equal((await c.returned('t1', 'JetResetSessionContext', { sesid: a2 })).err, 0);
      assert.equal((await c.returned('t1', 'JetEndSession', { sesid: a2, grbit: 0 })).err, 0);
      // After reset, names map to fresh threads.
      assert.equal((await c.request({ cmd: 'reset' })).result, 'ok');
      const instance2 = await initInstance(c);
      const a3 = (await c.returned('t1', 'JetBeginSession', { instance: instance2, username: '', password: '' })).out.sesid;
      assert.notEqual(threadOf(a3), threadOf(a1), 'a reset forgets the thread of t1');
    }));

  it('keeps answering other threads while a call is blocked inside the DLL', bounded, () =>
    withBridge(build.doubleExe, async (c) => {
      await c.request({ cmd: 'reset' });
      const instance = await initInstance(c);
      const s1 = (await c.returned('t1', 'JetBeginSession', { instance, username: '', password: '' })).out.sesid;
      const s2 = (await c.returned('t2', 'JetBeginSession', { instance, username: '', password: '' })).out.sesid;
      let t1Answered = false;
      // The double's JetBeginTransaction2 with 0x40000000 blocks until a JetCommitTransaction with
      // that grbit (at most 5 s, then -1003): it can return 0 only if the bridge read and ran t2's
      // call while t1 was blocked inside the DLL.
      const started = Date.now();
      const blocked = c.call('t1', 'JetBeginTransaction2', { sesid: s1, grbit: 0x40000000 }).then((a) => {
        t1Answered = true;
        return a;
      });
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(t1Answered, false, 't1 is blocked inside the DLL');
      const opener = await c.call('t2', 'JetCommitTransaction', { sesid: s2, grbit: 0x40000000 });
      assert.equal(opener.err, 0);
      const a1 = await blocked;
      assert.equal(a1.err, 0, 'the blocked call was released by t2, not timed out');
      assert.ok(Date.now() - started < 4000);
    }));

  it('answers an exception inside the DLL as crash with its code, and survives it', bounded, () =>
    withBridge(build.doubleExe, async (c) => {
      await c.request({ cmd: 'reset' });
      const av = await c.call('t1', 'JetCreateInstance', { name: 'raise-av' });
      assert.equal(av.result, 'crash');
      assert.equal(av.code, '0xc0000005');
      assert.match(av.message as string, /^access violation writing 0x10 at esent\.dll\+0x[0-9a-f]+$/);
      // Same thread, same process: still serving.
      assert.equal((await c.returned('t1', 'JetCreateInstance', { name: 'after' })).err, 0);
      const custom = await c.call('t1', 'JetCreateInstance', { name: 'raise-custom' });
      assert.equal(custom.code, '0xe0e5e001');
      const stub = await c.call('t2', 'JetCreateInstance', { name: 'raise-stub' });
      assert.equal(stub.code, '0x80000100');
      assert.match(stub.message as string, /^unimplemented function esent\.dll\.JetCreateInstanceA \(a Wine stub\) at /);
      const stop = await c.call('t2', 'JetStopService', {});
      assert.equal(stop.result, 'crash');
      assert.match(stop.message as string, /esent\.dll\.JetStopService \(a Wine stub\)/);
      assert.match(c.stderr, /ese-bridge: JetCreateInstance: exception 0xc0000005: access violation/, 'the exception is logged on stderr too');
      // The engine's state is unknown after an exception: reset asks for a restart.
      const r = await c.request({ cmd: 'reset' });
      assert.equal(r.result, 'error');
      assert.equal(r.error, 'reset-failed');
      assert.match(r.message as string, /exception/);
    }));

  it('answers unsupported for an export the DLL lacks', bounded, () =>
    withBridge(build.doubleExe, async (c) => {
      await c.request({ cmd: 'reset' });
      const a = await c.call('t1', 'JetStopServiceInstance2', { instance: { forged: 'zero' }, grbit: 0 });
      assert.equal(a.result, 'unsupported');
      assert.match(a.reason as string, /exports no JetStopServiceInstance2$/);
      assert.equal((await c.call('t1', 'JetCreateDatabase', { sesid: { forged: 'zero' }, filename: 'a.edb', grbit: 0 })).result, 'unsupported');
    }));

  it('holds a JetUpdate inside the DLL in its callback until release; refuses what no callback can hold', bounded, () =>
    withBridge(build.doubleExe, async (c) => {
      await c.request({ cmd: 'reset' });
      const instance = await initInstance(c);
      const sesid = (await c.returned('t1', 'JetBeginSession', { instance, username: '', password: '' })).out.sesid;
      const tableid = '0x7ab1e0000';
      const held = await c.request({ cmd: 'hold', thread: 't2', op: 'JetUpdate', args: { sesid, tableid } });
      assert.equal(held.result, 'held', JSON.stringify(held));
      // The double's JetUpdate is inside its callback: the session is in the API.
      assert.equal((await c.returned('t1', 'JetEndSession', { sesid, grbit: 0 })).err, -1910);
      assert.equal((await c.returned('t3', 'JetBeginSession', { instance, username: '', password: '' })).err, 0, 'other threads are served meanwhile');
      const released = await c.request({ cmd: 'release', hold: held.hold });
      assert.deepEqual([released.result, released.err], ['returned', 0]);
      assert.equal((await c.request({ cmd: 'release', hold: held.hold })).error, 'bad-request', 'a token is released once');
      assert.equal((await c.returned('t1', 'JetEndSession', { sesid, grbit: 0 })).err, 0, 'the callback was unregistered and the session left the API');
      // Returned before the callback: answered as a call.
      const s2 = (await c.returned('t1', 'JetBeginSession', { instance, username: '', password: '' })).out.sesid;
      const early = await c.request({ cmd: 'hold', thread: 't2', op: 'JetUpdate', args: { sesid: s2, tableid: '0x7ab1e0001' } });
      assert.deepEqual([early.result, early.err], ['returned', -1609]);
      // Registration refused: nothing called, unsupported with the code (the suite: NOT_APPLICABLE).
      const refused = await c.request({ cmd: 'hold', thread: 't2', op: 'JetUpdate', args: { sesid: s2, tableid: '0x0' } });
      assert.equal(refused.result, 'unsupported');
      assert.match(refused.reason as string, /JetRegisterCallback on this cursor gave -1003; nothing was called/);
      // Off the thread that set the session's context the registration is refused before any call:
      // ESE's ErrIsamRegisterCallback would leave a transaction level there (kind K, issue 13). The
      // double's JetRegisterCallback would answer -1003 to tableid 0x0: it is not reached.
      assert.equal((await c.returned('t1', 'JetSetSessionContext', { sesid: s2, context: 4660 })).err, 0);
      const offContext = await c.request({ cmd: 'hold', thread: 't2', op: 'JetUpdate', args: { sesid: s2, tableid: '0x0' } });
      assert.equal(offContext.result, 'unsupported');
      assert.match(offContext.reason as string, /other than the one that set the session's context .*; nothing was called/);
      const onContext = await c.request({ cmd: 'hold', thread: 't1', op: 'JetUpdate', args: { sesid: s2, tableid: '0x0' } });
      assert.match(onContext.reason as string, /JetRegisterCallback on this cursor gave -1003/, "the context's own thread registers");
      assert.equal((await c.returned('t1', 'JetResetSessionContext', { sesid: s2 })).err, 0);
      const reset = await c.request({ cmd: 'hold', thread: 't2', op: 'JetUpdate', args: { sesid: s2, tableid: '0x0' } });
      assert.match(reset.reason as string, /JetRegisterCallback on this cursor gave -1003/, 'no context once reset');
      const move = await c.request({ cmd: 'hold', thread: 't2', op: 'JetMove', args: { sesid: s2, tableid, cRow: 0, grbit: 0 } });
      assert.equal(move.result, 'unsupported');
      assert.match(move.reason as string, /cannot hold JetMove inside the engine/);
      // A hold never released is abandoned by reset: the call completes, nothing more is answered.
      const left = await c.request({ cmd: 'hold', thread: 't4', op: 'JetUpdate', args: { sesid: s2, tableid } });
      assert.equal(left.result, 'held');
      assert.equal((await c.request({ cmd: 'reset' })).result, 'ok');
    }));

  it('marshals column values: Long, Unicode text, NULL, zero-length, long text', bounded, () =>
    withBridge(build.doubleExe, async (c) => {
      await c.request({ cmd: 'reset' });
      const instance = await initInstance(c);
      const sesid = (await c.returned('t1', 'JetBeginSession', { instance, username: '', password: '' })).out.sesid;
      const tableid = '0x7ab1e0000';
      const long = await c.returned('t1', 'JetAddColumn', { sesid, tableid, column: 'n', coltyp: 4 });
      // The double refuses text columns that are not Unicode (cp 1200).
      const text = await c.returned('t1', 'JetAddColumn', { sesid, tableid, column: 't', coltyp: 10 });
      assert.deepEqual([long.err, long.out.columnid, text.err, text.out.columnid], [0, 1, 0, 128]);
      const roundTrip = async (columnid: number, value: number | string | null): Promise<unknown> => {
        assert.equal((await c.returned('t1', 'JetSetColumn', { sesid, tableid, columnid, value })).err, 0);
        const r = await c.returned('t1', 'JetRetrieveColumn', { sesid, tableid, columnid });
        return r.out.value;
      };
      assert.equal(await roundTrip(1, -2147483648), -2147483648);
      assert.equal(await roundTrip(1, null), null);
      for (const s of ['plain', 'h\u00e9llo \u20ac \u{1F600}', '', 'x'.repeat(300) + '\u00e9']) {
        assert.equal(await roundTrip(128, s), s);
      }
      const nullText = await c.returned('t1', 'JetSetColumn', { sesid, tableid, columnid: 128, value: null });
      assert.equal(nullText.err, 0);
      const r = await c.returned('t1', 'JetRetrieveColumn', { sesid, tableid, columnid: 128 });
      assert.deepEqual([r.err, r.out.value], [1004, null], 'JET_wrnColumnNull with value null');
      const temp = await c.returned('t1', 'JetOpenTempTable', {
        sesid,
        columns: [{ coltyp: 4, grbit: 0 }, { coltyp: 10, grbit: 0 }, { coltyp: 12, grbit: 1 }],
        grbit: 0,
      });
      assert.deepEqual(temp, { err: 0, out: { tableid: '0x7ab1e0000', columnids: [1, 129, 258] } });
      // Beyond 32 bits a value goes as 8 bytes and the engine answers (ESE: -1047 for a Long column);
      // beyond the protocol's +-2^53 it is a bad request.
      const wide = await c.call('t1', 'JetSetColumn', { sesid, tableid, columnid: 1, value: 2 ** 40 });
      assert.equal(wide.result, 'returned');
      const bad = await c.call('t1', 'JetSetColumn', { sesid, tableid, columnid: 1, value: 2 ** 60 });
      assert.equal(bad.error, 'bad-request');
    }));

  it('resets in process: instances terminated, fresh folder; restarts after a process-wide parameter', bounded, () =>
    withBridge(build.doubleExe, async (c) => {
      await c.request({ cmd: 'reset' });
      const instance = await initInstance(c);
      assert.equal((await c.request({ cmd: 'reset' })).result, 'ok');
      // The reset terminated it: the double no longer knows the handle.
      assert.equal((await c.returned('t1', 'JetBeginSession', { instance, username: '', password: '' })).err, -1003);
      // A new instance gets its files in the new scenario folder (JetInit checks it exists).
      await initInstance(c);
      assert.equal((await c.returned('t1', 'JetSetSystemParameter', { instance: null, sesid: null, paramid: 5, paramName: 'JET_paramMaxSessions', lParam: 16 })).err, 0);
      const r = await c.request({ cmd: 'reset' });
      assert.equal(r.error, 'reset-failed');
      assert.match(r.message as string, /process-wide/);
    }));

  it('answers malformed and unknown requests and survives bad lines', bounded, () =>
    withBridge(build.doubleExe, async (c) => {
      const op = await c.request({ cmd: 'call', thread: 't1', op: 'JetFrobnicate', args: {} });
      assert.deepEqual([op.result, op.error], ['error', 'unknown-operation']);
      const cmd = await c.request({ cmd: 'frobnicate' });
      assert.deepEqual([cmd.result, cmd.error], ['error', 'unknown-command']);
      const thread = await c.request({ cmd: 'call', thread: 'bad thread!', op: 'JetStopService', args: {} });
      assert.equal(thread.error, 'bad-request');
      const noArgs = await c.request({ cmd: 'call', thread: 't1', op: 'JetEndSession' });
      assert.equal(noArgs.error, 'bad-request');
      const hold = await c.request({ cmd: 'hold', thread: 't1', op: 'JetBeginTransaction', args: { sesid: { forged: 'zero' } } });
      assert.equal(hold.result, 'unsupported');
      const release = await c.request({ cmd: 'release', hold: 'h1' });
      assert.equal(release.error, 'bad-request');
      c.writeRaw('this is not JSON');
      c.writeRaw('{"cmd":"reset"}');
      c.writeRaw(`{"id":999999,"cmd":"reset","pad":"${'x'.repeat(2 * 1048576)}"}`);
      // Still reading, in order, after the lines it could not answer.
      assert.equal((await c.request({ cmd: 'reset' })).result, 'ok');
      assert.match(c.stderr, /not JSON/);
      assert.match(c.stderr, /without a positive integer id/);
      assert.match(c.stderr, /over 1048576 bytes/);
    }));

  it('shuts down cleanly: ok, then exit 0; end of input exits 0 too', bounded, async () => {
    const c = new BridgeClient(build.doubleExe, [], wine.env);
    await c.hello();
    await c.request({ cmd: 'reset' });
    await initInstance(c);
    assert.equal((await c.request({ cmd: 'shutdown' })).result, 'ok');
    assert.deepEqual(await c.waitExit(10_000), { code: 0, signal: null });
    const d = new BridgeClient(build.doubleExe, [], wine.env);
    await d.hello();
    d.closeInput();
    assert.deepEqual(await d.waitExit(10_000), { code: 0, signal: null });
  });

  it('refuses an unknown option with one line and exit 2', bounded, async () => {
    const r = await run('wine', [build.doubleExe, '--frobnicate'], { env: wine.env, timeoutMs: 20_000 });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /ese-bridge: unknown option '--frobnicate'; usage: ese-bridge\.exe/);
  });

  it('passes `ese-conformance smoke`', bounded, async () => {
    const lines: string[] = [];
    const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l), env: process.env, cwd: process.cwd() };
    // smoke starts its command with the suite's own environment: env(1) puts the test prefix in.
    const wineVars = ['WINEPREFIX', 'WINEDLLOVERRIDES', 'WINEDEBUG', 'WINEARCH'].map((k) => `${k}=${wine.env[k] ?? ''}`);
    const code = await main(['smoke', '--', 'env', ...wineVars, 'wine', build.doubleExe], io);
    assert.equal(code, 0, lines.join('\n'));
    assert.match(lines[lines.length - 1], /^smoke: all well/);
  });
});

describe("the bridge with Wine's own esent.dll", () => {
  it('reports each Jet call as crash 0x80000100 (an unimplemented Wine stub) and keeps serving', bounded, () =>
    withBridge(build.exe, async (c, h) => {
      assert.equal((h.implementation as { name: string }).name, 'Wine esent.dll');
      assert.match(h['x-dll'] as string, /system32\\esent\.dll$/i);
      await c.request({ cmd: 'reset' });
      for (const [thread, op, args] of [
        ['t1', 'JetCreateInstance', { name: 'i' }],
        ['t1', 'JetEndSession', { sesid: { forged: 'nil' }, grbit: 0 }],
        ['t2', 'JetBeginSession', { instance: { forged: 'zero' }, username: '', password: '' }],
      ] as const) {
        const a = await c.call(thread, op, args);
        assert.equal(a.result, 'crash', JSON.stringify(a));
        assert.equal(a.code, '0x80000100');
        assert.match(a.message as string, new RegExp(`^unimplemented function esent\\.dll\\.${op}A? \\(a Wine stub\\) at `));
      }
      // Wine's esent.dll has no JetStopServiceInstance2 export at all.
      assert.equal((await c.call('t1', 'JetStopServiceInstance2', { instance: { forged: 'zero' }, grbit: 0 })).result, 'unsupported');
      assert.equal((await c.request({ cmd: 'reset' })).error, 'reset-failed');
      assert.equal((await c.request({ cmd: 'shutdown' })).result, 'ok');
    }));
});
