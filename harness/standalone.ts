/**
 * The features run with plain `npx cucumber-js` (cucumber.js at the package root, editors, Stryker):
 * no `ese-conformance run` has set a run state, so one is built here from cucumber's world
 * parameters. The checks, the verdicts and the statuses are the same; only the tier choice differs:
 * one cucumber run checks each scenario once, so `tier: "strictest"` (the default) checks it in
 * esent when it has that tier and in documented otherwise.
 */
import { adapterNames, resolveAdapter } from '../adapters';
import type { Implementation } from '../adapters/types';
import type { TargetVersion } from '../api';
import { tiers as allTiers, type Tier } from './results';
import { faultStatus } from './errors';
import type { ScenarioSetup } from './run-state';
import type { StandaloneInfo } from './standalone-summary';

export type StandaloneTier = Tier | 'strictest';

/** What `--world-parameters` (or a profile of cucumber.js) may set. */
export interface StandaloneParameters {
  /** reference (default), process, or mutant:NAME. */
  readonly adapter: string;
  readonly tier: StandaloneTier;
  /** For process: the program and its arguments. */
  readonly command: readonly string[];
  readonly timeoutMs?: number;
  readonly target?: TargetVersion;
}

/** One line naming what to fix; cucumber prints it where the BeforeAll hook failed. */
export class StandaloneParameterError extends Error {}

export function standaloneParameters(raw: unknown): StandaloneParameters {
  const p = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const adapter = p.adapter ?? 'reference';
  if (typeof adapter !== 'string') throw new StandaloneParameterError('world parameter "adapter" must be a string: reference, process or mutant:NAME');
  const tier = p.tier ?? 'strictest';
  if (tier !== 'strictest' && !allTiers.includes(tier as Tier)) throw new StandaloneParameterError(`world parameter "tier": use documented, esent or strictest, not ${JSON.stringify(tier)}`);
  let command: string[] = [];
  if (typeof p.command === 'string') command = p.command.split(/\s+/).filter((s) => s !== '');
  else if (Array.isArray(p.command) && p.command.every((s): s is string => typeof s === 'string')) command = p.command;
  else if (p.command !== undefined) throw new StandaloneParameterError('world parameter "command" must be an array of strings (the program and its arguments)');
  if (adapter === 'process' && command.length === 0) {
    throw new StandaloneParameterError('the process adapter needs a command: ESE_COMMAND="./my-ese --stdio" npx cucumber-js -p process, or --world-parameters \'{"command":["./my-ese","--stdio"]}\'');
  }
  const timeoutMs = p.timeoutMs;
  if (timeoutMs !== undefined && (typeof timeoutMs !== 'number' || !Number.isInteger(timeoutMs) || timeoutMs <= 0)) {
    throw new StandaloneParameterError('world parameter "timeoutMs" must be a positive whole number');
  }
  return {
    adapter,
    tier: tier as StandaloneTier,
    command,
    ...(typeof timeoutMs === 'number' ? { timeoutMs } : {}),
    ...(typeof p.target === 'string' ? { target: p.target as TargetVersion } : {}),
  };
}

/** The tier a scenario is checked in. */
export function standaloneTier(tier: StandaloneTier, tags: readonly string[]): Tier {
  if (tier !== 'strictest') return tier;
  return tags.includes('@esent') ? 'esent' : 'documented';
}

interface Session {
  readonly parameters: StandaloneParameters;
  readonly impl: Implementation;
  /** Whether this process has told the coordinator which implementation it runs (standaloneInfo). */
  told: boolean;
}

let session: Session | undefined;

/** Opens the implementation named by the world parameters (a BeforeAll hook). */
export async function openStandalone(raw: unknown): Promise<void> {
  const parameters = standaloneParameters(raw);
  const factory = resolveAdapter(parameters.adapter);
  if (factory === undefined) throw new StandaloneParameterError(`world parameter "adapter": unknown adapter ${parameters.adapter}; use ${adapterNames().join(', ')} or mutant:NAME`);
  const opened = await factory.open({
    command: parameters.command,
    ...(parameters.timeoutMs === undefined ? {} : { timeoutMs: parameters.timeoutMs }),
    ...(parameters.target === undefined ? {} : { target: parameters.target }),
  });
  if ('error' in opened) throw new StandaloneParameterError(`adapter ${parameters.adapter} did not start: ${opened.error}`);
  session = { parameters, impl: opened, told: false };
}

/**
 * The implementation and tier for one scenario of a plain cucumber-js run; undefined when no
 * standalone session is open (`ese-conformance run` or another tool supplies them).
 */
export function standaloneScenario(tags: readonly string[]): ScenarioSetup | undefined {
  if (session === undefined) return undefined;
  const tier = standaloneTier(session.parameters.tier, tags);
  if (!tags.includes(`@${tier}`)) {
    throw new StandaloneParameterError(`this scenario has no ${tier} tier: select the tier's scenarios with --tags @${tier} (the ${tier} profile does)`);
  }
  return { impl: session.impl, tier, attachTrace: true };
}

/**
 * Which implementation this process runs the scenarios against, the first time it is asked: the
 * After hook attaches it with its first scenario, so that the coordinator's score
 * (harness/standalone-summary.ts) can name it, whichever worker ran what.
 */
export function standaloneInfo(): StandaloneInfo | undefined {
  if (session === undefined || session.told) return undefined;
  session.told = true;
  const { parameters, impl } = session;
  return { adapter: parameters.adapter, tier: parameters.tier, name: impl.info.name, version: impl.info.version };
}

/**
 * Closes the implementation (the score is printed by the coordinator: steps/summary-plugin.ts). A
 * fault after the last scenario's last call (a second answer, garbage in the shutdown answer) is
 * thrown: `run` makes it that scenario's PROTOCOL_ERROR, so a plain cucumber-js run must not exit 0.
 */
export async function closeStandalone(): Promise<void> {
  const s = session;
  if (s === undefined) return;
  session = undefined;
  if (s.impl.finish === undefined) return s.impl.close();
  const late = await s.impl.finish();
  if (late !== undefined) throw new Error(`${faultStatus(late)} after the last scenario's last call: ${late.reason}`);
}
