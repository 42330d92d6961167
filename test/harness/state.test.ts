/**
 * Whole-state postconditions (harness/state.ts, observe.ts, registry.ts, mirror.ts): the comparison
 * rules, the registry the probes are chosen from, an implementation making the other legal
 * choices passing every scenario, and implementations with a leak failing on the component that
 * shows it.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import type { ArgsOf, CallResult, OperationName } from '../../adapters/types';
import { createReferenceImplementation } from '../../adapters/reference';
import { runSuite } from '../../harness/runner';
import { buildRegistry } from '../../harness/registry';
import { compareObservations, compareWithReference } from '../../harness/state';
import type { Observation } from '../../harness/observe';
import type { TraceEntry } from '../../harness/results';
import { WrappedImplementation } from '../../mutants/wrap';
import { LegalChoices } from './legal-choices';
import { JetOpenTempTable } from '../../oracle/dbops';

const obs = (entries: Record<string, unknown>): Observation => new Map(Object.entries(entries));
const slots = (free: number, then = -1101, bound = 116) => ({ free, then, bound });

test('session slots: ESENT-like slack passes at any count from the reference count up (internal sessions come and go), fewer fail', () => {
  const before = { impl: obs({ 'state: session slots of i1': slots(18) }), ref: obs({ 'state: session slots of i1': slots(13) }) };
  const ok = { impl: obs({ 'state: session slots of i1': slots(19) }), ref: obs({ 'state: session slots of i1': slots(14) }) };
  assert.deepEqual(compareWithReference(ok, before), []);
  // ESE: 54 free before a JetEndSession, 65 after: the freed count is the engine's internal sessions' business.
  const busyBefore = { impl: obs({ 'state: session slots of i1': slots(54) }), ref: obs({ 'state: session slots of i1': slots(7) }) };
  assert.deepEqual(compareWithReference({ impl: obs({ 'state: session slots of i1': slots(65) }), ref: obs({ 'state: session slots of i1': slots(8) }) }, busyBefore), []);
  const leak = { impl: obs({ 'state: session slots of i1': slots(13) }), ref: obs({ 'state: session slots of i1': slots(14) }) };
  assert.deepEqual(compareWithReference(leak, before).map((d) => d.component), ['state: session slots of i1']);
  // Without an observation before: at least the reference's count.
  assert.deepEqual(compareWithReference(ok, undefined), []);
  assert.equal(compareWithReference({ impl: obs({ 'state: session slots of i1': slots(3) }), ref: obs({ 'state: session slots of i1': slots(4) }) }, undefined).length, 1);
});

test('temp-table slots are exact (Errata 1): no slack', () => {
  const k = 'state: temp-table slots of i1';
  const before = { impl: obs({ [k]: { free: 3, then: -1701 } }), ref: obs({ [k]: { free: 2, then: -1701 } }) };
  const now = { impl: obs({ [k]: { free: 4, then: -1701 } }), ref: obs({ [k]: { free: 3, then: -1701 } }) };
  assert.deepEqual(compareWithReference(now, before).map((d) => d.component), [k]);
});

test('a cursor limit that is not enforced at all cannot show a leak and is not compared; an enforced one is', () => {
  const k = 'state: cursor slots of i1';
  const unlimited = { free: 164, then: 0, bound: 164 };
  assert.deepEqual(compareWithReference({ impl: obs({ [k]: unlimited }), ref: obs({ [k]: slots(60, -1013, 164) }) }, { impl: obs({ [k]: unlimited }), ref: obs({ [k]: slots(59, -1013, 164) }) }), []);
  assert.equal(compareWithReference({ impl: obs({ [k]: slots(58, -1013, 164) }), ref: obs({ [k]: slots(60, -1013, 164) }) }, { impl: obs({ [k]: slots(58, -1013, 164) }), ref: obs({ [k]: slots(59, -1013, 164) }) }).length, 1);
});

test('what the reference call left unchanged must stay unchanged, or read as the reference reads', () => {
  const k = 'state: table locks of db1.edb/t1';
  const mine = { plain: 0, DenyWrite: 0 };
  const esent = { plain: 0, DenyWrite: -1304 };
  // The probe's own semantics differ (a neighbouring API), the call changed nothing: no difference.
  assert.deepEqual(compareWithReference({ impl: obs({ [k]: mine }), ref: obs({ [k]: esent }) }, { impl: obs({ [k]: mine }), ref: obs({ [k]: esent }) }), []);
  // The call changed it where the reference's did not.
  assert.equal(compareWithReference({ impl: obs({ [k]: { plain: -1302, DenyWrite: 0 } }), ref: obs({ [k]: esent }) }, { impl: obs({ [k]: mine }), ref: obs({ [k]: esent }) }).length, 1);
  // Now reading as ESENT reads is fine too.
  assert.deepEqual(compareWithReference({ impl: obs({ [k]: esent }), ref: obs({ [k]: esent }) }, { impl: obs({ [k]: mine }), ref: obs({ [k]: esent }) }), []);
  // What the reference's call changed must read exactly as the reference reads.
  const d = 'state: data of db1.edb/t1 seen by another session';
  assert.equal(compareWithReference({ impl: obs({ [d]: ['a', 'x'] }), ref: obs({ [d]: ['a'] }) }, { impl: obs({ [d]: ['a', 'x'] }), ref: obs({ [d]: ['a', 'x'] }) }).length, 1);
  assert.deepEqual(compareObservations(obs({ [d]: ['a'] }), obs({ [d]: ['a'] })), []);
  assert.equal(compareObservations(obs({ [d]: ['a'] }), obs({})).length, 1);
});

test('the registry follows sessions, databases, cursors, levels and ends through the trace', () => {
  let seq = 0;
  const call = (thread: string, op: string, args: object, out: object = {}, err = 0): TraceEntry => ({ seq: ++seq, thread, kind: 'call', op, args, err, out, result: String(err) });
  const trace: TraceEntry[] = [
    call('t1', 'JetCreateInstance', { name: 'i1' }, { instance: 'I' }),
    call('t1', 'JetSetSystemParameter', { instance: 'I', sesid: null, paramid: 5, lParam: 4 }),
    call('t1', 'JetInit', { instance: 'I' }),
    call('t1', 'JetBeginSession', { instance: 'I' }, { sesid: 'S1' }),
    call('t1', 'JetCreateDatabase', { sesid: 'S1', filename: 'db1.edb', grbit: 0 }, { dbid: 1 }),
    call('t1', 'JetCreateTable', { sesid: 'S1', dbid: 1, tablename: 't1' }, { tableid: 'C1' }),
    call('t1', 'JetAddColumn', { sesid: 'S1', tableid: 'C1', column: 'k', coltyp: 4 }, { columnid: 1 }),
    call('t2', 'JetBeginTransaction', { sesid: 'S1' }),
    call('t2', 'JetBeginTransaction', { sesid: 'S1' }),
    call('t2', 'JetCommitTransaction', { sesid: 'S1', grbit: 0 }),
    call('t1', 'JetBeginSession', { instance: 'I' }, { sesid: 'S2' }),
    call('t1', 'JetOpenTempTable', { sesid: 'S2', columns: [], grbit: 0 }, { tableid: 'T', columnids: [1] }),
    call('t1', 'JetEndSession', { sesid: 'S2', grbit: 0 }),
    call('t1', 'JetEndSession', { sesid: 'S1', grbit: 0 }, {}, -1914),
  ];
  const reg = buildRegistry(trace);
  assert.deepEqual([...reg.sessions.keys()], ['S1']);
  assert.deepEqual([...reg.ended], ['S2']);
  const s1 = reg.sessions.get('S1');
  assert.equal(s1?.level, 1);
  assert.equal(s1?.trxThread, 't2');
  assert.deepEqual([...(s1?.dbs ?? [])], [['db1.edb', { dbid: 1, opens: 1 }]]);
  assert.deepEqual([...(reg.tables.get('db1.edb/t1')?.columns ?? [])], [['k', 1]]);
  assert.equal(reg.instances.get('I')?.params.get(5), 4);
  assert.deepEqual([...reg.threads].sort(), ['t1', 't2']);
});

test('the registry follows session contexts: who set one, and whether a level-0 begin found one', () => {
  let seq = 0;
  const call = (thread: string, op: string, args: object, out: object = {}, err = 0): TraceEntry => ({ seq: ++seq, thread, kind: 'call', op, args, err, out, result: String(err) });
  const start = [call('t1', 'JetCreateInstance', { name: 'i1' }, { instance: 'I' }), call('t1', 'JetInit', { instance: 'I' }), call('t1', 'JetBeginSession', { instance: 'I' }, { sesid: 'S1' })];
  const set = buildRegistry([...start, call('t2', 'JetSetSessionContext', { sesid: 'S1', context: 7 }), call('t1', 'JetResetSessionContext', { sesid: 'S1' }, {}, -1408)]).sessions.get('S1');
  assert.equal(set?.contextThread, 't2', 'a refused reset leaves the context with the thread that set it');
  const bound = buildRegistry([...start, call('t2', 'JetSetSessionContext', { sesid: 'S1', context: 7 }), call('t3', 'JetBeginTransaction', { sesid: 'S1' })]).sessions.get('S1');
  assert.deepEqual([bound?.level, bound?.trxThread, bound?.trxUnderContext], [1, 't3', true]);
  const plain = buildRegistry([...start, call('t3', 'JetBeginTransaction', { sesid: 'S1' }), call('t2', 'JetSetSessionContext', { sesid: 'S1', context: 7 }), call('t2', 'JetResetSessionContext', { sesid: 'S1' })]).sessions.get('S1');
  assert.deepEqual([plain?.trxUnderContext, plain?.contextThread], [false, undefined]);
});

test('an implementation making the other legal choices (handles, dbids, column ids, limits\' slack, warnings) passes every scenario', async () => {
  const { matrix } = await runSuite({ impl: new LegalChoices(), adapterName: 'legal-choices', tiers: ['documented', 'esent'] });
  const bad = matrix.scenarios.filter((s) => s.status !== 'PASS').map((s) => `${s.tier} ${s.scenario}: ${s.status} ${s.reason ?? ''}`);
  assert.deepEqual(bad, []);
  assert.ok(matrix.scenarios.length > 200, `${matrix.scenarios.length} scenario runs`);
});

/** JetEndSession of a session holding temp tables leaves one slot taken (a hidden session holds it). */
class TempSlotLeak extends WrappedImplementation {
  private readonly temps = new Map<string, Set<string>>();
  private instance?: string;

