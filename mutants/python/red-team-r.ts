/**
 * Red team R's mutants of examples/python-adapter/model.py (docs/mutants.md, "Red team R"): the
 * bookkeeping of what a session has open, which JetEndSession closes: databases opened several
 * times or by two sessions, exclusive opens, JetCloseDatabase before the end, the attach that
 * outlives it; cursors (several, duplicates and their chains, those of tables the session created,
 * those closed before the end); temp tables and sorts (their slots per instance, closed before the
 * end, rolled back); and what the end leaves of other sessions' open things. Same shape as the lists
 * in mutants.ts: every `find` occurs exactly once in model.py.
 */
import { beforeEndRollback, DUP_SESSION, END_CLOSE, END_DBS, type PythonEdit, type PythonMutant } from './mutants';

/** The end forgetting the session's databases, then freeing it (mutants.ts's END_FREE starts at its second line). */
const END_DBS_CLEARED = `        s.dbs.clear()
        s.instance.sessions.discard(s)`;
/** JetCloseDatabase's close (the end's own, close_database). */
const CLOSE_DB = `        self.close_database(s, dbid)\n        return {}`;
/** JetDupSession handing the source's `field` (a dict or set) to the new session by reference. */
const dupSessionSharing = (field: string): string => `        src = self.session(sesid)
        out = self.new_session(src.instance)
        self.handles[out["sesid"]].${field} = src.${field}
        return out`;
/** JetCloseTable's plain close, the last lines of the method. */
const CLOSE_TABLE_END = `        self.close_cursor(c)
        return {}

    def JetOpenTempTable`;

/** JetCloseTable counts, under `key` on the session, the sorts whose last cursor it closes. */
function countClosedSorts(key: string, alsoHoldSlot: boolean): PythonEdit {
  return {
    find: CLOSE_TABLE_END,
    replace: `        if c.on_sort and c.table.refs == 1:
${alsoHoldSlot ? '            s.instance.temp_in_use += 1  # held: the end gives it back\n' : ''}            s.__dict__["${key}"] = s.__dict__.get("${key}", 0) + 1
${CLOSE_TABLE_END}`,
  };
}

/** At the end, before the session is freed, the instance's temp-table count goes down by the session's `key`. */
function endGivesBack(key: string): PythonEdit {
  return { find: END_DBS_CLEARED, replace: `        s.instance.temp_in_use -= s.__dict__.get("${key}", 0)\n${END_DBS_CLEARED}` };
}

