@doc:remarks
Feature: What survives the end, later
  "This API will rollback any open transactions (not committed to level 0)." What the end rolled back
  stays rolled back and what was committed stays committed, not only in the live instance: in the
  database files after a clean term, and after a dirty term and the recovery of the next JetInit
  (ese-source-notes.md §3: EndSession does not wait for the log; a lazy commit keeps its usual
  crash-durability window, so a clean term is where such a commit must be found).

  # JET_bitTermDirty ends the instance without clean-up; the next JetInit replays its logs
  # (recovery). A rollback the end did only in memory, or commits whose log the end dropped with
  # the session, show there.
  @ES-ROLLBACK-LEVEL1 @documented @esent
  Scenario: What the end rolled back stays rolled back, and what was committed stays, through a dirty term and the recovery
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And session s1
    And s1 has committed 2 inserted records and an update of record 3 of "t1" to level 0
    And s1 has a level 1 transaction that inserted 2 records, updated record 1 and deleted record 2 of "t1"
    When s1 is ended with grbit 0
    Then the call returns, by tier:
      | tier       | returns        |
      | documented | JET_errSuccess |
      | esent      | JET_errSuccess |
    And another session sees exactly the committed records of "t1"
    # The term's own code is not the point here (ESENT answers JET_errDirtyShutdown): what the file holds is.
    When thread t1 calls JetTerm2(instance=i1, grbit=JET_bitTermDirty)
    Then the call returns, by tier:
      | tier       | returns                                |
      | documented | JET_errSuccess or JET_errDirtyShutdown |
      | esent      | JET_errSuccess or JET_errDirtyShutdown |
    And a new instance started after the term finds exactly the committed records of "t1" in the database

  # A clean term flushes every commit, lazy ones included: a commit made with
  # JET_bitCommitLazyFlush (0x1; not in the catalogue copy's names) by a session ended before the
  # term is in the file afterwards, and the update and delete the end rolled back are not.
  @ES-COMMITTED-KEPT @documented @esent
  Scenario: A commit with JET_bitCommitLazyFlush before the end is in the database after a clean term
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And session s1
    And s1 has a level 1 transaction that inserted 2 records and updated record 1 of "t1"
    When s1 commits its transaction with 0x1
    Then the call returns JET_errSuccess
    And s1 has a level 1 transaction that inserted 0 records, updated record 3 and deleted record 2 of "t1"
    When s1 is ended with grbit 0
    Then the call returns, by tier:
      | tier       | returns        |
      | documented | JET_errSuccess |
      | esent      | JET_errSuccess |
    And another session sees exactly the committed records of "t1"
    When thread t1 calls JetTerm2(instance=i1, grbit=JET_bitTermComplete)
    Then the call returns JET_errSuccess
    And a new instance started after the term finds exactly the committed records of "t1" in the database

  # A temp table's records go with it: a temp table opened afterwards, on the slot the end freed
  # (MaxTemporaryTables 1), has none. Its first JetMove ends the sort's insert mode; with no
  # record there is nothing to move to: any error in the documented tier, JET_errNoCurrentRecord in
  # ESENT (the ESENT-flavour engine under Wine answered -1603).
  @ES-SORTS-CLOSED @documented @esent
  Scenario: A temp table opened on the slot the end freed holds none of the ended session's records
    Given an initialized instance with MaxTemporaryTables 1
    And sessions s1 and s2
    When thread t1 calls JetOpenTempTable(sesid=s1, columns=[{"coltyp":4,"grbit":64}], grbit=0) saving tableid as c1 and columnids as k
    Then the call returns JET_errSuccess
    When thread t1 calls JetPrepareUpdate(sesid=s1, tableid=c1, prep=JET_prepInsert)
    And thread t1 calls JetSetColumn(sesid=s1, tableid=c1, columnid=k.0, value=5)
    And thread t1 calls JetUpdate(sesid=s1, tableid=c1)
    Then the call returns JET_errSuccess
    When s1 is ended with grbit 0
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenTempTable(sesid=s2, columns=[{"coltyp":4,"grbit":64}], grbit=0) saving tableid as c2 and columnids as k2
    Then the call returns JET_errSuccess
    When thread t1 calls JetMove(sesid=s2, tableid=c2, cRow=JET_MoveFirst, grbit=0)
    Then the call returns, by tier:
      | tier       | returns                |
      | documented | any error              |
      | esent      | JET_errNoCurrentRecord |
