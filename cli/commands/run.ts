/** `ese-conformance run`: the suite against one implementation, its reports, and the gate. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { targetVersions, type Implementation, type TargetVersion } from '../../adapters';
import { matrixSchemaVersion, rollUp, summarise, tiers as allTiers, type Matrix, type ScenarioResult, type Tier } from '../../harness/results';
import type { ImplementationFault } from '../../adapters/types';
import { defaultScenarioTimeoutMs, defaultTimeoutMs } from '../../adapters/process/wire';
import { killAllGroups } from '../../adapters/process/group';
import { packageVersion } from '../../harness/package-root';
import { neutralise, safePrinter } from '../../text/terminal';
import { loadCatalogue } from '../../harness/catalogue';
import { checkExpectations, readExpectations, type ExpectationEntry, type GateResult } from '../../reporting/expectations';
import { clearReports, cucumberFormats, type ReportMode } from '../../reporting/formats';
import { githubAnnotations, stepSummaryMarkdown } from '../../reporting/github';
import { createProgress, summaryLines } from '../../reporting/progress';
import { prepareReportDir, writeFileAtomic, writeReports } from '../../reporting/write';
import { stopWarmAllure } from '../../reporting/allure-generate';
import { UsageError, type CliIo, type Command } from '../command';
import { parseOptions, splitAtDashDash } from '../args';
import { checkIdsInTiers, checkTagExpression } from '../usage-checks';
import { openImplementation, type OpenOptions } from '../open-implementation';
import { stopWorkers } from '../workers';
import { withLateFault as scenarioWithLateFault } from '../../harness/result-messages';

import { summary, usage } from './run-usage';

/**
 * Cucumber's step timeout in a run: above every limit the adapter owns, so that a hang is the
 * adapter's TIMEOUT with its reason, never cucumber's "function timed out". A step may span a
 * restart and an in-scenario reset: two scenario limits, two call limits, and a margin.
 */
export function cucumberStepTimeoutMs(callTimeoutMs: number, scenarioTimeoutMs: number): number {
  return 2 * scenarioTimeoutMs + 2 * callTimeoutMs + 30_000;
}

interface RunOptions {
  readonly adapter: string;
  /** --adapter-module: the user's adapter module, resolved against the working folder. */
  readonly adapterModule?: { readonly file: string; readonly cwd: string };
  readonly tiers: readonly Tier[];
  readonly ids: readonly string[];
  readonly tags?: string;
  readonly order: string;
  readonly reportDir: string;
  readonly mode: ReportMode;
  readonly expectations?: readonly ExpectationEntry[];
  readonly command: readonly string[];
  readonly timeoutMs?: number;
  readonly scenarioTimeoutMs?: number;
  readonly budgetMs?: number;
  readonly target?: TargetVersion;
  readonly annotations: 'github' | 'none';
  /** --parallel N: cucumber's worker processes (absent: one process, serial). */
  readonly parallel?: number;
}

