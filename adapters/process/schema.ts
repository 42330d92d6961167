/**
 * The JSON Schemas of protocol v1 (schemas/protocol/), loaded once and compiled one definition at
 * a time on first use: compiling only what a run needs keeps the start of `serve-reference` fast.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { default as Ajv2020, ErrorObject, ValidateFunction } from 'ajv/dist/2020';

export const schemaBase = 'https://ese-conformance.invalid/protocol/v1/';
const files = ['common', 'operations', 'answers', 'requests'] as const;
export type SchemaFile = (typeof files)[number];

/** schemas/protocol/ next to the sources (adapters/process) or to the build (dist/adapters/process). */
export function schemaDir(): string {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    const candidate = path.join(dir, 'schemas', 'protocol');
    if (fs.existsSync(path.join(candidate, 'common.schema.json'))) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error(`schemas/protocol/ not found above ${__dirname}`);
}

let ajv: Ajv2020 | undefined;
/** By file, then pointer: a lookup per answer and per call builds no full schema id. */
const compiled = new Map<SchemaFile, Map<string, ValidateFunction>>(files.map((f) => [f, new Map()]));

function instance(): Ajv2020 {
  if (ajv) return ajv;
  // Required on first use, not at load: `hello` is answered before ajv is loaded.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose (see above); typed by the cast
  const Ajv = (require('ajv/dist/2020') as { default: typeof Ajv2020 }).default;
  // No optimizing pass over the generated code: the same checks, compiled in about two thirds of the
  // CPU (each process of a run compiles some 60 definitions; the validators run a few microseconds).
  const a = new Ajv({ strict: true, allowUnionTypes: true, allErrors: false, code: { optimize: false } });
  const dir = schemaDir();
  for (const f of files) a.addSchema(JSON.parse(fs.readFileSync(path.join(dir, `${f}.schema.json`), 'utf8')) as object);
  ajv = a;
  return a;
}

/** The validator of one definition, e.g. validator('answers', '/$defs/returned'). */
export function validator(file: SchemaFile, pointer: string): ValidateFunction {
  const byPointer = compiled.get(file);
  if (byPointer === undefined) throw new Error(`no schema file ${String(file)}`);
  let v = byPointer.get(pointer);
  if (!v) {
    const ref = `${schemaBase}${file}.schema.json#${pointer}`;
    const found = instance().getSchema(ref);
    if (!found) throw new Error(`no schema ${ref}`);
    v = found;
    byPointer.set(pointer, v);
  }
  return v;
}

/**
 * violation('operations', `/$defs/out/${op}`, value, prefix()) with the prefix built only for a
 * violation (every item of a batch answer is checked; validator() keeps the compiled validators).
 */
export function outViolation(op: string, value: unknown, prefix: () => string): string | undefined {
  const v = validator('operations', `/$defs/out/${op}`);
  return v(value) ? undefined : describeErrors(v.errors ?? [], prefix());
}

/** Validates; returns undefined when valid, else the first violation as one line ("/out/sesid must be string"). */
export function violation(file: SchemaFile, pointer: string, value: unknown, prefix = ''): string | undefined {
  const v = validator(file, pointer);
  if (v(value)) return undefined;
  return describeErrors(v.errors ?? [], prefix);
}

export function describeErrors(errors: readonly ErrorObject[], prefix = ''): string {
  const e = mostSpecific(errors);
  if (!e) return 'does not match the schema';
  const where = prefix + e.instancePath || '(the message)';
  let detail = e.message ?? 'is invalid';
  if (e.keyword === 'additionalProperties') detail = `has a field '${String(e.params.additionalProperty)}' that the protocol does not define`;
  else if (e.keyword === 'enum') detail = `must be one of ${(e.params.allowedValues as unknown[]).map((x) => JSON.stringify(x)).join(', ')}`;
  else if (e.keyword === 'const') detail = `must be ${JSON.stringify(e.params.allowedValue)}`;
  return `${where} ${detail}`;
}

/** Of several errors (oneOf branches), the deepest one names the real problem best. */
function mostSpecific(errors: readonly ErrorObject[]): ErrorObject | undefined {
  let best: ErrorObject | undefined;
  for (const e of errors) {
    if (e.keyword === 'oneOf' || e.keyword === 'if') continue;
    if (!best || e.instancePath.length > best.instancePath.length) best = e;
  }
  return best ?? errors[0];
}
