/*
 * fault-injection (docs/protocol.md section 8) done by the engine itself: ESE's own test injection
 * (ErrFaultInjection, error.hxx), armed through the DLL's JetTestHook(opTestHookTestInjection). A
 * retail ESE compiles it out (RTM) and JetTestHook then answers JET_errTestInjectionNotSupported;
 * a build with --test-injection (bridge/ese/build.sh) has it. Only the "undo" step has an injection
 * point on JetEndSession's path; the two close steps have no failure path in ESE and are refused.
 */
#ifndef ESE_BRIDGE_INJECT_H
#define ESE_BRIDGE_INJECT_H

#include "esent_api.h"
#include "json.h"

/* Once, after the DLL is loaded: 1 when its JetTestHook arms a fault injection (then the bridge
   declares fault-injection), else 0. */
int inject_probe(void);
int inject_available(void);

/* The inject-fault request: answered ok (the fault is pending), unsupported (it cannot be placed
   exactly) or error bad-request. */
void inject_request(const json_value *request);

/* Around a JetEndSession call (made by the caller, in its own frame, under the exception guard):
   inject_before_end arms a pending fault for this call only (the call's window is the only one in
   which it can strike) and holds the injection lock until inject_after_end, which disarms it. It
   returns -1 with `why` when the fault could not be armed (then the call must not be made). */
int inject_before_end(int *armed, char *why, size_t n);
void inject_after_end(int armed, JET_ERR returned);

/* Before a JetTerm: 1 when an undo fault struck since the last reset and `instance` is down from it
   (a JetBeginSession on it gives -1090 or -1092; a session it does begin is ended at once). ESE
   then terms it as a dirty term (tm.cxx ErrIsamTerm: termtypeError) although JetTerm returns 0, so
   the bridge recovers its folder at the next JetInit, as for a JET_bitTermDirty term. */
int inject_instance_down(JET_INSTANCE instance);

/* reset: the pending fault is dropped and nothing stays armed. */
void inject_reset(void);

#endif
