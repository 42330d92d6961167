Feature: Ending sessions (a fixture of the reporting tests)
  "The JetEndSession function ends the session, and cleans up and deallocates any resources
  associated with the specified session."

  @ES-SUCCESS-IDLE
  Scenario: Ending an idle session
    Given a call that returns "JET_errSuccess"

  @ES-AFTER-TERM @fails-in-esent
  Scenario: Ending a session after JetTerm
    Given a call that returns "JET_errNotInitialized"

  @ES-INVALID-SESID
  Scenario Outline: Ending a forged handle: <kind>
    Given a call that returns "<result>"

    Examples:
      | kind         | result              |
      | nil          | JET_errInvalidSesid |
      | never-issued | JET_errInvalidSesid |

  @ES-INVALID-SESID @crashes-in-esent
  Scenario: Ending an instance handle passed as a sesid
    Given a call that returns "JET_errInvalidSesid"

  @ES-CLEANUP-OOM @needs:fault-injection
  Scenario: Out of memory while undoing
    Given a call that returns "JET_errOutOfMemory"
