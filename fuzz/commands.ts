/**
 * The command catalogue: one fast-check AsyncCommand per kind of step over the whole life cycle
 * (instances, parameters, stop-service, term, sessions, dup, contexts, nested transactions,
 * databases, tables, cursors, records, temp tables, JetEndSession with any grbit and any handle,
 * calls held in flight, injected clean-up faults, a forced fatal error). Every command resolves
 * its choices against the World when it runs and goes through the Pair, which runs it on both
 * sides and compares.
 */
import fc from 'fast-check';
import type { Implementation } from '../adapters/types';
import type { Capability, CleanupStep } from '../api';
import { JET_bits as B, JET_constants as K, JET_errors as E, JET_params as P } from '../api/codes';
import { anyFree, call, onSession, scanTable, sessionFor, sesArb, threadOf, threadOn, type CurArgs, type FuzzModel, type SesArgs } from './exec';
import {
  choiceArb,
  columnNames,
  columnsOf,
  coltyps,
  cursorFor,
  dbidFor,
  files,
  handleFor,
  instanceFor,
  nat,
  pick,
  tableNames,
  valueArb,
  valueFor,
  type ValueChoice,
} from './picks';
import type { HandleRef } from './roles';
import type { CursorRec, World } from './world';

interface Spec<A> {
  readonly name: string;
  /** Relative frequency (integers: fast-check's oneof weights). */
  readonly weight: number;
  readonly needs?: readonly Capability[];
  readonly arb: fc.Arbitrary<A>;
  /** fast-check's check: whether the command can run in this state. */
  ready(w: World, a: A): boolean;
  run(m: FuzzModel, a: A): Promise<void>;
}

class SpecCommand<A> implements fc.AsyncCommand<FuzzModel, Implementation> {
  constructor(
    private readonly spec: Spec<A>,
    private readonly a: A,
  ) {}
  check(m: Readonly<FuzzModel>): boolean {
    return this.spec.ready(m.world, this.a);
  }
  async run(m: FuzzModel): Promise<void> {
    await this.spec.run(m, this.a);
  }
  toString(): string {
    return `${this.spec.name}${JSON.stringify(this.a)}`;
  }
}

function spec<A>(s: Spec<A>): Spec<A> {
  return s;
}

const grbit32 = fc.oneof(
  { arbitrary: fc.constant(0), weight: 4 },
  { arbitrary: fc.constant(B.JET_bitForceSessionClosed), weight: 4 },
  { arbitrary: fc.constant(0xffffffff), weight: 1 },
  { arbitrary: fc.integer({ min: 2, max: 0xffffffff }), weight: 1 },
);

/** Sessions a JetBeginSession or JetDupSession may add without passing MaxSessions. */
/** Writes a record through the cursor; with nest > 0, in that many new transaction levels, one write each. */
async function writeRounds(
  m: FuzzModel,
  t: string,
  sesid: HandleRef,
  tableid: HandleRef,
  cursor: CursorRec | undefined,
  a: { replace: boolean; values: readonly ValueChoice[]; nest: number },
): Promise<void> {
  const cols = columnsOf(cursor).slice(0, -1);
  for (let round = 0; round < Math.max(1, a.nest); round++) {
    if (a.nest > 0) await call(m, t, 'JetBeginTransaction', { sesid });
    const prep = await call(m, t, 'JetPrepareUpdate', { sesid, tableid, prep: a.replace ? K.JET_prepReplace : K.JET_prepInsert });
    if (prep === undefined || prep < 0) return;
    for (let i = 0; i < cols.length && i < a.values.length; i++) {
      await call(m, t, 'JetSetColumn', { sesid, tableid, columnid: cols[i], value: valueFor(cols[i], a.values[(i + round) % a.values.length]) });
    }
    await call(m, t, 'JetUpdate', { sesid, tableid });
  }
}

function roomFor(w: World, target: ReturnType<World['beginTarget']>): boolean {
  return w.roomForSession(target);
}