  override async call<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<CallResult<O>> {
    const r = await this.inner.call(thread, op, args);
    if (r.kind !== 'returned' || r.err < 0) return r;
    const a = args as { sesid?: unknown; tableid?: unknown; instance?: unknown };
    if (op === 'JetBeginSession') this.instance = String(a.instance);
    if (op === 'JetOpenTempTable') this.temps.set(String(a.sesid), new Set([...(this.temps.get(String(a.sesid)) ?? []), String((r.out as { tableid?: string }).tableid)]));
    if (op === 'JetCloseTable') this.temps.get(String(a.sesid))?.delete(String(a.tableid));
    if (op === 'JetEndSession' && (this.temps.get(String(a.sesid))?.size ?? 0) > 0 && this.instance !== undefined) {
      this.temps.delete(String(a.sesid));
      const hidden = await this.inner.call(thread, 'JetBeginSession', { instance: this.instance, username: '', password: '' });
      if (hidden.kind === 'returned' && hidden.out?.sesid) await this.inner.call(thread, 'JetOpenTempTable', { sesid: hidden.out.sesid, columns: [{ coltyp: 4, grbit: 0x40 }], grbit: 0 /* keyed: a sort, which holds a slot */ });
    }
    return r;
  }
}

test('a leaked temp-table slot fails the whole-state check, naming the component', async () => {
  const { matrix } = await runSuite({ impl: new TempSlotLeak(createReferenceImplementation(), 'temp-slot-leak'), adapterName: 'temp-slot-leak', tiers: ['documented', 'esent'], ids: ['ES-SORTS-CLOSED'] });
  const inner = matrix.scenarios.filter((s) => s.scenario === 'Temp tables opened inside the ending transaction free their slots too');
  assert.equal(inner.length, 2);
  for (const s of inner) {
    assert.equal(s.status, 'FAIL', `${s.tier} ${s.scenario}`);
    assert.match(s.reason ?? '', /^state: temp-table slots of i1: not as ESENT leaves it/);
  }
});

