@regression
Feature: Call-level scenarios
  Written with the generic call steps only, as the fuzzer writes its findings. A regression scenario
  carries the catalogue ID it bears on, its tiers and @regression.

  @ES-HANDLE-CLOSED @documented @esent
  Scenario: A second JetEndSession on the same handle, call by call
    When thread t1 calls JetCreateInstance(name="i1") saving instance as i1
    Then the call returns JET_errSuccess
    When thread t1 calls JetInit(instance=i1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetBeginSession(instance=i1, username="", password="") saving sesid as s1
    Then the call returns JET_errSuccess
    When thread t1 calls JetDupSession(sesid=s1) saving sesid as s2
    Then the call returns JET_errSuccess
    And the call's sesid is none of s1, i1
    When thread t1 calls JetBeginTransaction(sesid=s1)
    Then the call returns JET_errSuccess
    When thread t1 calls JetEndSession(sesid=s1, grbit=0)
    Then the call returns JET_errSuccess
    And the whole observable state is as ESENT leaves it
    When thread t1 calls JetEndSession(sesid=s1, grbit=JET_bitForceSessionClosed)
    Then the call returns JET_errInvalidSesid
    And the whole observable state is as ESENT leaves it
    When thread t1 calls JetEndSession(sesid=s2, grbit=0)
    Then the call returns JET_errSuccess
    And the whole observable state is as ESENT leaves it
    When thread t1 calls JetTerm(instance=i1)
    Then the call returns JET_errSuccess
