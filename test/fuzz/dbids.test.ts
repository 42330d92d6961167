/**
 * The fuzzer binds dbids as it binds column ids (fuzz/world.ts): a dbid is the implementation's
 * choice (ESE gives 2, 6, 7 where the reference gives 1, 2, 3: docs/implementations/ese.md), so an
 * implementation that numbers its databases otherwise does not diverge, one request per call or
 * pipelined; but the same database keeps its dbid and two databases never share one.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import { createReferenceImplementation } from '../../adapters/reference';
import type { CallResult, Implementation } from '../../adapters/types';
import type { ArgsOf, OperationName } from '../../api';
import { fuzz, type FuzzReport } from '../../fuzz/campaign';
import { traceLines } from '../../fuzz/print';
import { withChain } from './helpers/chained';

/**
 * The reference with its dbids renamed: `out` maps each dbid it answers to the one shown, which
 * the wrapper remembers so that a dbid passed back reaches the reference as its own.
 */
function renumbered(out: (dbid: number, op: OperationName) => number): Implementation {
  const inner = createReferenceImplementation();
  const back = new Map<number, number>();
  return {
    info: inner.info,
    reset: () => {
      back.clear();
      return inner.reset();
    },
    call: async <O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<CallResult<O>> => {
      const a = args as Record<string, unknown>;
      const given = typeof a.dbid === 'number' ? back.get(a.dbid) : undefined;
      const r = await inner.call(thread, op, (given === undefined ? args : { ...a, dbid: given }) as ArgsOf<O>);
      const o = r.kind === 'returned' ? (r.out as Record<string, unknown> | undefined) : undefined;
      if (r.kind !== 'returned' || typeof o?.dbid !== 'number') return r;
      const shown = out(o.dbid, op);
      back.set(shown, o.dbid);
      return { ...r, out: { ...o, dbid: shown } } as CallResult<O>;
    },
    ...(inner.hold ? { hold: inner.hold.bind(inner) } : {}),
    ...(inner.release ? { release: inner.release.bind(inner) } : {}),
    ...(inner.sync ? { sync: inner.sync.bind(inner) } : {}),
    ...(inner.injectFault ? { injectFault: inner.injectFault.bind(inner) } : {}),
    ...(inner.forceInstanceState ? { forceInstanceState: inner.forceInstanceState.bind(inner) } : {}),
    close: () => inner.close(),
  };
}

/** Everything a campaign reports but its time and its pipelining. */
function same(r: FuzzReport): unknown {
  const { durationMs: _d, pipeline: _p, ...rest } = r;
  return { ...rest, finding: r.finding && { ...r.finding, trace: traceLines(r.finding.trace) } };
}

const options = { runs: 150, maxSteps: 40 } as const;

test('dbids numbered otherwise (ESE-like 2, 6, 7 for 1, 2, 3): no divergence, the same calls as the reference itself, one request per call and pipelined', async () => {
  for (const seed of [1, 2, 3]) {
    const reference = await fuzz({ ...options, seed, sut: createReferenceImplementation() });
    assert.equal(reference.finding, undefined, reference.finding?.divergence.message);
    const one = await fuzz({ ...options, seed, sut: withChain(renumbered((d) => 4 * d + 2)), chain: false });
    assert.equal(one.error, undefined, one.error);
    assert.equal(one.finding, undefined, one.finding && `seed ${seed}:\n${traceLines(one.finding.trace).join('\n')}`);
    assert.equal(one.calls, reference.calls, `seed ${seed}: the same runs`);
    const piped = await fuzz({ ...options, seed, sut: withChain(renumbered((d) => 4 * d + 2)) });
    assert.deepEqual(same(piped), same(one), `seed ${seed}: pipelined`);
    // The plan takes a renumbered dbid as the shadow's: runs are still taken from their plan.
    const p = piped.pipeline;
    assert.ok(p !== undefined && p.speculated > p.plans / 2, JSON.stringify(p));
  }
});

test('two databases that share a dbid diverge: the new one gets the dbid of one still attached', async () => {
  // Every database the implementation answers for is dbid 7. Seed 3: two databases attached at once
  // by run 29 (seed 1 makes none within the runs since the HoldWrite command joined the catalogue).
  const r = await fuzz({ ...options, seed: 3, sut: renumbered(() => 7) });
  assert.ok(r.finding, 'found');
  assert.match(r.finding.divergence.message, /^Jet(Create|Open)Database: dbid 7 is the dbid of another database \(fz\d\.edb\), still attached$/);
  assert.equal(r.finding.divergence.kind, 'out');
  const chained = await fuzz({ ...options, seed: 3, sut: withChain(renumbered(() => 7)) });
  assert.deepEqual(same(chained), same(r), 'pipelined: the same finding');
});

test('a database that changes its dbid diverges: opened again while attached, it must keep it', async () => {
  // Each JetOpenDatabase answers a dbid of its own (a new number every time).
  let next = 100;
  const r = await fuzz({ ...options, seed: 1, sut: renumbered((d, op) => (op === 'JetOpenDatabase' ? next++ : d)) });
  assert.ok(r.finding, 'found');
  assert.match(r.finding.divergence.message, /^JetOpenDatabase: dbid \d+ is not this database's dbid \d+ \(the reference answers its dbid \d+ again\)$/);
  next = 100;
  const chained = await fuzz({ ...options, seed: 1, sut: withChain(renumbered((d, op) => (op === 'JetOpenDatabase' ? next++ : d))) });
  assert.deepEqual(same(chained), same(r), 'pipelined: the same finding');
});
