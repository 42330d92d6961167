/**
 * Red team K: the specification clause by clause (docs/mutants.md, "Red team K"). Each bug breaks one
 * clause that no check looked at, or looked at in one configuration only, and does everything else
 * as the reference does:
 * - source §3 "uncommitted work is undone, nothing is partially committed": a long value replaced,
 *   or its record deleted, in the ending transaction (the rollbacks of the suite changed fixed and
 *   short columns only);
 * - doc Remarks "any sort tables that have been created or opened will be cleaned up" and tm.cxx
 *   132-182 (every remaining cursor closed): a duplicate cursor (JetDupCursor) of a temp table;
 * - Errata 5 "a context set after JetBeginTransaction does not migrate the transaction": the end
 *   from another thread of a transaction begun without a context, a context set and reset since;
 * - §5 JetDupSession "a brand new, independent session": ending the session it was made from.
 */
import type { OpTable } from '../oracle/api';
import { JET_constants as K } from '../api';
import { createReferenceImplementation } from '../adapters/reference';
import type { Implementation } from '../adapters/types';
import { closeDatabases, closeTempTables, endSessionFree, makeJetEndSession, referenceEndSession, rollbackTransaction, type EndSessionPlan, type EndSessionStep } from '../oracle/endsession';
import { sessionOf } from '../oracle/entry';
import { finalClose } from '../oracle/resources';
import { Rec, type RecordList } from '../oracle/records';
import type { Session } from '../oracle/session';
import { JetDupSession, JetSetSessionContext } from '../oracle/sessionops';
import type { Column, Table } from '../oracle/table';
import { rollbackAll } from '../oracle/transaction';
import type { MutantSpec } from './types';
import { both, made, type MutantOptions } from './entries';
import { plan, replace } from './engine-plans';

const ref = referenceEndSession;

/** The reference with some operations (JetEndSession's plan among them, when given) replaced. */
function engine(ops: Partial<OpTable>, endPlan: EndSessionPlan | null, options: MutantOptions): Implementation {
  const all: Partial<OpTable> = endPlan === null ? ops : { ...ops, JetEndSession: makeJetEndSession(endPlan) };
  return createReferenceImplementation({ engine: { ops: all }, ...(options?.target === undefined ? {} : { target: options.target }) });
}

// ---- Long values kept by the end's rollback ---------------------------------------------------------

/**
 * The end's rollback undoes the records but not their long values (kept apart, as ESE keeps them in
 * the LV tree, with an undo the end's fast path skips): the committed image keeps the long values
 * the transaction set.
 */
const rollbackKeepingLongValues: EndSessionStep = (core, s, thread) => {
  const tableOf = new Map<RecordList, Table>();
  for (const file of core.p.folder.values()) for (const t of file.tables.values()) tableOf.set(t.records, t);
  const kept: [Rec, Column, unknown][] = [];
  for (let level = 1; level <= s.level; level++) {
    for (const u of s.frames[level]?.undo ?? []) {
      if (!(u instanceof Rec)) continue;
      const values = u.top()?.values;
      const t = tableOf.get(u.list);
      if (values == null || t === undefined) continue;
      for (const col of t.columns) if (col.coltyp === K.JET_coltypLongText && !col.dropped) kept.push([u, col, values[col.ordinal]]);
    }
  }
  const err = rollbackTransaction(core, s, thread);
  if (err !== 0) return err;
  for (const [rec, col, v] of kept) {
    const last = rec.lastVersion()?.values;
    if (last != null) last[col.ordinal] = v as (typeof last)[number];
  }
  return 0;
};

/**
 * The end's rollback restores a record the transaction deleted without its long values (the delete
 * dropped their LV-tree references and the undo does not take them back): they read as NULL.
 */
const rollbackDroppingLongValuesOfDeleted: EndSessionStep = (core, s, thread) => {
  const tableOf = new Map<RecordList, Table>();
  for (const file of core.p.folder.values()) for (const t of file.tables.values()) tableOf.set(t.records, t);
  const deleted: [Rec, Column[]][] = [];
  for (let level = 1; level <= s.level; level++) {
    for (const u of s.frames[level]?.undo ?? []) {
      if (!(u instanceof Rec) || u.top()?.values !== null) continue;
      const t = tableOf.get(u.list);
      if (t !== undefined) deleted.push([u, t.columns.filter((c) => c.coltyp === K.JET_coltypLongText && !c.dropped)]);
    }
  }
  const err = rollbackTransaction(core, s, thread);
  if (err !== 0) return err;
  for (const [rec, cols] of deleted) {
    const last = rec.versions[rec.versions.length - 1];
    if (last?.values == null || cols.length === 0) continue;
    const values = [...last.values];
    for (const c of cols) values[c.ordinal] = null as (typeof values)[number];
    rec.versions[rec.versions.length - 1] = { ts: last.ts, values };
  }
  return 0;
};

// ---- Duplicate cursors of temp tables ---------------------------------------------------------------

