/**
 * Bugs of what survives the end, and of what a failed clean-up leaves (red team G): implementations
 * whose JetEndSession is right for everything a live instance shows, and wrong for what the
 * database holds after a term, a dirty term and its recovery, for what a session begun after the
 * end sees, for what a failed close has already closed, and in the corners the whole-state probe
 * does not reach (a temp table opened on a freed slot, a nested begin from another thread). Each
 * violates one postcondition and does everything else as the reference does.
 */
import type { AdapterStatus, CallResult, Implementation } from '../adapters/types';
import type { ArgsOf, OperationName } from '../api';
import { createReferenceImplementation } from '../adapters/reference';
import { JET_bits as B, JET_errors as E } from '../api';
import type { Core, EngineResult, OpImpl, OpTable, PendingTerm } from '../oracle/api';
import { closeDatabases, closeTempTables, endSessionFree, makeJetEndSession, referenceEndSession, rollbackTransaction, type EndSessionPlan, type EndSessionStep } from '../oracle/endsession';
import { JetAttachDatabase, JetOpenTempTable } from '../oracle/dbops';
import { JetBeginSession, JetInit, JetTerm, JetTerm2 } from '../oracle/lifecycle';
import { JetBeginTransaction, JetBeginTransaction2, JetCommitTransaction } from '../oracle/sessionops';
import type { ProcessState } from '../oracle/process';
import { Rec, type Values } from '../oracle/records';
import type { Session } from '../oracle/session';
import type { DbFile } from '../oracle/table';
import { closeDatabaseOnce, finalClose } from '../oracle/resources';
import { sessionOf } from '../oracle/entry';
import type { MutantSpec } from './types';
import { WrappedImplementation, handleKey } from './wrap';
import { plan, replace } from './engine-plans';
import { both, made, wrapped, type MutantOptions } from './entries';

const ref = referenceEndSession;

/** The reference with some operations (JetEndSession's plan among them, when given) replaced. */
function engine(ops: Partial<OpTable>, endPlan: EndSessionPlan | null, options: MutantOptions): Implementation {
  const all: Partial<OpTable> = endPlan === null ? ops : { ...ops, JetEndSession: makeJetEndSession(endPlan) };
  return createReferenceImplementation({ engine: { ops: all }, ...(options?.target === undefined ? {} : { target: options.target }) });
}

/** An operation with something done after its body returned (not for a pending term). */
function after<O extends OperationName>(op: OpImpl<O>, then: (core: Core, r: EngineResult<O>, a: Parameters<OpImpl<O>['body']>[2], before: unknown) => void, first?: (core: Core, a: Parameters<OpImpl<O>['body']>[2], e: Parameters<OpImpl<O>['body']>[1]) => unknown): OpImpl<O> {
  return {
    enter: (core, thread, a) => op.enter(core, thread, a),
    body(core, e, a): EngineResult<O> | PendingTerm {
      const noted = first?.(core, a, e);
      const r = op.body(core, e, a);
      if (!('pending' in r)) then(core, r, a, noted);
      return r;
    },
  };
}

/** The database file a record belongs to (null: a temp table). */
function fileOf(p: ProcessState, rec: Rec): DbFile | null {
  for (const db of p.folder.values()) for (const t of db.tables.values()) if (t.records === rec.list) return db;
  return null;
}

// ---- Rolled-back work made durable again -------------------------------------------------------

/** When the end's rolled-back work comes back: the JetInit that recovers a dirty term, or any later attach of the file. */
type Trigger = 'recovery' | 'attach';
type Kind = 'all' | 'delete';

/** The image an ended transaction left on a record (null: it deleted it), per file, per process. */
interface Ghost {
  readonly rec: Rec;
  readonly values: Values | null;
}
const ghosts = new WeakMap<ProcessState, Map<DbFile, Ghost[]>>();

/** The end's first step: the outermost image each record of the open transaction would have had, noted before the rollback. */
const noteGhosts =
  (kind: Kind): EndSessionStep =>
  (core, s) => {
    if (s.level === 0) return 0;
    let byFile = ghosts.get(core.p);
    if (byFile === undefined) ghosts.set(core.p, (byFile = new Map<DbFile, Ghost[]>()));
    const seen = new Set<Rec>();
    for (let l = s.level; l >= 1; l--) {
      for (const u of s.frames[l]?.undo ?? []) {
        if (!(u instanceof Rec) || seen.has(u) || u.writer !== s) continue;
        seen.add(u);
        const top = u.top();
        if (top === undefined || (kind === 'delete') !== (top.values === null)) continue;
        const db = fileOf(core.p, u);
        if (db === null) continue;
        const list = byFile.get(db) ?? [];
        list.push({ rec: u, values: top.values === null ? null : [...top.values] });
        byFile.set(db, list);
      }
    }
    return 0;
  };

