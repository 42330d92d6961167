/**
 * Red teams L, N, O, P and Q: realistic bugs of an independently written engine (examples/python-adapter/model.py;
 * L's written when it declared no capability, N's in the thread and session-context rules once it
 * declared `threads`, O's in the forced instance states and the failing clean-up steps once it
 * declared `instance-state` and `fault-injection`, P's around the session, Q's in the records the
 * end undoes or keeps). Each mutant is one or more exact textual edits of model.py; every
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
`;
/**
 * Code run before JetEndSession's own checks (END_CHECK, kept after it), on the session looked up
 * without them: a handle of another kind is still refused.
 */
const beforeEndCheck = (code: string): string => `        s = self.lookup(sesid, Session, JET_errInvalidSesid)\n${code}${END_CHECK}`;
/** JetEndSession's refusal of a transaction bound to another thread, then the clean-up. */
const END_THREAD = `        if s.levels and s.trx_bound_to[0] == "thread" and not self.transaction_context_ok(s, thread):
            self.close_level_cursors(s, len(s.levels))
            raise JetError(JET_errSessionSharingViolation)
        self.end_session(s, faults=True)
        return {}`;
const CONTEXT_CHECK = `        ensure(s.context is None, JET_errSessionInUse)
        # The rollback runs`;
const TERM_CHECK = `        ensure(grbit & JET_bitTermDirty or inst.unavailable or not any(s.levels for s in inst.sessions), JET_errTooManyActiveUsers)\n`;
export const END_ROLLBACK = `        s.levels, s.snapshot = [], None
        self.end_transaction_levels(s, 0)`;
export const END_CLOSE = `        for c in list(s.cursors):
            self.close_cursor(c, leak_temp="temp-tables" in self.bugs)`;
export const END_DBS = `        for dbid in list(s.dbs):
            if s.instance.exclusive.get(dbid) is s:
                del s.instance.exclusive[dbid]`;
/** JetDupSession's body: a new session on the instance of the one given. */
export const DUP_SESSION = `        return self.new_session(self.session(sesid).instance)`;
export const END_FREE = `        s.instance.sessions.discard(s)
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

/** Red team L's mutants (the model without capabilities). */
export const modelMutants: readonly PythonMutant[] = [
  // ---- the rollback -------------------------------------------------------------------------------
  {
    name: 'end-commits-transaction',
    why: 'the end "finishes" the open transaction with the commit path (the one a clean shutdown uses) instead of the rollback',
    edits: [{ find: END_ROLLBACK, replace: `        while s.levels:\n            self.commit_level(s)\n${END_ROLLBACK}` }],
  },
  {
    name: 'end-rolls-back-innermost-only',
    why: 'JetRollback(sesid, 0) instead of JET_bitRollbackAll: one level undone, the outer levels then flushed as committed',
    edits: [{ find: END_ROLLBACK, replace: `        if s.levels:\n            self.rollback_level(s)\n        while s.levels:\n            self.commit_level(s)\n${END_ROLLBACK}` }],
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
    edits: [{ find: END_THREAD, replace: END_THREAD.replace('        return {}', '        ensure(grbit & ~0x1 == 0, JET_errInvalidParameter)\n        return {}') }],
  },
  {
    name: 'force-grbit-commits',
    why: 'JET_bitForceSessionClosed read as "force it closed, keep the work": the forced end commits',
    edits: [{ find: `        self.end_session(s, faults=True)\n        return {}`, replace: `        if grbit & 0x1:\n            while s.levels:\n                self.commit_level(s)\n        self.end_session(s, faults=True)\n        return {}` }],
  },
  {
    name: 'context-not-checked',
    why: 'JetEndSession does not look at the session context: a session set on a thread is ended under it',
    edits: [{ find: CONTEXT_CHECK, replace: '        # The rollback runs' }],
  },
  {
    name: 'context-checked-after-rollback',
    why: 'the clean-up starts with the rollback, and the context check sits before freeing the session: -1914 with the transaction gone',
    edits: [{ find: CONTEXT_CHECK, replace: `        s.levels, s.snapshot = [], None\n        self.end_transaction_levels(s, 0)\n${CONTEXT_CHECK}` }],
  },
  {
    name: 'stop-service-refuses-end',
    why: 'after JetStopService every call but JetTerm answers -1329, JetEndSession included',
    edits: [{ find: CONTEXT_CHECK, replace: `        ensure(not s.instance.stopped, JET_errClientRequestToStopJetService)\n${CONTEXT_CHECK}` }],
  },
  // ---- neighbours --------------------------------------------------------------------------------------
  {
    name: 'term-ends-sessions-in-transactions',
    why: 'JetTerm does not check for open transactions: it ends every session, rolling back (the model did this before red team L)',
    edits: [{ find: TERM_CHECK, replace: '' }],
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
      { find: TERM_CHECK, replace: '' },
      { find: `            sesid = self.handle_of(s)\n            self.end_session(s)`, replace: `            sesid = self.handle_of(s)\n            while s.levels:\n                self.commit_level(s)\n            self.end_session(s)` },
    ],
  },
  {
    name: 'dup-session-aliases-source',
    why: 'JetDupSession returns the same session object under a new handle (shared state instead of a new session)',
    edits: [{ find: DUP_SESSION, replace: `        s = self.session(sesid)\n        self.new_session(s.instance)\n        return {"sesid": self.issue(s)}` }],
  },
  {
    name: 'rollback-keeps-deferred-locks',
    why: 'a JetRollback to level 0 (not the end) forgets to release the locks of defer-closed cursors',
    edits: [{ find: `        if depth == 0:\n            s.read_only = False\n`, replace: `        if depth == 0:\n            s.read_only = False\n            if not getattr(s, "ending", False) and any(c.grbit & (JET_bitTableDenyRead | JET_bitTableDenyWrite) for c in s.deferred):\n                s.instance.__dict__.setdefault("leaked", []).extend(s.deferred)\n` }, { find: `        deferred = [d for o in s.instance.sessions for d in o.deferred if d.table is table]`, replace: `        deferred = [d for o in s.instance.sessions for d in o.deferred if d.table is table] + [d for d in getattr(s.instance, "leaked", []) if d.table is table]` }, { find: END_ROLLBACK, replace: `        s.ending = True\n${END_ROLLBACK}` }],
  },
];

/**
 * Red team N: the thread and session-context rules, once the model declared `threads`. Each is a
 * plausible misreading of outcomes.md (ES-SESSION-IN-USE, ES-CONTEXT-MIGRATED-TRX,
 * ES-SHARING-VIOLATION) and of the source notes (§5 JetSetSessionContext, Errata 5, 6, 8).
 */
const BEGIN_BIND = `            s.trx_bound_to = ("context", s.context[0]) if s.context is not None else ("thread", thread)`;
const CONTEXT_OK = `        if kind == "context":
            return s.context is not None and s.context == (value, thread)
        return value == thread`;
const COMMIT_CHECK = `        ensure(self.transaction_context_ok(s, thread), JET_errSessionSharingViolation)  # dir.cxx 1932-1936`;
const ROLLBACK_LOOP = `            self.close_level_cursors(s, len(s.levels))
            ensure(self.transaction_context_ok(s, thread), JET_errSessionSharingViolation)
            self.rollback_level(s)`;
const NESTED_BEGIN = `        ensure(len(s.levels) < LEVEL_MAX, JET_errTransTooDeep)
        self.check_nested_transaction(s, thread)  # dir.cxx 1872-1879`;
