/**
 * The kill matrix: for every mutant and tier, which catalogue IDs killed it, through which
 * scenarios and at which step, checked against what the catalogue claims (killed by the declared
 * IDs in the tiers it deviates in, alive in the others), plus the reference run, which must pass.
 * Kills are also counted per check: every Then-step definition that ran in a tier of the
 * reference's run must be the failing step of at least one mutant in that tier. And a fuzz
 * campaign per mutant: a mutant the fuzzer finds that the suite misses is a finding.
 */
import type { ScenarioResult, Status, Tier } from '../harness/results';
import { expectationIn, type MutantKind, type MutantSpec } from './types';

/** What a worker sends back per scenario: the verdict without the trace, and where it failed. */
export type CompactScenario = Pick<ScenarioResult, 'id' | 'catalogueId' | 'tier' | 'status'> &
  Partial<Pick<ScenarioResult, 'reason' | 'expected' | 'actual' | 'failedStep'>> & {
    /** The checks it failed at: the failed step's definition (its pattern), and the state components (`state: KIND`) the failure names. */
    readonly failedChecks?: readonly string[];
  };

/** A Then-step definition that ran (and compared) in a tier of the reference's run. */
export interface CheckRun {
  readonly tier: Tier;
  /** The step definition's pattern. */
  readonly check: string;
  readonly runs: number;
}

/** The fixed budget of the fuzz campaign against each mutant. */
export interface FuzzBudget {
  readonly seed: number;
  readonly runs: number;
  readonly maxSteps: number;
}

export interface FuzzVerdict {
  readonly found: boolean;
  readonly runs: number;
  readonly calls: number;
  readonly durationMs: number;
  readonly error?: string;
  readonly foundInRun?: number;
  readonly shrunkSteps?: number;
  readonly divergence?: string;
  /** The catalogue ID the fuzzer's feature would carry. */
  readonly catalogueId?: string;
  /** `ese-conformance fuzz --adapter mutant:NAME --seed S --max-steps M --replay TOKEN` replays it. */
  readonly replay?: string;
}

/** One suite run against one mutant (or the reference), as the pool reports it. */
export interface MutantRun {
  readonly name: string;
  /** hung: no answer within the timeout (the worker was killed); error: the run itself failed. */
  readonly outcome: 'completed' | 'hung' | 'error';
  readonly error?: string;
  readonly durationMs: number;
  readonly scenarios: readonly CompactScenario[];
  /** The reference's run: the checks that ran, per tier. */
  readonly checks?: readonly CheckRun[];
  readonly fuzz?: FuzzVerdict;
}

/** A scenario that killed a mutant: it did not pass. */
export interface Kill {
  readonly scenario: string;
  readonly status: Status;
  readonly reason?: string;
  /** The step it failed at: `line: text`, and the check (step definition) behind it. */
  readonly step?: string;
  readonly checks?: readonly string[];
}

export interface TierVerdict {
  readonly tier: Tier;
  readonly expected: 'killed' | 'survives';
  readonly killed: boolean;
  /** Catalogue ID → the scenarios of that ID that killed the mutant in this tier. */
  readonly killers: Readonly<Record<string, readonly Kill[]>>;
  /** Declared IDs that did not kill it here. */
  readonly missed: readonly string[];
  readonly scenariosRun: number;
  readonly ok: boolean;
}

export interface MutantVerdict {
  readonly name: string;
  readonly description: string;
  readonly kind: MutantKind;
  readonly declared: MutantSpec['killedBy'];
  readonly survives?: string;
  readonly outcome: MutantRun['outcome'];
  readonly durationMs: number;
  readonly tiers: readonly TierVerdict[];
  readonly fuzz?: FuzzVerdict;
  /** Why the mutant is not as declared; empty when it is. */
  readonly problems: readonly string[];
  readonly ok: boolean;
}

export interface ReferenceVerdict {
  readonly outcome: MutantRun['outcome'];
  readonly durationMs: number;
  readonly scenariosRun: number;
  /** `tier scenario: STATUS reason` for every scenario that did not pass. */
  readonly failures: readonly string[];
  readonly ok: boolean;
}

export const killMatrixSchemaVersion = 2;

/** One check in one tier: how often it ran in the reference's run, and the mutants that failed at it. */
export interface CheckCoverage {
  readonly tier: Tier;
  readonly check: string;
  readonly referenceRuns: number;
  /** Mutant → the scenarios that failed at this check. */
  readonly killers: Readonly<Record<string, readonly string[]>>;
  readonly ok: boolean;
}