const sessionOps = [
  spec<SesArgs & { name: number }>({
    name: 'CreateInstance',
    weight: 2,
    arb: fc.record({ t: nat, s: choiceArb, name: fc.nat({ max: 1 }) }),
    ready: (w) => anyFree(w) && w.instances.filter((i) => !i.freed).length < 2,
    run: (m, a) => call(m, threadOf(m.world, a.t), 'JetCreateInstance', { name: `fz${a.name + 1}` }).then(() => undefined),
  }),
  spec<SesArgs & { global: boolean; param: number; v: number }>({
    name: 'SetSystemParameter',
    weight: 2,
    arb: fc.record({ t: nat, s: choiceArb, global: fc.boolean(), param: fc.constantFrom(P.JET_paramMaxSessions, P.JET_paramMaxTemporaryTables), v: nat }),
    ready: anyFree,
    run: async (m, a) => {
      const values = a.param === P.JET_paramMaxSessions ? [1, 2, 3, 4, -1, 30001] : [0, 1, 2, 3, -1];
      const instance = a.global ? null : instanceFor(m.world, a.s);
      await call(m, threadOf(m.world, a.t), 'JetSetSystemParameter', { instance, sesid: null, paramid: a.param, lParam: values[a.v % values.length] });
    },
  }),
  spec<SesArgs>({
    name: 'Init',
    weight: 2,
    arb: sesArb,
    ready: (w) => anyFree(w) && (w.mode === 'none' || w.instances.some((i) => !i.freed && !i.initialized)),
    run: async (m, a) => {
      const w = m.world;
      let instance: HandleRef;
      if (w.mode === 'none') instance = { forged: 'nil' }; // single-instance mode
      else {
        const fresh = w.instances.filter((i) => !i.freed && !i.initialized && i.role).map((i) => (i.role as { name: string }).name);
        const name = pick(fresh, a.s.k);
        instance = name !== undefined ? { role: name } : handleFor(w, 'instance', a.s);
        // JetInit(NULL) in multi-instance mode would allocate an instance no handle names.
        if (instance === null || ('forged' in instance && instance.forged !== 'never-issued')) instance = { forged: 'never-issued' };
      }
      await call(m, threadOf(w, a.t), 'JetInit', { instance });
    },
  }),
  spec<SesArgs & { grbit: number }>({
    name: 'Term',
    weight: 1,
    arb: fc.record({ t: nat, s: choiceArb, grbit: fc.constantFrom(-1, 0, B.JET_bitTermComplete, B.JET_bitTermAbrupt, B.JET_bitTermDirty) }),
    ready: (w) => anyFree(w) && w.instances.some((i) => !i.freed),
    run: async (m, a) => {
      const t = threadOf(m.world, a.t);
      const instance = instanceFor(m.world, a.s);
      if (a.grbit < 0) await call(m, t, 'JetTerm', { instance });
      else await call(m, t, 'JetTerm2', { instance, grbit: a.grbit });
    },
  }),
  spec<SesArgs & { which: number; grbit: number }>({
    name: 'StopService',
    weight: 2,
    arb: fc.record({
      t: nat,
      s: choiceArb,
      which: fc.nat({ max: 2 }),
      // StopAndEmitLog alone stops the instance's logging: ESE then fails every logged operation with
      // -510 (engine: JetCreateDatabase, JetTerm), which the reference does not model; combined with
      // another bit it is -900 in both (jetapi.cxx 22443-22448).
      grbit: fc.constantFrom(B.JET_bitStopServiceAll, B.JET_bitStopServiceAll, B.JET_bitStopServiceBackgroundUserTasks, B.JET_bitStopServiceQuiesceCaches, B.JET_bitStopServiceStopAndEmitLog | B.JET_bitStopServiceQuiesceCaches, B.JET_bitStopServiceResume, 0x40),
    }),
    ready: anyFree,
    run: async (m, a) => {
      const t = threadOf(m.world, a.t);
      if (a.which === 0) await call(m, t, 'JetStopService', {});
      else if (a.which === 1) await call(m, t, 'JetStopServiceInstance', { instance: instanceFor(m.world, a.s) });
      else await call(m, t, 'JetStopServiceInstance2', { instance: instanceFor(m.world, a.s), grbit: a.grbit });
    },
  }),
  spec<SesArgs & { maxSessions: number }>({
    name: 'Restart',
    weight: 3,
    arb: fc.record({ t: nat, s: choiceArb, maxSessions: fc.integer({ min: 1, max: 4 }) }),
    // Only once every instance is gone or down: a new instance with a session, so that the run goes on.
    ready: (w) => anyFree(w) && !w.instances.some((i) => !i.freed && i.initialized) && w.instances.filter((i) => !i.freed).length < 2,
    run: async (m, a) => {
      const w = m.world;
      const t = threadOf(w, a.t);
      const name = w.instances.some((i) => !i.freed && i.role) ? 'fz2' : 'fz1';
      if ((await call(m, t, 'JetCreateInstance', { name })) !== 0 || m.pair.lastIssued === undefined) return;
      const instance = { role: m.pair.lastIssued };
      await call(m, t, 'JetSetSystemParameter', { instance, sesid: null, paramid: P.JET_paramMaxSessions, lParam: a.maxSessions });
      if ((await call(m, t, 'JetInit', { instance })) !== 0) return;
      await call(m, t, 'JetBeginSession', { instance, username: '', password: '' });
    },
  }),
  spec<SesArgs>({
    name: 'BeginSession',
    weight: 9,
    arb: sesArb,
    ready: (w, a) => anyFree(w) && roomFor(w, w.beginTarget(instanceFor(w, a.s))),
    run: (m, a) => call(m, threadOf(m.world, a.t), 'JetBeginSession', { instance: instanceFor(m.world, a.s), username: '', password: '' }).then(() => undefined),
  }),
  spec<SesArgs>({
    name: 'DupSession',
    weight: 2,
    arb: sesArb,
    ready: (w, a) => {
      if (!anyFree(w)) return false;
      const ref = handleFor(w, 'session', a.s);
      const s = ref !== null && 'role' in ref ? w.sessionOf(ref.role) : undefined;
      return s === undefined || s.role.status !== 'live' || roomFor(w, s.instance);
    },
    run: async (m, a) => {
      const sesid = await sessionFor(m, a);
      const s = sesid !== null && 'role' in sesid ? m.world.sessionOf(sesid.role) : undefined;
      if (s !== undefined && s.role.status === 'live' && !roomFor(m.world, s.instance)) return;
      await call(m, threadOn(m.world, a.t, sesid), 'JetDupSession', { sesid });
    },
  }),
  spec<SesArgs & { grbit: number }>({
    name: 'EndSession',
    weight: 7,
    arb: fc.record({ t: nat, s: choiceArb, grbit: grbit32 }),
    ready: anyFree,
    // Three ends in four pick a session inside a transaction: the clean-up has the most to do there.
    run: (m, a) => onSession(m, a, 'JetEndSession', { grbit: a.grbit }, (r) => (m.world.sessionOf(r.name)?.level ?? 0) > 0),
  }),
  spec<SesArgs & { context: number }>({
    name: 'SetSessionContext',
    weight: 3,
    arb: fc.record({ t: nat, s: choiceArb, context: fc.constantFrom(0x1234, 0x1234, 0x5678, 0, -1) }),
    ready: anyFree,
    run: (m, a) => onSession(m, a, 'JetSetSessionContext', { context: a.context }),
  }),
  spec<SesArgs>({
    name: 'ResetSessionContext',
    weight: 3,
    arb: sesArb,
    ready: anyFree,
    run: (m, a) => onSession(m, a, 'JetResetSessionContext'),
  }),
  spec<SesArgs & { v2: boolean; grbit: number }>({
    name: 'BeginTransaction',
    weight: 7,
    arb: fc.record({ t: nat, s: choiceArb, v2: fc.boolean(), grbit: fc.constantFrom(0, 0, B.JET_bitTransactionReadOnly, 0x40) }),
    ready: anyFree,
    run: async (m, a) => {
      const sesid = await sessionFor(m, a);
      const t = threadOn(m.world, a.t, sesid);
      if (a.v2) await call(m, t, 'JetBeginTransaction2', { sesid, grbit: a.grbit });
      else await call(m, t, 'JetBeginTransaction', { sesid });
    },
  }),
  spec<SesArgs & { grbit: number }>({
    name: 'CommitTransaction',
    weight: 5,
    arb: fc.record({ t: nat, s: choiceArb, grbit: fc.constantFrom(0, 0, 0, B.JET_bitCommitLazyFlush, B.JET_bitWaitLastLevel0Commit, 0x40000) }),
    ready: anyFree,
    run: (m, a) => onSession(m, a, 'JetCommitTransaction', { grbit: a.grbit }),
  }),
  spec<SesArgs & { grbit: number }>({
    name: 'Rollback',
    weight: 5,
    arb: fc.record({ t: nat, s: choiceArb, grbit: fc.constantFrom(0, 0, B.JET_bitRollbackAll, 0x40000) }),
    ready: anyFree,
    run: (m, a) => onSession(m, a, 'JetRollback', { grbit: a.grbit }),
  }),
];

