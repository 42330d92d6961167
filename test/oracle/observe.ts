/**
 * Read-only views of an engine's state for the property tests: what each session sees, what is
 * committed, and everything a JetEndSession could change, as plain data for deepEqual.
 */
import type { Engine } from '../../oracle';
import type { Session } from '../../oracle/session';
import { visibleValues } from '../../oracle/versions';

type Rows = (readonly unknown[])[];

function h(x: bigint): string {
  return '0x' + x.toString(16);
}

/** Rows of every table of the instance's attached databases, as `see` shows them. */
function tables(e: Engine, see: (rec: Parameters<typeof visibleValues>[0]) => readonly unknown[] | null): Record<string, Rows> {
  const out: Record<string, Rows> = {};
  for (const db of [...e.state.folder.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    for (const t of [...db.tables.values()].sort((a, b) => a.name.localeCompare(b.name))) {
      const rows: Rows = [];
      for (let r = t.records.head; r !== null; r = r.next) {
        const v = see(r);
        if (v !== null) rows.push([...v]);
      }
      out[`${db.name}/${t.name}`] = rows;
    }
  }
  return out;
}

/** What a level-0 observer sees: the latest committed image of every record. */
export function committed(e: Engine): Record<string, Rows> {
  return tables(e, (r) => (r.versions.length === 0 ? null : r.versions[r.versions.length - 1].values));
}

/** What session s sees (its own uncommitted work, or its snapshot). */
export function view(e: Engine, s: Session): Record<string, Rows> {
  return tables(e, (r) => visibleValues(r, s));
}

export interface SessionDigest {
  readonly handle: string;
  readonly level: number;
  readonly context: string;
  readonly dbOpens: [string, number][];
  readonly cursors: string[];
  readonly deferred: string[];
  readonly prepared: number;
  readonly view: Record<string, Rows>;
}

export function sessionDigest(e: Engine, s: Session): SessionDigest {
  const cursors: string[] = [];
  for (const set of s.cursorsByDb.values()) for (const c of set) cursors.push(h(c.handle));
  for (const c of s.temps) cursors.push(h(c.handle));
  return {
    handle: h(s.handle),
    level: s.level,
    context: s.context === null ? '-' : `${s.context.value}@${s.context.thread}`,
    dbOpens: [...s.dbOpens].map(([db, n]) => [db.name, n] as [string, number]).sort(),
    cursors: cursors.sort(),
    deferred: [...s.deferred].map((c) => h(c.handle)).sort(),
    prepared: s.prepared.size,
    view: view(e, s),
  };
}

export interface Digest {
  readonly instances: unknown[];
  readonly sessions: Record<string, SessionDigest>;
  readonly committed: Record<string, Rows>;
  readonly locks: unknown[];
}

/** Everything observable through the API, as data. */
export function digest(e: Engine): Digest {
  const sessions: Record<string, SessionDigest> = {};
  const instances: unknown[] = [];
  for (const inst of e.state.instances) {
    instances.push({
      name: inst.name,
      initialized: inst.initialized,
      termInProgress: inst.termInProgress,
      stop: inst.stopService,
      unavailable: inst.unavailableCause,
      slots: inst.slotsUsed,
      cursors: inst.cursorCount,
      temps: inst.tempTableCount,
      openTables: inst.openTableCount,
    });
    for (const s of inst.sessions) sessions[h(s.handle)] = sessionDigest(e, s);
  }
  const locks: unknown[] = [];
  for (const db of e.state.folder.values()) {
    locks.push({ db: db.name, pins: db.pins, exclusive: db.exclusiveBy === null ? null : h((db.exclusiveBy as Session).handle) });
    for (const t of db.tables.values()) locks.push({ t: t.name, cursors: t.cursors.size, dr: t.denyReadCount, dw: t.denyWriteCount });
  }
  return { instances, sessions, committed: committed(e), locks };
}

export function sessionOf(e: Engine, handle: bigint): Session | undefined {
  const t = e.state.handles.get(handle as never);
  return t !== undefined && t.kind === 'session' ? t : undefined;
}
