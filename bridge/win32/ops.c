/*
 * One handler per operation: read the JSON arguments, call the entry point, write the out-values.
 * A handler runs entirely inside the per-call exception guard (guard.h).
 */
#include "ops.h"

#include "esent_api.h"
#include "guard.h"
#include "inject.h"
#include "output.h"
#include "state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_OWNED 16

typedef struct {
  const char *op;
  const json_value *args;
  JET_ERR err;
  json_buffer out; /* members of "out", comma-separated, without braces */
  int out_count;
  char bad[300];         /* set: answer error bad-request */
  char unsupported[300]; /* set: answer unsupported */
  void *owned[MAX_OWNED];
  int owned_count;
  const ops_hold *hold; /* set: the call is to be held (in-flight), see hold.h */
} call_ctx;

/* The forged never-issued handle: the address of this private object, which no API ever issued.
   Readable memory, so even an engine that dereferences unknown handles does not fault on it. */
static volatile unsigned char never_issued_guard[64];

void ops_format_handle(unsigned long long value, char *dst, size_t n) { snprintf(dst, n, "0x%llx", value); }

/* ---- arguments ---- */

static int bad(call_ctx *c, const char *key, const char *what) {
  if (!c->bad[0]) snprintf(c->bad, sizeof c->bad, "%s: args.%s %s", c->op, key, what);
  return 0;
}

static const json_value *arg(call_ctx *c, const char *key) {
  const json_value *v = json_get(c->args, key);
  if (!v) bad(c, key, "is missing");
  return v;
}

static int parse_hex_handle(const char *s, JET_API_PTR *out) {
  unsigned long long v = 0;
  size_t digits = 0;
  if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X')) return 0;
  for (const char *p = s + 2; *p; p++, digits++) {
    int d;
    if (*p >= '0' && *p <= '9') d = *p - '0';
    else if (*p >= 'a' && *p <= 'f') d = *p - 'a' + 10;
    else if (*p >= 'A' && *p <= 'F') d = *p - 'A' + 10;
    else return 0;
    if (digits >= sizeof(JET_API_PTR) * 2) return 0;
    v = (v << 4) | (unsigned long long)d;
  }
  if (digits == 0) return 0;
  *out = (JET_API_PTR)v;
  return 1;
}

/* A handle string this bridge issued, or a forged token. *forged tells which. */
static int arg_handle_value(call_ctx *c, const char *key, const json_value *v, JET_API_PTR *out, int *forged) {
  *forged = 0;
  if (v->kind == JSON_STRING) {
    if (!parse_hex_handle(v->string, out)) return bad(c, key, "is not a handle this bridge issued (0x and hex digits)");
    return 1;
  }
  const json_value *kind = json_get(v, "forged");
  if (v->kind == JSON_OBJECT && kind && kind->kind == JSON_STRING) {
    *forged = 1;
    if (strcmp(kind->string, "nil") == 0) *out = ~(JET_API_PTR)0;
    else if (strcmp(kind->string, "zero") == 0) *out = 0;
    else if (strcmp(kind->string, "never-issued") == 0) *out = (JET_API_PTR)(ULONG_PTR)never_issued_guard;
    else return bad(c, key, "is an unknown forged handle kind");
    return 1;
  }
  return bad(c, key, "is neither a handle string nor a forged token");
}

static int arg_handle(call_ctx *c, const char *key, JET_API_PTR *out, int *forged) {
  const json_value *v = arg(c, key);
  return v && arg_handle_value(c, key, v, out, forged);
}

/* A handle slot that may be null (JetSetSystemParameter): *is_null tells. */
static int arg_handle_or_null(call_ctx *c, const char *key, JET_API_PTR *out, int *forged, int *is_null) {
  const json_value *v = arg(c, key);
  *is_null = 0;
  if (!v) return 0;
  if (v->kind == JSON_NULL) {
    *is_null = 1;
    *forged = 0;
    *out = 0;
    return 1;
  }
  return arg_handle_value(c, key, v, out, forged);
}

static int arg_integer(call_ctx *c, const char *key, long long min, long long max, long long *out) {
  const json_value *v = arg(c, key);
  if (!v) return 0;
  if (v->kind != JSON_NUMBER || !v->is_int || v->integer < min || v->integer > max) {
    char what[96];
    snprintf(what, sizeof what, "must be an integer from %lld to %lld", min, max);
    return bad(c, key, what);
  }
  *out = v->integer;
  return 1;
}

