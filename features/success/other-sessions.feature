@doc:remarks
Feature: What JetEndSession leaves of the other sessions and instances
  "All resources related to this session are cleaned up": the session's, and no other's. Here the
  other sessions hold what the end must not touch in less plain shapes: a cursor opened, moved and
  prepared inside their own transaction, inserts and a table and a column made in their transaction,
  a transaction that belongs to a thread, a session made by JetDupSession from the ending one or the
  one it was made from, and another instance's exclusive open. Each is observed after the end, and
  then used by its own session.

  # The other session's cursor lives in its own transaction: opened there, moved there, a replace
  # prepared there. The end rolls back the ending session's levels only, on the same table: the cursor
  # stays on its record with its update prepared (applied after the end), and it still belongs to the
  # level it was opened at, so the other session's own rollback closes it (ErrIsamRollback closes the
  # cursors opened at a level it undoes, tm.cxx 1955-2014; the tableid then answers -1310).
  @ES-OTHER-SESSIONS-UNTOUCHED @documented @esent
  Scenario: Another session's cursor opened, moved and prepared inside its own transaction keeps its record, update and level
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And sessions s1 and s2
    And the columnids of "t1" are saved as k and v
    When thread t1 calls JetBeginTransaction(sesid=s2)
    Then the call returns JET_errSuccess
    Given s2 has opened table "t1" as cursor c2 inside its innermost transaction level
    When thread t1 calls JetMove(sesid=s2, tableid=c2, cRow=JET_MoveFirst, grbit=0)
    And thread t1 calls JetMove(sesid=s2, tableid=c2, cRow=JET_MoveNext, grbit=0)
    And thread t1 calls JetPrepareUpdate(sesid=s2, tableid=c2, prep=JET_prepReplace)
    Then the call returns JET_errSuccess
    Given s1 has a level 1 transaction that inserted 2 records and updated record 1 of "t1"
    When s1 is ended with grbit 0
    Then the call returns, by tier:
      | tier       | returns        |
      | documented | JET_errSuccess |
      | esent      | JET_errSuccess |
    And the whole observable state is as ESENT leaves it
    When thread t1 calls JetSetColumn(sesid=s2, tableid=c2, columnid=v, value="s2 after the end")
    Then the call returns, by tier:
      | tier       | returns        |
      | documented | JET_errSuccess |
      | esent      | JET_errSuccess |
    When thread t1 calls JetUpdate(sesid=s2, tableid=c2)
    Then the call returns, by tier:
      | tier       | returns        |
      | documented | JET_errSuccess |
      | esent      | JET_errSuccess |
    When thread t1 calls JetRetrieveColumn(sesid=s2, tableid=c2, columnid=k)
    Then the call returns JET_errSuccess
    And the call's value is 2
    When thread t1 calls JetRollback(sesid=s2, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetMove(sesid=s2, tableid=c2, cRow=JET_MoveFirst, grbit=0)
    Then the call returns, by tier:
      | tier       | returns               |
      | documented | anything              |
      | esent      | JET_errInvalidTableId |
    And the whole observable state is as ESENT leaves it
    And another session sees exactly the committed records of "t1"

  # The ending session is a duplicate of the other one: JetDupSession begins a new, independent
  # session on the instance (ese-source-notes.md, JetDupSession). The other session's transaction
  # inserted into "t1" through a cursor it then closed (ESE's own insert cursor keeps the table in use
  # until that transaction ends, Errata 7), and created a table with a column. The duplicate's end
  # undoes none of it: the table, its column and the in-use table stay, and the other session commits
  # them (a record then takes a value in the new column).
  @ES-OTHER-SESSIONS-UNTOUCHED @documented @esent
  Scenario: A duplicate's end leaves the transaction of the session it was made from: its inserts, its table and its column
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And session s2
    When thread t1 calls JetDupSession(sesid=s2) saving sesid as s1
    Then the call returns JET_errSuccess
    Given s2 has a level 1 transaction that inserted 2 records of "t1"
    When thread t1 calls JetCloseTable(sesid=s2, tableid=s2.t1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenDatabase(sesid=s2, filename="db1.edb", grbit=0) saving dbid as d2
    And thread t1 calls JetCreateTable(sesid=s2, dbid=d2, tablename="t9") saving tableid as c9
    And thread t1 calls JetAddColumn(sesid=s2, tableid=c9, column="c", coltyp=JET_coltypLong) saving columnid as cc
    Then the call returns JET_errSuccess
    Given s1 has a level 1 transaction that inserted 2 records of "t1"
    When s1 is ended with grbit 0
    Then the call returns, by tier:
      | tier       | returns        |
      | documented | JET_errSuccess |
      | esent      | JET_errSuccess |
    And the whole observable state is as ESENT leaves it
    Given session s3
    And s3 has opened database "db1"
    When s3 opens table "t1" with JET_bitTableDenyRead
    Then the call returns, by tier:
      | tier       | returns           |
      | documented | anything          |
      | esent      | JET_errTableInUse |
    When s2 commits its transaction
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s2, tableid=c9, prep=JET_prepInsert)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s2, tableid=c9, columnid=cc, value=7)
    Then the call returns, by tier:
      | tier       | returns        |
      | documented | JET_errSuccess |
      | esent      | JET_errSuccess |
    When thread t1 calls JetUpdate(sesid=s2, tableid=c9)
    Then the call returns JET_errSuccess
    And the whole observable state is as ESENT leaves it
    And another session sees exactly the committed records of "t1"

  # The other way round: a session duplicated from the ending one is a session of its own, not a part
  # of its source. The end of the source leaves it, its transaction and its cursor, and it commits.
  @ES-OTHER-SESSIONS-UNTOUCHED @documented @esent
  Scenario: A session duplicated from the ending one stays, with its transaction and cursor
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And session s1
    When thread t1 calls JetDupSession(sesid=s1) saving sesid as s2
    Then the call returns JET_errSuccess
    Given s2 has a level 1 transaction that inserted 1 record and updated record 1 of "t1"
    And s1 has a level 1 transaction that inserted 2 records and updated record 2 of "t1"
    When s1 is ended with grbit 0
    Then the call returns, by tier:
      | tier       | returns        |
      | documented | JET_errSuccess |
      | esent      | JET_errSuccess |
    And the whole observable state is as ESENT leaves it
    When s2 commits its transaction
    Then the call returns JET_errSuccess
    And another session sees exactly the committed records of "t1"

  # Another session's transaction begun on t1 without a context belongs to t1 (ErrDIRBeginTransaction's
  # check, dir.cxx 1872-1879). The end of a session on t1 changes nothing of that: t2 still cannot
  # nest it, and t1 commits it.
  @ES-OTHER-SESSIONS-UNTOUCHED @documented @esent @needs:threads
  Scenario: Another session's transaction stays bound to its thread when a session is ended on that thread
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And sessions s1 and s2
    And s2 has a level 1 transaction that inserted 1 record and updated record 1 of "t1"
    And s1 has a level 1 transaction that inserted 2 records of "t1"
    When thread t1 ends s1 with grbit 0
    Then the call returns, by tier:
      | tier       | returns        |
      | documented | JET_errSuccess |
      | esent      | JET_errSuccess |
    And the whole observable state is as ESENT leaves it
    When thread t2 calls JetBeginTransaction(sesid=s2)
    Then the call returns, by tier:
      | tier       | returns                        |
      | documented | anything                       |
      | esent      | JET_errSessionSharingViolation |
    When s2 commits its transaction
    Then the call returns JET_errSuccess
    And another session sees exactly the committed records of "t1"

  # Another instance's session holds its own database exclusively. The end of a session that had a
  # database open in the first instance closes that session's databases only: the other instance's
  # exclusive open stays, whatever dbid either database has.
  @ES-OTHER-SESSIONS-UNTOUCHED @documented @esent
  Scenario: Another instance's exclusive open of its database stays through the end
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And session s1
    And s1 has opened database "db1"
    And another initialized instance "i2"
    And session s7 of instance "i2"
    When thread t1 calls JetCreateDatabase(sesid=s7, filename="db7.edb", grbit=0) saving dbid as d7
    And thread t1 calls JetCloseDatabase(sesid=s7, dbid=d7, grbit=0)
    And thread t1 calls JetOpenDatabase(sesid=s7, filename="db7.edb", grbit=JET_bitDbExclusive)
    Then the call returns JET_errSuccess
    When s1 is ended with grbit 0
    Then the call returns, by tier:
      | tier       | returns        |
      | documented | JET_errSuccess |
      | esent      | JET_errSuccess |
    And the whole observable state is as ESENT leaves it

  # ESE inserts through a cursor of its own, defer-closed after the insert: it keeps the table in use
  # until the transaction ends (Errata 7), also after the session closed its database, for
  # ErrDBCloseDatabase skips defer-closed cursors (db.cxx 6394-6455). Another session inserted into the
  # same table, and its end releases nothing of that: a JET_bitTableDenyRead open is refused until the
  # inserting session commits.
  @ES-OTHER-SESSIONS-UNTOUCHED @esent @source:errata-7
  Scenario: Another session's inserts keep their table in use through the end of a session that inserted into it too
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And sessions s1 and s2
    And session s3
    And s2 has a level 1 transaction that inserted 2 records of "t1"
    When thread t1 calls JetOpenDatabase(sesid=s2, filename="db1.edb", grbit=0) saving dbid as d2
    And thread t1 calls JetCloseTable(sesid=s2, tableid=s2.t1)
    And thread t1 calls JetCloseDatabase(sesid=s2, dbid=d2, grbit=0)
    And thread t1 calls JetCloseDatabase(sesid=s2, dbid=d2, grbit=0)
    Then the call returns JET_errSuccess
    Given s1 has a level 1 transaction that inserted 2 records of "t1"
    When thread t1 calls JetOpenDatabase(sesid=s3, filename="db1.edb", grbit=0) saving dbid as d3
    Then the call returns JET_errSuccess
    When s1 is ended with grbit 0
    Then the call returns, by tier:
      | tier  | returns        |
      | esent | JET_errSuccess |
    And the whole observable state is as ESENT leaves it
    When thread t1 calls JetOpenTable(sesid=s3, dbid=d3, tablename="t1", grbit=JET_bitTableDenyRead)
    Then the call returns, by tier:
      | tier  | returns           |
      | esent | JET_errTableInUse |
    When s2 commits its transaction
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenTable(sesid=s3, dbid=d3, tablename="t1", grbit=JET_bitTableDenyRead) saving tableid as x3
    Then the call returns, by tier:
      | tier  | returns                                     |
      | esent | JET_errSuccess or JET_wrnTableInUseBySystem |
    When thread t1 calls JetCloseTable(sesid=s3, tableid=x3)
    Then the call returns JET_errSuccess
    And another session sees exactly the committed records of "t1"
