/**
 * `ese-conformance fuzz`: differential model-based fuzzing of an implementation against the
 * reference engine. The first divergence is shrunk, printed with its seed and replay token,
 * written as a regression feature and checked (it must pass on the reference and fail on the
 * implementation). Exit 0 no divergence, 1 a divergence or a failure of the implementation, 2 usage.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { adapterNames, resolveAdapter, type AdapterFactory, type Implementation } from '../../adapters';
import { fuzz, type FuzzReport } from '../../fuzz/campaign';
import { renderFeature, replayCommand, type FeatureContext } from '../../fuzz/gherkin';
import { traceLines } from '../../fuzz/print';
import { verifyFeature } from '../../fuzz/verify';
import { UsageError, type CliIo, type Command } from '../command';
import { parseOptions, splitAtDashDash } from '../args';
import { neutralise, safePrinter } from '../../text/terminal';
import { avoidRules, avoidRulesNamed, type AvoidRule } from '../../fuzz/avoid';
import { avoidedLines, runKeepGoing } from './fuzz-keep-going';

const defaults = { runs: 100, seed: 1, maxSteps: 40, reportDir: path.join('reports', 'fuzz'), timeoutMs: 10_000 };

const usage = `Usage: ese-conformance fuzz [options] [-- COMMAND [ARGS...]]

Differential model-based fuzzing (fast-check): random sequences of API calls over the whole life
cycle (instances, stop-service, term, sessions, dup, contexts on several threads, nested
transactions, databases, tables, cursors, records, temp tables, JetEndSession with any grbit and
any handle), each run on the implementation and on the reference engine and compared: codes
exactly (esent tier), handles by role, other out-values exactly. The first divergence is shrunk,
printed, and written to the report directory as a feature that passes on the reference and fails
on the implementation (docs/fuzzing.md: how to promote it into features/regressions/).

Options:
  --adapter NAME       reference (default), process (needs -- COMMAND), or mutant:NAME
  --runs N             fast-check runs, each from a reset (default ${defaults.runs})
  --seed S             the seed (default ${defaults.seed}): the same seed gives the same sequences and verdict
  --max-steps K        most commands per run (default ${defaults.maxSteps}); a command is one call or a short
                       composite (a record write, a table scan)
  --report-dir DIR     where a finding's feature goes (default ${defaults.reportDir})
  --replay TOKEN       replay one finding, as printed with it (same --seed and --max-steps)
  --timeout-ms N       timeout of one call of a process adapter and of a blocked call (default ${defaults.timeoutMs})
  --no-verify          do not run the written feature against the reference and the implementation
  --keep-going         do not stop at a divergence: record it, go on with the next run from a reset,
                       then shrink the first run of each kind of divergence (campaign-SEED.json)
  --avoid NAME[,NAME]  do not make calls known to kill a real engine's process (${avoidRules.map((r) => r.name).join(', ')});
                       each avoided call is counted and printed with its reason
  --shrink-budget N    most shrinking runs per divergence (default: until no smaller one diverges)
  -h, --help           this text

Exit codes: 0 no divergence; 1 a divergence (written as a feature), or the implementation failed
outside a comparison (e.g. its reset); 2 usage or setup error.`;

interface FuzzCliOptions {
  readonly adapter: string;
  readonly runs: number;
  readonly seed: number;
  readonly maxSteps: number;
  readonly reportDir: string;
  readonly replay?: string;
  readonly timeoutMs: number;
  readonly verify: boolean;
  readonly command: readonly string[];
  readonly keepGoing: boolean;
  readonly avoid: readonly AvoidRule[];
  readonly shrinkBudget?: number;
}

function avoidOption(text: string | undefined): AvoidRule[] {
  if (text === undefined) return [];
  const { rules, unknown } = avoidRulesNamed(text.split(',').map((n) => n.trim()).filter((n) => n !== ''));
  if (unknown.length > 0) throw new UsageError('ERR_ESE_INVALID_VALUE', `--avoid ${unknown.join(',')}: unknown; use ${avoidRules.map((r) => r.name).join(', ')}`);
  return rules;
}

function wholeNumber(flag: string, text: string | undefined, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  const v = Number(text);
  if (!Number.isSafeInteger(v) || v < min) throw new UsageError('ERR_ESE_INVALID_VALUE', `${flag} ${text}: give a whole number of at least ${min}`);
  return v;
}

function parse(argv: readonly string[], cwd: string): FuzzCliOptions {
  const { own, command } = splitAtDashDash(argv);
  const values = parseOptions('fuzz', own, {
    adapter: { type: 'string', default: 'reference' },
    runs: { type: 'string' },
    seed: { type: 'string' },
    'max-steps': { type: 'string' },
    'report-dir': { type: 'string' },
    replay: { type: 'string' },
    'timeout-ms': { type: 'string' },
    'no-verify': { type: 'boolean', default: false },
    'keep-going': { type: 'boolean', default: false },
    avoid: { type: 'string' },
    'shrink-budget': { type: 'string' },
  });
  const seedText = values.seed as string | undefined;
  const seed = seedText === undefined ? defaults.seed : Number(seedText);
  if (!Number.isSafeInteger(seed) || Math.abs(seed) > 0x7fffffff) throw new UsageError('ERR_ESE_INVALID_VALUE', `--seed ${seedText}: give a whole number between -2147483647 and 2147483647`);
  const replay = values.replay as string | undefined;
  if (replay !== undefined && !/^\d+(:\d+)*(@[A-Za-z0-9+/:]*)?$/.test(replay)) {
    throw new UsageError('ERR_ESE_INVALID_VALUE', `--replay ${replay}: not a replay token; copy the one a finding printed, e.g. 12:0:3@CBA:B`);
  }
  return {
    adapter: values.adapter as string,
    runs: wholeNumber('--runs', values.runs as string | undefined, defaults.runs, 1),
    seed,
    maxSteps: wholeNumber('--max-steps', values['max-steps'] as string | undefined, defaults.maxSteps, 1),
    reportDir: path.resolve(cwd, (values['report-dir'] as string | undefined) ?? defaults.reportDir),
    ...(replay === undefined ? {} : { replay }),
    timeoutMs: wholeNumber('--timeout-ms', values['timeout-ms'] as string | undefined, defaults.timeoutMs, 1),
    verify: !(values['no-verify'] as boolean),
    command,
    keepGoing: values['keep-going'] as boolean,
    avoid: avoidOption(values.avoid as string | undefined),
    ...(values['shrink-budget'] === undefined ? {} : { shrinkBudget: wholeNumber('--shrink-budget', values['shrink-budget'] as string, 0, 0) }),
  };
}

/**
 * `mutant:NAME` resolves through `resolveAdapter` once the mutant catalogue has registered its
 * family; until then the catalogue module (loaded on demand) is asked directly.
 */
