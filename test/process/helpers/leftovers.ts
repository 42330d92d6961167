/**
 * "No process is left": every process a test starts inherits a marker in its environment
 * (ESE_TEST_MARKER, set in this process before the spawn), so descendants of wrappers are found
 * too, by a check that does not rely on the process groups the adapter itself uses.
 */
import * as fs from 'node:fs';
import { randomUUID } from 'node:crypto';

/** Sets a fresh marker in this process's environment (inherited by what it spawns from now on). */
export function freshMarker(): string {
  const marker = `ese16-${randomUUID()}`;
  process.env.ESE_TEST_MARKER = marker;
  return marker;
}

/** Live processes (not zombies) other than this one whose environment holds the marker. */
export function leftovers(marker: string): number[] {
  const found: number[] = [];
  const needle = Buffer.from(`ESE_TEST_MARKER=${marker}\0`);
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
    try {
      const stat = fs.readFileSync(`/proc/${e}/stat`, 'utf8');
      const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
      if (state === 'Z' || state === 'X') continue;
      if (fs.readFileSync(`/proc/${e}/environ`).includes(needle)) found.push(Number(e));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

/** The command lines of pids, for an assertion message. */
export function describePids(pids: readonly number[]): string {
  return pids
    .map((p) => {
      try {
        return `${p}: ${fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').replace(/\0/g, ' ')}`;
      } catch {
        return `${p}: (gone)`;
      }
    })
    .join('; ');
}

/** Wall time of what `fn` does, in ms, with its result; printed for the issue's table of cases. */
export async function timed<T>(label: string, fn: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = Date.now();
  const result = await fn();
  const ms = Date.now() - started;
  process.stdout.write(`# wall time: ${label}: ${ms} ms\n`);
  return { result, ms };
}
