/**
 * What the fuzzer knows of the process state, learnt from the reference's answers: the instances,
 * sessions, cursors, files and tables by role, and which threads are blocked. It exists to
 * generate sensible calls and to keep two rules: sessions stay within MaxSessions (ESENT's real
 * limit has slack, so going past it is not comparable) and dead handles are retired once a new
 * handle is issued. Instances and sessions are tracked exactly (they die only by a successful
 * JetEndSession or term); cursors die in many ways, so their liveness is asked of the reference
 * with a call that changes nothing (`probeCursor`).
 */
import type { CallResult, Implementation } from '../adapters/types';
import type { Capability, Handle } from '../api';
import { JET_bits as B, JET_errors as E, JET_params } from '../api/codes';
import type { ApiCall } from '../api';
import { RoleTable, isRoleRef, type HandleRef, type Role, type SymCall } from './roles';

export interface InstanceRec {
  /** Absent for the instance of single-instance mode, reached through NULL/nil. */
  readonly role?: Role;
  initialized: boolean;
  maxSessions: number;
  freed: boolean;
  readonly sessions: Set<SessionRec>;
  /** A temp table was opened: ESE's temp database exists (its first open begins an internal session). */
  tempDb?: boolean;
}

export interface SessionRec {
  readonly role: Role;
  readonly instance: InstanceRec;
  endedBy?: 'end' | 'term';
  /** The thread of its last successful call: where its transaction most likely lives. */
  home?: string;
  /** Its transaction level, as far as the calls tell (a hint for the generators, not a rule). */
  level: number;
  /** The thread that set its session context, while one is set: the only thread a probe may use. */
  contextThread?: string;
}

export interface TableRec {
  readonly file: string;
  readonly name: string;
  readonly columns: number[];
}

export interface CursorRec {
  readonly role: Role;
  readonly session: SessionRec;
  readonly table?: TableRec;
  /** Columnids of a temp table. */
  readonly tempColumns: readonly number[];
}

/** A call held in flight (`in-flight`): its thread is blocked until release. */
export interface HoldRec {
  readonly thread: string;
  readonly call: SymCall;
  readonly session: SessionRec | undefined;
  readonly modelHold: string;
  readonly sutHold: string;
}

/** A JetTerm/JetTerm2 waiting for held calls: its thread is blocked until it returns. */
export interface PendingRec {
  readonly thread: string;
  readonly call: SymCall;
  readonly instance: InstanceRec | undefined;
  readonly model: Promise<CallResult>;
  readonly sut: Promise<CallResult>;
  sutSettled?: CallResult;
}

/** ESE's default JET_paramMaxSessions (the reference's too). */
const defaultMaxSessions = 16;
/** A columnid no table has: JetRetrieveColumn with it checks the handles and changes nothing. */
const probeColumnid = 0x7ffffff0;

function tableKey(file: string, name: string): string {
  return `${file.toLowerCase()}/${name.toLowerCase()}`;
}

export class World {
  readonly roles = new RoleTable();
  mode: 'none' | 'single' | 'multi' = 'none';
  globalMaxSessions = defaultMaxSessions;
  readonly instances: InstanceRec[] = [];
  singleton: InstanceRec | null = null;
  readonly sessions: SessionRec[] = [];
  readonly cursors: CursorRec[] = [];
  readonly tables = new Map<string, TableRec>();
  /** dbid -> file name, as last opened or created. */
  readonly dbids = new Map<number, string>();
  /**
   * dbid -> the instance whose session opened or created it. A term forgets its instance's dbids:
   * ESE frees that FMP, and a later call with its dbid reads freed memory (the engine's process
   * died: JetCloseDatabase and JetOpenTable with such a dbid, docs/implementations/ese.md [dbid]).
   */
  private readonly dbidOwners = new Map<number, InstanceRec>();
  readonly holds = new Map<string, HoldRec>();
  readonly pending = new Map<string, PendingRec>();
  private readonly byRole = new Map<string, InstanceRec | SessionRec | CursorRec>();
  /**
   * Column ids by role, like handles: ids are implementation-defined (ESE numbers fixed columns
   * from 1 and tagged ones from 256; another engine may not), so calls are generated with the
   * reference's ids and each is translated to the implementation's id for the same column of the
   * same table. Keyed by table (file/name, or the temp table's column list), then reference id.
   */
  private readonly columnIds = new Map<string, Map<number, number>>();
  private readonly tempTables = new WeakMap<readonly number[], string>();
  /**
   * dbids, like column ids, are the implementation's to choose (ESE keeps a detached database's FMP
   * and prefers free ones: engine 2, 6, 7 where the reference gives 1, 2, 3, docs/implementations/
   * ese.md): the reference's dbid of each database known to the run -> the implementation's, for as
   * long as the reference keeps it (a term frees its instance's). `dbidProblem` holds the rules.
   */
  private readonly dbidIds = new Map<number, number>();

