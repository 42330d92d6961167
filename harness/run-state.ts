/**
 * What a suite run hands to the step definitions, which cucumber loads as plain modules. Only the
 * implementation under test and the tier go this way, as cucumber world parameters (serialisable,
 * so they reach cucumber's parallel workers); verdicts travel back as data in cucumber's message
 * stream (harness/result-messages.ts), never through a slot here.
 *
 * The implementation is named, not passed: in a serial run the runner lends the one it was given
 * (`lendImplementation`); in a parallel run each worker opens its own from a description (an opener
 * module and its JSON options) in its BeforeAll hook and closes it in its AfterAll hook.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Implementation, ImplementationFault, ImplementationInfo } from '../adapters/types';
import { killAllGroups } from '../adapters/process/group';
import type { Tier } from './results';

/** The world parameter `ese-conformance run` sets (other keys are plain cucumber-js's: standalone.ts). */
export const runParameterKey = 'eseRun';

/** How a worker opens its own implementation: `require(opener)[openerExport](options)`. */
export interface ImplementationRecipe {
  /** Absolute path of a CommonJS module (the CLI's cli/open-implementation). */
  readonly opener: string;
  /** JSON options for it (adapter name, command, timeouts, budget, ...). */
  readonly options: unknown;
}

export interface RunParameters {
  readonly tier: Tier;
  /** Attach each scenario's trace as text for cucumber's own reports (only worth it when they are written). */
  readonly attachTrace: boolean;
  /**
   * The verdicts' only reader is the runner in this process (a serial run, no cucumber format): each
   * verdict's attachment refers to it instead of carrying its JSON (harness/result-messages.ts referToResult).
   */
  readonly verdictsInProcess?: boolean;
  /**
   * One lent by this process (serial run), or how each worker opens one (parallel run), with the
   * info the run's own start of it declared (for a worker whose start fails).
   */
  readonly implementation: { readonly lent: string } | { readonly open: ImplementationRecipe; readonly info: ImplementationInfo };
  /**
   * A parallel run's folder for the workers' late faults (reportLateFault): the runner reads it
   * after the workers have ended (readLateFaults) and removes it.
   */
  readonly lateFaultDir?: string;
}

/** The implementation and tier one scenario runs against. */
export interface ScenarioSetup {
  readonly impl: Implementation;
  readonly tier: Tier;
  readonly attachTrace: boolean;
  /** As RunParameters.verdictsInProcess. */
  readonly verdictsInProcess?: boolean;
}

/** Implementations this process can hand to its scenarios, by key: lent by a runner, or opened by a worker. */
const available = new Map<string, Implementation>();
let lastKey = 0;

/** Lends `impl` to the scenarios of a serial run; the returned function takes it back. */
export function lendImplementation(impl: Implementation): { readonly key: string; readonly release: () => void } {
  const key = `lent-${process.pid}-${++lastKey}`;
  available.set(key, impl);
  return { key, release: () => available.delete(key) };
}

/** The run's parameters, when `ese-conformance run` (runSuite) set them. */
export function runParameters(worldParameters: unknown): RunParameters | undefined {
  if (typeof worldParameters !== 'object' || worldParameters === null) return undefined;
  const p = (worldParameters as Record<string, unknown>)[runParameterKey];
  return typeof p === 'object' && p !== null ? (p as RunParameters) : undefined;
}

function recipeKey(recipe: ImplementationRecipe): string {
  return `opened:${JSON.stringify(recipe)}`;
}

/** The scenario's implementation and tier from the run's parameters. */
export function scenarioSetup(parameters: RunParameters): ScenarioSetup {
  const key = 'lent' in parameters.implementation ? parameters.implementation.lent : recipeKey(parameters.implementation.open);
  const impl = available.get(key);
  if (impl === undefined) {
    throw new Error('no implementation is open for this run: run the features with `ese-conformance run`, or with cucumber-js and the world parameters of cucumber.js');
  }
  return { impl, tier: parameters.tier, attachTrace: parameters.attachTrace, ...(parameters.verdictsInProcess === true ? { verdictsInProcess: true } : {}) };
}

/** What a tool that runs the features through plain cucumber-js supplies per scenario (Stryker's support code). */
export type ScenarioProvider = (tags: readonly string[]) => ScenarioSetup;

let provider: ScenarioProvider | undefined;