/** The ghosts of the files made durable: what the end undid in memory was never undone on disk. */
function redo(p: ProcessState, files: Iterable<DbFile>): void {
  const byFile = ghosts.get(p);
  if (byFile === undefined) return;
  for (const db of files) {
    for (const g of byFile.get(db) ?? []) {
      const ts = ++p.clock;
      if (g.values === null) {
        g.rec.versions.push({ ts, values: null });
        g.rec.list.unlink(g.rec);
      } else if (g.rec.removed) {
        const r = g.rec.list.append();
        r.versions.push({ ts, values: g.values });
      } else g.rec.versions.push({ ts, values: g.values });
    }
    byFile.delete(db);
  }
}

function ghostOps(trigger: Trigger): Partial<OpTable> {
  if (trigger === 'recovery') {
    return { JetInit: after(JetInit, (core, r, _a, files) => (r.err === 0 ? redo(core.p, files as DbFile[]) : undefined), (core) => [...(core.p.dirtyTerms[0] ?? [])]) };
  }
  return {
    JetAttachDatabase: after(JetAttachDatabase, (core, r, a) => {
      if (r.err !== 0) return;
      for (const db of core.p.folder.values()) if (db.name.toLowerCase() === a.filename.toLowerCase()) redo(core.p, [db]);
    }),
  };
}

const ghostPlan = (kind: Kind): EndSessionPlan => plan({ cleanup: [noteGhosts(kind), ...ref.cleanup] });

// ---- Commits an ended session made, lost -------------------------------------------------------

/** A level-0 commit: the records and the timestamp of their committed version. */
interface Committed {
  readonly recs: readonly Rec[];
  readonly ts: number;
  readonly lazy: boolean;
}
/** Per session, its level-0 commits not yet on disk (the bug keeps them in a per-session buffer). */
const unflushed = new WeakMap<Session, Committed[]>();
/** Per process: the commits of ended sessions, whose buffers the end dropped, waiting to be lost. */
const dropped = new WeakMap<ProcessState, Committed[]>();
/** Per process: dropped commits of files a dirty term left, lost at the recovery. */
const lostAtRecovery = new WeakMap<ProcessState, Committed[]>();

/** JetCommitTransaction noting what a commit to level 0 made committed. */
const commitNoted: OpImpl<'JetCommitTransaction'> = after(
  JetCommitTransaction,
  (core, r, a, noted) => {
    const recs = noted as Rec[] | null;
    if (r.err !== 0 || recs === null) return;
    const s = sessionOf(core.p, a.sesid);
    if (s === undefined || s.level !== 0) return;
    const list = unflushed.get(s) ?? [];
    list.push({ recs, ts: core.p.clock, lazy: ((a.grbit >>> 0) & B.JET_bitCommitLazyFlush) !== 0 });
    unflushed.set(s, list);
  },
  (core, a) => {
    const s = sessionOf(core.p, a.sesid);
    if (s === undefined || s.level !== 1) return null;
    return (s.frames[1]?.undo ?? []).filter((u): u is Rec => u instanceof Rec);
  },
);

/** The end's last step: the session's commit buffer dropped (only the commits `lost` selects). */
const dropBuffer =
  (lost: (c: Committed) => boolean): EndSessionStep =>
  (core, s, thread) => {
    const list = (unflushed.get(s) ?? []).filter(lost);
    const err = ref.cleanup[ref.cleanup.length - 1](core, s, thread);
    if (err !== 0) return err;
    const all = dropped.get(core.p) ?? [];
    all.push(...list);
    dropped.set(core.p, all);
    return 0;
  };

/** A commit's versions taken back out of its records. */
function lose(p: ProcessState, commits: readonly Committed[], files: ReadonlySet<DbFile> | null): Committed[] {
  const kept: Committed[] = [];
  for (const c of commits) {
    const inFiles = c.recs.filter((r) => files === null || files.has(fileOf(p, r) as DbFile));
    if (inFiles.length === 0) {
      kept.push(c);
      continue;
    }
    for (const rec of inFiles) {
      rec.versions = rec.versions.filter((v) => v.ts !== c.ts);
      if (rec.versions.length === 0 && rec.stack.length === 0) rec.list.unlink(rec);
    }
  }
  return kept;
}

