/**
 * Bugs of history and scale (red team D): implementations that are right the first time, with one
 * session, one instance, one database and one transaction, and wrong after a history: a resource
 * closed and the session ended, a second instance, an instance terminated and made again, a level
 * committed into its parent, a second transaction, a refused end retried. Each violates one
 * postcondition and does everything else as the reference does.
 */
import type { Implementation } from '../adapters/types';
import { createReferenceImplementation } from '../adapters/reference';
import { JET_errors as E } from '../api';
import type { JET_ERR } from '../api';
import type { Core, OpImpl, OpTable } from '../oracle/api';
import type { Cursor } from '../oracle/cursor';
import {
  checkInstanceUnavailable,
  checkTermInProgress,
  closeDatabases,
  closeTempTables,
  makeJetEndSession,
  referenceEndSession,
  type EndSessionCheck,
  type EndSessionPlan,
  type EndSessionStep,
} from '../oracle/endsession';
import type { JET_HANDLE } from '../oracle/handles';
import type { Instance } from '../oracle/instance';
import { JetCloseTable } from '../oracle/dbops';
import { JetCreateInstance, JetTerm, JetTerm2 } from '../oracle/lifecycle';
import type { ProcessState } from '../oracle/process';
import { closeDatabaseOnce, finalClose } from '../oracle/resources';
import type { Session } from '../oracle/session';
import {
  JetBeginTransaction,
  JetBeginTransaction2,
  JetCommitTransaction,
} from '../oracle/sessionops';
import type { DbFile } from '../oracle/table';
import type { MutantSpec } from './types';
import { plan, replace } from './engine-plans';
import { both, made, type MutantOptions } from './entries';

const ref = referenceEndSession;

/** The reference with some operations (JetEndSession's plan among them, when given) replaced. */
function engine(ops: Partial<OpTable>, endPlan: EndSessionPlan | null, options: MutantOptions): Implementation {
  const all: Partial<OpTable> = endPlan === null ? ops : { ...ops, JetEndSession: makeJetEndSession(endPlan) };
  return createReferenceImplementation({ engine: { ops: all }, ...(options?.target === undefined ? {} : { target: options.target }) });
}

/** The process's first live instance (in creation order): where a single-instance port looks. */
function firstInstance(p: ProcessState): Instance | undefined {
  for (const inst of p.instances) return inst;
  return undefined;
}

/** An operation whose body does something after (or instead of) the reference's. */
function after<O extends keyof OpTable>(op: OpImpl<O>, then: (core: Core, s: Session | null, c: Cursor | null, thread: string, err: JET_ERR) => void): OpImpl<O> {
  return {
    enter: (core, thread, a) => op.enter(core, thread, a),
    body(core, e, a) {
      const r = op.body(core, e, a);
      if (!('pending' in r)) then(core, e.s, e.c, e.thread, r.err);
      return r;
    },
  };
}

// ---- A lock closed before the end is released again at the end ---------------------------------

/** Table locks of cursors the session closed itself, released again by its end. */
const closedLocks = new WeakMap<Session, Cursor[]>();

const closeTableRemembersLocks: OpImpl<'JetCloseTable'> = {
  enter: (core, thread, a) => JetCloseTable.enter(core, thread, a),
  body(core, e, a) {
    const c = e.c as Cursor;
    const r = JetCloseTable.body(core, e, a);
    if (c.db !== null && c.closed && (c.denyRead || c.denyWrite)) closedLocks.set(c.session, [...(closedLocks.get(c.session) ?? []), c]);
    return r;
  },
};

/** The end drops the lock of every cursor the session opened with one, closed ones too (a count floored at 0). */
const releaseClosedLocksAgain: EndSessionStep = (_core, s) => {
  for (const c of closedLocks.get(s) ?? []) {
    if (c.denyRead && c.table.denyReadCount > 0) c.table.denyReadCount--;
    if (c.denyWrite && c.table.denyWriteCount > 0) c.table.denyWriteCount--;
  }
  return 0;
};

// ---- Several instances: the end looks at the first one --------------------------------------------

/** The temp tables' sort slots go back to the process's first instance. */
const sortSlotsToFirstInstance: EndSessionStep = (core, s, thread) => {
  const first = firstInstance(core.p);
  const own = s.instance;
  const sorts = [...s.temps].filter((c) => c.sortSlot && !c.closed).length;
  const err = closeTempTables(core, s, thread);
  if (err === 0 && first !== undefined && first !== own) {
    own.tempTableCount += sorts;
    first.tempTableCount -= sorts;
  }
  return err;
};

