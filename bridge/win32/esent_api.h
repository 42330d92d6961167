/*
 * The ESE API as the bridge reaches it: loaded at run time with GetProcAddress, so that one
 * executable works with any esent.dll (Windows' ESENT, Wine's, the test double) and an export that
 * a DLL lacks (Wine has no JetStopServiceInstance2) costs one operation, not the whole program.
 *
 * Types come from <esent.h> (Windows SDK or mingw-w64). The narrow ("A") entry points are used:
 * ESENT before Vista exports only the unsuffixed narrow names, so each is looked up as "JetXxxA"
 * first and "JetXxx" second.
 */
#ifndef ESE_BRIDGE_ESENT_API_H
#define ESE_BRIDGE_ESENT_API_H

#ifndef JET_VERSION
#define JET_VERSION 0x0A00
#endif
#include <windows.h>
#include <esent.h>

/*
 * X(member, first name, second name or NULL, esent.h symbol to check the signature against,
 *   parameter list). The check (bridge/build.sh compiles esent_api_check.c) makes the compiler
 * compare each pointer type with the SDK's prototype.
 */
#define ESE_FUNCTIONS(X)                                                                                         \
  X(JetCreateInstance, "JetCreateInstanceA", "JetCreateInstance", JetCreateInstanceA,                            \
    (JET_INSTANCE * pinstance, const char *szInstanceName))                                                      \
  X(JetSetSystemParameter, "JetSetSystemParameterA", "JetSetSystemParameter", JetSetSystemParameterA,            \
    (JET_INSTANCE * pinstance, JET_SESID sesid, unsigned long paramid, JET_API_PTR lParam, JET_PCSTR szParam))   \
  X(JetInit, "JetInit", NULL, JetInit, (JET_INSTANCE * pinstance))                                               \
  X(JetTerm, "JetTerm", NULL, JetTerm, (JET_INSTANCE instance))                                                  \
  X(JetTerm2, "JetTerm2", NULL, JetTerm2, (JET_INSTANCE instance, JET_GRBIT grbit))                              \
  X(JetStopService, "JetStopService", NULL, JetStopService, (void))                                              \
  X(JetStopServiceInstance, "JetStopServiceInstance", NULL, JetStopServiceInstance, (JET_INSTANCE instance))     \
  X(JetBeginSession, "JetBeginSessionA", "JetBeginSession", JetBeginSessionA,                                    \
    (JET_INSTANCE instance, JET_SESID * psesid, JET_PCSTR szUserName, JET_PCSTR szPassword))                     \
  X(JetDupSession, "JetDupSession", NULL, JetDupSession, (JET_SESID sesid, JET_SESID * psesid))                  \
  X(JetEndSession, "JetEndSession", NULL, JetEndSession, (JET_SESID sesid, JET_GRBIT grbit))                     \
  X(JetSetSessionContext, "JetSetSessionContext", NULL, JetSetSessionContext,                                   \
    (JET_SESID sesid, JET_API_PTR ulContext))                                                                    \
  X(JetResetSessionContext, "JetResetSessionContext", NULL, JetResetSessionContext, (JET_SESID sesid))           \
  X(JetBeginTransaction, "JetBeginTransaction", NULL, JetBeginTransaction, (JET_SESID sesid))                    \
  X(JetBeginTransaction2, "JetBeginTransaction2", NULL, JetBeginTransaction2, (JET_SESID sesid, JET_GRBIT grbit)) \
  X(JetCommitTransaction, "JetCommitTransaction", NULL, JetCommitTransaction, (JET_SESID sesid, JET_GRBIT grbit)) \
  X(JetRollback, "JetRollback", NULL, JetRollback, (JET_SESID sesid, JET_GRBIT grbit))                           \
  X(JetCreateDatabase, "JetCreateDatabaseA", "JetCreateDatabase", JetCreateDatabaseA,                            \
    (JET_SESID sesid, JET_PCSTR szFilename, JET_PCSTR szConnect, JET_DBID * pdbid, JET_GRBIT grbit))             \
  X(JetAttachDatabase, "JetAttachDatabaseA", "JetAttachDatabase", JetAttachDatabaseA,                            \
    (JET_SESID sesid, const char *szFilename, JET_GRBIT grbit))                                                  \
  X(JetOpenDatabase, "JetOpenDatabaseA", "JetOpenDatabase", JetOpenDatabaseA,                                    \
    (JET_SESID sesid, const char *szFilename, const char *szConnect, JET_DBID *pdbid, JET_GRBIT grbit))          \
  X(JetCloseDatabase, "JetCloseDatabase", NULL, JetCloseDatabase, (JET_SESID sesid, JET_DBID dbid, JET_GRBIT grbit)) \
  X(JetCreateTable, "JetCreateTableA", "JetCreateTable", JetCreateTableA,                                        \
    (JET_SESID sesid, JET_DBID dbid, const char *szTableName, unsigned long lPages, unsigned long lDensity,      \
     JET_TABLEID *ptableid))                                                                                     \
  X(JetAddColumn, "JetAddColumnA", "JetAddColumn", JetAddColumnA,                                                \
    (JET_SESID sesid, JET_TABLEID tableid, JET_PCSTR szColumnName, const JET_COLUMNDEF *pcolumndef,              \
     const void *pvDefault, unsigned long cbDefault, JET_COLUMNID *pcolumnid))                                   \
  X(JetOpenTable, "JetOpenTableA", "JetOpenTable", JetOpenTableA,                                                \
    (JET_SESID sesid, JET_DBID dbid, const char *szTableName, const void *pvParameters,                         \
     unsigned long cbParameters, JET_GRBIT grbit, JET_TABLEID *ptableid))                                        \
  X(JetDupCursor, "JetDupCursor", NULL, JetDupCursor,                                                            \
    (JET_SESID sesid, JET_TABLEID tableid, JET_TABLEID * ptableid, JET_GRBIT grbit))                             \
  X(JetCloseTable, "JetCloseTable", NULL, JetCloseTable, (JET_SESID sesid, JET_TABLEID tableid))                 \
  X(JetPrepareUpdate, "JetPrepareUpdate", NULL, JetPrepareUpdate,                                                \
    (JET_SESID sesid, JET_TABLEID tableid, unsigned long prep))                                                  \
  X(JetSetColumn, "JetSetColumn", NULL, JetSetColumn,                                                            \
    (JET_SESID sesid, JET_TABLEID tableid, JET_COLUMNID columnid, const void *pvData, unsigned long cbData,     \
     JET_GRBIT grbit, JET_SETINFO *psetinfo))                                                                    \
  X(JetUpdate, "JetUpdate", NULL, JetUpdate,                                                                     \
    (JET_SESID sesid, JET_TABLEID tableid, void *pvBookmark, unsigned long cbBookmark, unsigned long *pcbActual)) \
  X(JetDelete, "JetDelete", NULL, JetDelete, (JET_SESID sesid, JET_TABLEID tableid))                             \
  X(JetMove, "JetMove", NULL, JetMove, (JET_SESID sesid, JET_TABLEID tableid, long cRow, JET_GRBIT grbit))       \
  X(JetRetrieveColumn, "JetRetrieveColumn", NULL, JetRetrieveColumn,                                             \
    (JET_SESID sesid, JET_TABLEID tableid, JET_COLUMNID columnid, void *pvData, unsigned long cbData,           \
     unsigned long *pcbActual, JET_GRBIT grbit, JET_RETINFO *pretinfo))                                          \
  X(JetOpenTempTable, "JetOpenTempTable", NULL, JetOpenTempTable,                                                \
    (JET_SESID sesid, const JET_COLUMNDEF *prgcolumndef, unsigned long ccolumn, JET_GRBIT grbit,                 \
     JET_TABLEID *ptableid, JET_COLUMNID *prgcolumnid))                                                          \
  X(JetRegisterCallback, "JetRegisterCallback", NULL, JetRegisterCallback,                                       \
    (JET_SESID sesid, JET_TABLEID tableid, JET_CBTYP cbtyp, JET_CALLBACK pCallback, void *pvContext,            \
     JET_HANDLE *phCallbackId))                                                                                  \
  X(JetUnregisterCallback, "JetUnregisterCallback", NULL, JetUnregisterCallback,                                 \
    (JET_SESID sesid, JET_TABLEID tableid, JET_CBTYP cbtyp, JET_HANDLE hCallbackId))

