/**
 * A materialized temp table's writes are versioned as a table's (a table of the temp database:
 * ErrRECInsert recupd.cxx 1633/1844, ErrDIRReplace 3254, ErrDIRDelete 2431); a sort's inserts are not
 * (ErrIsamSortUpdate, sortapi.cxx 697-800). Each expectation is what the engine answered to the same
 * calls (ESENT flavour under Wine, a probe script through the bridge; docs/implementations/ese.md,
 * triage item 11).
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { B, E, K, Fixture, must, expectErr, type JET_HANDLE } from './fixture';

interface Temp {
  readonly f: Fixture;
  readonly s: JET_HANDLE;
  readonly t: JET_HANDLE;
  readonly col: number;
}

function temp(grbit = 0): Temp {
  const f = new Fixture();
  const s = f.session();
  const r = must(f.e.JetOpenTempTable('t1', s, [{ coltyp: K.JET_coltypLong, grbit }], 0));
  return { f, s, t: r.tableid as JET_HANDLE, col: (r.columnids as number[])[0] };
}

function insert(x: Temp, v: number): void {
  must(x.f.e.JetPrepareUpdate('t1', x.s, x.t, K.JET_prepInsert));
  must(x.f.e.JetSetColumn('t1', x.s, x.t, x.col, v));
  must(x.f.e.JetUpdate('t1', x.s, x.t));
}

function all(x: Temp): unknown[] {
  const out: unknown[] = [];
  for (let r = x.f.e.JetMove('t1', x.s, x.t, K.JET_MoveFirst, 0); r.err === 0 && out.length < 20; r = x.f.e.JetMove('t1', x.s, x.t, K.JET_MoveNext, 0)) out.push(x.f.e.JetRetrieveColumn('t1', x.s, x.t, x.col).value);
  return out;
}

const begin = (x: Temp) => must(x.f.e.JetBeginTransaction('t1', x.s));
const rollback = (x: Temp) => must(x.f.e.JetRollback('t1', x.s, 0));
const commit = (x: Temp) => must(x.f.e.JetCommitTransaction('t1', x.s, 0));

test('an insert inside a transaction is undone by its rollback', () => {
  const x = temp();
  begin(x);
  insert(x, 1);
  assert.deepEqual(all(x), [1]);
  rollback(x);
  expectErr(x.f.e.JetMove('t1', x.s, x.t, K.JET_MoveFirst, 0), E.JET_errNoCurrentRecord);
});

test('a replace and a delete inside a transaction are undone by its rollback', () => {
  const x = temp();
  insert(x, 10);
  begin(x);
  must(x.f.e.JetMove('t1', x.s, x.t, K.JET_MoveFirst, 0));
  must(x.f.e.JetPrepareUpdate('t1', x.s, x.t, K.JET_prepReplace));
  must(x.f.e.JetSetColumn('t1', x.s, x.t, x.col, 11));
  must(x.f.e.JetUpdate('t1', x.s, x.t));
  assert.deepEqual(all(x), [11]);
  rollback(x);
  assert.deepEqual(all(x), [10]);
  begin(x);
  must(x.f.e.JetMove('t1', x.s, x.t, K.JET_MoveFirst, 0));
  must(x.f.e.JetDelete('t1', x.s, x.t));
  assert.deepEqual(all(x), []);
  rollback(x);
  assert.deepEqual(all(x), [10]);
});

test('a nested level: its rollback undoes its insert; committed into level 1, level 1 undoes it; committed to level 0 it stays', () => {
  const x = temp();
  begin(x);
  insert(x, 20);
  begin(x);
  insert(x, 30);
  rollback(x);
  commit(x);
  assert.deepEqual(all(x), [20]);
  begin(x);
  begin(x);
  insert(x, 40);
  commit(x);
  rollback(x);
  assert.deepEqual(all(x), [20]);
});

test("a sort's inserts are not versioned: its rollback keeps them", () => {
  const x = temp(B.JET_bitColumnTTKey);
  begin(x);
  insert(x, 7);
  rollback(x);
  must(x.f.e.JetMove('t1', x.s, x.t, K.JET_MoveNext, 0));
  assert.equal(x.f.e.JetRetrieveColumn('t1', x.s, x.t, x.col).value, 7);
});
