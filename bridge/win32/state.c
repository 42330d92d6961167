/* Process state that `reset` undoes (see state.h). Shared by the worker threads, hence the lock. */
#include "state.h"
#include "output.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_INSTANCES 256
#define MAX_COLUMNS 1024

static CRITICAL_SECTION lock;
static JET_INSTANCE instances[MAX_INSTANCES];
static size_t instance_count;
static struct { JET_COLUMNID columnid; JET_COLTYP coltyp; } columns[MAX_COLUMNS];
static size_t column_count;
static struct { JET_SESID sesid; DWORD thread; } contexts[MAX_INSTANCES];
static size_t context_count;
static char taint[512];
static char base_folder[MAX_PATH];   /* %TEMP%\ese-bridge-<pid>\ */
static char scenario_folder[MAX_PATH];
static unsigned scenario_number;
static unsigned instance_folder_number;
/* Each initialized instance's folder, and the folders of dirty terms not yet recovered (oldest first). */
static struct { JET_INSTANCE instance; char folder[MAX_PATH]; } placed[MAX_INSTANCES];
static size_t placed_count;
static char dirty_folders[MAX_INSTANCES][MAX_PATH];
static size_t dirty_count;

void state_init(void) { InitializeCriticalSection(&lock); }

void state_instance_created(JET_INSTANCE instance) {
  EnterCriticalSection(&lock);
  if (instance_count < MAX_INSTANCES) instances[instance_count++] = instance;
  else if (!taint[0]) snprintf(taint, sizeof taint, "more than %d instances: some are not tracked", MAX_INSTANCES);
  LeaveCriticalSection(&lock);
}

/* Removes the instance's placement; its folder is copied to `folder` (or "" when it had none). Under the lock. */
static void unplace(JET_INSTANCE instance, char *folder, size_t folder_size) {
  folder[0] = '\0';
  for (size_t i = 0; i < placed_count; i++)
    if (placed[i].instance == instance) {
      snprintf(folder, folder_size, "%s", placed[i].folder);
      placed[i] = placed[--placed_count];
      return;
    }
}

void state_instance_placed(JET_INSTANCE instance, const char *path, int dirty) {
  char old[MAX_PATH];
  EnterCriticalSection(&lock);
  unplace(instance, old, sizeof old);
  if (dirty && dirty_count > 0 && strcmp(dirty_folders[0], path) == 0) {
    memmove(dirty_folders[0], dirty_folders[1], (dirty_count - 1) * sizeof dirty_folders[0]);
    dirty_count--;
  }
  if (placed_count < MAX_INSTANCES) {
    placed[placed_count].instance = instance;
    snprintf(placed[placed_count].folder, sizeof placed[placed_count].folder, "%s", path);
    placed_count++;
  }
  LeaveCriticalSection(&lock);
}

void state_instance_dirty(JET_INSTANCE instance) {
  char folder[MAX_PATH];
  EnterCriticalSection(&lock);
  unplace(instance, folder, sizeof folder);
  if (folder[0] && dirty_count < MAX_INSTANCES) snprintf(dirty_folders[dirty_count++], MAX_PATH, "%s", folder);
  LeaveCriticalSection(&lock);
}

void state_instance_terminated(JET_INSTANCE instance) {
  char folder[MAX_PATH];
  EnterCriticalSection(&lock);
  unplace(instance, folder, sizeof folder);
  for (size_t i = 0; i < instance_count; i++)
    if (instances[i] == instance) {
      instances[i] = instances[--instance_count];
      break;
    }
  LeaveCriticalSection(&lock);
}

int state_instance_known(JET_INSTANCE instance) {
  int known = 0;
  EnterCriticalSection(&lock);
  for (size_t i = 0; i < instance_count && !known; i++) known = instances[i] == instance;
  LeaveCriticalSection(&lock);
  return known;
}

size_t state_instances(JET_INSTANCE *out, size_t max) {
  EnterCriticalSection(&lock);
  size_t n = instance_count;
  for (size_t i = 0; i < n && i < max; i++) out[i] = instances[i];
  LeaveCriticalSection(&lock);
  return n;
}

