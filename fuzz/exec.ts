/**
 * How commands run their calls: every call goes through the Pair (both sides, compared), on a
 * thread chosen among the free ones, with a session begun first when a live one is asked for and
 * none is left; and the table scan that commands and the epilogue share.
 */
import fc from 'fast-check';
import type { OperationName } from '../api';
import { JET_constants as K } from '../api/codes';
import type { Pair } from './pair';
import { choiceArb, columnsOf, handleFor, nat, pick, type Choice } from './picks';
import type { HandleRef, Role } from './roles';
import type { World } from './world';

/** fast-check's model: what the fuzzer knows, and the pair that runs each call on both sides. */
export interface FuzzModel {
  readonly world: World;
  readonly pair: Pair;
}

/** One call on both sides; the reference's code, or undefined while a started term waits. */
export function call(m: FuzzModel, thread: string, op: OperationName, args: Record<string, unknown>): Promise<number | undefined> {
  return m.pair.call(thread, { op, args });
}

/** A thread with nothing held or waiting on it. */
export function threadOf(w: World, k: number): string {
  return pick(w.freeThreads(), k) as string;
}

/**
 * Three times in four the thread the session (or the cursor's session) last worked on, else any
 * free thread: transactions are bound to a thread, so uniform threads would rarely nest one.
 */
export function threadOn(w: World, k: number, ref: HandleRef): string {
  const free = w.freeThreads();
  const role = ref !== null && 'role' in ref ? ref.role : undefined;
  const home = role === undefined ? undefined : (w.sessionOf(role) ?? w.cursorOf(role)?.session)?.home;
  if (home !== undefined && k % 4 !== 3 && free.includes(home)) return home;
  return pick(free, k >> 2) as string;
}

/**
 * The session argument. When a live one is asked for and none is left, one is begun first on a
 * live instance with room: without it, a run whose sessions have all ended would spend its
 * remaining steps on JET_errInvalidSesid.
 */
export async function sessionFor(m: FuzzModel, a: SesArgs, prefer?: (r: Role) => boolean): Promise<HandleRef> {
  const w = m.world;
  if (a.s.kind === 'live' && w.usable('session', 'live').length === 0) {
    const inst = w.instances.find((i) => !i.freed && i.initialized && w.roomForSession(i));
    if (inst !== undefined) {
      const instance: HandleRef = inst.role ? { role: inst.role.name } : { forged: 'nil' };
      await call(m, threadOf(w, a.t), 'JetBeginSession', { instance, username: '', password: '' });
    }
  }
  return handleFor(w, 'session', a.s, prefer);
}

/** A call whose first argument is a session. */
export async function onSession(m: FuzzModel, a: SesArgs, op: OperationName, rest: Record<string, unknown> = {}, prefer?: (r: Role) => boolean): Promise<void> {
  const sesid = await sessionFor(m, a, prefer);
  await call(m, threadOn(m.world, a.t, sesid), op, { sesid, ...rest });
}

/** Whether a command can run at all: some thread is neither holding a call nor waiting in a term. */
export function anyFree(w: World): boolean {
  return w.freeThreads().length > 0;
}

/** Arguments of a session call: a thread pick and a session choice. */
export const sesArb = fc.record({ t: nat, s: choiceArb });
export type SesArgs = { t: number; s: Choice };
/** Arguments of a cursor call: a thread pick, a cursor choice, and the session when not its owner. */
export type CurArgs = { t: number; c: Choice; owner: boolean; other: Choice };

/**
 * Reads a table through its own database open and cursor: every record (at most 8), every
 * known column; then closes both, so that the session holds what it held before.
 */
export async function scanTable(m: FuzzModel, t: string, sesid: HandleRef, filename: string, tablename: string): Promise<void> {
  const w = m.world;
  const opened = await call(m, t, 'JetOpenDatabase', { sesid, filename, grbit: 0 });
  const dbid = m.pair.lastOut.dbid;
  if (opened === undefined || opened < 0 || typeof dbid !== 'number') return;
  const err = await call(m, t, 'JetOpenTable', { sesid, dbid, tablename, grbit: 0 });
  const issued = m.pair.lastIssued;
  if (err !== undefined && err >= 0 && issued !== undefined) {
    const tableid = { role: issued };
    const cols = columnsOf(w.cursorOf(issued)).slice(0, -1);
    let moved = await call(m, t, 'JetMove', { sesid, tableid, cRow: K.JET_MoveFirst, grbit: 0 });
    for (let n = 0; moved === 0 && n < 8; n++) {
      for (const columnid of cols) await call(m, t, 'JetRetrieveColumn', { sesid, tableid, columnid });
      moved = await call(m, t, 'JetMove', { sesid, tableid, cRow: K.JET_MoveNext, grbit: 0 });
    }
    await call(m, t, 'JetCloseTable', { sesid, tableid });
  }
  await call(m, t, 'JetCloseDatabase', { sesid, dbid, grbit: 0 });
}