const SET_CONTEXT = `        ensure(context not in (0, -1, 0xFFFFFFFFFFFFFFFF), JET_errInvalidParameter)
        ensure(s.context is None, JET_errSessionContextAlreadySet)
        s.context = (context, thread)`;
const RESET_CONTEXT = `        ensure(s.context is not None and s.context[1] == thread, JET_errSessionContextNotSetByThisThread)`;
const END_REFUSE = `        if s.levels and s.trx_bound_to[0] == "thread" and not self.transaction_context_ok(s, thread):
            self.close_level_cursors(s, len(s.levels))
            raise JetError(JET_errSessionSharingViolation)`;
const OFF_CONTEXT = `        return not s.levels and s.context is not None and s.context[1] != thread`;

export const threadMutants: readonly PythonMutant[] = [
  // ---- JetEndSession and the thread a transaction belongs to -------------------------------------------
  {
    name: 'end-ignores-transaction-thread',
    why: 'JetEndSession is the clean-up of last resort: it rolls back whatever is open, from whichever thread calls it',
    edits: [{ find: END_REFUSE, replace: '' }],
  },
  {
    name: 'end-refused-before-closing-cursors',
    why: 'validate, then act: the thread check is done before the rollback loop, so the refused end closes nothing',
    edits: [{ find: END_REFUSE, replace: END_REFUSE.replace('            self.close_level_cursors(s, len(s.levels))\n', '') }],
  },
  {
    name: 'end-refused-closes-every-level',
    why: 'the refused end closes the cursors of every open level (one sweep over the transaction), not only the innermost one',
    edits: [{ find: END_REFUSE, replace: END_REFUSE.replace('self.close_level_cursors(s, len(s.levels))', 'self.close_level_cursors(s, 1)') }],
  },
  {
    name: 'end-refused-answers-session-in-use',
    why: 'the documentation lists JET_errSessionInUse for "in use on another thread": the wrong-thread end answers -1914',
    edits: [{ find: END_REFUSE, replace: END_REFUSE.replace('raise JetError(JET_errSessionSharingViolation)', 'raise JetError(JET_errSessionInUse)') }],
  },
  {
    name: 'end-refused-still-frees-session',
    why: 'the rollback error is returned, but the teardown goes on (a destructor that cannot fail): the session is gone',
    edits: [{ find: END_REFUSE, replace: END_REFUSE.replace('            raise JetError(JET_errSessionSharingViolation)', '            self.end_session(s)\n            raise JetError(JET_errSessionSharingViolation)') }],
  },
  {
    name: 'end-refused-after-rollback',
    why: 'the thread is checked after ErrIsamRollback\'s whole loop, not in each level\'s undo: -1910 with the transaction already gone',
    edits: [{ find: END_REFUSE, replace: END_REFUSE.replace('            self.close_level_cursors(s, len(s.levels))\n', '            while s.levels:\n                self.rollback_level(s)\n') }],
  },
  {
    name: 'end-context-transaction-checks-thread',
    why: 'no PrepareTrxContextForEnd: a transaction begun under a context since reset is checked like any other, so nobody can end it',
    edits: [{ find: END_REFUSE, replace: END_REFUSE.replace('s.levels and s.trx_bound_to[0] == "thread" and not', 's.levels and not') }],
  },
  {
    name: 'end-refused-at-level-0-by-old-owner',
    why: 'the owner thread is kept on the session, not on the transaction: an idle session whose last transaction ran on t1 cannot be ended from t2',
    edits: [{ find: END_REFUSE, replace: END_REFUSE.replace('if s.levels and s.trx_bound_to[0] == "thread" and not', 'if s.trx_bound_to is not None and s.trx_bound_to[0] == "thread" and not') }],
  },
  {
    name: 'end-context-own-thread-allowed',
    why: 'the doc says -1914 means "in use on another thread": a context set by the calling thread itself does not refuse the end',
    edits: [{ find: CONTEXT_CHECK, replace: CONTEXT_CHECK.replace('ensure(s.context is None, JET_errSessionInUse)', 'ensure(s.context is None or s.context[1] == thread, JET_errSessionInUse)') }],
  },
  {
    name: 'end-refusal-resets-context',
    why: 'ErrIsamEndSession\'s error path resets the session context to Null; a port resets the user\'s context there too',
    edits: [{ find: CONTEXT_CHECK, replace: `        if s.context is not None:\n            s.context = None\n            raise JetError(JET_errSessionInUse)\n        # The rollback runs` }],
  },
  // ---- which thread a transaction belongs to ----------------------------------------------------------------
  {
    name: 'trx-bound-to-thread-under-context',
    why: 'the transaction always belongs to the thread of its level-0 begin; the session context only guards JetEndSession',
    edits: [{ find: BEGIN_BIND, replace: `            s.trx_bound_to = ("thread", thread)` }],
  },
  {
    name: 'context-set-migrates-open-transaction',
    why: 'JetSetSessionContext re-binds the open transaction to the new context (Errata 5 says a later context does not migrate it)',
    edits: [{ find: SET_CONTEXT, replace: `${SET_CONTEXT}\n        if s.levels:\n            s.trx_bound_to = ("context", context)` }],
  },
  {
    name: 'context-transaction-any-thread',
    why: 'the context check compares the context values only, not the thread that set the context',
    edits: [{ find: CONTEXT_OK, replace: CONTEXT_OK.replace('s.context == (value, thread)', 's.context[0] == value') }],
  },
  {
    name: 'context-transaction-falls-back-to-setter',
    why: 'after JetResetSessionContext the transaction falls back to the thread that set the context (Errata 5: nobody may use it)',
    edits: [
      { find: CONTEXT_OK, replace: CONTEXT_OK.replace('            return s.context is not None and s.context == (value, thread)', '            if s.context is None:\n                return getattr(s, "last_setter", None) == thread\n            return s.context == (value, thread)') },
      { find: SET_CONTEXT, replace: `${SET_CONTEXT}\n        s.last_setter = thread` },
    ],
  },
  {
    name: 'context-any-value-resumes',
    why: 'a context-bound transaction resumes under whatever context is set next (Errata 5: only the same value)',
    edits: [{ find: CONTEXT_OK, replace: CONTEXT_OK.replace('s.context == (value, thread)', 's.context[1] == thread') }],
  },
  {
    name: 'commit-ignores-thread',
    why: 'only JetBeginTransaction is thread-checked; a commit just pops the level, from any thread',
    edits: [{ find: COMMIT_CHECK, replace: '' }],
  },
  {
    name: 'rollback-ignores-thread',
    why: 'JetRollback undoes the level whoever calls it (a rollback is always safe)',
    edits: [{ find: ROLLBACK_LOOP, replace: ROLLBACK_LOOP.replace('            ensure(self.transaction_context_ok(s, thread), JET_errSessionSharingViolation)\n', '') }],
  },
  {
    name: 'rollback-refused-before-closing-cursors',
    why: 'JetRollback validates the thread before touching the level, so a refused rollback closes nothing',
    edits: [{ find: ROLLBACK_LOOP, replace: ROLLBACK_LOOP.replace('            self.close_level_cursors(s, len(s.levels))\n', '') }],
  },
  {
    name: 'nested-begin-ignores-thread',
    why: 'a nested JetBeginTransaction only pushes a level: the owner is checked at commit and rollback only',
    edits: [{ find: NESTED_BEGIN, replace: `        ensure(len(s.levels) < LEVEL_MAX, JET_errTransTooDeep)` }],
  },
  {
    name: 'thread-checked-before-too-deep',
    why: 'the caller is checked before the arguments and the depth: a wrong-thread 8th begin gives -1910, not -1103 (Errata 6)',
    edits: [{ find: NESTED_BEGIN, replace: `        self.check_nested_transaction(s, thread)\n        ensure(len(s.levels) < LEVEL_MAX, JET_errTransTooDeep)` }],
  },
  // ---- JetSetSessionContext / JetResetSessionContext ---------------------------------------------------------
  {
    name: 'reset-context-any-thread',
    why: 'JetResetSessionContext is idempotent clean-up: any thread may clear the context, and clearing none is fine',
    edits: [{ find: RESET_CONTEXT, replace: '' }],
  },
  {
    name: 'reset-context-unset-ok',
    why: 'resetting a session that has no context is a no-op (0), as clearing an empty slot usually is',
    edits: [{ find: RESET_CONTEXT, replace: `        if s.context is None:\n            return {}\n        ensure(s.context[1] == thread, JET_errSessionContextNotSetByThisThread)` }],
  },
  {
    name: 'set-context-overwrites',
    why: 'JetSetSessionContext stores the new value over an old one (a setter), no JET_errSessionContextAlreadySet',
    edits: [{ find: SET_CONTEXT, replace: SET_CONTEXT.replace('        ensure(s.context is None, JET_errSessionContextAlreadySet)\n', '') }],
  },
  {
    name: 'set-context-same-thread-again',
    why: 'the same thread may set its context again (re-entrant), only another thread\'s context refuses it',
    edits: [{ find: SET_CONTEXT, replace: SET_CONTEXT.replace('ensure(s.context is None, JET_errSessionContextAlreadySet)', 'ensure(s.context is None or s.context[1] == thread, JET_errSessionContextAlreadySet)') }],
  },
  {
    name: 'set-context-slot-before-value',
    why: 'the slot is checked before the argument: JetSetSessionContext(0) while a context is set gives -1912 (Errata 6: -1003)',
    edits: [{ find: SET_CONTEXT, replace: `        ensure(s.context is None, JET_errSessionContextAlreadySet)\n        ensure(context not in (0, -1, 0xFFFFFFFFFFFFFFFF), JET_errInvalidParameter)\n        s.context = (context, thread)` }],
  },
  {
    name: 'set-context-after-stop-service',
    why: 'JetSetSessionContext is bookkeeping, not work: it is allowed after JetStopService like JetResetSessionContext',
    edits: [{ find: `        ensure(not s.instance.stopped, JET_errClientRequestToStopJetService)\n        # 0 and all ones`, replace: '        # 0 and all ones' }],
  },
  {
    name: 'dup-session-copies-context',
    why: 'JetDupSession copies the source session\'s settings, its session context included',
    edits: [{ find: DUP_SESSION, replace: `        src = self.session(sesid)\n        out = self.new_session(src.instance)\n        self.handles[out["sesid"]].context = src.context\n        return out` }],
  },
  {
    name: 'term-refuses-context',
    why: 'JetTerm treats a session whose context is still set as busy and refuses (Errata 8: it ends it)',
    edits: [{ find: TERM_CHECK, replace: `${TERM_CHECK}        ensure(not any(s.context is not None for s in inst.sessions), JET_errTooManyActiveUsers)\n` }],
  },
  // ---- a call off the context's thread at level 0 -------------------------------------------------------------
  {
    name: 'internal-transaction-commits',
    why: 'an internal transaction is the call\'s own business: it commits whatever thread calls, so nothing stays open',
    edits: [{ find: OFF_CONTEXT, replace: '        return False' }],
  },
  {
    name: 'internal-transaction-on-context-thread-too',
    why: 'every call at level 0 under a context is taken as off-thread: the context\'s own thread leaks levels too',
    edits: [{ find: OFF_CONTEXT, replace: '        return not s.levels and s.context is not None' }],
  },
];


