@doc:remarks
Feature: JetEndSession rolls back every open transaction level
  "This API will rollback any open transactions (not committed to level 0)." Committed work stays.
  Other sessions check both what they read and what they can write: a leaked, still-open transaction
  would keep its write locks and make their updates fail with JET_errWriteConflict.

  Background:
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records

  # The update of record 1 also replaces a long value (JET_coltypLongText, which ESE keeps apart from
  # the record, in the table's LV tree, versioned like it), and the deleted record 2 has one: the
  # rollback restores both committed values (source §3: every level undone, nothing partially
  # committed). s2 added the column and committed the values before.
  @ES-ROLLBACK-LEVEL1 @documented @esent
  Scenario: A level 1 transaction with inserts, an update and a delete is rolled back
    Given sessions s1 and s2
    And s2 has opened table "t1"
    When thread t1 calls JetAddColumn(sesid=s2, tableid=s2.t1, column="l", coltyp=JET_coltypLongText) saving columnid as l
    Then the call returns JET_errSuccess
    When thread t1 calls JetBeginTransaction(sesid=s2)
    And thread t1 calls JetMove(sesid=s2, tableid=s2.t1, cRow=JET_MoveFirst, grbit=0)
    And thread t1 calls JetPrepareUpdate(sesid=s2, tableid=s2.t1, prep=JET_prepReplace)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s2, tableid=s2.t1, columnid=l, value="committed before")
    Then the call returns JET_errSuccess
    When thread t1 calls JetUpdate(sesid=s2, tableid=s2.t1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetMove(sesid=s2, tableid=s2.t1, cRow=JET_MoveNext, grbit=0)
    And thread t1 calls JetPrepareUpdate(sesid=s2, tableid=s2.t1, prep=JET_prepReplace)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s2, tableid=s2.t1, columnid=l, value="committed before, then deleted")
    Then the call returns JET_errSuccess
    When thread t1 calls JetUpdate(sesid=s2, tableid=s2.t1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetCommitTransaction(sesid=s2, grbit=0)
    Then the call returns JET_errSuccess
    Given s1 has a level 1 transaction that inserted 2 records, updated record 1 and deleted record 2 of "t1"
    When thread t1 calls JetMove(sesid=s1, tableid=s1.t1, cRow=JET_MoveFirst, grbit=0)
    And thread t1 calls JetPrepareUpdate(sesid=s1, tableid=s1.t1, prep=JET_prepReplace)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s1, tableid=s1.t1, columnid=l, value="set in the ending transaction")
    Then the call returns JET_errSuccess
    When thread t1 calls JetUpdate(sesid=s1, tableid=s1.t1)
    Then the call returns JET_errSuccess
    When s1 is ended with grbit 0
    Then the call returns, by tier:
      | tier       | returns        |
      | documented | JET_errSuccess |
      | esent      | JET_errSuccess |
    And s1 is gone
    And another session sees exactly the committed records of "t1"
    And another session can update every committed record of "t1" in its own transaction
    And the whole observable state is as ESENT leaves it

  @ES-ROLLBACK-NESTED @documented @esent
  Scenario Outline: A level <depth> transaction is rolled back at every level
    Given session s1
    And s1 has a level <depth> transaction with work at every level of "t1", an inner level committed into level 1
    When s1 is ended with grbit 0
    Then the call returns, by tier:
      | tier       | returns        |
      | documented | JET_errSuccess |
      | esent      | JET_errSuccess |
    And s1 is gone
    And another session sees exactly the committed records of "t1"
    And another session can update every committed record of "t1" in its own transaction
    And the whole observable state is as ESENT leaves it

    Examples:
      | depth |
      | 2     |
      | 3     |
      | 4     |
      | 5     |
      | 6     |
      | 7     |

  @ES-COMMITTED-KEPT @documented @esent
  Scenario: Work committed to level 0 before the end stays visible
    Given session s1
    And s1 has committed 2 inserted records and an update of record 3 of "t1" to level 0
    When s1 is ended with grbit 0
    Then the call returns, by tier:
      | tier       | returns        |
      | documented | JET_errSuccess |
      | esent      | JET_errSuccess |
    And another session sees exactly the committed records of "t1"
    And the whole observable state is as ESENT leaves it

  # s2 commits while s1's transaction is open: a session begun after the end (the observers) must see
  # it in its own transaction too, whatever the ended session's snapshot was. Two transactions that
  # outlive the end see the committed work as snapshot isolation says, before and after it (their
  # views are part of the whole state): s3's, begun before s1's commit, sees none of it and
  # conflicts on record 3; s4's, begun after it, sees it and can update record 3. s5's read-only
  # transaction, begun first, reads its snapshot exactly before the end and after it: none of the
  # ended session's uncommitted work, none of what was committed since.
  @ES-COMMITTED-KEPT @documented @esent
  Scenario: Committed work stays while the open transaction after it is rolled back
    Given sessions s1 and s2
    And sessions s3 and s4
    And session s5
    And s3 has opened table "t1"
    And s4 has opened table "t1"
    And s5 has opened table "t1"
    And s5 has a read-only transaction
    When thread t1 calls JetBeginTransaction(sesid=s3)
    Then the call returns JET_errSuccess
    Given s1 has committed 2 inserted records and an update of record 3 of "t1" to level 0
    When thread t1 calls JetBeginTransaction(sesid=s4)
    Then the call returns JET_errSuccess
    Given s1 has a level 2 transaction with work at every level of "t1", an inner level committed into level 1
    And s2 has inserted record 50 into "t1" outside any transaction
    Then s5 sees exactly what its transaction's snapshot holds of "t1"
    When s1 is ended with grbit 0
    Then the call returns, by tier:
      | tier       | returns        |
      | documented | JET_errSuccess |
      | esent      | JET_errSuccess |
    And s5 sees exactly what its transaction's snapshot holds of "t1"
    And another session sees exactly the committed records of "t1"
    And another session can update every committed record of "t1" in its own transaction
    And the whole observable state is as ESENT leaves it
    When thread t1 calls JetMove(sesid=s3, tableid=s3.t1, cRow=JET_MoveLast, grbit=0)
    And thread t1 calls JetPrepareUpdate(sesid=s3, tableid=s3.t1, prep=JET_prepReplace)
    Then the call returns, by tier:
      | tier       | returns              |
      | documented | JET_errWriteConflict |
      | esent      | JET_errWriteConflict |
    When thread t1 calls JetMove(sesid=s4, tableid=s4.t1, cRow=JET_MoveFirst, grbit=0)
    And thread t1 calls JetMove(sesid=s4, tableid=s4.t1, cRow=2, grbit=0)
    And thread t1 calls JetPrepareUpdate(sesid=s4, tableid=s4.t1, prep=JET_prepReplace)
    Then the call returns, by tier:
      | tier       | returns        |
      | documented | JET_errSuccess |
      | esent      | JET_errSuccess |
    When thread t1 calls JetUpdate(sesid=s4, tableid=s4.t1)
    Then the call returns JET_errSuccess

  # Also a column added to a table committed before (t1): undone alone, the table and its records
  # kept, so another session can add a column of that name again.
  @ES-ROLLBACK-LEVEL1 @documented @esent
  Scenario: A table created and a column added inside the transaction are undone by the end
    Given sessions s1 and s2
    When thread t1 calls JetOpenDatabase(sesid=s1, filename="db1.edb", grbit=0) saving dbid as d1
    And thread t1 calls JetBeginTransaction(sesid=s1)
    And thread t1 calls JetCreateTable(sesid=s1, dbid=d1, tablename="t2") saving tableid as t2
    And thread t1 calls JetAddColumn(sesid=s1, tableid=t2, column="c", coltyp=JET_coltypLong)
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenTable(sesid=s1, dbid=d1, tablename="t1", grbit=0) saving tableid as c1
    And thread t1 calls JetAddColumn(sesid=s1, tableid=c1, column="added", coltyp=JET_coltypLong)
    Then the call returns JET_errSuccess
    When s1 is ended with grbit 0
    Then the call returns JET_errSuccess
    And the whole observable state is as ESENT leaves it
    When thread t1 calls JetOpenDatabase(sesid=s2, filename="db1.edb", grbit=0) saving dbid as d2
    And thread t1 calls JetOpenTable(sesid=s2, dbid=d2, tablename="t2", grbit=0)
    Then the call returns, by tier:
      | tier       | returns                |
      | documented | any error              |
      | esent      | JET_errObjectNotFound  |
    When thread t1 calls JetCreateTable(sesid=s2, dbid=d2, tablename="t2") saving tableid as s2t2
    Then the call returns, by tier:
      | tier       | returns        |
      | documented | JET_errSuccess |
      | esent      | JET_errSuccess |
    And another session sees exactly the committed records of "t1"
    When thread t1 calls JetOpenTable(sesid=s2, dbid=d2, tablename="t1", grbit=0) saving tableid as s2t1
    Then the call returns JET_errSuccess
    When thread t1 calls JetAddColumn(sesid=s2, tableid=s2t1, column="added", coltyp=JET_coltypLong)
    Then the call returns, by tier:
      | tier       | returns        |
      | documented | JET_errSuccess |
      | esent      | JET_errSuccess |

  # The rollback removes the ended transaction's versions: it commits nothing. A session whose own
  # transaction began before the end (snapshot isolation) can therefore still update every record
  # the ended session had changed, without JET_errWriteConflict.
  @ES-ROLLBACK-LEVEL1 @documented @esent
  Scenario: A transaction begun before the end can update the records the rolled-back transaction changed
    Given sessions s1 and s2
    And s2 has opened table "t1"
    And s1 has a level 1 transaction that inserted 2 records, updated record 1 and deleted record 2 of "t1"
    When thread t1 calls JetBeginTransaction(sesid=s2)
    Then the call returns JET_errSuccess
    When s1 is ended with grbit 0
    Then the call returns JET_errSuccess
    And the whole observable state is as ESENT leaves it
    When thread t1 calls JetMove(sesid=s2, tableid=s2.t1, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s2, tableid=s2.t1, prep=JET_prepReplace)
    Then the call returns, by tier:
      | tier       | returns        |
      | documented | JET_errSuccess |
      | esent      | JET_errSuccess |
    When thread t1 calls JetUpdate(sesid=s2, tableid=s2.t1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetMove(sesid=s2, tableid=s2.t1, cRow=JET_MoveNext, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s2, tableid=s2.t1, prep=JET_prepReplace)
    Then the call returns, by tier:
      | tier       | returns        |
      | documented | JET_errSuccess |
      | esent      | JET_errSuccess |
    When thread t1 calls JetUpdate(sesid=s2, tableid=s2.t1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetRollback(sesid=s2, grbit=0)
    Then the call returns JET_errSuccess

  @ES-ROLLBACK-NESTED @documented @esent
  Scenario: A transaction begun before the end can update the records the rolled-back levels changed
    Given sessions s1 and s2
    And s2 has opened table "t1"
    And s1 has a level 3 transaction with work at every level of "t1", an inner level committed into level 1
    When thread t1 calls JetBeginTransaction(sesid=s2)
    Then the call returns JET_errSuccess
    When s1 is ended with grbit 0
    Then the call returns JET_errSuccess
    And the whole observable state is as ESENT leaves it
    When thread t1 calls JetMove(sesid=s2, tableid=s2.t1, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetMove(sesid=s2, tableid=s2.t1, cRow=JET_MoveNext, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s2, tableid=s2.t1, prep=JET_prepReplace)
    Then the call returns, by tier:
      | tier       | returns        |
      | documented | JET_errSuccess |
      | esent      | JET_errSuccess |
    When thread t1 calls JetUpdate(sesid=s2, tableid=s2.t1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetMove(sesid=s2, tableid=s2.t1, cRow=JET_MoveNext, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s2, tableid=s2.t1, prep=JET_prepReplace)
    Then the call returns, by tier:
      | tier       | returns        |
      | documented | JET_errSuccess |
      | esent      | JET_errSuccess |
    When thread t1 calls JetUpdate(sesid=s2, tableid=s2.t1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetRollback(sesid=s2, grbit=0)
    Then the call returns JET_errSuccess

  # The undo covers every table the transaction wrote, in every database the session opened (one
  # transaction, one version store per instance: source §2.2 step 3, every level undone), and a
  # record inserted and deleted again inside the transaction is gone with it: nothing of the
  # transaction is left, in either table.
  @ES-ROLLBACK-LEVEL1 @documented @esent
  Scenario: The end undoes the transaction in both databases it wrote, a record inserted and deleted again included
    Given a database "db2" with a table "t2" holding 3 records
    And sessions s1 and s2
    And s1 has opened table "t1"
    And the columnids of "t1" are saved as k1 and v1
    And s1 has a level 1 transaction that inserted 1 record, updated record 1 and deleted record 2 of "t2"
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=s1.t1, prep=JET_prepInsert)
    And thread t1 calls JetSetColumn(sesid=s1, tableid=s1.t1, columnid=k1, value=201)
    And thread t1 calls JetSetColumn(sesid=s1, tableid=s1.t1, columnid=v1, value="inserted, then deleted")
    And thread t1 calls JetUpdate(sesid=s1, tableid=s1.t1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetMove(sesid=s1, tableid=s1.t1, cRow=JET_MoveLast, grbit=0)
    And thread t1 calls JetRetrieveColumn(sesid=s1, tableid=s1.t1, columnid=k1)
    Then the call returns JET_errSuccess
    And the call's value is 201
    When thread t1 calls JetDelete(sesid=s1, tableid=s1.t1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetMove(sesid=s1, tableid=s1.t1, cRow=JET_MoveFirst, grbit=0)
    And thread t1 calls JetPrepareUpdate(sesid=s1, tableid=s1.t1, prep=JET_prepReplace)
    And thread t1 calls JetSetColumn(sesid=s1, tableid=s1.t1, columnid=v1, value="s1 update of t1")
    And thread t1 calls JetUpdate(sesid=s1, tableid=s1.t1)
    Then the call returns JET_errSuccess
    When s1 is ended with grbit 0
    Then the call returns, by tier:
      | tier       | returns        |
      | documented | JET_errSuccess |
      | esent      | JET_errSuccess |
    And s1 is gone
    And another session sees exactly the committed records of "t1"
    And another session sees exactly the committed records of "t2"
    And another session can update every committed record of "t1" in its own transaction
    And another session can update every committed record of "t2" in its own transaction
    And the whole observable state is as ESENT leaves it

  # An update prepared and never applied writes nothing: the rollback discards the copy buffers and
  # prepared updates of every level it undoes (source §2.2 step 3), whatever JetSetColumn put in them.
  @ES-ROLLBACK-LEVEL1 @documented @esent
  Scenario: An insert and a replace prepared with their columns set and never applied are discarded by the end
    Given sessions s1 and s2
    And s1 has opened table "t1"
    And the columnids of "t1" are saved as k and v
    When thread t1 calls JetDupCursor(sesid=s1, tableid=s1.t1, grbit=0) saving tableid as c2
    Then the call returns JET_errSuccess
    Given s1 has a level 1 transaction that inserted 1 record of "t1"
    When thread t1 calls JetMove(sesid=s1, tableid=c2, cRow=JET_MoveFirst, grbit=0)
    And thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c2, prep=JET_prepReplace)
    And thread t1 calls JetSetColumn(sesid=s1, tableid=c2, columnid=v, value="prepared, never applied")
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=s1.t1, prep=JET_prepInsert)
    And thread t1 calls JetSetColumn(sesid=s1, tableid=s1.t1, columnid=k, value=301)
    And thread t1 calls JetSetColumn(sesid=s1, tableid=s1.t1, columnid=v, value="prepared, never applied")
    Then the call returns JET_errSuccess
    When s1 is ended with grbit 0
    Then the call returns, by tier:
      | tier       | returns        |
      | documented | JET_errSuccess |
      | esent      | JET_errSuccess |
    And s1 is gone
    And another session sees exactly the committed records of "t1"
    And another session can update every committed record of "t1" in its own transaction
    And the whole observable state is as ESENT leaves it

  # Level 2 deletes a committed record and the record level 1 inserted, and is committed into level
  # 1: the deletes are level 1's work now, not committed to level 0, and the end undoes them with it
  # ("any open transactions (not committed to level 0)"): the committed record is back, the inserted
  # one gone.
  @ES-ROLLBACK-NESTED @documented @esent
  Scenario: Deletes committed from level 2 into level 1 are undone by the end, the record level 1 inserted staying gone
    Given sessions s1 and s2
    And s1 has opened table "t1"
    And the columnids of "t1" are saved as k and v
    And s1 has a level 1 transaction that inserted 1 record of "t1"
    When thread t1 calls JetBeginTransaction(sesid=s1)
    And thread t1 calls JetMove(sesid=s1, tableid=s1.t1, cRow=JET_MoveLast, grbit=0)
    And thread t1 calls JetRetrieveColumn(sesid=s1, tableid=s1.t1, columnid=k)
    Then the call returns JET_errSuccess
    And the call's value is 101
    When thread t1 calls JetDelete(sesid=s1, tableid=s1.t1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetMove(sesid=s1, tableid=s1.t1, cRow=JET_MoveFirst, grbit=0)
    And thread t1 calls JetDelete(sesid=s1, tableid=s1.t1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetCommitTransaction(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetBeginTransaction(sesid=s1)
    And thread t1 calls JetMove(sesid=s1, tableid=s1.t1, cRow=JET_MoveFirst, grbit=0)
    And thread t1 calls JetPrepareUpdate(sesid=s1, tableid=s1.t1, prep=JET_prepReplace)
    And thread t1 calls JetSetColumn(sesid=s1, tableid=s1.t1, columnid=v, value="s1 level 2")
    And thread t1 calls JetUpdate(sesid=s1, tableid=s1.t1)
    Then the call returns JET_errSuccess
    When s1 is ended with grbit 0
    Then the call returns, by tier:
      | tier       | returns        |
      | documented | JET_errSuccess |
      | esent      | JET_errSuccess |
    And s1 is gone
    And another session sees exactly the committed records of "t1"
    And another session can update every committed record of "t1" in its own transaction
    And the whole observable state is as ESENT leaves it

  # s2 commits record 50 while s1's transaction, which inserted a record, is open. The end undoes
  # s1's insert and nothing else: record 50 stays, and so it does when new records are inserted
  # after the end (the end gives nothing back that committed records use).
  @ES-COMMITTED-KEPT @documented @esent
  Scenario: A record committed while the ended transaction was open stays when records are inserted after the end
    Given sessions s1 and s2
    And s1 has a level 1 transaction that inserted 1 record of "t1"
    And s2 has inserted record 50 into "t1" outside any transaction
    When s1 is ended with grbit 0
    Then the call returns, by tier:
      | tier       | returns        |
      | documented | JET_errSuccess |
      | esent      | JET_errSuccess |
    And another session sees exactly the committed records of "t1"
    And the whole observable state is as ESENT leaves it
    Given s2 has inserted record 51 into "t1" outside any transaction
    And s2 has inserted record 52 into "t1" outside any transaction
    Then another session sees exactly the committed records of "t1"
    And another session can update every committed record of "t1" in its own transaction

  # JetPrepareUpdate(JET_prepReplace) inside a transaction write-locks the record at once
  # (fldmod.cxx 1116-1154: ErrDIRGetLock, a version of the transaction), so another session's
  # replace of it is JET_errWriteConflict while the transaction is open; the end rolls the
  # transaction back, the lock with it, and the same session's transaction, begun before the end,
  # can then replace the record.
  @ES-ROLLBACK-LEVEL1 @esent
  Scenario: A replace prepared and never applied holds its record against another session until the end
    Given sessions s1 and s2
    And s2 has opened table "t1"
    And the columnids of "t1" are saved as k and v
    And s1 has a level 1 transaction that inserted 1 record of "t1"
    And s1 has prepared a replace of record 2 of "t1" without applying it
    When thread t1 calls JetBeginTransaction(sesid=s2)
    And thread t1 calls JetMove(sesid=s2, tableid=s2.t1, cRow=JET_MoveFirst, grbit=0)
    And thread t1 calls JetMove(sesid=s2, tableid=s2.t1, cRow=JET_MoveNext, grbit=0)
    And thread t1 calls JetRetrieveColumn(sesid=s2, tableid=s2.t1, columnid=k)
    Then the call returns JET_errSuccess
    And the call's value is 2
    When thread t1 calls JetPrepareUpdate(sesid=s2, tableid=s2.t1, prep=JET_prepReplace)
    Then the call returns JET_errWriteConflict
    When s1 is ended with grbit 0
    Then the call returns, by tier:
      | tier  | returns        |
      | esent | JET_errSuccess |
    And s1 is gone
    And the whole observable state is as ESENT leaves it
    When thread t1 calls JetPrepareUpdate(sesid=s2, tableid=s2.t1, prep=JET_prepReplace)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetColumn(sesid=s2, tableid=s2.t1, columnid=v, value="s2 after the end")
    And thread t1 calls JetUpdate(sesid=s2, tableid=s2.t1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetCommitTransaction(sesid=s2, grbit=0)
    Then the call returns JET_errSuccess
