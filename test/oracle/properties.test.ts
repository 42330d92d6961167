/**
 * Properties over random call sequences (fast-check). On failure fast-check prints the seed and
 * the replay path; FC_SEED=<seed> replays the same sequences.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { Engine, JET_bits as B, JET_constants as K, JET_errors as E, JET_params as P } from '../../oracle';
import type { JET_HANDLE } from '../../oracle';
import { committed, digest, sessionDigest, sessionOf, view } from './observe';

const seed = process.env.FC_SEED === undefined ? undefined : Number(process.env.FC_SEED);
fc.configureGlobal({ includeErrorInReport: true, ...(seed === undefined ? {} : { seed }) });
const numRuns = Number(process.env.FC_RUNS ?? 400);

const maxSessions = 4;
const threads = ['t1', 't2'];
/** Fault errors chosen so that a failed end tells which step failed. */
const faultErr = { undo: E.JET_errOutOfMemory, 'close-database': E.JET_errDiskIO, 'close-sort': E.JET_errOutOfBuffers } as const;

type Action =
  | { readonly k: 'begin' }
  | { readonly k: 'end'; readonly s: number; readonly thread: number; readonly grbit: number }
  | { readonly k: 'dup'; readonly s: number }
  | { readonly k: 'trx'; readonly s: number; readonly thread: number; readonly ro: boolean }
  | { readonly k: 'commit'; readonly s: number; readonly thread: number }
  | { readonly k: 'rollback'; readonly s: number; readonly thread: number; readonly all: boolean }
  | { readonly k: 'ctx'; readonly s: number; readonly thread: number; readonly value: number }
  | { readonly k: 'reset'; readonly s: number; readonly thread: number }
  | { readonly k: 'opendb'; readonly s: number; readonly exclusive: boolean }
  | { readonly k: 'closedb'; readonly s: number }
  | { readonly k: 'open'; readonly s: number; readonly grbit: number }
  | { readonly k: 'close'; readonly c: number }
  | { readonly k: 'insert'; readonly c: number; readonly v: number }
  | { readonly k: 'replace'; readonly c: number; readonly v: number }
  | { readonly k: 'delete'; readonly c: number }
  | { readonly k: 'move'; readonly c: number; readonly cRow: number }
  | { readonly k: 'temp'; readonly s: number }
  | { readonly k: 'fault'; readonly step: keyof typeof faultErr }
  | { readonly k: 'stop' };