/**
 * Red team O: the error paths, once the model declared `instance-state` and `fault-injection`. Each is
 * a plausible misreading of outcomes.md (ES-NOT-INITIALIZED, ES-RESTORE-IN-PROGRESS,
 * ES-INSTANCE-UNAVAILABLE, ES-CLEANUP-*, ES-UNDO-FAILURE-FATAL), of docs/protocol.md section 8 and of
 * the source notes (§2.1 FEnter's order, §2.2 the clean-up's order, Errata 11).
 */
const CHECK_INSTANCE = `        ensure(inst.forced != "not-initialized", JET_errNotInitialized)
        if inst.unavailable:
            raise JetError(JET_errInstanceUnavailableDueToFatalLogDiskFull if inst.fatal_cause == JET_errLogDiskFull else JET_errInstanceUnavailable)
        ensure(inst.forced != "restore-in-progress", JET_errRestoreInProgress)`;
const SESSION_CHECK = `        s = self.lookup(sesid, Session, JET_errInvalidSesid)
        self.check_instance(s.instance)
        return s`;
const UNDO_FAULT = `                self.close_level_cursors(s, len(s.levels))
                self.take_down(s.instance, err)
                raise JetError(err)`;
const CLOSE_DB_FAULT = `                err = self.fault("close-database")
                if err is not None:
                    raise JetError(err)`;
const CLOSE_SORT_FAULT = `            err = self.fault("close-sort") if c.on_sort else None
            if err is not None:
                raise JetError(err)`;
const FAULT_USED = `        armed[1] -= 1
        if armed[1] == 0:
            del self.faults[step]`;
export const STEPS_START = `        if faults and self.faults:
            self.end_in_steps(s)`;

