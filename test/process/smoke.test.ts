/** `ese-conformance smoke`: exit 0 for a conforming server, 1 for a broken one, 2 for usage. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../cli/main';

const root = path.join(__dirname, '..', '..');
const fixtures = path.join(root, 'test', 'fixtures', 'hostile');

async function smoke(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['smoke', ...argv], { out: (l) => out.push(l), err: (l) => err.push(l), env: process.env, cwd: root });
  return { code, out, err };
}

const fixture = (name: string) => ['node', path.join(fixtures, `${name}.js`)];
const hasReference = fs.existsSync(path.join(root, 'adapters', 'reference', 'index.ts'));

test('smoke against serve-reference: all well, exit 0', { skip: !hasReference && 'adapters/reference is not there yet' }, async () => {
  // serve-reference starts through ts-node here, compiling as it loads: on a loaded machine its
  // handshake alone took over 5 s. The limit only bounds a hang; a correct server answers at once.
  const r = await smoke('--timeout-ms', '30000', '--', 'node', '--require', 'ts-node/register/transpile-only', path.join(root, 'cli', 'main.ts'), 'serve-reference');
  assert.deepEqual(r.out.filter((l) => l.startsWith('problem')), []);
  assert.equal(r.code, 0, r.out.join('\n'));
  assert.match(r.out[r.out.length - 1], /^smoke: all well \(14 checks\)$/);
});

test('smoke against a correct toy server: all well, exit 0', async () => {
  const r = await smoke('--timeout-ms', '2000', '--', ...fixture('toy'));
  assert.equal(r.code, 0, r.out.join('\n'));
  assert.equal(r.out.length, 15);
  assert.ok(r.out.slice(0, 14).every((l) => l.startsWith('ok: ')), r.out.join('\n'));
});

test('smoke against a server whose helper process holds the pipes: all well, without waiting for the pipes', async () => {
  const started = Date.now();
  const r = await smoke('--timeout-ms', '5000', '--', ...fixture('pipe-holder'));
  assert.equal(r.code, 0, r.out.join('\n'));
  assert.ok(Date.now() - started < 2500, `took ${Date.now() - started} ms`);
});

test('smoke against the broken servers: one line per problem, exit 1', async () => {
  const cases: [string, RegExp[]][] = [
    ['crash-first-call', [/^problem: JetCreateInstance: CRASH: .*exited with code 3 \(stderr: crash-first-call: fatal: dying in JetCreateInstance\)$/]],
    ['crash-mid-scenario', [/^problem: JetBeginSession: CRASH: .*signal SIGSEGV/]],
    ['never-answer', [/^problem: JetCreateInstance: TIMEOUT: .*no answer within 300 ms/]],
    ['garbage', [/^problem: JetCreateInstance: PROTOCOL_ERROR: .*not JSON/]],
    ['wrong-id', [/^problem: JetCreateInstance: PROTOCOL_ERROR: .*id \d+, which is not an unanswered request/]],
    ['huge-line', [/^problem: JetCreateInstance: PROTOCOL_ERROR: .*over 1048576 bytes/]],
    ['exit-handshake', [/^problem: handshake with .*got the process exited with code 1 \(stderr: exit-handshake: fatal: cannot load esent\.dll\)$/]],
    ['bad-out', [/^problem: JetBeginSession: PROTOCOL_ERROR: .*\/out\/sesid must be string/]],
    ['no-exit', [/^problem: shutdown: did not exit within 300 ms after shutdown; killed$/]],
    [
      'success-everything',
      [
        /^problem: JetEndSession of the ended session: expected JET_errInvalidSesid \(-1104\), got JET_errSuccess \(0\)$/,
        /^problem: JetEndSession on the forged nil sesid: expected JET_errInvalidSesid \(-1104\), got JET_errSuccess \(0\)$/,
        /^problem: JetEndSession on the forged zero sesid: /,
        /^problem: JetEndSession on the forged never-issued sesid: /,
        /^problem: an unknown operation \(JetFrobnicate\) gets the error answer unknown-operation: got returned with JET_errSuccess \(0\)$/,
      ],
    ],
  ];
  for (const [name, expected] of cases) {
    // Short only where a hang is the point: a slow start on a busy machine must not count.
    const r = await smoke('--timeout-ms', name === 'never-answer' || name === 'no-exit' ? '300' : '5000', '--', ...fixture(name));
    assert.equal(r.code, 1, `${name}:\n${r.out.join('\n')}`);
    const problems = r.out.filter((l) => l.startsWith('problem: '));
    assert.equal(problems.length, expected.length, `${name}:\n${r.out.join('\n')}`);
    expected.forEach((re, i) => assert.match(problems[i], re, name));
    assert.match(r.out[r.out.length - 1], /^smoke: \d+ problems?/);
  }
});

test('smoke usage errors: exit 2 with one line', async () => {
  for (const argv of [[], ['--timeout-ms', 'soon', '--', 'x'], ['--frob', '--', 'x'], ['--']]) {
    const r = await smoke(...argv);
    assert.equal(r.code, 2, JSON.stringify(argv));
    assert.equal(r.err.length, 1);
    assert.match(r.err[0], /^ese-conformance smoke: /);
  }
  const help = await smoke('--help');
  assert.equal(help.code, 0);
  assert.match(help.out[0], /^Usage: ese-conformance smoke/);
});

test('serve-reference usage errors: exit 2 with one line; --help exits 0', async () => {
  const err: string[] = [];
  const out: string[] = [];
  const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l), env: process.env, cwd: root };
  assert.equal(await main(['serve-reference', '--bogus'], io), 2);
  assert.equal(await main(['serve-reference', '--max-line-bytes', '12'], io), 2);
  assert.equal(err.length, 2);
  assert.match(err[0], /^ese-conformance serve-reference: unknown argument '--bogus'/);
  assert.equal(await main(['serve-reference', '--help'], io), 0);
  assert.match(out[0], /^Usage: ese-conformance serve-reference/);
});