export const redTeamRMutants: readonly PythonMutant[] = [
  // ---- databases ------------------------------------------------------------------------------------
  {
    name: 'open-database-counts-once',
    why: 'the session\'s "database open" is a flag per dbid (ESE\'s FPIBUserOpenedDatabase reads like one), so a second JetOpenDatabase sets it again instead of counting',
    edits: [{ find: `        s.dbs[dbid] = s.dbs.get(dbid, 0) + 1\n        return {"dbid": dbid}`, replace: `        s.dbs[dbid] = 1\n        return {"dbid": dbid}` }],
  },
  {
    name: 'close-database-closes-every-open',
    why: 'JetCloseDatabase "closes the database for the session": the porter drops the entry whatever the number of opens',
    edits: [{ find: CLOSE_DB, replace: `        s.dbs[dbid] = 1\n${CLOSE_DB}` }],
  },
  {
    name: 'close-database-keeps-exclusive',
    why: 'the exclusive flag lives on the database (the FMP), so the porter clears it where the session\'s databases are cleaned up, the end, and not at a JetCloseDatabase',
    edits: [{ find: CLOSE_DB, replace: `        held = s.instance.exclusive.get(dbid)\n        self.close_database(s, dbid)\n        if held is not None:\n            s.instance.exclusive[dbid] = held\n        return {}` }],
  },
  {
    name: 'close-database-leaves-table-cursors',
    why: 'JetCloseDatabase only takes one open away; the cursors on the database are the tables\' business (the bug model.py had until red team R)',
    edits: [{
      find: CLOSE_DB,
      replace: `        s.dbs[dbid] -= 1
        if s.dbs[dbid] == 0:
            del s.dbs[dbid]
            if s.instance.exclusive.get(dbid) is s:
                del s.instance.exclusive[dbid]
        return {}`,
    }],
  },
  {
    name: 'end-detaches-unshared-databases',
    why: 'the database entry is reference-counted by opens: the end\'s last close frees it, attach and dbid with it, as a detach would',
    edits: [{
      find: END_DBS,
      replace: `${END_DBS}
            if not any(dbid in o.dbs for o in s.instance.sessions if o is not s):
                for f in [f for f, d in s.instance.attached.items() if d == dbid]:
                    del s.instance.attached[f]`,
    }],
  },
  {
    name: 'end-clears-instance-exclusive-table',
    why: 'the exclusive opens are one table per instance, and the end of a session that had databases open "releases the exclusive opens" by clearing it',
    edits: [{ find: END_DBS, replace: `        if s.dbs:\n            s.instance.exclusive.clear()` }],
  },
  // ---- cursors --------------------------------------------------------------------------------------
  {
    name: 'created-table-cursor-not-tracked',
    why: 'JetCreateTable\'s cursor is made by the DDL code, which does not go through JetOpenTable\'s bookkeeping of the session\'s cursors',
    edits: [{ find: `        return {"tableid": self.issue(self.open_cursor(s, tables[tablename], JET_bitTableDenyRead))}`, replace: `        return {"tableid": self.issue(Cursor(s, tables[tablename], JET_bitTableDenyRead))}` }],
  },
  {
    name: 'close-table-keeps-locks-until-level-0',
    why: 'table locks are released with the session\'s other locks when its transaction ends, so a close of a locking cursor only marks it closed, at level 0 too',
    edits: [{ find: `        if c.wrote and s.levels:\n            # Defer-closed`, replace: `        if c.wrote and s.levels or c.grbit & (JET_bitTableDenyRead | JET_bitTableDenyWrite):\n            # Defer-closed` }],
  },
  {
    name: 'dup-cursor-copies-locks',
    why: 'a duplicate is a copy of the cursor, its open flags (DenyRead, DenyWrite) included, so the lock lives until the last copy is closed',
    edits: [{ find: `        dup = self.open_cursor(s, src.table)  # no locks`, replace: `        dup = self.open_cursor(s, src.table, src.grbit)  # no locks` }],
  },
  {
    name: 'end-closes-cursors-of-open-databases-only',
    why: 'ErrDBCloseAllDBs closes each open database\'s table cursors, and the sweep after it closes the rest, which "can only be sort and temp-table cursors" (source notes step 5)',
    edits: [{
      find: END_CLOSE,
      replace: `        open_tables = {t for dbid in s.dbs for f, d in s.instance.attached.items() if d == dbid for t in self.files.get(f, {}).values()}
        for c in list(s.cursors):
            if isinstance(c.table, TempTable) or c.table in open_tables:
                self.close_cursor(c, leak_temp="temp-tables" in self.bugs)`,
    }],
  },
  // ---- temp tables and sorts -----------------------------------------------------------------------
  {
    name: 'rollback-keeps-temp-tables',
    why: 'temp tables are not logged, so a rollback, which undoes what the level logged, never closes the temp tables the level opened',
    edits: [{ find: `            elif c.level_open < level:\n                continue`, replace: `            elif c.level_open < level or isinstance(c.table, TempTable):\n                continue` }],
  },
  {
    name: 'end-frees-slot-per-sort-cursor',
    why: 'the end closes every sort cursor with the sort\'s full close (ErrIsamSortClose), which gives the slot back for each, a duplicate included',
    edits: [{ find: END_CLOSE, replace: `        for c in list(s.cursors):\n            if c.on_sort:\n                c.table.refs = 1\n            self.close_cursor(c, leak_temp="temp-tables" in self.bugs)` }],
  },
  {
    name: 'sort-slot-given-back-at-end',
    why: 'temp-table slots are charged to the session like its session slot, and given back together at its end, not at JetCloseTable',
    edits: [countClosedSorts('owed_slots', true), endGivesBack('owed_slots')],
  },
  {
    name: 'end-frees-closed-sorts-again',
    why: 'the session counts the sorts it opened and the end gives that many slots back, forgetting those JetCloseTable already gave back',
    edits: [countClosedSorts('closed_sorts', false), endGivesBack('closed_sorts')],
  },
  {
    name: 'dup-of-dup-sort-takes-no-reference',
    why: 'only the cursor JetOpenTempTable returned counts references to its sort, so duplicating a duplicate adds none',
    edits: [{ find: `        if src.on_sort:\n            src.table.refs += 1`, replace: `        if src.on_sort and src.holds_temp_slot:\n            src.table.refs += 1` }],
  },
  // ---- other sessions' open things ------------------------------------------------------------------
  {
    name: 'dup-session-shares-open-databases',
    why: 'JetDupSession copies the session object, and its table of open databases comes along by reference: the duplicate\'s end closes the source\'s databases',
    edits: [{ find: DUP_SESSION, replace: dupSessionSharing('dbs') }],
  },
  {
    name: 'dup-session-shares-cursors',
    why: 'JetDupSession copies the session object, and its list of cursors comes along by reference: the duplicate\'s end closes the source\'s cursors and temp tables',
    edits: [{ find: DUP_SESSION, replace: dupSessionSharing('cursors') }],
  },
  {
    name: 'close-database-closes-every-sessions-cursors',
    why: 'the last close of a database walks the cursors on the database\'s tables, not the session\'s own',
    edits: [
      { find: `        for c in [c for c in s.cursors if c.table in tables]:`, replace: `        for c in [c for c in list(self.handles.values()) if isinstance(c, Cursor) and not c.deferred_closed and c.table in tables]:` },
      { find: `            self.JetCloseTable(self.handle_of(s), self.handle_of(c))`, replace: `            self.JetCloseTable(self.handle_of(c.session), self.handle_of(c))` },
    ],
  },
  {
    name: 'end-releases-others-deferred-locks-on-its-tables',
    why: 'defer-closed cursors are kept per table (on the table\'s FCB), and the end releases those on the tables it had cursors on, whichever session closed them',
    edits: [beforeEndRollback(`        mine = {c.table for c in s.cursors} | {c.table for c in s.deferred}
        for o in s.instance.sessions:
            for d in [d for d in o.deferred if o is not s and d.table in mine]:
                o.deferred.remove(d)
                del self.handles[self.handle_of(d)]
`)],
  },
  {
    name: 'temp-database-ends-with-its-creator',
    why: 'the temp database is created in the session that opened the instance\'s first temp table, and that session\'s end tears it down with every temp table in it',
    edits: [
      { find: `        if not inst.temp_db:\n            self.create_temp_database(inst)`, replace: `        if not inst.temp_db:\n            self.create_temp_database(inst)\n            inst.__dict__["temp_owner"] = s` },
      {
        find: END_CLOSE,
        replace: `${END_CLOSE}
        if getattr(s.instance, "temp_owner", None) is s:
            for c in [o for o in list(self.handles.values()) if isinstance(o, Cursor) and isinstance(o.table, TempTable) and o.session.instance is s.instance and not o.deferred_closed]:
                self.close_cursor(c)`,
      },
    ],
  },
];