export const errorPathMutants: readonly PythonMutant[] = [
  // ---- forced instance states: what they answer, and in which order ------------------------------------
  {
    name: 'log-disk-full-not-distinguished',
    why: 'the documentation lists only JET_errInstanceUnavailable: every fatal error answers -1090, a full log disk too',
    edits: [{ find: CHECK_INSTANCE, replace: CHECK_INSTANCE.replace('JET_errInstanceUnavailableDueToFatalLogDiskFull if inst.fatal_cause == JET_errLogDiskFull else JET_errInstanceUnavailable', 'JET_errInstanceUnavailable') }],
  },
  {
    name: 'restore-answers-not-initialized',
    why: 'both forced states mean "the instance cannot serve sessions now": one code, JET_errNotInitialized, for both',
    edits: [{ find: CHECK_INSTANCE, replace: CHECK_INSTANCE.replace('JET_errRestoreInProgress', 'JET_errNotInitialized') }],
  },
  {
    name: 'unavailable-checked-before-not-initialized',
    why: 'the instance\'s health first, then its lifecycle: the fatal error is checked before the forced not-initialized state',
    edits: [{ find: CHECK_INSTANCE, replace: `        if inst.unavailable:
            raise JetError(JET_errInstanceUnavailableDueToFatalLogDiskFull if inst.fatal_cause == JET_errLogDiskFull else JET_errInstanceUnavailable)
        ensure(inst.forced != "not-initialized", JET_errNotInitialized)
        ensure(inst.forced != "restore-in-progress", JET_errRestoreInProgress)` }],
  },
  {
    name: 'restore-checked-before-unavailable',
    why: 'the two forced lifecycle states are checked together, both before the fatal error',
    edits: [{ find: CHECK_INSTANCE, replace: `        ensure(inst.forced != "not-initialized", JET_errNotInitialized)
        ensure(inst.forced != "restore-in-progress", JET_errRestoreInProgress)
        if inst.unavailable:
            raise JetError(JET_errInstanceUnavailableDueToFatalLogDiskFull if inst.fatal_cause == JET_errLogDiskFull else JET_errInstanceUnavailable)` }],
  },
  {
    name: 'forced-state-checked-by-end-only',
    why: 'the protocol\'s states are about JetEndSession: only the end checks them, every other call ignores them',
    edits: [
      { find: SESSION_CHECK, replace: `        s = self.lookup(sesid, Session, JET_errInvalidSesid)
        if inst_checked_by_end_only(s):
            self.check_instance(s.instance)
        elif s.instance.unavailable:
            raise JetError(JET_errInstanceUnavailableDueToFatalLogDiskFull if s.instance.fatal_cause == JET_errLogDiskFull else JET_errInstanceUnavailable)
        return s` },
      { find: `class Descending:`, replace: `def inst_checked_by_end_only(s):
    import inspect
    return inspect.stack()[2].function == "JetEndSession"


class Descending:` },
    ],
  },
  {
    name: 'forced-state-checked-after-rollback',
    why: 'the end rolls back first (undo is always safe), then asks the instance whether it may go on',
    edits: [{ find: END_CHECK, replace: beforeEndCheck(`        if s.instance.forced is not None and s.context is None:
            while s.levels:
                self.rollback_level(s)
`) }],
  },
  {
    name: 'forced-state-still-ends-session',
    why: 'a session that cannot be ended cleanly is still freed (leaking it is worse), and the error is returned',
    edits: [{ find: END_CHECK, replace: beforeEndCheck(`        if s.instance.forced is not None:
            err = JET_errNotInitialized if s.instance.forced == "not-initialized" else JET_errRestoreInProgress
            self.end_session(s)
            raise JetError(err)
`) }],
  },
  {
    name: 'unavailable-still-ends-session',
    why: 'an instance that is down has nothing to protect: the end frees the session and reports the fatal error',
    edits: [{ find: END_CHECK, replace: beforeEndCheck(`        if s.instance.unavailable and s.instance.forced is None:
            err = JET_errInstanceUnavailableDueToFatalLogDiskFull if s.instance.fatal_cause == JET_errLogDiskFull else JET_errInstanceUnavailable
            s.levels, s.snapshot = [], None
            s.instance.sessions.discard(s)
            del self.handles[sesid]
            raise JetError(err)
`) }],
  },
  {
    name: 'context-checked-before-unavailable',
    why: 'the session\'s own state is looked at before the instance\'s: a context set answers -1914 on a dead instance',
    edits: [
      { find: END_CHECK, replace: `        s = self.lookup(sesid, Session, JET_errInvalidSesid)
        ensure(s.context is None, JET_errSessionInUse)
        s = self.session(sesid)
` },
    ],
  },
  {
    name: 'begin-session-ignores-fatal-error',
    why: 'the fatal error is the sessions\' business: a new session begins on an unavailable instance',
    edits: [{ find: `        self.check_instance(inst)  # ErrAPIEnter: StopService, unavailable, then the API locks`, replace: `        ensure(inst.forced != "restore-in-progress", JET_errRestoreInProgress)` }],
  },
  {
    name: 'reset-context-ignores-instance',
    why: 'JetResetSessionContext only clears a field of the session: it looks the session up without the instance checks',
    edits: [{ find: `    def JetResetSessionContext(self, sesid, thread=None):
        s = self.session(sesid)`, replace: `    def JetResetSessionContext(self, sesid, thread=None):
        s = self.lookup(sesid, Session, JET_errInvalidSesid)` }],
  },
  {
    name: 'normal-lifts-fatal-error',
    why: '"normal" means a healthy instance: lifting a forced state clears a fatal error too',
    edits: [{ find: `            inst.forced = None  # lifts a forced state`, replace: `            inst.forced, inst.unavailable, inst.fatal_cause = None, False, None  # lifts a forced state` }],
  },
  {
    name: 'term-refuses-open-transaction-when-down',
    why: 'JetTerm refuses while a transaction is open, whatever the instance\'s state (the fatal-error exception missed)',
    edits: [{ find: TERM_CHECK, replace: TERM_CHECK.replace(' or inst.unavailable', '') }],
  },
  {
    name: 'term-commits-when-down',
    why: 'a term of a dead instance flushes what the sessions did, as a clean shutdown would',
    edits: [{ find: `        for s in list(inst.sessions):\n            sesid = self.handle_of(s)\n            self.end_session(s)`, replace: `        for s in list(inst.sessions):\n            sesid = self.handle_of(s)\n            while inst.unavailable and s.levels:\n                self.commit_level(s)\n            self.end_session(s)` }],
  },
  // ---- an undo that fails -----------------------------------------------------------------------------------
  {
    name: 'undo-failure-not-fatal',
    why: 'the documentation: "these errors will be returned": the error is returned and the instance goes on (doc-literal)',
    edits: [{ find: UNDO_FAULT, replace: UNDO_FAULT.replace('                self.take_down(s.instance, err)\n', '') }],
  },
  {
    name: 'undo-failure-ends-session',
    why: 'the instance is going down anyway: the session is freed and the error reported',
    edits: [{ find: UNDO_FAULT, replace: UNDO_FAULT.replace('                raise JetError(err)', '                s.levels, s.snapshot = [], None\n                s.instance.sessions.discard(s)\n                del self.handles[self.handle_of(s)]\n                raise JetError(err)') }],
  },
  {
    name: 'undo-failure-plain-cause',
    why: 'the fatal error is recorded without its cause (a flag): a full log disk then answers -1090 like any other',
    edits: [{ find: UNDO_FAULT, replace: UNDO_FAULT.replace('self.take_down(s.instance, err)', 'self.take_down(s.instance, None)') }],
  },
  {
    name: 'undo-failure-rolls-back-anyway',
    why: 'a failed undo is retried by the recovery that follows: the model drops the levels at once, as if undone',
    edits: [{ find: UNDO_FAULT, replace: UNDO_FAULT.replace('                raise JetError(err)', '                s.levels, s.snapshot = [], None\n                self.end_transaction_levels(s, 0)\n                raise JetError(err)') }],
  },
  {
    name: 'undo-failure-before-closing-cursors',
    why: 'the undo is attempted before the level\'s cursors are closed (close after a successful undo)',
    edits: [{ find: UNDO_FAULT, replace: UNDO_FAULT.replace('                self.close_level_cursors(s, len(s.levels))\n', '') }],
  },
  {
    name: 'undo-fault-strikes-idle-session',
    why: 'the fault is checked once at the top of the clean-up, so it strikes an end with no transaction to undo',
    edits: [{ find: STEPS_START, replace: STEPS_START.replace('            self.end_in_steps(s)', '            err = self.fault("undo") if not s.levels else None\n            if err is not None:\n                self.take_down(s.instance, err)\n                raise JetError(err)\n            self.end_in_steps(s)') }],
  },
  {
    name: 'undo-fault-before-thread-check',
    why: 'the fault is wired at the top of the rollback, so it strikes before ErrDIRRollback\'s thread check',
    edits: [{ find: END_REFUSE, replace: `        if s.levels and "undo" in self.faults:
            self.end_in_steps(s)
${END_REFUSE}` }],
  },
  // ---- a close that fails ---------------------------------------------------------------------------------------
  {
    name: 'close-failure-before-rollback',
    why: 'the resources are released first and the transaction last (the order of a destructor): the failed close leaves the transaction open',
    edits: [{ find: `        while s.levels:
            err = self.fault("undo")`, replace: `        for dbid in sorted(s.dbs):
            err = self.fault("close-database") if "close-database" in self.faults else None
            if err is not None:
                raise JetError(err)
        while s.levels:
            err = self.fault("undo")` }],
  },
  {
    name: 'close-failure-ends-session',
    why: 'the clean-up is best effort: a close that fails is reported, but the session is freed all the same',
    edits: [{ find: CLOSE_DB_FAULT, replace: CLOSE_DB_FAULT.replace('                    raise JetError(err)', '                    self.end_session(s)\n                    raise JetError(err)') }],
  },
  {
    name: 'close-failure-goes-on',
    why: 'a close that fails is skipped and the rest is released; the first error is returned with the session kept',
    edits: [{ find: CLOSE_DB_FAULT, replace: `                err = self.fault("close-database")
                if err is not None:
                    s.__dict__.setdefault("first_error", err)
                    break` }, { find: `            self.close_cursor(c, leak_temp="temp-tables" in self.bugs)

`, replace: `            self.close_cursor(c, leak_temp="temp-tables" in self.bugs)
        if "first_error" in s.__dict__:
            raise JetError(s.__dict__.pop("first_error"))

` }],
  },
  {
    name: 'close-failure-after-closing',
    why: 'the error is that of the close call, made after the database is closed: it fails with the database already gone',
    edits: [{ find: CLOSE_DB_FAULT, replace: `                err = self.fault("close-database")
                if err is not None:
                    self.close_database(s, dbid)
                    raise JetError(err)` }],
  },
  {
    name: 'databases-closed-newest-first',
    why: 'resources are released in the reverse order of their acquisition: the last database opened is closed first',
    edits: [{ find: `        for dbid in sorted(s.dbs):  # ErrDBCloseAllDBs`, replace: `        for dbid in sorted(s.dbs, reverse=True):  # ErrDBCloseAllDBs` }],
  },
  {
    name: 'temp-tables-closed-oldest-first',
    why: 'the session\'s temp tables are closed in the order they were opened',
    edits: [{ find: `key=lambda c: int(self.handle_of(c), 16), reverse=True)`, replace: `key=lambda c: int(self.handle_of(c), 16))` }],
  },
  {
    name: 'materialized-close-can-fail',
    why: 'every temp table is a "sort table" to the documentation: the close-sort fault strikes a materialized one too',
    edits: [{ find: CLOSE_SORT_FAULT, replace: CLOSE_SORT_FAULT.replace(' if c.on_sort else None', ' if isinstance(c.table, TempTable) else None') }],
  },
  {
    name: 'temp-tables-before-databases',
    why: 'the temp tables are the session\'s own, the databases shared: the sorts are closed first',
    edits: [{ find: `        for dbid in sorted(s.dbs):  # ErrDBCloseAllDBs: dbid 1 up, each open of it (db.cxx 6509-6524)
            while dbid in s.dbs:`, replace: `        for c in sorted([c for c in s.cursors if isinstance(c.table, TempTable)], key=lambda c: int(self.handle_of(c), 16), reverse=True):
            err = self.fault("close-sort") if c.on_sort else None
            if err is not None:
                raise JetError(err)
            self.close_cursor(c, leak_temp="temp-tables" in self.bugs)
        for dbid in sorted(s.dbs):  # ErrDBCloseAllDBs: dbid 1 up, each open of it (db.cxx 6509-6524)
            while dbid in s.dbs:` }],
  },
  {
    name: 'fault-times-ignored',
    why: 'a fault is a switch: once armed it fails the step once, whatever count it was given',
    edits: [{ find: FAULT_USED, replace: `        del self.faults[step]` }],
  },
  {
    name: 'fault-never-used-up',
    why: 'the count is read as "fail while armed": the fault stays until the next reset',
    edits: [{ find: FAULT_USED, replace: `        pass` }],
  },
  {
    name: 'fault-off-by-one',
    why: 'the count is decremented before it is tested: N times fails N - 1 times (and once fails never)',
    edits: [{ find: `        armed = self.faults.get(step)
        if armed is None:
            return None
${FAULT_USED}`, replace: `        armed = self.faults.get(step)
        if armed is None:
            return None
${FAULT_USED}
            return None` }],
  },
];

