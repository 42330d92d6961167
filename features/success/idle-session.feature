@doc:on-success
Feature: Ending an idle session
  JetEndSession ends the session and frees what it holds: "On success, the session handle is closed,
  and unavailable, and all resources related to this session are cleaned up."

  @ES-SUCCESS-IDLE @documented @esent @doc:return-value
  Scenario Outline: An idle session ends with JET_errSuccess (grbit <grbit>)
    Given an initialized instance
    And session s1
    When s1 is ended with grbit <grbit>
    Then the call returns, by tier:
      | tier       | returns        |
      | documented | JET_errSuccess |
      | esent      | JET_errSuccess |
    And s1 is gone
    And the whole observable state is as ESENT leaves it

    Examples:
      | grbit                     |
      | 0                         |
      | JET_bitForceSessionClosed |

  @ES-HANDLE-CLOSED @documented @esent
  Scenario Outline: After a successful end, <operation> with the old sesid returns JET_errInvalidSesid
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And session s1
    And s1 has opened table "t1"
    When s1 is ended with grbit 0
    Then the call returns JET_errSuccess
    When thread t1 calls <call>
    Then the call returns, by tier:
      | tier       | returns             |
      | documented | JET_errInvalidSesid |
      | esent      | JET_errInvalidSesid |
    And the whole observable state is as ESENT leaves it

    Examples:
      | operation              | call                                                                |
      | JetEndSession          | JetEndSession(sesid=s1, grbit=0)                                    |
      | JetBeginTransaction    | JetBeginTransaction(sesid=s1)                                       |
      | JetRollback            | JetRollback(sesid=s1, grbit=0)                                      |
      | JetCommitTransaction   | JetCommitTransaction(sesid=s1, grbit=0)                             |
      | JetDupSession          | JetDupSession(sesid=s1)                                             |
      | JetSetSessionContext   | JetSetSessionContext(sesid=s1, context=0x1234)                      |
      | JetResetSessionContext | JetResetSessionContext(sesid=s1)                                    |
      | JetOpenDatabase        | JetOpenDatabase(sesid=s1, filename="db1.edb", grbit=0)              |
      | JetOpenTempTable       | JetOpenTempTable(sesid=s1, columns=[{"coltyp":4,"grbit":0}], grbit=0) |
      | JetMove on its cursor  | JetMove(sesid=s1, tableid=s1.t1, cRow=JET_MoveFirst, grbit=0)       |
      | JetCloseTable on its cursor    | JetCloseTable(sesid=s1, tableid=s1.t1)                      |
      | JetDupCursor on its cursor     | JetDupCursor(sesid=s1, tableid=s1.t1, grbit=0)              |
      | JetPrepareUpdate on its cursor | JetPrepareUpdate(sesid=s1, tableid=s1.t1, prep=JET_prepInsert) |
      | JetUpdate on its cursor        | JetUpdate(sesid=s1, tableid=s1.t1)                          |
      | JetDelete on its cursor        | JetDelete(sesid=s1, tableid=s1.t1)                          |
      | JetBeginTransaction2           | JetBeginTransaction2(sesid=s1, grbit=0)                     |

  @ES-SESSION-SLOT-FREED @documented @esent
  Scenario: Ending a session frees its slot for JetBeginSession
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

  # The slot goes back to the pool of the session's own instance: i2, begun after i1, gains none.
  # 101 sessions ended inside a transaction first: an end that gave its slot back twice would leave
  # more than MaxSessions + 100 free, which no implementation may (the limit would not be enforced).
  @ES-SESSION-SLOT-FREED @documented @esent
  Scenario: Ending a session frees its slot in its own instance while another instance runs
    Given an initialized instance with MaxSessions 4
    And another instance "i2" with session s7 in a level 1 transaction on a table "t2" of database "db2"
    And 101 sessions have been begun and ended one after another, each inside a transaction
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
    # i2 has its own limit (the suite's MaxSessions 8, s7 holding one), whatever i1's is and holds.
    When sessions are begun on instance "i2" until JetBeginSession fails, at most 108 times
    Then the last JetBeginSession returns JET_errOutOfSessions
    And the number of sessions begun before it is, by tier:
      | tier       | count      |
      | documented | any        |
      | esent      | at least 7 |
    When one of those sessions is ended with grbit 0
    Then the call returns JET_errSuccess
    And the whole observable state is as ESENT leaves it
    When thread t1 calls JetBeginSession(instance=i2, username="", password="")
    Then the call returns JET_errSuccess

  # JetDupSession "will act in all ways as a JetBeginSession called on the instance" (its documentation;
  # ese-source-notes.md, JetDupSession and Errata 10: the same limit, -1101): it draws on the same
  # slots, so it is refused while they are used up, and the slot an end gives back serves it.
  @ES-SESSION-SLOT-FREED @documented @esent
  Scenario: JetDupSession draws on the instance's session slots: refused when they are used up, served by the slot an end frees
    Given an initialized instance with MaxSessions 4
    When sessions are begun on it until JetBeginSession fails, at most 104 times
    Then the last JetBeginSession returns JET_errOutOfSessions
    And the number of sessions begun before it is, by tier:
      | tier       | count      |
      | documented | any        |
      | esent      | at least 4 |
    When thread t1 calls JetDupSession(sesid=slot2)
    Then the call returns JET_errOutOfSessions
    When one of those sessions is ended with grbit 0
    Then the call returns JET_errSuccess
    And the whole observable state is as ESENT leaves it
    When thread t1 calls JetDupSession(sesid=slot2) saving sesid as s2
    Then the call returns JET_errSuccess
    When thread t1 calls JetBeginSession(instance=i1, username="", password="")
    Then the call returns JET_errOutOfSessions
    And s2 ends with grbit 0 and JET_errSuccess

  @ES-HANDLE-CLOSED @documented @esent
  Scenario: After a successful end, JetOpenTable with the old sesid and its dbid returns JET_errInvalidSesid
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And session s1
    When thread t1 calls JetOpenDatabase(sesid=s1, filename="db1.edb", grbit=0) saving dbid as d1
    Then the call returns JET_errSuccess
    When s1 is ended with grbit 0
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenTable(sesid=s1, dbid=d1, tablename="t1", grbit=0)
    Then the call returns, by tier:
      | tier       | returns             |
      | documented | JET_errInvalidSesid |
      | esent      | JET_errInvalidSesid |
    And the whole observable state is as ESENT leaves it

  # Every call that takes a session validates it first (jetapi.cxx: FEnter(sesid) before the
  # dbid or tableid is looked at), so the dbid the ended session had open does not change the answer.
  @ES-HANDLE-CLOSED @documented @esent
  Scenario Outline: After a successful end, <operation> with the old sesid and its dbid returns JET_errInvalidSesid
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And session s1
    When thread t1 calls JetOpenDatabase(sesid=s1, filename="db1.edb", grbit=0) saving dbid as d1
    Then the call returns JET_errSuccess
    When s1 is ended with grbit 0
    Then the call returns JET_errSuccess
    When thread t1 calls <call>
    Then the call returns, by tier:
      | tier       | returns             |
      | documented | JET_errInvalidSesid |
      | esent      | JET_errInvalidSesid |
    And the whole observable state is as ESENT leaves it

    Examples:
      | operation        | call                                                   |
      | JetCloseDatabase | JetCloseDatabase(sesid=s1, dbid=d1, grbit=0)           |
      | JetCreateTable   | JetCreateTable(sesid=s1, dbid=d1, tablename="t9")      |

  # A transaction binds the session to its thread only while it is open (pib.hxx PIBSetTrxContext,
  # reset when the transaction reaches level 0): t1 cannot nest in t2's transaction, but once it is
  # over the session, idle again, ends from any thread.
  @ES-SUCCESS-IDLE @documented @esent @needs:threads
  Scenario Outline: A session idle again after a transaction on another thread (<how>) ends from t1
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And session s1
    When thread t2 calls JetBeginTransaction(sesid=s1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetBeginTransaction(sesid=s1)
    Then the call returns, by tier:
      | tier       | returns                        |
      | documented | any error                      |
      | esent      | JET_errSessionSharingViolation |
    When thread t2 calls <how>
    Then the call returns JET_errSuccess
    When s1 is ended with grbit 0
    Then the call returns, by tier:
      | tier       | returns        |
      | documented | JET_errSuccess |
      | esent      | JET_errSuccess |
    And s1 is gone
    And the whole observable state is as ESENT leaves it

    Examples:
      | how                                      |
      | JetCommitTransaction(sesid=s1, grbit=0)  |
      | JetRollback(sesid=s1, grbit=0)           |
