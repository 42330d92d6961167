/*
 * ese-bridge: the process protocol of docs/protocol.md (version 1) on stdin/stdout, answered by a
 * real esent.dll (Windows' ESENT, Wine's, or the test double of bridge/testdouble/).
 *
 *   ese-bridge.exe [--dll PATH] [--target VERSION] [--name NAME] [--impl-version TEXT]
 *
 * The main thread reads requests; calls go to the worker thread of their logical thread, which
 * answers them; hello, reset and shutdown are answered here (the adapter sends them only when
 * nothing else is unanswered).
 */
#include "esent_api.h"
#include "guard.h"
#include "hold.h"
#include "inject.h"
#include "json.h"
#include "ops.h"
#include "output.h"
#include "state.h"
#include "workers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BRIDGE_VERSION "0.1.0"

static const char *const targets[] = {"windows-2000", "windows-xp", "windows-server-2003", "windows-vista",
                                      "windows-7",    "windows-8",  "windows-10",          "current"};

static struct {
  const char *dll;
  const char *target;
  const char *name;
  const char *version;
} options = {"esent.dll", "current", NULL, NULL};

static size_t max_line_bytes = 1048576;
static DWORD timeout_ms = 10000;
static char implementation_name[200];
static char implementation_version[200];

/* ---- start-up ---- */

static int usage(const char *problem) {
  log_line("%s; usage: ese-bridge.exe [--dll PATH] [--target VERSION] [--name NAME] [--impl-version TEXT]", problem);
  return 2;
}

static int parse_options(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    const char **slot = strcmp(argv[i], "--dll") == 0            ? &options.dll
                        : strcmp(argv[i], "--target") == 0       ? &options.target
                        : strcmp(argv[i], "--name") == 0         ? &options.name
                        : strcmp(argv[i], "--impl-version") == 0 ? &options.version
                                                                 : NULL;
    if (!slot) {
      char problem[300];
      snprintf(problem, sizeof problem, "unknown option '%.200s'", argv[i]);
      return usage(problem);
    }
    if (i + 1 >= argc) return usage("an option lacks its value");
    *slot = argv[++i];
  }
  int known = 0;
  for (size_t t = 0; t < sizeof targets / sizeof targets[0]; t++) known |= strcmp(targets[t], options.target) == 0;
  if (!known) return usage("--target must be one of windows-2000 ... windows-10, current");
  return 0;
}

/* The DLL's FileVersion resource, or "" when it has none. */
static void file_version(const char *path, char *dst, size_t n) {
  DWORD ignored = 0;
  DWORD size = GetFileVersionInfoSizeA(path, &ignored);
  VS_FIXEDFILEINFO *fixed = NULL;
  UINT len = 0;
  dst[0] = '\0';
  if (!size) return;
  void *data = malloc(size);
  if (data && GetFileVersionInfoA(path, 0, size, data) && VerQueryValueA(data, "\\", (void **)&fixed, &len) && fixed &&
      len >= sizeof *fixed)
    snprintf(dst, n, "%lu.%lu.%lu.%lu", (unsigned long)HIWORD(fixed->dwFileVersionMS),
             (unsigned long)LOWORD(fixed->dwFileVersionMS), (unsigned long)HIWORD(fixed->dwFileVersionLS),
             (unsigned long)LOWORD(fixed->dwFileVersionLS));
  free(data);
}

/* Wine's version when running under Wine, else NULL. */
static const char *wine_version(void) {
  typedef const char *(CDECL * wine_get_version_fn)(void);
  HMODULE ntdll = GetModuleHandleA("ntdll.dll");
  wine_get_version_fn fn = ntdll ? (wine_get_version_fn)(void (*)(void))GetProcAddress(ntdll, "wine_get_version") : NULL;
  return fn ? fn() : NULL;
}

/* 1 when the DLL was loaded from the system folder (Wine's own esent.dll, or Windows' ESENT). */
static int from_system_folder(void) {
  char system[MAX_PATH];
  UINT n = GetSystemDirectoryA(system, sizeof system);
  return n > 0 && n < sizeof system && _strnicmp(ese_module_path, system, n) == 0 && ese_module_path[n] == '\\';
}