const idx = fc.nat({ max: 7 });
const thread = fc.nat({ max: 1 });
const grbit = fc.constantFrom(0, B.JET_bitForceSessionClosed, 0xffffffff, 2, 0x80000000);
const action: fc.Arbitrary<Action> = fc.oneof(
  { arbitrary: fc.constant({ k: 'begin' as const }), weight: 18 },
  { arbitrary: fc.record({ k: fc.constant('end' as const), s: idx, thread, grbit }), weight: 15 },
  { arbitrary: fc.record({ k: fc.constant('dup' as const), s: idx }), weight: 3 },
  { arbitrary: fc.record({ k: fc.constant('trx' as const), s: idx, thread, ro: fc.boolean() }), weight: 24 },
  { arbitrary: fc.record({ k: fc.constant('commit' as const), s: idx, thread }), weight: 9 },
  { arbitrary: fc.record({ k: fc.constant('rollback' as const), s: idx, thread, all: fc.boolean() }), weight: 12 },
  { arbitrary: fc.record({ k: fc.constant('ctx' as const), s: idx, thread, value: fc.constantFrom(0, 5, 6) }), weight: 6 },
  { arbitrary: fc.record({ k: fc.constant('reset' as const), s: idx, thread }), weight: 6 },
  { arbitrary: fc.record({ k: fc.constant('opendb' as const), s: idx, exclusive: fc.boolean() }), weight: 6 },
  { arbitrary: fc.record({ k: fc.constant('closedb' as const), s: idx }), weight: 3 },
  { arbitrary: fc.record({ k: fc.constant('open' as const), s: idx, grbit: fc.constantFrom(0, 0, B.JET_bitTableDenyRead, B.JET_bitTableDenyWrite, B.JET_bitTableReadOnly) }), weight: 18 },
  { arbitrary: fc.record({ k: fc.constant('close' as const), c: idx }), weight: 6 },
  { arbitrary: fc.record({ k: fc.constant('insert' as const), c: idx, v: fc.nat({ max: 99 }) }), weight: 24 },
  { arbitrary: fc.record({ k: fc.constant('replace' as const), c: idx, v: fc.nat({ max: 99 }) }), weight: 15 },
  { arbitrary: fc.record({ k: fc.constant('delete' as const), c: idx }), weight: 9 },
  { arbitrary: fc.record({ k: fc.constant('move' as const), c: idx, cRow: fc.constantFrom(K.JET_MoveFirst, K.JET_MoveNext, K.JET_MovePrevious, K.JET_MoveLast) }), weight: 12 },
  { arbitrary: fc.record({ k: fc.constant('temp' as const), s: idx }), weight: 6 },
  { arbitrary: fc.record({ k: fc.constant('fault' as const), step: fc.constantFrom('undo' as const, 'close-database' as const, 'close-sort' as const) }), weight: 8 },
  { arbitrary: fc.constant({ k: 'stop' as const }), weight: 1 },
);
/** Two sessions with a cursor each to start from, then random calls. */
const prefix: readonly Action[] = [{ k: 'begin' }, { k: 'begin' }, { k: 'open', s: 0, grbit: 0 }, { k: 'open', s: 1, grbit: 0 }];
const program = fc.array(action, { minLength: 1, maxLength: 40 }).map((actions) => [...prefix, ...actions]);

/** A world: one instance, a database with table "t" (one Long column, three records). */
class World {
  readonly e = new Engine();
  readonly inst: JET_HANDLE;
  readonly sessions: JET_HANDLE[] = [];
  readonly cursors: { readonly tableid: JET_HANDLE; readonly s: JET_HANDLE }[] = [];
  readonly dbids = new Map<JET_HANDLE, number>();
  readonly live = new Set<JET_HANDLE>();
  readonly trace: string[] = [];

  constructor(readonly hooks: Hooks = {}) {
    const e = this.e;
    this.inst = e.JetCreateInstance('t1', 'i').instance as JET_HANDLE;
    e.JetSetSystemParameter('t1', this.inst, null, P.JET_paramMaxSessions, maxSessions + 1);
    e.JetSetSystemParameter('t1', this.inst, null, P.JET_paramMaxTemporaryTables, 2);
    e.JetSetSystemParameter('t1', this.inst, null, P.JET_paramMaxCursors, 8);
    e.JetInit('t1', this.inst);
    const s = e.JetBeginSession('t1', this.inst, '', '').sesid as JET_HANDLE;
    const dbid = e.JetCreateDatabase('t1', s, 'db1', 0).dbid as number;
    const t = e.JetCreateTable('t1', s, dbid, 't').tableid as JET_HANDLE;
    e.JetAddColumn('t1', s, t, 'v', K.JET_coltypLong);
    for (const v of [1, 2, 3]) {
      e.JetPrepareUpdate('t1', s, t, K.JET_prepInsert);
      e.JetSetColumn('t1', s, t, 1, v);
      e.JetUpdate('t1', s, t);
    }
    e.JetEndSession('t1', s, 0);
  }

  /** Mostly a live session; selector 7 picks among every session ever begun (stale ones too). */
  session(i: number): JET_HANDLE {
    const live = [...this.live];
    if (i < 7 && live.length > 0) return live[i % live.length];
    return this.sessions.length === 0 ? (0n as JET_HANDLE) : this.sessions[i % this.sessions.length];
  }

