/**
 * An instance (ESE's INST): parameters, life-cycle flags, sessions and the instance-wide
 * resource counts that the limits are checked against.
 */
import { JET_errors } from '../api/codes';
import type { JET_ERR } from '../api/codes';
import type { JET_HANDLE, HandleTarget } from './handles';
import type { InstanceParams } from './params';
import type { Session } from './session';
import type { DbFile } from './table';

export class Instance implements HandleTarget {
  readonly kind = 'instance' as const;
  handle: JET_HANDLE = 0n as JET_HANDLE;
  initialized = false;
  termInProgress = false;
  /** JetStopService*: m_fStopJetService, and the bits stopped by JetStopServiceInstance2. */
  stopService = false;
  grbitStopped = 0;
  /** Fatal error: the cause (a JET_ERR); -529 gives -1092. */
  unavailableCause: JET_ERR | null = null;
  /** States forced with the instance-state capability. */
  forcedNotInitialized = false;
  forcedRestoreInProgress = false;

  readonly sessions = new Set<Session>();
  /** Sessions counted against MaxSessions. */
  slotsUsed = 0;
  cursorCount = 0;
  tempTableCount = 0;
  openTableCount = 0;
  /**
   * The temp database exists: made by the instance's first JetOpenTempTable with an internal
   * session (INST::ErrINSTCreateTempDatabase_, sysinit.cxx 343-392), which needs a session slot.
   */
  tempDbCreated = false;
  /**
   * The temp database's dbid: it takes the lowest free FMP like any database (ErrDBCreateDatabase
   * with dbidTemp, sysinit.cxx 366-377; FMP::ErrNewAndWriteLatch prefers the lowest free FMP, fmp.cxx
   * 1345-1400) until JetTerm.
   */
  tempDbid = 0;
  /** Calls held in flight on this instance's sessions. */
  heldCalls = 0;
  /** A JetTerm/JetTerm2 waiting for the held calls: its id, thread and grbit. */
  pendingTerm: { readonly id: number; readonly thread: string; readonly grbit: number } | null = null;
  /**
   * Terms of this instance made while the pending one waits: ErrTermComplete holds the instance's
   * API critical section across that wait (jetapi.cxx 20859-20932), so they block at its Enter and
   * answer once the pending term has gone on (lifecycle.ts queuedTermResult).
   */
  readonly queuedTerms: { readonly id: number; readonly thread: string }[] = [];
  readonly attached = new Set<DbFile>();

  constructor(
    readonly name: string | null,
    readonly params: InstanceParams,
  ) {}

  /** ESE's ErrInstanceUnavailableErrorCode (daedef.hxx). */
  unavailableCode(): JET_ERR {
    if (this.unavailableCause === JET_errors.JET_errLogDiskFull) {
      return JET_errors.JET_errInstanceUnavailableDueToFatalLogDiskFull;
    }
    return JET_errors.JET_errInstanceUnavailable;
  }
}
