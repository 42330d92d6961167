/**
 * How findings are written: the call syntax round-trips through harness/call-syntax.ts, the
 * catalogue ID follows the diverging operation, the feature obeys the suite's tag rules; and the
 * `fuzz` command: its usage errors, a clean run, and a divergence through the process adapter
 * (a mutant served over the protocol) written as a verified feature.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createReferenceImplementation } from '../../adapters/reference';
import type { Implementation } from '../../adapters/types';
import { main } from '../../cli/main';
import { parseCall, type NamedValue } from '../../harness/call-syntax';
import { loadCatalogue } from '../../harness/catalogue';
import { indexFeatures } from '../../harness/feature-index';
import { fuzz, type Finding } from '../../fuzz/campaign';
import { chooseCatalogueId } from '../../fuzz/catalogue-id';
import { callText, renderFeature } from '../../fuzz/gherkin';
import type { SymCall } from '../../fuzz/roles';
import type { TraceStep } from '../../fuzz/trace';
import { verifyFeature } from '../../fuzz/verify';
import { JET_bits as B, JET_constants as K, JET_errors as E, JET_params as P } from '../../oracle/codes';

const root = path.join(__dirname, '..', '..');

function sym(op: SymCall['op'], args: Record<string, unknown>): SymCall {
  return { op, args };
}

const s1 = { role: 's1' };
const c1 = { role: 'c1' };

test('symbolic calls written in the call syntax parse back to the same arguments', () => {
  const calls = [
    sym('JetEndSession', { sesid: s1, grbit: B.JET_bitForceSessionClosed }),
    sym('JetEndSession', { sesid: { forged: 'nil' }, grbit: 0xffffffff }),
    sym('JetEndSession', { sesid: { forged: 'never-issued' }, grbit: 0x12345 }),
    sym('JetSetSystemParameter', { instance: null, sesid: null, paramid: P.JET_paramMaxSessions, lParam: -1 }),
    sym('JetOpenTable', { sesid: s1, dbid: 1, tablename: 't1', grbit: B.JET_bitTableDenyRead | B.JET_bitTableReadOnly }),
    sym('JetMove', { sesid: s1, tableid: c1, cRow: K.JET_MoveFirst, grbit: 0 }),
    sym('JetMove', { sesid: s1, tableid: c1, cRow: K.JET_MovePrevious, grbit: 0 }),
    sym('JetSetColumn', { sesid: s1, tableid: c1, columnid: 128, value: 'x "y", z' }),
    sym('JetSetColumn', { sesid: s1, tableid: c1, columnid: 1, value: null }),
    sym('JetSetColumn', { sesid: s1, tableid: c1, columnid: 1, value: -2147483649 }),
    sym('JetOpenTempTable', { sesid: s1, columns: [{ coltyp: K.JET_coltypLong, grbit: 0 }, { coltyp: 99, grbit: 0 }], grbit: 0 }),
    sym('JetSetSessionContext', { sesid: s1, context: -1 }),
    sym('JetStopServiceInstance2', { instance: { role: 'i1' }, grbit: B.JET_bitStopServiceResume }),
    sym('JetTerm2', { instance: { forged: 'zero' }, grbit: B.JET_bitTermDirty }),
  ];
  const lookup = (name: string): NamedValue | undefined => (/^[isc]\d+$/.test(name) ? { handle: name } : undefined);
  for (const call of calls) {
    const text = callText(call);
    const parsed = parseCall(text, lookup);
    const expectedArgs = Object.fromEntries(Object.entries(call.args).map(([k, v]) => [k, v !== null && typeof v === 'object' && 'role' in v ? (v as { role: string }).role : v]));
    assert.deepEqual(parsed, { op: call.op, args: expectedArgs }, text);
  }
  assert.equal(callText(calls[4]), 'JetOpenTable(sesid=s1, dbid=1, tablename="t1", grbit=JET_bitTableDenyRead|JET_bitTableReadOnly)');
  assert.equal(callText(calls[1]), 'JetEndSession(sesid=<nil>, grbit=0xFFFFFFFF)');
});

function call(thread: string, c: SymCall, err: number, save?: { out: string; as: string }): TraceStep {
  return { kind: 'call', thread, call: c, err, ...(save ? { save } : {}) };
}

const prologue: TraceStep[] = [
  call('t1', sym('JetCreateInstance', { name: 'fz1' }), 0, { out: 'instance', as: 'i1' }),
  call('t1', sym('JetInit', { instance: { role: 'i1' } }), 0),
  call('t1', sym('JetBeginSession', { instance: { role: 'i1' }, username: '', password: '' }), 0, { out: 'sesid', as: 's1' }),
];

function diverged(step: TraceStep, actual: string): TraceStep {
  return { ...step, divergence: { kind: 'code', message: `diverged: got ${actual}`, expected: 'x', actual } };
}

test('the catalogue ID follows the diverging operation and what came before it', () => {
  const cases: [TraceStep[], string][] = [
    [[...prologue, diverged(call('t1', sym('JetEndSession', { sesid: { forged: 'zero' }, grbit: 0 }), E.JET_errInvalidSesid), 'JET_errSuccess (0)')], 'ES-INVALID-SESID'],
    [[...prologue, call('t1', sym('JetEndSession', { sesid: s1, grbit: 0 }), 0), diverged(call('t1', sym('JetEndSession', { sesid: s1, grbit: 0 }), E.JET_errInvalidSesid), 'JET_errSuccess (0)')], 'ES-HANDLE-CLOSED'],
    [[...prologue, call('t2', sym('JetSetSessionContext', { sesid: s1, context: 7 }), 0), diverged(call('t1', sym('JetEndSession', { sesid: s1, grbit: 1 }), E.JET_errSessionInUse), 'JET_errSuccess (0)')], 'ES-SESSION-IN-USE'],
    [[...prologue, diverged(call('t1', sym('JetEndSession', { sesid: s1, grbit: 0xffffffff }), 0), 'JET_errInvalidParameter (-1003)')], 'ES-GRBIT-UNKNOWN'],
    [[...prologue, call('t1', sym('JetBeginTransaction', { sesid: s1 }), 0), call('t1', sym('JetBeginTransaction', { sesid: s1 }), 0), diverged(call('t1', sym('JetEndSession', { sesid: s1, grbit: 0 }), 0), 'JET_errInvalidParameter (-1003)')], 'ES-ROLLBACK-NESTED'],
    [[...prologue, call('t1', sym('JetEndSession', { sesid: s1, grbit: 0 }), 0), diverged(call('t1', sym('JetBeginSession', { instance: { role: 'i1' }, username: '', password: '' }), 0), 'JET_errOutOfSessions (-1101)')], 'ES-SESSION-SLOT-FREED'],
    [[...prologue, call('t1', sym('JetStopServiceInstance2', { instance: { role: 'i1' }, grbit: 0 }), 0), diverged(call('t1', sym('JetEndSession', { sesid: s1, grbit: 0 }), 0), 'JET_errClientRequestToStopJetService (-1329)')], 'ES-STOP-SERVICE'],
    [[...prologue, diverged(call('t1', sym('JetBeginTransaction', { sesid: s1 }), 0), 'JET_errTransTooDeep (-1103)')], 'ES-SUCCESS-IDLE'],
  ];
  for (const [trace, id] of cases) assert.equal(chooseCatalogueId(trace).id, id, JSON.stringify(trace[trace.length - 1]));
});

test('a rendered feature parses and keeps the suite\'s tag rules', () => {
  const trace = [...prologue, call('t2', sym('JetSetSessionContext', { sesid: s1, context: 7 }), 0), diverged(call('t1', sym('JetEndSession', { sesid: s1, grbit: 0 }), E.JET_errSessionInUse), 'JET_errSuccess (0)')];
  const finding: Finding = {
    divergence: trace[trace.length - 1].divergence!,
    foundInRun: 1,
    trace,
    prologue: { single: false, maxSessions: 1, maxTemporaryTables: null, sessions: 1, table: false, records: 0, closeCursor: false, shareDatabase: false },
    sequence: '',
    replay: '1:0@A:A',
    shrinks: 0,
    reproduced: true,
  };
  const rendered = renderFeature({ finding, seed: 3, maxSteps: 20, adapter: 'process', command: ['my engine', '--stdio'] });
  assert.match(rendered.text, /ese-conformance fuzz --adapter process --seed 3 --max-steps 20 --replay 1:0@A:A -- 'my engine' --stdio/);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ese-fuzz-feature-'));
  try {
    fs.mkdirSync(path.join(dir, 'features', 'regressions'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'features', 'regressions', rendered.fileName), rendered.text);
    const { scenarios, errors } = indexFeatures(dir);
    assert.deepEqual(errors, []);
    assert.equal(scenarios.length, 1);
    const s = scenarios[0];
    const ids = s.tags.filter((t) => t.startsWith('@ES-'));
    assert.deepEqual(ids, ['@ES-SESSION-IN-USE']);
    const entry = loadCatalogue().entries.find((e) => `@${e.id}` === ids[0])!;
    assert.ok(entry.tiers.includes('esent'));
    for (const tag of ['@esent', '@regression', '@needs:threads']) assert.ok(s.tags.includes(tag), `${tag} in ${s.tags.join(' ')}`);
    assert.ok(!s.tags.includes('@documented'), 'findings are esent-tier expectations only');
    assert.equal(s.steps.length, 2 * trace.length);
    assert.equal(s.steps[s.steps.length - 1], 'the call returns JET_errSessionInUse');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** The reference, answering JET_wrnTableInUseBySystem where it gives 0 to a DenyRead JetOpenTable, as ESENT may. */