function factoryFor(name: string): AdapterFactory | undefined {
  const direct = resolveAdapter(name);
  if (direct !== undefined || !name.startsWith('mutant:')) return direct;
  let mutants: { mutantAdapterFactory?: (name: string) => AdapterFactory | undefined };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional module, loaded on use; typed by the cast
    mutants = require('../../mutants') as typeof mutants;
  } catch {
    return undefined;
  }
  return resolveAdapter(name) ?? mutants.mutantAdapterFactory?.(name.slice('mutant:'.length));
}

async function open(options: FuzzCliOptions): Promise<Implementation> {
  const factory = factoryFor(options.adapter);
  if (factory === undefined) throw new UsageError('ERR_ESE_UNKNOWN_ADAPTER', `--adapter ${options.adapter}: unknown adapter; use ${adapterNames().join(', ')} or mutant:NAME`);
  if (options.adapter === 'process' && options.command.length === 0) {
    throw new UsageError('ERR_ESE_MISSING_ARGUMENT', '--adapter process needs the command to start after --, e.g. -- ese-conformance serve-reference');
  }
  const opened = await factory.open({ command: options.command, timeoutMs: options.timeoutMs });
  // The error quotes what the implementation printed: neutralised before it reaches the log.
  if ('error' in opened) throw new UsageError('ERR_ESE_ADAPTER_START', neutralise(`adapter ${options.adapter} did not start: ${opened.error}`));
  return opened;
}

