/* Protocol lines and diagnostics (see output.h). */
#include "output.h"

#include <windows.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static CRITICAL_SECTION out_lock;
static HANDLE out_handle;
static HANDLE err_handle;

void output_init(void) {
  InitializeCriticalSection(&out_lock);
  out_handle = GetStdHandle(STD_OUTPUT_HANDLE);
  err_handle = GetStdHandle(STD_ERROR_HANDLE);
}

static int write_all(HANDLE h, const char *data, size_t n) {
  while (n > 0) {
    DWORD chunk = n > 0x10000000 ? 0x10000000 : (DWORD)n;
    DWORD written = 0;
    if (!WriteFile(h, data, chunk, &written, NULL) || written == 0) return -1;
    data += written;
    n -= written;
  }
  return 0;
}

void output_line(const json_buffer *b) {
  if (b->failed || !b->data) {
    log_line("out of memory while writing an answer");
    TerminateProcess(GetCurrentProcess(), 3);
  }
  EnterCriticalSection(&out_lock);
  int bad = write_all(out_handle, b->data, b->length) || write_all(out_handle, "\n", 1);
  LeaveCriticalSection(&out_lock);
  /* The adapter is gone: nobody can read an answer again. */
  if (bad) TerminateProcess(GetCurrentProcess(), 3);
}

void log_line(const char *format, ...) {
  char line[2048];
  va_list ap;
  int n = snprintf(line, sizeof line, "ese-bridge: ");
  va_start(ap, format);
  vsnprintf(line + n, sizeof line - (size_t)n - 1, format, ap);
  va_end(ap);
  strcat(line, "\n");
  EnterCriticalSection(&out_lock);
  write_all(err_handle, line, strlen(line));
  LeaveCriticalSection(&out_lock);
}

static void begin(json_buffer *b, const json_value *id, const char *result) {
  jb_init(b);
  jb_raw(b, "{\"id\":");
  jb_value(b, id);
  jb_raw(b, ",\"result\":");
  jb_cstring(b, result);
}

static void finish(json_buffer *b) {
  jb_raw(b, "}");
  output_line(b);
  jb_free(b);
}

/* Human text is one line and bounded (the schema allows 65536 characters). */
static void text_member(json_buffer *b, const char *key, const char *text) {
  size_t n = strlen(text);
  jb_raw(b, ",");
  jb_cstring(b, key);
  jb_raw(b, ":");
  jb_string(b, text, n > 4000 ? 4000 : n);
}

void answer_ok(const json_value *id) {
  json_buffer b;
  begin(&b, id, "ok");
  finish(&b);
}

void answer_error(const json_value *id, const char *error, const char *message) {
  json_buffer b;
  begin(&b, id, "error");
  text_member(&b, "error", error);
  text_member(&b, "message", message);
  finish(&b);
}

void answer_unsupported(const json_value *id, const char *reason) {
  json_buffer b;
  begin(&b, id, "unsupported");
  text_member(&b, "reason", reason);
  finish(&b);
}

void answer_crash(const json_value *id, const char *code, const char *message) {
  json_buffer b;
  begin(&b, id, "crash");
  text_member(&b, "code", code);
  text_member(&b, "message", message);
  finish(&b);
}

void answer_returned(const json_value *id, long err, const char *out_members) {
  json_buffer b;
  begin(&b, id, "returned");
  jb_raw(&b, ",\"err\":");
  jb_int(&b, err);
  if (out_members) {
    jb_raw(&b, ",\"out\":{");
    jb_raw(&b, out_members);
    jb_raw(&b, "}");
  }
  finish(&b);
}