/** `90m`, `2h`, `600s`, `1500ms`; a bare number is seconds. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) return undefined;
  const ms = Math.round(Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h']);
  return ms > 0 && Number.isSafeInteger(ms) ? ms : undefined;
}

function positiveMs(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const v = Number(text);
  if (!Number.isInteger(v) || v <= 0) throw new UsageError('ERR_ESE_INVALID_VALUE', `${flag} ${text}: give a positive whole number of milliseconds`);
  return v;
}

function parse(argv: readonly string[], cwd: string, env: NodeJS.ProcessEnv): RunOptions {
  const { own, command } = splitAtDashDash(argv);
  const values = parseOptions('run', own, {
    adapter: { type: 'string', default: 'reference' },
    'adapter-module': { type: 'string' },
    tier: { type: 'string', default: 'all' },
    id: { type: 'string', multiple: true, default: [] },
    tags: { type: 'string' },
    order: { type: 'string', default: 'defined' },
    'report-dir': { type: 'string', default: 'reports' },
    reports: { type: 'string', default: 'full' },
    expectations: { type: 'string' },
    'timeout-ms': { type: 'string' },
    'scenario-timeout-ms': { type: 'string' },
    budget: { type: 'string' },
    target: { type: 'string' },
    annotations: { type: 'string' },
    parallel: { type: 'string' },
  });
  const tier = values.tier as string;
  if (tier !== 'all' && !allTiers.includes(tier as Tier)) throw new UsageError('ERR_ESE_INVALID_VALUE', `--tier ${tier}: use documented, esent or all`);
  const known = new Set(loadCatalogue().entries.map((e) => e.id));
  for (const id of values.id as string[]) {
    if (!known.has(id)) throw new UsageError('ERR_ESE_UNKNOWN_ID', `--id ${id}: not a catalogue ID; 'ese-conformance list' shows them`);
  }
  checkIdsInTiers(values.id as string[], tier === 'all' ? allTiers : [tier as Tier], loadCatalogue().entries);
  checkTagExpression(values.tags as string | undefined);
  const order = values.order as string;
  if (!/^(defined|random(:\d+)?)$/.test(order)) throw new UsageError('ERR_ESE_INVALID_VALUE', `--order ${order}: use defined, random or random:SEED`);
  const mode = values.reports as string;
  if (mode !== 'full' && mode !== 'minimal') throw new UsageError('ERR_ESE_INVALID_VALUE', `--reports ${mode}: use full or minimal`);
  const timeoutMs = positiveMs('--timeout-ms', values['timeout-ms'] as string | undefined);
  const scenarioTimeoutMs = positiveMs('--scenario-timeout-ms', values['scenario-timeout-ms'] as string | undefined);
  let budgetMs: number | undefined;
  if (values.budget !== undefined) {
    budgetMs = parseDuration(values.budget as string);
    if (budgetMs === undefined) throw new UsageError('ERR_ESE_INVALID_VALUE', `--budget ${String(values.budget)}: give a duration such as 90m, 2h or 600s`);
  }
  const target = values.target as string | undefined;
  if (target !== undefined && !targetVersions.includes(target as TargetVersion)) {
    throw new UsageError('ERR_ESE_INVALID_VALUE', `--target ${target}: use one of ${targetVersions.join(', ')}`);
  }
  let parallel: number | undefined;
  if (values.parallel !== undefined) {
    parallel = Number(values.parallel);
    if (!Number.isInteger(parallel) || parallel < 1 || parallel > 64) throw new UsageError('ERR_ESE_INVALID_VALUE', `--parallel ${String(values.parallel)}: give a number of workers from 1 to 64`);
  }
  const annotations = (values.annotations as string | undefined) ?? (env.GITHUB_ACTIONS === 'true' ? 'github' : 'none');
  if (annotations !== 'github' && annotations !== 'none') throw new UsageError('ERR_ESE_INVALID_VALUE', `--annotations ${annotations}: use github or none`);
  let expectations: ExpectationEntry[] | undefined;
  if (values.expectations !== undefined) {
    const given = values.expectations as string;
    const file = path.resolve(cwd, given);
    if (!fs.existsSync(file)) throw new UsageError('ERR_ESE_FILE_NOT_FOUND', `--expectations ${given}: no such file`);
    try {
      expectations = readExpectations(file);
    } catch (e) {
      throw new UsageError(e instanceof UsageError ? e.code : 'ERR_ESE_EXPECTATIONS_SYNTAX', (e as Error).message.split('\n')[0]);
    }
  }
  const adapterModule = values['adapter-module'] as string | undefined;
  if (adapterModule !== undefined && own.some((a) => a === '--adapter' || a.startsWith('--adapter='))) {
    throw new UsageError('ERR_ESE_CONFLICTING_OPTIONS', `--adapter-module ${adapterModule} replaces --adapter: give one of them`);
  }
  return {
    adapter: adapterModule === undefined ? (values.adapter as string) : `module:${adapterModule}`,
    ...(adapterModule === undefined ? {} : { adapterModule: { file: adapterModule, cwd } }),
    tiers: tier === 'all' ? allTiers : [tier as Tier],
    ids: values.id as string[],
    ...(values.tags === undefined ? {} : { tags: values.tags as string }),
    order,
    reportDir: path.resolve(cwd, values['report-dir'] as string),
    mode,
    ...(expectations === undefined ? {} : { expectations }),
    command,
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(scenarioTimeoutMs === undefined ? {} : { scenarioTimeoutMs }),
    ...(budgetMs === undefined ? {} : { budgetMs }),
    ...(target === undefined ? {} : { target: target as TargetVersion }),
    annotations,
    ...(parallel === undefined || parallel === 1 ? {} : { parallel }),
  };
}

/** What opens the implementation, as plain JSON: `run` opens it, and so does each parallel worker. */
function openOptions(options: RunOptions, runStartedAt?: number): OpenOptions {
  return {
    adapter: options.adapter,
    ...(options.adapterModule === undefined ? {} : { adapterModule: options.adapterModule }),
    command: options.command,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.scenarioTimeoutMs === undefined ? {} : { scenarioTimeoutMs: options.scenarioTimeoutMs }),
    ...(options.budgetMs === undefined ? {} : { budgetMs: options.budgetMs }),
    ...(options.target === undefined ? {} : { target: options.target }),
    ...(runStartedAt === undefined ? {} : { runStartedAt }),
  };
}

