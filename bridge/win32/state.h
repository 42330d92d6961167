/*
 * What `reset` must undo: the instances this process created, the column types it learned, the
 * database folder of the scenario, and anything that makes an in-process reset unsafe ("taint":
 * a process-wide parameter, an instance the bridge cannot track, an exception inside the engine).
 * A tainted process answers `reset` with reset-failed, and the adapter restarts it.
 */
#ifndef ESE_BRIDGE_STATE_H
#define ESE_BRIDGE_STATE_H

#include "esent_api.h"

void state_init(void);

/* Instances created by JetCreateInstance and not yet terminated. */
void state_instance_created(JET_INSTANCE instance);
void state_instance_terminated(JET_INSTANCE instance);
/* Created by JetCreateInstance and not terminated. */
int state_instance_known(JET_INSTANCE instance);
/* Copies up to max live instances into out; returns how many there are. */
size_t state_instances(JET_INSTANCE *out, size_t max);
void state_forget_instances(void);

/* Column types learned from JetAddColumn and JetOpenTempTable, to decode retrieved values. */
void state_column_type(JET_COLUMNID columnid, JET_COLTYP coltyp);
/* The learned type, or 0 when the column was not created through this process state. */
JET_COLTYP state_column_type_of(JET_COLUMNID columnid);

/*
 * The thread that set a session's context (JetSetSessionContext), until JetResetSessionContext or
 * JetEndSession succeeds, or a new session gets the same handle. 0: no context is set.
 */
void state_context_set(JET_SESID sesid, DWORD thread);
void state_context_clear(JET_SESID sesid);
DWORD state_context_thread(JET_SESID sesid);

/* Marks the process as needing a restart at the next reset; the first reason is kept. */
void state_taint(const char *reason);
/* The taint reason, or NULL. */
const char *state_tainted(void);

/*
 * Moves to a fresh, empty database folder (made the current directory, where relative database
 * names resolve) and deletes the previous one. 0 on success, else a one-line reason.
 */
int state_fresh_folder(char *error, size_t error_size);
/*
 * The folder for one instance's system, log and temp files, chosen at its JetInit: the folder of
 * the oldest dirty term not yet recovered (that JetInit replays its logs, as a restarted
 * application's would), else a fresh folder of the scenario. `dirty` is set when the folder is a
 * dirty one; state_instance_placed confirms the choice once JetInit succeeded.
 */
int state_instance_folder(char *path, size_t path_size, int *dirty);
void state_instance_placed(JET_INSTANCE instance, const char *path, int dirty);
/* A term that gave JET_errDirtyShutdown: the instance's folder waits for the next JetInit. */
void state_instance_dirty(JET_INSTANCE instance);
/* Deletes this process's folders (shutdown) and those left by bridge processes that are gone. */
void state_delete_all_folders(void);
void state_delete_stale_folders(void);

#endif
