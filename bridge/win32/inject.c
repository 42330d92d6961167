/* fault-injection through ESE's own test injection (inject.h). */
#include "inject.h"

#include "output.h"

#include <stdio.h>
#include <string.h>

/* From ESE's published jethdr.w (JetTestHook is not in the SDK's esent.h): the opcode, the
   structure it takes, the injection type and the probability bits. */
#define ESE_opTestHookTestInjection 1
#define ESE_JET_TestInjectFault 1
#define ESE_bitInjectionProbabilityCount 0x00000002UL
#define ESE_bitInjectionProbabilityCleanup 0x80000000UL /* removes an entry */
typedef struct {
  unsigned long cbStruct;
  unsigned long ulID;
  JET_API_PTR pv;
  int type; /* JET_TESTINJECTIONTYPE */
  unsigned long ulProbability;
  JET_GRBIT grbit;
} ese_testhook_injection;
typedef JET_ERR(JET_API *PFN_JetTestHook)(int opcode, void *pv);

/* The injection point of the "undo" step: ver.cxx ErrVERITryUndoLoggedOper, before the page of a
   logged operation being undone is latched (ErrFaultInjection( 58139 )). Its callers are the
   rollbacks (ErrVERRollback), so it is armed only while JetEndSession runs. */
#define UNDO_POINT 58139UL

static PFN_JetTestHook test_hook;
static int available;
static CRITICAL_SECTION lock; /* pending and the arming: inject_request runs on the reader thread */
static struct {
  int armed_next; /* 1: arm at the next JetEndSession */
  JET_ERR err;
} pending;
static volatile LONG struck; /* an undo fault struck since the last reset */

static JET_ERR set_injection(unsigned long id, JET_ERR err, unsigned long probability, JET_GRBIT grbit) {
  ese_testhook_injection t;
  memset(&t, 0, sizeof t);
  t.cbStruct = sizeof t;
  t.ulID = id;
  t.pv = (JET_API_PTR)(LONG_PTR)err;
  t.type = ESE_JET_TestInjectFault;
  t.ulProbability = probability;
  t.grbit = grbit;
  return test_hook(ESE_opTestHookTestInjection, &t);
}

/* ESE's table of injections never shrinks (128 slots for the process, _testinjection.hxx): a removed
   entry keeps its slot and the next arming takes a new one. So the point's entry is never removed:
   it is replaced in place, armed (one shot of the error) or disarmed (error 0 at an evaluation count
   never reached). */
#define ESE_PROBE_POINT 0xFFFFFFFEUL /* an id no ErrFaultInjection uses */
static JET_ERR disarm(unsigned long id) { return set_injection(id, 0, 0xFFFFFFFFUL, ESE_bitInjectionProbabilityCount); }

int inject_probe(void) {
  InitializeCriticalSection(&lock);
  test_hook = (PFN_JetTestHook)(void (*)(void))GetProcAddress(ese_module, "JetTestHook");
  /* Removing an entry that does not exist (takes no slot): JET_errSuccess only where fault injection
     is compiled in (error.cxx ErrEnableTestInjection); a retail build answers
     JET_errTestInjectionNotSupported. */
  available = test_hook && set_injection(ESE_PROBE_POINT, 0, 0, ESE_bitInjectionProbabilityCleanup) == JET_errSuccess;
  return available;
}

int inject_available(void) { return available; }

/* The undo errors ESE treats as fatal (ver.cxx ErrVERIUndoLoggedOper): the rollback stops there and
   JetEndSession returns that error (tm.cxx ErrIsamRollback). For any other error ESE retries the
   undo, and whether the shot was spent could not be told from the call: refused. */
static int undo_error_observable(JET_ERR err) {
  static const JET_ERR fatal[] = {-1011 /* OutOfMemory */,   -1014 /* OutOfBuffers */, -1022 /* DiskIO */,
                                  -1032 /* FileAccessDenied */, -510 /* LogWriteFail */, -529 /* LogDiskFull */,
                                  -614 /* CheckpointDepthTooDeep */};
  for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
    if (fatal[i] == err) return 1;
  return 0;
}

