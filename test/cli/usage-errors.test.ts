/**
 * Every bad input of every command: one line on stderr that says what to do, exit 2, no stack
 * trace, nothing on stdout. Run in-process (the binary's code path without its start-up), from an
 * empty temporary folder so that nothing of the repository is touched.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { main } from '../../cli/main';
import { checkIdsInTiers } from '../../cli/usage-checks';

const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'ese-usage-'));
after(() => fs.rmSync(cwd, { recursive: true, force: true }));
fs.writeFileSync(path.join(cwd, 'a-file'), 'not a folder\n');
fs.writeFileSync(path.join(cwd, 'not-a-matrix.json'), '{"hello": 1}\n');
fs.writeFileSync(path.join(cwd, 'garbage.json'), '{not json');
fs.writeFileSync(path.join(cwd, 'exists.expectations'), '# reviewed\n');

/** [argv, what the line must say]. */
const cases: [string[], RegExp][] = [
  [['no-such-command'], /unknown command 'no-such-command'; run 'ese-conformance --help'/],
  [['run', '--bogus'], /Unknown option '--bogus'; see 'ese-conformance run --help'/],
  [['run', '--tier', 'strict'], /--tier strict: use documented, esent or all/],
  [['run', '--id', 'ES-NOPE'], /--id ES-NOPE: not a catalogue ID; 'ese-conformance list' shows them/],
  [['run', '--id', 'ES-NOT-INITIALIZED', '--tier', 'esent'], /--id ES-NOT-INITIALIZED is not part of the esent tier \(its tiers: documented\); use --tier documented or --tier all/],
  [['run', '--tags', '(@ES-SUCCESS-IDLE'], /--tags "\(@ES-SUCCESS-IDLE": not a tag expression \(Unmatched \(\.\)/],
  [['run', '--tags', '@a and'], /--tags "@a and": not a tag expression/],
  [['run', '--order', 'shuffled'], /--order shuffled: use defined, random or random:SEED/],
  [['run', '--reports', 'some'], /--reports some: use full or minimal/],
  [['run', '--timeout-ms', '0'], /--timeout-ms 0: give a positive whole number of milliseconds/],
  [['run', '--target', 'windows-95'], /--target windows-95: use one of /],
  [['run', '--annotations', 'gitlab'], /--annotations gitlab: use github or none/],
  [['run', '--expectations', 'missing.expectations'], /--expectations missing\.expectations: no such file/],
  [['run', '--report-dir', 'a-file', '--id', 'ES-SUCCESS-IDLE'], /--report-dir .*a-file/],
  [['run', '--adapter', 'nope', '--report-dir', 'r'], /--adapter nope: unknown adapter; use reference, process or mutant:NAME/],
  [['run', '--adapter', 'mutant:no-such-mutant', '--report-dir', 'r'], /no mutant named 'no-such-mutant'; 'ese-conformance mutants --list' lists them/],
  [['run', '--adapter', 'process', './my-ese'], /unexpected argument '\.\/my-ese': the implementation's command goes after --, e\.g\. ese-conformance run --adapter process -- \.\/my-ese/],
  [['run', '--adapter', 'process', '--report-dir', 'r'], /--adapter process needs the command to start after --/],
  [['list', '--bogus'], /Unknown option '--bogus'; see 'ese-conformance list --help'/],
  [['list', 'extra'], /Unexpected argument 'extra'/],
  [['matrix'], /give at least one matrix\.json/],
  [['matrix', 'not-a-matrix.json'], /-o DIR is required/],
  [['matrix', 'missing.json', '-o', 'out'], /cannot read .*missing\.json: ENOENT/],
  [['matrix', 'garbage.json', '-o', 'out'], /garbage\.json/],
  [['matrix', 'not-a-matrix.json', '-o', 'out'], /not a matrix\.json of this suite/],
  [['matrix', '--bogus'], /unknown option '--bogus'; see 'ese-conformance matrix --help'/],
  [['expectations'], /--from MATRIX\.json is required/],
  [['expectations', '--from', 'missing.json'], /cannot read .*missing\.json: ENOENT/],
  [['expectations', '--from', 'not-a-matrix.json'], /not a matrix\.json of this suite/],
  [['expectations', '--from'], /--from needs a matrix\.json/],
  [['expectations', '--bogus'], /unknown argument '--bogus'; see 'ese-conformance expectations --help'/],
  [['smoke'], /missing the command to test after --/],
  [['serve-reference', '--bogus'], /unknown argument '--bogus'/],
  [['fuzz', '--seed', 'abc'], /--seed abc: give a whole number/],
  [['mutants', '--bogus'], /Unknown option '--bogus'; see 'ese-conformance mutants --help'/],
];

describe('bad input: one line, exit 2', () => {
  for (const [argv, expected] of cases) {
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
    });
  }
});

describe('the documented-only IDs still run where they belong', () => {
  it('--id ES-NOT-INITIALIZED --tier all is accepted (the documented tier has it)', () => {
    assert.doesNotThrow(() => checkIdsInTiers(['ES-NOT-INITIALIZED'], ['documented', 'esent'], [{ id: 'ES-NOT-INITIALIZED', tiers: ['documented'] }]));
  });
});
