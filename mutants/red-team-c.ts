/**
 * Bugs a whole-state probe could conclude right on (red team C, probe fidelity): each leaves a state
 * whose answers to the probes' calls were the reference's until a probe or a scenario looked further. A cursor
 * kept open but moved or without its currency, a DenyWrite lock held by the wrong session or gone
 * while its updatable cursor stays (a DenyWrite open cannot tell either apart), a slot returned to
 * the wrong instance's pool. Plans replace a step of JetEndSession (oracle/endsession.ts).
 */
import { checkCallInFlight, checkSessionContext, endSessionFree, referenceEndSession, type EndSessionCheck, type EndSessionPlan, type EndSessionStep } from '../oracle/endsession';
import { Cursor, Pos } from '../oracle/cursor';
import type { Instance } from '../oracle/instance';
import type { ProcessState } from '../oracle/process';
import type { Session } from '../oracle/session';
import type { Table } from '../oracle/table';
import { cancelPrepared, finalClose } from '../oracle/resources';
import type { MutantSpec } from './types';
import { WrappedImplementation } from './wrap';
import { plan, replace, withEndSession } from './engine-plans';
import { both } from './entries';

const ref = referenceEndSession;

/** The session's live table cursors. */
function tableCursors(s: Session): Cursor[] {
  return [...s.cursorsByDb.values()].flatMap((set) => [...set]);
}

/** A cursor put before the first record: open, but its currency gone. */
function rewind(c: Cursor): void {
  c.pos = Pos.BeforeFirst;
  c.rec = null;
}

/** A refusal that has already reset the session's cursors (a clean-up step run before the check's verdict). */
function rewindingOnRefusal(check: EndSessionCheck): EndSessionCheck {
  return (p, s, thread) => {
    const err = check(p, s, thread);
    if (err !== 0) for (const c of tableCursors(s)) rewind(c);
    return err;
  };
}

/** The tables the session has cursors on. */
function tablesOf(s: Session): Set<Table> {
  const tables = new Set<Table>();
  for (const c of tableCursors(s)) tables.add(c.table);
  for (const c of s.deferred) tables.add(c.table);
  return tables;
}

/** Runs `after` on the tables the session had cursors on, once the reference clean-up has freed it. */
function onTablesAfterEnd(after: (tables: Set<Table>, s: Session) => void): EndSessionPlan {
  const held = new WeakMap<Session, Set<Table>>();
  const remember: EndSessionStep = (_core, s) => {
    held.set(s, tablesOf(s));
    return 0;
  };
  const apply: EndSessionStep = (_core, s) => {
    after(held.get(s) ?? new Set(), s);
    held.delete(s);
    return 0;
  };
  return plan({ cleanup: [remember, ...ref.cleanup, apply] });
}

/** The end "refreshes" every cursor on the tables it closed: other sessions' cursors lose their currency. */
const endRewindsOthersCursors = onTablesAfterEnd((tables, s) => {
  for (const t of tables) for (const c of t.cursors) if (c instanceof Cursor && c.session !== s && !c.closed) rewind(c);
});

/**
 * Table locks kept with the table's first cursor: closing the holder hands its DenyWrite to the next
 * cursor on the table, another session's, instead of releasing it (the count stays right).
 */
const denyWritePassedOn: EndSessionStep = (_core, s) => {
  for (const c of tableCursors(s)) {
    if (!c.denyWrite) continue;
    const heir = [...c.table.cursors].find((o): o is Cursor => o instanceof Cursor && o.session !== s && !o.closed && !o.denyWrite);
    if (heir === undefined) continue;
    c.denyWrite = false;
    heir.denyWrite = true;
  }
  return 0;
};

/** A refusal made after the domain locks were released: the cursors stay open, their DenyWrite is gone. */
const releasingDenyWriteOnRefusal: EndSessionCheck = (p, s, thread) => {
  const err = checkSessionContext(p, s, thread);
  if (err !== 0) {
    for (const c of tableCursors(s)) {
      if (!c.denyWrite) continue;
      c.denyWrite = false;
      c.table.denyWriteCount--;
    }
  }
  return err;
};

/** The instance a leftover process-wide "current instance" names: the one created last. */
function lastInstance(p: ProcessState): Instance | undefined {
  return [...p.instances].pop();
}

