@doc:return-value
Feature: JetEndSession and calls in flight
  "JET_errSessionInUse: the session was in use on another thread": a call in flight on the session
  refuses the end (ESENT: JET_errSessionSharingViolation, APICALL_SESID::FEnter counting the call in
  ppib->m_cInJetAPI, jetapi.cxx 4230-4239), and only while it is in flight. ESE gives the count back
  when the call leaves the API, whatever the call returned: a held call that fails leaves the
  session free, and it ends with its full clean-up.

  # The held JetRollback fails (the session has no transaction): once it has returned, nothing is in
  # flight on s1 any more, and the end goes ahead. The same with a held JetDelete, which a real engine
  # can hold (in its BeforeDelete callback, bridge/win32/hold.c): s1's cursor is before the first
  # record, so the delete fails at its currency check after the callback (recupd.cxx 2387-2391) and its
  # nested level is rolled back.
  @ES-SHARING-VIOLATION @documented @esent @needs:threads @needs:in-flight
  Scenario Outline: A call held in flight that fails leaves the session free to end once it has returned (<held>)
    Given an initialized instance with MaxTemporaryTables 2
    And a database "db1" with a table "t1" holding 3 records
    And sessions s1 and s2
    And s1 has opened table "t1" with JET_bitTableDenyRead
    And s1 holds 2 temp tables
    When thread t1 calls JetMove(sesid=s1, tableid=s1.t1, cRow=JET_MovePrevious, grbit=0)
    Then the call returns JET_errNoCurrentRecord
    Given thread t2 holds <held call> in flight
    When thread t1 ends s1 with grbit 0
    Then the call returns, by tier:
      | tier       | returns                        |
      | documented | JET_errSessionInUse            |
      | documented | JET_errSessionSharingViolation |
      | esent      | JET_errSessionSharingViolation |
    And the whole observable state is as before the call
    When the held call on thread t2 is released
    Then the call on thread t2 returns <fails with>
    When thread t1 ends s1 with grbit 0
    Then the call returns JET_errSuccess
    And s1 is gone
    When s2 opens table "t1" with JET_bitTableDenyRead
    Then the call returns, by tier:
      | tier       | returns                                     |
      | documented | JET_errSuccess or JET_wrnTableInUseBySystem |
      | esent      | JET_errSuccess or JET_wrnTableInUseBySystem |
    And the whole observable state is as ESENT leaves it

    Examples:
      | held        | held call                             | fails with              |
      | JetRollback | JetRollback(sesid=s1, grbit=0)        | JET_errNotInTransaction |
      | JetDelete   | JetDelete(sesid=s1, tableid=s1.t1)    | JET_errNoCurrentRecord  |

  # The same with the session in a transaction begun on t1 and a failing call held on t2 (an
  # invalid grbit fails JetCommitTransaction before any level or thread check): the end from t1, the
  # transaction's own thread, is refused only because the call is in flight, and once it has
  # returned it ends the session, rolled back.
  @ES-SHARING-VIOLATION @documented @esent @needs:threads @needs:in-flight
  Scenario: A failed call in flight on a session with a transaction, then the end from its thread
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And session s1
    And s1 has a level 1 transaction that inserted 2 records and updated record 1 of "t1"
    And thread t2 holds JetCommitTransaction(sesid=s1, grbit=0xFFFFFFFF) in flight
    When thread t1 ends s1 with grbit 0
    Then the call returns, by tier:
      | tier       | returns                        |
      | documented | JET_errSessionInUse            |
      | documented | JET_errSessionSharingViolation |
      | esent      | JET_errSessionSharingViolation |
    And the whole observable state is as before the call
    When the held call on thread t2 is released
    Then the call on thread t2 returns JET_errInvalidGrbit
    And s1 is unchanged
    When thread t1 ends s1 with grbit 0
    Then the call returns JET_errSuccess
    And s1 is gone
    And another session sees exactly the committed records of "t1"
    And another session can update every committed record of "t1" in its own transaction
    And the whole observable state is as ESENT leaves it

  # While JetTerm2 waits for a call in flight, every session call of the instance answers
  # JET_errTermInProgress at its entry (jetapi.cxx FEnter 4207): the refused end has touched nothing,
  # the session's sorts included; once the term has failed on s1's transaction (-1059), s1 still
  # holds both MaxTemporaryTables slots until its end gives them back.
  @ES-TERM-IN-PROGRESS @documented @esent @needs:threads @needs:in-flight
  Scenario: JetEndSession refused while JetTerm2 waits keeps the session's temp tables
    Given an initialized instance with MaxTemporaryTables 2
    And a database "db1" with a table "t1" holding 3 records
    And sessions s1 and s2
    And s1 has a level 1 transaction that inserted 2 records and updated record 1 of "t1"
    And s1 holds 2 temp tables
    And s2 has opened table "t1"
    And s2 has prepared a replace of record 2 of "t1" without applying it
    And thread t2 holds JetUpdate(sesid=s2, tableid=s2.t1) in flight
    When thread t3 starts JetTerm2(instance=i1, grbit=JET_bitTermComplete)
    Then the call on thread t3 is still waiting
    When s1 is ended with grbit 0
    Then the call returns, by tier:
      | tier       | returns               |
      | documented | JET_errTermInProgress |
      | esent      | JET_errTermInProgress |
    And the whole observable state is as before the call
    When the held call on thread t2 is released
    Then the call on thread t2 returns JET_errSuccess
    And the call on thread t3 returns JET_errTooManyActiveUsers
    And s1 is unchanged
    When s2 opens a temp table
    Then the call returns, by tier:
      | tier       | returns             |
      | documented | any error           |
      | esent      | JET_errTooManySorts |
    When s1 is ended with grbit 0
    Then the call returns JET_errSuccess
    And s1 is gone
    And another session sees exactly the committed records of "t1"
    And the whole observable state is as ESENT leaves it
    # Compared before s2's temp table exists: on ESENT (the bridge, esent flavour) the state probe of
    # a new, empty temp table answers -1312 (JET_errIllegalOperation) where the reference finds an
    # open cursor with no current record.
    When s2 opens a temp table
    Then the call returns JET_errSuccess
