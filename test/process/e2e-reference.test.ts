/**
 * The suite through the process adapter gives exactly the in-process verdicts: against
 * serve-reference (every capability), and against the reference engine declaring no capability
 * (the scenarios that need one are NOT_APPLICABLE, the others unchanged).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Matrix, ScenarioResult, TraceEntry } from '../../harness/results';
import { root, runCli } from './helpers/run-cli';

const viaTsNode = ['node', '--require', 'ts-node/register/transpile-only'];
const key = (s: ScenarioResult) => `${s.tier} ${s.id}`;
const verdict = (s: ScenarioResult) => ({ status: s.status, reason: s.reason, expected: s.expected, actual: s.actual });
/**
 * Calls on different threads may complete in either order (a release and the JetTerm2 it unblocks).
 * A JetTerm still waiting when the scenario ends is pending in both traces (harness/traced.ts); how
 * the next reset ends it is not part of the scenario, so traces compare exactly.
 */
const traceSet = (t: readonly TraceEntry[]) => t.map(({ seq: _seq, ...e }) => JSON.stringify(e)).sort();

let inProcess: Matrix | undefined;
async function reference(): Promise<Matrix> {
  if (!inProcess) {
    const r = await runCli(['--tier', 'all', '--adapter', 'reference']);
    assert.equal(r.code, 0, r.err.join('\n'));
    inProcess = r.matrix!;
  }
  return inProcess;
}

test('the whole suite through serve-reference: the in-process verdicts, scenario by scenario', async () => {
  const a = await reference();
  const r = await runCli(['--tier', 'all', '--adapter', 'process', '--', ...viaTsNode, path.join(root, 'cli', 'main.ts'), 'serve-reference']);
  assert.equal(r.code, 0, [...r.out, ...r.err].join('\n'));
  const b = r.matrix!;
  assert.deepEqual(b.implementation, a.implementation);
  assert.equal(b.adapter, 'process');
  assert.equal(b.scenarios.length, a.scenarios.length);
  assert.ok(a.scenarios.length >= 100);
  const byKey = new Map(b.scenarios.map((s) => [key(s), s]));
  for (const s of a.scenarios) {
    const t = byKey.get(key(s));
    assert.ok(t, `${key(s)} missing through the process`);
    assert.deepEqual(verdict(t), verdict(s), key(s));
    assert.deepEqual(traceSet(t.trace), traceSet(s.trace), `trace of ${key(s)}`);
  }
  assert.deepEqual(b.ids, a.ids);
  assert.deepEqual(b.scores, a.scores);
});

test('the reference engine declaring no capability: NOT_APPLICABLE where a capability is needed, the rest unchanged', async () => {
  const a = await reference();
  const r = await runCli(['--tier', 'all', '--adapter', 'process', '--', 'node', path.join(root, 'test', 'fixtures', 'hostile', 'no-capabilities.js')]);
  assert.equal(r.code, 0, [...r.out, ...r.err].join('\n'));
  const c = r.matrix!;
  assert.deepEqual(c.implementation.capabilities, []);
  const byKey = new Map(c.scenarios.map((s) => [key(s), s]));
  let notApplicable = 0;
  for (const s of a.scenarios) {
    const t = byKey.get(key(s))!;
    const needs = s.tags.filter((tag) => tag.startsWith('@needs:')).map((tag) => tag.slice('@needs:'.length));
    if (needs.length > 0) {
      notApplicable++;
      assert.equal(t.status, 'NOT_APPLICABLE', key(s));
      assert.equal(t.reason, `needs the capability ${needs.join(', ')}, which no-capabilities does not declare`);
      assert.deepEqual(t.trace, [], `${key(s)}: nothing was sent`);
    } else {
      assert.deepEqual(verdict(t), verdict(s), key(s));
    }
  }
  assert.ok(notApplicable >= 10, `${notApplicable} scenarios need a capability`);
});
