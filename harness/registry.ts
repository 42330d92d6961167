/**
 * What exists, as far as the scenario's own successful calls tell: instances, sessions with their
 * open databases, cursors, transaction levels and contexts, database files and tables with their
 * columns. Built from the trace, so that scenarios written with the generic call steps are covered
 * as well as the fixtures. It says what to observe, never what to expect: the expectation comes
 * from the shadow run or from the observation before the call.
 */
import type { TraceEntry } from './results';

export interface RegInstance {
  readonly handle: string;
  readonly name: string;
  inited: boolean;
  readonly params: Map<number, number>;
  readonly files: Set<string>;
}

export interface RegCursor {
  readonly tableid: string;
  /** `file/table` for a table cursor; undefined for a temp table. */
  readonly table?: string;
  /** Column ids of a temp table, in order. */
  readonly columnids?: readonly number[];
}

export interface RegSession {
  readonly sesid: string;
  readonly instance: string;
  /** file → dbid and how many times the session opened it. */
  readonly dbs: Map<string, { dbid: number; opens: number }>;
  readonly cursors: Map<string, RegCursor>;
  level: number;
  /** The thread of the level-0 JetBeginTransaction. */
  trxThread?: string;
  /** The level-0 begin found a session context set: the levels belong to the context's thread. */
  trxUnderContext?: boolean;
  /** The thread that set the session's context, until it is reset. */
  contextThread?: string | undefined;
}

export interface RegTable {
  readonly file: string;
  readonly name: string;
  /** column name → columnid, in the order they were added. */
  readonly columns: Map<string, number>;
}

export interface Registry {
  readonly instances: Map<string, RegInstance>;
  readonly sessions: Map<string, RegSession>;
  /** Session handles that were live once and are no more (ended, or their instance terminated). */
  readonly ended: Set<string>;
  readonly tables: Map<string, RegTable>;
  readonly threads: Set<string>;
  /** Process-wide parameters set with no instance: the defaults of instances created later. */
  readonly globalParams: Map<number, number>;
}

type Args = Record<string, unknown>;

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** Files are named as the scenario named them (the reference folds case, as Windows does; others may not). */
export function fileKey(filename: string): string {
  return filename;
}

/** A trace folded so far: the registry, the fold's own state, and how many entries it has taken. */
interface Fold {
  readonly reg: Registry;
  readonly held: Map<string, { op: string; args: Args }>;
  readonly dbFiles: Map<number, string>;
  readonly first: TraceEntry | undefined;
  done: number;
}

/** A scenario's trace only grows: each observation folds the entries added since the last (whole-state checks observe often). */
const folds = new WeakMap<readonly TraceEntry[], Fold>();

/**
 * Folds the trace into a registry. Held calls take effect at their release, on the holding thread.
 * The registry is the trace's own, folded on by the next call on the same (grown) trace: read it
 * before the next call, never change it.
 */
export function buildRegistry(trace: readonly TraceEntry[]): Registry {
  let fold = folds.get(trace);
  // A trace that shrank or was rewritten from the start is folded afresh.
  if (fold === undefined || fold.done > trace.length || fold.first !== trace[0]) {
    fold = {
      reg: { instances: new Map(), sessions: new Map(), ended: new Set(), tables: new Map(), threads: new Set(), globalParams: new Map() },
      held: new Map(),
      dbFiles: new Map(),
      first: trace[0],
      done: 0,
    };
    folds.set(trace, fold);
  }
  const { reg, held, dbFiles } = fold;
  for (; fold.done < trace.length; fold.done++) {
    const e = trace[fold.done];
    if (e.kind === 'reset') {
      reg.instances.clear();
      reg.sessions.clear();
      reg.ended.clear();
      reg.tables.clear();
      reg.threads.clear();
      reg.globalParams.clear();
      held.clear();
      dbFiles.clear();
      continue;
    }
    if (e.thread !== '-') reg.threads.add(e.thread);
    if (e.kind === 'hold') {
      if (e.result.startsWith('held') && e.op !== undefined) held.set(e.thread, { op: e.op, args: (e.args ?? {}) as Args });
      continue;
    }
    let op = e.op;
    let args = (e.args ?? {}) as Args;
    if (e.kind === 'release') {
      const h = held.get(e.thread);
      held.delete(e.thread);
      if (h === undefined) continue;
      op = h.op;
      args = h.args;
    } else if (e.kind !== 'call') continue;
    if (op === undefined || e.err === undefined || e.err < 0) continue;
    apply(reg, dbFiles, e.thread, op, args, (e.out ?? {}) as Args);
  }
  return reg;
}

