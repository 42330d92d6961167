/**
 * junit.xml against the JUnit schema (schemas/junit.xsd), validated offline by libxml2 compiled to
 * WebAssembly (xmllint-wasm, a dev dependency): the mixed fixture (every status, hostile
 * implementation text). The schema itself is checked to reject what CI tools would not read.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { validateXML } from 'xmllint-wasm';
import { renderJunit } from '../../reporting/junit';
import { loadFixture } from './helpers';

const xsd = fs.readFileSync(path.join(__dirname, '..', '..', 'schemas', 'junit.xsd'), 'utf8');

async function problems(xml: string): Promise<string[]> {
  const r = await validateXML({ xml: [{ fileName: 'junit.xml', contents: xml }], schema: [{ fileName: 'junit.xsd', contents: xsd }] });
  return r.valid ? [] : r.errors.map((e) => e.rawMessage.trim());
}

test('junit.xml of every status, with hostile implementation text, is valid against schemas/junit.xsd', async () => {
  const xml = renderJunit(loadFixture('mixed.json'));
  assert.ok((xml.match(/<testcase /g) ?? []).length > 50);
  assert.deepEqual(await problems(xml), []);
});

test('the schema rejects what CI tools would not read (it is not a schema that accepts anything)', async () => {
  const xml = renderJunit(loadFixture('mixed.json'));
  const broken: [string, string][] = [
    ['a count that is not a number', xml.replace(/tests="\d+"/, 'tests="many"')],
    ['two outcomes in one testcase', xml.replace(/(<skipped [^>]*\/>)/, '$1$1')],
    ['a testcase without a name', xml.replace(/(<testcase classname="[^"]*") name="[^"]*"/, '$1')],
    ['an unknown element', xml.replace('<properties>', '<properties><verdict/>')],
    ['a timestamp that is not a date', xml.replace(/timestamp="[^"]*"/, 'timestamp="yesterday"')],
  ];
  for (const [what, text] of broken) {
    assert.notEqual(text, xml, `${what}: the fixture has nothing to break`);
    assert.ok((await problems(text)).length > 0, `${what} passed validation`);
  }
});

test('an interrupted run whose finished scenarios all passed is not a green junit.xml: one error names the cut', async () => {
  const mixed = loadFixture('mixed.json');
  const passed = { ...mixed, interrupted: true, scenarios: mixed.scenarios.filter((s) => s.status === 'PASS'), selection: { ids: ['ES-SUCCESS-IDLE'], tags: null, scenariosNotRun: 9, complete: false } };
  const xml = renderJunit(passed);
  assert.match(xml, /<testsuite name="run" tests="2" failures="0" errors="1" skipped="1"/);
  assert.match(xml, /<testsuites [^>]*errors="1"/);
  assert.match(xml, /<error message="INTERRUPTED: the run was stopped by a signal after \d+ scenario results; the scenarios after them were not run" type="INTERRUPTED">/);
  assert.deepEqual(await problems(xml), []);
  assert.doesNotMatch(renderJunit({ ...passed, interrupted: false, selection: { ids: [], tags: null, scenariosNotRun: 0, complete: true } }), /INTERRUPTED|errors="[1-9]/);
});

test('a partial selection is a skipped testcase saying so, not a junit.xml that reads as the whole suite', () => {
  const mixed = loadFixture('mixed.json');
  // Interrupted too: both testcases of the 'run' testsuite, validated once (xmllint costs ~0.7 s).
  const xml = renderJunit({ ...mixed, selection: { ids: [], tags: '@ES-SUCCESS-IDLE', scenariosNotRun: 400, complete: false } });
  assert.match(xml, /<skipped message="partial run \(--tags @ES-SUCCESS-IDLE\): 400 scenarios of the suite were not selected; the scores are partial"\/>/);
  assert.doesNotMatch(renderJunit({ ...mixed, selection: { ids: [], tags: null, scenariosNotRun: 0, complete: true } }), /partial run/);
});
