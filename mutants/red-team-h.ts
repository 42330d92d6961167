/**
 * Bugs of what other sessions and other instances observe of an end (red team H): implementations
 * whose JetEndSession is right for the ended session itself, and wrong for a second instance of the
 * process (a stop, a term or a limit that is process-wide where ESE keeps it per instance; a term
 * that reaches the other instance's sessions) or for another session's snapshot (versions pruned,
 * re-stamped or refreshed by the end, a rolled-back delete put back as a new record). Each violates
 * one postcondition and does everything else as the reference does.
 */
import type { Implementation } from '../adapters/types';
import type { OperationName } from '../api';
import { createReferenceImplementation } from '../adapters/reference';
import { JET_bits as B, JET_errors as E } from '../api';
import type { Core, EngineResult, OpImpl, OpTable, PendingTerm } from '../oracle/api';
import { fail } from '../oracle/api';
import { checkProcessTerm, endSessionFree, makeJetEndSession, referenceEndSession, rollbackTransaction, type EndSessionCheck, type EndSessionPlan, type EndSessionStep } from '../oracle/endsession';
import { JetBeginSession, JetStopServiceInstance2, JetTerm, JetTerm2 } from '../oracle/lifecycle';
import { JetCommitTransaction } from '../oracle/sessionops';
import type { Instance } from '../oracle/instance';
import type { ProcessState } from '../oracle/process';
import { Rec } from '../oracle/records';
import type { Session } from '../oracle/session';
import type { DbFile, Table } from '../oracle/table';
import type { Cursor } from '../oracle/cursor';
import { closeDatabaseOnce, finalClose } from '../oracle/resources';
import { rollbackAll } from '../oracle/transaction';
import { findInstance, sessionOf } from '../oracle/entry';
import type { MutantSpec } from './types';
import { both, made, type MutantOptions } from './entries';
import { plan, replace } from './engine-plans';

type Options = MutantOptions;
const ref = referenceEndSession;

/** The reference with some operations (JetEndSession's plan among them, when given) replaced. */
function engine(ops: Partial<OpTable>, endPlan: EndSessionPlan | null, options: Options): Implementation {
  const all: Partial<OpTable> = endPlan === null ? ops : { ...ops, JetEndSession: makeJetEndSession(endPlan) };
  return createReferenceImplementation({ engine: { ops: all }, ...(options?.target === undefined ? {} : { target: options.target }) });
}

/** An operation with something done after its body returned (not for a pending term). */
function after<O extends OperationName>(op: OpImpl<O>, then: (core: Core, r: EngineResult<O>, a: Parameters<OpImpl<O>['body']>[2], noted: unknown) => void, first?: (core: Core, a: Parameters<OpImpl<O>['body']>[2]) => unknown): OpImpl<O> {
  return {
    enter: (core, thread, a) => op.enter(core, thread, a),
    body(core, e, a): EngineResult<O> | PendingTerm {
      const noted = first?.(core, a);
      const r = op.body(core, e, a);
      if (!('pending' in r)) then(core, r, a, noted);
      return r;
    },
  };
}

/** The process's other instances, after a term of `gone` (it has left p.instances by then). */
function others(p: ProcessState, gone: unknown): Instance[] {
  return [...p.instances].filter((i) => i !== gone);
}

// ---- A second instance -------------------------------------------------------------------------

/** JetStopServiceInstance2(All) sets one process-wide flag: every instance refuses new sessions (-1329). */
const stopServiceEveryInstance: OpImpl<'JetStopServiceInstance2'> = after(JetStopServiceInstance2, (core, r, a) => {
  if (r.err !== 0 || (a.grbit >>> 0) !== B.JET_bitStopServiceAll) return;
  for (const inst of core.p.instances) inst.stopService = true;
});

/** The term check reads one process-wide "a term is in progress" flag: a term waiting on one instance refuses every end. */
const anyTermInProgress: EndSessionCheck = (p) => (p.termsInProgress > 0 ? E.JET_errTermInProgress : 0);

