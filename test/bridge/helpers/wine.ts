/**
 * Wine and the bridge build for the bridge tests: the tools (or one line naming the Debian package
 * that provides a missing one), a bridge build cached by source hash, a fresh WINEPREFIX in a temp
 * dir with a persistent wineserver (a bridge start then takes well under a second), and bounded
 * process runs.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const repo = path.resolve(__dirname, '..', '..', '..');
const bridgeDir = path.join(repo, 'bridge');

/** Tool → the Debian package that provides it. */
const tools: Record<string, string> = {
  wine: 'wine (and wine64)',
  wineserver: 'wine',
  'x86_64-w64-mingw32-gcc': 'gcc-mingw-w64-x86-64',
};

function onPath(tool: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore', timeout: 5000 }).status === 0;
}

/** Throws one line naming the Debian package when a tool is missing. */
export function requireTools(): void {
  for (const [tool, pkg] of Object.entries(tools)) {
    if (!onPath(tool)) throw new Error(`${tool} not found: install the Debian package ${pkg}`);
  }
}

export interface BridgeBuild {
  readonly dir: string;
  /** The bridge next to no esent.dll: loads Wine's own. */
  readonly exe: string;
  /** The bridge next to the test double's esent.dll. */
  readonly doubleExe: string;
  readonly jsonTest: string;
}

function sourceHash(): string {
  const h = crypto.createHash('sha256');
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(c|h|def|sh)$/.test(e.name)) h.update(path.relative(bridgeDir, p)).update(fs.readFileSync(p));
    }
  };
  walk(bridgeDir);
  return h.digest('hex').slice(0, 16);
}

/** Builds the bridge with bridge/build.sh unless a build of the same sources is cached. */
export function buildBridge(): BridgeBuild {
  requireTools();
  const dir = path.join(os.tmpdir(), `ese-conformance-bridge-${sourceHash()}`);
  const result: BridgeBuild = {
    dir,
    exe: path.join(dir, 'ese-bridge.exe'),
    doubleExe: path.join(dir, 'testdouble', 'ese-bridge.exe'),
    jsonTest: path.join(dir, 'json_test.exe'),
  };
  if (fs.existsSync(result.doubleExe) && fs.existsSync(result.jsonTest)) return result;
  const staging = `${dir}.tmp-${process.pid}`;
  const r = spawnSync('bash', [path.join(bridgeDir, 'build.sh'), staging], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) {
    fs.rmSync(staging, { recursive: true, force: true });
    const detail = (r.stderr || r.error?.message || `exit ${r.status}`).trim().split('\n').slice(-3).join(' | ');
    throw new Error(`bridge/build.sh failed: ${detail}`);
  }
  try {
    fs.renameSync(staging, dir);
  } catch {
    fs.rmSync(staging, { recursive: true, force: true }); // another process built it first
  }
  // Builds of older sources are of no further use.
  for (const name of fs.readdirSync(os.tmpdir())) {
    if (/^ese-conformance-bridge-[0-9a-f]{16}$/.test(name) && path.join(os.tmpdir(), name) !== dir) {
      fs.rmSync(path.join(os.tmpdir(), name), { recursive: true, force: true });
    }
  }
  return result;
}

export interface WinePrefix {
  readonly prefix: string;
  readonly env: NodeJS.ProcessEnv;
  /** Milliseconds the first start took (prefix creation included). */
  readonly createdMs: number;
  dispose(): Promise<void>;
}

/**
 * A fresh prefix in a temp dir. winedbg is disabled (it would write to stdout), so are the Mono
 * and Gecko installers (a prefix is created without them); WINEDEBUG=-all keeps stderr to what
 * matters. The prefix is created by a first `wineboot` and a persistent wineserver is left
 * running in it until dispose().
 */
export async function freshPrefix(): Promise<WinePrefix> {
  const prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'ese-wine-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    WINEPREFIX: prefix,
    WINEDLLOVERRIDES: 'winedbg.exe=d;mscoree,mshtml=',
    WINEDEBUG: '-all',
    WINEARCH: 'win64',
    DISPLAY: '',
  };
  const start = Date.now();
  // First a persistent server (-p), with no pipes of ours: a server started implicitly by a wine
  // process would inherit that process's stdout and keep it open after the process exits.
  const server = await run('wineserver', ['-p'], { env, timeoutMs: 10_000, stdio: 'ignore' });
  if (server.code !== 0) throw new Error(`wineserver -p failed: exit ${server.code}`);
  const boot = await run('wineboot', ['-i'], { env, timeoutMs: 150_000 });
  if (boot.code !== 0) throw new Error(`wineboot -i failed in ${prefix}: exit ${boot.code} ${boot.stderr.trim().split('\n').pop() ?? ''}`);
  const createdMs = Date.now() - start;
  return {
    prefix,
    env,
    createdMs,
    async dispose() {
      await run('wineserver', ['-k'], { env, timeoutMs: 10_000, stdio: 'ignore' });
      await run('wineserver', ['-w'], { env, timeoutMs: 10_000, stdio: 'ignore' });
      fs.rmSync(prefix, { recursive: true, force: true });
    },
  };
}

export interface RunResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
}

/**
 * Runs a program to its end, killed after timeoutMs. Ends at the program's exit (plus a moment for
 * its last output), not when its pipes close: Wine's helper processes may inherit and hold them.
 */
export function run(
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; timeoutMs: number; input?: string; cwd?: string; stdio?: 'ignore' },
): Promise<RunResult> {
  return new Promise((resolve) => {
    const piped = options.stdio !== 'ignore';
    const child = spawn(command, args, { env: options.env, cwd: options.cwd, stdio: piped ? ['pipe', 'pipe', 'pipe'] : 'ignore' });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let settled = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    const settle = (code: number | null, signal: NodeJS.Signals | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    };
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (e) => {
      stderr += String(e);
      settle(null, null);
    });
    child.on('close', (code, signal) => settle(code, signal));
    child.on('exit', (code, signal) => setTimeout(() => settle(code, signal), 300));
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(options.input ?? '');
  });
}