/**
 * Red team P: what surrounds the session, which a porter writes first: several instances (session
 * counts, quotas, lock tables and parameters per instance; JetTerm, StopService and a fatal error of
 * one instance), handle kinds in calls other than the end, JetDupSession and JetDupCursor, the
 * resources the end gives back in their less common shapes, and `reset` (docs/protocol.md section 4).
 */
const NEW_SESSION_LIMIT = `        ensure(len(inst.sessions) < inst.params[JET_paramMaxSessions], JET_errOutOfSessions)\n        s = Session(inst)`;
const TEMP_QUOTA = `        ensure(inst.temp_in_use < inst.params[JET_paramMaxTemporaryTables], JET_errTooManySorts)`;
const TERM_LOOP = `        for s in list(inst.sessions):\n            sesid = self.handle_of(s)\n            self.end_session(s)`;
const DUP_TABLE = `        dup = self.open_cursor(s, src.table)  # no locks, the same updatability, deferred first`;
const DUP_TEMP = `        dup = self.open_cursor(s, src.table)\n        if src.on_sort:`;
const BUGS_LINE = `BUGS = ("after-term", "temp-tables")\n`;

export const aroundSessionMutants: readonly PythonMutant[] = [
  // ---- several instances: what is per instance ----------------------------------------------------
  {
    name: 'temp-quota-global',
    why: 'MaxTemporaryTables is a "system parameter": the open sorts are counted in one process-wide total',
    edits: [{ find: TEMP_QUOTA, replace: `        ensure(sum(o.temp_in_use for o in self.handles.values() if isinstance(o, Instance)) < inst.params[JET_paramMaxTemporaryTables], JET_errTooManySorts)` }],
  },
  {
    name: 'temp-quota-per-session',
    why: 'the quota is read as a per-session limit, like a cursor limit: each session may hold MaxTemporaryTables sorts',
    edits: [{ find: TEMP_QUOTA, replace: `        ensure(len([c for c in s.cursors if c.holds_temp_slot]) < inst.params[JET_paramMaxTemporaryTables], JET_errTooManySorts)` }],
  },
  {
    name: 'session-count-global',
    why: 'the session table is one process-wide array: MaxSessions counts the sessions of every instance',
    edits: [{ find: NEW_SESSION_LIMIT, replace: NEW_SESSION_LIMIT.replace('len(inst.sessions)', 'sum(1 for o in self.handles.values() if isinstance(o, Session))') }],
  },
  {
    name: 'session-limit-from-global-default',
    why: 'the limit is read where the parameter was first stored, the global default, not the instance\'s own copy',
    edits: [{ find: NEW_SESSION_LIMIT, replace: NEW_SESSION_LIMIT.replace('inst.params[JET_paramMaxSessions]', 'self.defaults[JET_paramMaxSessions]') }],
  },
  {
    name: 'instance-param-sets-every-instance',
    why: 'one parameter table shared by the instances: setting an instance\'s parameter sets it for every live instance',
    edits: [{ find: `            self.instance(instance).params[paramid] = lParam`, replace: `            self.instance(instance)\n            for o in self.handles.values():\n                if isinstance(o, Instance):\n                    o.params[paramid] = lParam` }],
  },
  {
    name: 'exclusive-lock-table-global',
    why: 'the exclusive-open lock table is a module global keyed by dbid, and dbids restart at 1 in each instance',
    edits: [
      { find: BUGS_LINE, replace: `${BUGS_LINE}EXCLUSIVE_LOCKS = {}\n` },
      { find: `        self.exclusive = {}  # dbid -> session holding it exclusively`, replace: `        self.exclusive = EXCLUSIVE_LOCKS` },
    ],
  },
  {
    name: 'open-database-any-instance',
    why: 'the attached-database list is looked up process-wide, like the files: a database attached by another instance opens',
    edits: [{ find: `        ensure(filename in inst.attached, JET_errDatabaseNotFound)\n        dbid = inst.attached[filename]`, replace: `        ensure(any(isinstance(o, Instance) and filename in o.attached for o in self.handles.values()), JET_errDatabaseNotFound)\n        if filename not in inst.attached:\n            self.attach(inst, filename)\n        dbid = inst.attached[filename]` }],
  },
  // ---- one instance's term, stop or fatal error touching another ---------------------------------------
  {
    name: 'term-ends-every-instance-sessions',
    why: 'JetTerm walks the global session list to end the sessions, not the instance\'s own',
    edits: [{ find: TERM_LOOP, replace: TERM_LOOP.replace('list(inst.sessions)', '[o for o in self.handles.values() if isinstance(o, Session)]') }],
  },
  {
    name: 'fatal-error-downs-every-instance',
    why: 'the "instance unavailable" flag is a process global, as in a one-instance engine',
    edits: [{ find: `        inst.unavailable = True\n        inst.fatal_cause = cause`, replace: `        for o in self.handles.values():\n            if isinstance(o, Instance):\n                o.unavailable = True\n                o.fatal_cause = cause` }],
  },
  {
    name: 'stop-service-instance-stops-all',
    why: 'JetStopServiceInstance is written as a call of JetStopService, its instance argument only checked',
    edits: [{ find: `        self.instance(instance).stopped = True\n        return {}`, replace: `        self.instance(instance)\n        return self.JetStopService()` }],
  },
  {
    name: 'term-keeps-instance-name',
    why: 'the instance-name registry is added to at JetCreateInstance and never pruned at JetTerm',
    edits: [
      { find: `        live = [o for o in self.handles.values() if isinstance(o, Instance)]`, replace: `        live = [o for o in self.handles.values() if isinstance(o, Instance)] + self.__dict__.setdefault("termed", [])` },
      { find: `            self.term_ended.add(sesid)\n        del self.handles[self.handle_of(inst)]`, replace: `            self.term_ended.add(sesid)\n        self.__dict__.setdefault("termed", []).append(inst)\n        del self.handles[self.handle_of(inst)]` },
    ],
  },
  // ---- handle kinds in calls other than the end -------------------------------------------------------
  {
    name: 'session-lookup-accepts-tableid',
    why: 'one handle table: a session call given a tableid "helpfully" takes the cursor\'s session (the end checks the kind itself)',
    edits: [
      { find: `        s = self.lookup(sesid, Session, JET_errInvalidSesid)\n        self.check_instance(s.instance)`, replace: `        obj = self.handles.get(sesid) if isinstance(sesid, str) else None\n        s = obj.session if isinstance(obj, Cursor) else self.lookup(sesid, Session, JET_errInvalidSesid)\n        self.check_instance(s.instance)` },
      { find: `        s = self.session(sesid)  # the grbit is reserved`, replace: `        self.lookup(sesid, Session, JET_errInvalidSesid)\n        s = self.session(sesid)  # the grbit is reserved` },
    ],
  },
  {
    name: 'instance-lookup-accepts-sesid',
    why: 'a sesid knows its instance, so the instance helper takes either kind: JetTerm or JetBeginSession given a sesid act on its instance',
    edits: [{ find: `        return self.lookup(handle, Instance, JET_errInvalidInstance)`, replace: `        obj = self.handles.get(handle) if isinstance(handle, str) else None\n        if isinstance(obj, Session):\n            return obj.instance\n        return self.lookup(handle, Instance, JET_errInvalidInstance)` }],
  },
  {
    name: 'cursor-ignores-owning-session',
    why: 'tableids are unique, so the sesid passed with one is only used for the instance checks',
    edits: [{ find: `        ensure(c.session is session, JET_errSesidTableIdMismatch)\n`, replace: '' }],
  },
  // ---- JetDupSession and JetDupCursor ------------------------------------------------------------------
  {
    name: 'dup-session-ignores-limit',
    why: 'a duplicate is a copy of a session that already holds a slot, so no MaxSessions check is made',
    edits: [{ find: DUP_SESSION, replace: `        inst = self.session(sesid).instance\n        s = Session(inst)\n        inst.sessions.add(s)\n        return {"sesid": self.issue(s)}` }],
  },
  {
    name: 'dup-cursor-not-tracked',
    why: 'the duplicate is put in the handle table but not in the session\'s cursor list, which only JetOpenTable fills',
    edits: [
      { find: DUP_TABLE, replace: `        dup = Cursor(s, src.table)` },
      { find: DUP_TEMP, replace: `        dup = Cursor(s, src.table)\n        if src.on_sort:` },
    ],
  },
  {
    name: 'dup-sort-takes-no-reference',
    why: 'the duplicate is "the same sort", so it takes no reference: the original\'s close frees the slot while the duplicate reads on',
    edits: [{ find: `            src.table.refs += 1\n`, replace: '' }],
  },
  // ---- resources the end gives back -------------------------------------------------------------------
  {
    name: 'end-closes-last-cursor-per-table',
    why: 'the end walks the session\'s open tables (one entry per table) and closes the cursor recorded there, the last one opened',
    edits: [{ find: `        for c in list(s.cursors):\n            self.close_cursor(c, leak_temp="temp-tables" in self.bugs)`, replace: `        last = {}\n        for c in sorted(s.cursors, key=lambda c: int(self.handle_of(c), 16)):\n            last[c.table if isinstance(c.table, Table) else c] = c\n        for c in list(last.values()):\n            self.close_cursor(c, leak_temp="temp-tables" in self.bugs)` }],
  },
  {
    name: 'end-drops-database-for-every-session',
    why: 'the open count is kept on the database (one per instance): the end\'s close takes it away from the other sessions too',
    edits: [{ find: `        s.dbs.clear()\n        s.instance.sessions.discard(s)`, replace: `        for o in s.instance.sessions:\n            for dbid in list(s.dbs):\n                if o is not s:\n                    o.dbs.pop(dbid, None)\n        s.dbs.clear()\n        s.instance.sessions.discard(s)` }],
  },
  // ---- reset (docs/protocol.md section 4) -------------------------------------------------------------
  {
    name: 'reset-keeps-system-defaults',
    why: 'system parameters are process-global in ESE, so the porter keeps them in a module global that reset does not touch',
    edits: [
      { find: BUGS_LINE, replace: `${BUGS_LINE}DEFAULTS = {JET_paramMaxSessions: 16, JET_paramMaxTemporaryTables: 20}\n` },
      { find: `        self.defaults = {JET_paramMaxSessions: 16, JET_paramMaxTemporaryTables: 20}`, replace: `        self.defaults = DEFAULTS` },
    ],
  },
  {
    name: 'reset-keeps-database-files',
    why: 'the database folder is created once at start-up: reset ends the instances but leaves the files',
    edits: [
      { find: BUGS_LINE, replace: `${BUGS_LINE}FOLDER = {}\n` },
      { find: `        self.files = {}  # filename -> {tablename: Table}: the "database folder"`, replace: `        self.files = FOLDER` },
    ],
  },
  {
    name: 'reset-keeps-armed-faults',
    why: 'the fault table lives in the injection shim, a module global, and reset rebuilds only the engine',
    edits: [
      { find: BUGS_LINE, replace: `${BUGS_LINE}FAULTS = {}\n` },
      { find: `        self.faults = {}  # clean-up step`, replace: `        self.faults = FAULTS  # clean-up step` },
    ],
  },
  {
    name: 'handle-counter-restarts-on-reset',
    why: 'the handle counter is part of the engine state that reset rebuilds: handles of before the reset name the new objects',
    edits: [
      { find: `        handle = "0x%x" % next(_handle_values)`, replace: `        handle = "0x%x" % next(self.__dict__.setdefault("handle_values", itertools.count(0x10040, 0x40)))` },
    ],
  },
];

