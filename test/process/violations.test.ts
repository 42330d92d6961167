/**
 * Issue 16, items 3 to 5: untrusted answers are bounded before anything walks them, protocol
 * violations are never forgiven by a silent restart (whenever they come: before, during or after a
 * reset, after a scenario's last call, in the shutdown answer), and nothing an implementation says
 * reaches a terminal or CI log raw. Each case: status, reason, exit code, wall time, no process left.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from './helpers/run-cli';
import { freshMarker, timed } from './helpers/leftovers';
import { assertFault, assertNoneLeft, cli, fixture, open } from './helpers/hostile';

// The two idle-session scenarios on one thread: these tests count on each scenario's reset reaching
// the same process (a fixture's state such as its reset count restarts with it) and on thread t1.
const idle = ['--tier', 'documented', '--id', 'ES-SUCCESS-IDLE', '--tags', 'not @needs:threads', '--adapter', 'process'];

test('an answer nested 100,000 levels deep inside a scenario: PROTOCOL_ERROR naming the bound, the run goes on', async () => {
  const marker = freshMarker();
  const { result: r, ms } = await timed('deep-json in a call', () => runCli([...idle, '--', 'node', fixture('deep-json'), 'call']));
  assert.equal(r.code, 1, [...r.out, ...r.err].join('\n'));
  assert.ok(r.matrix!.scenarios.length >= 2);
  for (const s of r.matrix!.scenarios) {
    assert.equal(s.status, 'PROTOCOL_ERROR', `${s.id}: ${s.reason}`);
    assert.match(s.reason ?? '', /JetCreateInstance on t1 \(id \d+\): got a line nested deeper than 16 levels/);
  }
  assert.ok(ms < 30_000, `took ${ms} ms`);
  assertNoneLeft(marker, 'after the run');
});

test('a deep hello answer: a setup error, one line, exit 2 (run) and a problem, exit 1 (smoke); nothing crashes', async () => {
  const marker = freshMarker();
  const { result: r, ms } = await timed('deep-json in hello (run)', () => runCli([...idle, '--', 'node', fixture('deep-json'), 'hello']));
  assert.equal(r.code, 2);
  assert.equal(r.matrix, undefined);
  assert.equal(r.err.length, 1, r.err.join('\n'));
  assert.match(r.err[0], /^ese-conformance run: adapter process did not start: handshake with .*: expected a hello answer \(protocol 1\) within 10000 ms, got a line nested deeper than 16 levels/);
  assert.ok(ms < 15_000, `took ${ms} ms`);
  const s = await cli(['smoke', '--', 'node', fixture('deep-json'), 'hello']);
  assert.equal(s.code, 1);
  assert.match(s.out.join('\n'), /problem: handshake with .*got a line nested deeper than 16 levels/);
  const c = await cli(['smoke', '--', 'node', fixture('deep-json'), 'call']);
  assert.equal(c.code, 1);
  assert.match(c.out.join('\n'), /problem: JetCreateInstance: PROTOCOL_ERROR: .*nested deeper than 16 levels/);
  assertNoneLeft(marker, 'after the runs');
});

test('a deep shutdown answer: the violation after the last call is the last scenario\'s PROTOCOL_ERROR', async () => {
  const marker = freshMarker();
  const impl = await open(['node', fixture('deep-json'), 'shutdown']);
  assert.deepEqual(await impl.reset(), { kind: 'ok' });
  const { result: late, ms } = await timed('deep-json in shutdown (finish)', () => impl.finish());
  assertFault(late!, 'protocol-error', /nested deeper than 16 levels/);
  assert.ok(ms < 5000, `took ${ms} ms`);
  const r = await runCli([...idle, '--', 'node', fixture('deep-json'), 'shutdown']);
  assert.equal(r.code, 1);
  const last = r.matrix!.scenarios[r.matrix!.scenarios.length - 1];
  assert.equal(last.status, 'PROTOCOL_ERROR');
  assert.match(last.reason ?? '', /^PROTOCOL_ERROR after the scenario's last call: .*nested deeper than 16 levels/);
  assertNoneLeft(marker, 'after the run');
});

for (const text of ['0.0', '1E2', '-0.5e3']) {
  test(`an integer written ${text}: PROTOCOL_ERROR (the protocol has no fractions or exponents)`, async () => {
    const marker = freshMarker();
    const impl = await open(['node', fixture('number-format'), text]);
    await impl.reset();
    const { result: r } = await timed(`number-format ${text}`, () => impl.call('t1', 'JetEndSession', { sesid: { forged: 'nil' }, grbit: 0 }));
    assertFault(r, 'protocol-error', new RegExp(`JetEndSession on t1 \\(id \\d+\\): got a number with a fraction or an exponent \\(${text.replace(/[.]/g, '\\.')}\\)`));
    await impl.close();
    assertNoneLeft(marker, 'after close');
  });
}

test('a closed stdout is a CRASH at once, not a TIMEOUT after 10 s', async () => {
  const marker = freshMarker();
  const impl = await open(['node', fixture('closes-stdout')]);
  await impl.reset();
  const { result: r, ms } = await timed('closes-stdout', () => impl.call('t1', 'JetCreateInstance', { name: 'i' }));
  assertFault(r, 'crash', /JetCreateInstance on t1 \(id \d+\): the process closed its stdout and kept running/);
  assert.match((r as { stderrTail?: string }).stderrTail ?? '', /closing stdout in JetCreateInstance/);
  assert.ok(ms < 3000, `took ${ms} ms`);
  assertNoneLeft(marker, 'after the crash');
  await impl.close();
});

test('a string id in the answer to reset: PROTOCOL_ERROR, not CRASH, and no silent retry', async () => {
  const marker = freshMarker();
  const impl = await open(['node', fixture('string-id-reset')]);
  assert.deepEqual(await impl.reset(), { kind: 'ok' });
  const { result: r } = await timed('string-id-reset', () => impl.reset());
  assertFault(r, 'protocol-error', /got an answer without an integer id: '\{"id":"\d+","result":"ok"\}'/);
  await impl.close();
  assertNoneLeft(marker, 'after close');
});

test('a line that is not JSON before each reset: the next scenario is PROTOCOL_ERROR, not absorbed by a restart', async () => {
  const marker = freshMarker();
  const { result: r, ms } = await timed('garbage-before-reset (proxy around serve-reference)', () => runCli([...idle, '--', 'node', fixture('garbage-before-reset')]));
  assert.equal(r.code, 1, [...r.out, ...r.err].join('\n'));
  // The fixture writes the line before each reset of its process but the first. A scenario after
  // another in the same process is PROTOCOL_ERROR; the adapter then starts a fresh process, whose
  // first scenario passes: PASS, PROTOCOL_ERROR, PASS, ... whatever the number of scenarios.
  const scenarios = r.matrix!.scenarios;
  assert.ok(scenarios.length >= 2, `${scenarios.length} scenarios`);
  scenarios.forEach((s, i) => {
    if (i % 2 === 0) return assert.equal(s.status, 'PASS', `${i}: ${s.id}: ${s.reason}`);
    assert.equal(s.status, 'PROTOCOL_ERROR', `${i}: ${s.id}: ${s.reason}`);
    assert.match(s.reason ?? '', /got a line that is not JSON: 'garbage-before-reset: starting the next scenario'/);
  });
  assert.ok(ms < 60_000, `took ${ms} ms`);
  assertNoneLeft(marker, 'after the run');
});

test('the answer to a scenario\'s last call repeated before the next reset: that scenario is PROTOCOL_ERROR', async () => {
  const marker = freshMarker();
  const { result: r, ms } = await timed('repeat-last-answer reset (proxy around serve-reference)', () => runCli([...idle, '--', 'node', fixture('repeat-last-answer'), 'reset']));
  assert.equal(r.code, 1, [...r.out, ...r.err].join('\n'));
  const [first, second] = r.matrix!.scenarios;
  assert.equal(first.status, 'PASS', `${first.id}: ${first.reason}`);
  assert.equal(second.status, 'PROTOCOL_ERROR', `${second.id}: ${second.reason}`);
  assert.match(second.reason ?? '', /got a second answer to (Jet\w+|(batch|chain) of \d+ calls \(Jet\w+, \.\.\.\)) on t1 \(id \d+\), which was answered already/);
  assert.ok(ms < 60_000, `took ${ms} ms`);
  assertNoneLeft(marker, 'after the run');
});

test('the answer to the run\'s last call repeated before shutdown: the last scenario is PROTOCOL_ERROR', async () => {
  const marker = freshMarker();
  const { result: r, ms } = await timed('repeat-last-answer shutdown (proxy around serve-reference)', () => runCli([...idle, '--', 'node', fixture('repeat-last-answer'), 'shutdown']));
  assert.equal(r.code, 1, [...r.out, ...r.err].join('\n'));
  const scenarios = r.matrix!.scenarios;
  const last = scenarios[scenarios.length - 1];
  for (const s of scenarios.slice(0, -1)) assert.equal(s.status, 'PASS', `${s.id}: ${s.reason}`);
  assert.equal(last.status, 'PROTOCOL_ERROR');
  assert.match(last.reason ?? '', /^PROTOCOL_ERROR after the scenario's last call: got a second answer to (Jet\w+|(batch|chain) of \d+ calls \(Jet\w+, \.\.\.\)) on t1 \(id \d+\)/);
  const id = r.matrix!.ids.find((x) => x.id === 'ES-SUCCESS-IDLE' && x.tier === 'documented');
  assert.equal(id?.status, 'PROTOCOL_ERROR', 'the ID and the score are rolled up again');
  assert.ok(ms < 60_000, `took ${ms} ms`);
  assertNoneLeft(marker, 'after the run');
});

/** A line of ours that may carry implementation text: nothing in it can act in a terminal or CI log. */
function assertInert(line: string): void {
  assert.doesNotMatch(line, /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/, `control character in ${JSON.stringify(line)}`);
  assert.doesNotMatch(line, /##\[/, `legacy workflow command in ${JSON.stringify(line)}`);
  // A command of ours is one line (its data percent-encoded). Any other line must not start with
  // the marker after white space, where GitHub's runner reads it (text/terminal.ts).
  const command = /^::(error|notice|warning) title=[^:]*::/.exec(line);
  if (!command) assert.doesNotMatch(line, /^\s*::/, `workflow command marker in ${JSON.stringify(line)}`);
}

test('markup in the name, version, stderr and crash message: every printed line is inert, with or without --annotations github', async () => {
  const marker = freshMarker();
  for (const annotations of ['github', 'none']) {
    const { result: r } = await timed(`injection --annotations ${annotations}`, () => runCli([...idle, '--annotations', annotations, '--', 'node', fixture('injection')]));
    assert.equal(r.code, 1, [...r.out, ...r.err].join('\n'));
    const lines = [...r.out, ...r.err];
    for (const line of lines) assertInert(line);
    assert.ok(lines.some((l) => l.includes('\\x3a:stop-commands::pwned')), 'the name is shown, neutralised (a piece that may start a line)');
    assert.ok(!lines.some((l) => /^\s*::stop-commands::/.test(l)));
    if (annotations === 'github') {
      const commands = lines.filter((l) => l.startsWith('::'));
      assert.ok(commands.length >= 1);
      for (const c of commands) assert.match(c, /^::error title=/);
      assert.ok(commands.some((c) => c.includes('#\\x23[error]forged')), 'stderr and the message are shown, neutralised');
    }
    // The reports keep the text as it was (each escapes it for its own format).
    assert.equal(r.matrix!.implementation.name, '::stop-commands::pwned');
    assert.match(r.matrix!.scenarios[0].reason ?? '', /##\[error\]forged/);
  }
  assertNoneLeft(marker, 'after the runs');
});
