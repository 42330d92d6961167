/**
 * Runs the package's own features through cucumber's API against one implementation, once per
 * tier, and gathers the verdicts into a Matrix: each scenario's verdict is read from cucumber's
 * message stream (harness/result-messages.ts), in this process or from cucumber's parallel workers. No cucumber config file or TypeScript tooling is
 * needed at run time: the steps are loaded from this package (compiled JavaScript when installed).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { loadConfiguration, loadSupport, runCucumber, type ILoadSupportOptions, type IConfiguration, type IRunOptionsRuntime } from '@cucumber/cucumber/api';
import type { Implementation } from '../adapters/types';
import { loadCatalogue } from './catalogue';
import { matrixSchemaVersion, summarise, type Matrix, type ScenarioResult, type Selection, type Tier } from './results';
import { lendImplementation, readLateFaults, readWorkerExits, runParameterKey, type ImplementationRecipe, type RunParameters } from './run-state';
import { ResultCollector } from './result-messages';
import { parseFeaturesOnce } from './gherkin-cache';
import { rememberStepMatches } from './step-matches';
import { packageRoot, packageVersion } from './package-root';

export { packageRoot };

export interface TierFormats {
  readonly format: (string | [string, string])[];
  readonly formatOptions: Record<string, unknown>;
}

export interface SuiteRunOptions {
  readonly impl: Implementation;
  readonly adapterName: string;
  readonly tiers: readonly Tier[];
  /** A cucumber tag expression, ANDed with the tier's tag. */
  readonly tags?: string;
  /** Catalogue IDs to run; all when empty. */
  readonly ids?: readonly string[];
  /** 'defined', 'random' or 'random:<seed>'. */
  readonly order?: string;
  /** Feature files or folders; the package's features/ by default. */
  readonly paths?: readonly string[];
  readonly formats?: (tier: Tier) => TierFormats;
  /** Attach each scenario's trace as text for cucumber's reports (default: when there are formats). */
  readonly attachTrace?: boolean;
  /** Called as each scenario's verdict arrives in cucumber's message stream (progress, partial results). */
  readonly onScenario?: (result: ScenarioResult) => void;
  /**
   * Cucumber's parallel workers: each opens its own implementation from `recipe` (so `impl` only
   * supplies the matrix's implementation info). The matrix is the serial run's: same verdicts, same order.
   */
  readonly parallel?: { readonly workers: number; readonly recipe: ImplementationRecipe };
  readonly onTierStart?: (tier: Tier) => void;
  /** Step definition files (globs); the package's steps by default. For benchmarks and tools. */
  readonly supportPaths?: readonly string[];
  /**
   * Cucumber's step and hook timeout. The adapter owns the timeouts (per call, per scenario, per run:
   * docs/protocol.md section 10); this is a safety net set above them, so that it never fires first.
   */
  readonly stepTimeoutMs?: number;
}

/**
 * Above the process adapter's defaults (10 s per request, 10 min per scenario; a step may span a
 * restart and an in-scenario reset): a net only, which never fires before the adapter's limits.
 */
export const defaultStepTimeoutMs = 1_250_000;

const fromSource = __filename.endsWith('.ts');

/** Modules a parallel worker loads before the steps: ts-node when the steps are TypeScript. */
function workerModules(): string[] {
  return fromSource ? [path.join(__dirname, 'ts-node-once.cjs')] : [];
}

function stepsGlob(): string {
  const ext = __filename.endsWith('.ts') ? 'ts' : 'js';
  return path.join(packageRoot, __filename.endsWith('.ts') ? '' : 'dist', 'steps', `**/*.${ext}`).replace(/\\/g, '/');
}

type SupportLibrary = Awaited<ReturnType<typeof loadSupport>>;
const supportLibraries = new Map<string, SupportLibrary>();

/** Cucumber registers step definitions when their modules load, which happens once per process. */
async function supportLibrary(key: string, runConfiguration: ILoadSupportOptions): Promise<SupportLibrary> {
  let library = supportLibraries.get(key);
  if (library === undefined) {
    library = await loadSupport(runConfiguration, { cwd: packageRoot });
    rememberStepMatches(library);
    supportLibraries.set(key, library);
  }
  return library;
}

/** A step definition of the support code loaded in this process (for tools: the mutant campaign). */
export interface LoadedStepDefinition {
  /** The pattern as written: a regular expression's source, or a cucumber expression. */
  readonly pattern: string;
  readonly keyword: string;
  readonly uri: string;
  readonly line: number;
  readonly matches: (stepText: string) => boolean;
}

/** What a loaded library holds beyond its public type (cucumber's SupportCodeLibrary). */
interface LibraryInternals {
  readonly stepDefinitions?: readonly { pattern: string | RegExp; keyword: string; uri: string; line: number; matchesStepName(text: string): boolean }[];
}

/** Every step definition of the support libraries loaded so far. */
export function loadedStepDefinitions(): LoadedStepDefinition[] {
  const defs: LoadedStepDefinition[] = [];
  for (const library of supportLibraries.values()) {
    for (const d of (library as unknown as LibraryInternals).stepDefinitions ?? []) {
      const pattern = typeof d.pattern === 'string' ? d.pattern : d.pattern.source;
      defs.push({ pattern, keyword: d.keyword, uri: d.uri, line: d.line, matches: (text) => d.matchesStepName(text) });
    }
  }
  return defs;
}

export function tagExpression(tier: Tier, tags?: string, ids?: readonly string[]): string {
  const parts = [`@${tier}`];
  if (ids !== undefined && ids.length > 0) parts.push(`(${ids.map((id) => `@${id}`).join(' or ')})`);
  if (tags !== undefined && tags.trim() !== '') parts.push(`(${tags})`);
  return parts.join(' and ');
}

