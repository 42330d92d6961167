/**
 * JetEndSession's last sweep (tm.cxx 132-182) closes the session's temp-table cursors newest first
 * (ErrFUCBOpen links each cursor at the head of the session's list, fucb.cxx 147-149): a sort through
 * ErrIsamSortClose, whose error stops the end (tm.cxx 141); a materialized temp table through
 * ErrDispCloseTable under CallS (170-178, Errata 11), which cannot fail. An injected close-sort fault
 * therefore strikes the newest sort, after every newer materialized temp table is closed, and never a
 * materialized one. Red team K; the scenario is cleanup-failures.feature's "A failed sort close leaves
 * the sort open; a materialized temp table opened after it is closed".
 */
import { test } from 'node:test';
import { E, Fixture, K, expectErr, must, type JET_HANDLE } from './fixture';

const keyed = [{ coltyp: K.JET_coltypLong, grbit: 0x40 }];
const unkeyed = [{ coltyp: K.JET_coltypLong, grbit: 0 }];

test('a close-sort fault spares a materialized temp table: the end closes it and fails at the older sort', () => {
  const f = new Fixture();
  const s = f.session();
  const sort = must(f.e.JetOpenTempTable('t1', s, keyed, 0)).tableid as JET_HANDLE;
  const mat = must(f.e.JetOpenTempTable('t1', s, unkeyed, 0)).tableid as JET_HANDLE;
  f.e.injectFault({ step: 'close-sort', err: E.JET_errOutOfMemory, times: 1 });
  expectErr(f.e.JetEndSession('t1', s, 0), E.JET_errOutOfMemory, 'the sort\'s close');
  expectErr(f.e.JetMove('t1', s, mat, K.JET_MoveFirst, 0), E.JET_errInvalidTableId, 'the materialized temp table, closed first');
  expectErr(f.e.JetMove('t1', s, sort, K.JET_MoveFirst, 0), E.JET_errNoCurrentRecord, 'the sort, still open');
  must(f.e.JetEndSession('t1', s, 0), 'the fault spent');
});

test('with only materialized temp tables the fault does not strike: the end completes and the next sort close fails', () => {
  const f = new Fixture();
  const s = f.session();
  const other = f.session();
  must(f.e.JetOpenTempTable('t1', s, unkeyed, 0));
  must(f.e.JetOpenTempTable('t1', other, keyed, 0));
  f.e.injectFault({ step: 'close-sort', err: E.JET_errOutOfMemory, times: 1 });
  must(f.e.JetEndSession('t1', s, 0), 'no sort to close');
  expectErr(f.e.JetEndSession('t1', other, 0), E.JET_errOutOfMemory, 'the fault, still armed');
});

test('a newer sort fails first: the older materialized temp table stays open', () => {
  const f = new Fixture();
  const s = f.session();
  const mat = must(f.e.JetOpenTempTable('t1', s, unkeyed, 0)).tableid as JET_HANDLE;
  must(f.e.JetOpenTempTable('t1', s, keyed, 0));
  f.e.injectFault({ step: 'close-sort', err: E.JET_errOutOfMemory, times: 1 });
  expectErr(f.e.JetEndSession('t1', s, 0), E.JET_errOutOfMemory);
  expectErr(f.e.JetMove('t1', s, mat, K.JET_MoveFirst, 0), E.JET_errNoCurrentRecord, 'the materialized temp table, not reached');
});