/** For tools without world parameters (mutants/stryker/support.ts): each scenario's implementation and tier. */
export function provideScenarios(p: ScenarioProvider | undefined): void {
  provider = p;
}

/** The provider a tool set, if any. */
export function providedScenario(tags: readonly string[]): ScenarioSetup | undefined {
  return provider?.(tags);
}

type Opener = (options: unknown) => Promise<Implementation>;

let exitHandlersInstalled = false;

/**
 * A parallel worker: the coordinator going away (it was interrupted, or killed) or a signal to the
 * worker ends it, and with it every process group its implementation started. Node's default for a
 * signal skips 'exit' handlers, and a worker whose coordinator is gone would otherwise finish its
 * scenario against nobody.
 */
function endWithCoordinator(): void {
  if (exitHandlersInstalled) return;
  exitHandlersInstalled = true;
  // The exit as it was: guardWorkerExit's wrapper is for the implementation's exits, not these.
  const exit = process.exit.bind(process);
  const end = (code: number) => () => {
    killAllGroups();
    exit(code);
  };
  process.once('disconnect', end(1));
  process.once('SIGINT', end(130));
  process.once('SIGTERM', end(143));
}

/** Opens the implementation a worker's scenarios run against (its BeforeAll hook); nothing for a lent one. */
export async function openForRun(parameters: RunParameters): Promise<void> {
  if ('lent' in parameters.implementation) return;
  const recipe = parameters.implementation.open;
  const key = recipeKey(recipe);
  if (available.has(key)) return;
  if (process.send !== undefined) {
    endWithCoordinator();
    guardWorkerExit(parameters);
  }
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the opener is named by the run (a module above this layer)
    const mod = require(recipe.opener) as { openImplementation?: Opener };
    if (typeof mod.openImplementation !== 'function') throw new Error(`${recipe.opener} exports no openImplementation(options)`);
    available.set(key, await mod.openImplementation(recipe.options));
  } catch (e) {
    // It started for the run, not here: each of this worker's scenarios gets the fault, as a
    // restart that failed would give it (the budget used up before the worker started is TIMEOUT).
    available.set(key, unavailable(parameters.implementation.info, startFault(e)));
  }
}

