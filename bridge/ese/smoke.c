/*
 * Bring-up smoke test of a built ESE DLL (bridge/ese/build.sh) under Wine or Windows: the session
 * lifecycle end to end, each call checked against the code ESE's source gives for it.
 *
 *   smoke.exe [DLL] [WORKDIR]     (defaults: esent.dll, the current directory)
 *
 * Prints one line per call ("ok   JetInit = 0") and "smoke: N/M ok"; exit 0 when every call
 * returned what was expected, 1 otherwise, 2 when the DLL or an export is missing.
 */
#define JET_VERSION 0x0A00
#include <windows.h>
#include <esent.h>
#include <stdio.h>
#include <string.h>

#ifndef JET_bitTermComplete
#define JET_bitTermComplete 0x1
#endif
#ifndef JET_prepInsert
#define JET_prepInsert 0
#endif
#ifndef JET_bitColumnTTKey
#define JET_bitColumnTTKey 0x40
#endif
#ifndef JET_bitForceSessionClosed
#define JET_bitForceSessionClosed 0x1
#endif

static HMODULE dll;
static int checks, good;

static FARPROC fn(const char *a, const char *b) {
  FARPROC p = GetProcAddress(dll, a);
  if (!p && b) p = GetProcAddress(dll, b);
  if (!p) { printf("missing export %s\n", a); fflush(stdout); ExitProcess(2); }
  return p;
}
#define F(type, name, alt) ((type)fn(name, alt))

static JET_ERR check(const char *what, JET_ERR got, JET_ERR want) {
  checks++;
  if (got == want) good++;
  printf("%s %-48s = %ld%s\n", got == want ? "ok  " : "FAIL", what, (long)got, got == want ? "" : " (expected other)");
  if (got != want) printf("     expected %ld\n", (long)want);
  fflush(stdout);
  return got;
}

typedef JET_ERR(JET_API *pCreateInstance)(JET_INSTANCE *, const char *);
typedef JET_ERR(JET_API *pSetSystemParameter)(JET_INSTANCE *, JET_SESID, unsigned long, JET_API_PTR, const char *);
typedef JET_ERR(JET_API *pInit)(JET_INSTANCE *);
typedef JET_ERR(JET_API *pTerm2)(JET_INSTANCE, JET_GRBIT);
typedef JET_ERR(JET_API *pBeginSession)(JET_INSTANCE, JET_SESID *, const char *, const char *);
typedef JET_ERR(JET_API *pEndSession)(JET_SESID, JET_GRBIT);
typedef JET_ERR(JET_API *pCreateDatabase)(JET_SESID, const char *, const char *, JET_DBID *, JET_GRBIT);
typedef JET_ERR(JET_API *pCreateTable)(JET_SESID, JET_DBID, const char *, unsigned long, unsigned long, JET_TABLEID *);
typedef JET_ERR(JET_API *pAddColumn)(JET_SESID, JET_TABLEID, const char *, const JET_COLUMNDEF *, const void *, unsigned long, JET_COLUMNID *);
typedef JET_ERR(JET_API *pSesid)(JET_SESID);
typedef JET_ERR(JET_API *pSesidGrbit)(JET_SESID, JET_GRBIT);
typedef JET_ERR(JET_API *pPrepareUpdate)(JET_SESID, JET_TABLEID, unsigned long);
typedef JET_ERR(JET_API *pSetColumn)(JET_SESID, JET_TABLEID, JET_COLUMNID, const void *, unsigned long, JET_GRBIT, JET_SETINFO *);
typedef JET_ERR(JET_API *pUpdate)(JET_SESID, JET_TABLEID, void *, unsigned long, unsigned long *);
typedef JET_ERR(JET_API *pMove)(JET_SESID, JET_TABLEID, long, JET_GRBIT);
typedef JET_ERR(JET_API *pRetrieveColumn)(JET_SESID, JET_TABLEID, JET_COLUMNID, void *, unsigned long, unsigned long *, JET_GRBIT, JET_RETINFO *);
typedef JET_ERR(JET_API *pCloseTable)(JET_SESID, JET_TABLEID);
typedef JET_ERR(JET_API *pOpenTempTable)(JET_SESID, const JET_COLUMNDEF *, unsigned long, JET_GRBIT, JET_TABLEID *, JET_COLUMNID *);