export interface FuzzSummary {
  readonly budget: FuzzBudget;
  /** Sum of the campaigns' own durations (they run on the pool's children, side by side). */
  readonly durationMs: number;
  readonly found: number;
  /** Mutants the fuzzer found and the suite did not kill in the esent tier. */
  readonly missedBySuite: readonly string[];
}

export interface KillMatrix {
  readonly schemaVersion: typeof killMatrixSchemaVersion;
  readonly generatedAt: string;
  readonly durationMs: number;
  readonly tiers: readonly Tier[];
  /** Catalogue IDs per tier, in catalogue order: the matrix's columns. */
  readonly ids: Readonly<Record<string, readonly string[]>>;
  readonly reference: ReferenceVerdict;
  readonly mutants: readonly MutantVerdict[];
  /** Per check and tier: the mutants that failed at it (empty when the reference logged no checks). */
  readonly checks: readonly CheckCoverage[];
  readonly fuzz?: FuzzSummary;
  readonly ok: boolean;
}

const failing: ReadonlySet<Status> = new Set<Status>(['FAIL', 'CRASH', 'TIMEOUT', 'PROTOCOL_ERROR']);

export function isKill(status: Status): boolean {
  return failing.has(status);
}

function tierVerdict(spec: MutantSpec, run: MutantRun, tier: Tier): TierVerdict {
  const mine = run.scenarios.filter((s) => s.tier === tier);
  const killers: Record<string, Kill[]> = {};
  for (const s of mine) {
    if (!isKill(s.status)) continue;
    (killers[s.catalogueId] ??= []).push({
      scenario: s.id,
      status: s.status,
      ...(s.reason === undefined ? {} : { reason: s.reason }),
      ...(s.failedStep === undefined ? {} : { step: `${s.failedStep.line}: ${s.failedStep.keyword} ${s.failedStep.text}` }),
      ...(s.failedChecks === undefined ? {} : { checks: s.failedChecks }),
    });
  }
  const expectation = expectationIn(spec, tier);
  const killed = Object.keys(killers).length > 0;
  const missed = expectation.killed ? expectation.ids.filter((id) => killers[id] === undefined) : [];
  const ok = run.outcome === 'completed' && mine.length > 0 && (expectation.killed ? killed && missed.length === 0 : !killed);
  return { tier, expected: expectation.killed ? 'killed' : 'survives', killed, killers, missed, scenariosRun: mine.length, ok };
}

function problemsOf(spec: MutantSpec, run: MutantRun, tiers: readonly TierVerdict[]): string[] {
  if (run.outcome === 'hung') return [`hung: no verdict within the timeout (${run.error ?? 'worker killed'})`];
  if (run.outcome === 'error') return [`the run failed: ${run.error ?? 'unknown error'}`];
  const problems: string[] = [];
  for (const t of tiers) {
    if (t.scenariosRun === 0) problems.push(`${t.tier}: no scenario ran`);
    else if (t.expected === 'killed' && !t.killed) problems.push(`${t.tier}: survived; expected to be killed by ${spec.killedBy[t.tier]!.join(', ')}`);
    else if (t.expected === 'killed' && t.missed.length > 0) problems.push(`${t.tier}: not killed by ${t.missed.join(', ')} (killed by ${Object.keys(t.killers).join(', ')})`);
    else if (t.expected === 'survives' && t.killed) {
      problems.push(`${t.tier}: killed by ${Object.keys(t.killers).join(', ')}, but it is declared to survive this tier (${spec.survives ?? 'no reason given'})`);
    }
  }
  const f = run.fuzz;
  const esent = tiers.find((t) => t.tier === 'esent');
  if (f?.error !== undefined) problems.push(`fuzz: the campaign failed: ${f.error}`);
  if (f?.found === true && esent !== undefined && !esent.killed) {
    problems.push(`fuzz: the fuzzer finds it (${f.divergence ?? ''}; ${f.catalogueId ?? ''}) but no esent scenario kills it: a scenario is missing (replay: ${f.replay ?? ''})`);
  }
  return problems;
}