function startFault(e: unknown): ImplementationFault {
  const text = (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
  const worker = process.env.CUCUMBER_WORKER_ID ?? '?';
  if (/budget/.test(text)) return { kind: 'timeout', reason: `not run: the run's time budget (--budget) was used up before parallel worker ${worker} had started its implementation (${text})` };
  return { kind: 'crash', reason: `the implementation did not start in parallel worker ${worker}: ${text}` };
}

/** An implementation that could not be started: every request answers its start's fault. */
function unavailable(info: ImplementationInfo, fault: ImplementationFault): Implementation {
  return {
    info,
    reset: () => Promise.resolve(fault),
    call: () => Promise.resolve(fault),
    close: () => Promise.resolve(),
  };
}

/**
 * Closes what openForRun opened (a worker's AfterAll hook). A protocol violation seen after the last
 * call (finish()) is returned: in a worker no later scenario can carry it, so the hook reports it
 * (reportLateFault) and the runner gives it to the worker's last scenario.
 */
export async function closeForRun(parameters: RunParameters): Promise<ImplementationFault | undefined> {
  if ('lent' in parameters.implementation) return undefined;
  const key = recipeKey(parameters.implementation.open);
  const impl = available.get(key);
  if (impl === undefined) return undefined;
  available.delete(key);
  try {
    if (impl.finish !== undefined) return await impl.finish();
    await impl.close();
    return undefined;
  } finally {
    workerExitGuarded = false;
  }
}

let workerExitGuarded = false;
let workerExitWrapped = false;

/**
 * A parallel worker, from its implementation's start to its close: a process.exit() in this process
 * can only be the implementation's (an in-process one, --adapter-module, ending its process as an
 * abort path would). The worker dies with its scenario unfinished; left alone, the runner would
 * see only a worker gone and call its scenarios SUITE_ERROR. It is written aside for the runner
 * (worker-exit-<id>.json, readWorkerFaults) as the implementation's CRASH, as a serial run makes it
 * a failing exit. A wrapper, installed before the implementation loads, so that a reference it
 * takes to process.exit is this one.
 */
function guardWorkerExit(parameters: RunParameters): void {
  workerExitGuarded = true;
  if (workerExitWrapped) return;
  workerExitWrapped = true;
  const exit = process.exit.bind(process);
  process.exit = (code?: number | string | null): never => {
    // cucumber's worker exits by itself on an error of its own (its caller is cucumber's): the suite's.
    const caller = (new Error().stack ?? '').split('\n')[2] ?? '';
    if (workerExitGuarded && !/[\\/]@cucumber[\\/]cucumber[\\/]/.test(caller)) {
      const worker = process.env.CUCUMBER_WORKER_ID ?? '?';
      const shown = String(code ?? process.exitCode ?? 0);
      writeWorkerFault(parameters.lateFaultDir, 'worker-exit', {
        kind: 'crash',
        reason: `the implementation ended parallel worker ${worker}'s process: process.exit(${shown}) was called in it (an in-process implementation, --adapter-module?)`,
      });
    }
    return exit(code);
  };
}

const lateFaultPrefix = 'ese-conformance late fault: ';
const lateFaultFile = /^late-fault-([A-Za-z0-9_-]{1,64})\.json$/;
const workerExitFile = /^worker-exit-([A-Za-z0-9_-]{1,64})\.json$/;

/**
 * Hands a worker's late fault to the runner. A side channel, not a failed hook: cucumber's worker
 * prints a failed AfterAll hook's error with its stack frames on its way out, and the fault is the
 * implementation's, not the suite's. The worker writes it to the run's folder as
 * late-fault-<worker id>.json (whole or not at all: written aside, then renamed); without a folder
 * or a worker id (or when the write fails) the hook fails with it, which the runner also reads.
 */
export function reportLateFault(parameters: RunParameters, fault: ImplementationFault): void {
  if (writeWorkerFault(parameters.lateFaultDir, 'late-fault', fault)) return;
  // The hook's failure carries it instead.
  throw new Error(lateFaultMessage(fault));
}

type WorkerFaultKind = 'late-fault' | 'worker-exit';

/** Writes `<kind>-<worker id>.json` to `dir`, whole or not at all (written aside, then renamed); false when it cannot. */
function writeWorkerFault(dir: string | undefined, kind: WorkerFaultKind, fault: ImplementationFault): boolean {
  const worker = process.env.CUCUMBER_WORKER_ID ?? '';
  if (dir === undefined || !/^[A-Za-z0-9_-]{1,64}$/.test(worker)) return false;
  const file = path.join(dir, `${kind}-${worker}.json`);
  try {
    fs.writeFileSync(`${file}.part`, JSON.stringify(fault));
    fs.renameSync(`${file}.part`, file);
    return true;
  } catch {
    return false;
  }
}

/** The late faults the workers of a parallel run wrote to `dir` (reportLateFault), by worker id. */
export function readLateFaults(dir: string): { readonly workerId: string; readonly fault: ImplementationFault }[] {
  return readWorkerFaults(dir, lateFaultFile);
}

/** The exits the implementations of a parallel run's workers made (guardWorkerExit), by worker id. */
export function readWorkerExits(dir: string): { readonly workerId: string; readonly fault: ImplementationFault }[] {
  return readWorkerFaults(dir, workerExitFile);
}

function readWorkerFaults(dir: string, pattern: RegExp): { readonly workerId: string; readonly fault: ImplementationFault }[] {
  const found: { workerId: string; fault: ImplementationFault }[] = [];
  for (const name of fs.readdirSync(dir).sort()) {
    const worker = pattern.exec(name)?.[1];
    if (worker === undefined) continue;
    const fault = parseFault(fs.readFileSync(path.join(dir, name), 'utf8'));
    if (fault !== undefined) found.push({ workerId: worker, fault });
  }
  return found;
}

function parseFault(text: string): ImplementationFault | undefined {
  try {
    const f = JSON.parse(text) as ImplementationFault;
    return typeof f.kind === 'string' && typeof f.reason === 'string' ? f : undefined;
  } catch {
    return undefined;
  }
}

/** The text a worker's AfterAll hook fails with for a late fault; parsed back by lateFaultOf. */
export function lateFaultMessage(fault: ImplementationFault): string {
  return lateFaultPrefix + JSON.stringify(fault);
}

/** The late fault a failed AfterAll hook's message carries, if it is one. */
export function lateFaultOf(message: string | undefined): ImplementationFault | undefined {
  const at = message?.indexOf(lateFaultPrefix) ?? -1;
  if (message === undefined || at < 0) return undefined;
  return parseFault(message.slice(at + lateFaultPrefix.length).split('\n')[0]);
}
