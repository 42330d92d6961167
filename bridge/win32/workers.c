/* Logical threads as OS threads (see workers.h). Only the main (reader) thread calls these. */
#include "workers.h"

#include <stdlib.h>
#include <string.h>

struct worker {
  worker *next;
  char name[40];
  HANDLE thread;
  CRITICAL_SECTION lock;
  CONDITION_VARIABLE wake;
  job *head;
  job *tail;
  int quit;
};

static worker *workers;

static DWORD WINAPI worker_main(void *param) {
  worker *w = param;
  for (;;) {
    EnterCriticalSection(&w->lock);
    while (!w->head && !w->quit) SleepConditionVariableCS(&w->wake, &w->lock, INFINITE);
    job *j = w->head;
    if (j) {
      w->head = j->next;
      if (!w->head) w->tail = NULL;
    }
    LeaveCriticalSection(&w->lock);
    if (!j) return 0; /* quit with an empty queue */
    j->next = NULL;
    j->run(j);
  }
}

worker *worker_get(const char *name) {
  for (worker *w = workers; w; w = w->next)
    if (strcmp(w->name, name) == 0) return w;
  worker *w = calloc(1, sizeof *w);
  if (!w) return NULL;
  strncpy(w->name, name, sizeof w->name - 1);
  InitializeCriticalSection(&w->lock);
  InitializeConditionVariable(&w->wake);
  /* 0: the executable's default stack size, as for any thread of an ESENT client. */
  w->thread = CreateThread(NULL, 0, worker_main, w, 0, NULL);
  if (!w->thread) {
    DeleteCriticalSection(&w->lock);
    free(w);
    return NULL;
  }
  w->next = workers;
  workers = w;
  return w;
}

void worker_post(worker *w, job *j) {
  j->next = NULL;
  EnterCriticalSection(&w->lock);
  if (w->tail) w->tail->next = j;
  else w->head = j;
  w->tail = j;
  LeaveCriticalSection(&w->lock);
  WakeConditionVariable(&w->wake);
}

int workers_stop_all(DWORD timeout_ms) {
  DWORD start = GetTickCount();
  int all = 0;
  for (worker *w = workers; w; w = w->next) {
    EnterCriticalSection(&w->lock);
    w->quit = 1;
    LeaveCriticalSection(&w->lock);
    WakeConditionVariable(&w->wake);
  }
  while (workers) {
    worker *w = workers;
    DWORD spent = GetTickCount() - start;
    DWORD left = spent >= timeout_ms ? 0 : timeout_ms - spent;
    workers = w->next;
    if (WaitForSingleObject(w->thread, left) == WAIT_OBJECT_0) {
      CloseHandle(w->thread);
      DeleteCriticalSection(&w->lock);
      free(w);
    } else {
      all = -1; /* still inside a call: abandoned with its memory, the process must restart */
    }
  }
  return all;
}

typedef struct {
  job *inner;
  HANDLE done;
} fresh_run;

static DWORD WINAPI fresh_main(void *param) {
  fresh_run *r = param;
  r->inner->run(r->inner);
  SetEvent(r->done);
  return 0;
}

int run_on_fresh_thread(job *j, DWORD timeout_ms) {
  /* Leaked on a timeout on purpose: the thread may still use it. */
  fresh_run *r = malloc(sizeof *r);
  if (!r) return -1;
  r->inner = j;
  r->done = CreateEventA(NULL, TRUE, FALSE, NULL);
  HANDLE t = r->done ? CreateThread(NULL, 0, fresh_main, r, 0, NULL) : NULL;
  if (!t) {
    if (r->done) CloseHandle(r->done);
    free(r);
    return -1;
  }
  DWORD wait = WaitForSingleObject(r->done, timeout_ms);
  CloseHandle(t);
  if (wait != WAIT_OBJECT_0) return -1;
  CloseHandle(r->done);
  free(r);
  return 0;
}