export function mutantVerdict(spec: MutantSpec, run: MutantRun, tiers: readonly Tier[]): MutantVerdict {
  const perTier = tiers.map((t) => tierVerdict(spec, run, t));
  const problems = problemsOf(spec, run, perTier);
  return {
    name: spec.name,
    description: spec.description,
    kind: spec.kind,
    declared: spec.killedBy,
    ...(spec.survives === undefined ? {} : { survives: spec.survives }),
    outcome: run.outcome,
    durationMs: run.durationMs,
    tiers: perTier,
    ...(run.fuzz === undefined ? {} : { fuzz: run.fuzz }),
    problems,
    ok: problems.length === 0,
  };
}

export function referenceVerdict(run: MutantRun, tiers: readonly Tier[]): ReferenceVerdict {
  const failures = run.scenarios.filter((s) => s.status !== 'PASS' && s.status !== 'NOT_APPLICABLE').map((s) => `${s.tier} ${s.id}: ${s.status}${s.reason ? ` ${s.reason}` : ''}`);
  if (run.outcome !== 'completed') failures.unshift(`${run.outcome}: ${run.error ?? ''}`);
  for (const t of tiers) if (!run.scenarios.some((s) => s.tier === t)) failures.push(`${t}: no scenario ran`);
  return { outcome: run.outcome, durationMs: run.durationMs, scenariosRun: run.scenarios.length, failures, ok: failures.length === 0 };
}

export function buildKillMatrix(input: {
  readonly specs: readonly MutantSpec[];
  readonly runs: ReadonlyMap<string, MutantRun>;
  readonly reference: MutantRun;
  readonly tiers: readonly Tier[];
  readonly ids: Readonly<Record<string, readonly string[]>>;
  readonly durationMs: number;
  readonly generatedAt?: Date;
  readonly fuzzBudget?: FuzzBudget;
}): KillMatrix {
  const mutants = input.specs.map((spec) => {
    const run = input.runs.get(spec.name) ?? {
      name: spec.name,
      outcome: 'error' as const,
      error: input.reference.outcome === 'completed' ? 'never ran' : `not run: the reference run did not complete (${input.reference.outcome})`,
      durationMs: 0,
      scenarios: [],
    };
    return mutantVerdict(spec, run, input.tiers);
  });
  const reference = referenceVerdict(input.reference, input.tiers);
  const checks = checkCoverage(input.reference.checks ?? [], input.specs.map((s) => input.runs.get(s.name)).filter((r): r is MutantRun => r !== undefined));
  const fuzz = input.fuzzBudget === undefined ? undefined : fuzzSummary(input.fuzzBudget, mutants);
  return {
    schemaVersion: killMatrixSchemaVersion,
    generatedAt: (input.generatedAt ?? new Date()).toISOString(),
    durationMs: input.durationMs,
    tiers: input.tiers,
    ids: input.ids,
    reference,
    mutants,
    checks,
    ...(fuzz === undefined ? {} : { fuzz }),
    ok: reference.ok && mutants.every((m) => m.ok) && checks.every((c) => c.ok),
  };
}

/**
 * Every check the reference ran, per tier, with the mutants that failed at it; and every named
 * component a failure reported (those are checks of their own, whatever step carried them).
 */
export function checkCoverage(ran: readonly CheckRun[], runs: readonly MutantRun[]): CheckCoverage[] {
  const killers = new Map<string, Record<string, string[]>>();
  for (const run of runs) {
    for (const s of run.scenarios) {
      if (!isKill(s.status)) continue;
      for (const check of s.failedChecks ?? []) {
        const k = (killers.get(`${s.tier}\n${check}`) ?? killers.set(`${s.tier}\n${check}`, {}).get(`${s.tier}\n${check}`))!;
        (k[run.name] ??= []).push(s.id);
      }
    }
  }
  return ran.map((c) => {
    const k = killers.get(`${c.tier}\n${c.check}`) ?? {};
    return { tier: c.tier, check: c.check, referenceRuns: c.runs, killers: k, ok: Object.keys(k).length > 0 };
  });
}

function fuzzSummary(budget: FuzzBudget, mutants: readonly MutantVerdict[]): FuzzSummary {
  const fuzzed = mutants.filter((m) => m.fuzz !== undefined);
  return {
    budget,
    durationMs: fuzzed.reduce((a, m) => a + (m.fuzz?.durationMs ?? 0), 0),
    found: fuzzed.filter((m) => m.fuzz?.found === true).length,
    missedBySuite: fuzzed.filter((m) => m.problems.some((p) => p.startsWith('fuzz: the fuzzer finds it'))).map((m) => m.name),
  };
}