/** Per ended session: its table cursors, noted before the clean-up. */
const tableCursorsAtEnd = new WeakMap<Session, number>();
const noteTableCursors: EndSessionStep = (_core, s) => {
  let n = 0;
  for (const set of s.cursorsByDb.values()) n += set.size;
  tableCursorsAtEnd.set(s, n + s.deferred.size);
  return 0;
};
/** The closes counted the table cursors off the process's first instance (a cached instance pointer), not the session's own. */
const cursorSlotsToFirstInstance: EndSessionStep = (core, s, thread) => {
  const n = tableCursorsAtEnd.get(s) ?? 0;
  const first = [...core.p.instances][0];
  if (first !== undefined && first !== s.instance && n > 0) {
    first.cursorCount -= n;
    s.instance.cursorCount += n;
  }
  return endSessionFree(core, s, thread);
};

/** MaxSessions checked against the sessions of every instance of the process, not the instance's own. */
const beginCountsEveryInstance: OpImpl<'JetBeginSession'> = {
  enter: (core, thread, a) => JetBeginSession.enter(core, thread, a),
  body(core, e, a) {
    const inst = findInstance(core.p, a.instance);
    if (typeof inst !== 'number' && inst.initialized) {
      let used = 0;
      for (const i of core.p.instances) used += i.slotsUsed;
      if (used >= inst.params.maxSessions) return fail(E.JET_errOutOfSessions);
    }
    return JetBeginSession.body(core, e, a);
  },
};

/** MaxSessions of the process's first instance applies to every instance (a parameter read from the wrong INST). */
const beginFirstInstanceLimit: OpImpl<'JetBeginSession'> = {
  enter: (core, thread, a) => JetBeginSession.enter(core, thread, a),
  body(core, e, a) {
    const inst = findInstance(core.p, a.instance);
    const first = [...core.p.instances][0];
    if (typeof inst !== 'number' && inst.initialized && first !== undefined && inst.slotsUsed >= first.params.maxSessions) return fail(E.JET_errOutOfSessions);
    return JetBeginSession.body(core, e, a);
  },
};

/** The free walks every instance's pool: each gives a slot back, not only the session's own. */
const freeInEveryInstance: EndSessionStep = (core, s, thread) => {
  const err = endSessionFree(core, s, thread);
  if (err === 0) for (const inst of core.p.instances) if (inst !== s.instance && inst.slotsUsed > 0) inst.slotsUsed--;
  return err;
};

/** A term that, besides its own instance, does `what` to every session of the process's other instances. */
function termReaches(what: (p: ProcessState, s: Session) => void): Partial<OpTable> {
  const each = <O extends 'JetTerm' | 'JetTerm2'>(op: OpImpl<O>): OpImpl<O> =>
    after(op, (core, r, a) => {
      if (r.err !== 0 && r.err !== E.JET_errDirtyShutdown) return;
      for (const inst of others(core.p, (a as { readonly instance: unknown }).instance)) for (const s of [...inst.sessions]) what(core.p, s);
    });
  return { JetTerm: each(JetTerm), JetTerm2: each(JetTerm2) };
}

/** ErrDBCloseAllDBs over the process's FMPs: the other instances' sessions lose their database opens (and cursors). */
const closeTheirDatabases = (p: ProcessState, s: Session): void => {
  for (const db of [...s.dbOpens.keys()]) while (s.dbOpens.has(db)) closeDatabaseOnce(p, s, db, true);
};
/** The process's active-transaction list rolled back: the other instances' transactions too. */
const rollBackTheirTransactions = (p: ProcessState, s: Session): void => rollbackAll(p, s, '');
/** The temp database treated as the process's: the other instances' temp tables are closed. */
const closeTheirTempTables = (p: ProcessState, s: Session): void => {
  for (const c of [...s.temps]) finalClose(p, c);
};

// ---- Another session's snapshot ----------------------------------------------------------------

/** Every record of every database the session's instance has attached, and of its open files. */
function* recordsOf(inst: Instance): Iterable<Rec> {
  for (const db of inst.attached) for (const t of db.tables.values()) for (let r = t.records.head; r !== null; r = r.next) yield r;
}

/** Version clean-up at the end, as if no other transaction needed an old version: each record keeps its last committed one. */
const pruneAllVersions: EndSessionStep = (core, s) => {
  for (const rec of [...recordsOf(s.instance)]) {
    if (rec.versions.length > 1) rec.versions.splice(0, rec.versions.length - 1);
    const last = rec.lastVersion();
    if (rec.stack.length === 0 && last !== undefined && last.values === null) rec.list.unlink(rec);
  }
  return 0;
};

