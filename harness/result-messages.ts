/**
 * Scenario verdicts as data in cucumber's message stream. The After hook attaches each scenario's
 * ScenarioResult as a JSON attachment of its own media type; the runner reads them back from the
 * envelopes runCucumber emits (its onMessage), whether the scenario ran in this process or in one of
 * cucumber's parallel workers (which forward every envelope to the coordinator). Results are put in
 * the order cucumber planned the test cases, so a parallel run's matrix reads as the serial one's.
 */
import type * as messages from '@cucumber/messages';
import type { ImplementationFault } from '../adapters/types';
import { faultStatus } from './errors';
import { isProblem, type ScenarioResult, type Tier } from './results';
import { lateFaultOf } from './run-state';
import { verdict } from './verdict';

export const scenarioResultMediaType = 'application/vnd.ese-conformance.scenario-result+json';

/**
 * Verdicts encoded in this process, by body. In a serial run cucumber hands the collector the very
 * string the After hook attached, so the verdict is taken back instead of parsed (its trace is
 * most of a run's JSON); a parallel worker's verdicts come from another process and are parsed.
 * Taken out when read; bounded, for runs no collector reads (plain cucumber-js).
 */
const encodedHere = new Map<string, ScenarioResult>();
const encodedHereMax = 64;

function keep(body: string, result: ScenarioResult): string {
  if (encodedHere.size >= encodedHereMax) encodedHere.delete(encodedHere.keys().next().value as string);
  encodedHere.set(body, result);
  return body;
}

/** The attachment body of one verdict. */
export function encodeResult(result: ScenarioResult): string {
  return keep(JSON.stringify(result), result);
}

let referred = 0;

/**
 * The attachment body of a verdict that only this process's runner reads (a serial run that writes
 * no cucumber format: RunParameters.verdictsInProcess): a reference to the verdict, not its JSON,
 * which cost about 5 % of a run in-process (the traces are most of it). A reference nobody holds
 * any more decodes as no verdict, which the collector reports as a SUITE_ERROR, never a gap.
 */
export function referToResult(result: ScenarioResult): string {
  return keep(`{"verdictInProcess":${++referred}}`, result);
}

/** A verdict read back from its attachment; undefined when the body is not one. */
export function decodeResult(body: string): ScenarioResult | undefined {
  const here = encodedHere.get(body);
  if (here !== undefined) {
    encodedHere.delete(body);
    return here;
  }
  try {
    const r = JSON.parse(body) as Partial<ScenarioResult>;
    if (typeof r.id !== 'string' || typeof r.status !== 'string' || typeof r.tier !== 'string' || !Array.isArray(r.trace)) return undefined;
    return r as ScenarioResult;
  } catch {
    return undefined;
  }
}

/**
 * A protocol violation after the last call of a parallel worker's implementation goes to the last
 * scenario that worker ran (as `run` does for its one implementation: cli/commands/run.ts withLateFault).
 */
export function withLateFault(last: ScenarioResult, fault: ImplementationFault): ScenarioResult {
  return {
    ...last,
    status: faultStatus(fault),
    reason: `${faultStatus(fault)} after the scenario's last call: ${fault.reason}${last.status === 'PASS' ? '' : ` (the scenario itself was ${last.status}${last.reason ? `: ${last.reason}` : ''})`}`,
    ...(fault.stderrTail === undefined ? {} : { stderrTail: fault.stderrTail }),
  };
}

/** Collects one cucumber run's verdicts from its envelopes. */
export class ResultCollector {
  /** Test cases in cucumber's planned order (its --order), by id. */
  private readonly planned = new Map<string, { readonly index: number; readonly pickleId: string }>();
  private readonly pickles = new Map<string, messages.Pickle>();
  /** testCaseStarted id -> test case id and worker. */
  private readonly started = new Map<string, { readonly testCaseId: string; readonly workerId: string }>();
  private readonly results = new Map<string, ScenarioResult>();
  private readonly lastOfWorker = new Map<string, string>();
  private readonly hookWorkers = new Map<string, string>();
  private readonly lateFaults: { readonly testCaseId: string; readonly fault: ImplementationFault }[] = [];
  /** Worker hooks that failed for another reason (a worker whose implementation did not open). */
  private readonly hookFailures: string[] = [];
  /** Parallel workers whose process the implementation ended, by worker id. */
  private readonly workerExits = new Map<string, ImplementationFault>();

  constructor(
    private readonly tier: Tier,
    private readonly onResult?: (result: ScenarioResult) => void,
  ) {}

  readonly onMessage = (envelope: messages.Envelope): void => {
    if (envelope.pickle !== undefined) this.pickles.set(envelope.pickle.id, envelope.pickle);
    else if (envelope.testCase !== undefined) this.planned.set(envelope.testCase.id, { index: this.planned.size, pickleId: envelope.testCase.pickleId });
    else if (envelope.testCaseStarted !== undefined) {
      const s = envelope.testCaseStarted;
      this.started.set(s.id, { testCaseId: s.testCaseId, workerId: s.workerId ?? '' });
      this.lastOfWorker.set(s.workerId ?? '', s.testCaseId);
    } else if (envelope.attachment !== undefined) this.onAttachment(envelope.attachment);
    else if (envelope.testRunHookStarted !== undefined) this.hookWorkers.set(envelope.testRunHookStarted.id, envelope.testRunHookStarted.workerId ?? '');
    else if (envelope.testRunHookFinished !== undefined) this.onHookFinished(envelope.testRunHookFinished);
  };