/* Names for the reports: "Wine esent.dll" / "ESENT" for the system's DLL, else the file name. */
static void describe_implementation(void) {
  char fv[64];
  const char *wine = wine_version();
  const char *base = strrchr(ese_module_path, '\\');
  file_version(ese_module_path, fv, sizeof fv);
  if (options.name) snprintf(implementation_name, sizeof implementation_name, "%s", options.name);
  else if (from_system_folder()) snprintf(implementation_name, sizeof implementation_name, "%s", wine ? "Wine esent.dll" : "ESENT");
  else snprintf(implementation_name, sizeof implementation_name, "%s", base ? base + 1 : ese_module_path);
  if (options.version) snprintf(implementation_version, sizeof implementation_version, "%s", options.version);
  else if (wine)
    snprintf(implementation_version, sizeof implementation_version, "%s%sWine %s (ese-bridge %s)", fv, fv[0] ? ", " : "", wine,
             BRIDGE_VERSION);
  else
    snprintf(implementation_version, sizeof implementation_version, "%s (ese-bridge %s)", fv[0] ? fv : "no version resource",
             BRIDGE_VERSION);
}

/* ---- hello, reset, shutdown ---- */

static void answer_hello(const json_value *id) {
  json_buffer b;
  jb_init(&b);
  jb_raw(&b, "{\"id\":");
  jb_value(&b, id);
  jb_raw(&b, ",\"result\":\"hello\",\"protocol\":1,\"implementation\":{\"name\":");
  jb_cstring(&b, implementation_name);
  jb_raw(&b, ",\"version\":");
  jb_cstring(&b, implementation_version);
  jb_raw(&b, "},\"target\":");
  jb_cstring(&b, options.target);
  jb_raw(&b, ",\"pointerWidth\":");
  jb_int(&b, (int64_t)sizeof(void *) * 8);
  /* Honest: real threads, and in-flight for the calls a JET callback can hold inside the engine
     when the DLL has callbacks (hold.h; any other hold is answered unsupported, which the suite
     reports NOT_APPLICABLE); fault-injection only when the DLL has ESE's own test injection compiled
     in (inject.h: a build with --test-injection). instance-state cannot be done through the API. */
  int callbacks = ese.JetRegisterCallback && ese.JetUnregisterCallback && (ese.JetUpdate || ese.JetDelete);
  jb_raw(&b, ",\"capabilities\":[\"threads\"");
  if (callbacks) jb_raw(&b, ",\"in-flight\"");
  if (inject_available()) jb_raw(&b, ",\"fault-injection\"");
  jb_raw(&b, "],\"x-dll\":");
  jb_cstring(&b, ese_module_path);
  jb_raw(&b, "}");
  output_line(&b);
  jb_free(&b);
}

static void hello(const json_value *request) {
  const json_value *id = json_get(request, "id");
  const json_value *protocol = json_get(request, "protocol");
  const json_value *t = json_get(request, "timeoutMs");
  const json_value *m = json_get(request, "maxLineBytes");
  if (!protocol || protocol->kind != JSON_NUMBER || !protocol->is_int || protocol->integer != 1) {
    answer_error(id, "unsupported-protocol", "ese-bridge speaks protocol 1 only");
    return;
  }
  if (t && t->kind == JSON_NUMBER && t->is_int && t->integer > 0 && t->integer < 86400000) timeout_ms = (DWORD)t->integer;
  if (m && m->kind == JSON_NUMBER && m->is_int && m->integer >= 1024 && m->integer <= 0x40000000) max_line_bytes = (size_t)m->integer;
  answer_hello(id);
}

typedef struct {
  job base;
  int failed;
  char why[400];
} term_job;

typedef struct {
  JET_INSTANCE instance;
  JET_ERR err;
} term_call;

static void term_one(void *p) {
  term_call *t = p;
  /* Dirty: the fastest term, and the one that goes ahead with open transactions. */
  t->err = ese.JetTerm2 ? ese.JetTerm2(t->instance, JET_bitTermDirty) : ese.JetTerm(t->instance);
}

static void terminate_instances(job *j) {
  term_job *tj = (term_job *)j;
  JET_INSTANCE list[256];
  size_t n = state_instances(list, 256);
  for (size_t i = 0; i < n && i < 256; i++) {
    term_call t = {list[i], 0};
    guard_exception ex;
    char handle[40];
    ops_format_handle((unsigned long long)list[i], handle, sizeof handle);
    if (!ese.JetTerm2 && !ese.JetTerm) {
      snprintf(tj->why, sizeof tj->why, "%s exports neither JetTerm2 nor JetTerm", ese_module_path);
      tj->failed = 1;
      return;
    }
    if (guard_run(term_one, &t, &ex)) {
      state_taint("an exception was raised inside esent.dll");
      snprintf(tj->why, sizeof tj->why, "terminating %s: %s", handle, ex.message);
      tj->failed = 1;
      return;
    }
    if (t.err < 0 && t.err != JET_errDirtyShutdown) {
      snprintf(tj->why, sizeof tj->why, "JetTerm2(%s, JET_bitTermDirty) gave %ld", handle, (long)t.err);
      tj->failed = 1;
      return;
    }
    state_instance_terminated(list[i]);
  }
}

