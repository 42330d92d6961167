"""A tiny in-memory model of the ESE session API, enough for the ese-conformance suite.

It wraps nothing real: instances, sessions, nested transactions with snapshot isolation, databases,
tables, cursors and temp tables are Python objects, and "database files" live in a dict that
survives JetTerm (so a new instance can attach them) but not `reset`. Error codes are ESE's
numbers (oracle/codes.ts in the suite). Two bugs are deliberate (README.md): each is on unless its
name is in `fixes`.
"""
import itertools
import struct

JET_errSuccess = 0
JET_errRestoreInProgress = -506
JET_errInvalidGrbit = -900
JET_errInvalidName = -1002
JET_errInvalidParameter = -1003
JET_errInvalidDatabaseId = -1010
JET_errRecordDeleted = -1017
JET_errNotInitialized = -1029
JET_errAlreadyInitialized = -1030
JET_errInvalidBufferSize = -1047
JET_errNotInTransaction = -1054
JET_errTooManyActiveUsers = -1059
JET_errInstanceNameInUse = -1086
JET_errOutOfSessions = -1101
JET_errWriteConflict = -1102
JET_errTransTooDeep = -1103
JET_errInvalidSesid = -1104
JET_errTransReadOnly = -1110
JET_errSesidTableIdMismatch = -1114
JET_errInvalidInstance = -1115
JET_errDatabaseDuplicate = -1201
JET_errDatabaseInUse = -1202
JET_errDatabaseNotFound = -1203
JET_errDatabaseLocked = -1207
JET_errDatabaseSharingViolation = -1215
JET_errTableLocked = -1302
JET_errTableDuplicate = -1303
JET_errTableInUse = -1304
JET_errObjectNotFound = -1305
JET_errInvalidTableId = -1310
JET_errIllegalOperation = -1312
JET_errClientRequestToStopJetService = -1329
JET_errInstanceUnavailable = -1090
JET_errInstanceUnavailableDueToFatalLogDiskFull = -1092
JET_errLogDiskFull = -529
JET_errInvalidColumnType = -1511
JET_errColumnNotFound = -1507
JET_errColumnDuplicate = -1508
JET_errNoCurrentRecord = -1603
JET_errAlreadyPrepared = -1607
JET_errUpdateNotPrepared = -1609
JET_errTooManySorts = -1701
JET_errPermissionDenied = -1809
JET_errFileNotFound = -1811
JET_errSessionSharingViolation = -1910
JET_errSessionContextAlreadySet = -1912
JET_errSessionContextNotSetByThisThread = -1913
JET_errSessionInUse = -1914
JET_wrnDatabaseAttached = 1007

JET_paramMaxSessions = 5
JET_paramMaxTemporaryTables = 10
JET_bitDbExclusive = 0x2
JET_bitTableDenyWrite = 0x1
JET_bitTableDenyRead = 0x2
JET_bitTableReadOnly = 0x4
JET_bitTableUpdatable = 0x8
JET_bitTransactionReadOnly = 0x1
JET_bitRollbackAll = 0x1
JET_bitTermDirty = 0x8
JET_bitColumnTTKey = 0x40
JET_bitTTForceMaterialization = 0x20
JET_bitTTIntrinsicLVsOnly = 0x80
JET_bitColumnTTDescending = 0x80
JET_bitTTIndexed, JET_bitTTUpdatable, JET_bitTTScrollable, JET_bitTTSortNullsHigh = 0x1, 0x4, 0x8, 0x10
JET_coltypLong, JET_coltypText, JET_coltypLongText = 4, 10, 12
JET_prepInsert, JET_prepReplace, JET_prepCancel, JET_prepInsertCopy = 0, 2, 3, 5
JET_prepInsertCopyDeleteOriginal, JET_prepInsertCopyReplaceOriginal = 7, 9
JET_MoveFirst, JET_MoveLast = -0x80000000, 0x7FFFFFFF

# A cursor's position: on a record (`current` holds its rid), before the first, after the last, or
# "deferred first", where ESE puts a new cursor: on whatever record is first when it is next used.
ON, BEFORE_FIRST, AFTER_LAST, DEFERRED_FIRST = "on", "before first", "after last", "deferred first"

LEVEL_MAX = 7  # ESE's levelUserMost: the 8th JetBeginTransaction gives JET_errTransTooDeep

#: Handle values: unique for the process's lifetime, so no handle from before a reset aliases a new one.
_handle_values = itertools.count(0x10040, 0x40)

#: The deliberate bugs, by the name that `--fix NAME` turns off.
BUGS = ("after-term", "temp-tables")


class JetError(Exception):
    """An ESE error code returned by a call (never an implementation fault)."""

    def __init__(self, err):
        super().__init__(err)
        self.err = err


def ensure(condition, err):
    if not condition:
        raise JetError(err)


class Table:
    """A table of a database file. `rows` is replaced, never mutated, on commit: a snapshot is a reference."""

    def __init__(self, name):
        self.name = name
        self.columns = {}  # name -> columnid
        self.coltyps = {}  # columnid -> JET_coltyp
        self.rows = {}  # rid -> {columnid: value}, committed
        self.row_seq = {}  # rid -> commit sequence of its last committed change
        self.next_rid = 1
        # A column added in a transaction is versioned: until the commit only its session finds it,
        # and a snapshot older than the commit does not (ESE's ErrRECIAccessColumn, fldext.cxx 234-270).
        self.column_owner = {}  # columnid -> the session whose open transaction added it
        self.column_seq = {}  # columnid -> commit sequence of its addition


class TempTable:
    """A temp table. ESE opens it as a sort (sortapi.cxx ErrIsamOpenTempTable 3257-3318),
    which holds one of the instance's MaxTemporaryTables slots, and materializes it into a real table at
    once when no column is a key, when a long-value column may be stored outside the record, or on
    JET_bitTTForceMaterialization; materializing gives the slot back (2621-2628).

    Simplification: this model keeps the slot of every temp table until its cursor closes, materialized
    or not. With the temp-tables bug fixed no scenario tells the two apart (a probe that counts free
    slots runs when no materialized table is open); with the bug on, the leaked slot of the materialized
    temp table that a probe opens and ends with its session shows too (README.md).

    A sort has two modes (sortapi.cxx 2903-3024): insert until its first move, which sorts the records
    by key and drops duplicate keys; then return mode (reads only), or, with JET_bitTTUpdatable, it is
    materialized. A materialized temp table's writes are transactional like a table's; a sort's are not."""

    def __init__(self, columns, grbit):
        self.columns = {"c%d" % (i + 1): i + 1 for i in range(len(columns))}
        self.coltyps = {i + 1: col.get("coltyp") for i, col in enumerate(columns)}
        self.rows = {}
        self.row_seq = {}
        self.next_rid = 1
        self.grbit = grbit
        self.keys = [(i + 1, bool(col.get("grbit", 0) & JET_bitColumnTTDescending)) for i, col in enumerate(columns) if col.get("grbit", 0) & JET_bitColumnTTKey]
        self.mode = "insert"  # a sort's dispatch table: "insert" (vtfndefTTSortIns) or "return" (vtfndefTTSortRet)
        self.refs = 0  # cursors on the sort: the last one's close frees its slot (sort.cxx 769-810)
        keyed = any(col.get("grbit", 0) & JET_bitColumnTTKey for col in columns)
        long_values = any(col.get("coltyp") == JET_coltypLongText for col in columns)
        self.sort = keyed and not (long_values and not grbit & JET_bitTTIntrinsicLVsOnly) and not grbit & JET_bitTTForceMaterialization


