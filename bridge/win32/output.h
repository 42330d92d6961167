/*
 * Protocol lines on stdout and diagnostics on stderr. Written with WriteFile, not the C runtime:
 * the Windows CRT fully buffers a pipe, and answers come from several threads, so every line is
 * one locked, unbuffered write.
 */
#ifndef ESE_BRIDGE_OUTPUT_H
#define ESE_BRIDGE_OUTPUT_H

#include "json.h"

void output_init(void);
/* Writes b's text and a "\n" as one line on stdout. Exits the process when stdout is gone. */
void output_line(const json_buffer *b);
/* One diagnostic line on stderr ("ese-bridge: ..."). */
void log_line(const char *format, ...)
#ifdef __GNUC__
    __attribute__((format(gnu_printf, 1, 2)))
#endif
    ;

/* Answers (docs/protocol.md section 2); `id` is echoed as the request gave it. */
void answer_ok(const json_value *id);
void answer_error(const json_value *id, const char *error, const char *message);
void answer_unsupported(const json_value *id, const char *reason);
void answer_crash(const json_value *id, const char *code, const char *message);
/* out_members: the members of "out" without braces ("" for none); NULL omits "out". */
void answer_returned(const json_value *id, long err, const char *out_members);

#endif
