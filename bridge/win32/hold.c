/* Held calls (see hold.h). The main thread starts and releases them; the worker makes the call. */
#include "hold.h"

#include "ops.h"
#include "output.h"
#include "workers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct held_call held_call;
struct held_call {
  job base; /* first: the worker runs it */
  held_call *next;
  char token[24];
  json_value *request;
  json_value hold_id;
  json_value release_id;
  ops_hold ops;
  DWORD thread_id;  /* the worker's: only its own call blocks */
  int entered;      /* the callback ran on the call's thread: "held" was answered */
  int released;     /* release came: the answer goes to release_id */
  int abandoned;    /* reset or shutdown: the answer goes nowhere */
  HANDLE go;        /* set by release or abandon */
};

static CRITICAL_SECTION lock;
static int lock_ready;
static held_call *holds;
/* Done, kept until reset: another thread's update may still be inside held_callback with it, and a
   registration the engine refused to remove (JetUnregisterCallback during a term) still points at it. */
static held_call *retired;
static unsigned long next_token;

static void answer_held(const json_value *id, const char *token) {
  json_buffer b;
  jb_init(&b);
  jb_raw(&b, "{\"id\":");
  jb_value(&b, id);
  jb_raw(&b, ",\"result\":\"held\",\"hold\":");
  jb_cstring(&b, token);
  jb_raw(&b, "}");
  output_line(&b);
  jb_free(&b);
}

/* Runs inside esent.dll on the thread of any session updating the table while it is registered. */
static JET_ERR JET_API held_callback(JET_SESID sesid, JET_DBID dbid, JET_TABLEID tableid, JET_CBTYP cbtyp, void *arg1,
                                     void *arg2, void *context, JET_API_PTR unused) {
  (void)sesid, (void)dbid, (void)tableid, (void)cbtyp, (void)arg1, (void)arg2, (void)unused;
  held_call *h = context;
  if (GetCurrentThreadId() != h->thread_id) return JET_errSuccess; /* another session's update: not held */
  EnterCriticalSection(&lock);
  int first = !h->entered && !h->abandoned;
  h->entered = 1;
  LeaveCriticalSection(&lock);
  if (!first) return JET_errSuccess;
  answer_held(&h->hold_id, h->token);
  /* No timeout of its own: the adapter bounds the scenario, and reset/shutdown abandon the hold. */
  WaitForSingleObject(h->go, INFINITE);
  return JET_errSuccess;
}

static const json_value *held_answer_id(void *context, const json_value *hold_id) {
  held_call *h = context;
  (void)hold_id;
  EnterCriticalSection(&lock);
  const json_value *id = h->abandoned ? NULL : h->entered ? &h->release_id : &h->hold_id;
  LeaveCriticalSection(&lock);
  return id;
}

static void retire(held_call *h) {
  EnterCriticalSection(&lock);
  for (held_call **p = &holds; *p; p = &(*p)->next) {
    if (*p == h) {
      *p = h->next;
      break;
    }
  }
  h->thread_id = 0; /* no thread has id 0: the callback never blocks again */
  h->next = retired;
  retired = h;
  LeaveCriticalSection(&lock);
}

static void run_hold(job *j) {
  held_call *h = (held_call *)j;
  h->thread_id = GetCurrentThreadId();
  ops_execute_held(h->request, &h->ops);
  retire(h);
  json_free(h->request);
  h->request = NULL;
}

void hold_start(json_value *request) {
  const json_value *id = json_get(request, "id");
  const json_value *thread = json_get(request, "thread");
  if (!lock_ready) {
    InitializeCriticalSection(&lock);
    lock_ready = 1;
  }
  held_call *h = calloc(1, sizeof *h);
  HANDLE go = h ? CreateEventA(NULL, TRUE, FALSE, NULL) : NULL;
  worker *w = go ? worker_get(thread->string) : NULL;
  if (!w) {
    if (go) CloseHandle(go);
    free(h);
    answer_crash(id, "bridge", "cannot create the thread or the event for this hold");
    json_free(request);
    return;
  }
  h->base.run = run_hold;
  h->request = request;
  h->hold_id = (json_value){.kind = JSON_NUMBER, .is_int = 1, .integer = id->integer};
  h->go = go;
  h->ops = (ops_hold){held_callback, h, held_answer_id};
  snprintf(h->token, sizeof h->token, "h%lu", ++next_token);
  EnterCriticalSection(&lock);
  h->next = holds;
  holds = h;
  LeaveCriticalSection(&lock);
  worker_post(w, &h->base);
}

void hold_release(const json_value *request) {
  const json_value *id = json_get(request, "id");
  const json_value *token = json_get(request, "hold");
  held_call *found = NULL;
  if (lock_ready && token && token->kind == JSON_STRING) {
    EnterCriticalSection(&lock);
    for (held_call *h = holds; h; h = h->next) {
      if (strcmp(h->token, token->string) == 0 && h->entered && !h->released && !h->abandoned) {
        found = h;
        h->released = 1;
        h->release_id = (json_value){.kind = JSON_NUMBER, .is_int = 1, .integer = id->integer};
        break;
      }
    }
    LeaveCriticalSection(&lock);
  }
  if (!found) {
    answer_error(id, "bad-request", "unknown hold token: no call is held under it");
    return;
  }
  SetEvent(found->go);
}

void hold_free_retired(void) {
  if (!lock_ready) return;
  EnterCriticalSection(&lock);
  while (retired) {
    held_call *h = retired;
    retired = h->next;
    CloseHandle(h->go);
    free(h);
  }
  LeaveCriticalSection(&lock);
}

void hold_abandon_all(void) {
  if (!lock_ready) return;
  EnterCriticalSection(&lock);
  for (held_call *h = holds; h; h = h->next) {
    h->abandoned = 1;
    SetEvent(h->go);
  }
  LeaveCriticalSection(&lock);
}
