/**
 * `npm test` on a fresh machine: the system programs it needs are installed when it runs as root
 * with apt-get, and otherwise named in one line with the command to run; README.md lists the same
 * packages.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const root = path.resolve(__dirname, '..', '..');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS script without types
const packages = require(path.join(root, 'scripts', 'system-packages.js')) as {
  needs: [string, string][];
  missingPackages(): string[];
};

describe('the system packages of npm test', () => {
  it('are all present on this machine (npm test installed them, or they were there)', () => {
    assert.deepEqual(packages.missingPackages(), []);
  });

  it('are named, with the command to run, when they cannot be installed', () => {
    // A PATH holding node alone: nothing else is found; ESE_NO_APT=1: as where apt-get cannot be used.
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'ese-path-'));
    fs.symlinkSync(process.execPath, path.join(bin, 'node'));
    const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'test.js')], {
      cwd: root,
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...process.env, PATH: bin, ESE_NO_APT: '1', CHROMIUM: '' },
    });
    fs.rmSync(bin, { recursive: true, force: true });
    assert.equal(r.status, 1);
    const lines = r.stdout.trim().split('\n');
    assert.deepEqual(lines.slice(-1), ['0 passed, 1 failed']);
    assert.match(lines[0], /^npm test needs chromium, wine, (wine64, )?gcc-mingw-w64-x86-64, python3, gcc: run `sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium wine .*gcc` \(Debian\/Ubuntu/);
  });

  it('are listed in README.md', () => {
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    for (const [, pkg] of packages.needs) assert.ok(readme.includes(pkg), `README.md names ${pkg}`);
  });
});
