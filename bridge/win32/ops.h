/* The operations of docs/protocol.md section 7, marshaled onto the ESE API. */
#ifndef ESE_BRIDGE_OPS_H
#define ESE_BRIDGE_OPS_H

#include "json.h"

/* 1 when `op` is an operation of the protocol. */
int ops_known(const char *op);

/*
 * Runs one `call` request on the calling thread (the worker of its logical thread) and writes
 * its answer: returned, crash (an exception inside the call), unsupported (the DLL lacks the
 * export) or error bad-request (malformed arguments).
 */
void ops_execute(const json_value *request);

/* Handles: "0x" and lowercase hex of the value. Exposed for reset's own JetTerm2 calls. */
void ops_format_handle(unsigned long long value, char *dst, size_t n);

#endif
