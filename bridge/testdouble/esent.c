/*
 * A test double of esent.dll: a handful of Jet functions with simple, deterministic behaviour, so
 * that test/bridge/ can check the bridge's marshaling end to end under Wine. It is not an engine.
 *
 * Behaviour (what the tests rely on):
 * - Handles are 64-bit values above 2^53: instances 0xfedc00000000NNN0; sessions
 *   0xa0TTTTTTTT000NNN, where TTTTTTTT is the id of the OS thread that began the session, so a
 *   test can see which real thread served a logical one.
 * - JetCreateInstanceA with the name "raise-av" writes to address 0x10 (access violation),
 *   "raise-custom" raises 0xE0E5E001, "raise-stub" raises 0x80000100 with the DLL and function
 *   names as Wine's stubs do. JetStopService always raises that stub exception.
 * - JetInit gives JET_errInvalidParameter (-1003) unless JetSetSystemParameterA set the system,
 *   log and temp paths (paramids 0, 2, 1) of the instance to one existing folder ending in '\'.
 * - JetEndSession: 0 and ~0 are -1104; an ended session is -1104; any other value it never issued
 *   is dereferenced (one byte read, as a retail engine would) and then -1104, so a bogus
 *   "never-issued" value crashes; a session
 *   whose context is set gives -1914; a session begun on another thread gives -1910.
 * - JetSetSessionContext / JetResetSessionContext: -1912 when already set, -1913 when reset from
 *   another thread than the one that set it.
 * - JetBeginTransaction2 with grbit 0x40000000 blocks until JetCommitTransaction with that grbit
 *   is called (on any session; at most 5 s, then -1003): the bridge must keep serving other
 *   logical threads meanwhile.
 * - JetAddColumnA gives columnid 1 (Long), 128 (Text) or 256 (LongText), and -1003 when a text
 *   column is not Unicode (cp 1200). One record: JetSetColumn stores bytes per columnid,
 *   JetRetrieveColumn returns them (1004 for NULL, 1006 when the buffer is too small).
 * - JetRegisterCallback keeps one callback (-1003 for tableid 0 or no callback; id 0x5ca11), which
 *   JetUnregisterCallback clears. JetUpdate gives -1104 for a session it never issued, -1609 for
 *   tableid 0x7ab1e0001 (before any callback), else calls a registered BeforeInsert/BeforeReplace callback on its own thread with the session in the API
 *   (meanwhile JetEndSession of it gives -1910) and returns the callback's error or 0.
 * - JetTestHook(opTestHookTestInjection = 1): -2502 (TestInjectionNotSupported, as a retail ESE)
 *   unless the environment has ESE_DOUBLE_TEST_INJECTION=1; then it keeps one fault injection per
 *   id (grbit 0x80000000 removes it; JET_bitInjectionProbabilityCount (2) with ulProbability 1 arms
 *   a single shot, with 0xFFFFFFFF none). A JetEndSession that would end its session while id 58139 (ESE's undo point) is
 *   armed returns the armed error instead and keeps the session: the shot is spent.
 */
#include <windows.h>
#include <esent.h>
#include <string.h>

#define MAX_OBJECTS 64

typedef struct {
  JET_INSTANCE handle;
  int inited;
  char paths[3][MAX_PATH];
} instance_rec;

typedef struct {
  JET_SESID handle;
  JET_INSTANCE instance;
  DWORD thread;
  JET_API_PTR context;
  DWORD context_thread;
} session_rec;

typedef struct {
  JET_COLUMNID columnid;
  int is_null;
  unsigned long length;
  unsigned char data[4096];
} value_rec;

static CRITICAL_SECTION lock;
/* JetTestHook's one armed injection (the double's stand-in for ESE's table of test injections). */
static struct {
  unsigned long id;
  JET_API_PTR pv;
  int shots;
} injection;
static instance_rec instances[MAX_OBJECTS];
static session_rec sessions[MAX_OBJECTS];
static value_rec values[8];
static unsigned long next_number = 1;
static HANDLE gate;
static JET_CALLBACK callback;
static void *callback_context;
static JET_CBTYP callback_types;
static JET_SESID in_api; /* the session of a JetUpdate inside its callback */