/** A term: the dropped commits are lost now (every term), or at the recovery of a dirty one (dirty terms only). */
function termLoses(when: 'any-term' | 'dirty-recovery'): Partial<OpTable> {
  const onTerm = (core: Core, r: EngineResult<'JetTerm2'>, grbit: number, files: DbFile[]) => {
    if (r.err !== 0 && r.err !== E.JET_errDirtyShutdown) return;
    const all = dropped.get(core.p) ?? [];
    const set = new Set(files);
    if (when === 'any-term') {
      dropped.set(core.p, lose(core.p, all, set));
      return;
    }
    // The recovery loses what was dropped before a dirty term; a clean term flushed the pages.
    const mine = all.filter((c) => c.recs.some((rec) => set.has(fileOf(core.p, rec) as DbFile)));
    dropped.set(core.p, all.filter((c) => !mine.includes(c)));
    if ((grbit & B.JET_bitTermDirty) !== 0) lostAtRecovery.set(core.p, [...(lostAtRecovery.get(core.p) ?? []), ...mine]);
  };
  const filesOf = (core: Core, instance: unknown): DbFile[] => [...core.p.folder.values()].filter((db) => db.attachedTo !== null && (db.attachedTo as { handle?: unknown }).handle === instance);
  return {
    JetTerm: after(JetTerm, (core, r, _a, files) => onTerm(core, r, B.JET_bitTermAbrupt, files as DbFile[]), (core, a) => filesOf(core, a.instance)),
    JetTerm2: after(JetTerm2, (core, r, a, files) => onTerm(core, r, a.grbit, files as DbFile[]), (core, a) => filesOf(core, a.instance)),
    ...(when === 'dirty-recovery'
      ? {
          JetInit: after(JetInit, (core, r, _a, files) => {
            if (r.err !== 0) return;
            lostAtRecovery.set(core.p, lose(core.p, lostAtRecovery.get(core.p) ?? [], new Set(files as DbFile[])));
          }, (core) => [...(core.p.dirtyTerms[0] ?? [])]),
        }
      : {}),
  };
}

const dropPlan = (lost: (c: Committed) => boolean): EndSessionPlan => plan({ cleanup: replace(ref.cleanup, ref.cleanup[ref.cleanup.length - 1], dropBuffer(lost)) });

// ---- A session begun after the end inherits the ended one's snapshot --------------------------

/** Per process: the snapshot of the last session ended inside a transaction (its PIB, recycled). */
const recycledSnapshot = new WeakMap<ProcessState, number>();
const inherits = new WeakMap<Session, number>();

/** The end puts the PIB back with its snapshot: the one of its open transaction, or the one it inherited and never replaced. */
const noteSnapshot: EndSessionStep = (core, s) => {
  const kept = s.level > 0 ? s.trxBeginTs : inherits.get(s);
  if (kept !== undefined) recycledSnapshot.set(core.p, kept);
  return 0;
};

const beginInherits: OpImpl<'JetBeginSession'> = after(JetBeginSession, (core, r) => {
  const ts = recycledSnapshot.get(core.p);
  if (r.err !== 0 || r.sesid === undefined || ts === undefined) return;
  const s = sessionOf(core.p, r.sesid);
  if (s === undefined) return;
  recycledSnapshot.delete(core.p);
  inherits.set(s, ts);
});

/** The first level-0 begin of such a session keeps the inherited snapshot instead of taking one. */
function firstBeginInherits<O extends 'JetBeginTransaction' | 'JetBeginTransaction2'>(op: OpImpl<O>): OpImpl<O> {
  return after(op, (core, r, a) => {
    const s = sessionOf(core.p, (a as { readonly sesid: bigint }).sesid as never);
    if (r.err !== 0 || s === undefined || s.level !== 1) return;
    const ts = inherits.get(s);
    if (ts === undefined) return;
    inherits.delete(s);
    s.trxBeginTs = ts;
  });
}

// ---- A failed close that closed the others first ----------------------------------------------

