/**
 * The temp database takes a dbid (an FMP) when the instance's first temp table creates it
 * (ErrDBCreateDatabase with dbidTemp, sysinit.cxx 366-377), so the next user database gets the next
 * one. Measured on ESE through the bridge under Wine (fuzz seed 601: dbid 2, the reference said 1):
 * a.edb 1, temp 2, b.edb 3; a second instance's temp 4, c.edb 5. After a JetTerm ESE reuses FMPs by
 * a policy the reference does not model (preserved caches, fmp.cxx 1345-1400: engine 2, 6, 7).
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { B, Fixture, K, must, type JET_HANDLE } from './fixture';

const keyed = [{ coltyp: K.JET_coltypLong, grbit: B.JET_bitColumnTTKey }];

test('the first temp table of an instance takes the lowest free dbid for the temp database', () => {
  const f = new Fixture();
  const a = f.session();
  assert.equal(must(f.e.JetCreateDatabase('t1', a, 'a.edb', 0)).dbid, 1);
  must(f.e.JetOpenTempTable('t1', a, keyed, 0));
  assert.equal(must(f.e.JetCreateDatabase('t1', a, 'b.edb', 0)).dbid, 3, 'the temp database has 2');
  must(f.e.JetOpenTempTable('t1', a, keyed, 0));
  const i2 = must(f.e.JetCreateInstance('t1', 'i2')).instance as JET_HANDLE;
  must(f.e.JetInit('t1', i2));
  const b = must(f.e.JetBeginSession('t1', i2, '', '')).sesid as JET_HANDLE;
  must(f.e.JetOpenTempTable('t1', b, [{ coltyp: K.JET_coltypLong, grbit: 0 }], 0));
  assert.equal(must(f.e.JetCreateDatabase('t1', b, 'c.edb', 0)).dbid, 5, 'each instance has its temp database: 4');
});
