/**
 * The Allure 3 single-file HTML report, generated offline by Allure's own command line. Allure 3 is
 * an ES module: it is run as a child process, never imported from this CommonJS project.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface AllureOptions {
  /** allure-results written by allure-cucumberjs (both tiers). */
  readonly resultsDir: string;
  /** Where index.html goes; emptied first (Allure 3 has no --clean). */
  readonly outDir: string;
  /** Where the generated allurerc.json is written (kept, so the report can be regenerated). */
  readonly configPath: string;
  readonly reportName: string;
  /** Shown in the report header; implementation-supplied values included (Allure escapes them). */
  readonly variables: Record<string, string>;
  readonly timeoutMs?: number | undefined;
}

export type AllureOutcome = { readonly ok: true; readonly index: string } | { readonly ok: false; readonly error: string };

/** The CLI script of the installed `allure` package (its bin entry), or an error to show. */
export function allureCli(): string | { error: string } {
  // Its `exports` hide package.json from require.resolve, so look along the resolution paths.
  const pkgPath = (require.resolve.paths('allure') ?? [])
    .map((dir) => path.join(dir, 'allure', 'package.json'))
    .find((p) => fs.existsSync(p));
  if (pkgPath === undefined) return { error: "the 'allure' package (Allure 3) is not installed" };
  const pkg = JSON.parse(fs.readFileSync(pkgPath, 'utf8')) as { bin?: string | Record<string, string> };
  const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin?.allure;
  if (bin === undefined) return { error: `${pkgPath} declares no 'allure' bin` };
  return path.join(path.dirname(pkgPath), bin);
}

export async function generateAllure(opts: AllureOptions): Promise<AllureOutcome> {
  const cli = allureCli();
  if (typeof cli !== 'string') return { ok: false, error: cli.error };
  if (!fs.existsSync(opts.resultsDir) || fs.readdirSync(opts.resultsDir).length === 0) {
    return { ok: false, error: `no Allure results in ${opts.resultsDir}` };
  }
  const cwd = path.dirname(opts.configPath);
  const config = {
    name: opts.reportName,
    output: path.relative(cwd, opts.outDir) || '.',
    variables: opts.variables,
    plugins: {
      // singleFile: one self-contained index.html that opens from file:// (multi-file does not).
      awesome: { options: { singleFile: true, reportName: opts.reportName, groupBy: ['parentSuite', 'suite', 'subSuite'] } },
    },
  };
  fs.rmSync(opts.outDir, { recursive: true, force: true });
  fs.mkdirSync(cwd, { recursive: true });
  fs.writeFileSync(opts.configPath, JSON.stringify(config, null, 2) + '\n');
  const args = ['generate', opts.resultsDir, '--config', opts.configPath, '--output', opts.outDir];
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const prepared = takeWarm(cli, cwd);
  const run = prepared !== undefined ? await runWarm(prepared, args, timeoutMs) : await spawnBounded(process.execPath, [cli, ...args], cwd, timeoutMs);
  const index = path.join(opts.outDir, 'index.html');
  if (run.error !== undefined) return { ok: false, error: `allure generate: ${run.error}` };
  if (run.code !== 0 || !fs.existsSync(index)) {
    const tail = run.output.trim().split('\n').slice(-3).join(' | ');
    return { ok: false, error: `allure generate exited ${run.code ?? run.signal}${tail ? `: ${tail}` : ''}` };
  }
  return { ok: true, index };
}

/**
 * Allure's command line spends most of its time loading its modules (all commands and plugins):
 * about a second here, more when the machine is busy. A warm process loads them while cucumber
 * runs, waits for its arguments on stdin, then runs Allure's own cli.js with them. It exits at
 * once when stdin closes without arguments (the parent went away), and after 10 minutes unused.
 */