/* 0 with a fresh state; -1 with the reason when only a restart can give one. */
static int fresh_state(char *why, size_t n) {
  /* Bounds below the adapter's timeout, so that the answer comes before it gives up. */
  DWORD bound = timeout_ms / 3;
  hold_abandon_all(); /* a held call completes first: its thread can then stop */
  inject_reset();
  if (workers_stop_all(bound)) {
    state_taint("a logical thread was still inside a call at reset");
    snprintf(why, n, "a logical thread was still inside a call after %lu ms", (unsigned long)bound);
    return -1;
  }
  if (state_tainted()) {
    snprintf(why, n, "restart needed for a fresh process: %s", state_tainted());
    return -1;
  }
  term_job *tj = calloc(1, sizeof *tj);
  if (!tj) {
    snprintf(why, n, "out of memory");
    return -1;
  }
  tj->base.run = terminate_instances;
  /* A fresh thread: no logical thread's session context may take part in the clean-up. */
  if (run_on_fresh_thread(&tj->base, bound)) {
    state_taint("terminating the instances did not finish");
    snprintf(why, n, "terminating the instances did not finish within %lu ms", (unsigned long)bound);
    return -1; /* tj is leaked on purpose: the thread may still write to it */
  }
  int failed = tj->failed;
  if (failed) {
    state_taint(tj->why);
    snprintf(why, n, "%s", tj->why);
  }
  free(tj);
  if (failed) return -1;
  state_forget_instances();
  hold_free_retired();
  return state_fresh_folder(why, n);
}

static void reset(const json_value *request) {
  char why[600];
  if (fresh_state(why, sizeof why)) {
    log_line("reset: %s", why);
    answer_error(json_get(request, "id"), "reset-failed", why);
  } else {
    answer_ok(json_get(request, "id"));
  }
}

/* Releases everything and exits 0; answers first when `request` is a shutdown (not at end of input). */
static void shutdown_now(const json_value *request) {
  char why[600];
  hold_abandon_all();
  workers_stop_all(timeout_ms / 3); /* calls still in progress end first (they may taint) */
  if (!state_tainted() && fresh_state(why, sizeof why)) log_line("shutdown: %s", why);
  state_delete_all_folders();
  if (request) answer_ok(json_get(request, "id"));
  /* TerminateProcess, not ExitProcess: no DLL detach code of an engine in an unknown state can
     hang the exit. Every answer is already written (WriteFile is synchronous). */
  TerminateProcess(GetCurrentProcess(), 0);
}

/* ---- requests ---- */

typedef struct {
  job base;
  json_value *request;
} call_job;

static void run_call(job *j) {
  call_job *cj = (call_job *)j;
  ops_execute(cj->request);
  json_free(cj->request);
  free(cj);
}

static int valid_thread_name(const json_value *t) {
  if (!t || t->kind != JSON_STRING || t->length < 1 || t->length > 32) return 0;
  for (size_t i = 0; i < t->length; i++) {
    char ch = t->string[i];
    if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-'))
      return 0;
  }
  return 1;
}

/* The checks of a request that names a call (call, hold): 0, or 1 with the error answered. */
static int refused_call_request(const json_value *id, const json_value *thread, const json_value *op) {
  char message[300];
  if (!valid_thread_name(thread)) {
    answer_error(id, "bad-request", "thread must be 1 to 32 characters of A-Z a-z 0-9 _ -");
  } else if (!op || op->kind != JSON_STRING) {
    answer_error(id, "bad-request", "op must be a string");
  } else if (!ops_known(op->string)) {
    snprintf(message, sizeof message, "no operation named %.200s", op->string);
    answer_error(id, "unknown-operation", message);
  } else {
    return 0;
  }
  return 1;
}

/* Takes ownership of request. Only JetUpdate and JetDelete can be held (hold.h). */
static void hold(json_value *request) {
  const json_value *id = json_get(request, "id");
  const json_value *thread = json_get(request, "thread");
  const json_value *op = json_get(request, "op");
  const json_value *args = json_get(request, "args");
  char message[400];
  if (refused_call_request(id, thread, op)) {
    /* answered */
  } else if (!args || args->kind != JSON_OBJECT) {
    answer_error(id, "bad-request", "args must be an object");
  } else if (!ops_holdable(op->string)) {
    snprintf(message, sizeof message,
             "ese-bridge cannot hold %.100s inside the engine: it holds a call by a JET callback that blocks, and only "
             "JetUpdate (JET_cbtypBeforeInsert/BeforeReplace) and JetDelete (JET_cbtypBeforeDelete) call one; nothing was called",
             op->string);
    answer_unsupported(id, message);
  } else {
    hold_start(request);
    return;
  }
  json_free(request);
}

