/**
 * A written finding names dbids as it names handles: the dbid a call returns is saved (`saving dbid
 * as db1`) and later calls pass the name. Against an implementation that numbers its databases
 * otherwise than the reference (ESE gives 2, 6, 7 where the reference gives 1, 2, 3), the feature
 * then fails at the divergence it was written for, not at the first call naming a dbid.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createReferenceImplementation } from '../../adapters/reference';
import type { CallResult, Implementation } from '../../adapters/types';
import type { ArgsOf, OperationName } from '../../api';
import { fuzz } from '../../fuzz/campaign';
import { renderFeature } from '../../fuzz/gherkin';
import { verifyFeature } from '../../fuzz/verify';
import { findMutant } from '../../mutants';

/**
 * `inner` with its dbids shown as 4d+2; a dbid passed back reaches `inner` as its own, and one it
 * never showed reaches it as a dbid no database has (as the reference's number would on ESE).
 */
function renumbered(inner: Implementation): Implementation {
  const back = new Map<number, number>();
  return {
    info: inner.info,
    reset: () => {
      back.clear();
      return inner.reset();
    },
    call: async <O extends OperationName>(thread: string, op: O, args: ArgsOf<O>): Promise<CallResult<O>> => {
      const a = args as Record<string, unknown>;
      const given = typeof a.dbid === 'number' ? (back.get(a.dbid) ?? 1000 + a.dbid) : undefined;
      const r = await inner.call(thread, op, (given === undefined ? args : { ...a, dbid: given }) as ArgsOf<O>);
      const o = r.kind === 'returned' ? (r.out as Record<string, unknown> | undefined) : undefined;
      if (r.kind !== 'returned' || typeof o?.dbid !== 'number') return r;
      const shown = 4 * o.dbid + 2;
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

test('a finding against an implementation numbering dbids otherwise is written with saved dbid names and reproduces there', { timeout: 120_000 }, async () => {
  const spec = findMutant('always-success');
  assert.ok(spec);
  const buggy = () => renumbered(spec.create({}));
  const report = await fuzz({ sut: buggy(), seed: 1, runs: 200, maxSteps: 40 });
  const finding = report.finding;
  assert.ok(finding, 'the fuzzer finds always-success behind renumbered dbids');
  const rendered = renderFeature({ finding, seed: 1, maxSteps: 40, adapter: 'mutant:always-success' });
  assert.match(rendered.text, /saving dbid as db1\n/);
  assert.match(rendered.text, /dbid=db1[,)]/);
  assert.doesNotMatch(rendered.text, /dbid=\d/, 'a dbid written as the reference\'s number');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ese-fuzz-dbids-'));
  try {
    const file = path.join(dir, rendered.fileName);
    fs.writeFileSync(file, rendered.text);
    // Fails against the buggy implementation, passes the reference...
    const v = await verifyFeature(file, buggy(), 'mutant:always-success');
    assert.ok(v.ok, `${v.reference} / ${v.implementation}: ${v.detail}`);
    // ...and passes the same numbering without the bug: what fails is the divergence, not a dbid.
    const fixed = await verifyFeature(file, renumbered(createReferenceImplementation()), 'renumbered reference');
    assert.equal(fixed.implementation, 'PASS', fixed.detail);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