static int arg_u32(call_ctx *c, const char *key, unsigned long *out) {
  long long v;
  if (!arg_integer(c, key, 0, 4294967295LL, &v)) return 0;
  *out = (unsigned long)v;
  return 1;
}

static int arg_i32(call_ctx *c, const char *key, long *out) {
  long long v;
  if (!arg_integer(c, key, -2147483648LL, 2147483647LL, &v)) return 0;
  *out = (long)v;
  return 1;
}

/* JET_API_PTR: -1 is all ones at this pointer width. */
static int arg_ptr(call_ctx *c, const char *key, JET_API_PTR *out) {
  long long v;
  if (!arg_integer(c, key, -1, 9007199254740991LL, &v)) return 0;
  *out = v == -1 ? ~(JET_API_PTR)0 : (JET_API_PTR)v;
  return 1;
}

static void *own(call_ctx *c, void *p) {
  if (p && c->owned_count < MAX_OWNED) c->owned[c->owned_count++] = p;
  return p;
}

/* UTF-8 to UTF-16, NUL-terminated; *chars excludes the NUL. NULL when out of memory. */
static WCHAR *utf16(call_ctx *c, const char *s, size_t n, int *chars) {
  int w = n ? MultiByteToWideChar(CP_UTF8, 0, s, (int)n, NULL, 0) : 0;
  WCHAR *buf = own(c, malloc(((size_t)w + 1) * sizeof(WCHAR)));
  if (!buf) return NULL;
  if (w) MultiByteToWideChar(CP_UTF8, 0, s, (int)n, buf, w);
  buf[w] = 0;
  *chars = w;
  return buf;
}

/* A name for the narrow entry points: UTF-8 to the ANSI code page (plain ASCII is unchanged). */
static const char *arg_name(call_ctx *c, const char *key) {
  const json_value *v = arg(c, key);
  int chars;
  if (!v) return NULL;
  if (v->kind != JSON_STRING) {
    bad(c, key, "must be a string");
    return NULL;
  }
  if (memchr(v->string, '\0', v->length)) {
    bad(c, key, "contains U+0000, which no C string can carry");
    return NULL;
  }
  WCHAR *w = utf16(c, v->string, v->length, &chars);
  BOOL lossy = FALSE;
  int n = w ? WideCharToMultiByte(CP_ACP, WC_NO_BEST_FIT_CHARS, w, chars, NULL, 0, NULL, &lossy) : 0;
  char *a = own(c, malloc((size_t)n + 1));
  if (!w || !a) {
    bad(c, key, "could not be converted: out of memory");
    return NULL;
  }
  if (n) WideCharToMultiByte(CP_ACP, WC_NO_BEST_FIT_CHARS, w, chars, a, n, NULL, &lossy);
  a[n] = '\0';
  if (lossy) {
    snprintf(c->unsupported, sizeof c->unsupported, "%s: args.%s has characters outside the ANSI code page %u",
             c->op, key, GetACP());
    return NULL;
  }
  return a;
}

/* ---- out-values ---- */

static void out_key(call_ctx *c, const char *key) {
  if (c->out_count++) jb_raw(&c->out, ",");
  jb_cstring(&c->out, key);
  jb_raw(&c->out, ":");
}

static void out_handle(call_ctx *c, const char *key, JET_API_PTR v) {
  char text[40];
  ops_format_handle((unsigned long long)v, text, sizeof text);
  out_key(c, key);
  jb_cstring(&c->out, text);
}

static void out_uint(call_ctx *c, const char *key, unsigned long v) {
  out_key(c, key);
  jb_uint(&c->out, v);
}

static int missing(call_ctx *c, const char *function) {
  snprintf(c->unsupported, sizeof c->unsupported, "%s exports no %s", ese_module_path, function);
  return 0;
}

