@doc:return-value
Feature: Threads and session contexts
  "JET_errSessionInUse: the session was in use on another thread, or the session was not set or reset
  properly." In ESENT the trigger is a session context still set (JetSetSessionContext without
  JetResetSessionContext), on any thread, the caller's included; a call in flight on another thread,
  or a transaction bound to another thread, gives JET_errSessionSharingViolation instead.

  @ES-SESSION-IN-USE @documented @esent
  Scenario Outline: A session context still set blocks JetEndSession on <which> thread
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And session s1
    And thread t1 has set the session context of s1 to 0x1234
    And s1 has a level 1 transaction that inserted 2 records and updated record 1 of "t1"
    When thread <caller> ends s1 with grbit 0
    Then the call returns, by tier:
      | tier       | returns             |
      | documented | JET_errSessionInUse |
      | esent      | JET_errSessionInUse |
    And s1 is unchanged
    And the whole observable state is as before the call
    When thread t1 calls JetResetSessionContext(sesid=s1)
    Then the call returns JET_errSuccess
    When thread <caller> ends s1 with grbit 0
    Then the call returns, by tier:
      | tier       | returns        |
      | documented | JET_errSuccess |
      | esent      | JET_errSuccess |
    And s1 is gone
    And another session sees exactly the committed records of "t1"
    And the whole observable state is as ESENT leaves it

    Examples: the setting thread
      | which       | caller |
      | the setting | t1     |

  # A context set by t1 blocks JetEndSession on every thread, so the code alone cannot show that t2
  # is another thread: t2 failing to reset the context (it did not set it) does.
  @ES-SESSION-IN-USE @documented @esent @needs:threads
  Scenario: A session context still set blocks JetEndSession on another thread
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And session s1
    And thread t1 has set the session context of s1 to 0x1234
    And s1 has a level 1 transaction that inserted 2 records and updated record 1 of "t1"
    When thread t2 ends s1 with grbit 0
    Then the call returns, by tier:
      | tier       | returns             |
      | documented | JET_errSessionInUse |
      | esent      | JET_errSessionInUse |
    And s1 is unchanged
    And the whole observable state is as before the call
    When thread t2 calls JetResetSessionContext(sesid=s1)
    Then the call returns JET_errSessionContextNotSetByThisThread
    When thread t1 calls JetResetSessionContext(sesid=s1)
    Then the call returns JET_errSuccess
    When thread t2 ends s1 with grbit 0
    Then the call returns, by tier:
      | tier       | returns        |
      | documented | JET_errSuccess |
      | esent      | JET_errSuccess |
    And s1 is gone
    And another session sees exactly the committed records of "t1"
    And the whole observable state is as ESENT leaves it

  @ES-CONTEXT-MIGRATED-TRX @documented @esent @needs:threads
  Scenario Outline: A transaction begun under a context, the context reset, ended from <caller>
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And session s1
    And thread t1 has set the session context of s1 to 0x1234
    And s1 has a level 2 transaction with work at every level of "t1", an inner level committed into level 1
    # t2 is another thread: it cannot reset the context t1 set.
    When thread t2 calls JetResetSessionContext(sesid=s1)
    Then the call returns JET_errSessionContextNotSetByThisThread
    Given thread t1 has reset the session context of s1
    When thread <caller> ends s1 with grbit 0
    Then the call returns, by tier:
      | tier       | returns        |
      | documented | JET_errSuccess |
      | esent      | JET_errSuccess |
    And s1 is gone
    And another session sees exactly the committed records of "t1"
    And another session can update every committed record of "t1" in its own transaction
    And the whole observable state is as ESENT leaves it

    Examples:
      | caller |
      | t1     |
      | t2     |

  @ES-SHARING-VIOLATION @documented @esent @needs:threads
  Scenario: A transaction begun on t1 without a context, ended from t2
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And session s1
    And s1 has a level 2 transaction with work at every level of "t1", an inner level committed into level 1
    And s1 has opened table "t1" as cursor inner inside its innermost transaction level
    When thread t2 ends s1 with grbit 0
    Then the call returns, by tier:
      | tier       | returns                        |
      | documented | JET_errSessionInUse            |
      | documented | JET_errSessionSharingViolation |
      | esent      | JET_errSessionSharingViolation |
    And s1 is unchanged
    And the whole observable state is as ESENT leaves it
    When thread t1 calls JetMove(sesid=s1, tableid=inner, cRow=JET_MoveFirst, grbit=0)
    Then the call returns, by tier:
      | tier       | returns               |
      | documented | anything              |
      | esent      | JET_errInvalidTableId |
    # The refusal left the transaction bound to t1: t2 still cannot nest it (the state probe nests on t1 only).
    When thread t2 calls JetBeginTransaction(sesid=s1)
    Then the call returns, by tier:
      | tier       | returns                        |
      | documented | anything                       |
      | esent      | JET_errSessionSharingViolation |
    When thread t1 ends s1 with grbit 0
    Then the call returns JET_errSuccess
    And another session sees exactly the committed records of "t1"
    And the whole observable state is as ESENT leaves it

  @ES-SHARING-VIOLATION @documented @esent @needs:threads @needs:in-flight
  Scenario: Another thread has a call in flight on the session
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And session s1
    And s1 has a level 1 transaction that inserted 2 records and updated record 1 of "t1"
    And thread t2 holds JetMove(sesid=s1, tableid=s1.t1, cRow=JET_MoveFirst, grbit=0) in flight
    When thread t1 ends s1 with grbit 0
    Then the call returns, by tier:
      | tier       | returns                        |
      | documented | JET_errSessionInUse            |
      | documented | JET_errSessionSharingViolation |
      | esent      | JET_errSessionSharingViolation |
    And the whole observable state is as before the call
    When the held call on thread t2 is released
    Then the call on thread t2 returns JET_errSuccess
    And s1 is unchanged
    When thread t1 ends s1 with grbit 0
    Then the call returns JET_errSuccess
    And another session sees exactly the committed records of "t1"
    And the whole observable state is as ESENT leaves it

  # The call held here is one a real engine can keep in flight: ESE calls the table's BeforeReplace
  # callback from inside JetUpdate (recupd.cxx ErrRECIReplace), after APICALL_SESID::FEnter counted
  # the call on the session (jetapi.cxx 4230-4240). No transaction: an update begins its own nested
  # one, which a transaction begun on another thread would refuse (dir.cxx 1873-1878).
  @ES-SHARING-VIOLATION @documented @esent @needs:threads @needs:in-flight
  Scenario: Another thread's JetUpdate is in flight on the session
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And session s1
    And s1 has opened table "t1"
    And s1 has prepared a replace of record 1 of "t1" without applying it
    And thread t2 holds JetUpdate(sesid=s1, tableid=s1.t1) in flight
    When thread t1 ends s1 with grbit 0
    Then the call returns, by tier:
      | tier       | returns                        |
      | documented | JET_errSessionInUse            |
      | documented | JET_errSessionSharingViolation |
      | esent      | JET_errSessionSharingViolation |
    And the whole observable state is as before the call
    When the held call on thread t2 is released
    Then the call on thread t2 returns JET_errSuccess
    And s1 is unchanged
    When thread t1 ends s1 with grbit 0
    Then the call returns JET_errSuccess
    And another session sees exactly the committed records of "t1"
    And the whole observable state is as ESENT leaves it

  # The session context's own calls around the refused end (ese-source-notes.md §5, JetSetSessionContext
  # and JetResetSessionContext; Errata 6): resetting a context nobody set is -1913; once one is set, the
  # reserved value 0 is refused first (-1003), then any other value (-1912). The context that refuses
  # the end is still the first one, and resetting it on its thread lets the end through.
  @ES-SESSION-IN-USE @documented @esent
  Scenario: Refused context calls leave the first context set, and it alone refuses JetEndSession until it is reset
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And session s1
    And s1 has a level 1 transaction that inserted 2 records of "t1"
    When thread t1 calls JetResetSessionContext(sesid=s1)
    Then the call returns, by tier:
      | tier       | returns                                 |
      | documented | anything                                |
      | esent      | JET_errSessionContextNotSetByThisThread |
    Given thread t1 has set the session context of s1 to 0x1234
    When thread t1 calls JetSetSessionContext(sesid=s1, context=0)
    Then the call returns, by tier:
      | tier       | returns                 |
      | documented | anything                |
      | esent      | JET_errInvalidParameter |
    When thread t1 calls JetSetSessionContext(sesid=s1, context=0x5678)
    Then the call returns, by tier:
      | tier       | returns                         |
      | documented | anything                        |
      | esent      | JET_errSessionContextAlreadySet |
    When thread t1 ends s1 with grbit 0
    Then the call returns, by tier:
      | tier       | returns             |
      | documented | JET_errSessionInUse |
      | esent      | JET_errSessionInUse |
    And s1 is unchanged
    And the whole observable state is as before the call
    When thread t1 calls JetResetSessionContext(sesid=s1)
    Then the call returns JET_errSuccess
    When thread t1 ends s1 with grbit 0
    Then the call returns JET_errSuccess
    And s1 is gone
    And another session sees exactly the committed records of "t1"
    And the whole observable state is as ESENT leaves it

  # JetDupSession begins a new, independent session on the instance of the one it is given: it shares
  # neither its transaction, databases, cursors nor session context (ese-source-notes.md §5,
  # JetDupSession; its documentation: "as a JetBeginSession called on the instance"). The context set
  # on s1 refuses s1's end, not its duplicate's; the duplicate's end leaves s1 and its context alone.
  @ES-SESSION-IN-USE @documented @esent
  Scenario: A session duplicated from one whose context is set has no context: its end succeeds and leaves the original refused
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And session s1
    And s1 has a level 1 transaction that inserted 2 records of "t1"
    And thread t1 has set the session context of s1 to 0x1234
    When thread t1 calls JetDupSession(sesid=s1) saving sesid as s2
    Then the call returns JET_errSuccess
    When thread t1 calls JetEndSession(sesid=s2, grbit=0)
    Then the call returns, by tier:
      | tier       | returns        |
      | documented | JET_errSuccess |
      | esent      | JET_errSuccess |
    And the whole observable state is as ESENT leaves it
    When thread t1 calls JetEndSession(sesid=s2, grbit=0)
    Then the call returns JET_errInvalidSesid
    When thread t1 ends s1 with grbit 0
    Then the call returns JET_errSessionInUse
    And s1 is unchanged
    And the whole observable state is as before the call
    Given thread t1 has reset the session context of s1
    When thread t1 ends s1 with grbit 0
    Then the call returns JET_errSuccess
    And s1 is gone
    And another session sees exactly the committed records of "t1"
    And the whole observable state is as ESENT leaves it

  # Errata 5: once the context of a context-bound transaction is reset, nobody can commit or nest it
  # until the same context value is set again; another value fails too (-1910), on the thread that
  # began it as well. JetEndSession still ends it from any thread once no context is set, rolled back.
  @ES-CONTEXT-MIGRATED-TRX @esent @needs:threads
  Scenario: A transaction begun under a context does not resume under another context value, and the end from another thread rolls it back
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And session s1
    And thread t1 has set the session context of s1 to 0x1234
    And s1 has a level 1 transaction that inserted 2 records and updated record 1 of "t1"
    And thread t1 has reset the session context of s1
    And thread t1 has set the session context of s1 to 0x5678
    When thread t1 calls JetCommitTransaction(sesid=s1, grbit=0)
    Then the call returns JET_errSessionSharingViolation
    When thread t1 calls JetBeginTransaction(sesid=s1)
    Then the call returns JET_errSessionSharingViolation
    # t2 is another thread: it cannot reset the context t1 set, nor end the session while it is set.
    When thread t2 calls JetResetSessionContext(sesid=s1)
    Then the call returns JET_errSessionContextNotSetByThisThread
    When thread t2 ends s1 with grbit 0
    Then the call returns JET_errSessionInUse
    Given thread t1 has reset the session context of s1
    When thread t2 ends s1 with grbit 0
    Then the call returns JET_errSuccess
    And s1 is gone
    And another session sees exactly the committed records of "t1"
    And another session can update every committed record of "t1" in its own transaction
    And the whole observable state is as ESENT leaves it

  # ErrIsamRollback closes what the level being undone opened before ErrDIRRollback checks the thread
  # (ese-source-notes.md §2.2 step 3; tm.cxx ErrIsamRollback, dir.cxx 2228-2235), for JetRollback as
  # for the rollback JetEndSession starts: a JetRollback refused on t2 has closed the innermost level's
  # cursor and undone nothing; the end refused on t2 then leaves the transaction, and the end on t1
  # rolls it back.
  @ES-SHARING-VIOLATION @documented @esent @needs:threads
  Scenario: A JetRollback refused on t2 closes what the innermost level opened, as the end refused on t2 does
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And session s1
    And s1 has a level 2 transaction with work at every level of "t1", an inner level committed into level 1
    And s1 has opened table "t1" as cursor inner inside its innermost transaction level
    When thread t2 calls JetRollback(sesid=s1, grbit=0)
    Then the call returns, by tier:
      | tier       | returns                        |
      | documented | anything                       |
      | esent      | JET_errSessionSharingViolation |
    When thread t1 calls JetMove(sesid=s1, tableid=inner, cRow=JET_MoveFirst, grbit=0)
    Then the call returns, by tier:
      | tier       | returns               |
      | documented | anything              |
      | esent      | JET_errInvalidTableId |
    When thread t2 ends s1 with grbit 0
    Then the call returns, by tier:
      | tier       | returns                        |
      | documented | JET_errSessionInUse            |
      | documented | JET_errSessionSharingViolation |
      | esent      | JET_errSessionSharingViolation |
    And s1 is not gone
    And the whole observable state is as ESENT leaves it
    When thread t1 ends s1 with grbit 0
    Then the call returns JET_errSuccess
    And s1 is gone
    And another session sees exactly the committed records of "t1"
    And another session can update every committed record of "t1" in its own transaction
    And the whole observable state is as ESENT leaves it

  # Errata 6: at level 7 a nested JetBeginTransaction from the wrong thread answers JET_errTransTooDeep
  # (-1103): the depth is checked before the thread. Neither it nor the end refused on t2 undoes a
  # level: the end on t1 rolls all seven back.
  @ES-SHARING-VIOLATION @documented @esent @needs:threads
  Scenario: At level 7 a begin on t2 is too deep before it is on the wrong thread, and the end on t1 rolls back all seven levels
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And session s1
    And s1 has a level 7 transaction with work at every level of "t1", an inner level committed into level 1
    When thread t2 calls JetBeginTransaction(sesid=s1)
    Then the call returns, by tier:
      | tier       | returns             |
      | documented | any error           |
      | esent      | JET_errTransTooDeep |
    When thread t2 ends s1 with grbit 0
    Then the call returns, by tier:
      | tier       | returns                        |
      | documented | JET_errSessionInUse            |
      | documented | JET_errSessionSharingViolation |
      | esent      | JET_errSessionSharingViolation |
    And s1 is not gone
    When thread t1 ends s1 with grbit 0
    Then the call returns JET_errSuccess
    And s1 is gone
    And another session sees exactly the committed records of "t1"
    And another session can update every committed record of "t1" in its own transaction
    And the whole observable state is as ESENT leaves it

  @ES-SHARING-VIOLATION @documented @esent @needs:threads
  Scenario: A cursor opened in level 2 and committed into level 1 is closed by the end refused on t2
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And session s1
    And s1 has a level 1 transaction that inserted 2 records of "t1"
    When thread t1 calls JetOpenDatabase(sesid=s1, filename="db1.edb", grbit=0) saving dbid as d1
    And thread t1 calls JetBeginTransaction(sesid=s1)
    And thread t1 calls JetOpenTable(sesid=s1, dbid=d1, tablename="t1", grbit=0) saving tableid as inner
    And thread t1 calls JetCommitTransaction(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess
    When thread t2 ends s1 with grbit 0
    Then the call returns, by tier:
      | tier       | returns                        |
      | documented | JET_errSessionInUse            |
      | documented | JET_errSessionSharingViolation |
      | esent      | JET_errSessionSharingViolation |
    And the whole observable state is as ESENT leaves it
    When thread t1 calls JetMove(sesid=s1, tableid=inner, cRow=JET_MoveFirst, grbit=0)
    Then the call returns, by tier:
      | tier       | returns               |
      | documented | anything              |
      | esent      | JET_errInvalidTableId |
    When thread t1 ends s1 with grbit 0
    Then the call returns JET_errSuccess
    And another session sees exactly the committed records of "t1"
    And the whole observable state is as ESENT leaves it

  # Without a transaction there is nothing to roll back: the context alone refuses the end (tm.cxx
  # 105-110 runs before the rollback), and the session keeps its cursor and its lock.
  # The refused session holds one of each kind a session without a transaction can hold: a DenyRead
  # lock, a database opened several times, another opened exclusively with a cursor standing on a
  # record, a sort and a materialized temp table. The whole state shows each; how many opens of db1
  # are left, only closing them does: after three of its four opens are closed, db1 is still open.
  @ES-SESSION-IN-USE @documented @esent
  Scenario: A session context still set blocks JetEndSession of a session without a transaction
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And a database "db2" with a table "t2" holding 3 records
    And sessions s1 and s3
    When thread t1 calls JetOpenDatabase(sesid=s1, filename="db1.edb", grbit=0) saving dbid as d1
    And thread t1 calls JetOpenDatabase(sesid=s1, filename="db1.edb", grbit=0)
    And thread t1 calls JetOpenDatabase(sesid=s1, filename="db1.edb", grbit=0)
    And thread t1 calls JetOpenDatabase(sesid=s1, filename="db2.edb", grbit=JET_bitDbExclusive) saving dbid as d2
    And thread t1 calls JetOpenTable(sesid=s1, dbid=d2, tablename="t2", grbit=0) saving tableid as c2
    And thread t1 calls JetMove(sesid=s1, tableid=c2, cRow=JET_MoveLast, grbit=0)
    And thread t1 calls JetOpenTempTable(sesid=s1, columns=[{"coltyp":4,"grbit":0}], grbit=0) saving tableid as materialized
    Then the call returns JET_errSuccess
    Given s1 has opened table "t1" with JET_bitTableDenyRead
    And s1 holds 1 temp table
    And thread t1 has set the session context of s1 to 0x1234
    When thread t1 ends s1 with grbit 0
    Then the call returns, by tier:
      | tier       | returns             |
      | documented | JET_errSessionInUse |
      | esent      | JET_errSessionInUse |
    And s1 is unchanged
    And the whole observable state is as before the call
    When thread t1 calls JetResetSessionContext(sesid=s1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetMove(sesid=s1, tableid=c2, cRow=JET_MovePrevious, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetCloseDatabase(sesid=s1, dbid=d1, grbit=0)
    And thread t1 calls JetCloseDatabase(sesid=s1, dbid=d1, grbit=0)
    And thread t1 calls JetCloseDatabase(sesid=s1, dbid=d1, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenDatabase(sesid=s3, filename="db1.edb", grbit=JET_bitDbExclusive)
    Then the call returns JET_errDatabaseInUse
    When thread t1 ends s1 with grbit 0
    Then the call returns, by tier:
      | tier       | returns        |
      | documented | JET_errSuccess |
      | esent      | JET_errSuccess |
    And s1 is gone
    And the whole observable state is as ESENT leaves it

  # The refused session keeps its JET_bitTableDenyWrite lock with its cursor: an updatable open by
  # another session is still refused (fileopen.cxx 1084-1097). A DenyWrite open by another session
  # cannot show it: s1's cursor is itself updatable, so that open is refused with or without the lock.
  @ES-SESSION-IN-USE @documented @esent
  Scenario: A session context still set blocks JetEndSession of a session holding a DenyWrite lock
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And sessions s1 and s3
    And s1 has opened table "t1" with JET_bitTableDenyWrite
    And s3 has opened database "db1"
    And thread t1 has set the session context of s1 to 0x1234
    When thread t1 ends s1 with grbit 0
    Then the call returns, by tier:
      | tier       | returns             |
      | documented | JET_errSessionInUse |
      | esent      | JET_errSessionInUse |
    And s1 is unchanged
    And the whole observable state is as before the call
    When s3 opens table "t1" with JET_bitTableUpdatable
    Then the call returns, by tier:
      | tier       | returns            |
      | documented | any error          |
      | esent      | JET_errTableLocked |
    When thread t1 calls JetResetSessionContext(sesid=s1)
    Then the call returns JET_errSuccess
    When thread t1 ends s1 with grbit 0
    Then the call returns, by tier:
      | tier       | returns        |
      | documented | JET_errSuccess |
      | esent      | JET_errSuccess |
    And s1 is gone
    And the whole observable state is as ESENT leaves it

  # The refusal cancels nothing: the replace s1 prepared is still prepared once the context is reset
  # (JetUpdate applies it, with the value set into it before), and the transaction still nests and
  # commits. No step reads through s1's cursor before: a JetMove cancels a prepared
  # update (rec.cxx ErrIsamMove 843-846).
  @ES-SESSION-IN-USE @documented @esent
  Scenario: A session context still set blocks JetEndSession of a session with an update prepared
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And session s1
    And s1 has a level 1 transaction that inserted 1 record of "t1"
    And s1 has prepared a replace of record 1 of "t1" without applying it
    And the columnids of "t1" are saved as k and v
    When thread t1 calls JetSetColumn(sesid=s1, tableid=s1.t1, columnid=v, value="set before the refusal")
    Then the call returns JET_errSuccess
    Given thread t1 has set the session context of s1 to 0x1234
    When thread t1 ends s1 with grbit 0
    Then the call returns, by tier:
      | tier       | returns             |
      | documented | JET_errSessionInUse |
      | esent      | JET_errSessionInUse |
    And the whole observable state is as before the call
    When thread t1 calls JetResetSessionContext(sesid=s1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetUpdate(sesid=s1, tableid=s1.t1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetRetrieveColumn(sesid=s1, tableid=s1.t1, columnid=v)
    Then the call's value is "set before the refusal"
    When thread t1 calls JetBeginTransaction(sesid=s1)
    And thread t1 calls JetCommitTransaction(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 ends s1 with grbit 0
    Then the call returns JET_errSuccess
    And s1 is gone
    And another session sees exactly the committed records of "t1"
    And the whole observable state is as ESENT leaves it

  # The refusal closes nothing: s1's temp table is still open (its cursor and its slot, in the whole
  # state), and JetCloseTable closes it once the end was refused.
  @ES-SESSION-IN-USE @documented @esent
  Scenario: A session context still set blocks JetEndSession of a session holding a temp table
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And session s1
    And s1 holds 1 temp table
    And thread t1 has set the session context of s1 to 0x1234
    When thread t1 ends s1 with grbit 0
    Then the call returns, by tier:
      | tier       | returns             |
      | documented | JET_errSessionInUse |
      | esent      | JET_errSessionInUse |
    And s1 is unchanged
    And the whole observable state is as before the call
    When thread t1 calls JetCloseTable(sesid=s1, tableid=s1.temp1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetResetSessionContext(sesid=s1)
    Then the call returns JET_errSuccess
    When thread t1 ends s1 with grbit 0
    Then the call returns JET_errSuccess
    And s1 is gone
    And the whole observable state is as ESENT leaves it

  # A transaction is bound to the thread of its level-0 begin whether or not it has work to undo: the
  # rollback that JetEndSession starts checks the thread first (dir.cxx ErrDIRRollback 2228-2235).
  @ES-SHARING-VIOLATION @documented @esent @needs:threads
  Scenario Outline: <kind> begun on t1 without a context, ended from t2
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And session s1
    And s1 has opened table "t1"
    When thread t1 calls <begin>
    Then the call returns JET_errSuccess
    When thread t2 ends s1 with grbit 0
    Then the call returns, by tier:
      | tier       | returns                        |
      | documented | JET_errSessionInUse            |
      | documented | JET_errSessionSharingViolation |
      | esent      | JET_errSessionSharingViolation |
    And s1 is not gone
    And the whole observable state is as ESENT leaves it
    When thread t1 calls JetRollback(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess
    When thread t2 ends s1 with grbit 0
    Then the call returns JET_errSuccess
    And s1 is gone
    And the whole observable state is as ESENT leaves it

    Examples:
      | kind                                 | begin                                                            |
      | A transaction that has done nothing  | JetBeginTransaction(sesid=s1)                                    |
      | A read-only transaction              | JetBeginTransaction2(sesid=s1, grbit=JET_bitTransactionReadOnly) |

  # ESENT's rollback loop closes what the innermost level opened and cancels the updates prepared in
  # it before its thread check refuses (tm.cxx ErrIsamRollback ~1884-2040, dir.cxx 2228-2235): that
  # level's cursor and temp table are gone and its prepared update is cancelled; what level 1 and
  # level 0 opened stays open.
  @ES-SHARING-VIOLATION @documented @esent @needs:threads
  Scenario: The end refused on t2 closes what the innermost level opened, and nothing else
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And session s1
    And s1 has a level 1 transaction that inserted 2 records of "t1"
    When thread t1 calls JetOpenDatabase(sesid=s1, filename="db1.edb", grbit=0) saving dbid as d1
    And thread t1 calls JetOpenTable(sesid=s1, dbid=d1, tablename="t1", grbit=0) saving tableid as outer
    And thread t1 calls JetBeginTransaction(sesid=s1)
    And thread t1 calls JetOpenTable(sesid=s1, dbid=d1, tablename="t1", grbit=0) saving tableid as inner
    And thread t1 calls JetOpenTempTable(sesid=s1, columns=[{"coltyp":4,"grbit":64}], grbit=0) saving tableid as innertemp
    Then the call returns JET_errSuccess
    Given s1 has prepared a replace of record 1 of "t1" without applying it
    When thread t2 ends s1 with grbit 0
    Then the call returns, by tier:
      | tier       | returns                        |
      | documented | JET_errSessionInUse            |
      | documented | JET_errSessionSharingViolation |
      | esent      | JET_errSessionSharingViolation |
    And the whole observable state is as ESENT leaves it
    When thread t1 calls JetUpdate(sesid=s1, tableid=s1.t1)
    Then the call returns, by tier:
      | tier       | returns                  |
      | documented | anything                 |
      | esent      | JET_errUpdateNotPrepared |
    When thread t1 calls JetMove(sesid=s1, tableid=innertemp, cRow=JET_MoveFirst, grbit=0)
    Then the call returns, by tier:
      | tier       | returns               |
      | documented | anything              |
      | esent      | JET_errInvalidTableId |
    When thread t1 calls JetRollback(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 calls JetMove(sesid=s1, tableid=outer, cRow=JET_MoveFirst, grbit=0)
    Then the call returns JET_errSuccess
    When thread t1 ends s1 with grbit 0
    Then the call returns JET_errSuccess
    And another session sees exactly the committed records of "t1"
    And the whole observable state is as ESENT leaves it

  # The in-flight check is the session's own (ppib->m_cInJetAPI, jetapi.cxx 4230-4239): a call held
  # on another session of the instance (a JetUpdate in its BeforeReplace callback, as a real engine
  # can hold it) does not refuse the end.
  @ES-SHARING-VIOLATION @documented @esent @needs:threads @needs:in-flight
  Scenario: A call in flight on another session does not refuse the end
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And sessions s1 and s2
    And s1 has a level 1 transaction that inserted 2 records and updated record 1 of "t1"
    And s2 has opened table "t1"
    And s2 has prepared a replace of record 2 of "t1" without applying it
    And thread t2 holds JetUpdate(sesid=s2, tableid=s2.t1) in flight
    # The call is in flight: s2 itself cannot be ended now.
    When thread t3 ends s2 with grbit 0
    Then the call returns, by tier:
      | tier       | returns                        |
      | documented | JET_errSessionInUse            |
      | documented | JET_errSessionSharingViolation |
      | esent      | JET_errSessionSharingViolation |
    When thread t1 ends s1 with grbit 0
    Then the call returns, by tier:
      | tier       | returns        |
      | documented | JET_errSuccess |
      | esent      | JET_errSuccess |
    And s1 is gone
    # While it is held, the JetUpdate has begun its nested transaction and write-locked record 2
    # (recupd.cxx 3004, 2883; oracle/inflight.ts): the whole state, s2's lock included, as ESENT
    # leaves it; and again once it has completed.
    And the whole observable state is as ESENT leaves it
    When the held call on thread t2 is released
    Then the call on thread t2 returns JET_errSuccess
    And another session sees exactly the committed records of "t1"
    And another session can update every committed record of "t1" in its own transaction
    And the whole observable state is as ESENT leaves it