function withBackgroundCursors(): Implementation {
  const inner = createReferenceImplementation();
  return {
    info: { ...inner.info, name: 'reference with background cursors' },
    reset: () => inner.reset(),
    call: async (thread, op, args) => {
      const r = await inner.call(thread, op, args);
      const denyRead = op === 'JetOpenTable' && ((args as { grbit: number }).grbit & B.JET_bitTableDenyRead) !== 0;
      return denyRead && r.kind === 'returned' && r.err === 0 ? { ...r, err: E.JET_wrnTableInUseBySystem } : r;
    },
    hold: (thread, c) => inner.hold!(thread, c),
    release: (h) => inner.release!(h),
    forceInstanceState: (i, st) => inner.forceInstanceState!(i, st),
    injectFault: (f) => inner.injectFault!(f),
    close: () => inner.close(),
  };
}

test('the warning ESENT may add to a DenyRead JetOpenTable is no divergence, and the feature allows it', async () => {
  const r = await fuzz({ sut: withBackgroundCursors(), seed: 4, runs: 150, maxSteps: 40 });
  assert.equal(r.finding, undefined, r.finding?.divergence.message);
  assert.equal(r.error, undefined);
  const open = sym('JetOpenTable', { sesid: s1, dbid: 1, tablename: 't1', grbit: B.JET_bitTableDenyRead });
  const trace: TraceStep[] = [
    ...prologue,
    call('t1', sym('JetCreateDatabase', { sesid: s1, filename: 'fz1.edb', grbit: 0 }), 0),
    call('t1', sym('JetCreateTable', { sesid: s1, dbid: 1, tablename: 't1' }), 0, { out: 'tableid', as: 'c1' }),
    call('t1', sym('JetCloseTable', { sesid: s1, tableid: c1 }), 0),
    call('t1', open, 0, { out: 'tableid', as: 'c2' }),
    diverged(call('t1', sym('JetEndSession', { sesid: s1, grbit: 0 }), 0), 'JET_errSessionInUse (-1914)'),
  ];
  const finding = { divergence: trace[trace.length - 1].divergence!, foundInRun: 1, trace, prologue: undefined as never, sequence: '', replay: '1@', shrinks: 0, reproduced: true };
  const rendered = renderFeature({ finding, seed: 4, maxSteps: 40, adapter: 'reference' });
  assert.match(rendered.text, /Then the call returns, by tier:\n\s+\| tier  \| returns\s+\|\n\s+\| esent \| JET_errSuccess or JET_wrnTableInUseBySystem \|/);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ese-fuzz-tolerance-'));
  try {
    const file = path.join(dir, rendered.fileName);
    fs.writeFileSync(file, rendered.text);
    // Both pass: the reference answers 0, the other +1327, and neither diverges at the end.
    for (const impl of [createReferenceImplementation(), withBackgroundCursors()]) {
      const v = await verifyFeature(file, impl, impl.info.name);
      assert.equal(v.implementation, 'PASS', v.detail);
      assert.equal(v.reference, 'PASS', v.detail);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

function capture(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l), env: process.env, cwd } };
}

test('fuzz command: usage errors exit 2, a clean run exits 0', async () => {
  for (const argv of [
    ['fuzz', '--runs', '0'],
    ['fuzz', '--seed', 'x'],
    ['fuzz', '--replay', 'not a token'],
    ['fuzz', '--adapter', 'nope'],
    ['fuzz', '--adapter', 'process'],
    ['fuzz', '--bogus'],
  ]) {
    const c = capture(root);
    assert.equal(await main(argv, c.io), 2, argv.join(' '));
    assert.equal(c.err.length, 1, `${argv.join(' ')}: one line: ${c.err.join(' | ')}`);
  }
  const c = capture(root);
  assert.equal(await main(['fuzz', '--runs', '20', '--max-steps', '20', '--seed', '5'], c.io), 0, c.err.join('\n'));
  assert.match(c.out.join('\n'), /^fuzz: no divergence: seed 5, 20 runs, \d+ calls/m);
});

test('fuzz command: a mutant behind the process adapter is found, written and verified (exit 1)', { timeout: 60_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ese-fuzz-cli-'));
  try {
    const server = ['node', '--require', 'ts-node/register/transpile-only', path.join(__dirname, 'helpers', 'serve-mutant.ts'), 'session-slot-leaked'];
    const c = capture(root);
    const code = await main(['fuzz', '--adapter', 'process', '--runs', '50', '--report-dir', dir, '--', ...server], c.io);
    const text = c.out.join('\n');
    assert.equal(code, 1, `${text}\n${c.err.join('\n')}`);
    assert.match(text, /^fuzz: DIVERGENCE: JetBeginSession: expected JET_errSuccess \(0\), got JET_errOutOfSessions \(-1101\)$/m);
    assert.match(text, /^replay path: [\d:]+@\S*$/m);
    assert.match(text, /^verified: PASS against the reference, FAIL against process$/m);
    const written = fs.readdirSync(dir);
    assert.equal(written.length, 1);
    assert.match(fs.readFileSync(path.join(dir, written[0]), 'utf8'), /@ES-SESSION-SLOT-FREED @esent/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