int main(int argc, char **argv) {
  const char *path = argc > 1 ? argv[1] : "esent.dll";
  const char *work = argc > 2 ? argv[2] : ".";
  char sys[MAX_PATH], db[MAX_PATH];
  dll = LoadLibraryA(path);
  if (!dll) { printf("cannot load %s (error %lu)\n", path, GetLastError()); return 2; }
  pCreateInstance CreateInstance = F(pCreateInstance, "JetCreateInstanceA", "JetCreateInstance");
  pSetSystemParameter SetSystemParameter = F(pSetSystemParameter, "JetSetSystemParameterA", "JetSetSystemParameter");
  pInit Init = F(pInit, "JetInit", NULL);
  pTerm2 Term2 = F(pTerm2, "JetTerm2", NULL);
  pBeginSession BeginSession = F(pBeginSession, "JetBeginSessionA", "JetBeginSession");
  pEndSession EndSession = F(pEndSession, "JetEndSession", NULL);
  pCreateDatabase CreateDatabase = F(pCreateDatabase, "JetCreateDatabaseA", "JetCreateDatabase");
  pCreateTable CreateTable = F(pCreateTable, "JetCreateTableA", "JetCreateTable");
  pAddColumn AddColumn = F(pAddColumn, "JetAddColumnA", "JetAddColumn");
  pSesid BeginTransaction = F(pSesid, "JetBeginTransaction", NULL);
  pSesidGrbit CommitTransaction = F(pSesidGrbit, "JetCommitTransaction", NULL);
  pSesidGrbit Rollback = F(pSesidGrbit, "JetRollback", NULL);
  pPrepareUpdate PrepareUpdate = F(pPrepareUpdate, "JetPrepareUpdate", NULL);
  pSetColumn SetColumn = F(pSetColumn, "JetSetColumn", NULL);
  pUpdate Update = F(pUpdate, "JetUpdate", NULL);
  pMove Move = F(pMove, "JetMove", NULL);
  pRetrieveColumn RetrieveColumn = F(pRetrieveColumn, "JetRetrieveColumn", NULL);
  pCloseTable CloseTable = F(pCloseTable, "JetCloseTable", NULL);
  pOpenTempTable OpenTempTable = F(pOpenTempTable, "JetOpenTempTable", NULL);

  JET_INSTANCE inst = 0;
  JET_SESID s = 0, s2 = 0;
  JET_DBID dbid = 0;
  JET_TABLEID t = 0;
  JET_COLUMNID col = 0;
  JET_COLUMNDEF def;
  long v = 42, got = 0;
  unsigned long cb = 0;

  snprintf(sys, sizeof sys, "%s\\", work);
  snprintf(db, sizeof db, "%s\\smoke.edb", work);
  DeleteFileA(db);
  check("JetCreateInstance", CreateInstance(&inst, "smoke"), 0);
  check("JetSetSystemParameter(SystemPath)", SetSystemParameter(&inst, 0, JET_paramSystemPath, 0, sys), 0);
  check("JetSetSystemParameter(LogFilePath)", SetSystemParameter(&inst, 0, JET_paramLogFilePath, 0, sys), 0);
  check("JetSetSystemParameter(TempPath)", SetSystemParameter(&inst, 0, JET_paramTempPath, 0, sys), 0);
  check("JetSetSystemParameter(Recovery off)", SetSystemParameter(&inst, 0, JET_paramRecovery, 0, "Off"), 0);
  check("JetSetSystemParameter(MaxSessions 8)", SetSystemParameter(&inst, 0, JET_paramMaxSessions, 8, NULL), 0);
  check("JetInit", Init(&inst), 0);
  check("JetBeginSession", BeginSession(inst, &s, "", ""), 0);
  check("JetCreateDatabase", CreateDatabase(s, db, NULL, &dbid, 0), 0);
  check("JetBeginTransaction", BeginTransaction(s), 0);
  check("JetCreateTable", CreateTable(s, dbid, "t", 0, 0, &t), 0);
  memset(&def, 0, sizeof def);
  def.cbStruct = sizeof def;
  def.coltyp = JET_coltypLong;
  check("JetAddColumn", AddColumn(s, t, "v", &def, NULL, 0, &col), 0);
  check("JetCommitTransaction (DDL)", CommitTransaction(s, 0), 0);
  /* insert in a transaction, commit: the row is there */
  check("JetBeginTransaction", BeginTransaction(s), 0);
  check("JetPrepareUpdate(insert)", PrepareUpdate(s, t, JET_prepInsert), 0);
  check("JetSetColumn", SetColumn(s, t, col, &v, sizeof v, 0, NULL), 0);
  check("JetUpdate", Update(s, t, NULL, 0, NULL), 0);
  check("JetCommitTransaction", CommitTransaction(s, 0), 0);
  check("JetMove(first)", Move(s, t, JET_MoveFirst, 0), 0);
  check("JetRetrieveColumn", RetrieveColumn(s, t, col, &got, sizeof got, &cb, 0, NULL), 0);
  check("  value read back is 42", got == 42 ? 0 : -1, 0);
  /* a second insert rolled back: still one row */
  check("JetBeginTransaction", BeginTransaction(s), 0);
  v = 7;
  check("JetPrepareUpdate(insert)", PrepareUpdate(s, t, JET_prepInsert), 0);
  check("JetSetColumn", SetColumn(s, t, col, &v, sizeof v, 0, NULL), 0);
  check("JetUpdate", Update(s, t, NULL, 0, NULL), 0);
  check("JetRollback", Rollback(s, 0), 0);
  check("JetMove(first)", Move(s, t, JET_MoveFirst, 0), 0);
  check("JetMove(next) after the rollback: no row", Move(s, t, JET_MoveNext, 0), JET_errNoCurrentRecord);
  check("JetRollback at level 0", Rollback(s, 0), JET_errNotInTransaction);
  check("JetCloseTable", CloseTable(s, t), 0);
  /* a temp table (a sort) opened and closed */
  {
    JET_TABLEID tt = 0;
    JET_COLUMNID tcol = 0;
    JET_COLUMNDEF tdef;
    memset(&tdef, 0, sizeof tdef);
    tdef.cbStruct = sizeof tdef;
    tdef.coltyp = JET_coltypLong;
    tdef.grbit = JET_bitColumnTTKey;
    check("JetOpenTempTable", OpenTempTable(s, &tdef, 1, 0, &tt, &tcol), 0);
    check("JetCloseTable (temp table)", CloseTable(s, tt), 0);
  }
  /* end sessions: idle, then one inside a transaction (rolled back), then twice */
  check("JetBeginSession (second)", BeginSession(inst, &s2, "", ""), 0);
  check("JetBeginTransaction (second)", BeginTransaction(s2), 0);
  check("JetEndSession (second, in a transaction)", EndSession(s2, 0), 0);
  check("JetEndSession (second, again)", EndSession(s2, 0), JET_errInvalidSesid);
  check("JetEndSession(ForceSessionClosed)", EndSession(s, JET_bitForceSessionClosed), 0);
  check("JetEndSession(nil)", EndSession(JET_sesidNil, 0), JET_errInvalidSesid);
  check("JetTerm2(Complete)", Term2(inst, JET_bitTermComplete), 0);
  printf("smoke: %d/%d ok\n", good, checks);
  return good == checks ? 0 : 1;
}