  constructor(
    readonly threads: readonly string[],
    readonly caps: ReadonlySet<Capability>,
  ) {}

  // ---- Queries for the generators --------------------------------------------------------

  /** Threads with no held call and no waiting term. */
  freeThreads(): string[] {
    return this.threads.filter((t) => !this.holds.has(t) && !this.pending.has(t));
  }

  instanceOf(name: string): InstanceRec | undefined {
    const r = this.byRole.get(name);
    return r !== undefined && 'sessions' in r ? r : undefined;
  }

  sessionOf(name: string): SessionRec | undefined {
    const r = this.byRole.get(name);
    return r !== undefined && 'instance' in r ? r : undefined;
  }

  cursorOf(name: string): CursorRec | undefined {
    const r = this.byRole.get(name);
    return r !== undefined && 'session' in r ? r : undefined;
  }

  /** Roles of a kind that may still be passed, live ones or dead ones. */
  usable(kind: Role['kind'], status: 'live' | 'dead'): Role[] {
    const out: Role[] = [];
    for (const r of this.roles.all()) if (r.kind === kind && r.status === status) out.push(r);
    return out;
  }

  table(file: string, name: string): TableRec | undefined {
    return this.tables.get(tableKey(file, name));
  }

  /** The instance a JetBeginSession with this instance argument would open a session on. */
  beginTarget(ref: HandleRef): InstanceRec | undefined {
    if (this.mode === 'single') {
      return ref === null || (!isRoleRef(ref) && (ref.forged === 'nil' || ref.forged === 'zero')) ? (this.singleton ?? undefined) : undefined;
    }
    if (this.mode === 'multi' && isRoleRef(ref)) {
      const inst = this.instanceOf(ref.role);
      return inst !== undefined && !inst.freed ? inst : undefined;
    }
    return undefined;
  }

  /** Whether one more session fits the instance's MaxSessions (by the reference's count). */
  roomForSession(inst: InstanceRec | undefined): boolean {
    return inst === undefined || inst.sessions.size < inst.maxSessions;
  }

  /**
   * Whether the instance's first temp table may be opened: ESE creates the temp database then in an
   * internal session (sysinit.cxx 343-392, 361), which needs a slot of the session pool. ESE's pool
   * has slack (MaxSessions + 69 shared with internal sessions), so with MaxSessions sessions live
   * (by the reference's count) the engine's answer is not comparable, as for JetBeginSession.
   */
  roomForTempDatabase(inst: InstanceRec): boolean {
    return inst.tempDb === true || inst.sessions.size < inst.maxSessions;
  }

  /** The instance a term with this argument acts on (undefined: the call fails). */
  termTarget(ref: HandleRef): InstanceRec | undefined {
    if (this.mode === 'single') return this.singleton ?? undefined;
    return isRoleRef(ref) ? this.instanceOf(ref.role) : undefined;
  }

  // ---- Learning from the reference's answers ---------------------------------------------

