/**
 * The documentation clause behind each `@doc:` tag (jetendsession-doc.md, the JetEndSession page of
 * Microsoft's ESE documentation) and each `@source:` tag (ese-source-notes.md), so that reports show
 * the words a scenario proves, not only a tag.
 */
export const docClauses: Readonly<Record<string, string>> = {
  'doc:on-success':
    'JetEndSession, Return Value: "On success, the session handle is closed, and unavailable, and all resources related to this session are cleaned up."',
  'doc:on-failure':
    'JetEndSession, Return Value: "On failure, there are several additional errors that could occur as part of sort table close, cursor close, and transaction rollback. [...] These errors will be returned if some part of the session was unable to be cleaned up properly."',
  'doc:return-value':
    'JetEndSession, Return Value: the table of return codes (JET_errSuccess, JET_errClientRequestToStopJetService, JET_errInvalidParameter, JET_errInvalidSesid, JET_errNotInitialized, JET_errOutOfMemory, JET_errSessionInUse, JET_errInstanceUnavailable (Windows XP and later), JET_errOutOfBuffers, JET_errRestoreInProgress, JET_errTermInProgress).',
  'doc:remarks':
    'JetEndSession, Remarks: "This API will rollback any open transactions (not committed to level 0). Also all cursors associated with this session, and any sort tables that have been created or opened will be cleaned up."',
  'doc:grbit':
    'JetEndSession, Parameters, grbit: "Reserved. This parameter can contain the JET_bitForceSessionClosed flag, but this flag is reserved and setting it has no effect."',
  'doc:jet-sesid': 'JET_SESID: a session is "explicitly ended by JetEndSession or implicitly ended by a call to JetTerm".',
  'doc:jetstopservice':
    'JetEndSession, Return Value: "JET_errClientRequestToStopJetService: It is not possible to complete the operation because all activity on the instance associated with the session has ceased as a result of a call to JetStopService."',
  'source:errata-7':
    'ESE source (ese-source-notes.md, Errata 7): closing a cursor that wrote inside a transaction is deferred: the tableid is dead at once, but a DenyRead/DenyWrite lock it holds stays until the transaction ends (rollback, commit to level 0, or JetEndSession).',
  'source:jetterm':
    'ESE source (ese-source-notes.md, JetTerm / JetTerm2; sysinit.cxx 595-607, jetapi.cxx 21013-21017): a clean or abrupt term with a session in an open transaction returns JET_errTooManyActiveUsers (-1059) and leaves the instance initialized and usable.',
  'source:ver.cxx':
    'ESE source (ese-source-notes.md, Errata 11; ver.cxx ~7330-7433, tm.cxx ~2019-2027): an undo failure while rolling back is fatal to the instance; JetEndSession returns the original error with the session alive.',
};

/** "doc:remarks" → "doc:remarks — JetEndSession, Remarks: ..." (the tag alone when unknown). */
export function describeDocTag(tag: string): string {
  const clause = docClauses[tag];
  return clause === undefined ? tag : `${tag}: ${clause}`;
}
