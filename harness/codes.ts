/**
 * The judge's own code table: every JET_err, parameter, grbit and constant the scenarios and probes
 * name, read from the shipped catalogue copy (catalogue/codes.json, generated from the
 * specification's "Codes used" by scripts/catalogue-sync.ts). The suite never takes the numbers it
 * judges with from the engine it judges (oracle/codes.ts); a test checks the two agree.
 *
 * A name the table does not hold is a defect of the suite: the lookups throw SuiteError (the
 * scenario becomes SUITE_ERROR), never a silent 0 or undefined.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CatalogueCode } from './catalogue-md';
import { SuiteError } from './errors';

export interface CodesFile {
  readonly version: string;
  readonly source: string;
  readonly codes: readonly CatalogueCode[];
}

/** Found from source (harness/) and from the compiled package (dist/harness/) alike. */
export const codesFile =
  [path.join(__dirname, '..', 'catalogue', 'codes.json'), path.join(__dirname, '..', '..', 'catalogue', 'codes.json')].find((p) => fs.existsSync(p)) ??
  path.join(__dirname, '..', 'catalogue', 'codes.json');

export function loadCodes(file = codesFile): CodesFile {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as CodesFile;
}

// Read on first use, so that scripts/catalogue-sync.ts can load this module before the file exists.
let loaded: { all: readonly CatalogueCode[]; byName: Map<string, CatalogueCode>; errByNumber: Map<number, string> } | undefined;
function codes() {
  if (loaded === undefined) {
    const all = loadCodes().codes;
    const errByNumber = new Map<number, string>();
    for (const c of all) if (c.kind === 'err' && !errByNumber.has(c.value)) errByNumber.set(c.value, c.name);
    loaded = { all, byName: new Map(all.map((c) => [c.name, c])), errByNumber };
  }
  return loaded;
}

/** A table whose unknown names throw instead of reading as undefined. */
function table(kind: CatalogueCode['kind'], label: string): Readonly<Record<string, number>> {
  const mine = () => Object.fromEntries(codes().all.filter((c) => c.kind === kind).map((c) => [c.name, c.value])) as Record<string, number>;
  let entries: Record<string, number> | undefined;
  const target = (): Record<string, number> => (entries ??= mine());
  return new Proxy({}, {
    get(_t, name) {
      const t = target();
      // Every own value is a number; the probes read these in their loops.
      const v = typeof name === 'string' ? t[name] : undefined;
      if (typeof v === 'number') return v;
      if (typeof name !== 'string' || Object.prototype.hasOwnProperty.call(t, name)) return t[name as string];
      throw new SuiteError(`${name} is not a ${label} of the catalogue copy (catalogue/codes.json)`);
    },
    has: (_t, name) => name in target(),
    ownKeys: () => Reflect.ownKeys(target()),
    getOwnPropertyDescriptor: (_t, name) => Reflect.getOwnPropertyDescriptor(target(), name),
  });
}

export const JET_errors = table('err', 'JET_err/JET_wrn code');
export const JET_bits = table('bit', 'grbit');
export const JET_params = table('param', 'system parameter');
export const JET_constants = table('constant', 'constant');
export type JET_paramName = string;

/** The catalogue's name of a code, or undefined for a number it does not list. */
export function errName(err: number): string | undefined {
  return codes().errByNumber.get(err);
}

/** describeErr's texts, made once per code (every traced call describes its code). */
const described = new Map<number, string>();

/** "JET_errInvalidSesid (-1104)"; numbers the catalogue does not name print as the number alone. */
export function describeErr(err: number): string {
  let text = described.get(err);
  if (text === undefined) {
    const name = errName(err);
    text = name === undefined ? String(err) : `${name} (${err})`;
    if (described.size < 4096) described.set(err, text);
  }
  return text;
}

/** A code written as a catalogue name (`JET_errInvalidSesid`) or a number (`-1104`, `+1327`); undefined otherwise. */
export function parseErr(text: string): number | undefined {
  const t = text.trim();
  if (/^[+-]?\d+$/.test(t)) return Number(t);
  const c = codes().byName.get(t);
  return c?.kind === 'err' ? c.value : undefined;
}

/**
 * A grbit, parameter or constant written as a catalogue name, a number (decimal or 0x hex), or
 * names joined with `|`; undefined when any part is unknown.
 */
export function parseNumber(text: string): number | undefined {
  const values = text.split('|').map((p) => namedNumber(p.trim()));
  if (values.some((v) => v === undefined)) return undefined;
  if (values.length === 1) return values[0];
  return (values as number[]).reduce((acc, v) => (acc | v) >>> 0, 0);
}

function namedNumber(part: string): number | undefined {
  if (/^[+-]?(0x[0-9a-f]+|\d+)$/i.test(part)) return Number(part);
  return codes().byName.get(part)?.value;
}

/** parseErr, or a SuiteError naming the step's text: an unknown code is the suite's defect. */
export function requireErr(text: string, where: string): number {
  const v = parseErr(text);
  if (v === undefined) throw new SuiteError(`${where}: '${text}' is not a JET_err name of the catalogue copy or a number`);
  return v;
}

/** parseNumber, or a SuiteError naming the step's text: an unknown grbit or constant is the suite's defect. */
export function requireNumber(text: string, where: string): number {
  const v = parseNumber(text);
  if (v === undefined) throw new SuiteError(`${where}: '${text}' is not a grbit, parameter or constant name of the catalogue copy, or a number`);
  return v;
}