void state_forget_instances(void) {
  EnterCriticalSection(&lock);
  instance_count = 0;
  column_count = 0;
  context_count = 0;
  LeaveCriticalSection(&lock);
}

void state_context_set(JET_SESID sesid, DWORD thread) {
  EnterCriticalSection(&lock);
  size_t i = 0;
  while (i < context_count && contexts[i].sesid != sesid) i++;
  if (i < MAX_INSTANCES) {
    contexts[i].sesid = sesid;
    contexts[i].thread = thread;
    if (i == context_count) context_count++;
  } else if (!taint[0]) {
    snprintf(taint, sizeof taint, "more than %d session contexts: some are not tracked", MAX_INSTANCES);
  }
  LeaveCriticalSection(&lock);
}

void state_context_clear(JET_SESID sesid) {
  EnterCriticalSection(&lock);
  for (size_t i = 0; i < context_count; i++)
    if (contexts[i].sesid == sesid) {
      contexts[i] = contexts[--context_count];
      break;
    }
  LeaveCriticalSection(&lock);
}

DWORD state_context_thread(JET_SESID sesid) {
  DWORD t = 0;
  EnterCriticalSection(&lock);
  for (size_t i = 0; i < context_count; i++)
    if (contexts[i].sesid == sesid) t = contexts[i].thread;
  LeaveCriticalSection(&lock);
  return t;
}

void state_column_type(JET_COLUMNID columnid, JET_COLTYP coltyp) {
  EnterCriticalSection(&lock);
  size_t i = 0;
  while (i < column_count && columns[i].columnid != columnid) i++;
  if (i < MAX_COLUMNS) {
    columns[i].columnid = columnid;
    columns[i].coltyp = coltyp;
    if (i == column_count) column_count++;
  }
  LeaveCriticalSection(&lock);
}

JET_COLTYP state_column_type_of(JET_COLUMNID columnid) {
  JET_COLTYP t = 0;
  EnterCriticalSection(&lock);
  for (size_t i = 0; i < column_count; i++)
    if (columns[i].columnid == columnid) t = columns[i].coltyp;
  LeaveCriticalSection(&lock);
  return t;
}

void state_taint(const char *reason) {
  EnterCriticalSection(&lock);
  if (!taint[0]) snprintf(taint, sizeof taint, "%s", reason);
  LeaveCriticalSection(&lock);
}

const char *state_tainted(void) { return taint[0] ? taint : NULL; }

/* Deletes a folder tree; failures (a file still open) are logged, never fatal. */
static void delete_tree(const char *folder) {
  char pattern[MAX_PATH + 4];
  WIN32_FIND_DATAA fd;
  snprintf(pattern, sizeof pattern, "%s*", folder);
  HANDLE h = FindFirstFileA(pattern, &fd);
  if (h != INVALID_HANDLE_VALUE) {
    do {
      char path[MAX_PATH * 2];
      if (strcmp(fd.cFileName, ".") == 0 || strcmp(fd.cFileName, "..") == 0) continue;
      snprintf(path, sizeof path, "%s%s", folder, fd.cFileName);
      if (fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) {
        strcat(path, "\\");
        delete_tree(path);
      } else if (!DeleteFileA(path)) {
        log_line("cannot delete %s (Windows error %lu)", path, (unsigned long)GetLastError());
      }
    } while (FindNextFileA(h, &fd));
    FindClose(h);
  }
  if (!RemoveDirectoryA(folder) && GetLastError() != ERROR_FILE_NOT_FOUND && GetLastError() != ERROR_PATH_NOT_FOUND)
    log_line("cannot delete %s (Windows error %lu)", folder, (unsigned long)GetLastError());
}