/** Every database closed that can be; the failure of one is returned after the others were closed. */
const closeDatabasesThenFail: EndSessionStep = (core, s) => {
  let failed = 0;
  for (const db of [...s.dbOpens.keys()]) {
    const err = core.faults.take('close-database');
    if (err !== 0) {
      failed ||= err;
      continue;
    }
    while (s.dbOpens.has(db)) closeDatabaseOnce(core.p, s, db, true);
  }
  return failed;
};

/** Every temp table closed that can be; the failure of one is returned after the others were closed. */
const closeTempTablesThenFail: EndSessionStep = (core, s) => {
  let failed = 0;
  for (const c of [...s.temps]) {
    const err = core.faults.take('close-sort');
    if (err !== 0) {
      failed ||= err;
      continue;
    }
    finalClose(core.p, c);
  }
  return failed;
};

/** A retried end after a failed close skips the rollback: it believes the first attempt did it. */
const rolledBackOnce = new WeakSet<Session>();
const rollbackOncePerSession: EndSessionStep = (core, s, thread) => {
  if (rolledBackOnce.has(s)) return 0;
  const err = rollbackTransaction(core, s, thread);
  if (err === 0) rolledBackOnce.add(s);
  return err;
};

// ---- A temp table opened on a freed slot shows the old rows ------------------------------------

/** Per process: the rows of the temp tables the last end closed (their sort buffers, not cleared). */
const staleRows = new WeakMap<ProcessState, Values[]>();

const noteTempRows: EndSessionStep = (core, s) => {
  const rows: Values[] = [];
  for (const c of s.temps) {
    for (let r = c.table.records.head; r !== null; r = r.next) {
      const v = r.top()?.values ?? r.lastVersion()?.values ?? null;
      if (v !== null) rows.push([...v]);
    }
  }
  if (rows.length > 0) staleRows.set(core.p, rows);
  return 0;
};

const tempOpenShowsStaleRows: OpImpl<'JetOpenTempTable'> = after(JetOpenTempTable, (core, r) => {
  const rows = staleRows.get(core.p);
  if (r.err !== 0 || r.tableid === undefined || rows === undefined) return;
  staleRows.delete(core.p);
  const c = core.p.handles.get(r.tableid);
  if (c === undefined || c.kind !== 'cursor') return;
  for (const values of rows) c.table.records.append().versions.push({ ts: 0, values });
});

// ---- JetTerm ending the idle sessions of every instance -------------------------------------------

function termEndsOthers<O extends 'JetTerm' | 'JetTerm2'>(op: OpImpl<O>): OpImpl<O> {
  return after(op, (core, r) => {
    if (r.err !== 0 && r.err !== E.JET_errDirtyShutdown) return;
    for (const inst of core.p.instances) {
      for (const s of [...inst.sessions]) {
        if (s.level > 0 || s.context !== null || s.temps.size > 0 || s.dbOpens.size > 0) continue;
        core.p.handles.free(s.handle);
        inst.sessions.delete(s);
        inst.slotsUsed--;
      }
    }
  });
}

// ---- A refused end (-1910) that unbinds the transaction from its thread --------------------------

/**
 * After JetEndSession on another thread than the transaction's was refused with -1910, the
 * transaction answers to any thread: a nested begin, commit or rollback refused (-1910) on another
 * thread is done on the transaction's own.
 */
class RefusalUnbindsTransaction extends WrappedImplementation {
  /** Per session: its transaction depth as this wrapper counts it, and the thread of its level-0 begin. */
  private readonly depth = new Map<string, number>();
  private readonly boundTo = new Map<string, string>();
  private readonly unbound = new Set<string>();

  override async reset(): Promise<AdapterStatus> {
    this.depth.clear();
    this.boundTo.clear();
    this.unbound.clear();
    return super.reset();
  }

