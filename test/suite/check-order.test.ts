/**
 * The pairwise check-order outline: generated from catalogue/check-order.json and up to date; every
 * condition has a fixture; every pair that can hold at once has its row; ESENT's winner is the
 * earlier check.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { capabilityBacked, checkOrderFeature, checkOrderFeatureFile, loadCheckOrder, pairRows } from '../../harness/check-order';
import { conditions, probeSessions, shownAtSetUp, takeAways } from '../../harness/conditions';
import { loadCatalogue } from '../../harness/catalogue';
import { parseErr } from '../../harness/codes';

const root = path.join(__dirname, '..', '..');

test(`${checkOrderFeatureFile} is up to date with catalogue/check-order.json (npm run check-order:generate)`, () => {
  assert.equal(fs.readFileSync(path.join(root, checkOrderFeatureFile), 'utf8'), checkOrderFeature());
});

test('the order names every condition once, and every condition has a fixture', () => {
  const file = loadCheckOrder();
  const names = file.conditions.map((c) => c.name);
  assert.deepEqual([...file.order].sort(), [...names].sort());
  assert.equal(new Set(file.order).size, file.order.length);
  assert.deepEqual(Object.keys(conditions).sort(), [...names].sort());
  for (const name of names) assert.ok(file.why[name], `why "${name}" is where it is`);
  for (const [a, b] of file.exclusive) assert.ok(names.includes(a) && names.includes(b), `exclusive pair ${a} / ${b}`);
});

test('codes and IDs of the table are the catalogue\'s', () => {
  const file = loadCheckOrder();
  const ids = new Map(loadCatalogue().entries.map((e) => [e.id, e]));
  for (const c of file.conditions) {
    const entry = ids.get(c.id);
    assert.ok(entry, `${c.name}: ${c.id} is a catalogue ID`);
    for (const t of c.tiers) assert.ok(entry.tiers.includes(t), `${c.name}: ${c.id} has the ${t} tier`);
    for (const code of [...c.documented, ...(c.esent === null ? [] : [c.esent])]) assert.notEqual(parseErr(code), undefined, `${c.name}: ${code}`);
  }
});

test('one row per pair that can hold at once; in the esent tier the earlier check wins', () => {
  const file = loadCheckOrder();
  const rows = pairRows(file);
  const n = file.conditions.length;
  const excluded = file.conditions.flatMap((a, i) => file.conditions.slice(i + 1).filter((b) => file.exclusive.some(([x, y]) => (x === a.name && y === b.name) || (x === b.name && y === a.name)) || !a.tiers.some((t) => b.tiers.includes(t)))).length;
  assert.equal(rows.length, (n * (n - 1)) / 2 - excluded);
  const byName = new Map(file.conditions.map((c) => [c.name, c]));
  for (const r of rows) {
    const [a, b] = [byName.get(r.first), byName.get(r.second)];
    assert.ok(a && b);
    if (r.esent === undefined) continue;
    const failing = [a, b].filter((c) => c.esent !== null).sort((x, y) => file.order.indexOf(x.name) - file.order.indexOf(y.name));
    assert.equal(r.esent, failing[0]?.esent ?? 'JET_errSuccess', `${r.first} + ${r.second}`);
    // The documented tier allows the winner too (ESENT passes the documented tier by construction).
    assert.ok(r.documented.split(' or ').includes(r.esent), `${r.first} + ${r.second}: documented allows ${r.esent}`);
  }
});

test('every condition\'s probe session and take-away are the fixtures\'', () => {
  const file = loadCheckOrder();
  assert.deepEqual(Object.keys(probeSessions).sort(), file.conditions.filter((c) => c.probe !== undefined).map((c) => c.name).sort());
  for (const c of file.conditions) if (c.probe !== undefined) assert.equal(probeSessions[c.name], c.probe.session, `${c.name}: probe session`);
  assert.deepEqual(Object.keys(takeAways).sort(), file.conditions.filter((c) => c.takeAway !== undefined).map((c) => c.name).sort());
  for (const c of file.conditions) {
    for (const code of [...(c.probe?.documented ?? []), ...(c.probe?.esent === undefined ? [] : [c.probe.esent])]) assert.notEqual(parseErr(code), undefined, `${c.name} probe: ${code}`);
    if (c.probe?.esent !== undefined) assert.ok(c.probe.documented.includes(c.probe.esent), `${c.name}: the probe's documented codes allow ESENT's`);
  }
});

/**
 * A row proves each condition that only a test-control capability makes hold: the first on its own
 * right after it is set up, the second by its set-up (harness/conditions.ts shownAtSetUp), on its
 * probe session, with the first taken away after the pair's call, or through the pair's call when
 * the first does not block. Where none can (a forced
 * state set up after a term in progress or after another forced state: every call of the instance
 * answers the earlier one), the row is listed here; test/suite/capabilities.test.ts shows which of
 * them an implementation ignoring the capability still passes.
 */
test('every row shows each capability-backed condition applied, or is listed as unable to', () => {
  const file = loadCheckOrder();
  const byName = new Map(file.conditions.map((c) => [c.name, c]));
  const unproven: string[] = [];
  for (const r of pairRows(file)) {
    const [first, second] = [byName.get(r.first)!, byName.get(r.second)!];
    if (capabilityBacked(first)) assert.ok(r.firstAlone, `${r.first} + ${r.second}: the first condition is shown alone`);
    const firstBlocks = first.esent !== null || !first.documented.includes('JET_errSuccess');
    if (capabilityBacked(second) && !shownAtSetUp.includes(second.name) && r.secondAlone === undefined && r.then === undefined && firstBlocks) unproven.push(`${r.first} + ${r.second}`);
    for (const call of [r.firstAlone, r.secondAlone, r.then]) {
      if (call?.esent !== undefined) assert.ok(call.documented.split(' or ').includes(call.esent), `${r.first} + ${r.second}: documented allows ${call.esent}`);
    }
  }
  assert.deepEqual(unproven.sort(), [
    'full log disk + not initialized',
    'full log disk + restore in progress',
    'instance unavailable + not initialized',
    'instance unavailable + restore in progress',
    'not initialized + restore in progress',
    'term in progress on this instance + full log disk',
    'term in progress on this instance + instance unavailable',
    'term in progress on this instance + not initialized',
    'term in progress on this instance + restore in progress',
  ]);
});