static int ensure_base(char *error, size_t error_size) {
  if (base_folder[0]) return 0;
  char temp[MAX_PATH];
  DWORD n = GetTempPathA(sizeof temp, temp);
  if (n == 0 || n >= sizeof temp) {
    snprintf(error, error_size, "no temporary folder (GetTempPath failed: %lu)", (unsigned long)GetLastError());
    return -1;
  }
  snprintf(base_folder, sizeof base_folder, "%sese-bridge-%lu\\", temp, (unsigned long)GetCurrentProcessId());
  /* A folder of this name was left by a dead process that had our process id (Wine reuses ids
     at once): its s1\, s2\ ... would make the next fresh folder fail with error 183. */
  BOOL made = CreateDirectoryA(base_folder, NULL);
  if (!made && GetLastError() == ERROR_ALREADY_EXISTS) {
    delete_tree(base_folder);
    made = CreateDirectoryA(base_folder, NULL);
  }
  if (!made) {
    snprintf(error, error_size, "cannot create %s (Windows error %lu)", base_folder, (unsigned long)GetLastError());
    base_folder[0] = '\0';
    return -1;
  }
  return 0;
}

int state_fresh_folder(char *error, size_t error_size) {
  char previous[MAX_PATH];
  char next[MAX_PATH];
  if (ensure_base(error, error_size)) return -1;
  snprintf(previous, sizeof previous, "%s", scenario_folder);
  snprintf(next, sizeof next, "%ss%u\\", base_folder, ++scenario_number);
  if (!CreateDirectoryA(next, NULL) || !SetCurrentDirectoryA(next)) {
    snprintf(error, error_size, "cannot create or enter %s (Windows error %lu)", next, (unsigned long)GetLastError());
    return -1;
  }
  snprintf(scenario_folder, sizeof scenario_folder, "%s", next);
  instance_folder_number = 0;
  EnterCriticalSection(&lock);
  placed_count = 0;
  dirty_count = 0;
  LeaveCriticalSection(&lock);
  if (previous[0]) delete_tree(previous);
  return 0;
}

int state_instance_folder(char *path, size_t path_size, int *dirty) {
  char error[300];
  EnterCriticalSection(&lock);
  *dirty = dirty_count > 0;
  if (*dirty) snprintf(path, path_size, "%s", dirty_folders[0]);
  LeaveCriticalSection(&lock);
  if (*dirty) return 0;
  if (!scenario_folder[0] && state_fresh_folder(error, sizeof error)) {
    log_line("%s", error);
    return -1;
  }
  EnterCriticalSection(&lock);
  unsigned k = ++instance_folder_number;
  LeaveCriticalSection(&lock);
  snprintf(path, path_size, "%si%u\\", scenario_folder, k);
  if (!CreateDirectoryA(path, NULL)) {
    log_line("cannot create %s (Windows error %lu)", path, (unsigned long)GetLastError());
    return -1;
  }
  return 0;
}

void state_delete_all_folders(void) {
  if (!base_folder[0]) return;
  char temp[MAX_PATH];
  /* Leave the folder before deleting it. */
  if (GetTempPathA(sizeof temp, temp)) SetCurrentDirectoryA(temp);
  delete_tree(base_folder);
  base_folder[0] = '\0';
  scenario_folder[0] = '\0';
}

void state_delete_stale_folders(void) {
  char temp[MAX_PATH];
  char pattern[MAX_PATH + 16];
  WIN32_FIND_DATAA fd;
  DWORD n = GetTempPathA(sizeof temp, temp);
  if (n == 0 || n >= sizeof temp) return;
  snprintf(pattern, sizeof pattern, "%sese-bridge-*", temp);
  HANDLE h = FindFirstFileA(pattern, &fd);
  if (h == INVALID_HANDLE_VALUE) return;
  do {
    char *end;
    unsigned long pid = strtoul(fd.cFileName + strlen("ese-bridge-"), &end, 10);
    if (!(fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) || *end != '\0' || pid == GetCurrentProcessId()) continue;
    HANDLE p = OpenProcess(SYNCHRONIZE, FALSE, (DWORD)pid);
    int alive = p && WaitForSingleObject(p, 0) == WAIT_TIMEOUT;
    if (p) CloseHandle(p);
    if (!alive) {
      char folder[MAX_PATH * 2];
      snprintf(folder, sizeof folder, "%s%s\\", temp, fd.cFileName);
      delete_tree(folder);
    }
  } while (FindNextFileA(h, &fd));
  FindClose(h);
}
