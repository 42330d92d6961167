/**
 * Red team T's mutants of examples/python-adapter/model.py (docs/mutants.md, "Red team T"): what
 * the end must not do to everyone else. Other sessions of the instance (their cursors' positions,
 * levels and prepared updates on the tables the ending transaction wrote, their DDL and inserts,
 * their temp tables, their contexts and the thread their transaction belongs to), sessions made by
 * JetDupSession from the ending one or it from them, and other instances (their exclusive opens,
 * the stop-service state). Same shape as the lists in mutants.ts: every `find` occurs exactly once
 * in model.py.
 */
import { beforeEndRollback, DUP_SESSION, END_CLOSE, END_DBS, STEPS_START as END_START, type PythonMutant } from './mutants';

/** The tables the ending transaction wrote, as a porter's end finds them (the version store's tables). */
const WRITTEN = '        written = {t for level in s.levels for t in level}\n';
/** Every cursor of the process on those tables: ESE's FCB keeps every session's cursors on a table in one list. */
const ON_WRITTEN = '[o for o in self.handles.values() if isinstance(o, Cursor) and o.table in written and not o.deferred_closed]';
const END_CALL = `        self.end_session(s, faults=True)
        return {}`;

export const redTeamTMutants: readonly PythonMutant[] = [
  // ---- other sessions' cursors on the tables the end rolls back ---------------------------------------
  {
    name: 'end-repositions-others-cursors-on-its-tables',
    why: 'ErrDIRRollback puts the cursors navigated at the undone level before first; the porter walks the table\'s cursor list (every session\'s, as ESE\'s FCB list) and drops the session filter',
    edits: [beforeEndRollback(`${WRITTEN}        for level in range(len(s.levels), 0, -1):
            for c in ${ON_WRITTEN}:
                if c.level_navigate == level:
                    c.level_navigate = level - 1
                    c.place(BEFORE_FIRST)
`)],
  },
  {
    name: 'end-lowers-others-cursor-levels',
    why: 'once the transaction is gone "every cursor on its tables is at level 0": the porter resets the open and navigation levels over the table\'s cursor list, not the session\'s',
    edits: [beforeEndRollback(`${WRITTEN}        for c in ${ON_WRITTEN}:
            c.level_open = c.level_navigate = 0
`)],
  },
  {
    name: 'end-cancels-others-prepared-updates-on-its-tables',
    why: 'the rollback loop discards the update buffers prepared at the levels it undoes; the porter finds them on the tables the transaction wrote, every session\'s cursors included',
    edits: [beforeEndRollback(`${WRITTEN}        for c in ${ON_WRITTEN}:
            if c.prepared is not None and c.prep_level >= 1:
                c.prepared, c.image = None, None
`)],
  },
  // ---- other sessions' DDL and inserts --------------------------------------------------------------
  {
    name: 'created-tables-listed-per-instance',
    why: 'the tables created in open transactions are kept where the catalog is, on the instance, with their depth as the only tag, so the end\'s undo of depths above 0 takes every session\'s',
    edits: [{
      find: '        self.created = []  # [depth, tables, name]',
      replace: '        self.created = instance.__dict__.setdefault("created", [])  # [depth, tables, name]',
    }],
  },
  {
    name: 'added-columns-listed-per-instance',
    why: 'the columns added in open transactions are kept with the table definitions, per instance, with their depth as the only tag, so the end\'s undo of depths above 0 takes every session\'s',
    edits: [{
      find: '        self.columns_added = []  #',
      replace: '        self.columns_added = instance.__dict__.setdefault("columns_added", [])  #',
    }],
  },
  {
    name: 'end-clears-others-inserted-tables',
    why: 'the "insert cursor in use" mark is read as the table\'s (ESE\'s insert goes through a cursor on the FCB): the end releases it for the tables it inserted into, for every session',
    edits: [beforeEndRollback(`        for o in s.instance.sessions:
            if o is not s:
                o.inserted -= s.inserted
`)],
  },
  // ---- other sessions' temp tables, contexts, transactions' threads ---------------------------------
  {
    name: 'end-closes-instance-temp-tables',
    why: 'temp tables live in the instance\'s temp database, and the end closes "its temp tables" by walking the temp database\'s open tables, every session\'s',
    edits: [{
      find: END_CLOSE,
      replace: `        for c in [o for o in list(self.handles.values()) if isinstance(o, Cursor) and o.session is not s and isinstance(o.table, TempTable) and o.session.instance is s.instance and not o.deferred_closed]:
            self.close_cursor(c, leak_temp="temp-tables" in self.bugs)
${END_CLOSE}`,
    }],
  },
  {
    name: 'end-resets-contexts-set-by-calling-thread',
    why: 'the session context is kept per thread (JetSetSessionContext attaches a session to the thread), and the end clears the calling thread\'s attachment, whichever session it names',
    edits: [{
      find: END_CALL,
      replace: `        for o in s.instance.sessions:
            if o.context is not None and o.context[1] == thread:
                o.context = None
${END_CALL}`,
    }],
  },
  {
    name: 'end-refused-while-thread-holds-a-context',
    why: '"the session is in use" is read as "the calling thread has a session context set" (ESE keeps the thread\'s current session in TLS)',
    edits: [{
      find: `        ensure(s.context is None, JET_errSessionInUse)
        # The rollback runs`,
      replace: `        ensure(s.context is None and not any(o.context is not None and o.context[1] == thread for o in s.instance.sessions), JET_errSessionInUse)
        # The rollback runs`,
    }],
  },
  {
    name: 'end-unbinds-others-transactions-from-calling-thread',
    why: 'the thread that owns a transaction is kept in a thread-local table (thread -> transaction), and the end clears the calling thread\'s entries: another session\'s transaction begun on that thread then belongs to no thread',
    edits: [
      {
        find: END_CALL,
        replace: `        for o in s.instance.sessions:
            if o is not s and o.levels and o.trx_bound_to == ("thread", thread):
                o.trx_bound_to = ("thread", "any")
${END_CALL}`,
      },
      { find: '        return value == thread', replace: '        return value == thread or value == "any"' },
    ],
  },
  {
    name: 'end-rolls-back-calling-thread-transactions',
    why: 'ESE\'s transaction context is per thread, and "the rollback runs on the calling thread" is read as: the end rolls back the transactions the calling thread owns, in every instance',
    edits: [{
      find: END_CALL,
      replace: `        for o in [o for o in self.handles.values() if isinstance(o, Session) and o is not s and o.levels and o.trx_bound_to == ("thread", thread)]:
            while o.levels:
                self.rollback_level(o)
${END_CALL}`,
    }],
  },
  // ---- sessions made by JetDupSession ---------------------------------------------------------------
  {
    name: 'dup-session-shallow-copy',
    why: 'JetDupSession copies the source session and resets what it knows is per session (levels, cursors, databases, context); the transaction\'s bookkeeping lists stay shared',
    edits: [{
      find: DUP_SESSION,
      replace: `        src = self.session(sesid)
        out = self.new_session(src.instance)
        dup = self.handles[out["sesid"]]
        for field in ("deferred", "inserted", "created", "columns_added", "reused"):
            setattr(dup, field, getattr(src, field))
        return out`,
    }],
  },
  {
    name: 'dup-session-ended-with-source',
    why: 'a duplicate is linked to the session it was made from as its child, and the end of a session ends its children, as JetTerm ends an instance\'s sessions',
    edits: [
      {
        find: DUP_SESSION,
        replace: `        src = self.session(sesid)
        out = self.new_session(src.instance)
        src.__dict__.setdefault("dups", []).append(self.handles[out["sesid"]])
        return out`,
      },
      {
        find: END_START,
        replace: `        for d in s.__dict__.get("dups", []):
            if any(o is d for o in self.handles.values()):
                self.end_session(d)
${END_START}`,
      },
    ],
  },
  // ---- other instances ------------------------------------------------------------------------------
  {
    name: 'end-drops-exclusive-by-dbid-in-every-instance',
    why: 'a dbid is read as a process-wide handle (ESE\'s IFMP is), so the end releases "the exclusive open of database dbid" in every instance that has one',
    edits: [{
      find: END_DBS,
      replace: `        for dbid in list(s.dbs):
            for inst in [o for o in self.handles.values() if isinstance(o, Instance)]:
                inst.exclusive.pop(dbid, None)`,
    }],
  },
  {
    name: 'last-session-end-lifts-stop-service',
    why: 'StopService is read as draining the instance: once its last session has ended the service is back, and new sessions are served again',
    edits: [{
      find: `        s.dbs.clear()
        s.instance.sessions.discard(s)`,
      replace: `        s.dbs.clear()
        s.instance.sessions.discard(s)
        if not s.instance.sessions:
            s.instance.stopped = False`,
    }],
  },
];