/** The instance's states are read on the process's first instance (a port with one global instance). */
const unavailableOfFirst: EndSessionCheck = (p, s) => {
  const inst = firstInstance(p) ?? s.instance;
  return inst.unavailableCause === null ? 0 : inst.unavailableCode();
};
const termOfFirst: EndSessionCheck = (p, s) => ((firstInstance(p) ?? s.instance).termInProgress ? E.JET_errTermInProgress : 0);

/** Sessions left at JetTerm, kept by instance name: a new instance of that name starts with them counted. */
const leftByName = new WeakMap<ProcessState, Map<string, number>>();

function termRemembersSlots<O extends 'JetTerm' | 'JetTerm2'>(op: OpImpl<O>): OpImpl<O> {
  return {
    enter: (core, thread, a) => op.enter(core, thread, a),
    body(core, e, a) {
      const inst = core.p.handles.get((a as unknown as { readonly instance: JET_HANDLE }).instance);
      const before = inst?.kind === 'instance' ? { name: inst.name, used: inst.slotsUsed } : null;
      const r = op.body(core, e, a);
      if (!('pending' in r) && before !== null && before.name !== null && (r.err === 0 || r.err === E.JET_errDirtyShutdown)) {
        let m = leftByName.get(core.p);
        if (m === undefined) leftByName.set(core.p, (m = new Map<string, number>()));
        m.set(before.name, before.used);
      }
      return r;
    },
  };
}

const createInstanceWithLeftSlots: OpImpl<'JetCreateInstance'> = {
  enter: (core, thread, a) => JetCreateInstance.enter(core, thread, a),
  body(core, e, a) {
    const r = JetCreateInstance.body(core, e, a);
    if (!('pending' in r) && r.err === 0 && r.instance !== undefined) {
      const inst = core.p.handles.get(r.instance);
      const left = leftByName.get(core.p)?.get(a.name);
      if (inst?.kind === 'instance' && left !== undefined) inst.slotsUsed = left;
    }
    return r;
  },
};

// ---- Levels committed into their parent -------------------------------------------------------

/** Cursors and temp tables opened in a level that was committed into its parent, forgotten by the commit. */
const orphaned = new WeakSet<Cursor>();

function commitForgets(which: 'table' | 'temp'): OpImpl<'JetCommitTransaction'> {
  return {
    enter: (core, thread, a) => JetCommitTransaction.enter(core, thread, a),
    body(core, e, a) {
      const s = e.s as Session;
      const level = s.level;
      const opened = level >= 2 ? (s.frames[level]?.opened ?? []).filter((c) => !c.closed && (which === 'temp') === (c.db === null)) : [];
      const r = JetCommitTransaction.body(core, e, a);
      if (!('pending' in r) && r.err === 0 && s.level === level - 1) {
        const parent = s.frames[s.level];
        for (const c of opened) orphaned.add(c);
        if (parent !== undefined) parent.opened = parent.opened.filter((c) => !orphaned.has(c));
      }
      return r;
    },
  };
}

/** Before the databases are closed, the forgotten table cursors are dropped from the session: their locks and slots stay. */
const closeDatabasesSkipsOrphans: EndSessionStep = (core, s, thread) => {
  for (const set of s.cursorsByDb.values()) for (const c of [...set]) if (orphaned.has(c)) set.delete(c);
  return closeDatabases(core, s, thread);
};

/** The forgotten temp tables are not closed: their sort slots stay taken. */
const closeTempTablesSkipsOrphans: EndSessionStep = (core, s) => {
  for (const c of [...s.temps]) {
    if (orphaned.has(c)) {
      s.temps.delete(c);
      continue;
    }
    const err = core.faults.take('close-sort');
    if (err !== 0) return err;
    finalClose(core.p, c);
  }
  return 0;
};

// ---- Several databases ----------------------------------------------------------------------------

/** Databases are closed by dbid from 1 up to the number the session has open: a session holding only a later dbid keeps it. */
const closeDatabasesUpToCount: EndSessionStep = (core, s) => {
  const dbs: DbFile[] = [...s.dbOpens.keys()];
  const n = dbs.length;
  for (const db of dbs) {
    if (db.dbid > n) continue;
    while (s.dbOpens.has(db)) {
      const err = core.faults.take('close-database');
      if (err !== 0) return err;
      closeDatabaseOnce(core.p, s, db, true);
    }
  }
  // The rest is dropped from the session as PIBEndSession would find it: still pinned, still exclusive.
  s.dbOpens.clear();
  return 0;
};

// ---- Session contexts and transactions over time ----------------------------------------------

/** The thread a session's first transaction was begun on binds every later transaction of the session too. */
const firstTrxThread = new WeakMap<Session, string>();

