/*
 * in-flight (docs/protocol.md section 6) on a real engine: a call is held *inside* esent.dll, by a
 * JET callback that blocks on the call's own thread. ESE calls the table's JET_cbtypBeforeInsert /
 * JET_cbtypBeforeReplace callbacks from JetUpdate and JET_cbtypBeforeDelete from JetDelete after
 * the session has entered the API (APICALL_SESID::FEnter: the session's m_cInJetAPI is 1, so
 * another thread's call of the session gets JET_errSessionSharingViolation and JetTerm waits for
 * it) and after the update's own nested transaction began, with no page latched (recupd.cxx
 * ErrRECInsert / ErrRECIReplace / ErrIsamDelete). No other operation of the protocol calls back,
 * so every other hold is answered `unsupported`: the suite reports the scenario NOT_APPLICABLE.
 */
#ifndef ESE_BRIDGE_HOLD_H
#define ESE_BRIDGE_HOLD_H

#include "json.h"

/* Main thread: a `hold` request (validated id, thread and known op). Takes ownership of request. */
void hold_start(json_value *request);

/* Main thread: a `release` request. */
void hold_release(const json_value *request);

/* Main thread, before reset or shutdown: lets every held call complete; nobody hears its answer. */
void hold_abandon_all(void);

/* Main thread, once every instance is terminated (no callback can run): frees finished holds. */
void hold_free_retired(void);

#endif