  /** Mostly an open cursor; selector 7 picks among every cursor ever opened. */
  cursor(i: number): { readonly tableid: JET_HANDLE; readonly s: JET_HANDLE } | undefined {
    const open = this.cursors.filter((c) => this.e.state.handles.get(c.tableid) !== undefined);
    if (i < 7 && open.length > 0) return open[i % open.length];
    return this.cursors.length === 0 ? undefined : this.cursors[i % this.cursors.length];
  }

  run(a: Action, grbitOverride?: number): number {
    const e = this.e;
    const th = (n: number) => threads[n];
    const r = ((): number => {
      switch (a.k) {
        case 'begin':
        case 'dup': {
          const res = a.k === 'begin' ? e.JetBeginSession('t1', this.inst, '', '') : e.JetDupSession('t1', this.session(a.s));
          this.hooks.afterBegin?.(this, res.err);
          if (res.err === 0) {
            this.sessions.push(res.sesid as JET_HANDLE);
            this.live.add(res.sesid as JET_HANDLE);
          }
          return res.err;
        }
        case 'end': {
          const s = this.session(a.s);
          const before = this.hooks.beforeEnd?.(this, s);
          const err = e.JetEndSession(th(a.thread), s, grbitOverride ?? a.grbit).err;
          if (err === 0) this.live.delete(s);
          this.hooks.afterEnd?.(this, s, err, before);
          return err;
        }
        case 'trx': {
          const s = this.session(a.s);
          const err = e.JetBeginTransaction2(th(a.thread), s, a.ro ? B.JET_bitTransactionReadOnly : 0).err;
          if (err === 0) this.hooks.afterBeginTrx?.(this, s);
          return err;
        }
        case 'commit':
          return e.JetCommitTransaction(th(a.thread), this.session(a.s), 0).err;
        case 'rollback': {
          const s = this.session(a.s);
          const before = committed(e);
          const err = e.JetRollback(th(a.thread), s, a.all ? B.JET_bitRollbackAll : 0).err;
          if (err === 0) this.hooks.afterRollback?.(this, s, before);
          return err;
        }
        case 'ctx':
          return e.JetSetSessionContext(th(a.thread), this.session(a.s), a.value).err;
        case 'reset':
          return e.JetResetSessionContext(th(a.thread), this.session(a.s)).err;
        case 'opendb': {
          const s = this.session(a.s);
          const res = e.JetOpenDatabase('t1', s, 'db1', a.exclusive ? B.JET_bitDbExclusive : 0);
          if (res.err === 0) this.dbids.set(s, res.dbid as number);
          return res.err;
        }
        case 'closedb': {
          const s = this.session(a.s);
          return e.JetCloseDatabase('t1', s, this.dbids.get(s) ?? 1, 0).err;
        }
        case 'open': {
          const s = this.session(a.s);
          if (!this.dbids.has(s)) {
            const db = e.JetOpenDatabase('t1', s, 'db1', 0);
            if (db.err === 0) this.dbids.set(s, db.dbid as number);
          }
          const res = e.JetOpenTable('t1', s, this.dbids.get(s) ?? 1, 't', a.grbit);
          if (res.err >= 0) this.cursors.push({ tableid: res.tableid as JET_HANDLE, s });
          return res.err;
        }
        case 'temp': {
          const s = this.session(a.s);
          const res = e.JetOpenTempTable('t1', s, [{ coltyp: K.JET_coltypLong, grbit: 0 }], 0);
          if (res.err >= 0) this.cursors.push({ tableid: res.tableid as JET_HANDLE, s });
          return res.err;
        }
        case 'close':
        case 'insert':
        case 'replace':
        case 'delete':
        case 'move': {
          const c = this.cursor(a.c);
          if (c === undefined) return 1;
          const owner = this.ownerThread(c.s);
          if (a.k === 'close') return e.JetCloseTable(owner, c.s, c.tableid).err;
          if (a.k === 'delete') return e.JetDelete(owner, c.s, c.tableid).err;
          if (a.k === 'move') return e.JetMove(owner, c.s, c.tableid, a.cRow, 0).err;
          const prep = e.JetPrepareUpdate(owner, c.s, c.tableid, a.k === 'insert' ? K.JET_prepInsert : K.JET_prepReplace).err;
          if (prep !== 0) return prep;
          e.JetSetColumn(owner, c.s, c.tableid, 1, a.v);
          return e.JetUpdate(owner, c.s, c.tableid).err;
        }
        case 'fault':
          e.injectFault({ step: a.step, err: faultErr[a.step], times: 1 });
          return 0;
        case 'stop':
          return e.JetStopServiceInstance2('t1', this.inst, B.JET_bitStopServiceAll).err;
      }
    })();
    this.trace.push(`${JSON.stringify(a)} -> ${r}`);
    this.hooks.afterStep?.(this);
    return r;
  }