/** The end renumbers the instance's open transactions: every other session's snapshot moves to now. */
const refreshSnapshots: EndSessionStep = (core, s) => {
  for (const o of core.p.activeTrx) if (o !== s && o.instance === s.instance) o.trxBeginTs = core.p.clock;
  return 0;
};

/** Per session: its level-0 commits (records and timestamp), until the end stamps them again. */
const commits = new WeakMap<Session, { readonly recs: readonly Rec[]; readonly ts: number }[]>();
const commitNoted: OpImpl<'JetCommitTransaction'> = after(
  JetCommitTransaction,
  (core, r, a, noted) => {
    const recs = noted as Rec[] | null;
    const s = sessionOf(core.p, a.sesid);
    if (r.err !== 0 || recs === null || s === undefined || s.level !== 0) return;
    commits.set(s, [...(commits.get(s) ?? []), { recs, ts: core.p.clock }]);
  },
  (core, a) => {
    const s = sessionOf(core.p, a.sesid);
    if (s === undefined || s.level !== 1) return null;
    return (s.frames[1]?.undo ?? []).filter((u): u is Rec => u instanceof Rec);
  },
);
/** The end flushes the session's log and stamps its commits with the flush's time (a group-commit clock). */
const restampCommits: EndSessionStep = (core, s) => {
  const list = commits.get(s) ?? [];
  if (list.length === 0) return 0;
  const ts = ++core.p.clock;
  for (const c of list) {
    for (const rec of c.recs) {
      rec.versions = rec.versions.map((v) => (v.ts === c.ts ? { ts, values: v.values } : v)).sort((x, y) => x.ts - y.ts);
    }
  }
  commits.delete(s);
  return 0;
};

/** Per ended session: the committed records its open transaction deleted, noted before the rollback. */
const deletedAtEnd = new WeakMap<Session, Rec[]>();
const noteDeleted: EndSessionStep = (_core, s) => {
  const recs: Rec[] = [];
  for (let l = s.level; l >= 1; l--) {
    for (const u of s.frames[l]?.undo ?? []) if (u instanceof Rec && u.writer === s && u.top()?.values === null && u.versions.length > 0 && !recs.includes(u)) recs.push(u);
  }
  deletedAtEnd.set(s, recs);
  return 0;
};
/** The rollback of a delete inserts the record again: a new record, committed now, where the old one was. */
const reinsertDeleted: EndSessionStep = (core, s, thread) => {
  const err = rollbackTransaction(core, s, thread);
  if (err !== 0) return err;
  for (const rec of deletedAtEnd.get(s) ?? []) {
    const values = rec.lastVersion()?.values;
    if (rec.removed || values === null || values === undefined || rec.writer !== null) continue;
    rec.list.unlink(rec);
    rec.list.append().versions.push({ ts: ++core.p.clock, values: [...values] });
  }
  return 0;
};

// ---- Another session's locks -------------------------------------------------------------------

/** Per ended session: the names of the tables it held a DenyRead or DenyWrite lock on, noted before the clean-up. */
const lockedNames = new WeakMap<Session, Set<string>>();
const noteLockedTables: EndSessionStep = (_core, s) => {
  const names = new Set<string>();
  for (const set of s.cursorsByDb.values()) for (const c of set) if (c.denyRead || c.denyWrite) names.add(c.table.name.toLowerCase());
  lockedNames.set(s, names);
  return 0;
};
/** Table locks looked up by table name in a process-wide cache: the same-named tables of other databases lose theirs too. */
const releaseLocksByName: EndSessionStep = (core, s, thread) => {
  const names = lockedNames.get(s) ?? new Set<string>();
  const err = endSessionFree(core, s, thread);
  if (err !== 0 || names.size === 0) return err;
  for (const db of core.p.folder.values()) {
    for (const t of db.tables.values()) {
      if (!names.has(t.name.toLowerCase())) continue;
      for (const c of t.cursors) {
        if (c.owner === s) continue;
        if (c.denyRead) {
          c.denyRead = false;
          t.denyReadCount--;
        }
        if (c.denyWrite) {
          c.denyWrite = false;
          t.denyWriteCount--;
        }
      }
    }
  }
  return 0;
};