function rate(report: FuzzReport): string {
  const perSecond = report.durationMs > 0 ? Math.round((report.calls * 1000) / report.durationMs) : 0;
  const extra = report.executions > report.runs ? ` (${report.executions} with shrinking)` : '';
  return `${report.runs} runs${extra}, ${report.calls} calls in ${(report.durationMs / 1000).toFixed(1)} s (${perSecond} calls/s)`;
}

async function run(argv: readonly string[], cli: CliIo): Promise<number> {
  // Divergence messages, reasons and trace results quote the implementation: every printed line is
  // neutralised for terminals and CI logs (text/terminal.ts), as \`run\` does.
  const io: CliIo = { ...cli, out: safePrinter(cli.out), err: safePrinter(cli.err) };
  const options = parse(argv, io.cwd);
  if (options.keepGoing && options.replay !== undefined) throw new UsageError('ERR_ESE_INVALID_VALUE', '--keep-going and --replay: give one of them (a replay is one run)');
  const sut = await open(options);
  try {
    if (options.keepGoing) return await runKeepGoing(sut, options, io);
    const report = await fuzz({
      sut,
      seed: options.seed,
      runs: options.runs,
      maxSteps: options.maxSteps,
      ...(options.replay === undefined ? {} : { replay: options.replay }),
      // Over a process, a term that returns when it should wait needs a moment to be seen.
      settleMs: options.adapter === 'process' ? 50 : 0,
      awaitTimeoutMs: options.timeoutMs,
      avoid: options.avoid,
      ...(options.shrinkBudget === undefined ? {} : { shrinkBudget: options.shrinkBudget }),
    });
    const caps = report.capabilities.length > 0 ? report.capabilities.join(', ') : 'none';
    for (const line of avoidedLines(options.avoid, report.avoided, report.notHoldable, report.notInjectable)) io.out(line);
    if (report.error !== undefined) {
      io.err(`ese-conformance fuzz: stopped without a divergence: ${report.error}`);
      io.out(`fuzz: seed ${report.seed}, ${rate(report)}; capabilities used: ${caps}`);
      return 1;
    }
    const finding = report.finding;
    if (finding === undefined) {
      io.out(`fuzz: no divergence: seed ${report.seed}, ${rate(report)}; capabilities used: ${caps}`);
      return 0;
    }
    // The message goes into comments and the scenario name of the written feature: one line, neutralised
    // (a line break or a control character from the implementation would make the feature unparseable).
    const oneLine = { ...finding, divergence: { ...finding.divergence, message: neutralise(finding.divergence.message) } };
    const ctx: FeatureContext = { finding: oneLine, seed: options.seed, maxSteps: options.maxSteps, adapter: options.adapter, command: options.command };
    io.out(`fuzz: DIVERGENCE: ${oneLine.divergence.message}`);
    io.out(`seed ${report.seed}, ${rate(report)}, ${finding.shrinks} shrinks${finding.reproduced ? '' : '; WARNING: the shrunk sequence did not diverge the same way again (nondeterministic implementation?)'}`);
    io.out(`shrunk sequence (${finding.trace.length} steps, the last diverged):`);
    for (const line of traceLines(finding.trace)) io.out(`  ${neutralise(line, { keepTabs: true })}`);
    io.out(`seed: ${options.seed}`);
    io.out(`replay path: ${finding.replay}`);
    io.out(`replay: ${replayCommand(ctx)}`);
    const feature = renderFeature(ctx);
    fs.mkdirSync(options.reportDir, { recursive: true });
    const file = path.join(options.reportDir, feature.fileName);
    fs.writeFileSync(file, feature.text);
    io.out(`feature: ${path.relative(io.cwd, file) || file} (${feature.tags.join(' ')}; ${feature.catalogue.why})`);
    if (feature.missingSteps.length > 0) {
      io.out(`note: the feature uses a step the suite does not define yet, so it cannot run: ${feature.missingSteps.join('; ')}`);
    } else if (options.verify) {
      const v = await verifyFeature(file, sut, options.adapter);
      io.out(v.ok ? `verified: PASS against the reference, ${v.implementation} against ${options.adapter}` : `NOT verified: ${v.detail}`);
    }
    return 1;
  } finally {
    await sut.close();
  }
}

export const command: Command = {
  name: 'fuzz',
  summary: 'differential fuzzing against the reference engine; findings become features',
  usage,
  run,
};