class Instance:
    def __init__(self, name, params):
        self.name = name
        self.params = dict(params)
        self.initialized = False
        self.stopped = False
        self.unavailable = False  # a fatal error: every call on the instance but JetTerm answers -1090
        self.fatal_cause = None  # the error that took it down: -529 (a full log disk) makes the answer -1092
        self.forced = None  # "not-initialized" or "restore-in-progress", forced through the protocol
        self.sessions = set()
        self.attached = {}  # filename -> dbid
        self.next_dbid = 1
        self.exclusive = {}  # dbid -> session holding it exclusively
        self.temp_in_use = 0
        self.temp_db = False  # made by the first temp table, with an internal session (ESE sysinit.cxx 361)


class Session:
    def __init__(self, instance):
        self.instance = instance
        self.levels = []  # one {Table: {rid: row or None}} per open transaction level
        self.snapshot = None  # {Table: rows} as of the level-1 begin
        self.begin_seq = 0
        self.context = None  # (context, thread)
        self.trx_bound_to = None  # ("context", value) or ("thread", name): what the level-1 begin found
        self.read_only = False  # the transaction was begun with JET_bitTransactionReadOnly
        self.cursors = set()
        self.dbs = {}  # dbid -> open count
        self.created = []  # [depth, tables, name]: tables created inside the open transaction
        self.columns_added = []  # [depth, table, name, columnid]: columns added inside the open transaction
        # Cursors closed after writing in the transaction: their handles are dead, but they stay on
        # their tables, DenyRead and DenyWrite locks included, until the transaction ends (Errata 7).
        self.deferred = []
        self.inserted = set()  # tables inserted into in the transaction: ESE's own insert cursor keeps them in use
        # table -> the insert's cursor once a JetOpenTable took it (ErrBTOpen reuses a defer-closed cursor,
        # bt.cxx 496-560): open again, or closed again but still a live handle until level 0
        self.reused = {}


class Cursor:
    def __init__(self, session, table, grbit=0):
        self.session = session
        self.table = table
        self.grbit = grbit
        self.updatable = not grbit & JET_bitTableReadOnly
        self.pos = DEFERRED_FIRST  # ESE positions a new cursor virtually on the first record
        self.current = None  # the rid when pos is ON
        # ESE's navigation level (LevelFUCBNavigate): the transaction level of the open or the last
        # move. Rolling that level back puts the cursor before first (dir.cxx ErrDIRRollback 2264-2271).
        self.level_navigate = len(session.levels)
        # ESE's levelOpen: the level the cursor was opened at, lowered by a commit (dir.cxx 2104-2109);
        # a rollback of that level closes the cursor (tm.cxx ErrIsamRollback 1955-2014).
        self.level_open = len(session.levels)
        self.prepared = None  # ("insert" | "replace", rid, buffer)
        self.prep_level = 0  # ESE's levelPrep: a rollback of this level cancels the update (tm.cxx 1939-1943)
        self.image = None  # a replace prepared at level 0: the record then (ESE's checksum, fldmod.cxx 1211-1214)
        self.wrote = False  # wrote inside the open transaction: its close is deferred (ESENT)
        self.holds_temp_slot = False  # the cursor JetOpenTempTable returned: its close frees the slot
        self.reuse_level = None  # the insert's own cursor, taken again at this level (see Session.reused)
        self.deferred_closed = False  # closed, but its handle lives until level 0: FEnter's checks come first

    @property
    def on_sort(self):
        """A sort moves and copies records outside ESE's DIR layer and its transactions."""
        return isinstance(self.table, TempTable) and self.table.sort

    def place(self, pos, rid=None):
        self.pos, self.current = pos, rid