const warmScript = `
import path from 'node:path';
import { pathToFileURL } from 'node:url';
const cli = process.env.ESE_ALLURE_CLI;
const idle = setTimeout(() => process.exit(0), 600000);
// Loading errors are left for the real run, which then loads everything itself and reports them.
const loading = import(pathToFileURL(path.join(path.dirname(cli), 'dist', 'commands', 'index.js')).href).catch(() => {});
let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', async () => {
  clearTimeout(idle);
  if (input.trim() === '') process.exit(0);
  await loading;
  process.argv.splice(1, Infinity, cli, ...JSON.parse(input));
  await import(pathToFileURL(cli).href);
});
`;

interface WarmAllure {
  readonly child: ChildProcess;
  readonly cli: string;
  readonly cwd: string;
  exited: boolean;
  output: string;
}

let warm: WarmAllure | undefined;

/**
 * Starts loading Allure's command line in the background for a later generateAllure in cwd.
 * ESE_ALLURE_WARM=0 turns it off (Allure then starts cold when the report is generated).
 */
export function warmAllure(cwd: string): void {
  if (process.env.ESE_ALLURE_WARM === '0') return;
  const cli = allureCli();
  if (typeof cli !== 'string' || (warm !== undefined && !warm.exited && warm.cwd === cwd && warm.cli === cli)) return;
  fs.mkdirSync(cwd, { recursive: true });
  const child = spawn(process.execPath, ['--input-type=module', '-e', warmScript], {
    cwd,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ESE_ALLURE_CLI: cli, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  const w: WarmAllure = { child, cli, cwd, exited: false, output: '' };
  const keep = (chunk: Buffer) => {
    w.output = (w.output + chunk.toString('utf8')).slice(-8192);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  // A child that died early makes writes to its stdin fail with EPIPE: its exit code tells.
  child.stdin?.on('error', () => undefined);
  child.on('error', () => (w.exited = true));
  child.on('exit', () => (w.exited = true));
  // Never keeps this process alive: if no report is generated, the child sees stdin close and exits.
  setReferenced(child, false);
  warm = w;
}

/** Ends the background Allure loader now (an interrupted run exits without generating a report). */
export function stopWarmAllure(): void {
  const w = warm;
  warm = undefined;
  if (w !== undefined && !w.exited) w.child.kill('SIGKILL');
}

function setReferenced(child: ChildProcess, referenced: boolean): void {
  for (const stream of [child.stdin, child.stdout, child.stderr] as unknown as ({ ref?: () => void; unref?: () => void } | null)[]) {
    if (referenced) stream?.ref?.();
    else stream?.unref?.();
  }
  if (referenced) child.ref();
  else child.unref();
}

function takeWarm(cli: string, cwd: string): WarmAllure | undefined {
  const w = warm;
  warm = undefined;
  if (w === undefined || w.exited || w.cwd !== cwd || w.cli !== cli) {
    if (w !== undefined && !w.exited) w.child.stdin?.end();
    return undefined;
  }
  return w;
}

function runWarm(w: WarmAllure, args: readonly string[], timeoutMs: number): Promise<SpawnResult> {
  return new Promise((resolve) => {
    setReferenced(w.child, true);
    const timer = setTimeout(() => {
      w.child.kill('SIGKILL');
      resolve({ code: null, signal: 'SIGKILL', output: w.output, error: `timed out after ${timeoutMs} ms` });
    }, timeoutMs);
    w.child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, output: w.output });
    });
    w.child.stdin?.end(JSON.stringify(args) + '\n');
  });
}

interface SpawnResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly output: string;
  readonly error?: string;
}

/** Runs a command with a hard timeout (SIGKILL); never rejects. Output is kept for the error line. */
export function spawnBounded(command: string, args: readonly string[], cwd: string, timeoutMs: number, env: NodeJS.ProcessEnv = process.env): Promise<SpawnResult> {
  return new Promise((resolve) => {
    let output = '';
    let settled = false;
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...env, NO_COLOR: '1', FORCE_COLOR: '0' } });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish({ code: null, signal: 'SIGKILL', output, error: `timed out after ${timeoutMs} ms` });
    }, timeoutMs);
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-8192);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', (e) => finish({ code: null, signal: null, output, error: e.message }));
    child.on('close', (code, signal) => finish({ code, signal, output }));
    function finish(result: SpawnResult): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    }
  });
}