void inject_request(const json_value *request) {
  const json_value *id = json_get(request, "id");
  const json_value *step = json_get(request, "step");
  const json_value *err = json_get(request, "err");
  const json_value *times = json_get(request, "times");
  char reason[400];
  if (!available) {
    answer_unsupported(id, "this esent.dll has no fault injection (a retail build: JetTestHook answers TestInjectionNotSupported)");
    return;
  }
  if (!step || step->kind != JSON_STRING) {
    answer_error(id, "bad-request", "step must be a string");
    return;
  }
  if (!err || err->kind != JSON_NUMBER || !err->is_int || err->integer >= 0 || err->integer < -0x7fffffffLL) {
    answer_error(id, "bad-request", "err must be a negative integer (a JET_ERR)");
    return;
  }
  if (!times || times->kind != JSON_NUMBER || !times->is_int || times->integer < 1) {
    answer_error(id, "bad-request", "times must be a positive integer");
    return;
  }
  if (strcmp(step->string, "close-database") == 0) {
    answer_unsupported(id, "ESE cannot fail at close-database: ErrDBCloseDatabase (db.cxx), called by ErrDBCloseAllDBs "
                           "for each database the session opened, returns JET_errSuccess (its table closes are CallS); "
                           "there is no failure path and no injection point to arm");
    return;
  }
  if (strcmp(step->string, "close-sort") == 0) {
    answer_unsupported(id, "ESE cannot fail at close-sort: ErrIsamSortClose (sortapi.cxx) fails only in ErrPIBCheck, "
                           "on a session JetEndSession has checked already; there is no injection point to arm");
    return;
  }
  if (strcmp(step->string, "undo") != 0) {
    answer_error(id, "bad-request", "step must be undo, close-database or close-sort");
    return;
  }
  if (times->integer != 1) {
    answer_unsupported(id, "an undo fault can be armed once only: ESE's first undo failure takes the instance down, and the "
                           "bridge cannot read how often the engine's injection struck");
    return;
  }
  if (!undo_error_observable((JET_ERR)err->integer)) {
    snprintf(reason, sizeof reason,
             "ESE retries an undo that fails with %lld (ver.cxx ErrVERIUndoLoggedOper): the bridge could not tell when "
             "the fault is spent",
             (long long)err->integer);
    answer_unsupported(id, reason);
    return;
  }
  EnterCriticalSection(&lock);
  pending.armed_next = 1;
  pending.err = (JET_ERR)err->integer;
  LeaveCriticalSection(&lock);
  answer_ok(id);
}

int inject_before_end(int *armed, char *why, size_t n) {
  *armed = 0;
  if (!available) return 0;
  /* Held through the call: the injection is process-wide, so two ends must not share a shot. */
  EnterCriticalSection(&lock);
  if (!pending.armed_next) {
    LeaveCriticalSection(&lock);
    return 0;
  }
  JET_ERR e = set_injection(UNDO_POINT, pending.err, 1, ESE_bitInjectionProbabilityCount);
  if (e != JET_errSuccess) {
    LeaveCriticalSection(&lock);
    snprintf(why, n, "arming the undo fault (JetTestHook) failed with %ld; JetEndSession was not called", (long)e);
    return -1;
  }
  *armed = 1;
  return 0;
}

void inject_after_end(int armed, JET_ERR returned) {
  if (!armed) return;
  JET_ERR d = disarm(UNDO_POINT);
  if (d != JET_errSuccess) log_line("disarming the undo fault failed with %ld", (long)d);
  /* The single shot struck when the end returns its error (see undo_error_observable); else the
     end did not reach an undo (refused first, or nothing to undo) and the fault waits for the next. */
  if (returned == pending.err) {
    pending.armed_next = 0;
    InterlockedExchange(&struck, 1);
  }
  LeaveCriticalSection(&lock);
}

int inject_instance_down(JET_INSTANCE instance) {
  if (!struck || !ese.JetBeginSession) return 0;
  JET_SESID probe = 0;
  JET_ERR e = ese.JetBeginSession(instance, &probe, "", "");
  if (e >= 0 && ese.JetEndSession) (void)ese.JetEndSession(probe, 0);
  return e == -1090 /* JET_errInstanceUnavailable */ || e == -1092 /* ...DueToFatalLogDiskFull */;
}

void inject_reset(void) {
  if (!available) return;
  EnterCriticalSection(&lock);
  pending.armed_next = 0;
  InterlockedExchange(&struck, 0);
  LeaveCriticalSection(&lock);
}
