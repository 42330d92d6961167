"""A tiny in-memory model of the ESE session API, enough for the ese-conformance suite.

It wraps nothing real: instances, sessions, nested transactions with snapshot isolation, databases,
tables, cursors and temp tables are Python objects, and "database files" live in a dict that
survives JetTerm (so a new instance can attach them) but not `reset`. Error codes are ESE's
numbers (oracle/codes.ts in the suite). Two bugs are deliberate (README.md): each is on unless its
name is in `fixes`.
"""
import itertools

JET_errSuccess = 0
JET_errRestoreInProgress = -506
JET_errInvalidParameter = -1003
JET_errInvalidDatabaseId = -1010
JET_errNotInitialized = -1029
JET_errAlreadyInitialized = -1030
JET_errNotInTransaction = -1054
JET_errInstanceNameInUse = -1086
JET_errOutOfSessions = -1101
JET_errWriteConflict = -1102
JET_errTransTooDeep = -1103
JET_errInvalidSesid = -1104
JET_errSesidTableIdMismatch = -1114
JET_errInvalidInstance = -1115
JET_errDatabaseDuplicate = -1201
JET_errDatabaseInUse = -1202
JET_errDatabaseNotFound = -1203
JET_errDatabaseLocked = -1207
JET_errTableLocked = -1302
JET_errTableDuplicate = -1303
JET_errTableInUse = -1304
JET_errObjectNotFound = -1305
JET_errInvalidTableId = -1310
JET_errClientRequestToStopJetService = -1329
JET_errColumnNotFound = -1507
JET_errColumnDuplicate = -1508
JET_errNoCurrentRecord = -1603
JET_errAlreadyPrepared = -1607
JET_errUpdateNotPrepared = -1609
JET_errTooManySorts = -1701
JET_errFileNotFound = -1811
JET_errSessionContextAlreadySet = -1912
JET_errSessionContextNotSetByThisThread = -1913
JET_errSessionInUse = -1914
JET_wrnDatabaseAttached = 1007

JET_paramMaxSessions = 5
JET_paramMaxTemporaryTables = 10
JET_bitDbExclusive = 0x2
JET_bitTableDenyRead = 0x2
JET_bitRollbackAll = 0x1
JET_prepInsert, JET_prepReplace, JET_prepCancel = 0, 2, 3
JET_MoveFirst, JET_MoveLast = -0x80000000, 0x7FFFFFFF

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
        self.rows = {}  # rid -> {columnid: value}, committed
        self.row_seq = {}  # rid -> commit sequence of its last committed change
        self.next_rid = 1


class TempTable:
    """A sort/temp table: private to its cursor, not transactional."""

    def __init__(self, ncolumns):
        self.columns = {"c%d" % (i + 1): i + 1 for i in range(ncolumns)}
        self.rows = {}
        self.next_rid = 1


class Instance:
    def __init__(self, name, params):
        self.name = name
        self.params = dict(params)
        self.initialized = False
        self.stopped = False
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
        self.cursors = set()
        self.dbs = {}  # dbid -> open count
        self.created = []  # [depth, tables, name]: tables created inside the open transaction
        self.deferred = []  # tables whose DenyRead cursor was closed after writing in the transaction
        self.inserted = set()  # tables inserted into in the transaction: ESE's own insert cursor keeps them in use


class Cursor:
    def __init__(self, session, table, grbit=0):
        self.session = session
        self.table = table
        self.grbit = grbit
        self.current = None  # rid
        self.prepared = None  # (prep, rid, buffer)
        self.wrote = False  # wrote inside the open transaction: its close is deferred (ESENT)


