/**
 * Opens the implementation a run names, from options that are plain JSON: `run` itself calls it,
 * and so does each of cucumber's parallel workers (`run --parallel N`), which receive the same
 * options through the world parameters (harness/run-state.ts) and load this module by its path.
 */
import { resolveAdapter, adapterNames, type AdapterOptions, type Implementation, type TargetVersion } from '../adapters';
import { defaultBudgetMs } from '../adapters/process/wire';
import { neutralise } from '../text/terminal';
import { UsageError } from './command';
import { unknownAdapterMessage } from './usage-checks';
import { adapterModuleFactory } from './adapter-module';
// `--adapter mutant:NAME`: the family is registered from above, adapters/ never requires mutants/.
import '../mutants/register';

export interface OpenOptions {
  readonly adapter: string;
  /** --adapter-module: the user's adapter module and the folder it is resolved against. */
  readonly adapterModule?: { readonly file: string; readonly cwd: string };
  readonly command: readonly string[];
  readonly timeoutMs?: number;
  readonly scenarioTimeoutMs?: number;
  readonly budgetMs?: number;
  readonly target?: TargetVersion;
  /**
   * When the run started (ms since the epoch): a worker opening later gets what is left of the
   * run's budget (in whole seconds, which its TIMEOUT reasons quote), so --budget bounds the whole
   * run however many workers there are.
   */
  readonly runStartedAt?: number;
}

/** The adapter's options; the budget is what is left of the run's. */
function adapterOptions(options: OpenOptions): AdapterOptions {
  const budget = options.budgetMs ?? defaultBudgetMs;
  // Whole seconds (at least one): the adapter quotes its budget in its TIMEOUT reasons.
  const left = options.runStartedAt === undefined ? options.budgetMs : Math.max(1000, Math.floor((budget - (Date.now() - options.runStartedAt)) / 1000) * 1000);
  return {
    command: options.command,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.scenarioTimeoutMs === undefined ? {} : { scenarioTimeoutMs: options.scenarioTimeoutMs }),
    ...(left === undefined ? {} : { budgetMs: left }),
    ...(options.target === undefined ? {} : { target: options.target }),
  };
}

/** The implementation, started; anything wrong is a UsageError (one line, exit 2). */
export async function openImplementation(options: OpenOptions): Promise<Implementation> {
  const factory = options.adapterModule === undefined ? resolveAdapter(options.adapter) : adapterModuleFactory(options.adapterModule.file, options.adapterModule.cwd);
  if (factory === undefined) {
    throw new UsageError('ERR_ESE_UNKNOWN_ADAPTER', unknownAdapterMessage(options.adapter, adapterNames()));
  }
  if (options.adapter === 'process' && options.command.length === 0) {
    throw new UsageError('ERR_ESE_MISSING_ARGUMENT', '--adapter process needs the command to start after --, e.g. -- ./my-ese-bridge --stdio');
  }
  // Only the process adapter starts a command: anything else would silently test another engine.
  if (options.adapter !== 'process' && options.command.length > 0) {
    throw new UsageError('ERR_ESE_CONFLICTING_OPTIONS', `--adapter ${options.adapter} takes no command, but '-- ${options.command[0]}' was given; to test that program use --adapter process -- ${options.command[0]}`);
  }
  const opened = await factory.open(adapterOptions(options));
  // The error quotes what the implementation printed: neutralised before it reaches the log.
  if ('error' in opened) throw new UsageError('ERR_ESE_ADAPTER_START', neutralise(`adapter ${options.adapter} did not start: ${opened.error}`));
  return opened;
}
