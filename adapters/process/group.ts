/**
 * The implementation's process group. The command runs as the leader of a group of its own
 * (detached spawn: setsid on POSIX), so that a wrapper (`sh -c`, npx, a Wine launcher) and every
 * descendant it starts are ended together: SIGTERM to the whole group, then SIGKILL after a grace
 * period. Groups not yet seen gone are killed when the suite's process exits, whatever ends it.
 */
import * as fs from 'node:fs';

const posix = process.platform !== 'win32';
/** Groups started and not yet seen empty. */
const groups = new Set<number>();
let exitHookInstalled = false;

export function trackGroup(pgid: number): void {
  if (!posix) return;
  groups.add(pgid);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', killAllGroups);
  }
}

export function untrackGroup(pgid: number): void {
  groups.delete(pgid);
}

/** Sends `signal` to every member of the group; false when the group has no member left. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  if (!posix) return false;
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/** SIGKILL to every group the suite started (synchronous: for exit and signal handlers). */
export function killAllGroups(): void {
  for (const pgid of groups) signalGroup(pgid, 'SIGKILL');
}

/**
 * The live members of a group (zombies excluded: they run nothing and wait for their parent).
 * Linux reads /proc; elsewhere a signal 0 tells whether anyone is left.
 */
export function groupMembers(pgid: number): number[] {
  if (!posix) return [];
  if (process.platform === 'linux') {
    const found: number[] = [];
    let entries: string[];
    try {
      entries = fs.readdirSync('/proc');
    } catch {
      return signalGroup(pgid, 0) ? [pgid] : [];
    }
    for (const e of entries) {
      if (!/^\d+$/.test(e)) continue;
      let stat: string;
      try {
        stat = fs.readFileSync(`/proc/${e}/stat`, 'utf8');
      } catch {
        continue;
      }
      // pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses, so split after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z' && fields[0] !== 'X') found.push(Number(e));
    }
    return found;
  }
  return signalGroup(pgid, 0) ? [pgid] : [];
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls until the group has no live member; true when that happened within `ms`. */
export async function waitGroupGone(pgid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  for (;;) {
    if (groupMembers(pgid).length === 0) return true;
    if (Date.now() >= until) return false;
    await sleep(25);
  }
}

export const isPosix = posix;