/**
 * Red team Q: the records the end undoes or keeps, as a porter writes a version store and gets it
 * wrong in ordinary ways (the undo order, images, several tables and databases, the update buffer,
 * the record counter, other sessions' versions, views, locks and cursors, temp tables).
 */
/** Code run by the end before its rollback, the session's levels still in place. */
/** `code` run just before the end's rollback (red-team-r.ts uses it too). */
export const beforeEndRollback = (code: string): PythonEdit => ({ find: END_ROLLBACK, replace: `${code}${END_ROLLBACK}` });
const WRITE_VERSIONED = `        elif s.levels:
            s.levels[-1].setdefault(table, {})[rid] = row`;
const COMMIT_TO_TABLE = `            self.commit_changes(top)`;
const ROLLBACK_TO_ZERO = `        if not s.levels:
            s.snapshot = None`;
/** A per-transaction log kept in `s.<name>` by write(), forgotten at a commit or JetRollback to level 0. */
function undoLog(name: string, record: string): PythonEdit[] {
  return [
    { find: WRITE_VERSIONED, replace: `        elif s.levels:\n${record}\n            s.levels[-1].setdefault(table, {})[rid] = row` },
    { find: COMMIT_TO_TABLE, replace: `${COMMIT_TO_TABLE}\n            s.__dict__.pop("${name}", None)` },
    { find: ROLLBACK_TO_ZERO, replace: `${ROLLBACK_TO_ZERO}\n            s.__dict__.pop("${name}", None)` },
  ];
}
/** The end commits `kept` ({table: {rid: row or None}}) built by `code` before its rollback. */
/** `code` run before the end's rollback on each open level of every other session of the instance, with `written` the tables the ending session wrote. */
const onOthersLevels = (code: string): PythonEdit =>
  beforeEndRollback(`        written = {t for level in s.levels for t in level if isinstance(t, Table)}
        for o in s.instance.sessions:
            if o is not s:
                for level in o.levels:
${code}`);
const endCommits = (code: string): PythonEdit => beforeEndRollback(`        kept = {}\n${code}        if kept:\n            self.commit_changes(kept)\n`);
const CHECK_OTHERS = `        for other in self.handles.values():\n            if isinstance(other, Session) and other is not s`;

