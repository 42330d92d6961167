/**
 * bridge/build.sh (`npm run bridge:build`): its arguments, checked before anything is built. No
 * compiler or Wine is needed: CC names a compiler that does not exist, so a call that got past the
 * argument check would end at the compiler check instead (and say so), never build.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const script = path.resolve(__dirname, '..', '..', 'bridge', 'build.sh');

/** Runs the script in an empty folder, which must stay empty (no OUTDIR made from a flag). */
function run(args: string[]) {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'ese-bridge-args-'));
  try {
    const r = spawnSync('bash', [script, ...args], { cwd, encoding: 'utf8', timeout: 20_000, env: { ...process.env, CC: 'ese-no-such-compiler' } });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr, made: fs.readdirSync(cwd) };
  } finally {
    fs.rmSync(cwd, { recursive: true, force: true });
  }
}

describe('bridge/build.sh arguments', () => {
  for (const flag of ['--help', '-h']) {
    it(`${flag}: the usage on stdout, exit 0, nothing made`, () => {
      const r = run([flag]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, '');
      assert.match(r.stdout, /^ {2}bridge\/build\.sh \[OUTDIR\] /m);
      assert.match(r.stdout, /OUTDIR\/ese-bridge\.exe/);
      assert.match(r.stdout, /^CC overrides the compiler/m, 'the whole header, comment markers removed');
      assert.deepEqual(r.made, []);
    });
  }

  it('an unknown option: one line naming --help, exit 2, nothing made', () => {
    const r = run(['--frobnicate']);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, "bridge/build.sh: unknown option '--frobnicate' (usage: bridge/build.sh [OUTDIR] (default: reports/bridge); --help for more)\n");
    assert.deepEqual(r.made, []);
  });

  it('two operands: one line, exit 2', () => {
    const r = run(['out1', 'out2']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^bridge\/build\.sh: one OUTDIR at most, got 2 arguments \(usage: .*\)\n$/);
    assert.deepEqual(r.made, []);
  });

  it('an OUTDIR (also after --) gets past the argument check to the compiler check', () => {
    for (const args of [['out'], ['--', '-out']]) {
      const r = run(args);
      assert.equal(r.code, 2);
      assert.equal(r.stderr, 'bridge/build.sh: ese-no-such-compiler not found: install the Debian package gcc-mingw-w64-x86-64\n');
    }
  });
});
