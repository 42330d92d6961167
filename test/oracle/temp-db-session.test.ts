/**
 * The lazy temp database (issue 13, triage [temp-db-session]): an instance's first JetOpenTempTable
 * creates the temp database with an internal session (INST::ErrINSTCreateTempDatabase_, sysinit.cxx
 * 343-392, ErrPIBBeginSession at 361; called from ErrPIBOpenTempDatabase, sortapi.cxx 3270), so with
 * every session slot taken it gives -1101 (engine: MaxSessions 4, pool filled, JetOpenTempTable
 * -1101 keyed or not), and once created later opens need no slot.
 */
import { test } from 'node:test';
import { B, E, Fixture, K, expectErr, must, type JET_HANDLE } from './fixture';

const keyed = [{ coltyp: K.JET_coltypLong, grbit: B.JET_bitColumnTTKey }];

test('the first temp table of an instance needs a session slot; the next ones do not', () => {
  const f = new Fixture({ maxSessions: 2 });
  const a = f.session();
  const b = f.session();
  expectErr(f.e.JetOpenTempTable('t1', a, keyed, 0), E.JET_errOutOfSessions, 'no slot for the internal session');
  expectErr(f.e.JetOpenTempTable('t1', a, [{ coltyp: K.JET_coltypLong, grbit: 0 }], 0), E.JET_errOutOfSessions, 'keyed or not');
  must(f.e.JetEndSession('t1', b, 0));
  const t = must(f.e.JetOpenTempTable('t1', a, keyed, 0), 'a free slot: the temp database is made').tableid as JET_HANDLE;
  must(f.e.JetCloseTable('t1', a, t));
  f.session();
  must(f.e.JetOpenTempTable('t1', a, keyed, 0), 'the pool is full again, the temp database exists');
});

test('with MaxTemporaryTables 0 no temp database is made: -1701 first', () => {
  const f = new Fixture({ maxSessions: 1, maxTemporaryTables: 0 });
  const a = f.session();
  expectErr(f.e.JetOpenTempTable('t1', a, keyed, 0), E.JET_errTooManySorts);
});