BOOL WINAPI DllMain(HINSTANCE module, DWORD reason, LPVOID reserved) {
  (void)module;
  (void)reserved;
  if (reason == DLL_PROCESS_ATTACH) {
    InitializeCriticalSection(&lock);
    gate = CreateEventA(NULL, FALSE, FALSE, NULL);
  }
  return TRUE;
}

static instance_rec *find_instance(JET_INSTANCE h) {
  for (int i = 0; i < MAX_OBJECTS; i++)
    if (h && instances[i].handle == h) return &instances[i];
  return NULL;
}

static session_rec *find_session(JET_SESID h) {
  for (int i = 0; i < MAX_OBJECTS; i++)
    if (h && sessions[i].handle == h) return &sessions[i];
  return NULL;
}

static void raise_stub(const char *function) {
  ULONG_PTR args[2] = {(ULONG_PTR) "esent.dll", (ULONG_PTR)function};
  RaiseException(0x80000100, EXCEPTION_NONCONTINUABLE, 2, args);
}

/* Through a volatile pointer, so the compiler can neither prove nor drop the bad write. */
static volatile ULONG_PTR bad_address = 0x10;

JET_ERR JET_API JetCreateInstanceA(JET_INSTANCE *pinstance, const char *name) {
  if (name && strcmp(name, "raise-av") == 0) *(volatile int *)bad_address = 1;
  if (name && strcmp(name, "raise-custom") == 0) RaiseException(0xE0E5E001, 0, 0, NULL);
  if (name && strcmp(name, "raise-stub") == 0) raise_stub("JetCreateInstanceA");
  JET_ERR err = -1003;
  EnterCriticalSection(&lock);
  for (int i = 0; i < MAX_OBJECTS; i++)
    if (!instances[i].handle) {
      memset(&instances[i], 0, sizeof instances[i]);
      instances[i].handle = (JET_INSTANCE)(0xfedc000000000000ull | (unsigned long long)(next_number++) << 4);
      *pinstance = instances[i].handle;
      err = 0;
      break;
    }
  LeaveCriticalSection(&lock);
  return err;
}

JET_ERR JET_API JetSetSystemParameterA(JET_INSTANCE *pinstance, JET_SESID sesid, unsigned long paramid,
                                       JET_API_PTR lParam, JET_PCSTR szParam) {
  (void)sesid;
  (void)lParam;
  if (!pinstance) return 0; /* process-wide: accepted, not recorded */
  JET_ERR err = 0;
  EnterCriticalSection(&lock);
  instance_rec *inst = find_instance(*pinstance);
  if (!inst) err = -1003;
  else if (paramid <= 2 && szParam) {
    strncpy(inst->paths[paramid], szParam, MAX_PATH - 1);
  }
  LeaveCriticalSection(&lock);
  return err;
}

JET_ERR JET_API JetInit(JET_INSTANCE *pinstance) {
  JET_ERR err = 0;
  EnterCriticalSection(&lock);
  instance_rec *inst = pinstance ? find_instance(*pinstance) : NULL;
  if (!inst) err = -1003;
  else {
    const char *p = inst->paths[0];
    size_t n = strlen(p);
    DWORD attributes = GetFileAttributesA(p);
    if (n == 0 || p[n - 1] != '\\' || strcmp(p, inst->paths[1]) || strcmp(p, inst->paths[2]) ||
        attributes == INVALID_FILE_ATTRIBUTES || !(attributes & FILE_ATTRIBUTE_DIRECTORY))
      err = -1003;
    else inst->inited = 1;
  }
  LeaveCriticalSection(&lock);
  return err;
}

