/**
 * Fuzz seed 802 (issue 13, the campaign on 0243714): a column added in a transaction is versioned,
 * and ESE looks it up in the catalog under the caller's snapshot (ErrRECIAccessColumn, fldext.cxx
 * 234-270; ErrCATAccessTableColumn). Engine (ESENT flavour under Wine): another session's
 * JetRetrieveColumn and JetSetColumn of it -1507 until the commit; one in a transaction begun
 * before the commit still -1507; after a rollback -1507 for everyone. The reference answered +1004
 * and 0 (the column was in the table for everyone).
 */
import { test } from 'node:test';
import { B, E, Fixture, K, expectErr, must, type JET_HANDLE } from './fixture';

function setting(): { f: Fixture; s1: JET_HANDLE; c1: JET_HANDLE; s2: JET_HANDLE; c2: JET_HANDLE; col: number } {
  const f = new Fixture();
  const s1 = f.session();
  const dbid = f.database(s1);
  f.table(s1, dbid, [1]);
  const c1 = f.open(s1, dbid);
  must(f.e.JetMove('t1', s1, c1, K.JET_MoveFirst, 0));
  const s2 = f.session();
  const c2 = f.open(s2, f.database(s2), B.JET_bitTableUpdatable);
  must(f.e.JetBeginTransaction('t1', s2));
  const col = must(f.e.JetAddColumn('t1', s2, c2, 'c', K.JET_coltypText)).columnid as number;
  must(f.e.JetMove('t1', s2, c2, K.JET_MoveFirst, 0));
  return { f, s1, c1, s2, c2, col };
}

test('another session\'s uncommitted column is not found; the adder sees it', () => {
  const { f, s1, c1, s2, c2, col } = setting();
  expectErr(f.e.JetRetrieveColumn('t1', s1, c1, col), E.JET_errColumnNotFound, 'other session reads');
  expectErr(f.e.JetRetrieveColumn('t1', s2, c2, col), E.JET_wrnColumnNull, 'adder reads');
  must(f.e.JetPrepareUpdate('t1', s1, c1, K.JET_prepReplace));
  expectErr(f.e.JetSetColumn('t1', s1, c1, col, 'x'), E.JET_errColumnNotFound, 'other session sets');
});

test('committed: found at level 0, not in a transaction begun before the commit until it ends', () => {
  const { f, s1, c1, s2, col } = setting();
  must(f.e.JetBeginTransaction('t1', s1));
  must(f.e.JetCommitTransaction('t1', s2, 0));
  expectErr(f.e.JetRetrieveColumn('t1', s1, c1, col), E.JET_errColumnNotFound, 'older snapshot');
  must(f.e.JetCommitTransaction('t1', s1, 0));
  expectErr(f.e.JetRetrieveColumn('t1', s1, c1, col), E.JET_wrnColumnNull, 'level 0 after the commit');
  must(f.e.JetBeginTransaction('t1', s1));
  expectErr(f.e.JetRetrieveColumn('t1', s1, c1, col), E.JET_wrnColumnNull, 'a snapshot after the commit');
});

test('rolled back: not found for anyone', () => {
  const { f, s1, c1, s2, c2, col } = setting();
  must(f.e.JetRollback('t1', s2, 0));
  expectErr(f.e.JetRetrieveColumn('t1', s1, c1, col), E.JET_errColumnNotFound);
  expectErr(f.e.JetRetrieveColumn('t1', s2, c2, col), E.JET_errColumnNotFound);
});
