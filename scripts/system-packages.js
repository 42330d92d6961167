// The system programs `npm test` uses beyond Node: headless Chromium (the report pages), Wine and
// mingw-w64 (the native bridge), Python 3 (the example implementation), gcc (the bridge's native
// sanitizer build). README.md "Quick start" lists the same packages.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

/** [program (on PATH, or an absolute path), Debian package] */
const needs = [
  ['chromium', 'chromium'],
  ['wine', 'wine'],
  ['/usr/lib/wine/wine64', 'wine64'],
  ['x86_64-w64-mingw32-gcc', 'gcc-mingw-w64-x86-64'],
  ['python3', 'python3'],
  ['gcc', 'gcc'],
];

function onPath(program) {
  if (path.isAbsolute(program)) return fs.existsSync(program);
  return (process.env.PATH || '').split(path.delimiter).some((dir) => dir !== '' && fs.existsSync(path.join(dir, program)));
}

/** Debian packages whose program is missing (CHROMIUM=/path counts for chromium). */
function missingPackages() {
  return needs.filter(([program]) => !(program === 'chromium' && process.env.CHROMIUM ? fs.existsSync(process.env.CHROMIUM) : onPath(program))).map(([, pkg]) => pkg);
}

/**
 * Installs the missing packages with apt-get when running as root on a machine that has it;
 * otherwise returns the one line naming the command to run. Returns undefined when all is there.
 */
function ensureSystemPackages(log) {
  const missing = missingPackages();
  if (missing.length === 0) return undefined;
  const command = `apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root || !onPath('apt-get') || process.env.ESE_NO_APT === '1') {
    return `npm test needs ${missing.join(', ')}: run \`sudo apt-get update && sudo ${command}\` (Debian/Ubuntu; or install them your way) and run npm test again`;
  }
  log(`installing the system packages the tests use: ${missing.join(' ')} (apt-get; set ESE_NO_APT=1 to skip)\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'], env, timeout: 600_000 });
  const install = update.status === 0 ? spawnSync('sh', ['-c', `${command} -qq`], { stdio: ['ignore', 'ignore', 'inherit'], env, timeout: 1_800_000 }) : update;
  const still = missingPackages();
  if (install.status !== 0 || still.length > 0) return `npm test needs ${still.join(', ') || missing.join(', ')}: \`apt-get ${update.status === 0 ? 'install' : 'update'}\` failed; run \`${command}\` and run npm test again`;
  return undefined;
}

module.exports = { ensureSystemPackages, missingPackages, needs };
