/**
 * JetCreateDatabase on a thread other than the one that set the session context, at level 0:
 * ErrDBInitDatabase's transaction binds to the context and its nested work fails -1910 (db.cxx
 * 275-305, triage item 10); a logged creation that fails takes the instance offline
 * (SetInstanceUnavailable, db.cxx 2311-2318) after purging the half-created file (2296-2302).
 * Engine (ESENT flavour under Wine, fuzz seed 912, a JSON-lines script): -1910; then on the context's
 * thread JetBeginTransaction, JetEndSession, JetResetSessionContext -1090; JetTerm 0; a new
 * instance: JetAttachDatabase of the file -1811, JetCreateDatabase of it 0.
 */
import { test } from 'node:test';
import { E, Fixture, expectErr, must, type JET_HANDLE } from './fixture';

test('JetCreateDatabase off the context\'s thread fails -1910 and leaves the instance unavailable, with no file', () => {
  const f = new Fixture();
  const s1 = f.session();
  const s2 = f.session();
  must(f.e.JetSetSessionContext('t1', s1, 4660));
  expectErr(f.e.JetCreateDatabase('t2', s1, 'm2.edb', 0), E.JET_errSessionSharingViolation);
  expectErr(f.e.JetBeginTransaction('t1', s2), E.JET_errInstanceUnavailable, 'another session');
  expectErr(f.e.JetEndSession('t1', s2, 0), E.JET_errInstanceUnavailable);
  expectErr(f.e.JetResetSessionContext('t1', s1), E.JET_errInstanceUnavailable);
  expectErr(f.e.JetEndSession('t1', s1, 0), E.JET_errInstanceUnavailable);
  must(f.e.JetTerm('t1', f.inst) as { err: number }, 'JetTerm of the unavailable instance');
  const i3 = must(f.e.JetCreateInstance('t1', 'm3')).instance as JET_HANDLE;
  must(f.e.JetInit('t1', i3));
  const s3 = must(f.e.JetBeginSession('t1', i3, '', '')).sesid as JET_HANDLE;
  expectErr(f.e.JetAttachDatabase('t1', s3, 'm2.edb', 0), E.JET_errFileNotFound, 'no file was left');
  must(f.e.JetCreateDatabase('t1', s3, 'm2.edb', 0));
});