  /**
   * Records what a call the reference answered `err` did. `issued` is the role bound to the
   * call's new handle, if it returned one; `out` the reference's out-values.
   */
  learn(thread: string, call: SymCall, err: number, out: Readonly<Record<string, unknown>>, issued: Role | undefined, sutOut: Readonly<Record<string, unknown>> = {}): void {
    const a = call.args as Record<string, unknown>;
    const ref = (slot: string) => a[slot] as HandleRef;
    if (err >= 0 && isRoleRef(a.sesid)) {
      const s = this.sessionOf(a.sesid.role);
      if (s) s.home = thread;
    }
    if (err < 0) {
      if (err === E.JET_errInvalidTableId && isRoleRef(ref('tableid'))) {
        const c = this.cursorOf((ref('tableid') as { role: string }).role);
        if (c !== undefined && c.role.status === 'live' && c.session.role.status === 'live') c.role.status = 'dead';
      }
      return;
    }
    switch (call.op) {
      case 'JetCreateInstance': {
        this.mode = 'multi';
        if (issued) this.addInstance({ role: issued, initialized: false, maxSessions: this.globalMaxSessions, freed: false, sessions: new Set() });
        return;
      }
      case 'JetSetSystemParameter': {
        if (a.paramid !== JET_params.JET_paramMaxSessions) return;
        const value = a.lParam as number;
        const inst = ref('instance');
        if (this.mode === 'none') this.globalMaxSessions = value;
        else if (this.mode === 'single') {
          if (this.singleton) this.singleton.maxSessions = value;
        } else if (isRoleRef(inst)) {
          const i = this.instanceOf(inst.role);
          if (i) i.maxSessions = value;
        } else this.globalMaxSessions = value;
        return;
      }
      case 'JetInit': {
        // ESE begins internal sessions at init (ErrLVInit, lv.cxx 1953; task manager PIBs,
        // taskmgr.cxx 63), which may take the memory of an ended session: an ended handle may then
        // validate as that internal session (engine, seed 317: -1310 where -1104 was expected).
        this.retireDead();
        if (this.mode === 'none') {
          this.mode = 'single';
          this.singleton = { initialized: true, maxSessions: this.globalMaxSessions, freed: false, sessions: new Set() };
          this.instances.push(this.singleton);
          return;
        }
        const inst = ref('instance');
        if (isRoleRef(inst)) {
          const i = this.instanceOf(inst.role);
          if (i) i.initialized = true;
        }
        return;
      }
      case 'JetTerm':
      case 'JetTerm2':
        return; // see `terminated`: the target is resolved when the term starts
      case 'JetBeginSession': {
        const inst = this.beginTarget(ref('instance'));
        if (issued && inst) this.addSession(issued, inst, thread);
        return;
      }
      case 'JetDupSession': {
        const s = isRoleRef(ref('sesid')) ? this.sessionOf((ref('sesid') as { role: string }).role) : undefined;
        if (issued && s) this.addSession(issued, s.instance, thread);
        return;
      }
      case 'JetEndSession': {
        const s = isRoleRef(ref('sesid')) ? this.sessionOf((ref('sesid') as { role: string }).role) : undefined;
        if (s) this.endSession(s, 'end');
        return;
      }
      case 'JetSetSessionContext':
      case 'JetResetSessionContext': {
        const s = isRoleRef(ref('sesid')) ? this.sessionOf((ref('sesid') as { role: string }).role) : undefined;
        if (s === undefined) return;
        if (call.op === 'JetSetSessionContext') s.contextThread = thread;
        else delete s.contextThread;
        return;
      }
      case 'JetBeginTransaction':
      case 'JetBeginTransaction2':
      case 'JetCommitTransaction':
      case 'JetRollback': {
        const s = isRoleRef(ref('sesid')) ? this.sessionOf((ref('sesid') as { role: string }).role) : undefined;
        if (s === undefined) return;
        if (call.op === 'JetCommitTransaction' && ((a.grbit as number) & ~B.JET_bitCommitLazyFlush) !== 0) return; // flush only
        if (call.op === 'JetRollback' && ((a.grbit as number) & B.JET_bitRollbackAll) !== 0) s.level = 0;
        else s.level = Math.max(0, s.level + (call.op.startsWith('JetBegin') ? 1 : -1));
        return;
      }
      case 'JetCreateDatabase':
      case 'JetOpenDatabase': {
        if (typeof out.dbid !== 'number') return;
        this.dbids.set(out.dbid, a.filename as string);
        if (typeof sutOut.dbid === 'number') this.dbidIds.set(out.dbid, sutOut.dbid);
        const owner = isRoleRef(ref('sesid')) ? this.sessionOf((ref('sesid') as { role: string }).role)?.instance : undefined;
        if (owner !== undefined) this.dbidOwners.set(out.dbid, owner);
        else this.dbidOwners.delete(out.dbid);
        return;
      }
      case 'JetCreateTable': {
        const s = this.sessionOf((ref('sesid') as { role: string }).role);
        const file = this.dbids.get(a.dbid as number);
        if (!issued || !s || file === undefined) return;
        const t: TableRec = { file, name: a.tablename as string, columns: [] };
        this.tables.set(tableKey(file, t.name), t);
        this.addCursor({ role: issued, session: s, table: t, tempColumns: [] });
        return;
      }
      case 'JetAddColumn': {
        const c = isRoleRef(ref('tableid')) ? this.cursorOf((ref('tableid') as { role: string }).role) : undefined;
        if (c?.table && typeof out.columnid === 'number') {
          c.table.columns.push(out.columnid);
          if (typeof sutOut.columnid === 'number') this.bindColumn(this.columnTable(c), out.columnid, sutOut.columnid);
        }
        return;
      }
      case 'JetOpenTable': {
        const s = this.sessionOf((ref('sesid') as { role: string }).role);
        const file = this.dbids.get(a.dbid as number);
        if (!issued || !s || file === undefined) return;
        const name = a.tablename as string;
        let t = this.table(file, name);
        if (t === undefined) {
          t = { file, name, columns: [] };
          this.tables.set(tableKey(file, name), t);
        }
        this.addCursor({ role: issued, session: s, table: t, tempColumns: [] });
        return;
      }
      case 'JetDupCursor': {
        const src = this.cursorOf((ref('tableid') as { role: string }).role);
        if (issued && src) this.addCursor({ role: issued, session: src.session, ...(src.table ? { table: src.table } : {}), tempColumns: src.tempColumns });
        return;
      }
      case 'JetOpenTempTable': {
        const s = this.sessionOf((ref('sesid') as { role: string }).role);
        if (issued && s) {
          const cols = (out.columnids as number[] | undefined) ?? [];
          const sutCols = Array.isArray(sutOut.columnids) ? (sutOut.columnids as unknown[]) : [];
          this.tempTables.set(cols, `temp:${issued.name}`);
          cols.forEach((id, i) => {
            if (typeof sutCols[i] === 'number') this.bindColumn(`temp:${issued.name}`, id, sutCols[i]);
          });
          this.addCursor({ role: issued, session: s, tempColumns: cols });
          s.instance.tempDb = true;
        }
        return;
      }
      case 'JetCloseTable': {
        const c = isRoleRef(ref('tableid')) ? this.cursorOf((ref('tableid') as { role: string }).role) : undefined;
        if (c && c.role.status === 'live') c.role.status = 'dead';
        return;
      }
      default:
        return;
    }
  }

