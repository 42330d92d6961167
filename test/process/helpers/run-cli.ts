/** Runs `ese-conformance run` in this process (cucumber loads once) and reads its matrix.json. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../../cli/main';
import type { Matrix } from '../../../harness/results';

export const root = path.join(__dirname, '..', '..', '..');

export interface CliRun {
  readonly code: number;
  readonly out: string[];
  readonly err: string[];
  /** Undefined when the run wrote no matrix.json (a setup error). */
  readonly matrix?: Matrix;
}

export async function runCli(args: readonly string[]): Promise<CliRun> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ese-process-e2e-'));
  const out: string[] = [];
  const err: string[] = [];
  try {
    const code = await main(['run', '--reports', 'minimal', '--report-dir', dir, ...args], {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      env: process.env,
      cwd: root,
    });
    const file = path.join(dir, 'matrix.json');
    const matrix = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Matrix) : undefined;
    return { code, out, err, ...(matrix ? { matrix } : {}) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