  /** The thread a session's transaction is bound to, so that data calls mostly succeed. */
  private ownerThread(s: JET_HANDLE): string {
    return sessionOf(this.e, s)?.trxThread ?? 't1';
  }
}

interface Hooks {
  afterBegin?(w: World, err: number): void;
  beforeEnd?(w: World, s: JET_HANDLE): unknown;
  afterEnd?(w: World, s: JET_HANDLE, err: number, before: unknown): void;
  afterBeginTrx?(w: World, s: JET_HANDLE): void;
  afterRollback?(w: World, s: JET_HANDLE, committedBefore: unknown): void;
  afterStep?(w: World): void;
}

test('after a successful end, no handle of the session works', () => {
  fc.assert(
    fc.property(program, (prog) => {
      const w = new World({
        afterEnd(w, s, err) {
          if (err !== 0) return;
          const e = w.e;
          for (const r of [
            e.JetEndSession('t1', s, 0),
            e.JetBeginTransaction('t1', s),
            e.JetRollback('t1', s, 0),
            e.JetSetSessionContext('t1', s, 9),
            e.JetResetSessionContext('t1', s),
            e.JetDupSession('t1', s),
            e.JetOpenDatabase('t1', s, 'db1', 0),
            e.JetOpenTempTable('t1', s, [], 0),
          ])
            assert.equal(r.err, E.JET_errInvalidSesid);
          const other = [...w.live][0];
          for (const c of w.cursors.filter((c) => c.s === s)) {
            assert.equal(e.JetMove('t1', s, c.tableid, K.JET_MoveFirst, 0).err, E.JET_errInvalidSesid);
            if (other !== undefined) assert.equal(e.JetCloseTable('t1', other, c.tableid).err, E.JET_errInvalidTableId);
          }
        },
      });
      for (const a of prog) w.run(a);
    }),
    { numRuns },
  );
});

test('live sessions never exceed JET_paramMaxSessions, and -1101 comes exactly at the limit', () => {
  fc.assert(
    fc.property(program, (prog) => {
      const limit = maxSessions + 1;
      const w = new World({
        afterBegin(w, err) {
          if (err === E.JET_errOutOfSessions) assert.equal(w.live.size, limit);
        },
        afterStep(w) {
          assert.ok(w.live.size <= limit);
          const inst = [...w.e.state.instances][0];
          assert.equal(inst.sessions.size, w.live.size);
        },
      });
      for (const a of prog) w.run(a);
    }),
    { numRuns },
  );
});

test('a rolled-back level leaves the data exactly as before its begin (JetRollback, and JetEndSession)', () => {
  fc.assert(
    fc.property(program, (prog) => {
      const views = new Map<JET_HANDLE, unknown[]>();
      const w = new World({
        beforeEnd(w) {
          return committed(w.e);
        },
        afterEnd(w, _s, err, committedBefore) {
          if (err === 0) assert.deepEqual(committed(w.e), committedBefore, 'an end never makes open work durable');
        },
        afterBeginTrx(w, s) {
          const session = sessionOf(w.e, s);
          assert.ok(session);
          const stack = views.get(s) ?? [];
          stack[session.level] = view(w.e, session);
          views.set(s, stack);
        },
        afterRollback(w, s, committedBefore) {
          const session = sessionOf(w.e, s);
          assert.ok(session);
          assert.deepEqual(committed(w.e), committedBefore, 'a rollback never changes committed data');
          if (session.level > 0) assert.deepEqual(view(w.e, session), (views.get(s) ?? [])[session.level + 1], `level ${session.level + 1}`);
          else assert.deepEqual(view(w.e, session), committed(w.e));
        },
      });
      for (const a of prog) w.run(a);
    }),
    { numRuns },
  );
});