  override async call<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<CallResult<O>> {
    const sesid = (args as { readonly sesid?: unknown }).sesid;
    if (sesid === undefined) return super.call(thread, op, args);
    const key = handleKey(sesid as never);
    const own = this.boundTo.get(key);
    const trxOp = op === 'JetBeginTransaction' || op === 'JetBeginTransaction2' || op === 'JetCommitTransaction' || op === 'JetRollback';
    let r = await super.call(thread, op, args);
    if (r.kind !== 'returned') return r;
    if (trxOp && r.err === E.JET_errSessionSharingViolation && this.unbound.has(key) && own !== undefined && own !== thread) r = await super.call(own, op, args);
    if (r.kind !== 'returned') return r;
    const d = this.depth.get(key) ?? 0;
    if ((op === 'JetBeginTransaction' || op === 'JetBeginTransaction2') && r.err >= 0) {
      if (d === 0) this.boundTo.set(key, thread);
      this.depth.set(key, d + 1);
    } else if (op === 'JetCommitTransaction' && r.err >= 0 && d > 0) this.depth.set(key, d - 1);
    else if (op === 'JetRollback' && r.err >= 0 && d > 0) this.depth.set(key, ((args as ArgsOf<'JetRollback'>).grbit & B.JET_bitRollbackAll) !== 0 ? 0 : d - 1);
    else if (op === 'JetEndSession' && r.err === E.JET_errSessionSharingViolation && d > 0) this.unbound.add(key);
    else if (op === 'JetEndSession' && r.err >= 0) this.depth.set(key, 0);
    if ((this.depth.get(key) ?? 0) === 0) {
      this.boundTo.delete(key);
      this.unbound.delete(key);
    }
    return r;
  }
}

// ---- A slot given back twice ------------------------------------------------------------------

/** Sessions that held nothing when their end began. */
const heldNothing = new WeakSet<Session>();
const noteIdle: EndSessionStep = (_core, s) => {
  if (s.level === 0 && s.dbOpens.size === 0 && s.temps.size === 0 && s.cursorsByDb.size === 0) heldNothing.add(s);
  return 0;
};
/** The free of a session that held nothing gives its JET_paramMaxSessions slot back twice. */
const idleFreesSlotTwice: EndSessionStep = (core, s, thread) => {
  const err = endSessionFree(core, s, thread);
  if (err === 0 && heldNothing.has(s)) s.instance.slotsUsed--;
  return err;
};

/** The rollback of the end gives the session's slot back, and the free gives it back again. */
const rollbackFreesSlotToo: EndSessionStep = (core, s, thread) => {
  const had = s.level > 0;
  const err = rollbackTransaction(core, s, thread);
  if (err === 0 && had) s.instance.slotsUsed--;
  return err;
};

// ---- The catalogue entries -------------------------------------------------------------------------