/**
 * cucumber always runs a stdout formatter ('progress' when none is named), and this runner hands it
 * a null stream: its work (a line per step, then every failure formatted again for the summary) is
 * thrown away, a few per cent of a mutant campaign, where most scenarios fail. A formatter plugin
 * that subscribes to nothing takes its place; the report formats (files) are untouched.
 */
const silentStdoutFormatter = 'data:text/javascript,export default { type: "formatter", formatter() {} }';

const nullStream = () =>
  new Writable({
    write(_chunk, _encoding, done) {
      done();
    },
  });

export interface SuiteRun {
  readonly matrix: Matrix;
  /** Scenarios selected across the tiers run (applicable or not). */
  readonly selected: number;
}

export async function runSuite(options: SuiteRunOptions): Promise<SuiteRun> {
  const startedAt = new Date();
  const results: ScenarioResult[] = [];
  /** "<tier> <ID>" -> scenarios the features hold, selected or not (from each tier's run: no second parse). */
  const available = new Map<string, number>();
  parseFeaturesOnce();
  for (const tier of options.tiers) {
    const formats = options.formats?.(tier) ?? { format: [], formatOptions: {} };
    const { runConfiguration } = await loadConfiguration(
      {
        file: false,
        provided: {
          paths: (options.paths ?? [path.join(packageRoot, 'features')]).map((p) => p.replace(/\\/g, '/')),
          require: [...(options.supportPaths ?? [stepsGlob()])],
          tags: tagExpression(tier, options.tags, options.ids),
          order: (options.order ?? 'defined') as 'defined',
          format: formats.format,
          formatOptions: formats.formatOptions as IConfiguration['formatOptions'],
          strict: true,
        },
      },
      { cwd: packageRoot, stdout: nullStream(), stderr: process.stderr },
    );
    options.onTierStart?.(tier);
    const collector = new ResultCollector(tier, options.onScenario);
    // Serial: the scenarios borrow `impl`. Parallel: each worker opens its own from the recipe.
    const lent = options.parallel === undefined ? lendImplementation(options.impl) : undefined;
    // Where parallel workers leave a late fault of their implementation (run-state.ts reportLateFault).
    const lateFaultDir = options.parallel === undefined ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'ese-conformance-late-'));
    // Also when an interrupted run exits from its signal handler, past the finally below.
    const removeLateFaultDir = () => lateFaultDir !== undefined && fs.rmSync(lateFaultDir, { recursive: true, force: true });
    if (lateFaultDir !== undefined) process.once('exit', removeLateFaultDir);
    const parameters: RunParameters = {
      tier,
      attachTrace: formats.format.length > 0 && options.attachTrace !== false,
      // Nothing but this runner reads the verdicts' attachments: no format, no worker process.
      ...(formats.format.length === 0 && options.parallel === undefined ? { verdictsInProcess: true } : {}),
      implementation: options.parallel !== undefined ? { open: options.parallel.recipe, info: options.impl.info } : { lent: lent?.key ?? '' },
      ...(lateFaultDir === undefined ? {} : { lateFaultDir }),
    };
    try {
      // loadConfiguration gives coordinates here (paths to load), never an already-loaded library.
      const support = runConfiguration.support;
      const library = await supportLibrary((options.supportPaths ?? [stepsGlob()]).join('\n'), { sources: runConfiguration.sources, support: { ...support, requireModules: [...(support.requireModules ?? []), ...workerModules()] } });
      const withTimeout = { ...library, defaultTimeout: options.stepTimeoutMs ?? defaultStepTimeoutMs };
      // Plain JSON (the type says so): cucumber hands the world parameters to each worker.
      const worldParameters = { ...runConfiguration.runtime.worldParameters, [runParameterKey]: parameters as unknown as IRunOptionsRuntime['worldParameters'] };
      await runCucumber(
        {
          ...runConfiguration,
          formats: { ...runConfiguration.formats, stdout: silentStdoutFormatter },
          support: withTimeout,
          runtime: { ...runConfiguration.runtime, parallel: options.parallel?.workers ?? 0, worldParameters },
        },
        { cwd: packageRoot, stdout: nullStream(), stderr: process.stderr },
        collector.onMessage,
      );
      // Every worker has ended: what each left is complete.
      if (lateFaultDir !== undefined) {
        for (const { workerId, fault } of readLateFaults(lateFaultDir)) collector.lateFault(workerId, fault);
        for (const { workerId, fault } of readWorkerExits(lateFaultDir)) collector.workerExited(workerId, fault);
      }
    } finally {
      lent?.release();
      removeLateFaultDir();
      process.off('exit', removeLateFaultDir);
    }
    results.push(...collector.verdicts());
    for (const [id, n] of collector.availableScenarios()) available.set(`${tier} ${id}`, n);
  }
  const catalogue = loadCatalogue();
  const { ids, scores, scenariosNotRun } = summarise(results, catalogue.entries, options.tiers, (tier, id) => available.get(`${tier} ${id}`) ?? 0);
  const selection: Selection = {
    ids: options.ids ?? [],
    tags: options.tags === undefined || options.tags.trim() === '' ? null : options.tags,
    scenariosNotRun,
    complete: scenariosNotRun === 0 && ids.every((r) => r.status !== 'NOT_RUN'),
  };
  const matrix: Matrix = {
    schemaVersion: matrixSchemaVersion,
    suite: { name: 'ese-conformance', version: packageVersion() },
    catalogueVersion: catalogue.version,
    adapter: options.adapterName,
    implementation: options.impl.info,
    tiers: options.tiers,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    selection,
    scores,
    ids,
    scenarios: results,
  };
  return { matrix, selected: results.length };
}

