@doc:remarks
Feature: JetEndSession after a history
  "All resources related to this session are cleaned up", and nothing else changes, also when the
  session is not the first thing that happened: a resource it closed itself, a level committed into
  its parent, a second transaction on another thread, a second instance, a database that is not the
  first, an instance terminated and made again. Temp tables here have a key column: open sorts,
  each holding a MaxTemporaryTables slot of its own instance.

  # The lock a session gave back with JetCloseTable is no longer its own: the end must not release it
  # a second time, now that another session holds the same kind of lock on the table.
  @ES-CURSORS-CLOSED @documented @esent
  Scenario: A lock the session gave back with JetCloseTable, now another session's, outlives the end
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And sessions s1 and s2
    And session s3
    And s3 has opened database "db1"
    And s1 has opened table "t1" with JET_bitTableDenyRead
    When thread t1 calls JetCloseTable(sesid=s1, tableid=s1.t1)
    Then the call returns JET_errSuccess
    When s2 opens table "t1" with JET_bitTableDenyRead
    Then the call returns, by tier:
      | tier       | returns                                       |
      | documented | JET_errSuccess or JET_wrnTableInUseBySystem |
      | esent      | JET_errSuccess or JET_wrnTableInUseBySystem |
    When s1 is ended with grbit 0
    Then the call returns, by tier:
      | tier       | returns        |
      | documented | JET_errSuccess |
      | esent      | JET_errSuccess |
    And s1 is gone
    And the whole observable state is as ESENT leaves it
    When s3 opens table "t1"
    Then the call returns, by tier:
      | tier       | returns            |
      | documented | any error          |
      | esent      | JET_errTableLocked |

  # A cursor opened in a nested level that was committed into its parent belongs to the parent now:
  # the end closes it like any other and gives its lock back.
  @ES-CURSORS-CLOSED @documented @esent
  Scenario: A cursor opened in a level committed into its parent is closed, and its lock released
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And sessions s1 and s2
    And s1 has opened database "db1"
    And s2 has opened database "db1"
    When thread t1 calls JetBeginTransaction(sesid=s1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetBeginTransaction(sesid=s1)
    Then the call returns JET_errSuccess
    When s1 opens table "t1" with JET_bitTableDenyRead
    Then the call returns, by tier:
      | tier       | returns                                       |
      | documented | JET_errSuccess or JET_wrnTableInUseBySystem |
      | esent      | JET_errSuccess or JET_wrnTableInUseBySystem |
    When thread t1 calls JetCommitTransaction(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess
    When s2 opens table "t1"
    Then the call returns, by tier:
      | tier       | returns            |
      | documented | any error          |
      | esent      | JET_errTableLocked |
    When s1 is ended with grbit 0
    Then the call returns, by tier:
      | tier       | returns        |
      | documented | JET_errSuccess |
      | esent      | JET_errSuccess |
    And s1 is gone
    And the whole observable state is as ESENT leaves it
    When s2 opens table "t1"
    Then the call returns, by tier:
      | tier       | returns        |
      | documented | JET_errSuccess |
      | esent      | JET_errSuccess |

  @ES-SORTS-CLOSED @documented @esent
  Scenario: Temp tables opened in a level committed into its parent are closed, and their slots freed
    Given an initialized instance with MaxTemporaryTables 2
    And sessions s1 and s2
    When thread t1 calls JetBeginTransaction(sesid=s1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetBeginTransaction(sesid=s1)
    Then the call returns JET_errSuccess
    When s1 opens a temp table
    Then the call returns JET_errSuccess
    When s1 opens a temp table
    Then the call returns JET_errSuccess
    When thread t1 calls JetCommitTransaction(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess
    When s2 opens a temp table
    Then the call returns, by tier:
      | tier       | returns             |
      | documented | any error           |
      | esent      | JET_errTooManySorts |
    When s1 is ended with grbit 0
    Then the call returns, by tier:
      | tier       | returns        |
      | documented | JET_errSuccess |
      | esent      | JET_errSuccess |
    And s1 is gone
    And the whole observable state is as ESENT leaves it
    When s2 opens a temp table
    Then the call returns, by tier:
      | tier       | returns        |
      | documented | JET_errSuccess |
      | esent      | JET_errSuccess |

  # MaxTemporaryTables is a limit of each instance: the slots of a second instance's session go back
  # to that instance, and the first instance's count does not move. So do its table cursors' slots
  # (MaxCursors), which the state probes count on the table s7 created.
  @ES-SORTS-CLOSED @documented @esent
  Scenario: A session of a second instance gives its temp tables' slots back to its own instance
    Given an initialized instance with MaxTemporaryTables 2
    And session s1
    And s1 holds 1 temp table
    And another initialized instance "i2" with MaxTemporaryTables 2
    And session s7 of instance "i2"
    And session s8 of instance "i2"
    And s7 holds 2 temp tables
    When thread t1 calls JetCreateDatabase(sesid=s7, filename="db7.edb", grbit=0) saving dbid as d7
    And thread t1 calls JetCreateTable(sesid=s7, dbid=d7, tablename="t7") saving tableid as c7
    And thread t1 calls JetCloseTable(sesid=s7, tableid=c7)
    And thread t1 calls JetOpenTable(sesid=s7, dbid=d7, tablename="t7", grbit=0)
    And thread t1 calls JetOpenTable(sesid=s7, dbid=d7, tablename="t7", grbit=0)
    Then the call returns JET_errSuccess
    When s8 opens a temp table
    Then the call returns, by tier:
      | tier       | returns             |
      | documented | any error           |
      | esent      | JET_errTooManySorts |
    When s7 is ended with grbit 0
    Then the call returns, by tier:
      | tier       | returns        |
      | documented | JET_errSuccess |
      | esent      | JET_errSuccess |
    And s7 is gone
    And the whole observable state is as ESENT leaves it
    When s8 opens a temp table
    Then the call returns, by tier:
      | tier       | returns        |
      | documented | JET_errSuccess |
      | esent      | JET_errSuccess |

  # The session holds only the database attached second: the end closes what the session has open,
  # whichever databases of the instance those are.
  @ES-DATABASES-CLOSED @documented @esent
  Scenario: A database attached after another, the only one the session opened, is closed
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And a database "db2" with a table "t2" holding 2 records
    And sessions s1 and s2
    And s1 has opened database "db2" exclusively
    When s2 opens database "db2"
    Then the call returns, by tier:
      | tier       | returns               |
      | documented | any error             |
      | esent      | JET_errDatabaseLocked |
    When s1 is ended with grbit 0
    Then the call returns, by tier:
      | tier       | returns        |
      | documented | JET_errSuccess |
      | esent      | JET_errSuccess |
    And s1 is gone
    And the whole observable state is as ESENT leaves it
    When s2 opens database "db2"
    Then the call returns, by tier:
      | tier       | returns        |
      | documented | JET_errSuccess |
      | esent      | JET_errSuccess |

  # Each transaction binds the session to the thread of its own level-0 begin (pib.hxx
  # PIBSetTrxContext): a first transaction on t1, over, says nothing of a second one begun on t2.
  @ES-SHARING-VIOLATION @documented @esent @needs:threads
  Scenario: A second transaction, begun on t2 after one on t1 was committed, is refused to t1
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And session s1
    When thread t1 calls JetBeginTransaction(sesid=s1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetCommitTransaction(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess
    When thread t2 calls JetBeginTransaction(sesid=s1)
    Then the call returns JET_errSuccess
    When thread t1 ends s1 with grbit 0
    Then the call returns, by tier:
      | tier       | returns                                               |
      | documented | JET_errSessionInUse or JET_errSessionSharingViolation |
      | esent      | JET_errSessionSharingViolation                        |
    And s1 is not gone
    And the whole observable state is as ESENT leaves it
    When thread t2 calls JetRollback(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess
    When s1 is ended with grbit 0
    Then the call returns JET_errSuccess

  # A transaction is bound to a session context only when it was begun under one (pib.hxx
  # m_fUseSessionContextForTrxContext, set at each level-0 begin): the next one, begun on t2 with no
  # context, is bound to t2.
  @ES-SHARING-VIOLATION @documented @esent @needs:threads
  Scenario: A transaction begun without a context, after one begun under a context, is refused to another thread
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And session s1
    And thread t1 has set the session context of s1 to 0x55
    When thread t1 calls JetBeginTransaction(sesid=s1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetCommitTransaction(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetResetSessionContext(sesid=s1)
    Then the call returns JET_errSuccess
    When thread t2 calls JetBeginTransaction(sesid=s1)
    Then the call returns JET_errSuccess
    When thread t1 ends s1 with grbit 0
    Then the call returns, by tier:
      | tier       | returns                                               |
      | documented | JET_errSessionInUse or JET_errSessionSharingViolation |
      | esent      | JET_errSessionSharingViolation                        |
    And s1 is not gone
    And the whole observable state is as ESENT leaves it
    When thread t2 calls JetRollback(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess
    When s1 is ended with grbit 0
    Then the call returns JET_errSuccess

  # The fatal error is the session's own instance's: a second instance brought down does not stop a
  # session of the first, and the second's sessions are refused whatever the first's state.
  @ES-INSTANCE-UNAVAILABLE @documented @esent @needs:instance-state @since:windows-xp
  Scenario: Only the instance in a fatal error refuses JetEndSession; another instance's session ends
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And session s1
    And another initialized instance "i2"
    And session s7 of instance "i2"
    And the instance "i2" is forced into a fatal error caused by JET_errDiskIO
    When s7 is ended with grbit 0
    Then the call returns, by tier:
      | tier       | returns                    |
      | documented | JET_errInstanceUnavailable |
      | esent      | JET_errInstanceUnavailable |
    And s7 is not gone
    And the whole observable state is as ESENT leaves it
    When s1 is ended with grbit 0
    Then the call returns, by tier:
      | tier       | returns        |
      | documented | JET_errSuccess |
      | esent      | JET_errSuccess |
    And s1 is gone
    And the whole observable state is as ESENT leaves it

  # JetTerm ends the instance with its sessions; an instance made again under the same name starts
  # with none of them counted.
  @ES-SESSION-SLOT-FREED @documented @esent
  Scenario: After JetTerm, an instance made again under the same name has every session slot
    Given an initialized instance with MaxSessions 4
    And sessions s1 and s2
    And session s3
    When thread t1 calls JetTerm(instance=i1)
    Then the call returns JET_errSuccess
    Given an initialized instance with MaxSessions 4
    When sessions are begun on it until JetBeginSession fails, at most 104 times
    Then the last JetBeginSession returns JET_errOutOfSessions
    And the number of sessions begun before it is, by tier:
      | tier       | count      |
      | documented | any        |
      | esent      | at least 4 |
    When one of those sessions is ended with grbit 0
    Then the call returns JET_errSuccess
    And the whole observable state is as ESENT leaves it
    When thread t1 calls JetBeginSession(instance=i1, username="", password="")
    Then the call returns JET_errSuccess