function apply(reg: Registry, dbFiles: Map<number, string>, thread: string, op: string, args: Args, out: Args): void {
  const session = reg.sessions.get(str(args.sesid) ?? '');
  switch (op) {
    case 'JetCreateInstance': {
      const handle = str(out.instance);
      if (handle) reg.instances.set(handle, { handle, name: str(args.name) ?? '', inited: false, params: new Map(reg.globalParams), files: new Set() });
      return;
    }
    case 'JetSetSystemParameter': {
      const inst = reg.instances.get(str(args.instance) ?? '');
      if (typeof args.paramid === 'number' && typeof args.lParam === 'number') (inst?.params ?? (args.instance === null ? reg.globalParams : undefined))?.set(args.paramid, args.lParam);
      return;
    }
    case 'JetInit': {
      const inst = reg.instances.get(str(args.instance) ?? '');
      if (inst) inst.inited = true;
      return;
    }
    case 'JetTerm':
    case 'JetTerm2': {
      const handle = str(args.instance) ?? '';
      reg.instances.delete(handle);
      for (const [sesid, s] of reg.sessions) {
        if (s.instance !== handle) continue;
        reg.sessions.delete(sesid);
        reg.ended.add(sesid);
      }
      return;
    }
    case 'JetBeginSession': {
      const sesid = str(out.sesid);
      const inst = str(args.instance);
      if (sesid && inst) {
        reg.ended.delete(sesid);
        reg.sessions.set(sesid, { sesid, instance: inst, dbs: new Map(), cursors: new Map(), level: 0 });
      }
      return;
    }
    case 'JetDupSession': {
      const sesid = str(out.sesid);
      if (sesid && session) {
        reg.ended.delete(sesid);
        reg.sessions.set(sesid, { sesid, instance: session.instance, dbs: new Map(), cursors: new Map(), level: 0 });
      }
      return;
    }
    case 'JetEndSession':
      if (session) {
        reg.sessions.delete(session.sesid);
        reg.ended.add(session.sesid);
      }
      return;
    case 'JetBeginTransaction':
    case 'JetBeginTransaction2':
      if (session) {
        if (session.level === 0) {
          session.trxThread = thread;
          session.trxUnderContext = session.contextThread !== undefined;
        }
        session.level++;
      }
      return;
    case 'JetSetSessionContext':
      if (session) session.contextThread = thread;
      return;
    case 'JetResetSessionContext':
      if (session) session.contextThread = undefined;
      return;
    case 'JetCommitTransaction':
      if (session && session.level > 0) session.level--;
      return;
    case 'JetRollback':
      if (session) session.level = typeof args.grbit === 'number' && (args.grbit & 1) !== 0 ? 0 : Math.max(0, session.level - 1);
      return;
    case 'JetCreateDatabase':
    case 'JetAttachDatabase':
    case 'JetOpenDatabase': {
      const file = fileKey(str(args.filename) ?? '');
      if (session) reg.instances.get(session.instance)?.files.add(file);
      if (typeof out.dbid === 'number' && session) {
        dbFiles.set(out.dbid, file);
        const d = session.dbs.get(file) ?? { dbid: out.dbid, opens: 0 };
        d.opens++;
        session.dbs.set(file, d);
      }
      return;
    }
    case 'JetCloseDatabase': {
      const file = dbFiles.get(Number(args.dbid));
      const d = file === undefined ? undefined : session?.dbs.get(file);
      if (d && file !== undefined) {
        d.opens--;
        if (d.opens <= 0) {
          session?.dbs.delete(file);
          for (const [id, c] of session?.cursors ?? []) if (c.table?.startsWith(`${file}/`)) session?.cursors.delete(id);
        }
      }
      return;
    }
    case 'JetCreateTable':
    case 'JetOpenTable': {
      const file = dbFiles.get(Number(args.dbid));
      const tableid = str(out.tableid);
      if (file === undefined || !tableid) return;
      const table = `${file}/${String(args.tablename)}`;
      if (!reg.tables.has(table)) reg.tables.set(table, { file, name: String(args.tablename), columns: new Map() });
      session?.cursors.set(tableid, { tableid, table });
      return;
    }
    case 'JetDupCursor': {
      const src = session?.cursors.get(str(args.tableid) ?? '');
      const tableid = str(out.tableid);
      if (src && tableid) session?.cursors.set(tableid, { ...src, tableid });
      return;
    }
    case 'JetOpenTempTable': {
      const tableid = str(out.tableid);
      if (tableid && session) session.cursors.set(tableid, { tableid, columnids: Array.isArray(out.columnids) ? (out.columnids as number[]) : [] });
      return;
    }
    case 'JetCloseTable':
      session?.cursors.delete(str(args.tableid) ?? '');
      return;
    case 'JetAddColumn': {
      const c = session?.cursors.get(str(args.tableid) ?? '');
      const t = c?.table === undefined ? undefined : reg.tables.get(c.table);
      if (t && typeof out.columnid === 'number') t.columns.set(String(args.column), out.columnid);
      return;
    }
  }
}
