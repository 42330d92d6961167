/**
 * Kind D of the threads campaign (docs/implementations/ese.md): a file a dirty term left attached is
 * inconsistent (db.cxx 2843-2844: -550 at attach) until a JetInit replays the dirty instance's logs.
 * Engine (ESENT flavour, Wine, the bridge placing each JetInit in the oldest unrecovered dirty term's
 * log folder): an instance initialized before the dirty term gets -550; the next JetInit recovers
 * (0), the file attaches (0, detached after recovery) with its committed records only.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { B, E, Fixture, expectErr, must, type JET_HANDLE } from './fixture';

function instance(f: Fixture, name: string): { i: JET_HANDLE; s: JET_HANDLE } {
  const i = must(f.e.JetCreateInstance('t1', name)).instance as JET_HANDLE;
  must(f.e.JetInit('t1', i));
  return { i, s: must(f.e.JetBeginSession('t1', i, '', '')).sesid as JET_HANDLE };
}

test('a dirty term\'s file: -550 until the next JetInit recovers it, then its committed records', () => {
  const f = new Fixture();
  const s = f.session();
  const dbid = f.database(s);
  f.table(s, dbid, [5]);
  const t = f.open(s, dbid);
  must(f.e.JetBeginTransaction('t1', s));
  f.insert(s, t, 6);
  const before = instance(f, 'before');
  expectErr(f.e.JetTerm2('t1', f.inst, B.JET_bitTermDirty) as { err: number }, E.JET_errDirtyShutdown);
  expectErr(f.e.JetAttachDatabase('t1', before.s, 'db1', 0), E.JET_errDatabaseDirtyShutdown, 'not recovered yet');
  const after = instance(f, 'after');
  must(f.e.JetAttachDatabase('t1', after.s, 'db1', 0), 'recovered by that JetInit, and left detached');
  const rd = must(f.e.JetOpenDatabase('t1', after.s, 'db1', 0)).dbid as number;
  const rt = must(f.e.JetOpenTable('t1', after.s, rd, 't', 0)).tableid as JET_HANDLE;
  assert.deepEqual(f.scan(after.s, rt), [5]);
  must(f.e.JetTerm('t1', after.i) as { err: number });
  must(f.e.JetAttachDatabase('t1', before.s, 'db1', 0), 'clean for everyone now');
});

test('each JetInit recovers one dirty term, the oldest first', () => {
  const f = new Fixture();
  const s = f.session();
  must(f.e.JetCreateDatabase('t1', s, 'a', 0));
  const second = instance(f, 'second');
  must(f.e.JetCreateDatabase('t1', second.s, 'b', 0));
  expectErr(f.e.JetTerm2('t1', f.inst, B.JET_bitTermDirty) as { err: number }, E.JET_errDirtyShutdown);
  expectErr(f.e.JetTerm2('t1', second.i, B.JET_bitTermDirty) as { err: number }, E.JET_errDirtyShutdown);
  const x = instance(f, 'x');
  must(f.e.JetAttachDatabase('t1', x.s, 'a', 0), 'the first dirty term recovered');
  expectErr(f.e.JetAttachDatabase('t1', x.s, 'b', 0), E.JET_errDatabaseDirtyShutdown, 'the second waits for the next JetInit');
  const y = instance(f, 'y');
  must(f.e.JetAttachDatabase('t1', y.s, 'b', 0));
});

test('a clean term leaves nothing to recover', () => {
  const f = new Fixture();
  const s = f.session();
  must(f.e.JetCreateDatabase('t1', s, 'a', 0));
  const other = instance(f, 'other');
  must(f.e.JetTerm('t1', f.inst) as { err: number });
  must(f.e.JetAttachDatabase('t1', other.s, 'a', 0));
});