export const recordMutants: readonly PythonMutant[] = [
  // ---- the undo order and the images ----------------------------------------------------------------
  {
    name: 'end-undo-oldest-first',
    why: 'the undo restores the before-images in the order they were logged, oldest first: a record changed at two levels keeps what its outer level wrote',
    edits: [endCommits(`        images = {}
        for level in s.levels:
            for table, rows in level.items():
                if isinstance(table, Table):
                    for rid, row in rows.items():
                        images.setdefault((table, rid), []).append(row)
        for (table, rid), rows in images.items():
            if len(rows) > 1:
                kept.setdefault(table, {})[rid] = rows[-2]
`)],
  },
  {
    name: 'undo-image-overwritten-by-each-write',
    why: 'the undo log is a dict keyed by record, assigned at every write instead of setdefault: it holds the image before the last write, not before the first',
    edits: [
      ...undoLog('undo_images', `            if isinstance(table, Table):\n                s.__dict__.setdefault("undo_images", {})[(table, rid)] = self.visible(s, table).get(rid)`),
      endCommits(`        for (table, rid), image in getattr(s, "undo_images", {}).items():
            if image != table.rows.get(rid):
                kept.setdefault(table, {})[rid] = image
`),
    ],
  },
  {
    name: 'end-resurrects-insert-deleted-in-transaction',
    why: 'the undo walks the log forward: the insert\'s undo removes the record, then the delete\'s undo puts its before-image (the inserted record) back',
    edits: [
      ...undoLog('resurrect', `            if isinstance(table, Table) and row is None and rid not in table.rows and self.visible(s, table).get(rid) is not None:\n                s.__dict__.setdefault("resurrect", {})[(table, rid)] = self.visible(s, table)[rid]`),
      endCommits(`        for (table, rid), image in getattr(s, "resurrect", {}).items():
            kept.setdefault(table, {})[rid] = image
`),
    ],
  },
  {
    name: 'end-restores-deleted-record-without-long-value',
    why: 'a delete frees the record\'s long values at once (their reference count drops to zero): the undo restores the record, its long-value reference read as null',
    edits: [endCommits(`        for level in s.levels:
            for table, rows in level.items():
                for rid, row in rows.items():
                    old = table.rows.get(rid) if isinstance(table, Table) else None
                    if row is None and old is not None and any(table.coltyps.get(k) == JET_coltypLongText and v is not None for k, v in old.items()):
                        kept.setdefault(table, {})[rid] = {k: v for k, v in old.items() if table.coltyps.get(k) != JET_coltypLongText}
`)],
  },
  {
    name: 'nested-commit-cleans-up-deletes',
    why: 'a deleted record\'s clean-up (removing the flagged node) runs at every commit, as ESE\'s runs at the commit to level 0',
    edits: [{
      find: `            for table, rows in top.items():
                s.levels[-1].setdefault(table, {}).update(rows)`,
      replace: `            for table, rows in top.items():
                gone = {rid: None for rid, row in rows.items() if row is None and isinstance(table, Table)}
                if gone:
                    self.commit_changes({table: gone})
                s.levels[-1].setdefault(table, {}).update(rows)`,
    }],
  },
  // ---- several tables and databases -------------------------------------------------------------------
  {
    name: 'end-undoes-first-database-only',
    why: 'the version store is kept per database, like the log, and the end rolls back the database the session opened first',
    edits: [endCommits(`        first = next((f for f, d in s.instance.attached.items() if d == min(s.dbs, default=0)), None)
        for level in s.levels:
            for table, rows in level.items():
                if isinstance(table, Table) and not any(table is t for t in self.files.get(first, {}).values()):
                    kept.setdefault(table, {}).update(rows)
`)],
  },
  {
    name: 'end-undoes-last-table-only',
    why: 'the undo chain hangs on the table (its FCB) and the end walks the chain of the table it wrote last',
    edits: [endCommits(`        order = [t for level in s.levels for t in level if isinstance(t, Table)]
        for level in s.levels:
            for table, rows in level.items():
                if isinstance(table, Table) and table is not order[-1]:
                    kept.setdefault(table, {}).update(rows)
`)],
  },
  {
    name: 'end-undoes-through-open-cursors-only',
    why: 'each cursor carries the versions it made, and the end undoes through the session\'s open cursors: writes of a cursor closed before the end stay',
    edits: [keepOnEnd('not any(c.table is table for c in s.cursors)')],
  },
  // ---- the update buffer --------------------------------------------------------------------------
  {
    name: 'end-applies-prepared-insert',
    why: 'closing a cursor flushes its copy buffer, as closing a file flushes its write buffer: an insert prepared and filled but never applied is written',
    edits: [{ find: END_CLOSE, replace: `        for c in list(s.cursors):
            if c.prepared is not None and c.prepared[0] == "insert" and c.prepared[2] and isinstance(c.table, Table):
                rid = c.table.next_rid
                c.table.next_rid += 1
                self.commit_changes({c.table: {rid: dict(c.prepared[2])}})
            self.close_cursor(c, leak_temp="temp-tables" in self.bugs)` }],
  },
  {
    name: 'end-applies-prepared-replace',
    why: 'closing a cursor flushes its copy buffer: a replace prepared (and its columns set) but never applied is written to the record',
    edits: [{ find: END_CLOSE, replace: `        for c in list(s.cursors):
            if c.prepared is not None and c.prepared[0] == "replace" and isinstance(c.table, Table) and c.prepared[1] in c.table.rows:
                self.commit_changes({c.table: {c.prepared[1]: dict(c.prepared[2])}})
            self.close_cursor(c, leak_temp="temp-tables" in self.bugs)` }],
  },
  // ---- what must stay -------------------------------------------------------------------------------
  {
    name: 'end-rewinds-record-counter',
    why: 'the rollback gives back the record ids its inserts took, restoring the counter saved at the begin: the next insert overwrites a record another session committed since',
    edits: [
      { find: `            s.begin_seq = self.commit_seq\n            # The transaction belongs`, replace: `            s.begin_seq = self.commit_seq\n            s.__dict__["rid_marks"] = {t: t.next_rid for t in self.all_tables()}\n            # The transaction belongs` },
      beforeEndRollback(`        for level in s.levels:
            for table in level:
                if table in getattr(s, "rid_marks", {}):
                    table.next_rid = s.rid_marks[table]
`),
    ],
  },
  {
    name: 'end-restores-snapshot-of-written-tables',
    why: 'a rollback puts back the table as the transaction found it: the snapshot taken at the begin replaces the rows of every table the session wrote',
    edits: [beforeEndRollback(`        for level in s.levels:
            for table in level:
                if isinstance(table, Table) and s.snapshot is not None and table in s.snapshot:
                    table.rows = dict(s.snapshot[table])
`)],
  },
  {
    name: 'end-stamps-undone-records',
    why: 'the undo writes the before-images back as ordinary writes, stamped like a commit: transactions begun before the end conflict on them',
    edits: [beforeEndRollback(`        if s.levels:
            self.commit_seq += 1
            for level in s.levels:
                for table, rows in level.items():
                    if isinstance(table, Table):
                        for rid in rows:
                            table.row_seq[rid] = self.commit_seq
`)],
  },
  // ---- other sessions -----------------------------------------------------------------------------
  {
    name: 'end-drops-others-versions-on-its-tables',
    why: 'the undo of a table drops the table\'s whole version chain, not only the ending session\'s versions',
    edits: [onOthersLevels(`                    for t in written:
                        level.pop(t, None)
`)],
  },
  {
    name: 'end-commits-others-versions-on-its-tables',
    why: 'walking the table\'s version chain, the undo marks the versions it does not own as final, as a commit would',
    edits: [onOthersLevels(`                    mine = {t: level.pop(t) for t in list(level) if t in written}
                    if mine:
                        self.commit_changes(mine)
`)],
  },
  {
    name: 'end-refreshes-other-snapshots',
    why: 'the end runs the version store\'s clean-up, which purges the versions older than the oldest transaction it counts, and it counts only the ending session\'s',
    edits: [beforeEndRollback(`        for o in s.instance.sessions:
            if o is not s and o.snapshot is not None:
                o.snapshot = {t: t.rows for t in self.all_tables()}
                o.begin_seq = self.commit_seq
`)],
  },
  {
    name: 'end-moves-other-cursors-off-undone-records',
    why: 'the undo moves every cursor standing on a record it rewrites before first, to keep currency valid, other sessions\' cursors included',
    edits: [beforeEndRollback(`        touched = {(t, rid) for level in s.levels for t, rows in level.items() for rid in rows}
        for o in list(self.handles.values()):
            if isinstance(o, Cursor) and o.session is not s and o.pos == ON and (o.table, o.current) in touched:
                o.place(BEFORE_FIRST)
`)],
  },
  {
    name: 'end-keeps-locks-of-deleted-records',
    why: 'a delete\'s version is only a flag on the record: the end clears the flag and leaves the version to a clean-up task that never runs for an ended session',
    edits: [
      beforeEndRollback(`        ghost = Session(s.instance)
        ghost.levels = [{t: {r: v for r, v in rows.items() if v is None} for t, rows in level.items()} for level in s.levels]
        self.__dict__.setdefault("ghosts", []).append(ghost)
`),
      { find: CHECK_OTHERS, replace: `        for other in list(self.handles.values()) + getattr(self, "ghosts", []):\n            if isinstance(other, Session) and other is not s` },
    ],
  },
  {
    name: 'conflict-checks-innermost-level-only',
    why: 'the write-conflict check looks at the other session\'s current level, where its latest versions are, and misses the records its outer levels hold',
    edits: [{ find: `any(rid in lv.get(table, {}) for lv in other.levels)`, replace: `any(rid in lv.get(table, {}) for lv in other.levels[-1:])` }],
  },
  {
    name: 'level-0-read-sees-uncommitted-inserts',
    why: 'a read outside a transaction takes the newest version of every record, and an uncommitted insert is already in the tree',
    edits: [{
      find: `        rows = dict(s.snapshot.get(table, table.rows) if s.snapshot is not None else table.rows)\n`,
      replace: `        rows = dict(s.snapshot.get(table, table.rows) if s.snapshot is not None else table.rows)
        if s.snapshot is None:
            for o in list(self.handles.values()):
                if isinstance(o, Session) and o is not s:
                    for level in o.levels:
                        rows.update({rid: row for rid, row in level.get(table, {}).items() if row is not None and rid not in table.rows})
`,
    }],
  },
  {
    name: 'prepared-replace-takes-no-lock',
    why: 'a record is locked when it is written; JetPrepareUpdate only copies it into the buffer (the bug model.py had until red team Q)',
    edits: [{ find: `            self.lock_record(s, c, row)\n            c.prepared = ("replace", c.current, dict(row))`, replace: `            c.prepared = ("replace", c.current, dict(row))` }],
  },
  {
    name: 'record-lock-leaves-cursor-unversioned',
    why: 'only a write marks the cursor as having versions, not a lock: a cursor that prepared a replace and closed is closed at once, its table locks with it',
    edits: [{ find: `            s.levels[-1].setdefault(c.table, {}).setdefault(c.current, dict(row))\n            c.wrote = True`, replace: `            s.levels[-1].setdefault(c.table, {}).setdefault(c.current, dict(row))` }],
  },
  // ---- temp tables --------------------------------------------------------------------------------
  {
    name: 'end-keeps-temp-table-writes',
    why: 'temp tables are not logged, so the undo skips them and their versions are written through as they are',
    edits: [beforeEndRollback(`        for level in s.levels:
            for table, rows in level.items():
                if isinstance(table, TempTable):
                    table.rows = {**table.rows, **{r: v for r, v in rows.items() if v is not None}}
`)],
  },
];

/** Every mutant of the campaign: red team L's, then N's, O's, P's and Q's. */
export const pythonMutants: readonly PythonMutant[] = [...modelMutants, ...threadMutants, ...errorPathMutants, ...aroundSessionMutants, ...recordMutants];
