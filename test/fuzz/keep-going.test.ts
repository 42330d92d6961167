/**
 * `fuzz --keep-going` (fuzz/keep-going.ts): a campaign that records every diverging run and goes
 * on from a reset, groups the divergences by kind and shrinks each kind's first run without
 * drifting to another kind; the same seed gives the same runs and findings. `--avoid` keeps a
 * known process-killing call out, counted; and the World forgets a terminated instance's dbids.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { createReferenceImplementation } from '../../adapters/reference';
import type { ArgsOf, CallResult, Implementation, OperationName } from '../../adapters/types';
import { avoidRulesNamed } from '../../fuzz/avoid';
import { fuzz } from '../../fuzz/campaign';
import { fuzzKeepGoing } from '../../fuzz/keep-going';
import { divergenceKind } from '../../fuzz/kind';
import { callText } from '../../fuzz/gherkin';
import { parseNumber } from '../../harness/codes';
import { World } from '../../fuzz/world';
import { WrappedImplementation } from '../../mutants/wrap';
import { HoldsOnlyUpdates, InjectsOnlyUndo } from '../doubles/refusing';
import { runKeepGoing } from '../../cli/commands/fuzz-keep-going';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * The reference with two defects: JetOpenTable of an empty name answers -1305 (the reference
 * -1002), and JetStopServiceInstance on a created, never-initialized instance "kills the process"
 * (a crash, as ESE's NULL dereference does), after which every call crashes until the next reset.
 */
class TwoDefects extends WrappedImplementation {
  private readonly initialized = new Set<string>();
  private dead = false;

  constructor(inner: Implementation) {
    super(inner, 'two-defects');
  }

  override async reset() {
    this.initialized.clear();
    this.dead = false;
    return super.reset();
  }

  override async call<O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<CallResult<O>> {
    const a = args as Record<string, unknown>;
    if (this.dead) return { kind: 'crash', reason: 'the process had exited' };
    const quiesces = op === 'JetStopServiceInstance2' && (a.grbit === 0 || a.grbit === 4 || a.grbit === 6);
    if ((op === 'JetStopServiceInstance' || quiesces) && typeof a.instance === 'string' && !this.initialized.has(a.instance)) {
      const r = await this.inner.call(thread, op, args);
      // Only a live, never-initialized instance: the reference answers it with 0.
      if (r.kind === 'returned' && r.err === 0) {
        this.dead = true;
        return { kind: 'crash', reason: 'the process exited with code 5' };
      }
      return r;
    }
    const r = await this.inner.call(thread, op, args);
    if (op === 'JetInit' && r.kind === 'returned' && r.err >= 0 && typeof a.instance === 'string') this.initialized.add(a.instance);
    if (op === 'JetOpenTable' && a.tablename === '' && r.kind === 'returned' && r.err === -1002) return { ...r, err: -1305 };
    return r;
  }
}

// Seed 6: both defects within the runs, one of them in several (HoldWrite changed every seed's runs: 7 no longer met the crash).
const options = { seed: 6, runs: 200, maxSteps: 30, shrink: true, shrinkBudget: 400 } as const;

test('keep-going: every run is made, every diverging run is recorded, each kind is shrunk to a run of that kind, and the same seed gives the same findings', async () => {
  const sut = new TwoDefects(createReferenceImplementation());
  const first = await fuzzKeepGoing({ ...options, sut });
  assert.equal(first.runs, options.runs);
  assert.equal(first.stopped, undefined);
  const kinds = first.kinds.map((k) => k.kind);
  assert.ok(kinds.includes('JetOpenTable: expected JET_errInvalidName (-1002), got JET_errObjectNotFound (-1305)'), `kinds: ${kinds.join(' | ')}`);
  assert.ok(kinds.some((k) => k.startsWith('JetStopServiceInstance:') && k.endsWith('got CRASH')), `kinds: ${kinds.join(' | ')}`);
  assert.ok(first.divergences.length > kinds.length, 'a kind is seen in more than one run: the campaign went on after the first');
  const runs = first.divergences.map((d) => d.run);
  assert.deepEqual(runs, [...new Set(runs)].sort((x, y) => x - y), 'one record per diverging run, in run order');
  for (const k of first.kinds) {
    const finding = k.shrunk?.finding;
    assert.ok(finding, `${k.kind}: shrunk`);
    assert.equal(divergenceKind(finding.divergence), k.kind, 'shrinking kept the kind');
    assert.ok(finding.reproduced);
    assert.ok(finding.replay.startsWith(`${k.runs[0]}:`) || finding.replay.startsWith(`${k.runs[0]}@`), `replay ${finding.replay} starts at run ${k.runs[0]}`);
    assert.ok(finding.trace.length <= first.divergences.find((d) => d.run === k.runs[0])!.steps);
  }
  // A run of one kind, replayed for another kind only, counts as passing: nothing to shrink.
  const k0 = first.kinds[0];
  const replayed = (onlyKind: string) =>
    fuzz({ sut: new TwoDefects(createReferenceImplementation()), seed: options.seed, runs: 1, maxSteps: options.maxSteps, replay: String(k0.runs[0]), onlyKind });
  assert.equal((await replayed('JetTerm: expected JET_errSuccess (0), got CRASH')).finding, undefined);
  assert.equal(divergenceKind((await replayed(k0.kind)).finding!.divergence), k0.kind);
  const again = await fuzzKeepGoing({ ...options, sut: new TwoDefects(createReferenceImplementation()) });
  assert.deepEqual(
    again.divergences.map((d) => [d.run, d.kind]),
    first.divergences.map((d) => [d.run, d.kind]),
  );
  assert.deepEqual(
    again.kinds.map((k) => k.shrunk?.finding?.replay),
    first.kinds.map((k) => k.shrunk?.finding?.replay),
  );
});

