/*
 * Per-call exception guard.
 *
 * MSVC: __try/__except around the call. mingw-w64 GCC has no __try, so the guard is the
 * process's top-level (unhandled) exception filter plus setjmp/longjmp: the filter is reached
 * only when no frame inside the engine handled the exception, exactly the exceptions an
 * __except around the call would see, and mingw's longjmp unwinds the frames in between
 * (RtlUnwindEx), so the engine's own termination handlers run as they would under __except.
 * Verified under Wine 8.0 (test/bridge/). Vectored handlers were rejected: they run before the
 * engine's own handlers and would turn exceptions ESENT handles internally into crashes.
 */
#include "guard.h"

#include <stdio.h>
#include <string.h>

static const char *code_name(DWORD code) {
  switch (code) {
    case 0x80000100: return "unimplemented function";
    case EXCEPTION_ACCESS_VIOLATION: return "access violation";
    case EXCEPTION_STACK_OVERFLOW: return "stack overflow";
    case EXCEPTION_INT_DIVIDE_BY_ZERO: return "integer divide by zero";
    case EXCEPTION_ILLEGAL_INSTRUCTION: return "illegal instruction";
    case EXCEPTION_PRIV_INSTRUCTION: return "privileged instruction";
    case EXCEPTION_IN_PAGE_ERROR: return "in-page error";
    case EXCEPTION_BREAKPOINT: return "breakpoint";
    case EXCEPTION_DATATYPE_MISALIGNMENT: return "datatype misalignment";
    case EXCEPTION_ARRAY_BOUNDS_EXCEEDED: return "array bounds exceeded";
    case EXCEPTION_NONCONTINUABLE_EXCEPTION: return "noncontinuable exception";
    case EXCEPTION_INVALID_HANDLE: return "invalid handle";
    case 0xC0000409: return "stack buffer overrun (fail fast)";
    case 0xE06D7363: return "C++ exception";
    default: return "exception";
  }
}

/* "esent.dll+0x1a2b" for an address inside a loaded module, else the bare address. */
static void where(const void *address, char *dst, size_t n) {
  HMODULE m = NULL;
  char path[MAX_PATH];
  if (GetModuleHandleExA(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                         (LPCSTR)address, &m) &&
      GetModuleFileNameA(m, path, sizeof path)) {
    const char *base = strrchr(path, '\\');
    snprintf(dst, n, "%s+0x%llx", base ? base + 1 : path,
             (unsigned long long)((const char *)address - (const char *)m));
  } else {
    snprintf(dst, n, "0x%llx", (unsigned long long)(ULONG_PTR)address);
  }
}

/* Copies at most n-1 bytes of a C string the exception record points to. */
static void copy_bounded(char *dst, size_t n, const char *src) {
  size_t i = 0;
  if (!src) src = "?";
  for (; i + 1 < n && src[i]; i++) dst[i] = src[i];
  dst[i] = '\0';
}

static void describe(const EXCEPTION_RECORD *r, guard_exception *ex) {
  char at[MAX_PATH + 32];
  char detail[300] = "";
  ex->code = r->ExceptionCode;
  where(r->ExceptionAddress, at, sizeof at);
  if (r->ExceptionCode == 0x80000100 && r->NumberParameters >= 2) {
    /* Wine's stub passes the DLL and function names as its two parameters. */
    char dll[64], fn[128];
    copy_bounded(dll, sizeof dll, (const char *)r->ExceptionInformation[0]);
    copy_bounded(fn, sizeof fn, (const char *)r->ExceptionInformation[1]);
    snprintf(detail, sizeof detail, " %s.%s (a Wine stub)", dll, fn);
  } else if (r->ExceptionCode == EXCEPTION_ACCESS_VIOLATION && r->NumberParameters >= 2) {
    ULONG_PTR kind = r->ExceptionInformation[0];
    snprintf(detail, sizeof detail, " %s 0x%llx", kind == 0 ? "reading" : kind == 1 ? "writing" : "executing",
             (unsigned long long)r->ExceptionInformation[1]);
  }
  snprintf(ex->message, sizeof ex->message, "%s%s at %s", code_name(r->ExceptionCode), detail, at);
}

#ifdef _MSC_VER

void guard_install(void) {}

static int filter(const EXCEPTION_POINTERS *ep, guard_exception *ex) {
  describe(ep->ExceptionRecord, ex);
  return EXCEPTION_EXECUTE_HANDLER;
}

int guard_run(guarded_fn fn, void *context, guard_exception *ex) {
  __try {
    fn(context);
  } __except (filter(GetExceptionInformation(), ex)) {
    return 1;
  }
  return 0;
}

#else

#include <setjmp.h>

typedef struct {
  jmp_buf jump;
  guard_exception *ex;
} guard_frame;

static DWORD tls_frame = TLS_OUT_OF_INDEXES;

static LONG WINAPI unhandled(EXCEPTION_POINTERS *ep) {
  guard_frame *f = tls_frame == TLS_OUT_OF_INDEXES ? NULL : (guard_frame *)TlsGetValue(tls_frame);
  if (!f) return EXCEPTION_CONTINUE_SEARCH; /* not inside a call: a bug of the bridge, let it die */
  TlsSetValue(tls_frame, NULL);
  describe(ep->ExceptionRecord, f->ex);
  longjmp(f->jump, 1);
}

void guard_install(void) {
  tls_frame = TlsAlloc();
  SetUnhandledExceptionFilter(unhandled);
}

int guard_run(guarded_fn fn, void *context, guard_exception *ex) {
  guard_frame frame;
  frame.ex = ex;
  if (setjmp(frame.jump) != 0) return 1;
  TlsSetValue(tls_frame, &frame);
  fn(context);
  TlsSetValue(tls_frame, NULL);
  return 0;
}

#endif