  /** The key of the table a cursor is on, for its column ids. */
  private columnTable(c: CursorRec): string | undefined {
    return c.table !== undefined ? tableKey(c.table.file, c.table.name) : this.tempTables.get(c.tempColumns);
  }

  private bindColumn(table: string | undefined, model: number, sut: number): void {
    if (table === undefined) return;
    let ids = this.columnIds.get(table);
    if (ids === undefined) this.columnIds.set(table, (ids = new Map<number, number>()));
    ids.set(model, sut);
  }

  /** The implementation's ids of the columns already known on the table a call's cursor is on. */
  knownSutColumns(call: SymCall): number[] {
    const table = this.tableOfCall(call);
    return table === undefined ? [] : [...(this.columnIds.get(table)?.values() ?? [])];
  }

  private tableOfCall(call: SymCall): string | undefined {
    const t = (call.args as Record<string, unknown>).tableid;
    const c = isRoleRef(t) ? this.cursorOf(t.role) : undefined;
    return c === undefined ? undefined : this.columnTable(c);
  }

  /**
   * The implementation's side of a resolved call: a column id translated to the implementation's id
   * for that column, a dbid to the implementation's dbid of that database (a dbid the run never
   * bound, 0, goes as it is).
   */
  toSutIds(call: SymCall, resolved: ApiCall): ApiCall {
    const args = resolved.args as Record<string, unknown>;
    let out: Record<string, unknown> | undefined;
    if (typeof args.columnid === 'number') {
      const table = this.tableOfCall(call);
      const sut = table === undefined ? undefined : this.columnIds.get(table)?.get(args.columnid);
      if (sut !== undefined) out = { ...args, columnid: sut };
    }
    if (typeof args.dbid === 'number') {
      const sut = this.dbidIds.get(args.dbid);
      if (sut !== undefined) out = { ...(out ?? args), dbid: sut };
    }
    return out === undefined ? resolved : ({ op: resolved.op, args: out } as ApiCall);
  }

