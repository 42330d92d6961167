/**
 * JetOpenTempTable takes its cursor and its SCB (the MaxTemporaryTables slot) before it looks at the
 * columns: ErrIsamSortOpen calls ErrSORTTableOpen, whose ErrSORTOpen comes first (sortapi.cxx 76;
 * ErrFUCBOpen and the SCB, sort.cxx 92-96), and a column type a variable column cannot have is
 * refused later, by ErrRECAddFieldDef (sortapi.cxx 210, fileopen.cxx 354-356). Engine (ESENT flavour
 * under Wine, fuzz seed 904, MaxTemporaryTables 1, a sort open): -1701 where the reference answered
 * -1511; with the sort closed, -1511, and the failed open leaves the slot free (SORTClose, 317).
 */
import { test } from 'node:test';
import { B, E, K, Fixture, expectErr, must, type JET_HANDLE } from './fixture';

const keyed = [{ coltyp: K.JET_coltypLong, grbit: B.JET_bitColumnTTKey }];
const badType = [{ coltyp: K.JET_coltypLong, grbit: B.JET_bitColumnTTKey }, { coltyp: 99, grbit: 0 }];

test('with the MaxTemporaryTables slot taken, a bad column type is JET_errTooManySorts; with it free, JET_errInvalidColumnType, and no slot is kept', () => {
  const f = new Fixture({ maxTemporaryTables: 1 });
  const s = f.session();
  const sort = must(f.e.JetOpenTempTable('t1', s, keyed, 0)).tableid as JET_HANDLE;
  expectErr(f.e.JetOpenTempTable('t1', s, badType, 0), E.JET_errTooManySorts, 'the SCB is taken before the columns are read');
  must(f.e.JetCloseTable('t1', s, sort));
  expectErr(f.e.JetOpenTempTable('t1', s, badType, 0), E.JET_errInvalidColumnType, 'with the slot free, the column is refused');
  must(f.e.JetOpenTempTable('t1', s, keyed, 0), 'the failed open gave its slot back');
});