/* Takes ownership of request. */
static void call(json_value *request) {
  const json_value *id = json_get(request, "id");
  const json_value *thread = json_get(request, "thread");
  const json_value *op = json_get(request, "op");
  if (!refused_call_request(id, thread, op)) {
    worker *w = worker_get(thread->string);
    call_job *cj = calloc(1, sizeof *cj);
    if (w && cj) {
      cj->base.run = run_call;
      cj->request = request;
      worker_post(w, &cj->base);
      return;
    }
    free(cj);
    answer_crash(id, "bridge", "cannot create the thread for this logical thread");
  }
  json_free(request);
}

static void dispatch(char *line, size_t length) {
  char error[200];
  json_value *request = json_parse(line, length, error, sizeof error);
  if (!request) {
    log_line("ignored a line that is not JSON (%s): %.100s", error, line);
    return;
  }
  const json_value *id = json_get(request, "id");
  const json_value *cmd = json_get(request, "cmd");
  if (!id || id->kind != JSON_NUMBER || !id->is_int || id->integer < 1) {
    log_line("ignored a request without a positive integer id: %.100s", line);
  } else if (!cmd || cmd->kind != JSON_STRING) {
    answer_error(id, "bad-request", "cmd must be a string");
  } else if (strcmp(cmd->string, "call") == 0) {
    call(request);
    return;
  } else if (strcmp(cmd->string, "hello") == 0) {
    hello(request);
  } else if (strcmp(cmd->string, "reset") == 0) {
    reset(request);
  } else if (strcmp(cmd->string, "shutdown") == 0) {
    shutdown_now(request);
  } else if (strcmp(cmd->string, "hold") == 0) {
    hold(request);
    return;
  } else if (strcmp(cmd->string, "release") == 0) {
    hold_release(request);
  } else if (strcmp(cmd->string, "inject-fault") == 0 && inject_available()) {
    inject_request(request);
  } else if (strcmp(cmd->string, "force-instance-state") == 0 || strcmp(cmd->string, "inject-fault") == 0) {
    snprintf(error, sizeof error, "%s needs a capability ese-bridge does not declare", cmd->string);
    answer_unsupported(id, error);
  } else {
    char message[300];
    snprintf(message, sizeof message, "no command named %.200s", cmd->string);
    answer_error(id, "unknown-command", message);
  }
  json_free(request);
}

/* Reads stdin line by line; a line over the limit is skipped up to its end (it has no readable id). */
static void read_requests(void) {
  HANDLE in = GetStdHandle(STD_INPUT_HANDLE);
  static char chunk[65536];
  char *line = NULL;
  size_t length = 0, capacity = 0;
  int skipping = 0;
  for (;;) {
    DWORD got = 0;
    if (!ReadFile(in, chunk, sizeof chunk, &got, NULL) || got == 0) break;
    for (DWORD i = 0; i < got; i++) {
      char ch = chunk[i];
      if (ch == '\n') {
        if (skipping) log_line("ignored a line over %lu bytes", (unsigned long)max_line_bytes);
        else {
          if (length > 0 && line[length - 1] == '\r') length--;
          if (length > 0) {
            line[length] = '\0';
            dispatch(line, length);
          }
        }
        length = 0;
        skipping = 0;
        continue;
      }
      if (skipping) continue;
      if (length >= max_line_bytes) {
        skipping = 1;
        continue;
      }
      if (length + 2 > capacity) {
        size_t ncap = capacity ? capacity * 2 : 4096;
        char *nl = realloc(line, ncap);
        if (!nl) {
          log_line("out of memory reading a request");
          skipping = 1;
          continue;
        }
        line = nl;
        capacity = ncap;
      }
      line[length++] = ch;
    }
  }
  free(line);
}

int main(int argc, char **argv) {
  /* No error dialogs: a crash must end as an answer or an exit, never as a window nobody sees. */
  SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX | SEM_NOOPENFILEERRORBOX);
  output_init();
  state_init();
  if (parse_options(argc, argv)) return 2;
  char error[400];
  if (ese_load(options.dll, error, sizeof error)) {
    log_line("%s", error);
    return 2;
  }
  describe_implementation();
  inject_probe();
  guard_install();
  state_delete_stale_folders();
  read_requests();
  /* End of input without shutdown: release everything all the same. */
  shutdown_now(NULL);
  return 0;
}
