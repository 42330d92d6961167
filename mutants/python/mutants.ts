/**
 * Red team L: realistic bugs of an independently written engine (examples/python-adapter/model.py,
 * which declares no capability). Each mutant is one or more exact textual edits of model.py; every
 * `find` must occur exactly once, so a change of model.py that moves a mutant's code fails loudly
 * instead of running the unmutated model under the mutant's name.
 */

/** One textual edit: `find` occurs exactly once in model.py and becomes `replace`. */
export interface PythonEdit {
  readonly find: string;
  readonly replace: string;
}

export interface PythonMutant {
  readonly name: string;
  /** One line: why an implementer would write this bug. */
  readonly why: string;
  readonly edits: readonly PythonEdit[];
}

const END_CHECK = `        s = self.session(sesid)  # the grbit is reserved: ESENT never reads it, nor do we
        ensure(s.context is None, JET_errSessionInUse)
        self.end_session(s)
        return {}`;
const END_ROLLBACK = `        s.levels, s.snapshot = [], None
        self.end_transaction_levels(s, 0)`;
const END_CLOSE = `        for c in list(s.cursors):
            self.close_cursor(c, leak_temp="temp-tables" in self.bugs)`;
const END_DBS = `        for dbid in list(s.dbs):
            if s.instance.exclusive.get(dbid) is s:
                del s.instance.exclusive[dbid]`;
const END_FREE = `        s.instance.sessions.discard(s)
        del self.handles[self.handle_of(s)]`;

/** The end's rollback keeps the writes of the ending transaction for which `keep(rid, row, table)` holds. */
function keepOnEnd(keep: string): PythonEdit {
  return {
    find: END_ROLLBACK,
    replace: `        kept = {}
        for level in s.levels:
            for table, rows in level.items():
                for rid, row in rows.items():
                    if not isinstance(table, TempTable) and (${keep}):
                        kept.setdefault(table, {})[rid] = row
        if kept:
            self.commit_changes(kept)
${END_ROLLBACK}`,
  };
}