class Engine:
    """One fresh process state (what `reset` gives)."""

    def __init__(self, fixes=()):
        self.bugs = {b for b in BUGS if b not in fixes}
        self.files = {}  # filename -> {tablename: Table}: the "database folder"
        self.handles = {}  # handle string -> Instance | Session | Cursor
        self.defaults = {JET_paramMaxSessions: 16, JET_paramMaxTemporaryTables: 20}
        self.commit_seq = 0
        self.term_ended = set()  # sesids that JetTerm ended (for the after-term bug)
        self.faults = {}  # clean-up step of JetEndSession -> [err, times left] (protocol: inject-fault)

    # ---- test control (protocol section 8) ----------------------------------------------------
    def force(self, inst, state, cause=None):
        """force-instance-state: a state ESENT cannot be driven into; nothing else changes."""
        if state == "fatal-error":
            self.take_down(inst, cause)
        elif state == "normal":
            inst.forced = None  # lifts a forced state; a fatal error stays (the suite never asks otherwise)
        else:
            inst.forced = state

    def take_down(self, inst, cause):
        inst.unavailable = True
        inst.fatal_cause = cause

    def inject(self, step, err, times):
        """inject-fault: the clean-up step fails with err the next `times` times it runs."""
        self.faults[step] = [err, times]

    def fault(self, step):
        """The error the step fails with this time, or None; each failure uses one up."""
        armed = self.faults.get(step)
        if armed is None:
            return None
        armed[1] -= 1
        if armed[1] == 0:
            del self.faults[step]
        return armed[0]

    # ---- handles -------------------------------------------------------------------------
    def issue(self, obj):
        handle = "0x%x" % next(_handle_values)
        self.handles[handle] = obj
        return handle

    def handle_of(self, obj):
        return next(h for h, o in self.handles.items() if o is obj)

    def lookup(self, handle, kind, err):
        obj = self.handles.get(handle) if isinstance(handle, str) else None
        ensure(isinstance(obj, kind), err)
        return obj

    def session(self, sesid):
        if "after-term" in self.bugs and sesid in self.term_ended:
            # BUG (ES-AFTER-TERM): the instance is gone, so we blame the instance; ESENT checks
            # the handle first and answers JET_errInvalidSesid.
            raise JetError(JET_errNotInitialized)
        s = self.lookup(sesid, Session, JET_errInvalidSesid)
        self.check_instance(s.instance)
        return s

    def check_instance(self, inst):
        """FEnter after the handle (jetapi.cxx 4191-4207): a forced not-initialized state where the
        process-wide check answers, then a fatal error, then a forced restore (after term in progress)."""
        ensure(inst.forced != "not-initialized", JET_errNotInitialized)
        if inst.unavailable:
            raise JetError(JET_errInstanceUnavailableDueToFatalLogDiskFull if inst.fatal_cause == JET_errLogDiskFull else JET_errInstanceUnavailable)
        ensure(inst.forced != "restore-in-progress", JET_errRestoreInProgress)

    def cursor(self, session, tableid):
        c = self.lookup(tableid, Cursor, JET_errInvalidTableId)
        ensure(c.session is session, JET_errSesidTableIdMismatch)
        if c.deferred_closed:
            ensure(not session.instance.stopped, JET_errClientRequestToStopJetService)
            raise JetError(JET_errInvalidTableId)
        return c

    def instance(self, handle):
        return self.lookup(handle, Instance, JET_errInvalidInstance)

    # ---- records ---------------------------------------------------------------------------
    def visible(self, s, table):
        """What session s sees: its snapshot (or the committed rows) under its own levels."""
        if isinstance(table, TempTable) and table.sort:
            return table.rows
        rows = dict(s.snapshot.get(table, table.rows) if s.snapshot is not None else table.rows)
        for level in s.levels:
            for rid, row in level.get(table, {}).items():
                if row is None:
                    rows.pop(rid, None)
                else:
                    rows[rid] = row
        return rows

    def check_writable(self, s, table, rid):
        """Another session's uncommitted change, or a commit after our snapshot: a write conflict."""
        if isinstance(table, TempTable):
            return
        for other in self.handles.values():
            if isinstance(other, Session) and other is not s and any(rid in lv.get(table, {}) for lv in other.levels):
                raise JetError(JET_errWriteConflict)
        if s.levels and table.row_seq.get(rid, 0) > s.begin_seq:
            raise JetError(JET_errWriteConflict)

    def write(self, s, table, rid, row):
        if isinstance(table, TempTable) and (table.sort or not s.levels):
            if row is None:
                table.rows.pop(rid, None)
            else:
                table.rows[rid] = row
        elif s.levels:
            s.levels[-1].setdefault(table, {})[rid] = row
        else:
            self.commit_changes({table: {rid: row}})  # outside a transaction: committed at once

    def commit_changes(self, changes):
        self.commit_seq += 1
        for table, rows in changes.items():
            new = dict(table.rows)
            for rid, row in rows.items():
                if row is None:
                    new.pop(rid, None)
                else:
                    new[rid] = row
                table.row_seq[rid] = self.commit_seq
            table.rows = new

    def all_tables(self):
        return [t for tables in self.files.values() for t in tables.values()]

    # ---- instances ---------------------------------------------------------------------------
    def JetCreateInstance(self, name):
        live = [o for o in self.handles.values() if isinstance(o, Instance)]
        ensure(all(i.name != name for i in live), JET_errInstanceNameInUse)
        return {"instance": self.issue(Instance(name, self.defaults))}

    def JetSetSystemParameter(self, instance, sesid, paramid, lParam, paramName=None):
        if instance is None:
            self.defaults[paramid] = lParam
        else:
            self.instance(instance).params[paramid] = lParam
        return {}

    def JetInit(self, instance):
        inst = self.instance(instance)
        ensure(not inst.initialized, JET_errAlreadyInitialized)
        inst.initialized = True
        return {}

    def JetTerm(self, instance):
        return self.JetTerm2(instance, 0)

    def JetTerm2(self, instance, grbit):
        inst = self.instance(instance)
        # Only idle sessions are ended: a clean or abrupt term with a transaction open anywhere is
        # refused and changes nothing (sysinit.cxx 595-607); a dirty term goes ahead.
        ensure(grbit & JET_bitTermDirty or inst.unavailable or not any(s.levels for s in inst.sessions), JET_errTooManyActiveUsers)
        for s in list(inst.sessions):
            sesid = self.handle_of(s)
            self.end_session(s)
            self.term_ended.add(sesid)
        del self.handles[self.handle_of(inst)]
        return {}

    def JetStopService(self):
        for obj in self.handles.values():
            if isinstance(obj, Instance):
                obj.stopped = True
        return {}

    def JetStopServiceInstance(self, instance):
        self.instance(instance).stopped = True
        return {}

    def JetStopServiceInstance2(self, instance, grbit):
        return self.JetStopServiceInstance(instance)

    # ---- sessions ----------------------------------------------------------------------------
    def new_session(self, inst):
        ensure(inst.initialized and inst.forced != "not-initialized", JET_errNotInitialized)
        ensure(not inst.stopped, JET_errClientRequestToStopJetService)
        self.check_instance(inst)  # ErrAPIEnter: StopService, unavailable, then the API locks
        ensure(len(inst.sessions) < inst.params[JET_paramMaxSessions], JET_errOutOfSessions)
        s = Session(inst)
        inst.sessions.add(s)
        return {"sesid": self.issue(s)}

    def JetBeginSession(self, instance, username, password):
        return self.new_session(self.instance(instance))

    def JetDupSession(self, sesid):
        return self.new_session(self.session(sesid).instance)

    def JetEndSession(self, sesid, grbit, thread=None):
        s = self.session(sesid)  # the grbit is reserved: ESENT never reads it, nor do we
        ensure(s.context is None, JET_errSessionInUse)
        # The rollback runs on the calling thread. A transaction begun under a session context may be
        # rolled back from any thread (PrepareTrxContextForEnd, pib.hxx 1425-1439); one bound to a
        # thread only from that thread: elsewhere the first level's rollback closes its cursors, then
        # fails -1910 and the session stays, in its transaction (tm.cxx 117-124, dir.cxx 2228-2235).
        if s.levels and s.trx_bound_to[0] == "thread" and not self.transaction_context_ok(s, thread):
            self.close_level_cursors(s, len(s.levels))
            raise JetError(JET_errSessionSharingViolation)
        self.end_session(s, faults=True)
        return {}

    def end_transaction_levels(self, s, depth):
        """Levels above `depth` are gone: undo their DDL; at level 0 release deferred locks."""
        for entry in [e for e in s.created if e[0] > depth]:
            s.created.remove(entry)
            entry[1].pop(entry[2], None)
            self.drop_exclusive(s, entry[1])
        for entry in [e for e in s.columns_added if e[0] > depth]:
            s.columns_added.remove(entry)
            _, table, name, columnid = entry
            table.columns.pop(name, None)
            table.coltyps.pop(columnid, None)
            table.column_owner.pop(columnid, None)
        for table, c in list(s.reused.items()):
            if depth == 0 or (c.reuse_level > depth and not c.deferred_closed):
                self.close_reused(s, c, final=depth == 0)
            if depth == 0:
                del s.reused[table]
        if depth == 0:
            s.read_only = False
            for h in [h for h, o in self.handles.items() if o in s.deferred]:
                del self.handles[h]
            s.deferred.clear()
            s.inserted.clear()
            for c in s.cursors:
                c.wrote = False

    def drop_exclusive(self, s, tables):
        """Undoing a table's space allocation (VERIFreeExt, ver.cxx 5132-5176) opens and closes the
        database for the session, and that close drops its exclusive open (db.cxx 6446-6447)."""
        filename = next((f for f, t in self.files.items() if t is tables), None)
        dbid = s.instance.attached.get(filename)
        if dbid is not None and s.instance.exclusive.get(dbid) is s:
            del s.instance.exclusive[dbid]

    def column_visible(self, s, table, columnid):
        if not isinstance(table, Table):
            return True
        owner = table.column_owner.get(columnid)
        if owner is not None:
            return owner is s
        return not s.levels or table.column_seq.get(columnid, 0) <= s.begin_seq

    def end_session(self, s, faults=False):
        """JetEndSession's clean-up: roll back every level, close cursors, temp tables, databases."""
        # With `faults` (JetEndSession, not JetTerm) and a fault armed, it runs step by step first.
        if faults and self.faults:
            self.end_in_steps(s)
        s.levels, s.snapshot = [], None
        self.end_transaction_levels(s, 0)
        for c in list(s.cursors):
            self.close_cursor(c, leak_temp="temp-tables" in self.bugs)
        for dbid in list(s.dbs):
            if s.instance.exclusive.get(dbid) is s:
                del s.instance.exclusive[dbid]
        s.dbs.clear()
        s.instance.sessions.discard(s)
        del self.handles[self.handle_of(s)]

    def end_in_steps(self, s):
        """The clean-up in ESE's order (tm.cxx 117-184), stopping where an injected fault strikes: roll
        back level by level, close every database open (their table cursors with them), then the temp
        tables newest first. An undo failure takes the instance down and leaves the session in its
        transaction (Errata 11); a close failure leaves the session usable, rolled back, and what comes
        after it still held. A sort's close can fail; a materialized temp table's cannot (CallS)."""
        while s.levels:
            err = self.fault("undo")
            if err is not None:
                # ErrIsamRollback's loop closes the level's cursors, then undoing its versions fails.
                self.close_level_cursors(s, len(s.levels))
                self.take_down(s.instance, err)
                raise JetError(err)
            self.rollback_level(s)
        for dbid in sorted(s.dbs):  # ErrDBCloseAllDBs: dbid 1 up, each open of it (db.cxx 6509-6524)
            while dbid in s.dbs:
                err = self.fault("close-database")
                if err is not None:
                    raise JetError(err)
                self.close_database(s, dbid)
        for c in sorted(s.cursors, key=lambda c: int(self.handle_of(c), 16), reverse=True):
            err = self.fault("close-sort") if c.on_sort else None
            if err is not None:
                raise JetError(err)
            self.close_cursor(c, leak_temp="temp-tables" in self.bugs)

    def close_database(self, s, dbid):
        """One close of the session's database: with the last, its table cursors and exclusive open go."""
        s.dbs[dbid] -= 1
        if s.dbs[dbid] > 0:
            return
        del s.dbs[dbid]
        filename = next(f for f, d in s.instance.attached.items() if d == dbid)
        tables = set(self.files.get(filename, {}).values())
        for c in [c for c in s.cursors if c.table in tables]:
            # Each through the table close (pfnCloseTable): one that wrote in the open transaction is
            # defer-closed, its locks kept until level 0 (Errata 7); at the end there is no level left.
            self.JetCloseTable(self.handle_of(s), self.handle_of(c))
        if s.instance.exclusive.get(dbid) is s:
            del s.instance.exclusive[dbid]

    def JetSetSessionContext(self, sesid, context, thread=None):
        s = self.session(sesid)
        ensure(not s.instance.stopped, JET_errClientRequestToStopJetService)
        # 0 and all ones are the reserved values (pib.hxx: Null and Unusable), checked before the slot.
        ensure(context not in (0, -1, 0xFFFFFFFFFFFFFFFF), JET_errInvalidParameter)
        ensure(s.context is None, JET_errSessionContextAlreadySet)
        s.context = (context, thread)
        return {}

    def JetResetSessionContext(self, sesid, thread=None):
        s = self.session(sesid)
        ensure(s.context is not None and s.context[1] == thread, JET_errSessionContextNotSetByThisThread)
        s.context = None
        return {}

    # ---- transactions ------------------------------------------------------------------------
    def JetBeginTransaction(self, sesid, thread=None):
        return self.JetBeginTransaction2(sesid, 0, thread)

    def JetBeginTransaction2(self, sesid, grbit, thread=None):
        s = self.session(sesid)
        ensure(len(s.levels) < LEVEL_MAX, JET_errTransTooDeep)
        self.check_nested_transaction(s, thread)  # dir.cxx 1872-1879
        if not s.levels:
            s.snapshot = {t: t.rows for t in self.all_tables()}
            s.begin_seq = self.commit_seq
            # The transaction belongs to the session context set now, else to the calling thread.
            s.trx_bound_to = ("context", s.context[0]) if s.context is not None else ("thread", thread)
            s.read_only = bool(grbit & JET_bitTransactionReadOnly)
        s.levels.append({})
        return {}

    def transaction_context_ok(self, s, thread):
        """ErrDIRBeginTransaction's check (dir.cxx 1872-1879): a nested transaction is begun by the
        thread, or under the session context, that the outermost transaction belongs to."""
        kind, value = s.trx_bound_to
        if kind == "context":
            return s.context is not None and s.context == (value, thread)
        return value == thread

    def check_nested_transaction(self, s, thread):
        """An update, a delete, a long value and DDL begin a nested transaction (ErrDIRBeginTransaction):
        inside a transaction it must be on the transaction's thread or context; at level 0 it binds itself."""
        ensure(not s.levels or self.transaction_context_ok(s, thread), JET_errSessionSharingViolation)

    def off_context(self, s, thread):
        """A call at level 0 while another thread has the session context set. The internal transaction
        it begins binds to the context (PIBSetTrxContext, pib.hxx 1402-1411), and its commit and its
        error path's rollback fail the context check on this thread (pib.hxx 1457-1460, dir.cxx
        1932-1936, 2228-2235): the level stays, the context's owner's to end."""
        return not s.levels and s.context is not None and s.context[1] != thread

    def leak_level(self, s, read_only):
        """The internal transaction that off_context() leaves open: level 1, bound to the context."""
        s.snapshot = {t: t.rows for t in self.all_tables()}
        s.begin_seq = self.commit_seq
        s.trx_bound_to = ("context", s.context[0])
        s.read_only = read_only
        s.levels.append({})

    def JetCommitTransaction(self, sesid, grbit, thread=None):
        s = self.session(sesid)
        ensure(s.levels, JET_errNotInTransaction)
        ensure(self.transaction_context_ok(s, thread), JET_errSessionSharingViolation)  # dir.cxx 1932-1936
        self.commit_level(s)
        return {}

    def commit_level(self, s):
        top = s.levels.pop()
        for c in s.cursors:  # a cursor's navigation and open levels go down with the commit (dir.cxx 2104-2158)
            c.level_navigate = min(c.level_navigate, len(s.levels))
            c.level_open = min(c.level_open, len(s.levels))
            c.prep_level = min(c.prep_level, len(s.levels))  # the update migrates down (dir.cxx 2117-2124)
        for entry in s.created:
            entry[0] = min(entry[0], len(s.levels))
        s.created = [e for e in s.created if e[0] > 0]
        for entry in s.columns_added:
            entry[0] = min(entry[0], len(s.levels))
        if s.levels:
            for table, rows in top.items():
                s.levels[-1].setdefault(table, {}).update(rows)
        else:
            self.commit_changes(top)
            for _, table, _, columnid in s.columns_added:
                table.column_owner.pop(columnid, None)
                table.column_seq[columnid] = self.commit_seq
            s.columns_added = []
            s.snapshot = None
            self.end_transaction_levels(s, 0)
        return {}

    def JetRollback(self, sesid, grbit, thread=None):
        s = self.session(sesid)
        ensure(s.levels, JET_errNotInTransaction)
        while True:
            # Each level's cursors are closed before its thread check (-1910: that level stays).
            self.close_level_cursors(s, len(s.levels))
            ensure(self.transaction_context_ok(s, thread), JET_errSessionSharingViolation)
            self.rollback_level(s)
            if not (grbit & JET_bitRollbackAll and s.levels):
                return {}

    def close_level_cursors(self, s, level):
        """ErrIsamRollback's first loop (tm.cxx 1925-2016): the cursors opened at the level being undone
        are closed before the thread is checked; one that wrote is defer-closed like a JetCloseTable,
        and the insert's own cursor taken again at the level is closed as versioned. The updates
        prepared at the level are cancelled."""
        for c in [c for c in s.cursors if not c.deferred_closed]:
            if c.prepared is not None and c.prep_level >= level:
                c.prepared, c.image = None, None
            if c.reuse_level is not None:
                if c.reuse_level >= level:
                    self.close_reused(s, c, final=False)
            elif c.level_open < level:
                continue
            elif c.wrote and not c.on_sort:
                s.cursors.discard(c)
                c.deferred_closed = True
                s.deferred.append(c)
            else:
                self.close_cursor(c)

    def rollback_level(self, s):
        """Undo the innermost level, its cursors closed. Every cursor that moved at this level goes
        before first, even one on a record that survives the rollback (ESE's ErrDIRRollback, dir.cxx
        2264-2271)."""
        level = len(s.levels)
        self.close_level_cursors(s, level)
        for c in s.cursors:
            if c.level_navigate == level:
                c.level_navigate = level - 1
                c.place(BEFORE_FIRST)
        s.levels.pop()
        self.end_transaction_levels(s, len(s.levels))
        if not s.levels:
            s.snapshot = None

    # ---- databases ---------------------------------------------------------------------------
    def attached_elsewhere(self, inst, filename):
        """Another live instance has the file attached: ESE finds its FMP in use (fmp.cxx 1190-1233)."""
        return any(isinstance(o, Instance) and o is not inst and filename in o.attached for o in self.handles.values())

    def JetCreateDatabase(self, sesid, filename, grbit, thread=None):
        s = self.session(sesid)
        # The FMPs in use are looked at before the folder: another instance's file is a sharing violation.
        ensure(not self.attached_elsewhere(s.instance, filename), JET_errDatabaseSharingViolation)
        ensure(filename not in self.files, JET_errDatabaseDuplicate)
        if self.off_context(s, thread):
            # The new database's first transaction fails the context check (db.cxx 275-305); a
            # failed logged creation purges the file and takes the instance down (db.cxx 2296-2318).
            s.instance.unavailable = True
            raise JetError(JET_errSessionSharingViolation)
        self.files[filename] = {}
        dbid = self.attach(s.instance, filename)
        s.dbs[dbid] = 1
        return {"dbid": dbid}

    def attach(self, inst, filename):
        inst.attached[filename] = inst.next_dbid
        inst.next_dbid += 1
        return inst.attached[filename]

    def JetAttachDatabase(self, sesid, filename, grbit):
        s = self.session(sesid)
        ensure(filename in self.files, JET_errFileNotFound)
        if filename in s.instance.attached:
            raise JetError(JET_wrnDatabaseAttached)
        ensure(not self.attached_elsewhere(s.instance, filename), JET_errDatabaseSharingViolation)
        self.attach(s.instance, filename)
        return {}

    def JetOpenDatabase(self, sesid, filename, grbit):
        s = self.session(sesid)
        inst = s.instance
        ensure(filename in inst.attached, JET_errDatabaseNotFound)
        dbid = inst.attached[filename]
        holder = inst.exclusive.get(dbid)
        ensure(holder is None or holder is s, JET_errDatabaseLocked)
        if grbit & JET_bitDbExclusive:
            ensure(all(dbid not in o.dbs for o in inst.sessions if o is not s), JET_errDatabaseInUse)
            inst.exclusive[dbid] = s
        s.dbs[dbid] = s.dbs.get(dbid, 0) + 1
        return {"dbid": dbid}

    def JetCloseDatabase(self, sesid, dbid, grbit):
        s = self.session(sesid)
        ensure(dbid in s.dbs, JET_errInvalidDatabaseId)
        # The same close as the end's (ErrDBCloseDatabase, db.cxx 6394-6455): the last one closes the
        # session's table cursors on the database, defer-closed ones left to their transaction.
        self.close_database(s, dbid)
        return {}

    def tables_of(self, s, dbid):
        ensure(dbid in s.dbs, JET_errInvalidDatabaseId)
        filename = next(f for f, d in s.instance.attached.items() if d == dbid)
        return self.files[filename]

    # ---- tables and cursors -----------------------------------------------------------------
    def open_cursor(self, s, table, grbit=0):
        c = Cursor(s, table, grbit)
        s.cursors.add(c)
        return c

    def close_cursor(self, c, leak_temp=False):
        if c.on_sort:
            c.table.refs -= 1
            if c.table.refs == 0 and not leak_temp:
                c.session.instance.temp_in_use -= 1
        elif c.holds_temp_slot and not leak_temp:
            c.session.instance.temp_in_use -= 1
        c.session.cursors.discard(c)
        del self.handles[self.handle_of(c)]

    def JetCreateTable(self, sesid, dbid, tablename, thread=None):
        s = self.session(sesid)
        tables = self.tables_of(s, dbid)
        # The name is checked first (fcreate.cxx 2675), then the nested transaction begins (2771); a
        # read-only transaction fails when the table is written.
        ensure(tablename != "", JET_errInvalidName)
        if self.off_context(s, thread):
            self.leak_level(s, read_only=False)  # then its nested begin fails (fcreate.cxx 2771)
        self.check_nested_transaction(s, thread)
        ensure(not s.read_only, JET_errTransReadOnly)
        if tablename in tables:
            # Found after the table's space was allocated (cat.cxx 2598): the error path's rollback
            # frees it, dropping the session's exclusive open (drop_exclusive).
            self.drop_exclusive(s, tables)
            raise JetError(JET_errTableDuplicate)
        tables[tablename] = Table(tablename)
        if s.levels:
            s.created.append([len(s.levels), tables, tablename])
        return {"tableid": self.issue(self.open_cursor(s, tables[tablename], JET_bitTableDenyRead))}

    def JetAddColumn(self, sesid, tableid, column, coltyp, thread=None):
        s = self.session(sesid)
        c = self.cursor(s, tableid)
        ensure(not isinstance(c.table, TempTable), JET_errIllegalOperation)  # sortapi.cxx: ErrIllegalAddColumn
        ensure(c.updatable, JET_errPermissionDenied)
        ensure(not s.read_only, JET_errTransReadOnly)
        ensure(column != "", JET_errInvalidName)
        ensure(coltyp in (JET_coltypLong, JET_coltypText, JET_coltypLongText), JET_errInvalidColumnType)
        self.check_nested_transaction(s, thread)  # fcreate.cxx 3447, before the duplicate name (3456)
        ensure(column not in c.table.columns, JET_errColumnDuplicate)
        columnid = c.table.columns[column] = max(c.table.coltyps, default=0) + 1
        c.table.coltyps[columnid] = coltyp
        if s.levels:
            c.table.column_owner[columnid] = s
            s.columns_added.append([len(s.levels), c.table, column, columnid])
        else:
            self.commit_seq += 1  # its own nested transaction, committed now
            c.table.column_seq[columnid] = self.commit_seq
        c.place(BEFORE_FIRST)  # ErrIsamAddColumn leaves the cursor before first (fcreate.cxx 3827-3833)
        return {"columnid": columnid}

    def JetOpenTable(self, sesid, dbid, tablename, grbit, thread=None):
        s = self.session(sesid)
        tables = self.tables_of(s, dbid)
        if self.off_context(s, thread):
            self.leak_level(s, read_only=True)  # the open's read-only transaction (fileopen.cxx 1553-1556)
        ensure(not (grbit & JET_bitTableDenyRead and grbit & JET_bitTableReadOnly), JET_errInvalidGrbit)
        ensure(tablename != "", JET_errInvalidName)  # the name is checked first (fileopen.cxx 1455)
        ensure(tablename in tables, JET_errObjectNotFound)
        ensure(not (grbit & JET_bitTableReadOnly and grbit & JET_bitTableUpdatable), JET_errInvalidGrbit)
        table = tables[tablename]
        deferred = [d for o in s.instance.sessions for d in o.deferred if d.table is table]
        on_table = [o for o in self.handles.values() if isinstance(o, Cursor) and o.table is table] + deferred
        others = [o for o in on_table if o.session is not s]
        ensure(not any(o.grbit & JET_bitTableDenyRead for o in others), JET_errTableLocked)
        # DenyWrite (ErrFILEICheckAndSetMode): an updatable open against another session's DenyWrite
        # is -1302; a DenyWrite open while anyone holds DenyWrite, or another session can write, -1304.
        deny_write = [o for o in on_table if o.grbit & JET_bitTableDenyWrite]
        ensure(not (grbit & JET_bitTableUpdatable and any(o.session is not s for o in deny_write)), JET_errTableLocked)
        writers = any(o.updatable for o in others) or any(table in o.inserted for o in s.instance.sessions if o is not s)
        ensure(not (grbit & JET_bitTableDenyWrite and (deny_write or writers)), JET_errTableInUse)
        in_use = others or any(table in o.inserted for o in s.instance.sessions if o is not s)
        ensure(not (grbit & JET_bitTableDenyRead and in_use), JET_errTableInUse)
        if s.levels and table in s.inserted:
            reused = s.reused.get(table)
            if reused is None or reused.deferred_closed:
                return {"tableid": self.reuse_insert_cursor(s, table, grbit, reused)}
        return {"tableid": self.issue(self.open_cursor(s, table, grbit))}

    def reuse_insert_cursor(self, s, table, grbit, c):
        """The insert's own cursor, defer-closed since the insert, is taken instead of a new one
        (ErrBTOpen, bt.cxx 496-560) and stays versioned: its close is deferred again, and a rollback
        of the level it was taken at closes it the same way (levelReuse, 525-528)."""
        level = len(s.levels)
        if c is None:
            c = self.open_cursor(s, table, grbit)
            handle = self.issue(c)
        else:
            handle = self.handle_of(c)
            c.__dict__.update(Cursor(s, table, grbit).__dict__)  # a fresh open: first record, no prepared update
            s.cursors.add(c)
        c.reuse_level = level
        s.reused[table] = c
        return handle

    def close_reused(self, s, c, final):
        s.cursors.discard(c)
        c.deferred_closed = True
        if final:
            for h in [h for h, o in self.handles.items() if o is c]:
                del self.handles[h]

    def JetDupCursor(self, sesid, tableid, grbit):
        s = self.session(sesid)
        src = self.cursor(s, tableid)
        if isinstance(src.table, TempTable):
            return {"tableid": self.issue(self.dup_temp_table(s, src))}
        if s.levels and src.table in s.inserted:
            # ErrIsamDupCursor opens through ErrDIROpen, which takes the insert's defer-closed cursor
            # as JetOpenTable does (bt.cxx 505-560).
            reused = s.reused.get(src.table)
            if reused is None or reused.deferred_closed:
                handle = self.reuse_insert_cursor(s, src.table, 0, reused)
                self.handles[handle].updatable = src.updatable
                return {"tableid": handle}
        dup = self.open_cursor(s, src.table)  # no locks, the same updatability, deferred first
        dup.updatable = src.updatable
        return {"tableid": self.issue(dup)}

    def dup_temp_table(self, s, src):
        """A sort in insert mode cannot be duplicated (sortapi.cxx 2915); in return mode its duplicate is
        on the first record (3466-3475, 845-852); a materialized temp table's duplicate is deferred first
        like a table's (ErrIsamDupCursor, sortapi.cxx 819-823)."""
        ensure(not (src.on_sort and src.table.mode == "insert"), JET_errIllegalOperation)
        dup = self.open_cursor(s, src.table)
        if src.on_sort:
            src.table.refs += 1
            rids = sorted(src.table.rows)
            dup.place(ON, rids[0]) if rids else dup.place(BEFORE_FIRST)
        return dup

    def JetCloseTable(self, sesid, tableid, thread=None):
        s = self.session(sesid)
        c = self.cursor(s, tableid)
        if isinstance(c.table, TempTable) and not c.table.sort and self.off_context(s, thread):
            if not any(isinstance(o, Cursor) and o is not c and o.table is c.table for o in self.handles.values()):
                # The last close frees the table's space in a transaction whose commit's result is
                # ignored (space.cxx 10882-10886, 11044): 0, and the level stays.
                self.close_cursor(c)
                self.leak_level(s, read_only=False)
                return {}
        if c.wrote and s.levels:
            # Defer-closed: its tableid answers as closed, but stays a live handle (FEnter's checks
            # come first) and the cursor stays on its table, locks and all, until level 0.
            s.cursors.discard(c)
            c.deferred_closed = True
            s.deferred.append(c)
            return {}
        if c.reuse_level is not None and s.levels:
            self.close_reused(s, c, final=False)  # versioned: deferred again, the handle lives
            return {}
        self.close_cursor(c)
        return {}

    def JetOpenTempTable(self, sesid, columns, grbit, thread=None):
        s = self.session(sesid)
        inst = s.instance
        ensure(inst.params[JET_paramMaxTemporaryTables] > 0, JET_errTooManySorts)
        if not inst.temp_db:
            self.create_temp_database(inst)
        ensure(inst.temp_in_use < inst.params[JET_paramMaxTemporaryTables], JET_errTooManySorts)
        # The column types are checked after the quota (JET_coltypBit 1 .. JET_coltypUnsignedShort 17).
        ensure(all(1 <= col.get("coltyp", 0) <= 17 for col in columns), JET_errInvalidColumnType)
        table = TempTable(columns, grbit)
        if not table.sort and self.off_context(s, thread):
            self.leak_level(s, read_only=False)
        if not table.sort and s.levels:
            # Materializing creates a table in a nested transaction (fcreate.cxx 2771), which checks
            # the transaction's thread or context (dir.cxx 1872-1879).
            ensure(self.transaction_context_ok(s, thread), JET_errSessionSharingViolation)
        inst.temp_in_use += 1
        c = self.open_cursor(s, table)
        c.holds_temp_slot = True
        table.refs = 1
        c.place(BEFORE_FIRST)
        return {"tableid": self.issue(c), "columnids": list(table.columns.values())}

    def create_temp_database(self, inst):
        """The instance's first temp table creates the temp database in an internal session (sortapi.cxx
        3270, sysinit.cxx 361): that needs a free session slot, else -1101 and the next open tries again.
        The temp database takes a dbid like any database (sysinit.cxx 366-377)."""
        ensure(len(inst.sessions) < inst.params[JET_paramMaxSessions], JET_errOutOfSessions)
        inst.temp_db = True
        inst.next_dbid += 1

    # ---- records ------------------------------------------------------------------------------
    def resolve_deferred(self, s, c):
        """A deferred-first cursor lands on the first record the session sees, if there is one."""
        rids = sorted(self.visible(s, c.table))
        if rids:
            c.place(ON, rids[0])
        return bool(rids)

    def current_row(self, s, c):
        if c.pos == DEFERRED_FIRST:
            self.resolve_deferred(s, c)
        ensure(c.pos == ON, JET_errNoCurrentRecord)
        rows = self.visible(s, c.table)
        ensure(c.current in rows, JET_errRecordDeleted)  # deleted under the cursor
        return rows[c.current]

    def JetMove(self, sesid, tableid, cRow, grbit):
        s = self.session(sesid)
        c = self.cursor(s, tableid)
        if c.on_sort:
            self.sort_move(s, c, cRow)
            return {}
        c.prepared = None  # ErrIsamMove cancels a prepared update first
        if cRow != 0 and not c.on_sort:
            c.level_navigate = len(s.levels)  # every move but JetMove(0) goes through DIR, which records the level
        self.move(s, c, cRow)
        return {}

    def move(self, s, c, cRow):
        """ErrIsamMove (rec.cxx): a failed move leaves the cursor after last (forward) or before first
        (backward), also from a new cursor's deferred first position (rec.cxx 1009-1019)."""
        rids = sorted(self.visible(s, c.table))
        if cRow in (JET_MoveFirst, 0x80000000):
            return self.land(c, rids[0] if rids else None, BEFORE_FIRST)
        if cRow == JET_MoveLast:
            return self.land(c, rids[-1] if rids else None, AFTER_LAST)
        if cRow == 0:
            self.current_row(s, c)  # JetMove(0) only checks the currency (on an empty table a new cursor stays deferred)
            return None
        forward = cRow > 0
        if c.pos == DEFERRED_FIRST and not self.resolve_deferred(s, c):
            return self.land(c, None, AFTER_LAST if forward else BEFORE_FIRST)
        # The records ahead in the move's direction; a deleted current record still has its place.
        if c.pos == ON:
            ahead = [r for r in rids if r > c.current] if forward else [r for r in reversed(rids) if r < c.current]
        else:
            from_start = c.pos == (BEFORE_FIRST if forward else AFTER_LAST)
            ahead = (rids if forward else rids[::-1]) if from_start else []
        steps = abs(cRow)
        return self.land(c, ahead[steps - 1] if steps <= len(ahead) else None, AFTER_LAST if forward else BEFORE_FIRST)

    def sort_move(self, s, c, cRow):
        """A sort's move. In return mode backwards only when scrollable or indexed (ErrIsamSortMove,
        sortapi.cxx 435-439). The first move (ErrTTSortInsMove, 3395-3422) cancels a prepared update,
        sorts by key and drops duplicate keys (sort.cxx 303-372); with JET_bitTTUpdatable the sort is
        materialized (its slot freed, the cursor before first), else it is in return mode on its first
        record and the move counts from there."""
        t = c.table
        first_or_next = cRow in (JET_MoveFirst, 0x80000000) or cRow >= 0
        if t.mode == "return":
            ensure(first_or_next or t.grbit & (JET_bitTTScrollable | JET_bitTTIndexed), JET_errIllegalOperation)
            return self.move(s, c, cRow)
        c.prepared = None
        null_high = bool(t.grbit & JET_bitTTSortNullsHigh)

        def key(row):
            parts = []
            for columnid, descending in t.keys:
                v = row.get(columnid)
                null_rank = (1 if null_high else -1) if v is None else 0
                value = v if isinstance(v, int) else str(v or "").upper()
                parts.append(Descending((null_rank, value)) if descending else (null_rank, value))
            return parts

        ordered, seen = [], []
        for row in sorted(t.rows.values(), key=key):
            if not seen or key(row) != seen[-1]:
                ordered.append(row)
                seen.append(key(row))
        t.rows = {i + 1: row for i, row in enumerate(ordered)}
        t.next_rid = len(ordered) + 1
        c.place(BEFORE_FIRST)
        if t.grbit & JET_bitTTUpdatable:
            t.sort, t.refs = False, 0
            s.instance.temp_in_use -= 1
            c.holds_temp_slot = False
            if cRow != 0:
                c.level_navigate = len(s.levels)
            return self.move(s, c, cRow)
        t.mode = "return"
        ensure(ordered, JET_errNoCurrentRecord)
        c.place(ON, 1)
        rest = cRow - 1 if 0 < cRow < JET_MoveLast else cRow
        if rest in (0, JET_MoveFirst, 0x80000000):
            return None
        return self.sort_move(s, c, rest)

    def land(self, c, rid, otherwise):
        if rid is None:
            c.place(otherwise)
            raise JetError(JET_errNoCurrentRecord)
        c.place(ON, rid)

    def JetRetrieveColumn(self, sesid, tableid, columnid, thread=None):
        s = self.session(sesid)
        c = self.cursor(s, tableid)
        ensure(not (c.on_sort and c.table.mode == "insert"), JET_errIllegalOperation)  # sortapi.cxx 2936
        ensure(columnid in c.table.columns.values() and self.column_visible(s, c.table, columnid), JET_errColumnNotFound)
        if not c.on_sort and self.off_context(s, thread):
            self.leak_level(s, read_only=True)  # its commit's result is ignored (fldext.cxx 1751-1756, 2275-2279)
        return {"value": self.current_row(s, c).get(columnid)}

    def check_updatable(self, s, c):
        """What every modification checks first: an updatable cursor, then a writable transaction
        (fldmod.cxx 1947-1963); a temp table is outside transactions."""
        ensure(c.updatable, JET_errPermissionDenied)
        ensure(isinstance(c.table, TempTable) or not s.read_only, JET_errTransReadOnly)

    def JetPrepareUpdate(self, sesid, tableid, prep, thread=None):
        s = self.session(sesid)
        c = self.cursor(s, tableid)
        ensure(not (c.on_sort and c.table.mode == "return"), JET_errIllegalOperation)  # sortapi.cxx 2994-3007
        if prep == JET_prepCancel:
            ensure(c.prepared is not None, JET_errUpdateNotPrepared)
            c.prepared = None
            return {}
        copy_delete = (JET_prepInsertCopyDeleteOriginal, JET_prepInsertCopyReplaceOriginal)
        ensure(prep in (JET_prepInsert, JET_prepInsertCopy, JET_prepReplace) + copy_delete, JET_errInvalidParameter)
        self.check_updatable(s, c)
        ensure(c.prepared is None, JET_errAlreadyPrepared)
        c.prep_level = len(s.levels)
        if prep == JET_prepInsert:
            c.prepared = ("insert", None, {})
            return {}
        row = self.current_row(s, c)
        if prep == JET_prepInsertCopy:
            # The copy references the record's long values, which needs a transaction (lv.cxx
            # 6054-6058); nothing stays prepared (fldmod.cxx 1224-1294). A sort has no long values.
            ensure(s.levels or c.on_sort, JET_errNotInTransaction)
            if not c.on_sort:
                self.check_nested_transaction(s, thread)  # lv.cxx 6061
            c.prepared = ("insert", None, dict(row))
        elif prep in copy_delete:
            # The record's write lock is taken now (ErrDIRGetLock, fldmod.cxx 1235-1238); JetUpdate
            # deletes it through the cursor and inserts the copy (recupd.cxx 1656-1660). Without an
            # autoincrement column the two codes are the same.
            self.check_writable(s, c.table, c.current)
            self.lock_record(s, c, row)
            c.prepared = ("copy-delete", c.current, dict(row))
        else:
            # Inside a transaction the record's write lock is taken now too (fldmod.cxx 1137-1154);
            # at level 0 a conflict shows at JetUpdate (the image below).
            self.check_writable(s, c.table, c.current)
            self.lock_record(s, c, row)
            c.prepared = ("replace", c.current, dict(row))
            c.image = None if s.levels or isinstance(c.table, TempTable) else dict(row)
        return {}

    def lock_record(self, s, c, row):
        """A write lock taken inside a transaction (ErrBTLock, bt.cxx 5181-5195): a version of the level, the
        same image, undone with it; the cursor is versioned like a writer (ver.cxx 4065), so its close is deferred."""
        if s.levels and not isinstance(c.table, TempTable):
            s.levels[-1].setdefault(c.table, {}).setdefault(c.current, dict(row))
            c.wrote = True

    def JetSetColumn(self, sesid, tableid, columnid, value, thread=None):
        s = self.session(sesid)
        c = self.cursor(s, tableid)
        ensure(not (c.on_sort and c.table.mode == "return"), JET_errIllegalOperation)  # sortapi.cxx 2994-3007
        self.check_updatable(s, c)  # before the prepared check (fldmod.cxx 1947-1963)
        ensure(c.prepared is not None, JET_errUpdateNotPrepared)
        ensure(columnid in c.table.columns.values() and self.column_visible(s, c.table, columnid), JET_errColumnNotFound)
        if c.table.coltyps.get(columnid) == JET_coltypLongText:
            # A long value needs a transaction (lv.cxx 2488-2492) and begins a nested one (2497).
            ensure(s.levels, JET_errNotInTransaction)
            self.check_nested_transaction(s, thread)
        c.prepared[2][columnid] = stored_value(c.table.coltyps.get(columnid), value)
        return {}

    def JetUpdate(self, sesid, tableid, thread=None):
        s = self.session(sesid)
        c = self.cursor(s, tableid)
        ensure(not (c.on_sort and c.table.mode == "return"), JET_errIllegalOperation)  # sortapi.cxx 2994-3007
        ensure(c.prepared is not None, JET_errUpdateNotPrepared)
        if not c.on_sort:
            self.check_nested_transaction(s, thread)  # recupd.cxx 1633, 3004; the update stays prepared
        leaked = isinstance(c.table, Table) and self.off_context(s, thread)
        if leaked:
            self.leak_level(s, read_only=False)  # the write is made, its commit fails (recupd.cxx 1951)
            prepared = c.prepared
        mode, rid, row = c.prepared
        if mode == "replace" and c.image is not None:
            # Changed by another session since the level-0 prepare: the update stays prepared (recupd.cxx 2886).
            ensure(self.current_row(s, c) == c.image, JET_errWriteConflict)
            c.image = None
        c.prepared = None
        if mode == "copy-delete":
            self.write(s, c.table, rid, None)  # the cursor stays on the deleted original
            c.wrote = bool(s.levels)
            mode = "insert"
        if mode == "insert":
            rid = c.table.next_rid
            c.table.next_rid += 1
        self.write(s, c.table, rid, row)  # an insert does not move the cursor
        if mode != "insert":
            c.wrote = bool(s.levels)
        elif s.levels:
            s.inserted.add(c.table)  # ESE inserts through a cursor of its own, not c (recupd.cxx 1667)
        if leaked:
            c.prepared, c.prep_level = prepared, 0  # the update stays prepared
            raise JetError(JET_errSessionSharingViolation)
        return {}

    def JetDelete(self, sesid, tableid, thread=None):
        s = self.session(sesid)
        c = self.cursor(s, tableid)
        ensure(not c.on_sort, JET_errIllegalOperation)  # a sort's ErrIllegalDelete (sortapi.cxx 2912, 2973)
        self.check_updatable(s, c)
        c.prepared = None  # cancelled before the nested transaction and the currency (recupd.cxx 2344-2366)
        self.check_nested_transaction(s, thread)
        leaked = self.off_context(s, thread)
        if leaked:
            self.leak_level(s, read_only=False)  # the delete is made, its commit fails (recupd.cxx 2366, 2471)
        self.current_row(s, c)
        self.check_writable(s, c.table, c.current)
        self.write(s, c.table, c.current, None)
        c.wrote = bool(s.levels)
        ensure(not leaked, JET_errSessionSharingViolation)
        return {}


class Descending:
    """A key part that sorts in reverse (JET_bitColumnTTDescending)."""

    def __init__(self, part):
        self.part = part

    def __lt__(self, other):
        return other.part < self.part

    def __eq__(self, other):
        return self.part == other.part


def stored_value(coltyp, value):
    """ESE stores the bytes it is given, and a JET_coltypLong column takes exactly 4 (fldmod.cxx
    2423-2440): through the protocol an integer is 4 bytes when it fits 32 bits (else 8), and a
    string is its UTF-16LE units, so "ab" is a Long and "abc" is not (JET_errInvalidBufferSize)."""
    if coltyp != JET_coltypLong or value is None:
        return value
    if isinstance(value, str):
        data = value.encode("utf-16-le", "surrogatepass")
        ensure(len(data) == 4, JET_errInvalidBufferSize)
        return struct.unpack("<i", data)[0]
    ensure(-0x80000000 <= value <= 0x7FFFFFFF, JET_errInvalidBufferSize)
    return value
