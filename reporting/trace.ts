/**
 * A scenario's call trace as text, one line per event: the same lines in the matrix page, the
 * JUnit failure body and the Allure attachment, so a reader can compare them.
 */
import type { TraceEntry } from '../harness/results';
import { visibleText } from './escape';

/** `#3 t1 JetEndSession {"sesid":"s1","grbit":0} -> -1104 JET_errInvalidSesid (-1104)` */
export function traceLine(entry: TraceEntry): string {
  const what = entry.kind === 'call' ? (entry.op ?? '?') : entry.op === undefined ? entry.kind : `${entry.kind} ${entry.op}`;
  const args = entry.args === undefined ? '' : ' ' + compactJson(entry.args);
  // The numeric result is the point of a trace: add it when the readable result lacks it.
  const numeric = entry.err !== undefined && !entry.result.includes(String(entry.err)) ? `${entry.err} ` : '';
  const out = entry.out === undefined || isEmpty(entry.out) ? '' : ' out ' + compactJson(entry.out);
  return visibleText(`#${entry.seq} ${entry.thread} ${what}${args} -> ${numeric}${entry.result}${out}`.replace(/[\r\n]+/g, ' '));
}

export function traceText(trace: readonly TraceEntry[]): string {
  return trace.length === 0 ? '(no calls)' : trace.map(traceLine).join('\n');
}

function isEmpty(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.keys(value).length === 0;
}

/** JSON that never throws (BigInt, cycles) and stays on one line. */
export function compactJson(value: unknown): string {
  const seen = new WeakSet<object>();
  try {
    return (
      JSON.stringify(value, (_key, v: unknown) => {
        if (typeof v === 'bigint') return v.toString();
        if (typeof v === 'object' && v !== null) {
          if (seen.has(v)) return '[circular]';
          seen.add(v);
        }
        return v;
      }) ?? String(value)
    );
  } catch {
    return String(value);
  }
}
