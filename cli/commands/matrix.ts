/**
 * `ese-conformance matrix a.json [b.json ...] -o DIR`: the conformance matrix page and Markdown of
 * one or more runs, one column group per implementation. Reads only matrix.json files.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UsageError, type Command } from '../command';
import { reportFiles } from '../../reporting/formats';
import { safePrinter } from '../../text/terminal';
import { readMatrixForLog } from '../read-matrix';
import { renderMatrixHtml } from '../../reporting/matrix-html';
import { renderMatrixMarkdown } from '../../reporting/matrix-md';

const usage = `Usage: ese-conformance matrix MATRIX.json [MATRIX.json ...] -o DIR

Writes DIR/matrix.html (a static page, no server needed) and DIR/matrix.md from the matrix.json
files of one or more runs (each run's report directory has one). With several files, each
implementation gets its own column group, in the order given.

  -o, --output DIR   directory to write into (created if missing)

Exit codes: 0 written, 2 bad input (unreadable or malformed matrix.json, bad arguments).
Example: ese-conformance matrix reports/reference/matrix.json reports/wine/matrix.json -o reports/compare`;

function parse(argv: readonly string[]): { files: string[]; out: string } {
  const files: string[] = [];
  let out: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-o' || a === '--output') {
      out = argv[++i];
      if (out === undefined || out === '') throw new UsageError('ERR_ESE_MISSING_ARGUMENT', `${a} needs a directory`);
    } else if (a.startsWith('--output=')) {
      out = a.slice('--output='.length);
    } else if (a.startsWith('-') && a !== '-') {
      throw new UsageError('ERR_ESE_UNKNOWN_OPTION', `unknown option '${a}'; see 'ese-conformance matrix --help'`);
    } else {
      files.push(a);
    }
  }
  if (files.length === 0) throw new UsageError('ERR_ESE_MISSING_ARGUMENT', 'give at least one matrix.json; see --help');
  if (out === undefined) throw new UsageError('ERR_ESE_MISSING_ARGUMENT', '-o DIR is required (where matrix.html and matrix.md go)');
  return { files, out };
}

export const command: Command = {
  name: 'matrix',
  summary: 'render matrix.html and matrix.md from one or more matrix.json files',
  usage,
  // eslint-disable-next-line @typescript-eslint/require-await -- synchronous work; async so that a throw (a UsageError) rejects, as run() promises
  async run(argv, cli) {
    // The pages escape what the runs' implementations said; the log lines are neutralised too.
    const io = { ...cli, out: safePrinter(cli.out), err: safePrinter(cli.err) };
    const { files, out } = parse(argv);
    const matrices = files.map((f) => readMatrixForLog(path.resolve(io.cwd, f)));
    const dir = path.resolve(io.cwd, out);
    try {
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, reportFiles.matrixHtml), renderMatrixHtml(matrices));
      fs.writeFileSync(path.join(dir, reportFiles.matrixMd), renderMatrixMarkdown(matrices));
    } catch (e) {
      throw new UsageError('ERR_ESE_CANNOT_WRITE', `cannot write to ${dir}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
    }
    io.out(path.join(dir, reportFiles.matrixHtml));
    io.out(path.join(dir, reportFiles.matrixMd));
    return 0;
  },
};
