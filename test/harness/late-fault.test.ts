/**
 * The late-fault side channel of a parallel run (harness/run-state.ts reportLateFault and
 * readLateFaults, harness/result-messages.ts ResultCollector.lateFault): a worker's implementation
 * that breaks the protocol after its last call reaches the runner as data, and that worker's last
 * scenario gets it; a failed hook carries it only when there is no side channel. The whole path
 * through cucumber's workers, with no stack frame on the terminal: test/cli/parallel.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as messages from '@cucumber/messages';
import type { ImplementationFault } from '../../adapters/types';
import { encodeResult, ResultCollector, scenarioResultMediaType } from '../../harness/result-messages';
import type { ScenarioResult } from '../../harness/results';
import { lateFaultOf, readLateFaults, reportLateFault, type RunParameters } from '../../harness/run-state';

const fault: ImplementationFault = { kind: 'protocol-error', reason: 'got a second answer to request 7', stderrTail: 'bye' };

function parameters(lateFaultDir?: string): RunParameters {
  return {
    tier: 'esent',
    attachTrace: false,
    implementation: { open: { opener: '/nowhere.js', options: {} }, info: { name: 'x', version: '1', target: 'current', pointerWidth: 64, capabilities: [] } },
    ...(lateFaultDir === undefined ? {} : { lateFaultDir }),
  };
}

/** Runs `body` as cucumber parallel worker `worker` (CUCUMBER_WORKER_ID), restoring the variable. */
function asWorker<T>(worker: string | undefined, body: () => T): T {
  const before = process.env.CUCUMBER_WORKER_ID;
  if (worker === undefined) delete process.env.CUCUMBER_WORKER_ID;
  else process.env.CUCUMBER_WORKER_ID = worker;
  try {
    return body();
  } finally {
    if (before === undefined) delete process.env.CUCUMBER_WORKER_ID;
    else process.env.CUCUMBER_WORKER_ID = before;
  }
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'ese-late-test-'));
}

test('a worker writes its late fault to the run\'s folder, whole, and the runner reads it back by worker id', () => {
  const dir = tempDir();
  try {
    asWorker('1', () => reportLateFault(parameters(dir), fault));
    assert.deepEqual(fs.readdirSync(dir), ['late-fault-1.json'], 'no part file left');
    assert.deepEqual(readLateFaults(dir), [{ workerId: '1', fault }]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('without the run\'s folder, outside a worker, with a worker id unfit for a file name, or when the write fails: the hook fails with the fault', () => {
  const dir = tempDir();
  try {
    const cases: [string, string | undefined, RunParameters][] = [
      ['no folder', '0', parameters()],
      ['no worker id', undefined, parameters(dir)],
      ['a worker id with a path in it', '../0', parameters(dir)],
      ['a folder that is gone', '0', parameters(path.join(dir, 'gone'))],
    ];
    for (const [name, worker, p] of cases) {
      let thrown: unknown;
      asWorker(worker, () => {
        try {
          reportLateFault(p, fault);
        } catch (e) {
          thrown = e;
        }
      });
      assert.ok(thrown instanceof Error, `${name}: the hook fails`);
      assert.deepEqual(lateFaultOf(thrown.message), fault, `${name}: the collector reads the fault from the hook's message`);
    }
    assert.deepEqual(fs.readdirSync(dir), [], 'nothing written outside the folder');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the runner reads only the workers\' fault files, and only well-formed faults', () => {
  const dir = tempDir();
  try {
    fs.writeFileSync(path.join(dir, 'late-fault-0.json'), '{"kind":"crash"');
    fs.writeFileSync(path.join(dir, 'late-fault-1.json'), JSON.stringify({ kind: 'crash' }));
    fs.writeFileSync(path.join(dir, 'late-fault-2.json.part'), JSON.stringify(fault));
    fs.writeFileSync(path.join(dir, 'other.json'), JSON.stringify(fault));
    fs.writeFileSync(path.join(dir, 'late-fault-3.json'), JSON.stringify(fault));
    assert.deepEqual(readLateFaults(dir), [{ workerId: '3', fault }]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

function result(name: string, status: ScenarioResult['status']): ScenarioResult {
  return { id: `f::${name}`, catalogueId: 'ES-SUCCESS-IDLE', tier: 'esent', feature: 'f', scenario: name, line: 1, tags: [], doc: [], status, trace: [] };
}

/** The envelopes of scenarios `names`, run in that order by the given workers, each with its verdict. */
function envelopes(runs: readonly { readonly name: string; readonly worker: string; readonly status: ScenarioResult['status'] }[]): messages.Envelope[] {
  const out: messages.Envelope[] = [];
  for (const r of runs) out.push({ testCase: { id: `tc-${r.name}`, pickleId: `p-${r.name}`, testSteps: [], testRunStartedId: 'run' } });
  for (const r of runs) {
    out.push({ testCaseStarted: { id: `s-${r.name}`, testCaseId: `tc-${r.name}`, workerId: r.worker, attempt: 0, timestamp: { seconds: 0, nanos: 0 } } });
    out.push({ attachment: { testCaseStartedId: `s-${r.name}`, mediaType: scenarioResultMediaType, body: encodeResult(result(r.name, r.status)), contentEncoding: 'IDENTITY' as messages.AttachmentContentEncoding } });
  }
  return out;
}

test('the collector gives a worker\'s late fault to the last scenario that worker ran, and to no other', () => {
  const c = new ResultCollector('esent');
  for (const e of envelopes([
    { name: 'a', worker: '0', status: 'PASS' },
    { name: 'b', worker: '1', status: 'PASS' },
    { name: 'c', worker: '0', status: 'FAIL' },
    { name: 'd', worker: '1', status: 'PASS' },
  ])) c.onMessage(e);
  c.lateFault('0', fault);
  c.lateFault('7', fault); // a worker that ran no scenario: nothing to give it to
  const v = c.verdicts();
  assert.deepEqual(v.map((r) => `${r.scenario} ${r.status}`), ['a PASS', 'b PASS', 'c PROTOCOL_ERROR', 'd PASS']);
  assert.equal(v[2].reason, "PROTOCOL_ERROR after the scenario's last call: got a second answer to request 7 (the scenario itself was FAIL)");
  assert.equal(v[2].stderrTail, 'bye');
});