const dataOps = [
  spec<SesArgs & { f: number; op: number; grbit: number }>({
    name: 'Database',
    weight: 4,
    arb: fc.record({ t: nat, s: choiceArb, f: fc.nat({ max: 3 }), op: fc.nat({ max: 5 }), grbit: fc.constantFrom(0, 0, B.JET_bitDbExclusive) }),
    ready: anyFree,
    run: async (m, a) => {
      const sesid = await sessionFor(m, a);
      const filename = a.f < files.length ? files[a.f] : a.f === 2 ? files[0] : '';
      const t = threadOn(m.world, a.t, sesid);
      if (a.op === 0) await call(m, t, 'JetCreateDatabase', { sesid, filename, grbit: 0 });
      else if (a.op === 1) await call(m, t, 'JetAttachDatabase', { sesid, filename, grbit: 0 });
      else if (a.op === 5) await call(m, t, 'JetCloseDatabase', { sesid, dbid: dbidFor(m.world, a.f), grbit: 0 });
      else await call(m, t, 'JetOpenDatabase', { sesid, filename, grbit: a.grbit });
    },
  }),
  spec<SesArgs & { db: number; table: number; grbit: number; create: boolean; openDb: boolean }>({
    name: 'Table',
    weight: 7,
    arb: fc.record({
      t: nat,
      s: choiceArb,
      db: nat,
      openDb: fc.constantFrom(true, true, true, false),
      table: fc.nat({ max: 3 }),
      create: fc.oneof({ arbitrary: fc.constant(false), weight: 3 }, { arbitrary: fc.constant(true), weight: 1 }),
      grbit: fc.constantFrom(0, 0, B.JET_bitTableDenyRead, B.JET_bitTableDenyRead, B.JET_bitTableDenyWrite, B.JET_bitTableReadOnly, B.JET_bitTableUpdatable, B.JET_bitTableDenyRead | B.JET_bitTableReadOnly),
    }),
    ready: anyFree,
    run: async (m, a) => {
      const w = m.world;
      const sesid = await sessionFor(m, a);
      const t = threadOn(w, a.t, sesid);
      // Mostly a table the run created (in its file); else a name that may not exist, or none.
      const known = pick([...w.tables.values()], a.table);
      const tablename = a.table < 2 && known ? known.name : a.table === 3 ? '' : tableNames[a.table % tableNames.length];
      const filename = a.table < 2 && known ? known.file : (pick([...new Set(w.dbids.values())], a.db) ?? files[0]);
      // Three times in four the session opens the database first (and keeps it open), so that the
      // table call gets past the dbid check; else a dbid it may never have opened.
      let dbid = dbidFor(w, a.db);
      if (a.openDb) {
        const opened = await call(m, t, 'JetOpenDatabase', { sesid, filename, grbit: 0 });
        const out = m.pair.lastOut.dbid;
        if (opened !== undefined && opened >= 0 && typeof out === 'number') dbid = out;
      }
      if (a.create) await call(m, t, 'JetCreateTable', { sesid, dbid, tablename });
      else await call(m, t, 'JetOpenTable', { sesid, dbid, tablename, grbit: a.grbit });
    },
  }),
  spec<CurArgs & { column: number; coltyp: number }>({
    name: 'AddColumn',
    weight: 2,
    arb: fc.record({ t: nat, c: choiceArb, owner: fc.constant(true), other: choiceArb, column: fc.nat({ max: 2 }), coltyp: fc.nat({ max: 3 }) }),
    ready: anyFree,
    run: async (m, a) => {
      const { sesid, tableid } = cursorFor(m.world, a.c, a.owner, a.other);
      await call(m, threadOn(m.world, a.t, sesid), 'JetAddColumn', { sesid, tableid, column: columnNames[a.column], coltyp: coltyps[a.coltyp] ?? 99 });
    },
  }),
  spec<CurArgs & { close: boolean }>({
    name: 'DupOrCloseCursor',
    weight: 3,
    arb: fc.record({ t: nat, c: choiceArb, owner: fc.constant(true), other: choiceArb, close: fc.boolean() }),
    ready: anyFree,
    run: async (m, a) => {
      const { sesid, tableid } = cursorFor(m.world, a.c, a.owner, a.other);
      const t = threadOn(m.world, a.t, sesid);
      if (a.close) await call(m, t, 'JetCloseTable', { sesid, tableid });
      else await call(m, t, 'JetDupCursor', { sesid, tableid, grbit: 0 });
    },
  }),
  spec<SesArgs & { columns: number; key: boolean }>({
    name: 'OpenTempTable',
    weight: 3,
    // With a key column a sort (it holds a JET_paramMaxTemporaryTables slot and its close can fail);
    // without one a materialized temp table (neither).
    arb: fc.record({ t: nat, s: choiceArb, columns: fc.nat({ max: 2 }), key: fc.nat({ max: 3 }).map((n) => n === 0) }),
    ready: anyFree,
    run: async (m, a) => {
      const first = { coltyp: K.JET_coltypLong, grbit: a.key ? B.JET_bitColumnTTKey : 0 };
      const columns = [first, { coltyp: K.JET_coltypText, grbit: 0 }, { coltyp: 99, grbit: 0 }].slice(0, a.columns + 1);
      const sesid = await sessionFor(m, a);
      const s = sesid !== null && 'role' in sesid ? m.world.sessionOf(sesid.role) : undefined;
      // The first temp table of an instance with every session slot taken is not comparable (World).
      if (s !== undefined && s.role.status === 'live' && !m.world.roomForTempDatabase(s.instance)) return;
      await call(m, threadOn(m.world, a.t, sesid), 'JetOpenTempTable', { sesid, columns, grbit: 0 });
    },
  }),
  spec<CurArgs & { replace: boolean; values: ValueChoice[]; nest: number }>({
    name: 'WriteRecord',
    weight: 8,
    arb: fc.record({
      t: nat,
      c: choiceArb,
      owner: fc.constant(true),
      other: choiceArb,
      replace: fc.boolean(),
      values: fc.array(valueArb, { minLength: 1, maxLength: 3 }),
      // nest > 0: that many rounds of (JetBeginTransaction, write): work at every level it opens.
      nest: fc.nat({ max: 2 }),
    }),
    ready: anyFree,
    run: async (m, a) => {
      const { sesid, tableid, cursor } = cursorFor(m.world, a.c, a.owner, a.other);
      await writeRounds(m, threadOn(m.world, a.t, sesid), sesid, tableid, cursor, a);
    },
  }),
  spec<CurArgs & { replace: boolean; values: ValueChoice[]; nest: number; grbit: number }>({
    name: 'NestedWorkThenEnd',
    weight: 2,
    arb: fc.record({
      t: nat,
      c: choiceArb,
      owner: fc.constant(true),
      other: choiceArb,
      replace: fc.boolean(),
      values: fc.array(valueArb, { minLength: 1, maxLength: 3 }),
      nest: fc.integer({ min: 1, max: 3 }),
      grbit: grbit32,
    }),
    // ES-ROLLBACK-LEVEL1/NESTED's setting: work at every level of a transaction, then the end.
    ready: anyFree,
    run: async (m, a) => {
      const { sesid, tableid, cursor } = cursorFor(m.world, a.c, a.owner, a.other);
      const t = threadOn(m.world, a.t, sesid);
      await writeRounds(m, t, sesid, tableid, cursor, a);
      await call(m, t, 'JetEndSession', { sesid, grbit: a.grbit });
    },
  }),
  spec<CurArgs & { op: number; k: number; v: ValueChoice }>({
    name: 'CursorCall',
    weight: 8,
    arb: fc.record({ t: nat, c: choiceArb, owner: fc.constant(true), other: choiceArb, op: fc.nat({ max: 9 }), k: nat, v: valueArb }),
    ready: anyFree,
    run: async (m, a) => {
      // One call in ten passes another session than the cursor's owner (JET_errSesidTableIdMismatch).
      const { sesid, tableid, cursor } = cursorFor(m.world, a.c, a.k % 10 !== 0, a.other);
      const t = threadOn(m.world, a.t, sesid);
      const columnid = pick(columnsOf(cursor), a.k) as number;
      const moves = [K.JET_MoveFirst, K.JET_MoveNext, K.JET_MoveNext, K.JET_MovePrevious, K.JET_MoveLast, 0, 2];
      switch (a.op) {
        case 0:
        case 1:
        case 2:
          return void (await call(m, t, 'JetMove', { sesid, tableid, cRow: moves[a.k % moves.length], grbit: 0 }));
        case 3:
        case 4:
          return void (await call(m, t, 'JetRetrieveColumn', { sesid, tableid, columnid }));
        case 5:
          return void (await call(m, t, 'JetDelete', { sesid, tableid }));
        case 6:
          return void (await call(m, t, 'JetPrepareUpdate', { sesid, tableid, prep: [K.JET_prepInsert, K.JET_prepReplace, K.JET_prepCancel, K.JET_prepInsertCopy, invalidPrep][a.k % 5] }));
        case 7:
          return void (await call(m, t, 'JetSetColumn', { sesid, tableid, columnid, value: valueFor(columnid, a.v) }));
        default:
          return void (await call(m, t, 'JetUpdate', { sesid, tableid }));
      }
    },
  }),
  spec<SesArgs & { f: number; table: number }>({
    name: 'Scan',
    weight: 5,
    arb: fc.record({ t: nat, s: choiceArb, f: fc.nat({ max: 1 }), table: fc.nat({ max: 1 }) }),
    ready: anyFree,
    run: async (m, a) => {
      const sesid = await sessionFor(m, a);
      await scanTable(m, threadOn(m.world, a.t, sesid), sesid, files[a.f], tableNames[a.table]);
    },
  }),
];

