/* The operations of docs/protocol.md section 7, marshaled onto the ESE API. */
#ifndef ESE_BRIDGE_OPS_H
#define ESE_BRIDGE_OPS_H

#include "esent_api.h"
#include "json.h"

/* 1 when `op` is an operation of the protocol. */
int ops_known(const char *op);

/*
 * Runs one `call` request on the calling thread (the worker of its logical thread) and writes
 * its answer: returned, crash (an exception inside the call), unsupported (the DLL lacks the
 * export) or error bad-request (malformed arguments).
 */
void ops_execute(const json_value *request);

/* 1 when `op` can be held in flight (hold.h): it calls a table callback inside the engine. */
int ops_holdable(const char *op);

/* How a held call is made and answered (hold.c). */
typedef struct {
  /* Registered on the call's cursor for the call only; blocks on the call's own thread. */
  JET_CALLBACK callback;
  void *context;
  /* After the call returned: the id its answer goes to (the release's, or the hold's when the call
     returned before it was held), or NULL for no answer (a hold abandoned at reset). */
  const json_value *(*answer_id)(void *context, const json_value *hold_id);
} ops_hold;

/* As ops_execute, for a `hold` request whose op ops_holdable accepts and whose args are an object. */
void ops_execute_held(const json_value *request, const ops_hold *hold);

/* Handles: "0x" and lowercase hex of the value. Exposed for reset's own JetTerm2 calls. */
void ops_format_handle(unsigned long long value, char *dst, size_t n);

#endif