/** Per ended session: the databases it had open, noted before the clean-up. */
const openedAtEnd = new WeakMap<Session, DbFile[]>();
const noteOpened: EndSessionStep = (_core, s) => {
  openedAtEnd.set(s, [...s.dbOpens.keys()]);
  return 0;
};
/** The last close of the session's databases zeroes the file's open count: the other sessions' opens are forgotten. */
const zeroPins: EndSessionStep = (core, s, thread) => {
  const dbs = openedAtEnd.get(s) ?? [];
  const err = endSessionFree(core, s, thread);
  if (err === 0) for (const db of dbs) db.pins = 0;
  return err;
};

/** Per ended session: the tables its cursors were on, noted before the clean-up. */
const tablesAtEnd = new WeakMap<Session, Set<Table>>();
const noteTables: EndSessionStep = (_core, s) => {
  const tables = new Set<Table>();
  for (const set of s.cursorsByDb.values()) for (const c of set) tables.add(c.table);
  for (const c of s.deferred) tables.add(c.table);
  tablesAtEnd.set(s, tables);
  return 0;
};
/** The end clears the "wrote in the open transaction" mark of every cursor on the tables it used: another session's cursor then closes at once, not at its transaction's end. */
const unversionTables: EndSessionStep = (core, s, thread) => {
  const err = endSessionFree(core, s, thread);
  if (err !== 0) return err;
  for (const t of tablesAtEnd.get(s) ?? []) {
    for (const tc of t.cursors) {
      const c = tc as Cursor;
      if (c.session === s || c.deferred) continue;
      c.versioned = false;
      c.session.versionedCursors.delete(c);
    }
  }
  return 0;
};
/** The end completes the deferred closes of the instance's every session: another session's cursor closed in its open transaction gives its locks and slot back now. */
const finishEveryDeferredClose: EndSessionStep = (core, s, thread) => {
  const err = endSessionFree(core, s, thread);
  if (err !== 0) return err;
  for (const o of s.instance.sessions) for (const c of [...o.deferred]) finalClose(core.p, c);
  return 0;
};

// ---- The catalogue entries -------------------------------------------------------------------------

