/**
 * Red team S's mutants of examples/python-adapter/model.py (docs/mutants.md, "Red team S"): what the
 * end leaves behind for the next caller. A session slot recycled (ESE recycles session memory,
 * ES-HANDLE-CLOSED) by a pool that does not clear what the end left on it: open databases, the
 * read-only flag, the tables its transaction inserted into, defer-closed cursors, the cursor list,
 * the snapshot, a context left by JetTerm; the ended handle and its tableids and dbids in later calls;
 * the grbit; what lasts across a JetTerm and a new JetInit. Same shape as the lists in mutants.ts:
 * every `find` occurs exactly once in model.py when its edit is applied.
 */
import { END_CLOSE, END_FREE as END_FREE_STEPS, END_ROLLBACK, type PythonEdit, type PythonMutant } from './mutants';

/** The end's last step (the session leaves its instance, its handle is freed), where end_session ends. */
const END_FREE = `${END_FREE_STEPS}

    def end_in_steps`;
/** JetBeginSession and JetDupSession's new session object. */
const NEW_SESSION = `        s = Session(inst)
        inst.sessions.add(s)`;

/**
 * A pool of ended session objects (on the instance, or process-wide on the engine), from which the
 * next JetBeginSession or JetDupSession takes one without clearing it: the end is trusted to have
 * left it clean.
 */
function pool(owner: 'instance' | 'engine'): PythonEdit[] {
  const where = owner === 'instance' ? 's.instance' : 'self';
  const from = owner === 'instance' ? 'inst' : 'self';
  return [
    { find: END_FREE, replace: END_FREE.replace('\n\n', `\n        ${where}.__dict__.setdefault("pool", []).append(s)  # the slot's memory, for the next session\n\n`) },
    {
      find: NEW_SESSION,
      replace: `        free = ${from}.__dict__.get("pool")
        s = free.pop() if free else Session(inst)  # a recycled slot: the end left it clean
        s.instance = inst
        inst.sessions.add(s)`,
    },
  ];
}

/** The end keeps the session's `field` as it was before the rollback's level-0 release (left for the pool to clear). */
function endKeeps(field: string, copy: string): PythonEdit {
  return {
    find: END_ROLLBACK,
    replace: `        kept = ${copy}
${END_ROLLBACK}
        s.${field} = kept  # the session object is about to be freed: no need to clear it`,
  };
}

/** JetRetrieveColumn / JetSetColumn's lookups, from the tableid first (the cursor knows its session). */
const cursorFirst = `        c = self.lookup(tableid, Cursor, JET_errInvalidTableId)  # the hot path: the cursor knows its session
        s = c.session
        self.check_instance(s.instance)
        c = self.cursor(s, tableid)
        ensure(self.handles.get(sesid) is s, JET_errSesidTableIdMismatch)
`;

