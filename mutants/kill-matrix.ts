/**
 * The kill matrix: for every mutant and tier, which catalogue IDs killed it and through which
 * scenarios, checked against what the catalogue claims (killed by the declared IDs in the tiers it
 * deviates in, alive in the others), plus the reference run, which must pass.
 */
import type { ScenarioResult, Status, Tier } from '../harness/results';
import { expectationIn, type MutantKind, type MutantSpec } from './types';

/** What a worker sends back per scenario: the verdict without the trace. */
export type CompactScenario = Pick<ScenarioResult, 'id' | 'catalogueId' | 'tier' | 'status'> &
  Partial<Pick<ScenarioResult, 'reason' | 'expected' | 'actual'>>;

/** One suite run against one mutant (or the reference), as the pool reports it. */
export interface MutantRun {
  readonly name: string;
  /** hung: no answer within the timeout (the worker was killed); error: the run itself failed. */
  readonly outcome: 'completed' | 'hung' | 'error';
  readonly error?: string;
  readonly durationMs: number;
  readonly scenarios: readonly CompactScenario[];
}

/** A scenario that killed a mutant: it did not pass. */
export interface Kill {
  readonly scenario: string;
  readonly status: Status;
  readonly reason?: string;
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

export const killMatrixSchemaVersion = 1;

export interface KillMatrix {
  readonly schemaVersion: typeof killMatrixSchemaVersion;
  readonly generatedAt: string;
  readonly durationMs: number;
  readonly tiers: readonly Tier[];
  /** Catalogue IDs per tier, in catalogue order: the matrix's columns. */
  readonly ids: Readonly<Record<string, readonly string[]>>;
  readonly reference: ReferenceVerdict;
  readonly mutants: readonly MutantVerdict[];
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
    (killers[s.catalogueId] ??= []).push({ scenario: s.id, status: s.status, ...(s.reason === undefined ? {} : { reason: s.reason }) });
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
  return {
    schemaVersion: killMatrixSchemaVersion,
    generatedAt: (input.generatedAt ?? new Date()).toISOString(),
    durationMs: input.durationMs,
    tiers: input.tiers,
    ids: input.ids,
    reference,
    mutants,
    ok: reference.ok && mutants.every((m) => m.ok),
  };
}