/** Every bug written by red team H, registered or not (the scratch runs take them from here). */
export const redTeamHCandidates: readonly MutantSpec[] = [
  made('stop-service-stops-every-instance', 'JetStopServiceInstance2(JET_bitStopServiceAll) on one instance stops every instance of the process: the other instance refuses new sessions (-1329)',
    both(['ES-STOP-SERVICE']), (o) => engine({ JetStopServiceInstance2: stopServiceEveryInstance }, null, o)),
  made('term-wait-refuses-other-instances', 'a JetTerm2 waiting for a call in flight on one instance makes JetEndSession of every instance\'s sessions answer -1000',
    both(['ES-TERM-IN-PROGRESS']), (o) => engine({}, plan({ entry: replace(ref.entry, checkProcessTerm, anyTermInProgress) }), o)),
  made('cursor-slots-returned-to-first-instance', 'the ended session\'s table cursors are counted off the process\'s first instance\'s JET_paramMaxCursors count, not off their own instance\'s',
    both(['ES-SORTS-CLOSED']), (o) => engine({}, plan({ cleanup: [noteTableCursors, ...replace(ref.cleanup, endSessionFree, cursorSlotsToFirstInstance)] }), o)),
  made('session-limit-process-wide', 'JET_paramMaxSessions is checked against the sessions of every instance of the process, not the instance\'s own',
    both(['ES-SESSION-SLOT-FREED']), (o) => engine({ JetBeginSession: beginCountsEveryInstance }, null, o)),
  made('session-limit-of-first-instance', 'every instance\'s sessions are limited by the process\'s first instance\'s JET_paramMaxSessions',
    { esent: ['ES-SESSION-SLOT-FREED'] }, (o) => engine({ JetBeginSession: beginFirstInstanceLimit }, null, o),
    'documented: the doc does not say how many sessions JET_paramMaxSessions lets begin (the documented tier counts "any")'),
  made('session-slot-freed-in-every-instance', 'the end gives a JET_paramMaxSessions slot back to every instance of the process, not only to its own',
    both(['ES-SESSION-SLOT-FREED']), (o) => engine({}, plan({ cleanup: replace(ref.cleanup, endSessionFree, freeInEveryInstance) }), o)),
  made('term-closes-other-instances-databases', 'JetTerm closes the database opens (and their cursors) of the other instances\' sessions too',
    both(['ES-AFTER-TERM']), (o) => engine(termReaches(closeTheirDatabases), null, o)),
  made('term-rolls-back-other-instances', 'JetTerm rolls back the open transactions of the other instances\' sessions too',
    both(['ES-AFTER-TERM']), (o) => engine(termReaches(rollBackTheirTransactions), null, o)),
  made('term-closes-other-instances-temp-tables', 'JetTerm closes the temp tables of the other instances\' sessions too (one temp database for the process)',
    both(['ES-AFTER-TERM']), (o) => engine(termReaches(closeTheirTempTables), null, o)),
  made('end-prunes-versions-others-need', 'the end runs the version clean-up as if no transaction needed an old version: a transaction begun before a later commit now sees it',
    both(['ES-COMMITTED-KEPT']), (o) => engine({}, plan({ cleanup: replace(ref.cleanup, endSessionFree, pruneAllVersions, endSessionFree) }), o)),
  made('end-refreshes-other-snapshots', 'the end renumbers the instance\'s open transactions: every other transaction\'s snapshot moves to the time of the end',
    both(['ES-COMMITTED-KEPT']), (o) => engine({}, plan({ cleanup: [refreshSnapshots, ...ref.cleanup] }), o)),
  made('end-restamps-commits', 'the end stamps the session\'s level-0 commits with the time of its log flush: a transaction begun between a commit and the end no longer sees it',
    both(['ES-COMMITTED-KEPT']), (o) => engine({ JetCommitTransaction: commitNoted }, plan({ cleanup: [restampCommits, ...ref.cleanup] }), o)),
  made('rolled-back-delete-reinserted', 'the end rolls a delete back by inserting the record again, committed now: a transaction begun before the end no longer sees it, and conflicts on it',
    both(['ES-ROLLBACK-LEVEL1']), (o) => engine({}, plan({ cleanup: [noteDeleted, ...replace(ref.cleanup, rollbackTransaction, reinsertDeleted)] }), o)),
  made('table-locks-released-by-name', 'the end releases the JET_bitTableDenyRead/DenyWrite locks of every table of the process with the name of a table it had locked: another instance\'s session loses its lock on its own same-named table',
    both(['ES-CURSORS-CLOSED']), (o) => engine({}, plan({ cleanup: [noteLockedTables, ...replace(ref.cleanup, endSessionFree, releaseLocksByName)] }), o)),
  made('database-opens-forgotten-at-end', 'the end zeroes the open count of every database the session had open: another session\'s opens no longer keep an exclusive open out',
    both(['ES-OTHER-SESSIONS-UNTOUCHED']), (o) => engine({}, plan({ cleanup: [noteOpened, ...replace(ref.cleanup, endSessionFree, zeroPins)] }), o)),
  made('others-cursors-unversioned-at-end', 'the end clears the wrote-in-this-transaction mark of every cursor on the tables it used: another session\'s cursor closed later in its open transaction gives its slot and locks back at once, not at its transaction\'s end',
    both(['ES-OTHER-SESSIONS-UNTOUCHED']), (o) => engine({}, plan({ cleanup: [noteTables, ...replace(ref.cleanup, endSessionFree, unversionTables)] }), o)),
  made('others-deferred-closes-finished-at-end', 'the end completes the deferred closes of every session of the instance: another session\'s cursor closed inside its open transaction gives its slot and locks back before that transaction ends',
    both(['ES-OTHER-SESSIONS-UNTOUCHED']), (o) => engine({}, plan({ cleanup: replace(ref.cleanup, endSessionFree, finishEveryDeferredClose) }), o)),
];

/** The ones the catalogue registers: those no scenario killed before red team H's scenarios. */
const registered: ReadonlySet<string> = new Set<string>([
  'cursor-slots-returned-to-first-instance',
  'session-limit-of-first-instance',
  'term-closes-other-instances-databases',
  'term-rolls-back-other-instances',
  'term-closes-other-instances-temp-tables',
  'end-prunes-versions-others-need',
  'end-refreshes-other-snapshots',
  'end-restamps-commits',
  'table-locks-released-by-name',
  'others-cursors-unversioned-at-end',
]);
export const redTeamHMutants: readonly MutantSpec[] = redTeamHCandidates.filter((m) => registered.has(m.name));