/** Calls that may be held in flight: none returns a handle (a released call cannot save one). */
const holdable = ['JetBeginTransaction', 'JetCommitTransaction', 'JetRollback', 'JetEndSession', 'JetSetSessionContext', 'JetMove', 'JetCloseTable'] as const;

const capabilityOps = [
  spec<CurArgs & { op: number; grbit: number }>({
    name: 'Hold',
    weight: 3,
    needs: ['in-flight'],
    arb: fc.record({ t: nat, c: choiceArb, owner: fc.constant(true), other: choiceArb, op: fc.nat({ max: holdable.length - 1 }), grbit: grbit32 }),
    // One thread stays free, so that the run can always go on.
    ready: (w) => w.freeThreads().length >= 2 && w.holds.size < 2,
    run: async (m, a) => {
      const w = m.world;
      const op = holdable[a.op];
      let args: Record<string, unknown>;
      if (op === 'JetMove' || op === 'JetCloseTable') {
        const { sesid, tableid } = cursorFor(w, a.c, true, a.other);
        args = op === 'JetMove' ? { sesid, tableid, cRow: K.JET_MoveNext, grbit: 0 } : { sesid, tableid };
      } else {
        const sesid = handleFor(w, 'session', a.other);
        args = op === 'JetBeginTransaction' ? { sesid } : op === 'JetSetSessionContext' ? { sesid, context: 0x4242 } : { sesid, grbit: op === 'JetEndSession' ? a.grbit : 0 };
      }
      await m.pair.hold(threadOn(w, a.t, args.sesid as HandleRef), { op, args });
    },
  }),
  spec<CurArgs & { del: boolean; replace: boolean; values: ValueChoice[] }>({
    name: 'HoldWrite',
    weight: 3,
    needs: ['in-flight'],
    arb: fc.record({ t: nat, c: choiceArb, owner: fc.constant(true), other: choiceArb, del: fc.boolean(), replace: fc.boolean(), values: fc.array(valueArb, { minLength: 1, maxLength: 2 }) }),
    ready: (w) => w.freeThreads().length >= 2 && w.holds.size < 2,
    // A write held inside the engine: the only calls a real engine can hold (the bridge blocks in a
    // JET callback that JetUpdate and JetDelete make, recupd.cxx 1663, 3024, 2387). A JetUpdate is
    // prepared and given values first on the same thread; a prepare that fails still lets the hold
    // come (JetUpdate then answers -1609 at once), as any hold's entry checks may refuse it.
    run: async (m, a) => {
      const w = m.world;
      const { sesid, tableid, cursor } = cursorFor(w, a.c, a.owner, a.other);
      const t = threadOn(w, a.t, sesid);
      if (!a.del) {
        const prep = await call(m, t, 'JetPrepareUpdate', { sesid, tableid, prep: a.replace ? K.JET_prepReplace : K.JET_prepInsert });
        if (prep === undefined) return;
        const cols = prep < 0 ? [] : columnsOf(cursor).slice(0, -1);
        for (let i = 0; i < cols.length && i < a.values.length; i++) {
          await call(m, t, 'JetSetColumn', { sesid, tableid, columnid: cols[i], value: valueFor(cols[i], a.values[i]) });
        }
      }
      await m.pair.hold(t, { op: a.del ? 'JetDelete' : 'JetUpdate', args: { sesid, tableid } });
    },
  }),
  spec<SesArgs & { grbit: number }>({
    name: 'HoldThenTerm',
    weight: 2,
    needs: ['in-flight'],
    arb: fc.record({ t: nat, s: choiceArb, grbit: fc.constantFrom(B.JET_bitTermComplete, B.JET_bitTermAbrupt, 0, -1) }),
    // ES-TERM-IN-PROGRESS's setting: a call in flight on a session, then a term of its instance,
    // which waits; a third thread stays free for whatever comes next.
    ready: (w) => w.freeThreads().length >= 3 && w.holds.size === 0,
    run: async (m, a) => {
      const w = m.world;
      const sesid = await sessionFor(m, a);
      const s = sesid !== null && 'role' in sesid ? w.sessionOf(sesid.role) : undefined;
      if (s === undefined || s.role.status !== 'live') return;
      const holder = threadOn(w, a.t, sesid);
      await m.pair.hold(holder, { op: 'JetBeginTransaction', args: { sesid } });
      const instance: HandleRef = s.instance.role ? { role: s.instance.role.name } : { forged: 'nil' };
      const t = pick(w.freeThreads().filter((x) => x !== holder), a.t) as string;
      if (a.grbit < 0) await call(m, t, 'JetTerm', { instance });
      else await call(m, t, 'JetTerm2', { instance, grbit: a.grbit });
    },
  }),
  spec<{ k: number }>({
    name: 'Release',
    weight: 4,
    needs: ['in-flight'],
    arb: fc.record({ k: nat }),
    ready: (w) => w.holds.size > 0,
    run: (m, a) => m.pair.release(pick([...m.world.holds.keys()], a.k) as string),
  }),
  spec<{ step: number; err: number; times: number }>({
    name: 'InjectFault',
    weight: 2,
    needs: ['fault-injection'],
    arb: fc.record({ step: fc.nat({ max: 2 }), err: fc.constantFrom(E.JET_errOutOfMemory, E.JET_errOutOfBuffers, E.JET_errDiskIO, E.JET_errLogDiskFull), times: fc.integer({ min: 1, max: 2 }) }),
    ready: () => true,
    run: (m, a) => m.pair.inject({ step: (['undo', 'close-database', 'close-sort'] as CleanupStep[])[a.step], err: a.err, times: a.times }),
  }),
  spec<{ cause: number }>({
    name: 'ForceFatalError',
    weight: 1,
    needs: ['instance-state'],
    arb: fc.record({ cause: fc.constantFrom(E.JET_errDiskIO, E.JET_errLogDiskFull, E.JET_errOutOfMemory) }),
    // The feature step forces "the instance", i1: only while i1 is alive.
    ready: (w) => w.instanceOf('i1')?.freed === false,
    run: (m, a) => m.pair.forceFatal(a.cause),
  }),
];

const allSpecs: readonly Spec<never>[] = [...sessionOps, ...dataOps, ...capabilityOps] as unknown as Spec<never>[];

/**
 * A prep code ESE does not have: 1 (jethdr.w 4934-4953 define 0, 2-5 and 7-10; ErrIsamPrepareUpdate's
 * default is -1003, fldmod.cxx ~886). 9 was used once, but it is JET_prepInsertCopyReplaceOriginal, which
 * the reference does not model (engine: -1603 on a cursor with no current record, seeds 311-312).
 */
const invalidPrep = 1;

/** The command arbitrary for an implementation that declares `caps`. */
export function commandArbitrary(caps: ReadonlySet<Capability>): fc.Arbitrary<fc.AsyncCommand<FuzzModel, Implementation>> {
  const usable = allSpecs.filter((s) => (s.needs ?? []).every((c) => caps.has(c)));
  return fc.oneof(
    ...usable.map((s) => ({
      arbitrary: (s.arb as fc.Arbitrary<unknown>).map((a) => new SpecCommand(s as Spec<unknown>, a) as fc.AsyncCommand<FuzzModel, Implementation>),
      weight: s.weight,
    })),
  );
}