JET_ERR JET_API JetTerm2(JET_INSTANCE instance, JET_GRBIT grbit) {
  (void)grbit;
  JET_ERR err = 0;
  EnterCriticalSection(&lock);
  instance_rec *inst = find_instance(instance);
  if (!inst) err = -1003;
  else {
    for (int i = 0; i < MAX_OBJECTS; i++)
      if (sessions[i].handle && sessions[i].instance == instance) memset(&sessions[i], 0, sizeof sessions[i]);
    memset(inst, 0, sizeof *inst);
  }
  LeaveCriticalSection(&lock);
  return err;
}

JET_ERR JET_API JetTerm(JET_INSTANCE instance) { return JetTerm2(instance, 0); }

JET_ERR JET_API JetStopService(void) {
  raise_stub("JetStopService");
  return 0;
}

static JET_ERR new_session(JET_INSTANCE instance, JET_SESID *psesid) {
  JET_ERR err = -1101; /* JET_errOutOfSessions */
  for (int i = 0; i < MAX_OBJECTS; i++)
    if (!sessions[i].handle) {
      memset(&sessions[i], 0, sizeof sessions[i]);
      sessions[i].handle = (JET_SESID)(0xa000000000000000ull | (unsigned long long)GetCurrentThreadId() << 24 |
                                       (next_number++ & 0xfff));
      sessions[i].instance = instance;
      sessions[i].thread = GetCurrentThreadId();
      *psesid = sessions[i].handle;
      err = 0;
      break;
    }
  return err;
}

JET_ERR JET_API JetBeginSessionA(JET_INSTANCE instance, JET_SESID *psesid, JET_PCSTR user, JET_PCSTR password) {
  (void)user;
  (void)password;
  JET_ERR err;
  EnterCriticalSection(&lock);
  instance_rec *inst = find_instance(instance);
  if (!inst) err = -1003;
  else if (!inst->inited) err = -1029; /* JET_errNotInitialized */
  else err = new_session(instance, psesid);
  LeaveCriticalSection(&lock);
  return err;
}

JET_ERR JET_API JetDupSession(JET_SESID sesid, JET_SESID *psesid) {
  JET_ERR err;
  EnterCriticalSection(&lock);
  session_rec *s = find_session(sesid);
  err = s ? new_session(s->instance, psesid) : -1104;
  LeaveCriticalSection(&lock);
  return err;
}

JET_ERR JET_API JetEndSession(JET_SESID sesid, JET_GRBIT grbit) {
  (void)grbit;
  if (sesid == 0 || sesid == (JET_SESID)~(JET_API_PTR)0) return -1104;
  JET_ERR err = 0;
  EnterCriticalSection(&lock);
  session_rec *s = find_session(sesid);
  if (!s) {
    /* Not one of ours (ours, ended or not, carry 0xa in the top bits): read it, as a retail
       engine would. */
    if ((sesid >> 60) != 0xa) {
      volatile unsigned char probe = *(volatile const unsigned char *)sesid;
      (void)probe;
    }
    err = -1104;
  } else if (s->handle == in_api) err = -1910;   /* a call in flight on it */
  else if (s->context) err = -1914;            /* JET_errSessionInUse */
  else if (s->thread != GetCurrentThreadId()) err = -1910; /* JET_errSessionSharingViolation */
  else if (injection.id == 58139 && injection.shots > 0) {
    injection.shots--;
    err = (JET_ERR)injection.pv;
  } else memset(s, 0, sizeof *s);
  LeaveCriticalSection(&lock);
  return err;
}

JET_ERR JET_API JetSetSessionContext(JET_SESID sesid, JET_API_PTR context) {
  JET_ERR err = 0;
  EnterCriticalSection(&lock);
  session_rec *s = find_session(sesid);
  if (!s) err = -1104;
  else if (context == 0) err = -1003;
  else if (s->context) err = -1912; /* JET_errSessionContextAlreadySet */
  else {
    s->context = context;
    s->context_thread = GetCurrentThreadId();
  }
  LeaveCriticalSection(&lock);
  return err;
}

JET_ERR JET_API JetResetSessionContext(JET_SESID sesid) {
  JET_ERR err = 0;
  EnterCriticalSection(&lock);
  session_rec *s = find_session(sesid);
  if (!s) err = -1104;
  else if (!s->context || s->context_thread != GetCurrentThreadId()) err = -1913;
  else s->context = 0;
  LeaveCriticalSection(&lock);
  return err;
}

