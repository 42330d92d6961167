/**
 * `ese-conformance expectations --from matrix.json [-o FILE]`: a starting expectations file from a
 * run, one entry per non-passing scenario, for a human to review (docs/expectations.md).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UsageError, type Command } from '../command';
import { formatExpectationsFile } from '../../reporting/expectations';
import { readMatrixForLog } from '../read-matrix';
import { neutralise, safePrinter } from '../../text/terminal';
import { tiers as allTiers, type Matrix } from '../../harness/results';

const usage = `Usage: ese-conformance expectations --from MATRIX.json [-o FILE] [--force]

Writes a starting expectations file from a run's matrix.json: one entry per scenario that did not
pass (FAIL, CRASH, TIMEOUT, PROTOCOL_ERROR), with the run's own reason. Review the reasons, add
issue links, and pass the file to 'ese-conformance run --expectations FILE' to gate CI on it.
The format is described in docs/expectations.md.

  --from FILE        the matrix.json of a run (in its report directory)
  -o, --output FILE  where to write (default: standard output)
  --force            overwrite FILE if it exists (a reviewed file would lose its reasons)

Exit codes: 0 written, 2 bad input.`;

function parse(argv: readonly string[]): { from: string; out?: string; force: boolean } {
  let from: string | undefined;
  let out: string | undefined;
  let force = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--from') {
      from = argv[++i];
      if (from === undefined || from === '') throw new UsageError('ERR_ESE_MISSING_ARGUMENT', '--from needs a matrix.json');
    } else if (a === '-o' || a === '--output') {
      out = argv[++i];
      if (out === undefined || out === '') throw new UsageError('ERR_ESE_MISSING_ARGUMENT', `${a} needs a file`);
    } else if (a === '--force') {
      force = true;
    } else {
      throw new UsageError('ERR_ESE_UNKNOWN_OPTION', `unknown argument '${a}'; see 'ese-conformance expectations --help'`);
    }
  }
  if (from === undefined) throw new UsageError('ERR_ESE_MISSING_ARGUMENT', '--from MATRIX.json is required');
  return { from, force, ...(out === undefined ? {} : { out }) };
}

/**
 * A file written from a run of fewer tiers (or of a selection) than the gated run will make has
 * no entries for the rest: the gate would then fail on every known failure there.
 */
export function coverageWarnings(matrix: Matrix): string[] {
  const out: string[] = [];
  const missing = allTiers.filter((t) => !matrix.tiers.includes(t));
  if (missing.length > 0) {
    out.push(`the run covered only the ${matrix.tiers.join(', ')} tier: there are no entries for ${missing.join(', ')}; gate with the same --tier ${matrix.tiers.join(',')} (a run without --tier checks every tier and would report their failures as unexpected)`);
  }
  if (matrix.selection !== undefined && !matrix.selection.complete) {
    out.push('the run was partial (--id / --tags): there are no entries for what it did not select; gate with the same selection, or write the file from a complete run');
  }
  return out;
}

/**
 * A line of the file as written and as printed: reasons quote the implementation, so controls, bidi
 * characters and \`##[\` are made visible (text/terminal.ts). \`::\` inside a line is data (a
 * scenario id is \`features/x.feature::name\`) and stays as written; neutralise breaks only a line
 * that starts with \`:\`, which cannot occur (every line starts with a comment or a tier).
 */
export function fileLine(line: string): string {
  return neutralise(line, { keepTabs: true });
}

export const command: Command = {
  name: 'expectations',
  summary: 'write a starting expectations file from a run (matrix.json)',
  usage,
  // eslint-disable-next-line @typescript-eslint/require-await -- synchronous work; async so that a throw (a UsageError) rejects, as run() promises
  async run(argv, cli) {
    const io = { ...cli, out: safePrinter(cli.out), err: safePrinter(cli.err) };
    const { from, out, force } = parse(argv);
    const matrix = readMatrixForLog(path.resolve(io.cwd, from));
    for (const w of coverageWarnings(matrix)) io.err(`warning: ${w}`);
    const text = formatExpectationsFile(matrix, from).split('\n').map(fileLine).join('\n');
    if (out === undefined) {
      for (const line of text.replace(/\n$/, '').split('\n')) cli.out(line);
      return 0;
    }
    const file = path.resolve(io.cwd, out);
    if (fs.existsSync(file) && !force) throw new UsageError('ERR_ESE_OUTPUT_EXISTS', `${out} exists; use --force to overwrite it`);
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, text);
    } catch (e) {
      throw new UsageError('ERR_ESE_CANNOT_WRITE', `cannot write ${out}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
    const entries = text.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;
    io.out(`${file}: ${entries} entr${entries === 1 ? 'y' : 'ies'}`);
    return 0;
  },
};
