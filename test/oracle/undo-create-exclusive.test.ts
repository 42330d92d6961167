/**
 * Fuzz seed 802 (issue 13, the campaign on 0243714): undoing a JetCreateTable's space allocation
 * (VERIUndoAllocExt -> VERIFreeExt, ver.cxx 8113-8123, 5132-5176) opens and closes the database for
 * the session, and that close drops the session's exclusive open (ErrDBCloseDatabase, db.cxx
 * 6446-6447). Engine (ESENT flavour under Wine): after a JetCreateTable of a duplicate name (-1303,
 * its error path rolls the allocation back) or a JetRollback of a created table, another session
 * opens the database (0); after a commit it is still -1207.
 */
import { test } from 'node:test';
import { B, E, Fixture, expectErr, must, type JET_HANDLE } from './fixture';

function exclusive(): { f: Fixture; s1: JET_HANDLE; dbid: number; s2: JET_HANDLE } {
  const f = new Fixture();
  const s1 = f.session();
  const created = f.database(s1);
  f.table(s1, created, []);
  must(f.e.JetCloseDatabase('t1', s1, created, 0));
  const dbid = must(f.e.JetOpenDatabase('t1', s1, 'db1', B.JET_bitDbExclusive)).dbid as number;
  const s2 = f.session();
  expectErr(f.e.JetOpenDatabase('t1', s2, 'db1', 0), E.JET_errDatabaseLocked, 'exclusive');
  return { f, s1, dbid, s2 };
}

test('a JetCreateTable that finds the name taken drops the exclusive open', () => {
  const { f, s1, dbid, s2 } = exclusive();
  expectErr(f.e.JetCreateTable('t1', s1, dbid, 't'), E.JET_errTableDuplicate);
  must(f.e.JetOpenDatabase('t1', s2, 'db1', 0), 'no longer exclusive');
});

test('a rollback of a created table drops it; a commit keeps it', () => {
  const { f, s1, dbid, s2 } = exclusive();
  must(f.e.JetBeginTransaction('t1', s1));
  must(f.e.JetCreateTable('t1', s1, dbid, 'u'));
  must(f.e.JetCommitTransaction('t1', s1, 0));
  expectErr(f.e.JetOpenDatabase('t1', s2, 'db1', 0), E.JET_errDatabaseLocked, 'after the commit');
  must(f.e.JetBeginTransaction('t1', s1));
  must(f.e.JetCreateTable('t1', s1, dbid, 'v'));
  expectErr(f.e.JetOpenDatabase('t1', s2, 'db1', 0), E.JET_errDatabaseLocked, 'before the rollback');
  must(f.e.JetRollback('t1', s1, 0));
  must(f.e.JetOpenDatabase('t1', s2, 'db1', 0), 'after the rollback');
});