class Engine:
    """One fresh process state (what `reset` gives)."""

    def __init__(self, fixes=()):
        self.bugs = {b for b in BUGS if b not in fixes}
        self.files = {}  # filename -> {tablename: Table}: the "database folder"
        self.handles = {}  # handle string -> Instance | Session | Cursor
        self.defaults = {JET_paramMaxSessions: 16, JET_paramMaxTemporaryTables: 20}
        self.commit_seq = 0
        self.term_ended = set()  # sesids that JetTerm ended (for the after-term bug)

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
        return self.lookup(sesid, Session, JET_errInvalidSesid)

    def cursor(self, session, tableid):
        c = self.lookup(tableid, Cursor, JET_errInvalidTableId)
        ensure(c.session is session, JET_errSesidTableIdMismatch)
        return c

    def instance(self, handle):
        return self.lookup(handle, Instance, JET_errInvalidInstance)

    # ---- records ---------------------------------------------------------------------------
    def visible(self, s, table):
        """What session s sees: its snapshot (or the committed rows) under its own levels."""
        if isinstance(table, TempTable):
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
        if isinstance(table, TempTable):
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
        ensure(inst.initialized, JET_errNotInitialized)
        ensure(not inst.stopped, JET_errClientRequestToStopJetService)
        ensure(len(inst.sessions) < inst.params[JET_paramMaxSessions], JET_errOutOfSessions)
        s = Session(inst)
        inst.sessions.add(s)
        return {"sesid": self.issue(s)}

    def JetBeginSession(self, instance, username, password):
        return self.new_session(self.instance(instance))

    def JetDupSession(self, sesid):
        return self.new_session(self.session(sesid).instance)

    def JetEndSession(self, sesid, grbit):
        s = self.session(sesid)  # the grbit is reserved: ESENT never reads it, nor do we
        ensure(s.context is None, JET_errSessionInUse)
        self.end_session(s)
        return {}

    def end_transaction_levels(self, s, depth):
        """Levels above `depth` are gone: undo their DDL; at level 0 release deferred locks."""
        for entry in [e for e in s.created if e[0] > depth]:
            s.created.remove(entry)
            entry[1].pop(entry[2], None)
        if depth == 0:
            s.deferred.clear()
            s.inserted.clear()
            for c in s.cursors:
                c.wrote = False

    def end_session(self, s):
        """JetEndSession's clean-up: roll back every level, close cursors, temp tables, databases."""
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

    def JetSetSessionContext(self, sesid, context, thread=None):
        s = self.session(sesid)
        ensure(s.context is None, JET_errSessionContextAlreadySet)
        s.context = (context, thread)
        return {}

    def JetResetSessionContext(self, sesid, thread=None):
        s = self.session(sesid)
        ensure(s.context is not None and s.context[1] == thread, JET_errSessionContextNotSetByThisThread)
        s.context = None
        return {}

    # ---- transactions ------------------------------------------------------------------------
    def JetBeginTransaction(self, sesid):
        return self.JetBeginTransaction2(sesid, 0)

    def JetBeginTransaction2(self, sesid, grbit):
        s = self.session(sesid)
        ensure(len(s.levels) < LEVEL_MAX, JET_errTransTooDeep)
        if not s.levels:
            s.snapshot = {t: t.rows for t in self.all_tables()}
            s.begin_seq = self.commit_seq
        s.levels.append({})
        return {}

    def JetCommitTransaction(self, sesid, grbit):
        s = self.session(sesid)
        ensure(s.levels, JET_errNotInTransaction)
        top = s.levels.pop()
        for entry in s.created:
            entry[0] = min(entry[0], len(s.levels))
        s.created = [e for e in s.created if e[0] > 0]
        if s.levels:
            for table, rows in top.items():
                s.levels[-1].setdefault(table, {}).update(rows)
        else:
            self.commit_changes(top)
            s.snapshot = None
            self.end_transaction_levels(s, 0)
        return {}

    def JetRollback(self, sesid, grbit):
        s = self.session(sesid)
        ensure(s.levels, JET_errNotInTransaction)
        del s.levels[0 if grbit & JET_bitRollbackAll else -1:]
        self.end_transaction_levels(s, len(s.levels))
        if not s.levels:
            s.snapshot = None
        return {}

    # ---- databases ---------------------------------------------------------------------------
    def JetCreateDatabase(self, sesid, filename, grbit):
        s = self.session(sesid)
        ensure(filename not in self.files, JET_errDatabaseDuplicate)
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
        s.dbs[dbid] -= 1
        if s.dbs[dbid] == 0:
            del s.dbs[dbid]
            if s.instance.exclusive.get(dbid) is s:
                del s.instance.exclusive[dbid]
        return {}

    def tables_of(self, s, dbid):
        ensure(dbid in s.dbs, JET_errInvalidDatabaseId)
        filename = next(f for f, d in s.instance.attached.items() if d == dbid)
        return self.files[filename]

    # ---- tables and cursors -----------------------------------------------------------------
    def open_cursor(self, s, table, grbit=0):
        c = Cursor(s, table, grbit)
        s.cursors.add(c)
        return self.issue(c)

    def close_cursor(self, c, leak_temp=False):
        if isinstance(c.table, TempTable) and not leak_temp:
            c.session.instance.temp_in_use -= 1
        c.session.cursors.discard(c)
        del self.handles[self.handle_of(c)]

    def JetCreateTable(self, sesid, dbid, tablename):
        s = self.session(sesid)
        tables = self.tables_of(s, dbid)
        ensure(tablename not in tables, JET_errTableDuplicate)
        tables[tablename] = Table(tablename)
        if s.levels:
            s.created.append([len(s.levels), tables, tablename])
        return {"tableid": self.open_cursor(s, tables[tablename], JET_bitTableDenyRead)}

    def JetAddColumn(self, sesid, tableid, column, coltyp):
        c = self.cursor(self.session(sesid), tableid)
        ensure(column not in c.table.columns, JET_errColumnDuplicate)
        c.table.columns[column] = len(c.table.columns) + 1
        return {"columnid": c.table.columns[column]}

    def JetOpenTable(self, sesid, dbid, tablename, grbit):
        s = self.session(sesid)
        tables = self.tables_of(s, dbid)
        ensure(tablename in tables, JET_errObjectNotFound)
        table = tables[tablename]
        others = [o for o in self.handles.values() if isinstance(o, Cursor) and o.table is table and o.session is not s]
        ensure(not any(o.grbit & JET_bitTableDenyRead for o in others), JET_errTableLocked)
        ensure(not any(table in o.deferred for o in s.instance.sessions if o is not s), JET_errTableLocked)
        in_use = others or any(table in o.inserted for o in s.instance.sessions if o is not s)
        ensure(not (grbit & JET_bitTableDenyRead and in_use), JET_errTableInUse)
        return {"tableid": self.open_cursor(s, table, grbit)}

    def JetDupCursor(self, sesid, tableid, grbit):
        s = self.session(sesid)
        return {"tableid": self.open_cursor(s, self.cursor(s, tableid).table)}

    def JetCloseTable(self, sesid, tableid):
        s = self.session(sesid)
        c = self.cursor(s, tableid)
        if c.wrote and s.levels and c.grbit & JET_bitTableDenyRead:
            s.deferred.append(c.table)  # the handle dies now, its lock at the end of the transaction
        self.close_cursor(c)
        return {}

    def JetOpenTempTable(self, sesid, columns, grbit):
        s = self.session(sesid)
        inst = s.instance
        if inst.params[JET_paramMaxTemporaryTables] > 0 and not inst.temp_db:
            ensure(len(inst.sessions) < inst.params[JET_paramMaxSessions], JET_errOutOfSessions)
            inst.temp_db = True
        ensure(inst.temp_in_use < inst.params[JET_paramMaxTemporaryTables], JET_errTooManySorts)
        inst.temp_in_use += 1
        table = TempTable(len(columns))
        return {"tableid": self.open_cursor(s, table), "columnids": list(table.columns.values())}

    # ---- records ------------------------------------------------------------------------------
    def JetMove(self, sesid, tableid, cRow, grbit):
        s = self.session(sesid)
        c = self.cursor(s, tableid)
        rids = sorted(self.visible(s, c.table))
        if cRow == JET_MoveFirst:
            target = 0
        elif cRow == JET_MoveLast:
            target = len(rids) - 1
        elif c.current is None:
            target = cRow - 1 if cRow > 0 else len(rids) + cRow  # from before the first / after the last
        else:
            # Records before the current one; a deleted current record still has its place.
            before = sum(1 for r in rids if r < c.current)
            target = before + cRow - (0 if c.current in rids or cRow < 0 else 1)
        if not 0 <= target < len(rids):
            c.current = None
            raise JetError(JET_errNoCurrentRecord)
        c.current = rids[target]
        return {}

    def current_row(self, s, c):
        rows = self.visible(s, c.table)
        ensure(c.current in rows, JET_errNoCurrentRecord)
        return rows[c.current]

    def JetRetrieveColumn(self, sesid, tableid, columnid):
        s = self.session(sesid)
        c = self.cursor(s, tableid)
        ensure(columnid in c.table.columns.values(), JET_errColumnNotFound)
        return {"value": self.current_row(s, c).get(columnid)}

    def JetPrepareUpdate(self, sesid, tableid, prep):
        s = self.session(sesid)
        c = self.cursor(s, tableid)
        if prep == JET_prepCancel:
            c.prepared = None
            return {}
        ensure(c.prepared is None, JET_errAlreadyPrepared)
        if prep == JET_prepInsert:
            c.prepared = (prep, None, {})
        elif prep == JET_prepReplace:
            row = self.current_row(s, c)
            self.check_writable(s, c.table, c.current)
            c.prepared = (prep, c.current, dict(row))
        else:
            raise JetError(JET_errInvalidParameter)
        return {}

    def JetSetColumn(self, sesid, tableid, columnid, value):
        c = self.cursor(self.session(sesid), tableid)
        ensure(c.prepared is not None, JET_errUpdateNotPrepared)
        ensure(columnid in c.table.columns.values(), JET_errColumnNotFound)
        c.prepared[2][columnid] = value
        return {}

    def JetUpdate(self, sesid, tableid):
        s = self.session(sesid)
        c = self.cursor(s, tableid)
        ensure(c.prepared is not None, JET_errUpdateNotPrepared)
        prep, rid, row = c.prepared
        c.prepared = None
        if prep == JET_prepInsert:
            rid = c.table.next_rid
            c.table.next_rid += 1
        self.write(s, c.table, rid, row)
        if prep != JET_prepInsert:
            c.wrote = bool(s.levels)
        elif s.levels:
            s.inserted.add(c.table)  # ESE inserts through a cursor of its own, not c (recupd.cxx 1667)
        return {}

    def JetDelete(self, sesid, tableid):
        s = self.session(sesid)
        c = self.cursor(s, tableid)
        self.current_row(s, c)
        self.check_writable(s, c.table, c.current)
        self.write(s, c.table, c.current, None)
        c.wrote = bool(s.levels)
        return {}
