/**
 * One process state: the instance mode, the instances, the database folder, the handle table and
 * the commit clock. `reset` replaces it with a fresh one.
 */
import { HandleTable } from './handles';
import { defaultParams } from './params';
import type { Cursor } from './cursor';
import type { Instance } from './instance';
import type { InstanceParams } from './params';
import type { Session } from './session';
import type { DbFile } from './table';

export type InstanceMode = 'none' | 'single' | 'multi';

export class ProcessState {
  mode: InstanceMode = 'none';
  /** Allocated instances (ESE's g_cpinstInit counts these). */
  readonly instances = new Set<Instance>();
  /** ESE's g_cTermsInProgress. */
  termsInProgress = 0;
  readonly handles = new HandleTable<Instance | Session | Cursor>();
  /** The database folder: file key -> file. */
  readonly folder = new Map<string, DbFile>();
  /** Attached files by dbid. */
  readonly dbids = new Map<number, DbFile>();
  /** Process-wide parameter defaults, cloned into each new instance. */
  readonly globalParams: InstanceParams = defaultParams();
  /** Commit timestamps: a level-0 commit takes ++clock. */
  clock = 0;
  /** Ids of terms waiting for held calls, and of held calls. */
  nextWaitId = 1;
  /**
   * The files each dirty term left attached, oldest first, until a JetInit recovers them: the next
   * JetInit of a created instance replays the oldest dirty term's logs (a restarted application;
   * the bridge gives that JetInit the dirty instance's log folder, bridge/win32/ops.c
   * place_instance_files). Until then the files cannot be attached (-550, db.cxx 2843-2844).
   */
  readonly dirtyTerms: DbFile[][] = [];
  /** Sessions inside a transaction (their snapshots bound version pruning). */
  readonly activeTrx = new Set<Session>();
  /** Lowest free dbid (ESE reuses IFMP slots). */
  allocDbid(db: DbFile): number {
    let id = 1;
    while (this.dbids.has(id)) id++;
    this.dbids.set(id, db);
    return id;
  }

  oldestSnapshot(): number {
    let min = Infinity;
    for (const s of this.activeTrx) if (s.trxBeginTs < min) min = s.trxBeginTs;
    return min;
  }
}
