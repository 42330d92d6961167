@doc:remarks
Feature: What the session has open in less plain shapes, and what JetEndSession closes of it
  "Also all cursors associated with this session, and any sort tables that have been created or
  opened will be cleaned up", and nothing of another session's. Here the session's open things
  are held through duplicates, partly closed before the end, or next to another session's, and
  each is observed from another session through the lock or the limit it holds.

  # A duplicate of a sort is one more cursor on the same sort, and a duplicate of a duplicate too:
  # the sort keeps its MaxTemporaryTables slot until the last cursor on it is closed (SORTClose,
  # sort.cxx 769-810), here the end's close of the last duplicate. An empty sort's first move ends
  # its insert phase (-1603), after which it can be duplicated.
  @ES-SORTS-CLOSED @documented @esent
  Scenario: A sort held through a chain of duplicates keeps its slot until the end closes the last of them
    Given an initialized instance with MaxTemporaryTables 1
    And sessions s1 and s2
    When thread t1 calls JetOpenTempTable(sesid=s1, columns=[{"coltyp":4,"grbit":64}], grbit=0) saving tableid as c1
    Then the call returns JET_errSuccess
    When thread t1 calls JetMove(sesid=s1, tableid=c1, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errNoCurrentRecord
    When thread t1 calls JetDupCursor(sesid=s1, tableid=c1, grbit=0) saving tableid as c2
    Then the call returns JET_errSuccess
    When thread t1 calls JetDupCursor(sesid=s1, tableid=c2, grbit=0) saving tableid as c3
    Then the call returns JET_errSuccess
    When thread t1 calls JetCloseTable(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetCloseTable(sesid=s1, tableid=c2)
    Then the call returns JET_errSuccess
    When s2 opens a temp table
    Then the call returns, by tier:
      | tier       | returns             |
      | documented | any error           |
      | esent      | JET_errTooManySorts |
    When s1 is ended with grbit 0
    Then the call returns JET_errSuccess
    And the whole observable state is as ESENT leaves it
    When s2 opens a temp table
    Then the call returns, by tier:
      | tier       | returns        |
      | documented | JET_errSuccess |
      | esent      | JET_errSuccess |

  # JetCloseDatabase is the end's own close of a database (ErrDBCloseDatabase, db.cxx 6394-6455):
  # each call takes one open away, and the last one closes the session's cursors on the database.
  # The session opened db1 twice (once itself, once with its table); after the first close its
  # DenyRead cursor stays, after the second it is gone, and the end finds nothing of db1 to close.
  @ES-CURSORS-CLOSED @esent
  Scenario: A cursor on a database the session closed goes with the last close, before the end
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And sessions s1 and s2
    When thread t1 calls JetOpenDatabase(sesid=s1, filename="db1.edb", grbit=0) saving dbid as d1
    Then the call returns JET_errSuccess
    Given s1 has opened table "t1" with JET_bitTableDenyRead
    And s2 has opened database "db1"
    When thread t1 calls JetCloseDatabase(sesid=s1, dbid=d1, grbit=0)
    Then the call returns JET_errSuccess
    When s2 opens table "t1"
    Then the call returns, by tier:
      | tier  | returns            |
      | esent | JET_errTableLocked |
    When thread t1 calls JetCloseDatabase(sesid=s1, dbid=d1, grbit=0)
    Then the call returns JET_errSuccess
    When s2 opens table "t1"
    Then the call returns, by tier:
      | tier  | returns        |
      | esent | JET_errSuccess |
    When s1 is ended with grbit 0
    Then the call returns JET_errSuccess
    And the whole observable state is as ESENT leaves it
    When s2 opens table "t1"
    Then the call returns, by tier:
      | tier  | returns        |
      | esent | JET_errSuccess |

  # A cursor another session closed inside its open transaction after writing keeps its
  # JET_bitTableDenyWrite lock until that transaction ends (Errata 7). The end of a session that
  # had a cursor on the same table releases nothing of it: an updatable open by a third session is
  # refused before and after the end, and allowed once the other session commits.
  @ES-OTHER-SESSIONS-UNTOUCHED @esent @source:errata-7
  Scenario: Another session's cursor closed in its open transaction keeps its lock through the end of a session on the same table
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And sessions s1 and s2
    And session s3
    And s2 has opened table "t1" with JET_bitTableDenyWrite
    And s2 has a level 1 transaction that inserted 2 records and updated record 1 of "t1"
    When thread t1 calls JetCloseTable(sesid=s2, tableid=s2.t1)
    Then the call returns JET_errSuccess
    Given s1 has opened table "t1"
    And s3 has opened database "db1"
    When s3 opens table "t1" with JET_bitTableUpdatable
    Then the call returns, by tier:
      | tier  | returns            |
      | esent | JET_errTableLocked |
    When s1 is ended with grbit 0
    Then the call returns, by tier:
      | tier  | returns        |
      | esent | JET_errSuccess |
    And the whole observable state is as ESENT leaves it
    When s3 opens table "t1" with JET_bitTableUpdatable
    Then the call returns, by tier:
      | tier  | returns            |
      | esent | JET_errTableLocked |
    When s2 commits its transaction
    Then the call returns JET_errSuccess
    When s3 opens table "t1" with JET_bitTableUpdatable
    Then the call returns, by tier:
      | tier  | returns        |
      | esent | JET_errSuccess |

  # JetCreateTable returns a cursor on the new table, opened exclusively (a DenyRead lock): a cursor
  # of the session like any JetOpenTable's, which the end closes with the others.
  @ES-CURSORS-CLOSED @documented @esent
  Scenario: The cursor JetCreateTable returned is closed by the end and its exclusive lock released
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And sessions s1 and s2
    When thread t1 calls JetOpenDatabase(sesid=s1, filename="db1.edb", grbit=0) saving dbid as d1
    Then the call returns JET_errSuccess
    When thread t1 calls JetCreateTable(sesid=s1, dbid=d1, tablename="t2") saving tableid as c1
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenDatabase(sesid=s2, filename="db1.edb", grbit=0) saving dbid as d2
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenTable(sesid=s2, dbid=d2, tablename="t2", grbit=0)
    Then the call returns, by tier:
      | tier       | returns            |
      | documented | any error          |
      | esent      | JET_errTableLocked |
    When s1 is ended with grbit 0
    Then the call returns JET_errSuccess
    And the whole observable state is as ESENT leaves it
    When thread t1 calls JetOpenTable(sesid=s2, dbid=d2, tablename="t2", grbit=0)
    Then the call returns, by tier:
      | tier       | returns        |
      | documented | JET_errSuccess |
      | esent      | JET_errSuccess |
