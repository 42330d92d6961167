/** One line per traced event: what the reports and the cucumber attachment show. */
import type { TraceEntry } from './results';

function short(value: unknown): string {
  if (value === undefined) return '';
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join(', ');
  }
  return JSON.stringify(value);
}

export function formatTraceEntry(e: TraceEntry): string {
  const what = e.kind === 'call' || e.kind === 'hold' ? `${e.kind === 'hold' ? 'hold ' : ''}${e.op}(${short(e.args)})` : `${e.kind}${e.args === undefined ? '' : ` ${short(e.args)}`}`;
  const out = e.out !== undefined && Object.keys(e.out as object).length > 0 ? ` {${short(e.out)}}` : '';
  return `#${e.seq} [${e.thread}] ${what} -> ${e.result}${out}`;
}

export function formatTrace(trace: readonly TraceEntry[]): string {
  return trace.map(formatTraceEntry).join('\n');
}