test('--avoid ese-stop-uninitialized: the killing call is never made, every avoided call is counted, the other kind is still found', async () => {
  const { rules, unknown } = avoidRulesNamed(['ese-stop-uninitialized', 'ese-stop2-uninitialized', 'no-such-rule']);
  assert.deepEqual(unknown, ['no-such-rule']);
  assert.equal(rules.length, 2);
  // Seed 5 makes both killing calls within its runs (seed 7 only the first).
  const report = await fuzzKeepGoing({ ...options, seed: 5, shrink: false, avoid: rules, sut: new TwoDefects(createReferenceImplementation()) });
  assert.equal(report.runs, options.runs);
  assert.ok(!report.kinds.some((k) => k.kind.startsWith('JetStopServiceInstance')), report.kinds.map((k) => k.kind).join(' | '));
  assert.ok((report.avoided['ese-stop-uninitialized'] ?? 0) > 0, 'the rule matched and was counted');
  assert.ok((report.avoided['ese-stop2-uninitialized'] ?? 0) > 0, 'the rule matched and was counted');
  assert.ok(report.kinds.some((k) => k.kind.startsWith('JetOpenTable:')));
});

/** A World that saw JetCreateInstance, `beforeInit` (system parameters), JetInit and a JetBeginSession on t1. */
function worldWithSession(beforeInit: (w: World, instance: string) => void = () => undefined) {
  const w = new World(['t1'], new Set());
  const i1 = w.roles.bind('instance', '0x1', '0xa');
  w.learn('t1', { op: 'JetCreateInstance', args: { name: 'a' } }, 0, { instance: '0x1' }, i1);
  beforeInit(w, i1.name);
  w.learn('t1', { op: 'JetInit', args: { instance: { role: i1.name } } }, 0, {}, undefined);
  return { w, i1, s1: beginSession(w, i1.name, '0x2', '0xb') };
}

/** A JetBeginSession on `instance` that returned `sesid`, bound to a new session role. */
function beginSession(w: World, instance: string, sesid: string, key: string) {
  const s = w.roles.bind('session', sesid, key);
  w.learn('t1', { op: 'JetBeginSession', args: { instance: { role: instance }, username: '', password: '' } }, 0, { sesid }, s);
  return s;
}

test('the World forgets the dbids of a terminated instance (its FMPs are freed: a later call with one killed the engine\'s process)', () => {
  const { w, i1, s1 } = worldWithSession();
  w.learn('t1', { op: 'JetCreateDatabase', args: { sesid: { role: s1.name }, filename: 'a.edb', grbit: 0 } }, 0, { dbid: 1 }, undefined);
  assert.deepEqual([...w.dbids.keys()], [1]);
  w.terminated(w.instanceOf(i1.name));
  assert.deepEqual([...w.dbids.keys()], [], 'dbid 1 belonged to the terminated instance');
});