/* Not in every esent.h (mingw-w64's lacks it; ESENT has it since Windows 8): no signature check. */
#define ESE_FUNCTIONS_UNCHECKED(X) \
  X(JetStopServiceInstance2, "JetStopServiceInstance2", NULL, -, (JET_INSTANCE instance, JET_GRBIT grbit))

#define ESE_DECLARE_PFN(member, first, second, sdk, params) typedef JET_ERR(JET_API *PFN_##member) params;
ESE_FUNCTIONS(ESE_DECLARE_PFN)
ESE_FUNCTIONS_UNCHECKED(ESE_DECLARE_PFN)
#undef ESE_DECLARE_PFN

typedef struct {
#define ESE_MEMBER(member, first, second, sdk, params) PFN_##member member;
  ESE_FUNCTIONS(ESE_MEMBER)
  ESE_FUNCTIONS_UNCHECKED(ESE_MEMBER)
#undef ESE_MEMBER
} ese_api;

/* The loaded DLL and its entry points (NULL where the DLL has no such export). */
extern ese_api ese;
extern HMODULE ese_module;
extern char ese_module_path[MAX_PATH];

/*
 * Loads `dll` (a path, or "esent.dll" for the normal search, which starts in the program's own
 * folder: that is how the test double next to the bridge takes precedence). 0 on success, else
 * writes a one-line reason.
 */
int ese_load(const char *dll, char *error, size_t error_size);

/* Codes and bits the bridge itself uses (jethdr.w values); the ones some esent.h lacks are added. */
#ifndef JET_bitTermDirty
#define JET_bitTermDirty 0x00000008
#endif
#ifndef JET_errDirtyShutdown
#define JET_errDirtyShutdown (-1116)
#endif
#ifndef JET_bitSetZeroLength
#define JET_bitSetZeroLength 0x00000020
#endif
#ifndef JET_cpUnicode
#define JET_cpUnicode 1200
#endif

#endif