static JET_ERR known(JET_SESID sesid) {
  EnterCriticalSection(&lock);
  JET_ERR err = find_session(sesid) ? 0 : -1104;
  LeaveCriticalSection(&lock);
  return err;
}

JET_ERR JET_API JetBeginTransaction(JET_SESID sesid) { return known(sesid); }

JET_ERR JET_API JetBeginTransaction2(JET_SESID sesid, JET_GRBIT grbit) {
  JET_ERR err = known(sesid);
  if (err == 0 && grbit == 0x40000000) err = WaitForSingleObject(gate, 5000) == WAIT_OBJECT_0 ? 0 : -1003;
  return err;
}

JET_ERR JET_API JetCommitTransaction(JET_SESID sesid, JET_GRBIT grbit) {
  JET_ERR err = known(sesid);
  if (err == 0 && grbit == 0x40000000) SetEvent(gate);
  return err;
}

JET_ERR JET_API JetRollback(JET_SESID sesid, JET_GRBIT grbit) {
  (void)grbit;
  return known(sesid);
}

JET_ERR JET_API JetRegisterCallback(JET_SESID sesid, JET_TABLEID tableid, JET_CBTYP cbtyp, JET_CALLBACK pcb, void *context,
                                    JET_HANDLE *phid) {
  if (known(sesid)) return -1104;
  if (!tableid || !pcb) return -1003;
  EnterCriticalSection(&lock);
  callback = pcb;
  callback_context = context;
  callback_types = cbtyp;
  LeaveCriticalSection(&lock);
  *phid = 0x5ca11;
  return 0;
}

JET_ERR JET_API JetUnregisterCallback(JET_SESID sesid, JET_TABLEID tableid, JET_CBTYP cbtyp, JET_HANDLE hid) {
  (void)tableid, (void)cbtyp;
  if (known(sesid)) return -1104;
  if (hid != 0x5ca11) return -1003;
  EnterCriticalSection(&lock);
  callback = NULL;
  LeaveCriticalSection(&lock);
  return 0;
}

JET_ERR JET_API JetUpdate(JET_SESID sesid, JET_TABLEID tableid, void *pv, unsigned long cb, unsigned long *pcb) {
  (void)pv, (void)cb, (void)pcb;
  if (known(sesid)) return -1104;
  if (tableid == (JET_TABLEID)0x7ab1e0001ull) return -1609; /* JET_errUpdateNotPrepared */
  EnterCriticalSection(&lock);
  JET_CALLBACK fn = (callback_types & (JET_cbtypBeforeInsert | JET_cbtypBeforeReplace)) ? callback : NULL;
  void *context = callback_context;
  if (fn) in_api = sesid;
  LeaveCriticalSection(&lock);
  if (!fn) return 0;
  JET_ERR err = fn(sesid, 1, tableid, JET_cbtypBeforeReplace, NULL, NULL, context, 0);
  EnterCriticalSection(&lock);
  in_api = 0;
  LeaveCriticalSection(&lock);
  return err < 0 ? err : 0;
}

static JET_COLUMNID columnid_for(JET_COLTYP coltyp, unsigned long index) {
  if (coltyp == JET_coltypText) return 128 + index;
  if (coltyp == JET_coltypLongText) return 256 + index;
  return 1 + index;
}

JET_ERR JET_API JetAddColumnA(JET_SESID sesid, JET_TABLEID tableid, JET_PCSTR name, const JET_COLUMNDEF *def,
                              const void *pvDefault, unsigned long cbDefault, JET_COLUMNID *pcolumnid) {
  (void)tableid;
  (void)name;
  (void)pvDefault;
  (void)cbDefault;
  if (known(sesid)) return -1104;
  if (!def || def->cbStruct != sizeof *def) return -1003;
  if ((def->coltyp == JET_coltypText || def->coltyp == JET_coltypLongText) && def->cp != 1200) return -1003;
  *pcolumnid = columnid_for(def->coltyp, 0);
  return 0;
}