/** Exit code of a run without expectations: outcomes.md "Exit codes"; a SUITE_ERROR (the suite's own defect) is 2. */
export function exitCode(matrix: Matrix): 0 | 1 | 2 {
  if (matrix.scenarios.some((s) => s.status === 'SUITE_ERROR')) return 2;
  return matrix.scenarios.some((s) => s.status !== 'PASS' && s.status !== 'NOT_APPLICABLE') ? 1 : 0;
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const options = parse(argv, io.cwd, io.env);
  // Every line may carry implementation-supplied text (names, reasons): neutralised for CI logs.
  const out = safePrinter(io.out);
  const err = safePrinter(io.err);
  // Checked before anything starts: an unusable folder must not cost a run and its results.
  const problem = prepareReportDir(options.reportDir);
  if (problem !== undefined) throw new UsageError('ERR_ESE_REPORT_DIR', `--report-dir ${neutralise(options.reportDir)}: ${problem}`);
  // The previous run's files go first: nothing left in the folder can pass for this run's.
  clearReports(options.reportDir);
  fs.rmSync(path.join(options.reportDir, 'matrix.json'), { force: true });
  // cucumber and Allure's runtime load here, not at start-up: `run --help` and usage errors stay fast.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose (see above); typed by the cast
  const { runSuite } = require('../../harness/runner') as typeof import('../../harness/runner');
  const startedAt = new Date();
  const finished: ScenarioResult[] = [];
  const progress = createProgress({ write: (t) => process.stderr.write(t), isTTY: process.stderr.isTTY === true });
  const matrixFile = path.join(options.reportDir, 'matrix.json');
  let impl: Implementation | undefined;
  // An in-process implementation (--adapter-module) shares this process: its process.exit() (code 0
  // by default) would end the run with no verdict, no matrix and a green exit code.
  const disarm = guardExit((code) => err(`ese-conformance run: the process exited (code ${code}) before the run finished, after ${finished.length} scenario results: something in this process called process.exit (an in-process implementation, --adapter-module?); no matrix was written; exit ${code === 0 ? 1 : code}`));
  // From before the implementation starts: a signal during its handshake must not orphan it.
  const stopListening = onInterrupt((signal) => {
    disarm();
    return interrupted(signal, [...finished]);
  });
  /** SIGINT/SIGTERM: the group killed, what finished written as a partial matrix, exit 130/143. */
  async function interrupted(signal: NodeJS.Signals, done: ScenarioResult[]): Promise<never> {
    killAllGroups();
    stopWarmAllure();
    // --parallel: each worker ends its own implementation's groups (they are not this process's).
    if (options.parallel !== undefined) await stopWorkers(5_000);
    progress.finish();
    const code = signal === 'SIGINT' ? 130 : 143;
    if (impl === undefined) {
      err(`ese-conformance run: interrupted by ${signal} before the first scenario; nothing was written`);
      process.exit(code);
    }
    try {
      const matrix = partialMatrix(done, options, impl, startedAt);
      writeFileAtomic(matrixFile, JSON.stringify(matrix, null, 2) + '\n');
      await writeReports(matrix, { reportDir: options.reportDir, mode: options.mode, allure: false });
      err(`ese-conformance run: interrupted by ${signal}: the ${done.length} scenario results finished before it are in ${matrixFile}, marked "interrupted": true`);
    } catch (e) {
      err(`ese-conformance run: interrupted by ${signal}; the partial results could not be written: ${(e as Error).message}`);
    }
    killAllGroups();
    process.exit(code);
  }
  try {
    impl = await openImplementation(openOptions(options));
  } catch (e) {
    stopListening();
    disarm();
    throw e;
  }
  let closed = false;
  try {
    // --parallel: each worker opens its own; this one only proved the implementation starts (a
    // failed start is exit 2 before any worker runs) and gave its info for the matrix.
    if (options.parallel !== undefined) {
      closed = true;
      await impl.close();
    }
    const cm = options.timeoutMs ?? defaultTimeoutMs;
    const sm = options.scenarioTimeoutMs ?? Math.max(defaultScenarioTimeoutMs, cm);
    const { matrix: ran, selected } = await runSuite({
      impl,
      adapterName: options.adapter,
      tiers: options.tiers,
      ids: options.ids,
      ...(options.tags === undefined ? {} : { tags: options.tags }),
      order: options.order,
      formats: (tier) => cucumberFormats({ reportDir: options.reportDir, tier, mode: options.mode }),
      // Allure's own attachment carries the trace (reporting/allure-formatter.ts).
      attachTrace: false,
      ...(options.parallel === undefined ? {} : { parallel: { workers: options.parallel, recipe: { opener: require.resolve('../open-implementation'), options: openOptions(options, startedAt.getTime()) } } }),
      onTierStart: (tier) => progress.tierStarted(tier),
      onScenario: (r) => {
        finished.push(r);
        progress.scenarioFinished(r);
      },
      stepTimeoutMs: cucumberStepTimeoutMs(cm, sm),
    });
    progress.finish();
    const late = closed ? undefined : impl.finish !== undefined ? await impl.finish() : await impl.close().then(() => undefined);
    closed = true;
    if (selected === 0) throw new UsageError('ERR_ESE_NOTHING_SELECTED', 'no scenario matched the tier, --id and --tags given; check the tag expression');
    const matrix = late === undefined ? ran : withLateFault(ran, late);
    writeFileAtomic(matrixFile, JSON.stringify(matrix, null, 2) + '\n');
    if (matrix.scenarios.every((s) => s.status === 'NOT_APPLICABLE')) {
      err(`ese-conformance run: no selected scenario applies to ${impl.info.name}: ${matrix.scenarios[0]?.reason ?? ''}`);
      return 2;
    }
    const reports = await writeReports(matrix, { reportDir: options.reportDir, mode: options.mode });
    for (const line of summaryLines(matrix, [matrixFile, ...reports.written], { cwd: io.cwd })) out(line);
    for (const warning of reports.warnings) err(`warning: ${warning}`);
    const gate = options.expectations === undefined ? undefined : checkExpectations(matrix, options.expectations);
    if (options.annotations === 'github') publishToGitHub(matrix, gate, io);
    const suiteErrors = matrix.scenarios.filter((s) => s.status === 'SUITE_ERROR').length;
    // Each SUITE_ERROR reason ends with its code (harness/error-codes.ts): the line names them all.
    const suiteCodes = [...new Set(matrix.scenarios.flatMap((s) => (s.status === 'SUITE_ERROR' ? (/\[(ERR_ESE_SUITE_\w+)\]$/.exec(s.reason ?? '')?.slice(1) ?? ['ERR_ESE_SUITE_INTERNAL']) : [])))].sort();
    if (suiteErrors > 0) err(`ese-conformance run: ${suiteErrors} SUITE_ERROR result${suiteErrors === 1 ? '' : 's'}: the suite could not reach a verdict there (a defect of the suite, not of the implementation); exit 2 [${suiteCodes.join(', ')}]`);
    if (gate !== undefined) {
      for (const line of gate.lines) out(line);
      return suiteErrors > 0 ? 2 : gate.ok ? 0 : 1;
    }
    return exitCode(matrix);
  } finally {
    stopListening();
    if (!closed) await impl.close();
    disarm();
  }
}

