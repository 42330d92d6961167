@doc:remarks
Feature: The whole state JetEndSession leaves
  "All resources related to this session are cleaned up", and nothing else changes. Each scenario
  puts one more kind of resource in the session's hands (or in another session's, or another
  instance's) and checks everything another session, the handles and the limits can see afterwards.
  Temp tables here have a key column: open sorts, each holding a MaxTemporaryTables slot.

  @ES-SORTS-CLOSED @documented @esent
  Scenario: Temp tables opened inside the ending transaction free their slots too
    Given an initialized instance with MaxTemporaryTables 4
    And a database "db1" with a table "t1" holding 3 records
    And sessions s1 and s2
    And s1 holds 1 temp table
    And s1 has a level 1 transaction that inserted 1 record of "t1"
    And s1 holds 2 temp tables
    And s2 holds 1 temp table
    When s1 is ended with grbit 0
    Then the call returns, by tier:
      | tier       | returns        |
      | documented | JET_errSuccess |
      | esent      | JET_errSuccess |
    And s1 is gone
    And the whole observable state is as ESENT leaves it

  @ES-ROLLBACK-LEVEL1 @documented @esent
  Scenario: A replace prepared and never applied gives its write lock back
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And session s1
    And s1 has a level 1 transaction that inserted 1 record of "t1"
    And s1 has prepared a replace of record 2 of "t1" without applying it
    When s1 is ended with grbit 0
    Then the call returns, by tier:
      | tier       | returns        |
      | documented | JET_errSuccess |
      | esent      | JET_errSuccess |
    And s1 is gone
    And the whole observable state is as ESENT leaves it
    And another session can update every committed record of "t1" in its own transaction

  @ES-ROLLBACK-LEVEL1 @documented @esent
  Scenario: A read-only transaction ends with the session
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And session s1
    And s1 has opened table "t1"
    And s1 has a read-only transaction
    When s1 is ended with grbit 0
    Then the call returns, by tier:
      | tier       | returns        |
      | documented | JET_errSuccess |
      | esent      | JET_errSuccess |
    And s1 is gone
    And the whole observable state is as ESENT leaves it

  @ES-COMMITTED-KEPT @documented @esent
  Scenario: A write made outside any transaction stays
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And session s1
    And s1 has inserted record 50 into "t1" outside any transaction
    And s1 has a level 1 transaction that inserted 1 record and updated record 50 of "t1"
    When s1 is ended with grbit 0
    Then the call returns, by tier:
      | tier       | returns        |
      | documented | JET_errSuccess |
      | esent      | JET_errSuccess |
    And another session sees exactly the committed records of "t1"
    And the whole observable state is as ESENT leaves it

  @ES-CURSORS-CLOSED @documented @esent
  Scenario Outline: A cursor opened with <lock> gives its table lock back
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And sessions s1 and s2
    And s1 has opened table "t1" with <grbit>
    # Another instance has a table of the same name, locked by its own session (JetCreateTable opens
    # it with JET_bitTableDenyRead): the end gives back the locks of the session's own cursors only.
    And another initialized instance "i2"
    And session s7 of instance "i2"
    When thread t1 calls JetCreateDatabase(sesid=s7, filename="db7.edb", grbit=0) saving dbid as d7
    And thread t1 calls JetCreateTable(sesid=s7, dbid=d7, tablename="t1")
    Then the call returns JET_errSuccess
    When s1 is ended with grbit 0
    Then the call returns, by tier:
      | tier       | returns        |
      | documented | JET_errSuccess |
      | esent      | JET_errSuccess |
    And the whole observable state is as ESENT leaves it

    Examples:
      | lock                 | grbit                 |
      | DenyWrite            | JET_bitTableDenyWrite |
      | DenyRead             | JET_bitTableDenyRead  |
      | DenyRead + DenyWrite | 0x3                   |

  @ES-DATABASES-CLOSED @documented @esent
  Scenario: Two databases, one opened twice and one exclusively, are both closed
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And a database "db2" with a table "t2" holding 2 records
    And session s1
    And s1 has opened database "db1" 2 times
    And s1 has opened database "db2" exclusively
    When s1 is ended with grbit 0
    Then the call returns, by tier:
      | tier       | returns        |
      | documented | JET_errSuccess |
      | esent      | JET_errSuccess |
    And the whole observable state is as ESENT leaves it

  @ES-OTHER-SESSIONS-UNTOUCHED @documented @esent
  Scenario: Another session's cursors, temp tables, transaction and context, and another instance, are untouched
    Given an initialized instance with MaxTemporaryTables 3
    And a database "db1" with a table "t1" holding 3 records
    And sessions s1 and s2
    And another instance "i2" with session s7 in a level 1 transaction on a table "t2" of database "db2"
    And s2 has opened table "t1" with JET_bitTableDenyWrite
    And s2 holds 1 temp table
    And s2 has a level 1 transaction that inserted 1 record and updated record 1 of "t1"
    And thread t1 has set the session context of s2 to 0x77
    And s1 holds 1 temp table
    And s1 has a level 2 transaction with work at every level of "t1", an inner level committed into level 1
    When s1 is ended with grbit 0
    Then the call returns, by tier:
      | tier       | returns        |
      | documented | JET_errSuccess |
      | esent      | JET_errSuccess |
    And the whole observable state is as ESENT leaves it
    And s2 still sees its own uncommitted work in "t1"
    # s2's cursor wrote in s2's open transaction: closed now, it keeps its DenyWrite lock and its
    # cursor slot until that transaction ends (Errata 7), whatever the end did on the same table.
    When thread t1 calls JetCloseTable(sesid=s2, tableid=s2.t1)
    Then the call returns JET_errSuccess
    And the whole observable state is as ESENT leaves it

  # A context another thread set on an idle session belongs to that session and that thread: the end
  # leaves it set, opens no level in it, and the whole-state probes (which must call on the context's
  # thread to leave its levels alone) see it as it was.
  @ES-OTHER-SESSIONS-UNTOUCHED @documented @esent @needs:threads
  Scenario: Another session's context, set on another thread with no transaction, is untouched
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And sessions s1 and s2
    And thread t2 has set the session context of s2 to 0x77
    And s1 has a level 1 transaction that inserted 2 records and updated record 1 of "t1"
    When thread t1 ends s1 with grbit 0
    Then the call returns, by tier:
      | tier       | returns        |
      | documented | JET_errSuccess |
      | esent      | JET_errSuccess |
    And the whole observable state is as ESENT leaves it
    When thread t2 calls JetCommitTransaction(sesid=s2, grbit=0)
    Then the call returns JET_errNotInTransaction
    When thread t1 calls JetResetSessionContext(sesid=s2)
    Then the call returns JET_errSessionContextNotSetByThisThread
    When thread t2 calls JetResetSessionContext(sesid=s2)
    Then the call returns JET_errSuccess
    When thread t1 ends s2 with grbit 0
    Then the call returns JET_errSuccess
    And another session sees exactly the committed records of "t1"