export const redTeamSMutants: readonly PythonMutant[] = [
  // ---- a recycled session slot ------------------------------------------------------------------
  {
    name: 'recycled-session-keeps-open-databases',
    why: 'the end walks the open databases to drop exclusive opens and leaves the counts, since the session object is freed; a pool that reuses the object hands them to the next session',
    edits: [...pool('instance'), { find: `        s.dbs.clear()\n        s.instance.sessions.discard(s)`, replace: `        s.instance.sessions.discard(s)` }],
  },
  {
    name: 'recycled-session-keeps-read-only-flag',
    why: 'the read-only flag is cleared where a transaction commits or rolls back to level 0; the end drops the session, so its port keeps the flag, and the pool reuses the object',
    edits: [...pool('instance'), endKeeps('read_only', 's.read_only')],
  },
  {
    name: 'recycled-session-keeps-inserted-tables',
    why: 'the set of tables the transaction inserted into is reset at level 0 by commit and rollback; the end frees the session object instead, and the pool reuses it with the set',
    edits: [...pool('instance'), endKeeps('inserted', 'set(s.inserted)')],
  },
  {
    name: 'recycled-session-keeps-deferred-cursors',
    why: 'the end frees the handles of the defer-closed cursors but not the list holding them (the object is freed); the pool reuses the object, list and all',
    edits: [...pool('instance'), endKeeps('deferred', 'list(s.deferred)')],
  },
  {
    name: 'recycled-session-keeps-cursor-list',
    why: 'the end closes every cursor in place, freeing its handle and slot, and leaves the emptying of the list to whoever reinitialises the session object; the pool does not',
    edits: [...pool('instance'), { find: END_CLOSE, replace: `        stale = set(s.cursors)\n${END_CLOSE}\n        s.cursors = stale  # freed in place: the list is the pool's to reinitialise` }],
  },
  {
    name: 'recycled-session-keeps-snapshot',
    why: 'the snapshot is dropped when the transaction commits or rolls back to level 0; the end only throws the levels away, and the pool reuses the object with the snapshot',
    edits: [...pool('instance'), { find: END_ROLLBACK, replace: `        s.levels = []\n        self.end_transaction_levels(s, 0)` }],
  },
  {
    name: 'process-pool-keeps-context-through-term',
    why: 'the session pool is process-wide (a term does not free session memory), and JetTerm ends a session whose context is still set (Errata 8) without resetting it; the next instance\'s session gets it',
    edits: pool('engine'),
  },
  // ---- the ended handle, its tableids and dbids -------------------------------------------------
  {
    name: 'column-calls-check-tableid-first',
    why: 'JetRetrieveColumn and JetSetColumn are the hot path: they validate the tableid, whose cursor knows its session, and check the sesid against it only afterwards',
    edits: [
      {
        find: `        s = self.session(sesid)\n        c = self.cursor(s, tableid)\n        ensure(not (c.on_sort and c.table.mode == "insert"), JET_errIllegalOperation)`,
        replace: `${cursorFirst}        ensure(not (c.on_sort and c.table.mode == "insert"), JET_errIllegalOperation)`,
      },
      {
        find: `        s = self.session(sesid)\n        c = self.cursor(s, tableid)\n        ensure(not (c.on_sort and c.table.mode == "return"), JET_errIllegalOperation)  # sortapi.cxx 2994-3007\n        self.check_updatable(s, c)  # before`,
        replace: `${cursorFirst}        ensure(not (c.on_sort and c.table.mode == "return"), JET_errIllegalOperation)  # sortapi.cxx 2994-3007\n        self.check_updatable(s, c)  # before`,
      },
    ],
  },
  {
    name: 'dbid-checked-against-attach-table',
    why: 'a dbid names an attached database of the instance (ESE\'s ifmp is instance-wide), so JetOpenTable and JetCreateTable check it against the attach table, not the session\'s opens',
    edits: [{ find: `        ensure(dbid in s.dbs, JET_errInvalidDatabaseId)\n        filename = next(f for f, d in s.instance.attached.items() if d == dbid)\n        return self.files[filename]`, replace: `        ensure(dbid in s.instance.attached.values(), JET_errInvalidDatabaseId)\n        filename = next(f for f, d in s.instance.attached.items() if d == dbid)\n        return self.files[filename]` }],
  },
  // ---- the grbit --------------------------------------------------------------------------------
  {
    name: 'force-bit-skips-context-check',
    why: 'JET_bitForceSessionClosed read as "end it even if it is in use": a forced end does not wait for the session context to be reset',
    edits: [{ find: `        ensure(s.context is None, JET_errSessionInUse)\n        # The rollback runs`, replace: `        ensure(s.context is None or grbit & 0x1, JET_errSessionInUse)\n        # The rollback runs` }],
  },
  {
    name: 'force-bit-skips-thread-check',
    why: 'a forced end is the clean-up of last resort: with JET_bitForceSessionClosed the transaction is rolled back from whichever thread calls',
    edits: [{ find: `        if s.levels and s.trx_bound_to[0] == "thread" and not self.transaction_context_ok(s, thread):`, replace: `        if s.levels and s.trx_bound_to[0] == "thread" and not self.transaction_context_ok(s, thread) and not grbit & 0x1:` }],
  },
  {
    name: 'unknown-grbit-answers-invalid-grbit',
    why: 'ESE\'s usual code for a bit a call does not know is JET_errInvalidGrbit: bits other than JET_bitForceSessionClosed are refused with -900 before anything is done',
    edits: [{ find: `        ensure(s.context is None, JET_errSessionInUse)\n        # The rollback runs`, replace: `        ensure(not grbit & ~0x1, JET_errInvalidGrbit)\n        ensure(s.context is None, JET_errSessionInUse)\n        # The rollback runs` }],
  },
  {
    name: 'unknown-grbit-refused-after-closing-temp-tables',
    why: 'temp tables are the session\'s own and outside transactions, so the end closes them first; the grbit is validated with the transactional clean-up, after them',
    edits: [
      {
        find: `        self.end_session(s, faults=True)\n        return {}`,
        replace: `        for c in [c for c in s.cursors if isinstance(c.table, TempTable)]:
            self.close_cursor(c, leak_temp="temp-tables" in self.bugs)
        ensure(not grbit & ~0x1, JET_errInvalidParameter)
        self.end_session(s, faults=True)
        return {}`,
      },
    ],
  },
  // ---- what lasts -------------------------------------------------------------------------------
  {
    name: 'commit-counter-restarts-at-init',
    why: 'the commit sequence is the instance\'s (ESE\'s trxNewest starts afresh with each JetInit), while the records keep the stamps of their commits in the database',
    edits: [{ find: `        inst.initialized = True\n        return {}`, replace: `        inst.initialized = True\n        self.commit_seq = 0  # a new instance numbers its commits from the start\n        return {}` }],
  },
];