test('a successful JetInit retires every ended handle: ESE begins internal sessions there, which may take an ended session\'s memory', () => {
  const { w, s1 } = worldWithSession();
  w.learn('t1', { op: 'JetEndSession', args: { sesid: { role: s1.name }, grbit: 0 } }, 0, {}, undefined);
  assert.deepEqual(w.usable('session', 'dead').map((r) => r.name), [s1.name], 'an ended handle may be passed (ES-HANDLE-CLOSED)');
  const i2 = w.roles.bind('instance', '0x3', '0xc');
  w.learn('t1', { op: 'JetCreateInstance', args: { name: 'b' } }, 0, { instance: '0x3' }, i2);
  assert.deepEqual(w.usable('session', 'dead').map((r) => r.name), [s1.name], 'a new instance handle is bound without retireStale here');
  w.learn('t1', { op: 'JetInit', args: { instance: { role: i2.name } } }, 0, {}, undefined);
  assert.deepEqual(w.usable('session', 'dead'), [], 'retired at JetInit');
});

test('the first temp table of an instance whose session slots are all taken is not generated (ESE\'s temp database takes a slot of a pool with slack)', () => {
  // Two session slots (JET_paramMaxSessions, 5).
  const { w, i1, s1 } = worldWithSession((world, instance) =>
    world.learn('t1', { op: 'JetSetSystemParameter', args: { instance: { role: instance }, sesid: null, paramid: 5, lParam: 2 } }, 0, {}, undefined),
  );
  const inst = w.instanceOf(i1.name)!;
  assert.equal(w.roomForTempDatabase(inst), true, 'one slot of two is free');
  const s2 = beginSession(w, i1.name, '0x3', '0xc');
  assert.equal(w.roomForTempDatabase(inst), false, 'every slot taken, no temp database yet');
  w.learn('t1', { op: 'JetEndSession', args: { sesid: { role: s2.name }, grbit: 0 } }, 0, {}, undefined);
  const c1 = w.roles.bind('cursor', '0x4', '0xd');
  w.learn('t1', { op: 'JetOpenTempTable', args: { sesid: { role: s1.name }, columns: [{ coltyp: 4, grbit: 0 }], grbit: 0 } }, 0, { tableid: '0x4', columnids: [1] }, c1, { columnids: [1] });
  beginSession(w, i1.name, '0x5', '0xe');
  assert.equal(w.roomForTempDatabase(inst), true, 'the temp database exists: later temp tables need no slot');
});

test('a written feature names only constants the suite\'s catalogue copy reads back; others are numbers (seed 602: JET_bitCommitLazyFlush was a SUITE_ERROR)', () => {
  assert.equal(callText({ op: 'JetCommitTransaction', args: { sesid: { role: 's1' }, grbit: 1 } }), 'JetCommitTransaction(sesid=s1, grbit=1)');
  assert.equal(callText({ op: 'JetEndSession', args: { sesid: { role: 's1' }, grbit: 1 } }), 'JetEndSession(sesid=s1, grbit=JET_bitForceSessionClosed)');
  assert.equal(callText({ op: 'JetPrepareUpdate', args: { sesid: { role: 's1' }, tableid: { role: 'c1' }, prep: 5 } }), 'JetPrepareUpdate(sesid=s1, tableid=c1, prep=JET_prepInsertCopy)');
  assert.equal(parseNumber('JET_bitCommitLazyFlush'), undefined, 'if the catalogue copy learns it, the name may come back');
});

test('a hold the implementation answers "unsupported" is made on neither side and counted, not a divergence', async () => {
  const report = await fuzzKeepGoing({ seed: 11, runs: 60, maxSteps: 30, shrink: false, sut: new HoldsOnlyUpdates(createReferenceImplementation()) });
  assert.ok(report.capabilities.includes('in-flight'), report.capabilities.join(', '));
  assert.ok(report.notHoldable > 0, `${report.notHoldable} holds refused`);
  // HoldWrite: writes are held on both sides where the implementation can hold only writes.
  assert.ok(report.held > 0 && report.runsWithHolds > 0, `${report.held} held in ${report.runsWithHolds} runs`);
  assert.deepEqual(report.avoided, {}, 'no --avoid rule, so no avoided calls: a refused hold is counted apart');
  assert.deepEqual(report.divergences.map((d) => `${d.run}: ${d.kind}`), []);
});

