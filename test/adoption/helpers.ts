/** Shared by the adoption tests: the CLI in-process, temp dirs, the shipped JSON Schemas. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { default as Ajv2020, ValidateFunction } from 'ajv/dist/2020';
import { main } from '../../cli/main';
import type { Matrix } from '../../harness/results';
import type { ExpectationEntry } from '../../reporting/expectations';

export const repoRoot = path.resolve(__dirname, '..', '..');
export const exampleDir = path.join(repoRoot, 'examples', 'python-adapter');
/** The example's command after `--`, as a user would type it from the repository root. */
export const exampleCommand = ['python3', path.join(exampleDir, 'adapter.py')];
export const exampleExpectations = path.join(exampleDir, 'python-model.expectations');

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `ese-adoption-${prefix}-`));
}

export interface CliRun {
  readonly code: number;
  readonly out: string[];
  readonly err: string[];
}

/** The environment without GitHub's variables: on GitHub, `run` would annotate and write a step summary. */
export function plainEnv(): NodeJS.ProcessEnv {
  const { GITHUB_ACTIONS: _a, GITHUB_STEP_SUMMARY: _s, ...env } = process.env;
  return env;
}

/** `ese-conformance ARGV` in this process (the same code path as the binary, without its start-up). */
export async function cli(argv: readonly string[], env: NodeJS.ProcessEnv = plainEnv()): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env, cwd: repoRoot });
  return { code, out, err };
}

export function readMatrixFile(dir: string): Matrix {
  return JSON.parse(fs.readFileSync(path.join(dir, 'matrix.json'), 'utf8')) as Matrix;
}

let ajv: Ajv2020 | undefined;

/** The validator of one shipped schema (schemas/<name>.schema.json), compiled in strict mode. */
export function schemaValidator(name: 'matrix' | 'expectations'): ValidateFunction {
  if (ajv === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use; typed by the cast
    const Ajv = (require('ajv/dist/2020') as { default: typeof Ajv2020 }).default;
    ajv = new Ajv({ strict: true, allErrors: true });
  }
  const schema = JSON.parse(fs.readFileSync(path.join(repoRoot, 'schemas', `${name}.schema.json`), 'utf8')) as { $id: string };
  return ajv.getSchema(schema.$id) ?? ajv.compile(schema);
}

/** Validation errors as one line each ('/scenarios/3/status must be equal to one of the allowed values'). */
export function schemaErrors(validate: ValidateFunction, data: unknown): string[] {
  if (validate(data)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}`);
}

/** The JSON form of a parsed expectations file (schemas/expectations.schema.json). */
export function expectationsJson(entries: readonly ExpectationEntry[]): unknown {
  return {
    schemaVersion: 1,
    entries: entries.map((e) => ({
      tier: e.tier,
      target: e.target.id,
      status: e.status,
      reason: e.reason,
      ...(e.issue === undefined ? {} : { issue: e.issue }),
      source: { file: e.source.file, line: e.source.line },
    })),
  };
}