test("grbit never changes JetEndSession's outcome", () => {
  fc.assert(
    fc.property(program, (prog) => {
      const plain = new World();
      const odd = new World();
      for (const a of prog) {
        const r0 = plain.run(a, a.k === 'end' ? 0 : undefined);
        const r1 = odd.run(a);
        assert.equal(r1, r0, JSON.stringify(a));
      }
      assert.deepEqual(digest(odd.e), digest(plain.e));
    }),
    { numRuns },
  );
});

test('a failed end changes nothing but what the source says', () => {
  fc.assert(
    fc.property(program, (prog) => {
      const w = new World({
        beforeEnd(w, s) {
          const session = sessionOf(w.e, s);
          const innermost = session === undefined || session.level === 0 ? [] : (session.frames[session.level]?.opened ?? []).filter((c) => !c.closed && !c.deferred).map((c) => '0x' + c.handle.toString(16));
          return { d: digest(w.e), innermost };
        },
        afterEnd(w, s, err, before) {
          if (err === 0) return;
          const { d: d0, innermost } = before as { d: ReturnType<typeof digest>; innermost: string[] };
          const d1 = digest(w.e);
          const key = '0x' + s.toString(16);
          // other sessions and committed data: never touched by a failed end
          for (const [k, v] of Object.entries(d0.sessions)) if (k !== key) assert.deepEqual(d1.sessions[k], v, `session ${k}`);
          assert.deepEqual(d1.committed, d0.committed);
          const s0 = d0.sessions[key];
          const s1 = d1.sessions[key];
          if (err === E.JET_errSessionSharingViolation && s0 !== undefined && s0.level > 0) {
            // wrong thread: the innermost level's cursors were closed, nothing else
            assert.ok(s1);
            assert.equal(s1.level, s0.level);
            assert.deepEqual(s1.view, s0.view);
            assert.deepEqual(s1.cursors, s0.cursors.filter((c) => !innermost.includes(c)));
            assert.equal(s1.context, s0.context);
          } else if (err === faultErr.undo) {
            assert.ok(s1, 'alive');
            assert.notEqual(d1.instances[0], d0.instances[0], 'the instance went down');
            assert.equal((d1.instances[0] as { unavailable: number }).unavailable, faultErr.undo);
            assert.equal(s1.level, s0.level);
            assert.deepEqual(s1.view, s0.view);
          } else if (err === faultErr['close-database'] || err === faultErr['close-sort']) {
            assert.ok(s1, 'alive and usable');
            assert.equal(s1.level, 0, 'already rolled back');
            assert.deepEqual(s1.view, d1.committed);
          } else {
            assert.deepEqual(d1, d0, `error ${err} changed nothing`);
          }
        },
      });
      for (const a of prog) w.run(a);
    }),
    { numRuns },
  );
});

test('the session digest helper sees the own uncommitted work (sanity check of the observer)', () => {
  const w = new World();
  w.run({ k: 'begin' });
  w.run({ k: 'opendb', s: 0, exclusive: false });
  w.run({ k: 'open', s: 0, grbit: 0 });
  w.run({ k: 'trx', s: 0, thread: 0, ro: false });
  w.run({ k: 'insert', c: 0, v: 42 });
  const s = sessionOf(w.e, w.sessions[0]);
  assert.ok(s);
  assert.deepEqual(sessionDigest(w.e, s).view['db1/t'], [[1], [2], [3], [42]]);
  assert.deepEqual(committed(w.e)['db1/t'], [[1], [2], [3]]);
});