/** The session's slot goes back to the last-created instance's pool, not to its own. */
const slotFreedInLastInstance: EndSessionStep = (core, s, thread) => {
  const own = s.instance;
  const err = endSessionFree(core, s, thread);
  const last = lastInstance(core.p);
  if (err === 0 && last !== undefined && last !== own) {
    own.slotsUsed++;
    last.slotsUsed--;
  }
  return err;
};

/** A refusal that has already done part of the clean-up on what the session keeps. */
function onRefusal(check: EndSessionCheck, partial: (p: ProcessState, s: Session) => void): EndSessionCheck {
  return (p, s, thread) => {
    const err = check(p, s, thread);
    if (err !== 0) partial(p, s);
    return err;
  };
}

export const redTeamCPlans = {
  refusedEndRewindsCursors: plan({ body: replace(ref.body, checkSessionContext, rewindingOnRefusal(checkSessionContext)) }),
  inFlightRefusalRewindsCursors: plan({ entry: replace(ref.entry, checkCallInFlight, rewindingOnRefusal(checkCallInFlight)) }),
  endRewindsOthersCursors,
  denyWritePassedOn: plan({ cleanup: [denyWritePassedOn, ...ref.cleanup] }),
  refusalReleasesDenyWrite: plan({ body: replace(ref.body, checkSessionContext, releasingDenyWriteOnRefusal) }),
  sessionSlotFreedInLastInstance: plan({ cleanup: replace(ref.cleanup, endSessionFree, slotFreedInLastInstance) }),
  refusalCancelsPreparedUpdates: plan({ body: replace(ref.body, checkSessionContext, onRefusal(checkSessionContext, (_p, s) => [...s.prepared].forEach(cancelPrepared))) }),
  refusalClosesTempTables: plan({ body: replace(ref.body, checkSessionContext, onRefusal(checkSessionContext, (p, s) => [...s.temps].forEach((c) => finalClose(p, c)))) }),
} satisfies Record<string, EndSessionPlan>;

export type RedTeamCPlanName = keyof typeof redTeamCPlans;

function engine(name: string, which: RedTeamCPlanName, description: string, killedBy: MutantSpec['killedBy']): MutantSpec {
  return { name, description, kind: 'engine', plan: which, killedBy, create: (options) => new WrappedImplementation(withEndSession(redTeamCPlans[which], options), name) };
}

export const redTeamCMutants: readonly MutantSpec[] = [
  engine('refused-end-rewinds-cursors', 'refusedEndRewindsCursors', 'a JetEndSession refused because a session context is set (-1914) has already put the session\'s cursors before the first record: open, their currency lost',
    both(['ES-SESSION-IN-USE'])),
  engine('in-flight-refusal-rewinds-cursors', 'inFlightRefusalRewindsCursors', 'a JetEndSession refused because a call is in flight on another thread (-1910) has already put the session\'s cursors before the first record',
    both(['ES-SHARING-VIOLATION'])),
  engine('end-rewinds-others-cursors', 'endRewindsOthersCursors', 'the end puts every other session\'s cursor on the tables it used before the first record (the cursors stay open)',
    both(['ES-OTHER-SESSIONS-UNTOUCHED', 'ES-ROLLBACK-LEVEL1'])),
  engine('deny-write-passed-on', 'denyWritePassedOn', 'the end hands the session\'s JET_bitTableDenyWrite lock to another session\'s cursor on the table instead of releasing it',
    both(['ES-CURSORS-CLOSED'])),
  engine('refusal-releases-deny-write', 'refusalReleasesDenyWrite', 'a JetEndSession refused because a session context is set (-1914) has already released the DenyWrite locks of the cursors it keeps open',
    both(['ES-SESSION-IN-USE'])),
  engine('refusal-cancels-prepared-updates', 'refusalCancelsPreparedUpdates', 'a JetEndSession refused because a session context is set (-1914) has already cancelled the session\'s prepared updates',
    both(['ES-SESSION-IN-USE'])),
  engine('refusal-closes-temp-tables', 'refusalClosesTempTables', 'a JetEndSession refused because a session context is set (-1914) has already closed the session\'s temp tables',
    both(['ES-SESSION-IN-USE'])),
  engine('session-slot-freed-in-last-instance', 'sessionSlotFreedInLastInstance', 'the ended session\'s slot is returned to the last-created instance\'s JET_paramMaxSessions pool, not its own',
    both(['ES-SESSION-SLOT-FREED'])),
];