/** The end closes one cursor per temp table (the one found first); duplicates stay, holding their sort. */
const closeOneCursorPerTempTable: EndSessionStep = (core, s) => {
  const closed = new Set<Table>();
  for (const c of [...s.temps]) {
    if (closed.has(c.table)) continue;
    closed.add(c.table);
    const err = core.faults.take('close-sort');
    if (err !== 0) return err;
    finalClose(core.p, c);
  }
  return 0;
};

// ---- A context set inside a transaction begun without one -------------------------------------------

/** Sessions given a context inside a transaction begun without one, with that transaction's begin. */
const contextSetInTrx = new WeakMap<Session, number>();

const setContextNoted: OpTable['JetSetSessionContext'] = {
  enter: (core, thread, a) => JetSetSessionContext.enter(core, thread, a),
  body(core, e, a) {
    const r = JetSetSessionContext.body(core, e, a);
    const s = e.s as Session;
    if (!('pending' in r) && r.err === 0 && s.level > 0 && !s.trxUsesContext) contextSetInTrx.set(s, s.trxBeginTs);
    return r;
  },
};

/** The end treats a transaction as context-bound when the session had a context set during it: any thread rolls it back. */
const rollbackAsContextBound: EndSessionStep = (core, s, thread) => {
  if (s.level > 0 && contextSetInTrx.get(s) === s.trxBeginTs) s.trxUsesContext = true;
  return rollbackTransaction(core, s, thread);
};

// ---- Sessions made with JetDupSession ended with their source ----------------------------------------

const dupsOf = new WeakMap<Session, Session[]>();

const dupNoted: OpTable['JetDupSession'] = {
  enter: (core, thread, a) => JetDupSession.enter(core, thread, a),
  body(core, e, a) {
    const r = JetDupSession.body(core, e, a);
    const src = e.s as Session;
    const dup = !('pending' in r) && r.err === 0 && r.sesid !== undefined ? sessionOf(core.p, r.sesid) : undefined;
    if (dup !== undefined) dupsOf.set(src, [...(dupsOf.get(src) ?? []), dup]);
    return r;
  },
};

/** After the session is freed, the sessions duplicated from it are ended too (rolled back, closed, freed). */
const endDuplicates: EndSessionStep = (core, s, thread) => {
  for (const d of dupsOf.get(s) ?? []) {
    if (sessionOf(core.p, d.handle) !== d) continue;
    rollbackAll(core.p, d, thread);
    closeDatabases(core, d, thread);
    closeTempTables(core, d, thread);
    endSessionFree(core, d, thread);
  }
  return 0;
};

// ---- The catalogue entries -------------------------------------------------------------------------

/** Every bug written by red team K, registered or not. */
export const redTeamKCandidates: readonly MutantSpec[] = [
  made('end-keeps-long-values', 'the end\'s rollback restores the records but not their long values: a JET_coltypLongText value set in the ending transaction stays, committed',
    both(['ES-ROLLBACK-LEVEL1']), (o) => engine({}, plan({ cleanup: replace(ref.cleanup, rollbackTransaction, rollbackKeepingLongValues) }), o)),
  made('end-undone-delete-drops-long-values', 'the end\'s rollback restores a record the transaction deleted without its long values: its JET_coltypLongText columns read as NULL',
    both(['ES-ROLLBACK-LEVEL1']), (o) => engine({}, plan({ cleanup: replace(ref.cleanup, rollbackTransaction, rollbackDroppingLongValuesOfDeleted) }), o)),
  made('duplicate-temp-cursors-left-open', 'the end closes one cursor per temp table: a duplicate (JetDupCursor) stays open, and a duplicated sort keeps its JET_paramMaxTemporaryTables slot',
    both(['ES-SORTS-CLOSED']), (o) => engine({}, plan({ cleanup: replace(ref.cleanup, closeTempTables, closeOneCursorPerTempTable) }), o)),
  made('late-context-unbinds-transaction', 'a session context set (and reset) inside a transaction begun without one lets any thread\'s JetEndSession roll the transaction back (no -1910)',
    both(['ES-SHARING-VIOLATION']), (o) => engine({ JetSetSessionContext: setContextNoted }, plan({ cleanup: replace(ref.cleanup, rollbackTransaction, rollbackAsContextBound) }), o)),
  made('dup-sessions-ended-with-source', 'the sessions made with JetDupSession are ended with the session they were made from (rolled back, closed, their handles dead)',
    both(['ES-HANDLE-CLOSED']), (o) => engine({ JetDupSession: dupNoted }, plan({ cleanup: [...ref.cleanup, endDuplicates] }), o)),
];

/**
 * The ones the catalogue registers: those no scenario killed before red team K's changes, and
 * late-context-unbinds-transaction, whose only killer is incidental (the whole-state probe's own
 * context set and reset inside the transaction, before an end from another thread): the kill
 * matrix keeps it so. dup-sessions-ended-with-source stays a candidate: a scenario kills it on
 * purpose (call-level.feature's idle duplicate, ES-HANDLE-CLOSED).
 */
const registered: ReadonlySet<string> = new Set<string>(['end-keeps-long-values', 'end-undone-delete-drops-long-values', 'duplicate-temp-cursors-left-open', 'late-context-unbinds-transaction']);
export const redTeamKMutants: readonly MutantSpec[] = redTeamKCandidates.filter((m) => registered.has(m.name));