/**
 * Until disarmed, an exit of this process is one the run did not decide: `report` says so, and the
 * exit code is never 0 (an exit listener may still set it). Returns the disarmer.
 */
export function guardExit(report: (code: number) => void): () => void {
  const listener = (code: number) => {
    report(code);
    if (code === 0) process.exitCode = 1;
  };
  process.on('exit', listener);
  return () => process.off('exit', listener);
}

/** Calls `handler` on SIGINT or SIGTERM (once; a second signal exits at once); returns the remover. */
function onInterrupt(handler: (signal: NodeJS.Signals) => Promise<never>): () => void {
  let handling = false;
  const listener = (signal: NodeJS.Signals) => {
    if (handling) {
      killAllGroups();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    }
    handling = true;
    void handler(signal);
  };
  process.on('SIGINT', listener);
  process.on('SIGTERM', listener);
  return () => {
    process.off('SIGINT', listener);
    process.off('SIGTERM', listener);
  };
}

/** The matrix of the scenarios finished before an interruption, marked as such. */
function partialMatrix(done: readonly ScenarioResult[], options: RunOptions, impl: Implementation, startedAt: Date): Matrix {
  const catalogue = loadCatalogue();
  const { ids, scores } = summarise(done, catalogue.entries, options.tiers);
  return {
    schemaVersion: matrixSchemaVersion,
    suite: { name: 'ese-conformance', version: packageVersion() },
    catalogueVersion: catalogue.version,
    adapter: options.adapter,
    implementation: impl.info,
    tiers: options.tiers,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    interrupted: true,
    scores,
    ids,
    scenarios: done,
  };
}

