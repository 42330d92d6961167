/*
 * ESENT flavour stub: Windows' internal statemanager.h (the app-container state folders).
 * osfs.cxx (ErrOSFSInitDefaultPath) needs HSTATE, INVALID_STATE_HANDLE, STATE_PERSIST_ATTRIB and the
 * declarations of OpenState, CloseState and GetStateFolder (only for decltype: ESE loads them at run
 * time from the AppModel state API set, and calls them only in a packaged process). These are the
 * declarations the ESE flavour writes in osfs.cxx itself. The bridge and the smoke program are not
 * packaged processes, so no JET API result depends on this header.
 */
#pragma once
typedef void * HSTATE;
#define INVALID_STATE_HANDLE NULL
typedef enum tag_STATE_PERSIST_ATTRIB
{
    STATE_PERSIST_UNDEFINED = 0,
    STATE_PERSIST_LOCAL,
    STATE_PERSIST_ROAMING,
    STATE_PERSIST_TEMP,
    STATE_PERSIST_LAST
} STATE_PERSIST_ATTRIB;
#ifdef __cplusplus
extern "C" {
#endif
WINBASEAPI HSTATE WINAPI OpenState( void );
WINBASEAPI BOOL WINAPI CloseState( HSTATE hState );
WINBASEAPI BOOL WINAPI GetStateFolder( HSTATE hState, STATE_PERSIST_ATTRIB persistAttrib, LPWSTR pPath, PUINT32 pPathCch );
#ifdef __cplusplus
}
#endif
