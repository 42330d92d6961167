/**
 * Every bad input of every command: one line on stderr that says what to do, exit 2, no stack
 * trace, nothing on stdout. Run in-process (the binary's code path without its start-up), from an
 * empty temporary folder so that nothing of the repository is touched.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it, test } from 'node:test';
import { main } from '../../cli/main';
import { checkIdsInTiers } from '../../cli/usage-checks';
import { usageErrorCodes, type UsageErrorCode } from '../../harness/error-codes';

const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'ese-usage-'));
after(() => fs.rmSync(cwd, { recursive: true, force: true }));
fs.writeFileSync(path.join(cwd, 'a-file'), 'not a folder\n');
fs.writeFileSync(path.join(cwd, 'not-a-matrix.json'), '{"hello": 1}\n');
fs.writeFileSync(path.join(cwd, 'garbage.json'), '{not json');
fs.writeFileSync(path.join(cwd, 'exists.expectations'), '# reviewed\n');
fs.writeFileSync(path.join(cwd, 'bad.expectations'), 'esent ES-SUCCESS-IDLE MAYBE because\n');
fs.copyFileSync(path.join(__dirname, '..', 'fixtures', 'matrix', 'reference.json'), path.join(cwd, 'matrix.json'));

/** [argv, what the line must say, the stable code it ends with (harness/error-codes.ts, docs/errors.md)]. */
const cases: [string[], RegExp, UsageErrorCode][] = [
  [['no-such-command'], /unknown command 'no-such-command'; run 'ese-conformance --help'/, 'ERR_ESE_UNKNOWN_COMMAND'],
  [['run', '--bogus'], /Unknown option '--bogus'; see 'ese-conformance run --help'/, 'ERR_ESE_UNKNOWN_OPTION'],
  [['run', '--tier', 'strict'], /--tier strict: use documented, esent or all/, 'ERR_ESE_INVALID_VALUE'],
  [['run', '--id', 'ES-NOPE'], /--id ES-NOPE: not a catalogue ID; 'ese-conformance list' shows them/, 'ERR_ESE_UNKNOWN_ID'],
  [['run', '--id', 'ES-NOT-INITIALIZED', '--tier', 'esent'], /--id ES-NOT-INITIALIZED is not part of the esent tier \(its tiers: documented\); use --tier documented or --tier all/, 'ERR_ESE_ID_NOT_IN_TIER'],
  [['run', '--tags', '(@ES-SUCCESS-IDLE'], /--tags "\(@ES-SUCCESS-IDLE": not a tag expression \(Unmatched \(\.\)/, 'ERR_ESE_TAG_EXPRESSION'],
  [['run', '--tags', '@a and'], /--tags "@a and": not a tag expression/, 'ERR_ESE_TAG_EXPRESSION'],
  [['run', '--order', 'shuffled'], /--order shuffled: use defined, random or random:SEED/, 'ERR_ESE_INVALID_VALUE'],
  [['run', '--reports', 'some'], /--reports some: use full or minimal/, 'ERR_ESE_INVALID_VALUE'],
  [['run', '--timeout-ms', '0'], /--timeout-ms 0: give a positive whole number of milliseconds/, 'ERR_ESE_INVALID_VALUE'],
  [['run', '--target', 'windows-95'], /--target windows-95: use one of /, 'ERR_ESE_INVALID_VALUE'],
  [['run', '--annotations', 'gitlab'], /--annotations gitlab: use github or none/, 'ERR_ESE_INVALID_VALUE'],
  [['run', '--expectations', 'missing.expectations'], /--expectations missing\.expectations: no such file/, 'ERR_ESE_FILE_NOT_FOUND'],
  [['run', '--report-dir', 'a-file', '--id', 'ES-SUCCESS-IDLE'], /--report-dir .*a-file/, 'ERR_ESE_REPORT_DIR'],
  [['run', '--adapter', 'nope', '--report-dir', 'r'], /--adapter nope: unknown adapter; use reference, process or mutant:NAME/, 'ERR_ESE_UNKNOWN_ADAPTER'],
  [['run', '--adapter', 'mutant:no-such-mutant', '--report-dir', 'r'], /no mutant named 'no-such-mutant'; 'ese-conformance mutants --list' lists them/, 'ERR_ESE_UNKNOWN_ADAPTER'],
  [['run', '--adapter', 'process', './my-ese'], /unexpected argument '\.\/my-ese': the implementation's command goes after --, e\.g\. ese-conformance run --adapter process -- \.\/my-ese/, 'ERR_ESE_UNEXPECTED_ARGUMENT'],
  [['run', '--adapter', 'process', '--report-dir', 'r'], /--adapter process needs the command to start after --/, 'ERR_ESE_MISSING_ARGUMENT'],
  [['list', '--bogus'], /Unknown option '--bogus'; see 'ese-conformance list --help'/, 'ERR_ESE_UNKNOWN_OPTION'],
  [['list', 'extra'], /Unexpected argument 'extra'/, 'ERR_ESE_UNEXPECTED_ARGUMENT'],
  [['matrix'], /give at least one matrix\.json/, 'ERR_ESE_MISSING_ARGUMENT'],
  [['matrix', 'not-a-matrix.json'], /-o DIR is required/, 'ERR_ESE_MISSING_ARGUMENT'],
  [['matrix', 'missing.json', '-o', 'out'], /cannot read .*missing\.json: ENOENT/, 'ERR_ESE_FILE_NOT_FOUND'],
  [['matrix', 'garbage.json', '-o', 'out'], /garbage\.json/, 'ERR_ESE_NOT_A_MATRIX'],
  [['matrix', 'not-a-matrix.json', '-o', 'out'], /not a matrix\.json of this suite/, 'ERR_ESE_NOT_A_MATRIX'],
  [['matrix', '--bogus'], /unknown option '--bogus'; see 'ese-conformance matrix --help'/, 'ERR_ESE_UNKNOWN_OPTION'],
  [['expectations'], /--from MATRIX\.json is required/, 'ERR_ESE_MISSING_ARGUMENT'],
  [['expectations', '--from', 'missing.json'], /cannot read .*missing\.json: ENOENT/, 'ERR_ESE_FILE_NOT_FOUND'],
  [['expectations', '--from', 'not-a-matrix.json'], /not a matrix\.json of this suite/, 'ERR_ESE_NOT_A_MATRIX'],
  [['expectations', '--from'], /--from needs a matrix\.json/, 'ERR_ESE_MISSING_ARGUMENT'],
  [['expectations', '--bogus'], /unknown argument '--bogus'; see 'ese-conformance expectations --help'/, 'ERR_ESE_UNKNOWN_OPTION'],
  [['smoke'], /missing the command to test after --/, 'ERR_ESE_MISSING_ARGUMENT'],
  [['serve-reference', '--bogus'], /unknown argument '--bogus'/, 'ERR_ESE_UNKNOWN_OPTION'],
  [['fuzz', '--seed', 'abc'], /--seed abc: give a whole number/, 'ERR_ESE_INVALID_VALUE'],
  [['mutants', '--bogus'], /Unknown option '--bogus'; see 'ese-conformance mutants --help'/, 'ERR_ESE_UNKNOWN_OPTION'],

  [['expectations', '--from', 'not-a-matrix.json', '-o', 'exists.expectations'], /not a matrix\.json of this suite/, 'ERR_ESE_NOT_A_MATRIX'],
  [['run', '--adapter-module', './my-adapter.js', '--adapter', 'process', '--report-dir', 'r'], /--adapter-module \.\/my-adapter\.js replaces --adapter: give one of them/, 'ERR_ESE_CONFLICTING_OPTIONS'],
  [['run', '--adapter-module', './no-such-adapter.js', '--report-dir', 'r'], /--adapter-module \.\/no-such-adapter\.js: no such module/, 'ERR_ESE_ADAPTER_MODULE'],
  [['matrix', 'matrix.json', '-o', 'a-file'], /cannot write to .*a-file/, 'ERR_ESE_CANNOT_WRITE'],
  [['expectations', '--from', 'matrix.json', '-o', 'exists.expectations'], /exists\.expectations exists; use --force to overwrite it/, 'ERR_ESE_OUTPUT_EXISTS'],
  [['run', '--expectations', 'bad.expectations'], /bad\.expectations:1: /, 'ERR_ESE_EXPECTATIONS_SYNTAX'],
  [['mutants', '--mutant', 'no-such-mutant'], /--mutant no-such-mutant: no such mutant/, 'ERR_ESE_UNKNOWN_MUTANT'],];

describe('bad input: one line, exit 2', () => {
  for (const [argv, expected, errCode] of cases) {
    it(argv.join(' '), async () => {
      const out: string[] = [];
      const err: string[] = [];
      const env = { ...process.env };
      delete env.GITHUB_ACTIONS;
      delete env.GITHUB_STEP_SUMMARY;
      const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env, cwd });
      assert.equal(code, 2, `exit code; stderr: ${err.join('\n')}`);
      assert.deepEqual(out, [], 'nothing on stdout');
      assert.equal(err.length, 1, `one line: ${err.join('\n')}`);
      assert.doesNotMatch(err[0], /\n|\s+at \S+ \(/, 'no stack trace');
      assert.match(err[0], expected);
      assert.ok(err[0].endsWith(` [${errCode}]`), `ends with [${errCode}]: ${err[0]}`);
    });
  }
});

describe('the documented-only IDs still run where they belong', () => {
  it('--id ES-NOT-INITIALIZED --tier all is accepted (the documented tier has it)', () => {
    assert.doesNotThrow(() => checkIdsInTiers(['ES-NOT-INITIALIZED'], ['documented', 'esent'], [{ id: 'ES-NOT-INITIALIZED', tiers: ['documented'] }]));
  });
});

test('every usage error code is produced by one of the bad inputs above, or named here with the test that produces it', () => {
  const elsewhere: Partial<Record<UsageErrorCode, string>> = {
    ERR_ESE_NOTHING_SELECTED: 'test/cli/run.test.ts (a selection that matches nothing: cucumber loads first)',
    ERR_ESE_ADAPTER_START: 'test/process/e2e-hostile.test.ts (an implementation that exits during its handshake)',
    ERR_ESE_FILE_UNREADABLE: 'no portable case: the tests run as root, which reads any file',
  };
  const covered = new Set(cases.map((c) => c[2]));
  const missing = (Object.keys(usageErrorCodes) as UsageErrorCode[]).filter((c) => !covered.has(c) && elsewhere[c] === undefined);
  assert.deepEqual(missing, []);
});