test('temp tables that need no session slot (no internal temp-database session): the documented tier passes, the esent tier fails on the temp-table count (Errata 10)', async () => {
  // The reference's own JetOpenTempTable, with the instance's temp database already there.
  const open = {
    enter: (...args: Parameters<typeof JetOpenTempTable.enter>) => JetOpenTempTable.enter(...args),
    body: (...args: Parameters<typeof JetOpenTempTable.body>) => {
      (args[1].s as { instance: { tempDbCreated: boolean } } | null)!.instance.tempDbCreated = true;
      return JetOpenTempTable.body(...args);
    },
  };
  const impl = createReferenceImplementation({ engine: { ops: { JetOpenTempTable: open } } });
  const { matrix } = await runSuite({ impl, adapterName: 'no-temp-db-session', tiers: ['documented', 'esent'], ids: ['ES-SESSION-SLOT-FREED'] });
  const bad = matrix.scenarios.filter((s) => s.status !== 'PASS').map((s) => `${s.tier} ${s.scenario}: ${s.status} ${(s.reason ?? '').slice(0, 60)}`);
  assert.deepEqual(bad, [
    'esent After JetTerm, an instance made again under the same name has every session slot: FAIL state: temp-table slots of i1: not as ESENT leaves it',
    'esent Ending a session frees its slot for JetBeginSession: FAIL state: temp-table slots of i1: not as ESENT leaves it',
    'esent Ending a session frees its slot in its own instance while another instance runs: FAIL state: temp-table slots of i1: not as ESENT leaves it',
    "esent JetDupSession draws on the instance's session slots: refused when they are used up, served by the slot an end frees: FAIL state: temp-table slots of i1: not as ESENT leaves it",
  ]);
});
