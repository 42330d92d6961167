/*
 * Structured exceptions inside a call, caught per call so that the call is answered `crash` with
 * the exception code and the process survives (docs/protocol.md section 2).
 */
#ifndef ESE_BRIDGE_GUARD_H
#define ESE_BRIDGE_GUARD_H

#include <windows.h>

typedef struct {
  DWORD code;
  /* One line, without the code: what and where, e.g. "access violation writing 0x0 at esent.dll+0x1a2b". */
  char message[600];
} guard_exception;

typedef void (*guarded_fn)(void *context);

/* Once, at start-up, before any thread calls guard_run. */
void guard_install(void);

/* Runs fn(context) on this thread. 0 when it returned; 1 when an exception escaped it (ex filled). */
int guard_run(guarded_fn fn, void *context, guard_exception *ex);

#endif