JET_ERR JET_API JetOpenTempTable(JET_SESID sesid, const JET_COLUMNDEF *defs, unsigned long count, JET_GRBIT grbit,
                                 JET_TABLEID *ptableid, JET_COLUMNID *columnids) {
  (void)grbit;
  if (known(sesid)) return -1104;
  for (unsigned long i = 0; i < count; i++) columnids[i] = columnid_for(defs[i].coltyp, i);
  *ptableid = (JET_TABLEID)0x7ab1e0000ull;
  return 0;
}

static value_rec *slot(JET_COLUMNID columnid) {
  for (int i = 0; i < 8; i++)
    if (values[i].columnid == columnid) return &values[i];
  for (int i = 0; i < 8; i++)
    if (values[i].columnid == 0) {
      values[i].columnid = columnid;
      values[i].is_null = 1;
      return &values[i];
    }
  return NULL;
}

JET_ERR JET_API JetSetColumn(JET_SESID sesid, JET_TABLEID tableid, JET_COLUMNID columnid, const void *pv,
                             unsigned long cb, JET_GRBIT grbit, JET_SETINFO *psetinfo) {
  (void)tableid;
  (void)psetinfo;
  if (known(sesid)) return -1104;
  EnterCriticalSection(&lock);
  value_rec *v = slot(columnid);
  JET_ERR err = 0;
  if (!v || cb > sizeof v->data) err = -1003;
  else {
    v->is_null = cb == 0 && !(grbit & 0x20);
    v->length = cb;
    if (cb) memcpy(v->data, pv, cb);
  }
  LeaveCriticalSection(&lock);
  return err;
}

JET_ERR JET_API JetRetrieveColumn(JET_SESID sesid, JET_TABLEID tableid, JET_COLUMNID columnid, void *pv,
                                  unsigned long cb, unsigned long *pcbActual, JET_GRBIT grbit, JET_RETINFO *pretinfo) {
  (void)tableid;
  (void)grbit;
  (void)pretinfo;
  if (known(sesid)) return -1104;
  EnterCriticalSection(&lock);
  value_rec *v = slot(columnid);
  JET_ERR err = 0;
  if (!v) err = -1003;
  else if (v->is_null) {
    if (pcbActual) *pcbActual = 0;
    err = 1004; /* JET_wrnColumnNull */
  } else {
    memcpy(pv, v->data, v->length < cb ? v->length : cb);
    if (pcbActual) *pcbActual = v->length;
    if (v->length > cb) err = 1006; /* JET_wrnBufferTruncated */
  }
  LeaveCriticalSection(&lock);
  return err;
}

/* The structure ESE's jethdr.w gives opTestHookTestInjection. */
typedef struct {
  unsigned long cbStruct;
  unsigned long ulID;
  JET_API_PTR pv;
  int type;
  unsigned long ulProbability;
  JET_GRBIT grbit;
} double_injection;

JET_ERR JET_API JetTestHook(int opcode, void *pv) {
  char on[8];
  DWORD n = GetEnvironmentVariableA("ESE_DOUBLE_TEST_INJECTION", on, sizeof on);
  if (n != 1 || on[0] != '1') return -2502;
  const double_injection *t = pv;
  if (opcode != 1 || !t || t->cbStruct != sizeof *t || t->type != 1) return -1003;
  JET_ERR err = 0;
  EnterCriticalSection(&lock);
  if (t->grbit == 0x80000000UL) {
    if (injection.id == t->ulID) memset(&injection, 0, sizeof injection);
  } else if (t->grbit == 2 && (t->ulProbability == 1 || t->ulProbability == 0xFFFFFFFFUL)) {
    injection.id = t->ulID;
    injection.pv = t->pv;
    injection.shots = t->ulProbability == 1; /* the count 0xFFFFFFFF is never reached */
  } else {
    err = -1003;
  }
  LeaveCriticalSection(&lock);
  return err;
}
