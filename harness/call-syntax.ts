/**
 * The call syntax of the generic steps: `JetBeginSession(instance=i1, username="", password="")`.
 *
 * Values: a name the scenario saved (`s1`, `i1`, `s1.t1`, `db1`) stands for its handle or number;
 * `<nil>`, `<zero>` and `<never-issued>` are forged handles; numbers are decimal or 0x hex; ESE names
 * (`JET_bitTableDenyRead|JET_bitTableReadOnly`, `JET_MoveFirst`) are resolved by oracle/codes.ts;
 * strings are JSON strings; `null` is NULL; `[...]` and `{...}` are JSON.
 * The fuzzer writes its findings with `formatCall`, the inverse of `parseCall`.
 */
import { operationNames, type ApiCall, type ForgedHandleKind, type HandleArg, type OperationName } from '../api';
import { parseNumber } from './codes';

/** What a scenario can save under a name: a handle, a dbid or columnid, or a list of columnids. */
export type NamedValue = { readonly handle: string } | { readonly number: number } | { readonly numbers: readonly number[] };

/** Argument slots that take a handle. */
const handleSlots = new Set(['instance', 'sesid', 'tableid']);
const forgedKinds: readonly ForgedHandleKind[] = ['nil', 'zero', 'never-issued'];

export class CallSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CallSyntaxError';
  }
}

/** Splits `a=1, b="x, y", c=[1, 2]` at the top-level commas. */
export function splitArgs(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let inString = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (text.slice(start).trim() !== '') parts.push(text.slice(start));
  return parts.map((p) => p.trim());
}

function parseValue(slot: string, raw: string, lookup: (name: string) => NamedValue | undefined): unknown {
  const forged = /^<([a-z-]+)>$/.exec(raw);
  if (forged) {
    if (!forgedKinds.includes(forged[1] as ForgedHandleKind)) {
      throw new CallSyntaxError(`unknown forged handle ${raw}; use <nil>, <zero> or <never-issued>`);
    }
    return { forged: forged[1] as ForgedHandleKind } satisfies HandleArg;
  }
  if (raw === 'null') return null;
  if (raw.startsWith('"') || raw.startsWith('[') || raw.startsWith('{')) {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      throw new CallSyntaxError(`${slot}=${raw} is not valid JSON`);
    }
  }
  const named = lookup(raw);
  if (named !== undefined) {
    if ('handle' in named) return named.handle;
    if ('number' in named) return named.number;
    return named.numbers;
  }
  const n = parseNumber(raw);
  if (n !== undefined) return n;
  if (handleSlots.has(slot)) throw new CallSyntaxError(`${slot}=${raw}: no handle was saved as '${raw}'`);
  throw new CallSyntaxError(`${slot}=${raw}: not a saved name, number, ESE constant or JSON value`);
}

/** One value in the call syntax, as it would stand in the slot named `slot`. */
export function parseValueText(slot: string, raw: string, lookup: (name: string) => NamedValue | undefined): unknown {
  return parseValue(slot, raw.trim(), lookup);
}

/** Parses `JetX(a=1, b=s1)`; names are resolved through `lookup`. */
export function parseCall(text: string, lookup: (name: string) => NamedValue | undefined): ApiCall {
  const m = /^\s*(Jet\w+)\((.*)\)\s*$/.exec(text);
  if (!m) throw new CallSyntaxError(`'${text}' is not a call such as JetEndSession(sesid=s1, grbit=0)`);
  const op = m[1] as OperationName;
  if (!operationNames.includes(op)) throw new CallSyntaxError(`unknown operation ${m[1]}`);
  const args: Record<string, unknown> = {};
  for (const part of splitArgs(m[2])) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new CallSyntaxError(`argument '${part}' of ${op} is not name=value`);
    const slot = part.slice(0, eq).trim();
    args[slot] = parseValue(slot, part.slice(eq + 1).trim(), lookup);
  }
  return { op, args } as ApiCall;
}

/** Writes a call in the syntax `parseCall` reads; `nameOf` maps a handle or number to its saved name. */
export function formatCall(call: ApiCall, nameOf: (slot: string, value: unknown) => string | undefined): string {
  const parts = Object.entries(call.args as Record<string, unknown>).map(([slot, value]) => {
    const name = nameOf(slot, value);
    if (name !== undefined) return `${slot}=${name}`;
    if (value !== null && typeof value === 'object' && 'forged' in value) return `${slot}=<${(value as { forged: string }).forged}>`;
    if (typeof value === 'number' && (slot === 'grbit' || slot === 'context') && value < 0) return `${slot}=${value}`;
    if (typeof value === 'number' && slot === 'grbit' && value > 0xffff) return `${slot}=0x${value.toString(16).toUpperCase()}`;
    return `${slot}=${JSON.stringify(value)}`;
  });
  return `${call.op}(${parts.join(', ')})`;
}
