@doc:grbit
Feature: The grbit of JetEndSession
  "Reserved. This parameter can contain the JET_bitForceSessionClosed flag, but this flag is reserved
  and setting it has no effect." ESENT never reads the grbit at all.

  @ES-GRBIT-FORCE-NOOP @documented @esent
  Scenario Outline: JET_bitForceSessionClosed has no effect: <situation>
    Given the situation "<situation>"
    When s1 is ended with grbit 0
    Then the call returns, by tier:
      | tier       | returns      |
      | documented | <documented> |
      | esent      | <esent>      |
    And if the call returned JET_errSuccess, s1 is gone
    And if the call returned JET_errSessionInUse, s1 is not gone
    And if the call returned JET_errClientRequestToStopJetService, s1 is not gone
    And the outcome and the state it leaves are recorded as "grbit 0"
    And the whole observable state is as ESENT leaves it
    When the implementation is reset
    And the situation "<situation>" is set up again
    And s1 is ended with grbit JET_bitForceSessionClosed
    Then the call returns, by tier:
      | tier       | returns      |
      | documented | <documented> |
      | esent      | <esent>      |
    And if the call returned JET_errSuccess, s1 is gone
    And if the call returned JET_errSessionInUse, s1 is not gone
    And if the call returned JET_errClientRequestToStopJetService, s1 is not gone
    And the outcome and the state it leaves are the same as "grbit 0"
    And the whole observable state is as ESENT leaves it

    Examples:
      | situation                                 | documented                                             | esent               |
      | an idle session                           | JET_errSuccess                                         | JET_errSuccess      |
      | a level 3 transaction with inserts        | JET_errSuccess                                         | JET_errSuccess      |
      | open databases, cursors and temp tables   | JET_errSuccess                                         | JET_errSuccess      |
      | a session context set on the thread       | JET_errSessionInUse                                    | JET_errSessionInUse |
      | a level 1 transaction after StopService   | JET_errSuccess or JET_errClientRequestToStopJetService | JET_errSuccess      |

  @ES-GRBIT-UNKNOWN @documented @esent
  Scenario Outline: An unknown grbit 0xFFFFFFFF: <situation>
    Given the situation "<situation>"
    When s1 is ended with grbit 0xFFFFFFFF
    Then the call returns, by tier:
      | tier       | returns                 | outcome |
      | documented | JET_errSuccess          | ended   |
      | documented | JET_errInvalidParameter | refused |
      | esent      | JET_errSuccess          | ended   |
    And if the outcome was ended, s1 is gone
    And if the outcome was ended, another session sees exactly the committed records of "t1"
    And if the outcome was refused, s1 is unchanged
    And the whole observable state is as ESENT leaves it
    And if the outcome was refused, s1 ends with grbit 0 and JET_errSuccess

    Examples:
      | situation                               |
      | an idle session                         |
      | a level 3 transaction with inserts      |
      | open databases, cursors and temp tables |

  # The grbit is reserved as a whole: any unknown bits, whether the word reads as a small number,
  # the largest positive one or a negative one, get the same treatment as 0xFFFFFFFF.
  @ES-GRBIT-UNKNOWN @documented @esent
  Scenario Outline: An unknown grbit <grbit>: a level 3 transaction with inserts
    Given the situation "a level 3 transaction with inserts"
    When s1 is ended with grbit <grbit>
    Then the call returns, by tier:
      | tier       | returns                 | outcome |
      | documented | JET_errSuccess          | ended   |
      | documented | JET_errInvalidParameter | refused |
      | esent      | JET_errSuccess          | ended   |
    And if the outcome was ended, s1 is gone
    And if the outcome was ended, another session sees exactly the committed records of "t1"
    And if the outcome was refused, s1 is unchanged
    And the whole observable state is as ESENT leaves it
    And if the outcome was refused, s1 ends with grbit 0 and JET_errSuccess

    Examples:
      | grbit      |
      | 0x2        |
      | 0x7FFFFFFF |
      | 0x80000000 |
      | 0xFFFFFFFE |

  # The flag has no effect in any situation, also where the end is refused because the open
  # transaction belongs to another thread: it forces neither the rollback nor the end.
  @ES-GRBIT-FORCE-NOOP @documented @esent @needs:threads
  Scenario: JET_bitForceSessionClosed has no effect: a transaction begun on another thread
    Given an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And session s1
    When thread t2 calls JetBeginTransaction(sesid=s1)
    Then the call returns JET_errSuccess
    When thread t1 ends s1 with grbit 0
    Then the call returns, by tier:
      | tier       | returns                                           |
      | documented | JET_errSessionInUse or JET_errSessionSharingViolation |
      | esent      | JET_errSessionSharingViolation                    |
    And s1 is not gone
    And the outcome and the state it leaves are recorded as "grbit 0"
    And the whole observable state is as ESENT leaves it
    When thread t2 calls JetRollback(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess
    When the implementation is reset
    And an initialized instance
    And a database "db1" with a table "t1" holding 3 records
    And session s1
    And thread t2 calls JetBeginTransaction(sesid=s1)
    Then the call returns JET_errSuccess
    When thread t1 ends s1 with grbit JET_bitForceSessionClosed
    Then the call returns, by tier:
      | tier       | returns                                           |
      | documented | JET_errSessionInUse or JET_errSessionSharingViolation |
      | esent      | JET_errSessionSharingViolation                    |
    And s1 is not gone
    And the outcome and the state it leaves are the same as "grbit 0"
    And the whole observable state is as ESENT leaves it
    When thread t2 calls JetRollback(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess
