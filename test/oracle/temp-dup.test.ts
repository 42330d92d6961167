/**
 * The duplicate of a materialized temp table is deferred first, like a table's: a materialized temp
 * table is an index cursor, so ErrIsamSortDupCursor hands it to ErrIsamDupCursor (sortapi.cxx
 * 819-823); only a sort's duplicate is moved to the first record (845-852). Engine (ESENT flavour
 * under Wine, fuzz seed 714): duplicated while empty, an insert through the duplicate, then
 * JetMove(Next) -1603 and JetMove(Previous) 0; duplicated with a record, JetPrepareUpdate(replace) 0.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { E, K, Fixture, must, type JET_HANDLE } from './fixture';

function tempTableAndDup(f: Fixture, s: JET_HANDLE, records: number): JET_HANDLE {
  const t = must(f.e.JetOpenTempTable('t1', s, [{ coltyp: K.JET_coltypLong, grbit: 0 }], 0)).tableid as JET_HANDLE;
  for (let i = 0; i < records; i++) {
    must(f.e.JetPrepareUpdate('t1', s, t, K.JET_prepInsert));
    must(f.e.JetUpdate('t1', s, t));
  }
  return must(f.e.JetDupCursor('t1', s, t, 0)).tableid as JET_HANDLE;
}

test('duplicated while empty: after an insert through it, MoveNext passes the record and MovePrevious finds it', () => {
  const f = new Fixture();
  const s = f.session();
  const dup = tempTableAndDup(f, s, 0);
  must(f.e.JetPrepareUpdate('t1', s, dup, K.JET_prepInsert));
  must(f.e.JetUpdate('t1', s, dup));
  assert.equal(f.e.JetMove('t1', s, dup, K.JET_MoveNext, 0).err, E.JET_errNoCurrentRecord);
  assert.equal(f.e.JetMove('t1', s, dup, K.JET_MovePrevious, 0).err, 0);
});

test('duplicated with records: the duplicate resolves to the first one', () => {
  const f = new Fixture();
  const s = f.session();
  const dup = tempTableAndDup(f, s, 2);
  must(f.e.JetPrepareUpdate('t1', s, dup, K.JET_prepReplace));
  must(f.e.JetPrepareUpdate('t1', s, dup, K.JET_prepCancel));
  assert.equal(f.e.JetMove('t1', s, dup, K.JET_MoveNext, 0).err, 0, 'the second record');
  assert.equal(f.e.JetMove('t1', s, dup, K.JET_MoveNext, 0).err, E.JET_errNoCurrentRecord);
});
