/**
 * bridge/ese/build.sh (`npm run ese:build`) and bridge/ese/conformance.sh (`npm run conformance:ese`):
 * the argument and set-up errors, which need no ESE source. Each is exit 2 with one line on stderr;
 * nothing is built. (Building the engine needs a checkout of microsoft/Extensible-Storage-Engine and
 * is not part of `npm test`; see docs/implementations/ese.md.)
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const repo = path.resolve(__dirname, '..', '..');
const build = path.join(repo, 'bridge', 'ese', 'build.sh');
const conformance = path.join(repo, 'bridge', 'ese', 'conformance.sh');

function run(script: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync('bash', [script, ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function oneLine(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => l.trim() !== '');
  assert.equal(lines.length, 1, `one line on stderr, got:\n${stderr}`);
  return lines[0];
}

/** A directory that looks like an ESE checkout to the script's check (two marker files). */
function fakeCheckout(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ese-fake-src-'));
  fs.mkdirSync(path.join(dir, 'dev', 'ese', 'src', 'ese'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'dev', 'ese', 'published', 'inc'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'dev', 'ese', 'src', 'ese', 'jetapi.cxx'), '');
  fs.writeFileSync(path.join(dir, 'dev', 'ese', 'published', 'inc', 'jethdr.w'), '');
  return dir;
}

describe('ese:build argument and set-up errors', () => {
  it('without --source: exit 2, one line', () => {
    const r = run(build, []);
    assert.equal(r.code, 2);
    assert.match(oneLine(r.stderr), /^ese:build: --source DIR is required/);
  });

  it('a --source that does not exist: exit 2, one line naming it', () => {
    const r = run(build, ['--source', '/nonexistent/ese-src']);
    assert.equal(r.code, 2);
    assert.match(oneLine(r.stderr), /--source \/nonexistent\/ese-src: no such directory/);
  });

  it('a --source that is not an ESE checkout: exit 2, one line', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ese-not-src-'));
    try {
      const r = run(build, ['--source', dir]);
      assert.equal(r.code, 2);
      assert.match(oneLine(r.stderr), /not an ESE checkout \(no dev\/ese\/src\/ese\/jetapi\.cxx\)/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a --source inside this repository: exit 2 (the ESE source is never kept in the repo)', () => {
    const r = run(build, ['--source', repo]);
    assert.equal(r.code, 2);
    assert.match(oneLine(r.stderr), /not an ESE checkout|inside this repository/);
  });

  it('an unknown argument: exit 2, one line with the usage', () => {
    const r = run(build, ['--frobnicate']);
    assert.equal(r.code, 2);
    assert.match(oneLine(r.stderr), /unknown argument '--frobnicate' \(usage: --source DIR/);
  });

  it('--test-injection is an option of its own: parsed (then --source is asked for) and named in the usage', () => {
    const r = run(build, ['--test-injection']);
    assert.equal(r.code, 2);
    assert.match(oneLine(r.stderr), /^ese:build: --source DIR is required/);
    assert.match(run(build, ['--frobnicate']).stderr, /\[--test-injection\]\)/);
  });

  const missing: Array<[string, string, string]> = [
    ['ESE_TOOL_CLANGXX', 'clang++-19', 'clang-19'],
    ['ESE_TOOL_LLD', 'ld.lld-19', 'lld-19'],
    ['ESE_TOOL_WINDMC', 'x86_64-w64-mingw32-windmc', 'binutils-mingw-w64-x86-64'],
    ['ESE_TOOL_PERL', 'perl', 'perl'],
    ['ESE_TOOL_NINJA', 'ninja', 'ninja-build'],
  ];
  for (const [variable, tool, pkg] of missing) {
    it(`a missing ${tool}: exit 2, one line naming the Debian package ${pkg}`, () => {
      const src = fakeCheckout();
      const out = fs.mkdtempSync(path.join(os.tmpdir(), 'ese-out-'));
      try {
        const r = run(build, ['--source', src, '--out', out], { [variable]: `no-such-tool-${tool}` });
        assert.equal(r.code, 2);
        assert.equal(oneLine(r.stderr), `ese:build: no-such-tool-${tool} not found: install the Debian package ${pkg}`);
        assert.deepEqual(fs.readdirSync(out), [], 'nothing was written');
      } finally {
        fs.rmSync(src, { recursive: true, force: true });
        fs.rmSync(out, { recursive: true, force: true });
      }
    });
  }

  it('an unknown --flavour: exit 2, one line naming the two flavours; nothing is written', () => {
    const src = fakeCheckout();
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ese-out-')), 'out');
    try {
      const r = run(build, ['--source', src, '--out', out, '--flavour', 'esentx']);
      assert.equal(r.code, 2);
      assert.equal(oneLine(r.stderr), "ese:build: --flavour must be ese or esent, not 'esentx'");
      assert.equal(fs.existsSync(out), false, 'no output directory was made');
    } finally {
      fs.rmSync(src, { recursive: true, force: true });
      fs.rmSync(path.dirname(out), { recursive: true, force: true });
    }
  });

  it('--flavour without a value: exit 2, one line', () => {
    const r = run(build, ['--source', '/nonexistent/ese-src', '--flavour']);
    assert.equal(r.code, 2);
    assert.equal(oneLine(r.stderr), 'ese:build: --flavour needs ese or esent');
  });

  it('--help prints the usage and exits 0', () => {
    const r = run(build, ['--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /npm run ese:build -- --source DIR/);
  });
});

describe('conformance:ese argument errors', () => {
  it('without --source: exit 2, one line', () => {
    const r = run(conformance, []);
    assert.equal(r.code, 2);
    assert.match(oneLine(r.stderr), /^conformance:ese: --source DIR is required/);
  });

  it('an unknown --flavour: exit 2, one line, before anything is built', () => {
    const r = run(conformance, ['--source', '/nonexistent/ese-src', '--flavour', 'exchange']);
    assert.equal(r.code, 2);
    assert.equal(oneLine(r.stderr), "conformance:ese: --flavour must be ese or esent, not 'exchange'");
  });
});