function beginBindsFirstThread<O extends 'JetBeginTransaction' | 'JetBeginTransaction2'>(op: OpImpl<O>): OpImpl<O> {
  return after(op, (_core, s, _c, thread, err) => {
    if (s === null || err !== 0 || s.level !== 1 || s.trxUsesContext) return;
    const first = firstTrxThread.get(s);
    if (first === undefined) firstTrxThread.set(s, thread);
    else s.trxThread = first;
  });
}

/** Once a transaction of the session was begun under a context, every later one is context-bound too (the flag is never cleared). */
const usedContext = new WeakSet<Session>();

function beginKeepsContextMode<O extends 'JetBeginTransaction' | 'JetBeginTransaction2'>(op: OpImpl<O>): OpImpl<O> {
  return after(op, (_core, s, _c, _thread, err) => {
    if (s === null || err !== 0 || s.level !== 1) return;
    if (s.trxUsesContext) usedContext.add(s);
    else if (usedContext.has(s)) {
      s.trxUsesContext = true;
      s.trxThread = null;
    }
  });
}

// ---- The catalogue entries ------------------------------------------------------------------------

export const redTeamDMutants: readonly MutantSpec[] = [
  made('closed-cursor-lock-released-again', 'the end releases the table lock of every cursor the session opened with one, also of those it had closed: another session\'s lock on that table is lost',
    both(['ES-CURSORS-CLOSED']),
    (o) => engine({ JetCloseTable: closeTableRemembersLocks }, plan({ cleanup: replace(ref.cleanup, closeDatabases, closeDatabases, releaseClosedLocksAgain) }), o)),
  made('sort-slots-returned-to-first-instance', 'the ended session\'s temp tables give their sort slots back to the process\'s first instance, not to their own',
    both(['ES-SORTS-CLOSED']),
    (o) => engine({}, plan({ cleanup: replace(ref.cleanup, closeTempTables, sortSlotsToFirstInstance) }), o)),
  made('instance-state-of-first-instance', 'JetEndSession reads the fatal-error and term-in-progress states of the process\'s first instance, not of the session\'s',
    both(['ES-INSTANCE-UNAVAILABLE']),
    (o) => engine({}, plan({ entry: replace(replace(ref.entry, checkInstanceUnavailable, unavailableOfFirst), checkTermInProgress, termOfFirst) }), o)),
  made('slot-count-kept-by-instance-name', 'session slots are counted per instance name and JetTerm does not clear the count: a new instance of the same name starts with the old one\'s sessions counted',
    { esent: ['ES-SESSION-SLOT-FREED'] },
    (o) => engine({ JetTerm: termRemembersSlots(JetTerm), JetTerm2: termRemembersSlots(JetTerm2), JetCreateInstance: createInstanceWithLeftSlots }, null, o),
    'documented: the doc does not say how many sessions JET_paramMaxSessions lets begin (the documented tier counts "any")'),
  made('committed-level-cursors-leaked', 'a commit into the parent level forgets the cursors opened in the committed level: the end leaves them open, with their table locks',
    both(['ES-CURSORS-CLOSED']),
    (o) => engine({ JetCommitTransaction: commitForgets('table') }, plan({ cleanup: replace(ref.cleanup, closeDatabases, closeDatabasesSkipsOrphans) }), o)),
  made('committed-level-temp-tables-leaked', 'a commit into the parent level forgets the temp tables opened in the committed level: the end leaves their sort slots taken',
    both(['ES-SORTS-CLOSED']),
    (o) => engine({ JetCommitTransaction: commitForgets('temp') }, plan({ cleanup: replace(ref.cleanup, closeTempTables, closeTempTablesSkipsOrphans) }), o)),
  made('databases-closed-up-to-count', 'the end closes the databases with dbids 1..n, n the number of databases the session has open: a session holding only a later dbid keeps it open',
    both(['ES-DATABASES-CLOSED']),
    (o) => engine({}, plan({ cleanup: replace(ref.cleanup, closeDatabases, closeDatabasesUpToCount) }), o)),
  made('first-transaction-thread-binds-all', 'the thread of the session\'s first transaction binds its later transactions too: a transaction begun on t2 after one on t1 is rolled back by an end from t1',
    both(['ES-SHARING-VIOLATION']),
    (o) => engine({ JetBeginTransaction: beginBindsFirstThread(JetBeginTransaction), JetBeginTransaction2: beginBindsFirstThread(JetBeginTransaction2) }, null, o)),
  made('context-binding-outlives-transaction', 'once a transaction of the session was begun under a session context, its later transactions begun without one are context-bound too: an end from another thread rolls them back',
    both(['ES-SHARING-VIOLATION']),
    (o) => engine({ JetBeginTransaction: beginKeepsContextMode(JetBeginTransaction), JetBeginTransaction2: beginKeepsContextMode(JetBeginTransaction2) }, null, o)),
];
