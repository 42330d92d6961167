/**
 * A child process of the mutant pool: runs the suite in-process against one mutant (or the
 * reference) per request and answers with the verdicts (each with the step it failed at, named by
 * its step definition), without traces; for the reference, which checks ran in each tier; and,
 * when asked, a fixed-budget fuzz campaign against the same mutant. Kept alive between requests
 * so that cucumber's support code loads once.
 */
import { createReferenceImplementation } from '../adapters/reference';
import type { Implementation } from '../adapters/types';
import { componentKind, failedComponents, startStepLog, stopStepLog, type LoggedStep } from '../harness/failed-step';
import type { Tier } from '../harness/results';
import { loadedStepDefinitions, runSuite, type LoadedStepDefinition } from '../harness/runner';
import { fuzz } from '../fuzz/campaign';
import { chooseCatalogueId } from '../fuzz/catalogue-id';
import { findMutant } from './catalogue';
import type { CheckRun, CompactScenario, FuzzBudget, FuzzVerdict, MutantRun } from './kill-matrix';

export interface WorkerRequest {
  readonly name: string;
  readonly tiers: readonly Tier[];
  /** Log which checks ran (the reference's run). */
  readonly logChecks?: boolean;
  /** Fuzz the same implementation after the suite. */
  readonly fuzz?: FuzzBudget;
}

/** The name the pool uses for the unmutated reference engine. */
export const referenceRunName = 'reference';

function open(name: string): Implementation | undefined {
  return name === referenceRunName ? createReferenceImplementation() : findMutant(name)?.create();
}

/** The identity of the step definition a step's text matches: its pattern ("(no definition)" for none). */
export function definitionOf(defs: readonly LoadedStepDefinition[], text: string): LoadedStepDefinition | undefined {
  return defs.find((d) => d.matches(text));
}

/** A whole-state component as a check: its kind. */
export function componentCheck(component: string): string {
  return `state: ${componentKind(component)}`;
}

/**
 * The checks that ran, per tier, with how many times: Then-step definitions that passed and
 * compared something, and the kinds of state component the whole-state checks compared.
 */
function checksRun(log: readonly LoggedStep[], defs: readonly LoadedStepDefinition[]): CheckRun[] {
  const counts = new Map<string, CheckRun>();
  const count = (tier: Tier, check: string) => {
    const key = `${tier}\n${check}`;
    counts.set(key, { tier, check, runs: (counts.get(key)?.runs ?? 0) + 1 });
  };
  for (const step of log) {
    if (!step.passed || !step.compared) continue;
    if (step.type === 'Component') {
      count(step.tier, componentCheck(step.text));
      continue;
    }
    const d = definitionOf(defs, step.text);
    if (d !== undefined && d.keyword === 'Then') count(step.tier, d.pattern);
  }
  return [...counts.values()];
}

/** The checks a non-passing scenario failed at: its step's definition, and the state components it names. */
function failedChecks(defs: readonly LoadedStepDefinition[], text: string | undefined, reason: string | undefined): string[] {
  const d = text === undefined ? undefined : definitionOf(defs, text);
  return [...(d === undefined ? [] : [d.pattern]), ...new Set(failedComponents(reason ?? '').map(componentCheck))];
}

async function fuzzOne(name: string, budget: FuzzBudget): Promise<FuzzVerdict> {
  const sut = open(name);
  if (sut === undefined) return { found: false, runs: 0, calls: 0, durationMs: 0, error: `no mutant is named ${name}` };
  try {
    const r = await fuzz({ sut, seed: budget.seed, runs: budget.runs, maxSteps: budget.maxSteps, awaitTimeoutMs: 2000 });
    const base = { runs: r.runs, calls: r.calls, durationMs: r.durationMs, ...(r.error === undefined ? {} : { error: r.error }) };
    const f = r.finding;
    if (f === undefined) return { found: false, ...base };
    return {
      found: true,
      ...base,
      foundInRun: f.foundInRun,
      shrunkSteps: f.trace.length,
      divergence: f.divergence.message,
      catalogueId: chooseCatalogueId(f.trace).id,
      replay: f.replay,
    };
  } finally {
    await sut.close();
  }
}

export async function runOne(request: WorkerRequest): Promise<MutantRun> {
  const started = Date.now();
  const impl = open(request.name);
  if (impl === undefined) return { name: request.name, outcome: 'error', error: `no mutant is named ${request.name}`, durationMs: 0, scenarios: [] };
  let checks: CheckRun[] | undefined;
  try {
    if (request.logChecks === true) startStepLog();
    const { matrix } = await runSuite({ impl, adapterName: request.name === referenceRunName ? 'reference' : `mutant:${request.name}`, tiers: request.tiers });
    const defs = loadedStepDefinitions();
    if (request.logChecks === true) checks = checksRun(stopStepLog(), defs);
    const scenarios: CompactScenario[] = matrix.scenarios.map((s) => {
      const checks = s.status === 'PASS' || s.status === 'NOT_APPLICABLE' ? [] : failedChecks(defs, s.failedStep?.text, s.reason);
      return {
        id: s.id,
        catalogueId: s.catalogueId,
        tier: s.tier,
        status: s.status,
        ...(s.reason === undefined ? {} : { reason: s.reason }),
        ...(s.expected === undefined ? {} : { expected: s.expected }),
        ...(s.actual === undefined ? {} : { actual: s.actual }),
        ...(s.failedStep === undefined ? {} : { failedStep: s.failedStep }),
        ...(checks.length === 0 ? {} : { failedChecks: checks }),
      };
    });
    await impl.close();
    const fuzzed = request.fuzz === undefined ? undefined : await fuzzOne(request.name, request.fuzz);
    return {
      name: request.name,
      outcome: 'completed',
      durationMs: Date.now() - started,
      scenarios,
      ...(checks === undefined ? {} : { checks }),
      ...(fuzzed === undefined ? {} : { fuzz: fuzzed }),
    };
  } catch (e) {
    stopStepLog();
    await impl.close();
    return { name: request.name, outcome: 'error', error: e instanceof Error ? e.message : String(e), durationMs: Date.now() - started, scenarios: [] };
  }
}

if (require.main === module && process.send !== undefined) {
  // Requests come one at a time: the pool waits for each answer before it sends the next.
  process.on('message', (request: WorkerRequest) => {
    void runOne(request).then((run) => process.send?.(run));
  });
  process.on('disconnect', () => process.exit(0));
}