  /** The implementation's dbid of the database the reference gave `model`, while the reference keeps it. */
  sutDbid(model: number): number | undefined {
    return this.dbidIds.get(model);
  }

  /**
   * Why the implementation's dbid cannot stand for the reference's `model`, or undefined: a whole
   * number; the dbid this database already has while the reference keeps it (the same database
   * keeps its dbid); else one no other database of the run has now (two never share one).
   */
  dbidProblem(model: number, sut: unknown): { readonly problem: string; readonly expected: string } | undefined {
    if (typeof sut !== 'number' || !Number.isInteger(sut)) return { problem: `is not a dbid: ${JSON.stringify(sut) ?? 'nothing'}`, expected: 'a dbid' };
    const bound = this.dbidIds.get(model);
    if (bound !== undefined) {
      return bound === sut ? undefined : { problem: `${sut} is not this database's dbid ${bound} (the reference answers its dbid ${model} again)`, expected: `${bound}` };
    }
    for (const [other, id] of this.dbidIds) {
      if (id === sut) return { problem: `${sut} is the dbid of another database (${this.dbids.get(other) ?? '?'}), still attached`, expected: 'a dbid no other database has' };
    }
    return undefined;
  }

  /** A term that freed its instance (the reference answered 0 or JET_errDirtyShutdown). */
  terminated(inst: InstanceRec | undefined): void {
    if (inst === undefined || inst.freed) return;
    inst.freed = true;
    if (inst.role && inst.role.status === 'live') inst.role.status = 'dead';
    for (const s of [...inst.sessions]) this.endSession(s, 'term');
    for (const [dbid, owner] of this.dbidOwners) {
      if (owner !== inst) continue;
      this.dbidOwners.delete(dbid);
      this.dbids.delete(dbid);
      this.dbidIds.delete(dbid);
    }
    if (this.instances.every((i) => i.freed)) {
      this.mode = 'none';
      this.singleton = null;
    }
  }

  private addInstance(inst: InstanceRec): void {
    this.instances.push(inst);
    if (inst.role) this.byRole.set(inst.role.name, inst);
  }

  private addSession(role: Role, instance: InstanceRec, home: string): void {
    const s: SessionRec = { role, instance, home, level: 0 };
    this.sessions.push(s);
    instance.sessions.add(s);
    this.byRole.set(role.name, s);
  }

  private addCursor(c: CursorRec): void {
    this.cursors.push(c);
    this.byRole.set(c.role.name, c);
  }

  private endSession(s: SessionRec, by: 'end' | 'term'): void {
    if (s.role.status !== 'live') return;
    s.role.status = 'dead';
    s.endedBy = by;
    s.instance.sessions.delete(s);
    for (const c of this.cursors) if (c.session === s && c.role.status === 'live') c.role.status = 'dead';
  }

  /** Dead handles are never passed again (their memory may now belong to another object). */
  private retireDead(): void {
    for (const r of this.roles.all()) if (r.status === 'dead') r.status = 'retired';
  }

  /**
   * A new handle is about to be bound: every dead handle is retired first (ESENT may hand out
   * its memory again), and so is every cursor the reference does not positively know as open.
   */
  async retireStale(model: Implementation): Promise<void> {
    for (const c of this.cursors) {
      if (c.role.status !== 'live') continue;
      if (c.session.role.status !== 'live' || !(await probeCursor(model, c.session, c.role.model))) c.role.status = 'dead';
    }
    for (const r of this.roles.all()) if (r.status === 'dead') r.status = 'retired';
  }
}

/**
 * Whether the reference still knows the cursor as open: JetRetrieveColumn with a columnid no
 * table has passes the handle checks and stops at JET_errColumnNotFound, changing nothing.
 * Any other answer (an invalid tableid, or an entry check that hides the answer) counts as closed.
 * Made on a thread of its own, or on the context's thread while a context is set: a call from
 * another thread at level 0 leaks an internal transaction level (ESE does, and the reference with
 * it: docs/implementations/ese.md triage item 10), which the implementation would not get.
 */
async function probeCursor(model: Implementation, session: SessionRec, tableid: Handle): Promise<boolean> {
  const r = await model.call(session.contextThread ?? 'fuzz-probe', 'JetRetrieveColumn', { sesid: session.role.model, tableid, columnid: probeColumnid });
  return r.kind === 'returned' && r.err === E.JET_errColumnNotFound;
}
