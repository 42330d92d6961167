@doc:on-success
Feature: What the end leaves behind for the next caller
  "On success, the session handle is closed, and unavailable, and all resources related to this
  session are cleaned up." ESENT recycles a session's memory (ese-source-notes.md: the PIB goes
  back to the instance's pool), so the session the next JetBeginSession gets may live where the
  ended one did: it must begin as any new session does, holding nothing the ended one held.

  # The ended session had db1 open twice, which refuses another session's exclusive open
  # (-1202). The session begun at once after the end has opened nothing: another session's
  # exclusive open succeeds, and the new session cannot use the dbid the ended one had
  # (ErrPIBCheckIfmp, pib.hxx 1199-1201: a database the session did not open is -1010).
  @ES-DATABASES-CLOSED @documented @esent
  Scenario: The session begun on the slot the end freed has none of the ended session's databases open
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And sessions s1 and s2
    When thread t1 calls JetOpenDatabase(sesid=s1, filename="db1.edb", grbit=0) saving dbid as d1
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenDatabase(sesid=s1, filename="db1.edb", grbit=0)
    Then the call returns JET_errSuccess
    When s2 opens database "db1" exclusively
    Then the call returns, by tier:
      | tier       | returns             |
      | documented | any error           |
      | esent      | JET_errDatabaseInUse |
    When s1 is ended with grbit 0
    Then the call returns JET_errSuccess
    When thread t1 calls JetBeginSession(instance=i1, username="", password="") saving sesid as s3
    Then the call returns JET_errSuccess
    When thread t1 calls JetOpenTable(sesid=s3, dbid=d1, tablename="t1", grbit=0)
    Then the call returns, by tier:
      | tier       | returns                  |
      | documented | any error                |
      | esent      | JET_errInvalidDatabaseId |
    When s2 opens database "db1" exclusively
    Then the call returns, by tier:
      | tier       | returns        |
      | documented | JET_errSuccess |
      | esent      | JET_errSuccess |
    And the whole observable state is as ESENT leaves it

  # The ended session's transaction was read-only (JetBeginTransaction2 with
  # JET_bitTransactionReadOnly); the end rolled it back. The session begun at once after the end
  # has no transaction: a write outside any transaction is committed at once, and seen by others.
  @ES-SESSION-SLOT-FREED @documented @esent
  Scenario: The session begun on the slot the end freed writes, though the ended session's transaction was read-only
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And session s1
    And s1 has a read-only transaction
    When s1 is ended with grbit 0
    Then the call returns JET_errSuccess
    When thread t1 calls JetBeginSession(instance=i1, username="", password="") saving sesid as s3
    Then the call returns JET_errSuccess
    Given s3 has inserted record 50 into "t1" outside any transaction
    Then another session sees exactly the committed records of "t1"
    And the whole observable state is as ESENT leaves it

  # The ended session's transaction inserted into t1; ESE inserts through a cursor of its own, which
  # keeps the table in use until the transaction ends (recupd.cxx 1667). The end rolls the
  # transaction back and closes every cursor of the session, that one included. The session begun
  # at once after the end holds nothing on t1: another session's JET_bitTableDenyRead open succeeds.
  @ES-CURSORS-CLOSED @documented @esent
  Scenario: The session begun on the slot the end freed holds nothing on a table the ended transaction inserted into
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And sessions s1 and s2
    And s1 has a level 1 transaction that inserted 2 records of "t1"
    And s2 has opened database "db1"
    When s2 opens table "t1" with JET_bitTableDenyRead
    Then the call returns, by tier:
      | tier       | returns           |
      | documented | any error         |
      | esent      | JET_errTableInUse |
    When s1 is ended with grbit 0
    Then the call returns JET_errSuccess
    When thread t1 calls JetBeginSession(instance=i1, username="", password="") saving sesid as s3
    Then the call returns JET_errSuccess
    When s2 opens table "t1" with JET_bitTableDenyRead
    Then the call returns, by tier:
      | tier       | returns                                     |
      | documented | JET_errSuccess or JET_wrnTableInUseBySystem |
      | esent      | JET_errSuccess or JET_wrnTableInUseBySystem |
    And the whole observable state is as ESENT leaves it

  # JetTerm ends every idle session of its instance, one whose session context is still set
  # included (Errata 8). A session of an instance made after the term is a new session: no context
  # is set on it, and its end succeeds.
  @ES-SUCCESS-IDLE @documented @esent
  Scenario: A session begun after JetTerm ended one whose context was set has no context: its end succeeds
    Given an initialized instance
    And session s1
    And thread t1 has set the session context of s1 to 0x1234
    When thread t1 calls JetTerm(instance=i1)
    Then the call returns JET_errSuccess
    Given another initialized instance "i2"
    And session s2 of instance "i2"
    When s2 is ended with grbit 0
    Then the call returns, by tier:
      | tier       | returns        |
      | documented | JET_errSuccess |
      | esent      | JET_errSuccess |
    And s2 is gone
    And the whole observable state is as ESENT leaves it

  # Every call that takes a session validates it first (jetapi.cxx: FEnter(sesid) before the
  # tableid, dbid or file is looked at), the record and column calls on the ended session's
  # cursor and the calls on database files included: the cursor's tableid does not change the answer.
  @ES-HANDLE-CLOSED @documented @esent
  Scenario Outline: After a successful end, <operation> with the old sesid returns JET_errInvalidSesid
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And session s1
    And s1 has opened table "t1"
    And the columnids of "t1" are saved as k and v
    When s1 is ended with grbit 0
    Then the call returns JET_errSuccess
    When thread t1 calls <call>
    Then the call returns, by tier:
      | tier       | returns             |
      | documented | JET_errInvalidSesid |
      | esent      | JET_errInvalidSesid |
    And the whole observable state is as ESENT leaves it

    Examples:
      | operation                       | call                                                                 |
      | JetRetrieveColumn on its cursor | JetRetrieveColumn(sesid=s1, tableid=s1.t1, columnid=k)               |
      | JetSetColumn on its cursor      | JetSetColumn(sesid=s1, tableid=s1.t1, columnid=v, value="after")     |
      | JetAddColumn on its cursor      | JetAddColumn(sesid=s1, tableid=s1.t1, column="c9", coltyp=JET_coltypLong) |
      | JetAttachDatabase               | JetAttachDatabase(sesid=s1, filename="db1.edb", grbit=0)             |
      | JetCreateDatabase               | JetCreateDatabase(sesid=s1, filename="db9.edb", grbit=0)             |