/**
 * A fault after the last scenario's last call (a repeated answer, garbage, a crash by a signal): no later
 * scenario can carry it, so the last scenario that talked to the implementation does, and its ID
 * and tier score are rolled up again.
 */
export function withLateFault(matrix: Matrix, fault: ImplementationFault): Matrix {
  const at = matrix.scenarios.map((s) => s.status !== 'NOT_APPLICABLE').lastIndexOf(true);
  if (at < 0) return matrix;
  const last = matrix.scenarios[at];
  // Its kind as the fault's: a process killed by a signal before shutdown is a CRASH.
  const patched: ScenarioResult = scenarioWithLateFault(last, fault);
  const scenarios = matrix.scenarios.map((s, i) => (i === at ? patched : s));
  const ids = matrix.ids.map((r) =>
    r.id === last.catalogueId && r.tier === last.tier
      ? { ...r, status: rollUp(scenarios.filter((s) => s.tier === r.tier && s.catalogueId === r.id).map((s) => s.status)) }
      : r,
  );
  const scores = matrix.scores.map((sc) => {
    if (sc.tier !== last.tier) return sc;
    const mine = ids.filter((r) => r.tier === sc.tier);
    const passed = mine.filter((r) => r.status === 'PASS').length;
    const applicable = mine.filter((r) => r.status !== 'NOT_APPLICABLE' && (r.status as string) !== 'NOT_RUN').length;
    return { ...sc, passed, applicable, score: applicable === 0 ? null : passed / applicable };
  });
  return { ...matrix, scenarios, ids, scores };
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
  summary,
  usage,
  run,
};
