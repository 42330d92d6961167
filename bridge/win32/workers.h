/*
 * Logical threads ("t1", "t2", ...) mapped to real OS threads: each name gets one thread, created
 * on its first call and kept until `reset`, and its requests run on it in arrival order. Session
 * contexts and ESENT's thread checks therefore see the real threads.
 */
#ifndef ESE_BRIDGE_WORKERS_H
#define ESE_BRIDGE_WORKERS_H

#include <windows.h>

typedef struct job job;
struct job {
  job *next;
  /* Runs on the worker thread; owns the job from then on (frees it or hands it back). */
  void (*run)(job *self);
};

typedef struct worker worker;

/* The worker of a logical thread name, created when new. NULL when no thread can be created. */
worker *worker_get(const char *name);
void worker_post(worker *w, job *j);

/*
 * Lets every worker finish its queue and exit, waiting at most timeout_ms in all. 0 when all
 * exited (names are then forgotten); -1 when one is still busy (it is abandoned, never reused).
 */
int workers_stop_all(DWORD timeout_ms);

/* Runs j on a fresh private thread and waits at most timeout_ms. 0 done, -1 timed out. */
int run_on_fresh_thread(job *j, DWORD timeout_ms);

#endif
