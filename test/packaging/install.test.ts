/**
 * The published shape: `npm pack`, install the tarball into an empty folder, and run the suite with
 * the installed command: compiled JavaScript only, no TypeScript tooling at run time.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.join(__dirname, '..', '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

test('npm install <tarball> in an empty folder, then `ese-conformance run` works', { timeout: 300_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ese-conformance-pack-'));
  try {
    const packed = execFileSync(npm, ['pack', '--silent', '--pack-destination', dir], { cwd: root, encoding: 'utf8', timeout: 180_000 })
      .trim()
      .split('\n')
      .pop()!;
    const tarball = path.join(dir, packed);
    assert.ok(fs.existsSync(tarball), `npm pack wrote no ${tarball}`);
    // npm pack ran the build (prepare): the checkout's own bin keeps its run bit (postbuild), so
    // `npx ese-conformance` works in it after a build, a pack or a second npm ci.
    assert.ok((fs.statSync(path.join(root, 'dist', 'cli', 'main.js')).mode & 0o111) !== 0, 'dist/cli/main.js is executable after the build');
    const app = path.join(dir, 'app');
    fs.mkdirSync(app);
    fs.writeFileSync(path.join(app, 'package.json'), '{"name":"app","version":"1.0.0","private":true}\n');
    execFileSync(npm, ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], { cwd: app, stdio: 'pipe', timeout: 240_000 });
    const installed = path.join(app, 'node_modules');
    assert.ok(!fs.existsSync(path.join(installed, 'typescript')), 'typescript must not be a run-time dependency');
    assert.ok(!fs.existsSync(path.join(installed, 'ts-node')), 'ts-node must not be a run-time dependency');
    const bin = path.join(installed, '.bin', 'ese-conformance');
    const version = spawnSync(bin, ['--version'], { cwd: app, encoding: 'utf8', timeout: 30_000 });
    assert.equal(version.status, 0, version.stderr);
    const run = spawnSync(bin, ['run', '--tier', 'esent', '--reports', 'minimal', '--report-dir', 'out'], { cwd: app, encoding: 'utf8', timeout: 120_000 });
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
    const matrix = JSON.parse(fs.readFileSync(path.join(app, 'out', 'matrix.json'), 'utf8')) as { scenarios: { status: string }[] };
    assert.ok(matrix.scenarios.length > 20);
    assert.ok(matrix.scenarios.every((s) => s.status === 'PASS'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