#define NEED(fn) \
  if (!ese.fn) { \
    missing(c, #fn); \
    return; \
  }
#define HANDLE(name) \
  JET_API_PTR name; \
  int name##_forged; \
  if (!arg_handle(c, #name, &name, &name##_forged)) return;
#define U32(name) \
  unsigned long name; \
  if (!arg_u32(c, #name, &name)) return;
#define NAME(name) \
  const char *name = arg_name(c, #name); \
  if (!name) return;

/* ---- handlers ---- */

/* Each instance gets its own folder for system, log and temp files inside the scenario's folder:
   two instances of one scenario must not share log files. */
/*
 * An instance's system, log and temp files go to a folder of their own, chosen right before its
 * JetInit: the folder of the oldest dirty term not yet recovered, so that this JetInit replays
 * that instance's logs and its databases are consistent again, as when an application restarts
 * after a crash (what the reference models: a dirty term is followed by recovery); else a fresh
 * one. Two live instances never share a folder (ESE would refuse the second's logs). Returns the
 * folder placed (or "" when none could be), `dirty` set for a dirty term's folder.
 */
static void place_instance_files(JET_INSTANCE instance, char *folder, size_t folder_size, int *dirty) {
  static const unsigned long params[] = {JET_paramSystemPath, JET_paramLogFilePath, JET_paramTempPath};
  *dirty = 0;
  if (!ese.JetSetSystemParameter || state_instance_folder(folder, folder_size, dirty)) {
    folder[0] = '\0';
    return;
  }
  for (size_t i = 0; i < sizeof params / sizeof params[0]; i++) {
    JET_ERR e = ese.JetSetSystemParameter(&instance, 0, params[i], 0, folder);
    if (e < 0) log_line("JetSetSystemParameter(paramid %lu, %s) gave %ld", params[i], folder, (long)e);
  }
}

static void op_JetCreateInstance(call_ctx *c) {
  NAME(name)
  NEED(JetCreateInstance)
  JET_INSTANCE instance = 0;
  c->err = ese.JetCreateInstance(&instance, name);
  if (c->err < 0) return;
  state_instance_created(instance);
  out_handle(c, "instance", instance);
}

static void op_JetSetSystemParameter(call_ctx *c) {
  JET_API_PTR instance, sesid, lParam;
  int instance_forged, instance_null, sesid_forged, sesid_null;
  unsigned long paramid;
  if (!arg_handle_or_null(c, "instance", &instance, &instance_forged, &instance_null) ||
      !arg_handle_or_null(c, "sesid", &sesid, &sesid_forged, &sesid_null) || !arg_u32(c, "paramid", &paramid) ||
      !arg_ptr(c, "lParam", &lParam))
    return;
  NEED(JetSetSystemParameter)
  JET_INSTANCE copy = instance;
  c->err = ese.JetSetSystemParameter(instance_null ? NULL : &copy, sesid, paramid, lParam, NULL);
  if (c->err >= 0 && (instance_null || instance_forged))
    state_taint("a system parameter was set outside an issued instance (process-wide)");
}

static void op_JetInit(call_ctx *c) {
  HANDLE(instance)
  NEED(JetInit)
  JET_INSTANCE copy = instance;
  char folder[MAX_PATH];
  int dirty = 0;
  folder[0] = '\0';
  /* An issued, not terminated instance gets its folder now (a forged one cannot be tracked). */
  if (!instance_forged && state_instance_known(instance)) place_instance_files(instance, folder, sizeof folder, &dirty);
  c->err = ese.JetInit(&copy);
  if (c->err >= 0 && folder[0]) state_instance_placed(instance, folder, dirty);
  /* A forged slot can start the legacy single instance, which the bridge cannot track. */
  if (c->err >= 0 && instance_forged) state_taint("JetInit succeeded on a forged instance handle");
}

/* `down`: the instance was down from an injected undo fault (inject.h), which ESE terms dirty. */
static void terminated(call_ctx *c, JET_INSTANCE instance, int down) {
  if (c->err == JET_errDirtyShutdown || (down && c->err >= 0)) state_instance_dirty(instance);
  if (c->err >= 0 || c->err == JET_errDirtyShutdown) state_instance_terminated(instance);
}

static void op_JetTerm(call_ctx *c) {
  HANDLE(instance)
  NEED(JetTerm)
  int down = inject_instance_down(instance);
  c->err = ese.JetTerm(instance);
  terminated(c, instance, down);
}

static void op_JetTerm2(call_ctx *c) {
  HANDLE(instance)
  U32(grbit)
  NEED(JetTerm2)
  int down = inject_instance_down(instance);
  c->err = ese.JetTerm2(instance, grbit);
  terminated(c, instance, down);
}

static void op_JetStopService(call_ctx *c) {
  NEED(JetStopService)
  c->err = ese.JetStopService();
}

static void op_JetStopServiceInstance(call_ctx *c) {
  HANDLE(instance)
  NEED(JetStopServiceInstance)
  c->err = ese.JetStopServiceInstance(instance);
}

static void op_JetStopServiceInstance2(call_ctx *c) {
  HANDLE(instance)
  U32(grbit)
  NEED(JetStopServiceInstance2)
  c->err = ese.JetStopServiceInstance2(instance, grbit);
}

static void op_JetBeginSession(call_ctx *c) {
  HANDLE(instance)
  NAME(username)
  NAME(password)
  NEED(JetBeginSession)
  JET_SESID sesid = 0;
  c->err = ese.JetBeginSession(instance, &sesid, username, password);
  if (c->err >= 0) state_context_clear(sesid); /* a handle of an ended session, reused */
  if (c->err >= 0) out_handle(c, "sesid", sesid);
}

static void op_JetDupSession(call_ctx *c) {
  HANDLE(sesid)
  NEED(JetDupSession)
  JET_SESID dup = 0;
  c->err = ese.JetDupSession(sesid, &dup);
  if (c->err >= 0) state_context_clear(dup);
  if (c->err >= 0) out_handle(c, "sesid", dup);
}

static void op_JetEndSession(call_ctx *c) {
  HANDLE(sesid)
  U32(grbit)
  NEED(JetEndSession)
  int armed;
  if (inject_before_end(&armed, c->unsupported, sizeof c->unsupported)) return;
  c->err = ese.JetEndSession(sesid, grbit);
  inject_after_end(armed, c->err);
  if (c->err >= 0) state_context_clear(sesid);
}

static void op_JetSetSessionContext(call_ctx *c) {
  HANDLE(sesid)
  JET_API_PTR context;
  if (!arg_ptr(c, "context", &context)) return;
  NEED(JetSetSessionContext)
  c->err = ese.JetSetSessionContext(sesid, context);
  if (c->err >= 0) state_context_set(sesid, GetCurrentThreadId());
}

static void op_JetResetSessionContext(call_ctx *c) {
  HANDLE(sesid)
  NEED(JetResetSessionContext)
  c->err = ese.JetResetSessionContext(sesid);
  if (c->err >= 0) state_context_clear(sesid);
}

static void op_JetBeginTransaction(call_ctx *c) {
  HANDLE(sesid)
  NEED(JetBeginTransaction)
  c->err = ese.JetBeginTransaction(sesid);
}

static void op_JetBeginTransaction2(call_ctx *c) {
  HANDLE(sesid)
  U32(grbit)
  NEED(JetBeginTransaction2)
  c->err = ese.JetBeginTransaction2(sesid, grbit);
}

static void op_JetCommitTransaction(call_ctx *c) {
  HANDLE(sesid)
  U32(grbit)
  NEED(JetCommitTransaction)
  c->err = ese.JetCommitTransaction(sesid, grbit);
}

static void op_JetRollback(call_ctx *c) {
  HANDLE(sesid)
  U32(grbit)
  NEED(JetRollback)
  c->err = ese.JetRollback(sesid, grbit);
}

static void op_JetCreateDatabase(call_ctx *c) {
  HANDLE(sesid)
  NAME(filename)
  U32(grbit)
  NEED(JetCreateDatabase)
  JET_DBID dbid = 0;
  c->err = ese.JetCreateDatabase(sesid, filename, NULL, &dbid, grbit);
  if (c->err >= 0) out_uint(c, "dbid", dbid);
}

static void op_JetAttachDatabase(call_ctx *c) {
  HANDLE(sesid)
  NAME(filename)
  U32(grbit)
  NEED(JetAttachDatabase)
  c->err = ese.JetAttachDatabase(sesid, filename, grbit);
}

static void op_JetOpenDatabase(call_ctx *c) {
  HANDLE(sesid)
  NAME(filename)
  U32(grbit)
  NEED(JetOpenDatabase)
  JET_DBID dbid = 0;
  c->err = ese.JetOpenDatabase(sesid, filename, NULL, &dbid, grbit);
  if (c->err >= 0) out_uint(c, "dbid", dbid);
}

static void op_JetCloseDatabase(call_ctx *c) {
  HANDLE(sesid)
  U32(dbid)
  U32(grbit)
  NEED(JetCloseDatabase)
  c->err = ese.JetCloseDatabase(sesid, dbid, grbit);
}

static void op_JetCreateTable(call_ctx *c) {
  HANDLE(sesid)
  U32(dbid)
  NAME(tablename)
  NEED(JetCreateTable)
  JET_TABLEID tableid = 0;
  /* 0 pages and 0 density: the engine's defaults. */
  c->err = ese.JetCreateTable(sesid, dbid, tablename, 0, 0, &tableid);
  if (c->err >= 0) out_handle(c, "tableid", tableid);
}

/* Text columns are created Unicode (cp 1200) so that any JSON string round-trips. */
static void column_def(JET_COLUMNDEF *def, unsigned long coltyp, unsigned long grbit) {
  memset(def, 0, sizeof *def);
  def->cbStruct = sizeof *def;
  def->coltyp = coltyp;
  if (coltyp == JET_coltypText || coltyp == JET_coltypLongText) def->cp = JET_cpUnicode;
  def->grbit = grbit;
}

static void op_JetAddColumn(call_ctx *c) {
  HANDLE(sesid)
  HANDLE(tableid)
  NAME(column)
  U32(coltyp)
  NEED(JetAddColumn)
  JET_COLUMNDEF def;
  JET_COLUMNID columnid = 0;
  column_def(&def, coltyp, 0);
  c->err = ese.JetAddColumn(sesid, tableid, column, &def, NULL, 0, &columnid);
  if (c->err < 0) return;
  state_column_type(columnid, coltyp);
  out_uint(c, "columnid", columnid);
}

static void op_JetOpenTable(call_ctx *c) {
  HANDLE(sesid)
  U32(dbid)
  NAME(tablename)
  U32(grbit)
  NEED(JetOpenTable)
  JET_TABLEID tableid = 0;
  c->err = ese.JetOpenTable(sesid, dbid, tablename, NULL, 0, grbit, &tableid);
  if (c->err >= 0) out_handle(c, "tableid", tableid);
}

static void op_JetDupCursor(call_ctx *c) {
  HANDLE(sesid)
  HANDLE(tableid)
  U32(grbit)
  NEED(JetDupCursor)
  JET_TABLEID dup = 0;
  c->err = ese.JetDupCursor(sesid, tableid, &dup, grbit);
  if (c->err >= 0) out_handle(c, "tableid", dup);
}

static void op_JetCloseTable(call_ctx *c) {
  HANDLE(sesid)
  HANDLE(tableid)
  NEED(JetCloseTable)
  c->err = ese.JetCloseTable(sesid, tableid);
}

static void op_JetPrepareUpdate(call_ctx *c) {
  HANDLE(sesid)
  HANDLE(tableid)
  long prep;
  if (!arg_i32(c, "prep", &prep)) return;
  NEED(JetPrepareUpdate)
  c->err = ese.JetPrepareUpdate(sesid, tableid, (unsigned long)prep);
}

static void op_JetSetColumn(call_ctx *c) {
  HANDLE(sesid)
  HANDLE(tableid)
  U32(columnid)
  const json_value *value = arg(c, "value");
  if (!value) return;
  const void *data = NULL;
  unsigned long cb = 0;
  JET_GRBIT grbit = 0;
  long number;
  long long wide;
  if (value->kind == JSON_NUMBER) {
    /* A 32-bit value goes as JET_coltypLong's 4 bytes; a wider one (the protocol's integers reach
       +-2^53) as 8 bytes, so that the engine, not the bridge, answers for a value that does not fit. */
    if (!arg_integer(c, "value", -9007199254740992LL, 9007199254740992LL, &wide)) return;
    if (wide >= -2147483648LL && wide <= 2147483647LL) {
      number = (long)wide;
      data = &number;
      cb = sizeof number;
    } else {
      data = &wide;
      cb = sizeof wide;
    }
  } else if (value->kind == JSON_STRING) {
    int chars;
    const WCHAR *w = utf16(c, value->string, value->length, &chars);
    if (!w) {
      bad(c, "value", "could not be converted: out of memory");
      return;
    }
    data = w;
    cb = (unsigned long)chars * sizeof(WCHAR);
    if (cb == 0) grbit = JET_bitSetZeroLength; /* "" is a zero-length value, not NULL */
  } else if (value->kind != JSON_NULL) {
    bad(c, "value", "must be an integer, a string or null");
    return;
  }
  NEED(JetSetColumn)
  c->err = ese.JetSetColumn(sesid, tableid, columnid, data, cb, grbit, NULL);
}

/*
 * A held JetUpdate/JetDelete: the hold's callback is registered on the cursor just for the call
 * (ESE keeps callbacks on the table, unversioned: fcb.cxx ErrIsamRegisterCallback). A registration
 * the engine refuses holds nothing and calls nothing: the answer is `unsupported` with its code.
 */
static int hold_register(call_ctx *c, JET_SESID sesid, JET_TABLEID tableid, JET_CBTYP cbtyp, JET_HANDLE *hcb) {
  if (!ese.JetRegisterCallback || !ese.JetUnregisterCallback) return missing(c, "JetRegisterCallback/JetUnregisterCallback");
  /* ErrIsamRegisterCallback begins a transaction (fcb.cxx 2989): at level 0 off the thread that set
     the session's context it binds to the context and cannot commit or roll back (-1910), leaving a
     level the suite never made (kind K, issue 13). Refused before any call instead. */
  DWORD owner = state_context_thread(sesid);
  if (owner != 0 && owner != GetCurrentThreadId()) {
    snprintf(c->unsupported, sizeof c->unsupported,
             "%s cannot be held: ese-bridge holds a call inside the engine by a blocking JET callback, and "
             "JetRegisterCallback from a thread other than the one that set the session's context would leave "
             "a transaction level (ESE answers -1910); nothing was called",
             c->op);
    return 0;
  }
  JET_ERR err = ese.JetRegisterCallback(sesid, tableid, cbtyp, c->hold->callback, c->hold->context, hcb);
  if (err < 0) {
    snprintf(c->unsupported, sizeof c->unsupported,
             "%s cannot be held: ese-bridge holds a call inside the engine by a blocking JET callback, and "
             "JetRegisterCallback on this cursor gave %ld; nothing was called",
             c->op, (long)err);
    return 0;
  }
  return 1;
}

static void hold_unregister(call_ctx *c, JET_SESID sesid, JET_TABLEID tableid, JET_CBTYP cbtyp, JET_HANDLE hcb) {
  JET_ERR err = ese.JetUnregisterCallback(sesid, tableid, cbtyp, hcb);
  if (err < 0) log_line("%s: JetUnregisterCallback after the held call gave %ld", c->op, (long)err);
}

static void op_JetUpdate(call_ctx *c) {
  HANDLE(sesid)
  HANDLE(tableid)
  NEED(JetUpdate)
  const JET_CBTYP cbtyp = JET_cbtypBeforeInsert | JET_cbtypBeforeReplace;
  JET_HANDLE hcb = 0;
  if (c->hold && !hold_register(c, sesid, tableid, cbtyp, &hcb)) return;
  c->err = ese.JetUpdate(sesid, tableid, NULL, 0, NULL);
  if (c->hold) hold_unregister(c, sesid, tableid, cbtyp, hcb);
}

static void op_JetDelete(call_ctx *c) {
  HANDLE(sesid)
  HANDLE(tableid)
  NEED(JetDelete)
  JET_HANDLE hcb = 0;
  if (c->hold && !hold_register(c, sesid, tableid, JET_cbtypBeforeDelete, &hcb)) return;
  c->err = ese.JetDelete(sesid, tableid);
  if (c->hold) hold_unregister(c, sesid, tableid, JET_cbtypBeforeDelete, hcb);
}

static void op_JetMove(call_ctx *c) {
  HANDLE(sesid)
  HANDLE(tableid)
  long cRow;
  if (!arg_i32(c, "cRow", &cRow)) return;
  U32(grbit)
  NEED(JetMove)
  c->err = ese.JetMove(sesid, tableid, cRow, grbit);
}

/*
 * The value's JSON type follows the column's type: learned when this process state created the
 * column; otherwise ESE's columnid ranges decide (1-127 fixed columns: JET_coltypLong in this
 * suite; variable and tagged columns: text).
 */
static void op_JetRetrieveColumn(call_ctx *c) {
  HANDLE(sesid)
  HANDLE(tableid)
  U32(columnid)
  NEED(JetRetrieveColumn)
  unsigned long cb = 256, actual = 0;
  unsigned char *buf = own(c, malloc(cb));
  if (!buf) {
    bad(c, "columnid", "cannot be read: out of memory");
    return;
  }
  c->err = ese.JetRetrieveColumn(sesid, tableid, columnid, buf, cb, &actual, 0, NULL);
  if (c->err == JET_wrnBufferTruncated && actual > cb) {
    cb = actual;
    buf = own(c, malloc(cb));
    if (!buf) {
      bad(c, "columnid", "cannot be read: out of memory");
      return;
    }
    c->err = ese.JetRetrieveColumn(sesid, tableid, columnid, buf, cb, &actual, 0, NULL);
  }
  if (c->err < 0) return;
  out_key(c, "value");
  if (c->err == JET_wrnColumnNull) {
    jb_raw(&c->out, "null");
    return;
  }
  if (actual > cb) actual = cb;
  JET_COLTYP coltyp = state_column_type_of(columnid);
  if (coltyp == 0) coltyp = columnid <= 127 ? JET_coltypLong : JET_coltypLongText;
  if (coltyp == JET_coltypLong && actual == 4) {
    long v;
    memcpy(&v, buf, sizeof v);
    jb_int(&c->out, v);
    return;
  }
  int n = actual >= 2 ? WideCharToMultiByte(CP_UTF8, 0, (const WCHAR *)buf, (int)(actual / 2), NULL, 0, NULL, NULL) : 0;
  char *utf8 = own(c, malloc((size_t)n + 1));
  if (!utf8) {
    bad(c, "columnid", "cannot be converted: out of memory");
    return;
  }
  if (n) WideCharToMultiByte(CP_UTF8, 0, (const WCHAR *)buf, (int)(actual / 2), utf8, n, NULL, NULL);
  jb_string(&c->out, utf8, (size_t)n);
}

static void op_JetOpenTempTable(call_ctx *c) {
  HANDLE(sesid)
  const json_value *columns = arg(c, "columns");
  if (!columns) return;
  if (columns->kind != JSON_ARRAY || columns->count > 4096) {
    bad(c, "columns", "must be an array of at most 4096 column definitions");
    return;
  }
  U32(grbit)
  size_t n = columns->count;
  JET_COLUMNDEF *defs = own(c, calloc(n ? n : 1, sizeof *defs));
  JET_COLUMNID *ids = own(c, calloc(n ? n : 1, sizeof *ids));
  if (!defs || !ids) {
    bad(c, "columns", "cannot be held: out of memory");
    return;
  }
  for (size_t i = 0; i < n; i++) {
    const json_value *coltyp = json_get(&columns->items[i], "coltyp");
    const json_value *cgrbit = json_get(&columns->items[i], "grbit");
    if (!coltyp || !cgrbit || coltyp->kind != JSON_NUMBER || !coltyp->is_int || coltyp->integer < 0 ||
        coltyp->integer > 4294967295LL || cgrbit->kind != JSON_NUMBER || !cgrbit->is_int || cgrbit->integer < 0 ||
        cgrbit->integer > 4294967295LL) {
      bad(c, "columns", "entries must be {\"coltyp\": uint32, \"grbit\": uint32}");
      return;
    }
    column_def(&defs[i], (unsigned long)coltyp->integer, (unsigned long)cgrbit->integer);
  }
  NEED(JetOpenTempTable)
  JET_TABLEID tableid = 0;
  c->err = ese.JetOpenTempTable(sesid, defs, (unsigned long)n, grbit, &tableid, ids);
  if (c->err < 0) return;
  out_handle(c, "tableid", tableid);
  out_key(c, "columnids");
  jb_raw(&c->out, "[");
  for (size_t i = 0; i < n; i++) {
    if (i) jb_raw(&c->out, ",");
    jb_uint(&c->out, ids[i]);
    state_column_type(ids[i], defs[i].coltyp);
  }
  jb_raw(&c->out, "]");
}

/* ---- dispatch ---- */

typedef struct {
  const char *name;
  void (*handler)(call_ctx *c);
} op_entry;

#define OP(name) {#name, op_##name}
static const op_entry op_table[] = {
    OP(JetCreateInstance),      OP(JetSetSystemParameter),   OP(JetInit),
    OP(JetTerm),                OP(JetTerm2),                OP(JetStopService),
    OP(JetStopServiceInstance), OP(JetStopServiceInstance2), OP(JetBeginSession),
    OP(JetDupSession),          OP(JetEndSession),           OP(JetSetSessionContext),
    OP(JetResetSessionContext), OP(JetBeginTransaction),     OP(JetBeginTransaction2),
    OP(JetCommitTransaction),   OP(JetRollback),             OP(JetCreateDatabase),
    OP(JetAttachDatabase),      OP(JetOpenDatabase),         OP(JetCloseDatabase),
    OP(JetCreateTable),         OP(JetAddColumn),            OP(JetOpenTable),
    OP(JetDupCursor),           OP(JetCloseTable),           OP(JetPrepareUpdate),
    OP(JetSetColumn),           OP(JetUpdate),               OP(JetDelete),
    OP(JetMove),                OP(JetRetrieveColumn),       OP(JetOpenTempTable),
};
#undef OP

static const op_entry *find_op(const char *name) {
  for (size_t i = 0; i < sizeof op_table / sizeof op_table[0]; i++)
    if (strcmp(op_table[i].name, name) == 0) return &op_table[i];
  return NULL;
}

int ops_known(const char *op) { return find_op(op) != NULL; }

int ops_holdable(const char *op) { return strcmp(op, "JetUpdate") == 0 || strcmp(op, "JetDelete") == 0; }

typedef struct {
  const op_entry *entry;
  call_ctx *c;
} guarded_call;

static void run_handler(void *p) {
  guarded_call *g = p;
  g->entry->handler(g->c);
}

void ops_execute(const json_value *request) { ops_execute_held(request, NULL); }

void ops_execute_held(const json_value *request, const ops_hold *hold) {
  const json_value *id = json_get(request, "id");
  const json_value *op = json_get(request, "op");
  const json_value *args = json_get(request, "args");
  const op_entry *entry = op && op->kind == JSON_STRING ? find_op(op->string) : NULL;
  call_ctx *c = calloc(1, sizeof *c);
  guard_exception ex;
  if (!c) {
    answer_error(id, "bad-request", "out of memory");
    return;
  }
  if (!entry) {
    answer_error(id, "unknown-operation", "no such operation");
    free(c);
    return;
  }
  if (!args || args->kind != JSON_OBJECT) {
    answer_error(id, "bad-request", "args must be an object");
    free(c);
    return;
  }
  c->op = entry->name;
  c->args = args;
  c->hold = hold;
  jb_init(&c->out);
  jb_raw(&c->out, "");
  guarded_call g = {entry, c};
  int raised = guard_run(run_handler, &g, &ex);
  /* A held call answers to its release (or, when it returned at once, to its hold); an abandoned one to nobody. */
  if (hold) id = hold->answer_id(hold->context, id);
  if (!id) {
    if (raised) state_taint("an exception was raised inside esent.dll");
  } else if (raised) {
    char code[16];
    /* The engine's state after an exception is unknown: restart at the next reset. */
    state_taint("an exception was raised inside esent.dll");
    snprintf(code, sizeof code, "0x%08lx", (unsigned long)ex.code);
    log_line("%s: exception %s: %s", entry->name, code, ex.message);
    answer_crash(id, code, ex.message);
  } else if (c->bad[0]) {
    answer_error(id, "bad-request", c->bad);
  } else if (c->unsupported[0]) {
    answer_unsupported(id, c->unsupported);
  } else {
    answer_returned(id, (long)c->err, c->err >= 0 ? c->out.data : NULL);
  }
  for (int i = 0; i < c->owned_count; i++) free(c->owned[i]);
  jb_free(&c->out);
  free(c);
}
