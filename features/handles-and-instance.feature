@doc:return-value
Feature: Invalid handles and instance states
  JetEndSession checks the handle first, then the instance, before it touches the session. A
  negative answer must leave everything as it was.

  # The real session holds a sort and a session context set by the calling thread besides its
  # transaction: an invalid handle's path must not give back a slot nor reset the caller's contexts.
  @ES-INVALID-SESID @documented @esent
  Scenario Outline: JetEndSession with <kind> as sesid returns JET_errInvalidSesid
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And session s1
    And s1 holds 1 temp table
    And thread t1 has set the session context of s1 to 0x1234
    And s1 has a level 1 transaction that inserted 2 records and updated record 1 of "t1"
    And session s9, begun and ended
    When thread t1 calls JetEndSession(sesid=<sesid>, grbit=0)
    Then the call returns, by tier:
      | tier       | returns             |
      | documented | JET_errInvalidSesid |
      | esent      | JET_errInvalidSesid |
    And s1 is unchanged
    And the whole observable state is as ESENT leaves it

    Examples:
      | kind                       | sesid          |
      | a nil handle (all ones)    | <nil>          |
      | a zero handle              | <zero>         |
      | a never-issued handle      | <never-issued> |
      | an ended session           | s9             |
      | the instance handle        | i1             |
      | a tableid                  | s1.t1          |

  @ES-AFTER-TERM @documented @esent @doc:jet-sesid
  Scenario Outline: JetEndSession on a session that <term> ended
    Given an initialized instance
    And session s1
    When thread t1 calls <term call>
    Then the call returns JET_errSuccess
    When s1 is ended with grbit 0
    Then the call returns, by tier:
      | tier       | returns               |
      | documented | JET_errInvalidSesid   |
      | documented | JET_errNotInitialized |
      | esent      | JET_errInvalidSesid   |
    And the whole observable state is as ESENT leaves it

    Examples:
      | term                         | term call                                          |
      | JetTerm                      | JetTerm(instance=i1)                               |
      | JetTerm2 (JET_bitTermComplete) | JetTerm2(instance=i1, grbit=JET_bitTermComplete) |

  # JetTerm ends every idle session of its instance, whatever each holds, a session context still
  # set included (Errata 8; pib.cxx PIBTerm 643-690): afterwards every one of their handles is stale.
  @ES-AFTER-TERM @documented @esent @doc:jet-sesid
  Scenario Outline: <term> ends every idle session of the instance, whatever it holds
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And sessions s1 and s2
    And session s3
    And s1 has opened table "t1" with JET_bitTableDenyRead
    And s1 holds 1 temp table
    And s2 has opened database "db1" 2 times
    And thread t1 has set the session context of s3 to 0x1234
    And another instance "i2" with session s7 in a level 1 transaction on a table "t2" of database "db2"
    And s7 holds 1 temp table
    And session s8 of instance "i2"
    When thread t1 calls <term call>
    Then the call returns JET_errSuccess
    When s1 is ended with grbit 0
    Then the call returns, by tier:
      | tier       | returns               |
      | documented | JET_errInvalidSesid   |
      | documented | JET_errNotInitialized |
      | esent      | JET_errInvalidSesid   |
    When s2 is ended with grbit 0
    Then the call returns, by tier:
      | tier       | returns               |
      | documented | JET_errInvalidSesid   |
      | documented | JET_errNotInitialized |
      | esent      | JET_errInvalidSesid   |
    When s3 is ended with grbit 0
    Then the call returns, by tier:
      | tier       | returns               |
      | documented | JET_errInvalidSesid   |
      | documented | JET_errNotInitialized |
      | esent      | JET_errInvalidSesid   |
    And the whole observable state is as ESENT leaves it
    # Only its own instance's sessions: i2's sessions are alive, the idle s8 and s7 with all it holds
    # (the state probes compare what each end changed, not what the term did): s7's cursor still
    # reads its uncommitted work, its temp table still closes, its transaction still rolls back,
    # and both end normally.
    And s8 ends with grbit 0 and JET_errSuccess
    And s7 still sees its own uncommitted work in "t2"
    When thread t1 calls JetCloseTable(sesid=s7, tableid=s7.temp1)
    Then the call returns JET_errSuccess
    And s7 still has its transaction: JetRollback on it returns JET_errSuccess
    And s7 ends with grbit 0 and JET_errSuccess

    Examples:
      | term                           | term call                                        |
      | JetTerm                        | JetTerm(instance=i1)                             |
      | JetTerm2 (JET_bitTermComplete) | JetTerm2(instance=i1, grbit=JET_bitTermComplete) |

  # JetTerm ends only idle sessions: with a session in an open transaction it returns
  # JET_errTooManyActiveUsers (-1059) and leaves the instance and the session as they were (source
  # notes, JetTerm / JetTerm2: sysinit.cxx 595-607, jetapi.cxx 21013-21017; the documentation says so
  # for JET_bitTermComplete). The transaction is neither committed nor lost: the session still sees
  # its work, nobody else does, and JetEndSession then rolls it back.
  @ES-AFTER-TERM @documented @esent @doc:jet-sesid @source:jetterm
  Scenario: JetTerm2 (JET_bitTermComplete) refused by an open transaction leaves the session to JetEndSession
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And session s1
    And s1 has a level 1 transaction that inserted 2 records, updated record 1 and deleted record 2 of "t1"
    When thread t1 calls JetTerm2(instance=i1, grbit=JET_bitTermComplete)
    Then the call returns JET_errTooManyActiveUsers
    And s1 still sees its own uncommitted work in "t1"
    And another session sees exactly the committed records of "t1"
    When s1 is ended with grbit 0
    Then the call returns JET_errSuccess
    And the whole observable state is as ESENT leaves it
    And another session sees exactly the committed records of "t1"

  # A forced state refuses the end and keeps all the session holds: its transaction, a DenyRead
  # lock, a database opened twice (one close leaves it open: another session's exclusive open is
  # refused), a sort and a materialized temp table; once the state is lifted, the end cleans up all.
  @ES-NOT-INITIALIZED @documented @needs:instance-state
  Scenario: An instance forced into the not-initialized state
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And a database "db2" with a table "t2" holding 3 records
    And sessions s1 and s3
    When thread t1 calls JetOpenDatabase(sesid=s1, filename="db2.edb", grbit=0) saving dbid as d2
    And thread t1 calls JetOpenTable(sesid=s1, dbid=d2, tablename="t2", grbit=JET_bitTableDenyRead)
    And thread t1 calls JetOpenDatabase(sesid=s1, filename="db2.edb", grbit=0)
    Then the call returns JET_errSuccess
    Given s1 holds 1 temp table
    When thread t1 calls JetOpenTempTable(sesid=s1, columns=[{"coltyp":4,"grbit":0}], grbit=0)
    Then the call returns JET_errSuccess
    Given s1 has a level 1 transaction that inserted 2 records and updated record 1 of "t1"
    And the instance is forced into the not-initialized state
    When s1 is ended with grbit 0
    Then the call returns, by tier:
      | tier       | returns               |
      | documented | JET_errNotInitialized |
      | documented | JET_errInvalidSesid   |
    When the instance's forced state is lifted
    Then s1 is unchanged
    And the whole observable state is as before the call
    When thread t1 calls JetCloseDatabase(sesid=s1, dbid=d2, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenDatabase(sesid=s3, filename="db2.edb", grbit=JET_bitDbExclusive)
    Then the call returns JET_errDatabaseInUse
    When s1 is ended with grbit 0
    Then the call returns JET_errSuccess
    And another session sees exactly the committed records of "t1"
    And the whole observable state is as ESENT leaves it

  # As above, with restore-in-progress.
  @ES-RESTORE-IN-PROGRESS @documented @needs:instance-state
  Scenario: An instance forced into restore-in-progress
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And a database "db2" with a table "t2" holding 3 records
    And sessions s1 and s3
    When thread t1 calls JetOpenDatabase(sesid=s1, filename="db2.edb", grbit=0) saving dbid as d2
    And thread t1 calls JetOpenTable(sesid=s1, dbid=d2, tablename="t2", grbit=JET_bitTableDenyRead)
    And thread t1 calls JetOpenDatabase(sesid=s1, filename="db2.edb", grbit=0)
    Then the call returns JET_errSuccess
    Given s1 holds 1 temp table
    When thread t1 calls JetOpenTempTable(sesid=s1, columns=[{"coltyp":4,"grbit":0}], grbit=0)
    Then the call returns JET_errSuccess
    Given s1 has a level 1 transaction that inserted 2 records and updated record 1 of "t1"
    And the instance is forced into the restore-in-progress state
    When s1 is ended with grbit 0
    Then the call returns, by tier:
      | tier       | returns                  |
      | documented | JET_errRestoreInProgress |
    When the instance's forced state is lifted
    Then s1 is unchanged
    And the whole observable state is as before the call
    When thread t1 calls JetCloseDatabase(sesid=s1, dbid=d2, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenDatabase(sesid=s3, filename="db2.edb", grbit=JET_bitDbExclusive)
    Then the call returns JET_errDatabaseInUse
    When s1 is ended with grbit 0
    Then the call returns JET_errSuccess
    And another session sees exactly the committed records of "t1"
    And the whole observable state is as ESENT leaves it

  @ES-INSTANCE-UNAVAILABLE @documented @esent @needs:instance-state @since:windows-xp
  Scenario Outline: An instance brought down by a fatal error caused by <cause>
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And session s1
    And s1 has a level 1 transaction that inserted 2 records and updated record 1 of "t1"
    And the instance is forced into a fatal error caused by <cause>
    When s1 is ended with grbit 0
    Then the call returns, by tier:
      | tier       | returns      |
      | documented | <documented> |
      | esent      | <esent>      |
    And s1 is not gone
    And the whole observable state is as ESENT leaves it

    Examples:
      | cause              | documented                                                                   | esent                                           |
      | JET_errDiskIO      | JET_errInstanceUnavailable                                                   | JET_errInstanceUnavailable                      |
      | JET_errLogDiskFull | JET_errInstanceUnavailable or JET_errInstanceUnavailableDueToFatalLogDiskFull | JET_errInstanceUnavailableDueToFatalLogDiskFull |

  @ES-INSTANCE-UNAVAILABLE @documented @esent @needs:instance-state @since:windows-xp
  Scenario: The instance is checked before the session context
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And session s1
    And thread t1 has set the session context of s1 to 0x1234
    And s1 has a level 1 transaction that inserted 2 records and updated record 1 of "t1"
    And the instance is forced into a fatal error caused by JET_errDiskIO
    When s1 is ended with grbit 0
    Then the call returns, by tier:
      | tier       | returns                                           |
      | documented | JET_errInstanceUnavailable or JET_errSessionInUse |
      | esent      | JET_errInstanceUnavailable                        |
    And s1 is not gone
    And the whole observable state is as ESENT leaves it
    # The documented tier accepts the context's code, which an instance left up would give too. The
    # context was set by t1: resetting it from t1 fails only on an unavailable instance, and once it
    # is reset, only the fatal error can fail the call.
    When thread t1 calls JetResetSessionContext(sesid=s1)
    Then the call returns, by tier:
      | tier       | returns                    | outcome        |
      | documented | JET_errInstanceUnavailable | reset-refused  |
      | documented | JET_errSuccess             | context-reset  |
      | esent      | JET_errInstanceUnavailable | reset-refused  |
    And if the outcome was context-reset, s1 ends with grbit 0 and JET_errInstanceUnavailable
    And s1 is not gone

  # After StopService a new session cannot begin, so the state probes see little: the other session
  # s2 shows it is untouched itself (its transaction rolls back, its temp table closes). The doc's
  # -1329 names JetStopService; the legacy JetStopServiceInstance sets the same stop flag as
  # JetStopServiceInstance2(All) (ese-source-notes.md §5 and case table): the end ignores either.
  @ES-STOP-SERVICE @documented @esent @doc:jetstopservice
  Scenario Outline: JetEndSession after <stop>
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And sessions s1 and s2
    And s2 holds 1 temp table
    And s2 has a level 1 transaction that inserted 2 records and updated record 1 of "t1"
    And s1 has a level 2 transaction with work at every level of "t1", an inner level committed into level 1
    When thread t1 calls <stop call>
    Then the call returns JET_errSuccess
    When s1 is ended with grbit 0
    Then the call returns, by tier:
      | tier       | returns                              | outcome |
      | documented | JET_errSuccess                       | ended   |
      | documented | JET_errClientRequestToStopJetService | refused |
      | esent      | JET_errSuccess                       | ended   |
    And if the outcome was ended, s1 is gone
    And if the outcome was refused, s1 is not gone
    And the whole observable state is as ESENT leaves it
    And s2 still has its transaction: JetRollback on it returns JET_errSuccess
    When thread t1 calls JetCloseTable(sesid=s2, tableid=s2.temp1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetBeginSession(instance=i1, username="", password="")
    Then the call returns, by tier:
      | tier       | returns                              |
      | documented | anything                             |
      | esent      | JET_errClientRequestToStopJetService |
    And if the outcome was ended, after the instance is terminated and a new one started, the database holds exactly the committed records of "t1"

    Examples:
      | stop                                               | stop call                                                         |
      | JetStopServiceInstance2 with JET_bitStopServiceAll | JetStopServiceInstance2(instance=i1, grbit=JET_bitStopServiceAll) |
      | the legacy JetStopServiceInstance                  | JetStopServiceInstance(instance=i1)                               |

  # JetSetSessionContext does not ignore StopService (ese-source-notes.md §5; Errata 6): after
  # JetStopServiceInstance2(All) it answers -1329 and sets nothing, so no context refuses the end,
  # which ignores StopService and rolls the session back.
  @ES-STOP-SERVICE @esent @doc:jetstopservice
  Scenario: After StopService no session context can be set, and JetEndSession still ends the session
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And session s1
    And s1 has a level 1 transaction that inserted 2 records and updated record 1 of "t1"
    When thread t1 calls JetStopServiceInstance2(instance=i1, grbit=JET_bitStopServiceAll)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetSessionContext(sesid=s1, context=0x1234)
    Then the call returns JET_errClientRequestToStopJetService
    When s1 is ended with grbit 0
    Then the call returns JET_errSuccess
    And s1 is gone
    And the whole observable state is as ESENT leaves it
    And after the instance is terminated and a new one started, the database holds exactly the committed records of "t1"

  # StopService is the stopped instance's own (ese-source-notes.md, JetStopServiceInstance(2): it sets
  # that instance's m_fStopJetService): a second instance keeps taking sessions and contexts, and its
  # sessions end as before, while the stopped one refuses JetBeginSession.
  @ES-STOP-SERVICE @esent @doc:jetstopservice
  Scenario: StopService of one instance leaves another instance's sessions, contexts and new sessions alone
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And session s1
    And s1 has a level 1 transaction that inserted 2 records and updated record 1 of "t1"
    And another initialized instance "i2"
    And session s7 of instance "i2"
    When thread t1 calls JetStopServiceInstance2(instance=i1, grbit=JET_bitStopServiceAll)
    Then the call returns JET_errSuccess
    When thread t1 calls JetSetSessionContext(sesid=s7, context=0x1234)
    Then the call returns JET_errSuccess
    When thread t1 calls JetResetSessionContext(sesid=s7)
    Then the call returns JET_errSuccess
    When thread t1 calls JetBeginSession(instance=i2, username="", password="") saving sesid as s8
    Then the call returns JET_errSuccess
    When s1 is ended with grbit 0
    Then the call returns JET_errSuccess
    And s1 is gone
    And the whole observable state is as ESENT leaves it
    When s7 is ended with grbit 0
    Then the call returns JET_errSuccess
    And s7 is gone
    And the whole observable state is as ESENT leaves it
    When thread t1 calls JetBeginSession(instance=i1, username="", password="")
    Then the call returns JET_errClientRequestToStopJetService
    And s8 ends with grbit 0 and JET_errSuccess

  @ES-TERM-IN-PROGRESS @documented @esent @needs:threads @needs:in-flight
  Scenario: JetEndSession while JetTerm2 waits for a call in flight
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And sessions s1 and s2
    And s1 has a level 1 transaction that inserted 2 records and updated record 1 of "t1"
    And thread t2 holds JetRollback(sesid=s2, grbit=0) in flight
    When thread t3 starts JetTerm2(instance=i1, grbit=JET_bitTermComplete)
    Then the call on thread t3 is still waiting
    When s1 is ended with grbit 0
    Then the call returns, by tier:
      | tier       | returns               |
      | documented | JET_errTermInProgress |
      | esent      | JET_errTermInProgress |
    And the whole observable state is as before the call
    When the held call on thread t2 is released
    Then the call on thread t2 returns JET_errNotInTransaction
    And the call on thread t3 returns JET_errTooManyActiveUsers
    And s1 is unchanged
    When s1 is ended with grbit 0
    Then the call returns JET_errSuccess
    And another session sees exactly the committed records of "t1"
    And the whole observable state is as ESENT leaves it

  # As above with a call a real engine can keep in flight: s2's JetUpdate, held in its BeforeReplace
  # callback (recupd.cxx ErrRECIReplace); JetTerm2 waits while a session has a call in the API
  # (jetapi.cxx 20903-20927), and then fails on s1's open transaction (sysinit.cxx 595-607).
  # While the term waits, the instance answers -1000 to the probes: what the refused s1 keeps is
  # checked once the term has failed, each as another session sees it: db3 still exclusive, t2 still
  # DenyRead, c2 still on the last record, the replace s1 prepared still applies, and its
  # transaction still nests and commits.
  @ES-TERM-IN-PROGRESS @documented @esent @needs:threads @needs:in-flight
  Scenario: JetEndSession while JetTerm2 waits for another session's JetUpdate in flight
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And a database "db2" with a table "t2" holding 3 records
    And a database "db3" with a table "t3" holding 3 records
    And sessions s1 and s2
    When thread t1 calls JetOpenDatabase(sesid=s1, filename="db3.edb", grbit=JET_bitDbExclusive)
    And thread t1 calls JetOpenDatabase(sesid=s1, filename="db2.edb", grbit=0) saving dbid as d2
    And thread t1 calls JetOpenTable(sesid=s1, dbid=d2, tablename="t2", grbit=JET_bitTableDenyRead) saving tableid as c2
    And thread t1 calls JetMove(sesid=s1, tableid=c2, cRow=JET_MoveLast, grbit=0)
    Then the call returns JET_errSuccess
    Given s1 has a level 1 transaction that inserted 2 records and updated record 1 of "t1"
    And s1 has prepared a replace of record 3 of "t1" without applying it
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
    When thread t1 calls JetUpdate(sesid=s1, tableid=s1.t1)
    Then the call returns JET_errSuccess
    And s1 is unchanged
    When thread t2 calls JetOpenDatabase(sesid=s2, filename="db3.edb", grbit=0)
    Then the call returns JET_errDatabaseLocked
    When thread t2 calls JetOpenDatabase(sesid=s2, filename="db2.edb", grbit=0) saving dbid as s2d2
    And thread t2 calls JetOpenTable(sesid=s2, dbid=s2d2, tablename="t2", grbit=0)
    Then the call returns JET_errTableLocked
    When thread t1 calls JetMove(sesid=s1, tableid=c2, cRow=JET_MovePrevious, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetBeginTransaction(sesid=s1)
    And thread t1 calls JetCommitTransaction(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess
    When s1 is ended with grbit 0
    Then the call returns JET_errSuccess
    And another session sees exactly the committed records of "t1"
    And the whole observable state is as ESENT leaves it

  # JetTerm2 checks before the session context (jetapi.cxx FEnter 4191, 4207; tm.cxx 105): the -1000
  # leaves the context the application set; once the term has failed on s1's transaction (-1059), the
  # context still refuses the end until it is reset. The term waits for s2's JetUpdate, held in its
  # BeforeReplace callback as a real engine can hold it (bridge/win32/hold.c).
  @ES-TERM-IN-PROGRESS @documented @esent @needs:threads @needs:in-flight
  Scenario: JetEndSession of a session whose context is set, while JetTerm2 waits for a call in flight
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And sessions s1 and s2
    And thread t1 has set the session context of s1 to 0x1234
    And s1 has a level 1 transaction that inserted 2 records and updated record 1 of "t1"
    And s2 has opened table "t1"
    And s2 has prepared a replace of record 2 of "t1" without applying it
    And thread t2 holds JetUpdate(sesid=s2, tableid=s2.t1) in flight
    When thread t3 starts JetTerm2(instance=i1, grbit=JET_bitTermComplete)
    Then the call on thread t3 is still waiting
    When s1 is ended with grbit 0
    Then the call returns, by tier:
      | tier       | returns                                      |
      | documented | JET_errTermInProgress or JET_errSessionInUse |
      | esent      | JET_errTermInProgress                        |
    And the whole observable state is as before the call
    When the held call on thread t2 is released
    Then the call on thread t2 returns JET_errSuccess
    And the call on thread t3 returns JET_errTooManyActiveUsers
    And s1 is unchanged
    And s1 ends with grbit 0 and JET_errSessionInUse
    When thread t1 calls JetResetSessionContext(sesid=s1)
    Then the call returns JET_errSuccess
    When s1 is ended with grbit 0
    Then the call returns JET_errSuccess
    And another session sees exactly the committed records of "t1"
    And the whole observable state is as ESENT leaves it
