/** `ese-conformance run`: the suite against one implementation, its reports, and the gate. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resolveAdapter, adapterNames, targetVersions, type Implementation, type TargetVersion } from '../../adapters';
import { tiers as allTiers, type Matrix, type Tier } from '../../harness/results';
import { loadCatalogue } from '../../harness/catalogue';
import { checkExpectations, readExpectations, type ExpectationEntry, type GateResult } from '../../reporting/expectations';
import { clearReports, cucumberFormats, type ReportMode } from '../../reporting/formats';
import { githubAnnotations, stepSummaryMarkdown } from '../../reporting/github';
import { createProgress, summaryLines } from '../../reporting/progress';
import { writeReports } from '../../reporting/write';
import { UsageError, type CliIo, type Command } from '../command';
import { parseOptions, splitAtDashDash } from '../args';
import { checkIdsInTiers, checkTagExpression, unknownAdapterMessage } from '../usage-checks';

const usage = `Usage: ese-conformance run [options] [-- COMMAND [ARGS...]]

Runs the JetEndSession conformance suite against one implementation and writes the reports.

Options:
  --adapter NAME        reference (default), process (needs -- COMMAND), or mutant:NAME
  --tier TIER           documented, esent or all (default: all; all runs the suite once per tier)
  --id ID               only this catalogue ID (repeatable), e.g. --id ES-SUCCESS-IDLE
  --tags EXPR           a cucumber tag expression, e.g. "not @needs:threads"
  --order ORDER         defined (default), random, or random:SEED
  --report-dir DIR      where the reports go (default: reports)
  --reports MODE        full (default: matrix, JUnit, cucumber HTML, Allure) or minimal (matrix.json, JUnit)
  --expectations FILE   gate on expected results: exit 0 only when every result matches its entry
  --timeout-ms N        timeout of one call of a process adapter (default 10000)
  --target VERSION      override the implementation's declared target version (${targetVersions.join(', ')})
  --annotations MODE    github (default when GITHUB_ACTIONS=true) or none (default elsewhere): print GitHub
                        workflow annotations (errors for what fails the run, notices for expected failures)
                        and append a Markdown summary to $GITHUB_STEP_SUMMARY when it is set
  -h, --help            this text

Exit codes: 0 every applicable scenario passed (or, with --expectations, every result is as expected);
1 a FAIL, CRASH, TIMEOUT or PROTOCOL_ERROR (or an unexpected result or stale expectation);
2 usage or setup error (nothing selected, nothing applicable, adapter failed to start) or a SUITE_ERROR
(the suite could not reach a verdict: a defect of the suite).`;

interface RunOptions {
  readonly adapter: string;
  readonly tiers: readonly Tier[];
  readonly ids: readonly string[];
  readonly tags?: string;
  readonly order: string;
  readonly reportDir: string;
  readonly mode: ReportMode;
  readonly expectations?: readonly ExpectationEntry[];
  readonly command: readonly string[];
  readonly timeoutMs?: number;
  readonly target?: TargetVersion;
  readonly annotations: 'github' | 'none';
}

function parse(argv: readonly string[], cwd: string, env: NodeJS.ProcessEnv): RunOptions {
  const { own, command } = splitAtDashDash(argv);
  const values = parseOptions('run', own, {
    adapter: { type: 'string', default: 'reference' },
    tier: { type: 'string', default: 'all' },
    id: { type: 'string', multiple: true, default: [] },
    tags: { type: 'string' },
    order: { type: 'string', default: 'defined' },
    'report-dir': { type: 'string', default: 'reports' },
    reports: { type: 'string', default: 'full' },
    expectations: { type: 'string' },
    'timeout-ms': { type: 'string' },
    target: { type: 'string' },
    annotations: { type: 'string' },
  });
  const tier = values.tier as string;
  if (tier !== 'all' && !allTiers.includes(tier as Tier)) throw new UsageError(`--tier ${tier}: use documented, esent or all`);
  const known = new Set(loadCatalogue().entries.map((e) => e.id));
  for (const id of values.id as string[]) {
    if (!known.has(id)) throw new UsageError(`--id ${id}: not a catalogue ID; 'ese-conformance list' shows them`);
  }
  checkIdsInTiers(values.id as string[], tier === 'all' ? allTiers : [tier as Tier], loadCatalogue().entries);
  checkTagExpression(values.tags as string | undefined);
  const order = values.order as string;
  if (!/^(defined|random(:\d+)?)$/.test(order)) throw new UsageError(`--order ${order}: use defined, random or random:SEED`);
  const mode = values.reports as string;
  if (mode !== 'full' && mode !== 'minimal') throw new UsageError(`--reports ${mode}: use full or minimal`);
  let timeoutMs: number | undefined;
  if (values['timeout-ms'] !== undefined) {
    timeoutMs = Number(values['timeout-ms']);
    if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) throw new UsageError(`--timeout-ms ${values['timeout-ms']}: give a positive whole number of milliseconds`);
  }
  const target = values.target as string | undefined;
  if (target !== undefined && !targetVersions.includes(target as TargetVersion)) {
    throw new UsageError(`--target ${target}: use one of ${targetVersions.join(', ')}`);
  }
  const annotations = (values.annotations as string | undefined) ?? (env.GITHUB_ACTIONS === 'true' ? 'github' : 'none');
  if (annotations !== 'github' && annotations !== 'none') throw new UsageError(`--annotations ${annotations}: use github or none`);
  let expectations: ExpectationEntry[] | undefined;
  if (values.expectations !== undefined) {
    const file = path.resolve(cwd, values.expectations as string);
    if (!fs.existsSync(file)) throw new UsageError(`--expectations ${values.expectations}: no such file`);
    try {
      expectations = readExpectations(file);
    } catch (e) {
      throw new UsageError((e as Error).message.split('\n')[0]);
    }
  }
  return {
    adapter: values.adapter as string,
    tiers: tier === 'all' ? allTiers : [tier as Tier],
    ids: values.id as string[],
    ...(values.tags === undefined ? {} : { tags: values.tags as string }),
    order,
    reportDir: path.resolve(cwd, values['report-dir'] as string),
    mode,
    ...(expectations === undefined ? {} : { expectations }),
    command,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(target === undefined ? {} : { target: target as TargetVersion }),
    annotations,
  };
}

async function open(options: RunOptions): Promise<Implementation> {
  const factory = resolveAdapter(options.adapter);
  if (factory === undefined) {
    throw new UsageError(unknownAdapterMessage(options.adapter, adapterNames()));
  }
  if (options.adapter === 'process' && options.command.length === 0) {
    throw new UsageError('--adapter process needs the command to start after --, e.g. -- ./my-ese-bridge --stdio');
  }
  // Only the process adapter starts a command: anything else would silently test another engine.
  if (options.adapter !== 'process' && options.command.length > 0) {
    throw new UsageError(`--adapter ${options.adapter} takes no command, but '-- ${options.command[0]}' was given; to test that program use --adapter process -- ${options.command[0]}`);
  }
  const opened = await factory.open({
    command: options.command,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.target === undefined ? {} : { target: options.target }),
  });
  if ('error' in opened) throw new UsageError(`adapter ${options.adapter} did not start: ${opened.error}`);
  return opened;
}

/** Exit code of a run without expectations: outcomes.md "Exit codes"; a SUITE_ERROR (the suite's own defect) is 2. */
export function exitCode(matrix: Matrix): 0 | 1 | 2 {
  if (matrix.scenarios.some((s) => s.status === 'SUITE_ERROR')) return 2;
  return matrix.scenarios.some((s) => s.status !== 'PASS' && s.status !== 'NOT_APPLICABLE') ? 1 : 0;
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const options = parse(argv, io.cwd, io.env);
  // cucumber and Allure's runtime load here, not at start-up: `run --help` and usage errors stay fast.
  const { runSuite } = require('../../harness/runner') as typeof import('../../harness/runner');
  const { annotateAllure } = require('../../reporting/allure-runtime') as typeof import('../../reporting/allure-runtime');
  const impl = await open(options);
  try {
    fs.mkdirSync(options.reportDir, { recursive: true });
    clearReports(options.reportDir);
    const progress = createProgress({ write: (t) => process.stderr.write(t), isTTY: process.stderr.isTTY === true });
    const { matrix, selected } = await runSuite({
      impl,
      adapterName: options.adapter,
      tiers: options.tiers,
      ids: options.ids,
      ...(options.tags === undefined ? {} : { tags: options.tags }),
      order: options.order,
      formats: (tier) => cucumberFormats({ reportDir: options.reportDir, tier, mode: options.mode }),
      ...(options.mode === 'full' ? { annotate: annotateAllure } : {}),
      onTierStart: (tier) => progress.tierStarted(tier),
      onScenario: (r) => progress.scenarioFinished(r),
    });
    progress.finish();
    if (selected === 0) throw new UsageError('no scenario matched the tier, --id and --tags given; check the tag expression');
    fs.writeFileSync(path.join(options.reportDir, 'matrix.json'), JSON.stringify(matrix, null, 2) + '\n');
    if (matrix.scenarios.every((s) => s.status === 'NOT_APPLICABLE')) {
      io.err(`ese-conformance run: no selected scenario applies to ${impl.info.name}: ${matrix.scenarios[0]?.reason ?? ''}`);
      return 2;
    }
    const reports = await writeReports(matrix, { reportDir: options.reportDir, mode: options.mode });
    for (const line of summaryLines(matrix, [path.join(options.reportDir, 'matrix.json'), ...reports.written], { cwd: io.cwd })) io.out(line);
    for (const warning of reports.warnings) io.err(`warning: ${warning}`);
    const gate = options.expectations === undefined ? undefined : checkExpectations(matrix, options.expectations);
    if (options.annotations === 'github') publishToGitHub(matrix, gate, io);
    const suiteErrors = matrix.scenarios.filter((s) => s.status === 'SUITE_ERROR').length;
    if (suiteErrors > 0) io.err(`ese-conformance run: ${suiteErrors} SUITE_ERROR result${suiteErrors === 1 ? '' : 's'}: the suite could not reach a verdict there (a defect of the suite, not of the implementation); exit 2`);
    if (gate !== undefined) {
      for (const line of gate.lines) io.out(line);
      return suiteErrors > 0 ? 2 : gate.ok ? 0 : 1;
    }
    return exitCode(matrix);
  } finally {
    await impl.close();
  }
}

/** GitHub Actions: workflow annotations on stdout; the summary appended to $GITHUB_STEP_SUMMARY when it is set. */
function publishToGitHub(matrix: Matrix, gate: GateResult | undefined, io: CliIo): void {
  for (const line of githubAnnotations(matrix, gate)) io.out(line);
  const summary = io.env.GITHUB_STEP_SUMMARY;
  if (summary === undefined || summary === '') return;
  try {
    fs.appendFileSync(summary, stepSummaryMarkdown(matrix, gate) + '\n');
  } catch (e) {
    io.err(`warning: cannot append the run summary to GITHUB_STEP_SUMMARY (${summary}): ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}

export const command: Command = {
  name: 'run',
  summary: 'run the suite against an implementation and write the reports',
  usage,
  run,
};
