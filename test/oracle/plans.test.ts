/**
 * JetEndSession built from another plan (the way the mutant catalogue builds an engine with a
 * bug): when a plan leaves the session's cursors and temp tables unclosed, the end still frees the
 * session, and no tableid of the ended session stays usable (JET_errInvalidTableId, not a
 * tableid of "another session"), while what they held stays taken: the leak is visible in the
 * quotas, not through a live handle.
 */
import { test } from 'node:test';
import { makeJetEndSession, endSessionFree, referenceEndSession, rollbackTransaction } from '../../oracle/endsession';
import { B, E, Fixture, K, expectErr, must } from './fixture';
import type { JET_HANDLE } from './fixture';

test('a plan that skips the closes: the session ends, its tableids die, their cursors stay counted against MaxCursors', () => {
  const leaky = makeJetEndSession({ ...referenceEndSession, cleanup: [rollbackTransaction, endSessionFree] });
  const f = new Fixture({ engine: { ops: { JetEndSession: leaky } }, maxCursors: 4 });
  const s = f.session();
  const dbid = f.database(s);
  f.table(s, dbid, [1]);
  const t = f.open(s, dbid);
  const tmp = must(f.e.JetOpenTempTable('t1', s, [{ coltyp: K.JET_coltypLong, grbit: B.JET_bitColumnTTKey }], 0)).tableid as JET_HANDLE;
  must(f.e.JetEndSession('t1', s, 0));
  const o = f.session();
  expectErr(f.e.JetMove('t1', o, t, K.JET_MoveFirst, 0), E.JET_errInvalidTableId, 'the leaked table cursor');
  expectErr(f.e.JetMove('t1', o, tmp, K.JET_MoveFirst, 0), E.JET_errInvalidTableId, 'the leaked temp table');
  expectErr(f.e.JetCloseTable('t1', o, t), E.JET_errInvalidTableId);
  const od = must(f.e.JetOpenDatabase('t1', o, 'db1', 0)).dbid as number;
  f.open(o, od);
  f.open(o, od);
  expectErr(f.e.JetOpenTable('t1', o, od, 't', 0), E.JET_errOutOfCursors, 'the two leaked cursors still take 2 of the 4');
});
