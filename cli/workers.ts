/**
 * `run --parallel N` interrupted: cucumber's worker processes are children of this one, and cucumber
 * gives no handle on them. Each worker ends its implementation's process groups on SIGTERM or when
 * this process goes away (harness/run-state.ts); here they are told to, and awaited, so that the run
 * exits only once nothing it started is left. Linux reads /proc; elsewhere the workers see the
 * coordinator go away.
 */
import * as fs from 'node:fs';

/** Live child processes of this one that run cucumber's parallel worker. */
export function workerPids(): number[] {
  if (process.platform !== 'linux') return [];
  const found: number[] = [];
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${e}/stat`, 'utf8');
      // pid (comm) state ppid ...: comm may hold spaces and parentheses, so split after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) !== process.pid || fields[0] === 'Z' || fields[0] === 'X') continue;
      if (fs.readFileSync(`/proc/${e}/cmdline`, 'utf8').includes('run_worker')) found.push(Number(e));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** SIGTERM to every worker, then waits up to `ms` for them to be gone (SIGKILL to any left). */
export async function stopWorkers(ms: number): Promise<void> {
  const pids = workerPids();
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  const until = Date.now() + ms;
  while (workerPids().length > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  for (const pid of workerPids()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
