/**
 * Which step a scenario failed at, and which checks it ran: what the mutant campaign needs to prove
 * every check can fail (a kill counted per check, not per catalogue ID). The failed step goes into
 * the scenario's result; the log of checks that ran is kept only while a tool asks for it.
 */
import type * as messages from '@cucumber/messages';
import type { Tier } from './results';

export interface FailedStep {
  /** Gherkin keyword as written (Given, When, Then, And, But; "*"). */
  readonly keyword: string;
  readonly text: string;
  /** The step's line in its feature file. */
  readonly line: number;
  /** Cucumber's step type: Context (Given), Action (When), Outcome (Then), or Unknown. */
  readonly type: string;
  /** The named part of a composite check that failed (e.g. one state component), when it says so. */
  readonly check?: string;
}

/** The line of the step with this AST node id (its first id), in the background or the scenario. */
export function stepLine(doc: messages.GherkinDocument, astNodeIds: readonly string[]): { readonly line: number; readonly keyword: string } {
  const id = astNodeIds[0];
  const children = doc.feature?.children ?? [];
  const blocks = children.flatMap((c) => [c.background, c.scenario, ...(c.rule?.children ?? []).flatMap((r) => [r.background, r.scenario])]);
  for (const block of blocks) {
    const step = block?.steps.find((s) => s.id === id);
    if (step) return { line: step.location.line, keyword: step.keyword.trim() };
  }
  return { line: 0, keyword: '' };
}

/** The `check` a failure names (a string property of the error object), if any. */
export function checkOf(failure: unknown): string | undefined {
  if (failure === null || typeof failure !== 'object') return undefined;
  const check = (failure as { check?: unknown }).check;
  return typeof check === 'string' && check !== '' ? check : undefined;
}

/** A step that completed: its text and type, the tier it ran in and whether it passed. */
export interface LoggedStep {
  readonly tier: Tier;
  readonly scenario: string;
  readonly text: string;
  readonly type: string;
  readonly passed: boolean;
  /** False when the step said it compared nothing (a conditional whose condition did not hold). */
  readonly compared: boolean;
}

let log: LoggedStep[] | undefined;

/** Starts keeping every step that completes (the mutant campaign's reference run). */
export function startStepLog(): void {
  log = [];
}

/** Stops keeping steps and returns what was kept. */
export function stopStepLog(): LoggedStep[] {
  const kept = log ?? [];
  log = undefined;
  return kept;
}

export function logStep(step: LoggedStep): void {
  log?.push(step);
}

/** Components of the whole observable state (harness/state.ts) a check compared, while the log is kept. */
export function logComponents(tier: Tier, components: Iterable<string>): void {
  if (log === undefined) return;
  for (const c of components) log.push({ tier, scenario: '', text: c, type: 'Component', passed: true, compared: true });
}

/**
 * The kind of a state component, without the names of the scenario's objects in it: "state: cursors
 * of s1" is "cursors", "state: data of db1.edb/t seen by another session" is "data seen by another
 * session", "state: database db1.edb" is "database", and a session the scenario did not name ("context of
 * session #3", one of several begun in bulk) is the same kind as a named one.
 */
export function componentKind(component: string): string {
  return component
    .replace(/^state: /, '')
    .replace(/ (of|on) (thread |session )?\S+/g, '')
    .replace(/^database \S+$/, 'database')
    .trim();
}

/** The components a whole-state failure names: the first, then those after "also:". */
export function failedComponents(reason: string): string[] {
  const first = /^(state: .+?): not /.exec(reason);
  if (first === null) return [];
  const also = /\(also: (.+)\)\s*$/.exec(reason);
  return [first[1], ...(also === null ? [] : also[1].split('; ').filter((c) => c.startsWith('state: ')))];
}