test('refused holds have their own counter: the printed line and campaign-SEED.json\'s notHoldable, beside --avoid rules that matched nothing', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ese-not-holdable-'));
  try {
    const lines: string[] = [];
    const io = { out: (l: string) => lines.push(l), err: () => undefined, env: {}, cwd: dir };
    const sut = new HoldsOnlyUpdates(createReferenceImplementation());
    const options = { adapter: 'reference', runs: 60, seed: 11, maxSteps: 30, reportDir: dir, timeoutMs: 10_000, verify: false, command: [], avoid: avoidRulesNamed(['ese-stop-uninitialized']).rules };
    assert.equal(await runKeepGoing(sut, options, io), 0);
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'campaign-11.json'), 'utf8')) as { notHoldable: number; held: number; runsWithHolds: number; avoided: { name: string; count: number }[] };
    assert.ok(json.notHoldable > 0, `notHoldable ${json.notHoldable}`);
    assert.deepEqual(json.avoided.map((a) => [a.name, a.count]), [['ese-stop-uninitialized', 0]], 'a refused hold is not an avoided call');
    assert.ok(lines.includes(`held in flight: ${json.held} calls held on both sides, in ${json.runsWithHolds} of 60 runs`) && json.held > 0, lines.join('\n'));
    const printed = lines.filter((l) => l.startsWith('not holdable: '));
    assert.deepEqual(printed, [`not holdable: ${json.notHoldable} holds the implementation answered "unsupported" (it cannot keep that call in flight): made on neither side, not compared`]);
    assert.ok(lines.some((l) => l.startsWith('avoided (--avoid ese-stop-uninitialized): ')), lines.join('\n'));
    // The plain campaign counts them apart from the avoided calls too.
    const r = await fuzz({ sut: new HoldsOnlyUpdates(createReferenceImplementation()), seed: 11, runs: 60, maxSteps: 30 });
    assert.equal(r.finding, undefined, r.finding?.divergence.message);
    assert.ok(r.notHoldable > 0 && !('not-holdable' in r.avoided), `${r.notHoldable}, ${JSON.stringify(r.avoided)}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a fault the implementation answers "unsupported" is armed on neither side and counted, not a divergence; the faults it takes are compared', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ese-not-injectable-'));
  try {
    const lines: string[] = [];
    const io = { out: (l: string) => lines.push(l), err: () => undefined, env: {}, cwd: dir };
    const options = { adapter: 'reference', runs: 60, seed: 11, maxSteps: 30, reportDir: dir, timeoutMs: 10_000, verify: false, command: [], avoid: [] };
    assert.equal(await runKeepGoing(new InjectsOnlyUndo(createReferenceImplementation()), options, io), 0, lines.join('\n'));
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'campaign-11.json'), 'utf8')) as { notInjectable: number; capabilities: string[] };
    assert.ok(json.capabilities.includes('fault-injection') && json.notInjectable > 0, `notInjectable ${json.notInjectable}`);
    assert.deepEqual(lines.filter((l) => l.startsWith('not injectable: ')), [`not injectable: ${json.notInjectable} faults the implementation answered "unsupported" (it cannot fail at that step): armed on neither side, not compared`]);
    // The plain campaign (same seed, same runs) counts the same refusals apart and finds nothing either.
    const r = await fuzz({ sut: new InjectsOnlyUndo(createReferenceImplementation()), seed: 11, runs: 60, maxSteps: 30 });
    assert.equal(r.finding, undefined, r.finding?.divergence.message);
    assert.ok(r.notInjectable > 0 && r.notInjectable === json.notInjectable, `${r.notInjectable} / ${json.notInjectable}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * A bridge that "holds" a write after the engine made it: the JetUpdate or JetDelete completes at
 * once (nothing is in flight, no lock is kept for it) and its answer waits for the release. Holds of
 * other calls are refused, as the bridge over a real engine refuses them.
 */
class WritesBeforeHold extends HoldsOnlyUpdates {
  private readonly early = new Map<string, CallResult>();

  override async hold(thread: string, call: Parameters<NonNullable<Implementation['hold']>>[1]) {
    if (call.op !== 'JetUpdate' && call.op !== 'JetDelete') return super.hold(thread, call);
    const r = await this.inner.call(thread, call.op, call.args);
    if (r.kind !== 'returned' || r.err < 0) return r;
    const token = `early-${this.early.size + 1}`;
    this.early.set(token, r);
    return { kind: 'held' as const, hold: token };
  }

  override release(hold: string): Promise<CallResult> {
    const r = this.early.get(hold);
    if (r === undefined) return super.release(hold);
    this.early.delete(hold);
    return Promise.resolve(r);
  }
}

test('HoldWrite: a held JetUpdate/JetDelete is compared while it is held; a write made before the hold is found', async () => {
  const report = await fuzzKeepGoing({ seed: 11, runs: 60, maxSteps: 30, shrink: false, sut: new WritesBeforeHold(createReferenceImplementation()) });
  assert.ok(report.held > 0, `${report.held} held`);
  assert.ok(report.divergences.length > 0, 'the early write is found');
});