export const pythonMutants: readonly PythonMutant[] = [
  // ---- the rollback -------------------------------------------------------------------------------
  {
    name: 'end-commits-transaction',
    why: 'the end "finishes" the open transaction with the commit path (the one a clean shutdown uses) instead of the rollback',
    edits: [{ find: END_ROLLBACK, replace: `        while s.levels:\n            self.JetCommitTransaction(self.handle_of(s), 0)\n${END_ROLLBACK}` }],
  },
  {
    name: 'end-rolls-back-innermost-only',
    why: 'JetRollback(sesid, 0) instead of JET_bitRollbackAll: one level undone, the outer levels then flushed as committed',
    edits: [{ find: END_ROLLBACK, replace: `        if s.levels:\n            self.rollback_level(s)\n        while s.levels:\n            self.JetCommitTransaction(self.handle_of(s), 0)\n${END_ROLLBACK}` }],
  },
  {
    name: 'end-rolls-back-outermost-level-only',
    why: 'the undo walks the level-1 undo list only: work of inner levels (still open) survives the end',
    edits: [{ find: END_ROLLBACK, replace: `        if len(s.levels) > 1:\n            inner = {}\n            for level in s.levels[1:]:\n                for table, rows in level.items():\n                    inner.setdefault(table, {}).update(rows)\n            self.commit_changes(inner)\n${END_ROLLBACK}` }],
  },
  {
    name: 'end-keeps-deletes',
    why: 'a delete is a flag on the record whose undo (un-flag) is a separate path the end forgets',
    edits: [keepOnEnd('row is None')],
  },
  {
    name: 'end-keeps-replaces',
    why: 'replaces are written in place with a before-image the end does not restore',
    edits: [keepOnEnd('row is not None and rid in table.rows')],
  },
  {
    name: 'end-keeps-inserts',
    why: 'inserted records are already in the tree; the end undoes modifications only',
    edits: [keepOnEnd('row is not None and rid not in table.rows')],
  },
  {
    name: 'end-keeps-long-values',
    why: 'long values live in a separate LV store whose versions the end does not undo: the records roll back, their long texts stay',
    edits: [keepOnEnd(`row is not None and rid in table.rows and any(table.coltyps.get(k) == JET_coltypLongText and table.rows[rid].get(k) != v for k, v in row.items())`)],
  },
  {
    name: 'nested-commit-is-durable',
    why: 'a nested JetCommitTransaction writes its level to the table instead of merging it into its parent',
    edits: [{
      find: `        if s.levels:
            for table, rows in top.items():
                s.levels[-1].setdefault(table, {}).update(rows)`,
      replace: `        if s.levels:
            self.commit_changes({t: r for t, r in top.items() if not isinstance(t, TempTable)})`,
    }],
  },
  {
    name: 'end-leaks-versions',
    why: 'the session is freed but its uncommitted versions stay in the version store: later writers of those records get -1102',
    edits: [
      { find: END_ROLLBACK, replace: `        ghost = Session(s.instance)\n        ghost.levels = s.levels\n        self.__dict__.setdefault("ghosts", []).append(ghost)\n${END_ROLLBACK}` },
      { find: `        for other in self.handles.values():\n            if isinstance(other, Session) and other is not s`, replace: `        for other in list(self.handles.values()) + getattr(self, "ghosts", []):\n            if isinstance(other, Session) and other is not s` },
    ],
  },
  {
    name: 'end-keeps-ddl',
    why: 'the end drops the data versions but not the catalog changes: tables created and columns added in the transaction stay',
    edits: [{ find: END_ROLLBACK, replace: `        s.created, s.columns_added = [], []\n${END_ROLLBACK}` }],
  },
  {
    name: 'end-keeps-added-columns',
    why: 'a column added in the transaction is in the table schema already; only created tables are undone',
    edits: [{ find: END_ROLLBACK, replace: `        for _, table, _, columnid in s.columns_added:\n            table.column_owner.pop(columnid, None)\n        s.columns_added = []\n${END_ROLLBACK}` }],
  },
  // ---- cursors, locks, databases, temp tables -------------------------------------------------------
  {
    name: 'end-closes-cursors-keeps-handles',
    why: 'cursors are unlinked from the session but their handles are not freed: they stay on their tables with their locks',
    edits: [{ find: END_CLOSE, replace: `        for c in list(s.cursors):\n            if isinstance(c.table, TempTable):\n                self.close_cursor(c, leak_temp="temp-tables" in self.bugs)\n            else:\n                s.cursors.discard(c)` }],
  },
  {
    name: 'end-skips-table-cursors',
    why: 'the end closes the temp tables (sort clean-up) and expects the table cursors to be closed by the rollback, which closes only those opened in a transaction',
    edits: [{ find: END_CLOSE, replace: `        for c in list(s.cursors):\n            if isinstance(c.table, TempTable) or c.level_navigate > 0:\n                self.close_cursor(c, leak_temp="temp-tables" in self.bugs)` }],
  },
  {
    name: 'end-keeps-deferred-locks',
    why: 'the locks of cursors defer-closed in the transaction are released at level 0 by commit and JetRollback, not by the end',
    edits: [
      { find: END_ROLLBACK, replace: `        s.instance.__dict__.setdefault("leaked", []).extend(s.deferred)\n${END_ROLLBACK}` },
      { find: `        deferred = [d for o in s.instance.sessions for d in o.deferred if d.table is table]`, replace: `        deferred = [d for o in s.instance.sessions for d in o.deferred if d.table is table] + [d for d in getattr(s.instance, "leaked", []) if d.table is table]` },
    ],
  },
  {
    name: 'end-keeps-exclusive-database',
    why: 'the end closes the session\'s databases by decrementing counts and forgets the exclusive flag on the instance',
    edits: [{ find: END_DBS, replace: '        pass' }],
  },
  {
    name: 'end-frees-temp-slot-twice',
    why: 'both the sort close and the end\'s own sweep give the slot back: the instance gains a temp-table slot per end',
    edits: [{ find: END_CLOSE, replace: `${END_CLOSE}\n            if c.on_sort and "temp-tables" not in self.bugs:\n                s.instance.temp_in_use -= 1` }],
  },
  {
    name: 'end-closes-one-cursor-per-temp-table',
    why: 'the end closes the temp table it created, not the duplicate cursors (JetDupCursor) on it',
    edits: [{ find: END_CLOSE, replace: `        seen = set()\n        for c in list(s.cursors):\n            if isinstance(c.table, TempTable):\n                if c.table in seen:\n                    continue\n                seen.add(c.table)\n            self.close_cursor(c, leak_temp="temp-tables" in self.bugs)` }],
  },
  {
    name: 'end-closes-other-sessions-cursors',
    why: 'the end closes every cursor on the tables its session had open (a table-level close instead of the session\'s cursors)',
    edits: [{ find: END_CLOSE, replace: `        tables = {c.table for c in s.cursors}\n        for c in [o for o in list(self.handles.values()) if isinstance(o, Cursor) and o.table in tables and not isinstance(o.table, TempTable) and not o.deferred_closed]:\n            self.close_cursor(c)\n${END_CLOSE}` }],
  },
  {
    name: 'end-rolls-back-every-session',
    why: 'the end undoes every uncommitted version of the instance\'s version store, not only its own session\'s',
    edits: [{ find: END_ROLLBACK, replace: `        for o in s.instance.sessions:\n            o.levels = [{} for _ in o.levels]\n${END_ROLLBACK}` }],
  },
  // ---- the session slot and handle -----------------------------------------------------------------
  {
    name: 'end-keeps-session-slot',
    why: 'the handle is freed but the instance\'s session count is not decremented',
    edits: [{ find: END_FREE, replace: '        del self.handles[self.handle_of(s)]' }],
  },
  {
    name: 'end-keeps-handle',
    why: 'the session is cleaned up and its slot freed, but the handle table entry stays valid',
    edits: [{ find: END_FREE, replace: '        s.instance.sessions.discard(s)' }],
  },
  {
    name: 'end-frees-slot-first',
    why: 'the slot is given back before the clean-up (a natural order for "unregister, then tear down")',
    edits: [
      { find: END_FREE, replace: '        del self.handles[self.handle_of(s)]' },
      { find: `        """JetEndSession's clean-up: roll back every level, close cursors, temp tables, databases."""\n`, replace: `        """JetEndSession's clean-up: roll back every level, close cursors, temp tables, databases."""\n        s.instance.sessions.discard(s)\n` },
    ],
  },
  {
    name: 'end-twice-succeeds',
    why: 'ending an unknown handle is treated as "already ended": success, like a free() of a freed pointer guarded by a lookup',
    edits: [{ find: END_CHECK, replace: `        if sesid not in self.handles:\n            return {}\n${END_CHECK}` }],
  },
  {
    name: 'end-accepts-tableid',
    why: 'handles index one object table and the type is not checked: a tableid ends its cursor\'s session',
    edits: [{ find: END_CHECK, replace: `        obj = self.handles.get(sesid) if isinstance(sesid, str) else None\n        if isinstance(obj, Cursor):\n            sesid = self.handle_of(obj.session)\n${END_CHECK}` }],
  },
  {
    name: 'end-accepts-instance',
    why: 'an instance handle is taken as "end the instance\'s first session" (handles share one table)',
    edits: [{ find: END_CHECK, replace: `        obj = self.handles.get(sesid) if isinstance(sesid, str) else None\n        if isinstance(obj, Instance) and obj.sessions:\n            sesid = self.handle_of(next(iter(obj.sessions)))\n${END_CHECK}` }],
  },
  {
    name: 'sesid-reused-at-once',
    why: 'freed session handles go on a LIFO free list and the next JetBeginSession gets the last one back',
    edits: [
      { find: END_FREE, replace: `        h = self.handle_of(s)\n${END_FREE}\n        self.__dict__.setdefault("free_sesids", []).append(h)` },
      { find: `        s = Session(inst)\n        inst.sessions.add(s)\n        return {"sesid": self.issue(s)}`, replace: `        s = Session(inst)\n        inst.sessions.add(s)\n        free = getattr(self, "free_sesids", [])\n        if free:\n            h = free.pop()\n            self.handles[h] = s\n            return {"sesid": h}\n        return {"sesid": self.issue(s)}` },
    ],
  },
  {
    name: 'begin-session-limit-off-by-one',
    why: '<= instead of < on the session count: MaxSessions + 1 sessions can be begun',
    edits: [{ find: `        ensure(len(inst.sessions) < inst.params[JET_paramMaxSessions], JET_errOutOfSessions)\n        s = Session(inst)`, replace: `        ensure(len(inst.sessions) <= inst.params[JET_paramMaxSessions], JET_errOutOfSessions)\n        s = Session(inst)` }],
  },
  // ---- error order, grbit, context -------------------------------------------------------------------
  {
    name: 'grbit-checked-before-sesid',
    why: 'argument validation first (the grbit), then the handle: an unknown grbit on a bad handle gives -1003',
    edits: [{ find: END_CHECK, replace: `        ensure(grbit & ~0x1 == 0, JET_errInvalidParameter)\n${END_CHECK}` }],
  },
  {
    name: 'unknown-grbit-after-cleanup',
    why: 'the grbit is validated at the end of the function: the session is cleaned up and then -1003 is returned',
    edits: [{ find: END_CHECK, replace: END_CHECK.replace('        return {}', '        ensure(grbit & ~0x1 == 0, JET_errInvalidParameter)\n        return {}') }],
  },
  {
    name: 'force-grbit-commits',
    why: 'JET_bitForceSessionClosed read as "force it closed, keep the work": the forced end commits',
    edits: [{ find: `        self.end_session(s)\n        return {}`, replace: `        if grbit & 0x1:\n            while s.levels:\n                self.JetCommitTransaction(sesid, 0)\n        self.end_session(s)\n        return {}` }],
  },
  {
    name: 'context-not-checked',
    why: 'JetEndSession does not look at the session context: a session set on a thread is ended under it',
    edits: [{ find: `        ensure(s.context is None, JET_errSessionInUse)\n        self.end_session(s)`, replace: `        self.end_session(s)` }],
  },
  {
    name: 'context-checked-after-rollback',
    why: 'the clean-up starts with the rollback, and the context check sits before freeing the session: -1914 with the transaction gone',
    edits: [{ find: `        ensure(s.context is None, JET_errSessionInUse)\n        self.end_session(s)`, replace: `        s.levels, s.snapshot = [], None\n        self.end_transaction_levels(s, 0)\n        ensure(s.context is None, JET_errSessionInUse)\n        self.end_session(s)` }],
  },
  {
    name: 'stop-service-refuses-end',
    why: 'after JetStopService every call but JetTerm answers -1329, JetEndSession included',
    edits: [{ find: `        ensure(s.context is None, JET_errSessionInUse)\n        self.end_session(s)`, replace: `        ensure(not s.instance.stopped, JET_errClientRequestToStopJetService)\n        ensure(s.context is None, JET_errSessionInUse)\n        self.end_session(s)` }],
  },
  // ---- neighbours --------------------------------------------------------------------------------------
  {
    name: 'term-ends-sessions-in-transactions',
    why: 'JetTerm does not check for open transactions: it ends every session, rolling back (the model did this before red team L)',
    edits: [{ find: `        ensure(grbit & JET_bitTermDirty or not any(s.levels for s in inst.sessions), JET_errTooManyActiveUsers)\n`, replace: '' }],
  },
  {
    name: 'term-leaves-sessions',
    why: 'JetTerm frees the instance without ending its sessions: their handles stay valid',
    edits: [{ find: `        for s in list(inst.sessions):\n            sesid = self.handle_of(s)\n            self.end_session(s)\n            self.term_ended.add(sesid)`, replace: '        pass' }],
  },
  {
    name: 'term-commits-sessions',
    why: 'JetTerm does not refuse open transactions: it ends the sessions after committing them (a "graceful" term)',
    edits: [
      { find: `        ensure(grbit & JET_bitTermDirty or not any(s.levels for s in inst.sessions), JET_errTooManyActiveUsers)\n`, replace: '' },
      { find: `            sesid = self.handle_of(s)\n            self.end_session(s)`, replace: `            sesid = self.handle_of(s)\n            while s.levels:\n                self.JetCommitTransaction(sesid, 0)\n            self.end_session(s)` },
    ],
  },
  {
    name: 'dup-session-aliases-source',
    why: 'JetDupSession returns the same session object under a new handle (shared state instead of a new session)',
    edits: [{ find: `        return self.new_session(self.session(sesid).instance)`, replace: `        s = self.session(sesid)\n        self.new_session(s.instance)\n        return {"sesid": self.issue(s)}` }],
  },
  {
    name: 'rollback-keeps-deferred-locks',
    why: 'a JetRollback to level 0 (not the end) forgets to release the locks of defer-closed cursors',
    edits: [{ find: `        if depth == 0:\n            s.read_only = False\n`, replace: `        if depth == 0:\n            s.read_only = False\n            if not getattr(s, "ending", False) and any(c.grbit & (JET_bitTableDenyRead | JET_bitTableDenyWrite) for c in s.deferred):\n                s.instance.__dict__.setdefault("leaked", []).extend(s.deferred)\n` }, { find: `        deferred = [d for o in s.instance.sessions for d in o.deferred if d.table is table]`, replace: `        deferred = [d for o in s.instance.sessions for d in o.deferred if d.table is table] + [d for d in getattr(s.instance, "leaked", []) if d.table is table]` }, { find: END_ROLLBACK, replace: `        s.ending = True\n${END_ROLLBACK}` }],
  },
];
