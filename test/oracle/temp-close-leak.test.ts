/**
 * Fuzz seed 804 (issue 13, the campaign on 0243714): the last close of a materialized temp table
 * frees its FDP with ErrSPFreeFDP, which begins a transaction at level 0 (space.cxx 10882-10886) and
 * commits it ignoring the result (11044): off the session context's thread the level leaks (triage
 * item 10). Engine (ESENT flavour under Wine): context set on t2; JetCloseTable on t1 0; JetOpenTable
 * on t1 0 (no read-only level of its own to fail); the owner's JetRollback 0, then -1054.
 */
import { test } from 'node:test';
import { E, Fixture, K, expectErr, must, type JET_HANDLE } from './fixture';

const unkeyed = [{ coltyp: K.JET_coltypLong, grbit: 0 }];

function setting(): { f: Fixture; s: JET_HANDLE; dbid: number } {
  const f = new Fixture();
  const s = f.session();
  const dbid = f.database(s);
  f.table(s, dbid, [1]);
  return { f, s, dbid };
}

test('off the context\'s thread the close leaks a level, which the owner rolls back', () => {
  const { f, s, dbid } = setting();
  const tt = must(f.e.JetOpenTempTable('t1', s, unkeyed, 0)).tableid as JET_HANDLE;
  must(f.e.JetSetSessionContext('t2', s, 0x1234));
  must(f.e.JetCloseTable('t1', s, tt));
  must(f.e.JetOpenTable('t1', s, dbid, 't', 0), 'in the leaked level');
  must(f.e.JetRollback('t2', s, 0), 'the leaked level');
  expectErr(f.e.JetRollback('t2', s, 0), E.JET_errNotInTransaction);
});

test('on the context\'s thread, or while another cursor is open on it, nothing leaks', () => {
  const { f, s } = setting();
  const a = must(f.e.JetOpenTempTable('t1', s, unkeyed, 0)).tableid as JET_HANDLE;
  const dup = must(f.e.JetDupCursor('t1', s, a, 0)).tableid as JET_HANDLE;
  must(f.e.JetSetSessionContext('t2', s, 0x1234));
  must(f.e.JetCloseTable('t1', s, dup), 'not the last close');
  expectErr(f.e.JetRollback('t2', s, 0), E.JET_errNotInTransaction);
  must(f.e.JetCloseTable('t2', s, a), 'the last close, on the context\'s thread');
  expectErr(f.e.JetRollback('t2', s, 0), E.JET_errNotInTransaction);
});