  private onAttachment(a: messages.Attachment): void {
    if (a.mediaType !== scenarioResultMediaType || a.testCaseStartedId === undefined) return;
    const testCaseId = this.started.get(a.testCaseStartedId)?.testCaseId;
    const result = decodeResult(a.body);
    if (testCaseId === undefined || result === undefined) return;
    this.results.set(testCaseId, result);
    this.onResult?.(result);
  }

  /**
   * How many scenarios of each catalogue ID the features hold in this tier, selected or not:
   * cucumber emits every pickle it compiled from the run's paths before it filters them by tag.
   */
  availableScenarios(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const p of this.pickles.values()) {
      if (!p.tags.some((t) => t.name === `@${this.tier}`)) continue;
      const id = p.tags.find((t) => t.name.startsWith('@ES-'))?.name.slice(1);
      if (id !== undefined) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return counts;
  }

  /** A late fault a parallel worker handed over aside (run-state.ts reportLateFault): for its last scenario. */
  lateFault(workerId: string, fault: ImplementationFault): void {
    const last = this.lastOfWorker.get(workerId);
    if (last !== undefined) this.lateFaults.push({ testCaseId: last, fault });
  }

  /**
   * A parallel worker whose process its implementation ended (run-state.ts guardWorkerExit): the
   * scenario it was running, and any no worker was left to run, are that CRASH; when its scenarios
   * had all finished (an exit while closing), its last scenario carries it, as a late fault.
   */
  workerExited(workerId: string, fault: ImplementationFault): void {
    this.workerExits.set(workerId, fault);
    const unfinished = [...this.started.values()].some((s) => s.workerId === workerId && !this.results.has(s.testCaseId));
    if (!unfinished) this.lateFault(workerId, fault);
  }

  private onHookFinished(h: messages.TestRunHookFinished): void {
    if (String(h.result.status) !== 'FAILED') return;
    const fault = lateFaultOf(h.result.message);
    const workerId = this.hookWorkers.get(h.testRunHookStartedId) ?? '';
    const last = this.lastOfWorker.get(workerId);
    if (fault !== undefined && last !== undefined) this.lateFaults.push({ testCaseId: last, fault });
    else if (fault === undefined) this.hookFailures.push((h.result.message ?? 'a run hook failed').split('\n')[0]);
  }

  /**
   * Every planned scenario's verdict, in the planned order. A scenario whose verdict never came back
   * (its worker died, or did not start) is a SUITE_ERROR naming why, never a silent gap.
   */
  verdicts(): ScenarioResult[] {
    const byCase = new Map(this.results);
    for (const { testCaseId, fault } of this.lateFaults) {
      const last = byCase.get(testCaseId);
      if (last !== undefined) byCase.set(testCaseId, withLateFault(last, fault));
    }
    const ordered = [...this.planned.entries()].sort((a, b) => a[1].index - b[1].index);
    return ordered.map(([testCaseId, { pickleId }]) => byCase.get(testCaseId) ?? this.missing(pickleId, testCaseId));
  }

  /** Why a scenario has no verdict when an implementation ended its worker: during it, or before it ran. */
  private exitedFault(testCaseId: string): ImplementationFault | undefined {
    const on = [...this.started.values()].find((s) => s.testCaseId === testCaseId)?.workerId;
    const during = on === undefined ? undefined : this.workerExits.get(on);
    if (during !== undefined) return { ...during, reason: `${during.reason}, during this scenario` };
    const any = on === undefined ? [...this.workerExits.values()][0] : undefined;
    return any === undefined ? undefined : { ...any, reason: `not run: ${any.reason}, and no worker was left to run this scenario` };
  }

  private missing(pickleId: string, testCaseId: string): ScenarioResult {
    const p = this.pickles.get(pickleId);
    const why = this.hookFailures.length > 0 ? `: ${this.hookFailures[0]}` : ' (its hooks failed before it knew the implementation, or its worker ended before it)';
    const result = verdict({
      pickle: { uri: p?.uri ?? '(unknown)', name: p?.name ?? '(unknown)', line: p?.location?.line ?? 0, tags: (p?.tags ?? []).map((t) => t.name) },
      tier: this.tier,
      passed: false,
      failure: new Error(`no verdict came back for this scenario${why}`),
      trace: [],
    });
    const exited = this.exitedFault(testCaseId);
    if (exited !== undefined) return { ...result, status: faultStatus(exited), reason: exited.reason };
    return isProblem(result.status) ? result : { ...result, status: 'SUITE_ERROR' };
  }
}