/** Every bug written by red team G, registered or not (the scratch runs take them from here). */
export const redTeamGCandidates: readonly MutantSpec[] = [
  made('end-rollback-redone-by-recovery', 'the rollback of JetEndSession is not logged: the JetInit that recovers a dirty term redoes the ended transaction\'s inserts, updates and deletes',
    both(['ES-ROLLBACK-LEVEL1']), (o) => engine(ghostOps('recovery'), ghostPlan('all'), o)),
  made('end-rollback-redone-at-attach', 'the rollback of JetEndSession is undone in the cache only: after a term, the file attached again holds the ended transaction\'s inserts, updates and deletes',
    both(['ES-ROLLBACK-LEVEL1']), (o) => engine(ghostOps('attach'), ghostPlan('all'), o)),
  made('end-rolled-back-delete-redone-at-attach', 'a delete the end rolled back is undone in the cache only: after a term, the file attached again has lost the committed record',
    both(['ES-ROLLBACK-LEVEL1']), (o) => engine(ghostOps('attach'), ghostPlan('delete'), o)),
  made('end-rolled-back-delete-redone-by-recovery', 'a delete the end rolled back is not logged as undone: the JetInit that recovers a dirty term deletes the committed record',
    both(['ES-ROLLBACK-LEVEL1']), (o) => engine(ghostOps('recovery'), ghostPlan('delete'), o)),
  made('lazy-commit-dropped-at-end', 'JetEndSession drops the session\'s log buffer: its JET_bitCommitLazyFlush commits, visible to everyone, are gone after the next clean term',
    both(['ES-COMMITTED-KEPT']), (o) => engine({ JetCommitTransaction: commitNoted, ...termLoses('any-term') }, dropPlan((c) => c.lazy), o)),
  made('lazy-commit-lost-at-dirty-term', 'JetEndSession does not flush the session\'s JET_bitCommitLazyFlush commits: a dirty term and its recovery lose them (allowed: a lazy commit keeps its crash-durability window)',
    {}, (o) => engine({ JetCommitTransaction: commitNoted, ...termLoses('dirty-recovery') }, dropPlan((c) => c.lazy), o), 'allowed'),
  made('ended-session-commits-lost-by-recovery', 'JetEndSession drops the session\'s unwritten log records: after a dirty term the recovery loses every commit of a session ended before it',
    both(['ES-ROLLBACK-LEVEL1']), (o) => engine({ JetCommitTransaction: commitNoted, ...termLoses('dirty-recovery') }, dropPlan(() => true), o)),
  made('new-session-inherits-ended-snapshot', 'a session begun after an end inside a transaction takes the ended session\'s memory with its snapshot: its first transaction misses what was committed since',
    both(['ES-COMMITTED-KEPT']), (o) => engine({ JetBeginSession: beginInherits, JetBeginTransaction: firstBeginInherits(JetBeginTransaction), JetBeginTransaction2: firstBeginInherits(JetBeginTransaction2) }, plan({ cleanup: [noteSnapshot, ...ref.cleanup] }), o)),
  made('close-db-failure-closes-the-others', 'a failed database close does not stop the end: every other database is closed before the error is returned',
    both(['ES-CLEANUP-FAILURE-LEAVES-SESSION']), (o) => engine({}, plan({ cleanup: replace(ref.cleanup, closeDatabases, closeDatabasesThenFail) }), o)),
  made('close-sort-failure-closes-the-others', 'a failed temp-table close does not stop the end: every other temp table is closed before the error is returned',
    both(['ES-CLEANUP-FAILURE-LEAVES-SESSION']), (o) => engine({}, plan({ cleanup: replace(ref.cleanup, closeTempTables, closeTempTablesThenFail) }), o)),
  made('retried-end-skips-rollback', 'an end retried after a failed close skips the rollback (the first attempt did one): a transaction begun in between stays open in the freed session',
    both(['ES-CLEANUP-FAILURE-LEAVES-SESSION']), (o) => engine({}, plan({ cleanup: replace(ref.cleanup, rollbackTransaction, rollbackOncePerSession) }), o)),
  made('temp-rows-survive-slot-reuse', 'the temp tables an end closes keep their rows in the sort buffer: the next temp table opened on the instance shows them',
    both(['ES-SORTS-CLOSED']), (o) => engine({ JetOpenTempTable: tempOpenShowsStaleRows }, plan({ cleanup: [noteTempRows, ...ref.cleanup] }), o)),
  made('term-ends-other-instances-sessions', 'JetTerm ends the idle sessions of every instance of the process, not only its own',
    both(['ES-AFTER-TERM']), (o) => engine({ JetTerm: termEndsOthers(JetTerm), JetTerm2: termEndsOthers(JetTerm2) }, null, o)),
  wrapped('sharing-refusal-unbinds-transaction', 'a JetEndSession refused with -1910 (the transaction\'s thread is another) unbinds the transaction: any thread can then nest, commit or roll it back',
    { esent: ['ES-SHARING-VIOLATION'] }, (inner, name) => new RefusalUnbindsTransaction(inner, name), 'documented: -1914 is allowed there too, and the doc does not bind a transaction to a thread'),
  made('idle-end-frees-slot-twice', 'the end of a session that holds nothing gives its JET_paramMaxSessions slot back twice: after enough such ends the session limit is gone',
    both(['ES-SESSION-SLOT-FREED']), (o) => engine({}, plan({ cleanup: [noteIdle, ...replace(ref.cleanup, endSessionFree, idleFreesSlotTwice)] }), o)),
  made('transaction-end-frees-slot-twice', 'an end that rolls back a transaction gives the session\'s JET_paramMaxSessions slot back twice: after MaxSessions + 100 such ends the limit is gone (red team E\'s rollback-end-frees-slot-twice, decided again: the limit must still hold then)',
    both(['ES-SESSION-SLOT-FREED']), (o) => engine({}, plan({ cleanup: replace(ref.cleanup, rollbackTransaction, rollbackFreesSlotToo) }), o)),
];

/** The ones the catalogue registers: those no scenario killed before red team G's scenarios. */
const registered: ReadonlySet<string> = new Set<string>([
  'end-rollback-redone-by-recovery',
  'end-rolled-back-delete-redone-by-recovery',
  'lazy-commit-dropped-at-end',
  'ended-session-commits-lost-by-recovery',
  'close-db-failure-closes-the-others',
  'temp-rows-survive-slot-reuse',
  'term-ends-other-instances-sessions',
  'sharing-refusal-unbinds-transaction',
  'transaction-end-frees-slot-twice',
]);
export const redTeamGMutants: readonly MutantSpec[] = redTeamGCandidates.filter((m) => registered.has(m.name));
