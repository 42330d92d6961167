/** Shared by the reporting tests: fixtures, a temp dir, headless Chromium, a small XML check. */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Matrix } from '../../harness/results';
import { spawnBounded } from '../../reporting/allure-generate';

export const repoRoot = path.resolve(__dirname, '..', '..');
export const fixtureDir = path.join(repoRoot, 'test', 'fixtures', 'matrix');

export function fixturePath(name: string): string {
  return path.join(fixtureDir, name);
}

export function loadFixture(name: string): Matrix {
  return JSON.parse(fs.readFileSync(fixturePath(name), 'utf8')) as Matrix;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `ese-reporting-${prefix}-`));
}

/** Debian's `chromium` (or $CHROMIUM); undefined when absent. The browser tests fail then. */
export function findChromium(): string | undefined {
  const candidates = process.env.CHROMIUM ? [process.env.CHROMIUM] : ['chromium', 'chromium-browser', 'google-chrome'];
  for (const c of candidates) {
    if (path.isAbsolute(c)) {
      if (fs.existsSync(c)) return c;
      continue;
    }
    for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
      const p = path.join(dir, c);
      if (dir !== '' && fs.existsSync(p)) return p;
    }
  }
  return undefined;
}

const chromiumFlags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

/** Loads a file in headless Chromium with a fresh profile; returns the DOM after scripts ran. */
export async function dumpDom(chromium: string, file: string, opts: { timeoutMs?: number; budgetMs?: number; hash?: string } = {}): Promise<string> {
  const profile = tempDir('chromium-profile');
  try {
    const args = [...chromiumFlags, `--user-data-dir=${profile}`, `--virtual-time-budget=${opts.budgetMs ?? 10000}`, '--dump-dom', pathToFileURL(file).href + (opts.hash ?? '')];
    const run = await spawnWithStdout(chromium, args, opts.timeoutMs ?? 60_000);
    if (run.code !== 0) throw new Error(`chromium --dump-dom exited ${run.code}: ${run.stderr.slice(-500)}`);
    return run.stdout;
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

/** A PNG of the page, for a human to look at; returns the path. */
export async function screenshot(chromium: string, file: string, png: string, size = '1400,1800', hash = '', timeoutMs = 60_000): Promise<string> {
  const profile = tempDir('chromium-profile');
  try {
    const args = [...chromiumFlags, `--user-data-dir=${profile}`, '--virtual-time-budget=10000', `--window-size=${size}`, `--screenshot=${png}`, pathToFileURL(file).href + hash];
    const run = await spawnBounded(chromium, args, path.dirname(png), timeoutMs);
    if (run.code !== 0 || !fs.existsSync(png)) throw new Error(`chromium --screenshot failed (${run.error ?? run.code}): ${run.output.slice(-500)}`);
    return png;
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

/**
 * The DOM once `ready(visible text)` holds. A single-page app such as the Allure report can still
 * be decoding its data when the virtual-time budget runs out on a busy machine: try again with a
 * longer budget, up to `attempts` times, and return the last DOM either way (the caller asserts).
 */
export async function dumpDomWhen(chromium: string, file: string, ready: (text: string) => boolean, opts: { hash?: string; attempts?: number } = {}): Promise<string> {
  let dom = '';
  for (let attempt = 1; attempt <= (opts.attempts ?? 3); attempt++) {
    dom = await dumpDom(chromium, file, { budgetMs: 10000 * attempt, ...(opts.hash === undefined ? {} : { hash: opts.hash }) });
    if (ready(domText(dom))) break;
  }
  return dom;
}

/** stdout kept whole (the DOM can be megabytes), with a hard timeout. */
function spawnWithStdout(command: string, args: string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${path.basename(command)} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => {
      stderr = (stderr + c.toString()).slice(-4000);
    });
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr });
    });
  });
}

/** The visible text of a DOM dump: scripts and styles dropped, tags removed, entities decoded. */
export function domText(dom: string): string {
  const text = dom
    .replace(/<script\b[\s\S]*?<\/script>/gi, ' ')
    .replace(/<style\b[\s\S]*?<\/style>/gi, ' ')
    .replace(/<[^>]+>/g, ' ');
  return decodeEntities(text).replace(/\s+/g, ' ');
}

export function decodeEntities(text: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return named[e.toLowerCase()] ?? m;
  });
}

/**
 * Well-formedness of the XML we write (no DTDs, CDATA or comments in it): balanced tags, quoted
 * attributes, known entities, no characters XML 1.0 forbids. Returns the first problem.
 */
export function xmlProblem(xml: string): string | undefined {
  const bad = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/.exec(xml);
  if (bad) return `forbidden character U+${bad[0].charCodeAt(0).toString(16)} at ${bad.index}`;
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: string[] = [];
  const token = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[A-Za-z_][\w.:-]*="[^"<]*")*)\s*(\/?)>|([^<]+)|(<)/g;
  let m: RegExpExecArray | null;
  let roots = 0;
  while ((m = token.exec(body)) !== null) {
    const [, close, name, , selfClose, text, stray] = m;
    if (stray !== undefined) return `malformed tag at ${m.index}: ${body.slice(m.index, m.index + 60)}`;
    if (text !== undefined) {
      if (stack.length === 0 && text.trim() !== '') return `text outside the root at ${m.index}`;
      const amp = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.exec(text);
      if (amp) return `bare & in text at ${m.index + amp.index}`;
      continue;
    }
    const attrs = m[3];
    if (/&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.test(attrs)) return `bare & in attributes of <${name}>`;
    if (close) {
      if (stack.pop() !== name) return `unbalanced </${name}> at ${m.index}`;
    } else if (!selfClose) {
      if (stack.length === 0) roots++;
      stack.push(name);
    } else if (stack.length === 0) roots++;
  }
  if (stack.length > 0) return `unclosed <${stack[stack.length - 1]}>`;
  if (roots !== 1) return `${roots} root elements`;
  return undefined;
}
