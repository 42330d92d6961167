/**
 * `fuzz --keep-going`: prints and records a campaign that goes on after each divergence
 * (fuzz/keep-going.ts): the runs, the calls avoided and why, every kind of divergence with its
 * runs, and for each kind its shrunk counterexample, replay command and written feature.
 * `campaign-SEED.json` in the report directory holds every diverging run (index, both answers).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Implementation } from '../../adapters';
import type { AvoidRule } from '../../fuzz/avoid';
import { renderFeature, replayCommand, type FeatureContext } from '../../fuzz/gherkin';
import { fuzzKeepGoing, type KeepGoingReport } from '../../fuzz/keep-going';
import { traceLines } from '../../fuzz/print';
import { verifyFeature } from '../../fuzz/verify';
import { neutralise } from '../../text/terminal';
import type { CliIo } from '../command';

export interface KeepGoingCliOptions {
  readonly adapter: string;
  readonly runs: number;
  readonly seed: number;
  readonly maxSteps: number;
  readonly reportDir: string;
  readonly timeoutMs: number;
  readonly verify: boolean;
  readonly command: readonly string[];
  readonly avoid: readonly AvoidRule[];
  readonly shrinkBudget?: number;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** The avoided calls, each with its rule's reason (printed even when none was needed), and the holds and faults refused. */
export function avoidedLines(rules: readonly AvoidRule[], counts: Readonly<Record<string, number>>, refused: number, refusedFaults: number): string[] {
  const lines = rules.map((r) => `avoided (--avoid ${r.name}): ${counts[r.name] ?? 0} calls not made: ${r.call}. ${r.reason}`);
  if (refused > 0) lines.push(`not holdable: ${refused} holds the implementation answered "unsupported" (it cannot keep that call in flight): made on neither side, not compared`);
  if (refusedFaults > 0) lines.push(`not injectable: ${refusedFaults} faults the implementation answered "unsupported" (it cannot fail at that step): armed on neither side, not compared`);
  return lines;
}

function record(report: KeepGoingReport, options: KeepGoingCliOptions): unknown {
  return {
    seed: report.seed,
    maxSteps: options.maxSteps,
    runs: report.runs,
    calls: report.calls,
    durationMs: Math.round(report.durationMs),
    shrinkCalls: report.shrinkCalls,
    shrinkMs: Math.round(report.shrinkMs),
    capabilities: report.capabilities,
    avoided: options.avoid.map((r) => ({ name: r.name, call: r.call, reason: r.reason, count: report.avoided[r.name] ?? 0 })),
    notHoldable: report.notHoldable,
    notInjectable: report.notInjectable,
    held: report.held,
    runsWithHolds: report.runsWithHolds,
    failedRuns: report.failedRuns.map((f) => ({ run: f.run, reason: neutralise(f.reason) })),
    ...(report.stopped === undefined ? {} : { stopped: neutralise(report.stopped) }),
    divergences: report.divergences.map((d) => ({
      run: d.run,
      kind: neutralise(d.kind),
      message: neutralise(d.divergence.message),
      reference: neutralise(d.divergence.expected),
      implementation: neutralise(d.divergence.actual),
      steps: d.steps,
    })),
    kinds: report.kinds.map((k) => ({
      kind: neutralise(k.kind),
      runs: k.runs,
      ...(k.shrunk?.finding
        ? {
            replay: k.shrunk.finding.replay,
            shrunkSteps: k.shrunk.finding.trace.length,
            reproduced: k.shrunk.finding.reproduced,
            shrinkBudgetSpent: k.shrunk.shrinkBudgetSpent,
            trace: traceLines(k.shrunk.finding.trace).map((l) => neutralise(l, { keepTabs: true })),
          }
        : {}),
    })),
  };
}

export async function runKeepGoing(sut: Implementation, options: KeepGoingCliOptions, io: CliIo): Promise<number> {
  const report = await fuzzKeepGoing({
    sut,
    seed: options.seed,
    runs: options.runs,
    maxSteps: options.maxSteps,
    settleMs: options.adapter === 'process' ? 50 : 0,
    awaitTimeoutMs: options.timeoutMs,
    avoid: options.avoid,
    ...(options.shrinkBudget === undefined ? {} : { shrinkBudget: options.shrinkBudget }),
    shrink: true,
    // Progress on stderr: a long campaign against a slow engine shows it is alive.
    onExplored: (r) => {
      fs.mkdirSync(options.reportDir, { recursive: true });
      fs.writeFileSync(path.join(options.reportDir, `campaign-${options.seed}.json`), JSON.stringify(record(r, options), null, 2) + '\n');
      io.err(`fuzz: ${r.runs} runs made, ${r.divergences.length} diverged in ${r.kinds.length} kinds; shrinking each kind's first run`);
    },
    onProgress: (p) => io.err(p.phase === 'explore' ? `fuzz: ${p.runs} runs, ${p.diverged} diverged, ${p.calls} calls` : `fuzz: shrinking ${neutralise(p.kind ?? '')}`),
  });
  const caps = report.capabilities.length > 0 ? report.capabilities.join(', ') : 'none';
  const diverged = new Set(report.divergences.map((d) => d.run)).size;
  io.out(
    `fuzz: seed ${report.seed}, ${report.runs} runs, ${report.calls} calls in ${seconds(report.durationMs)}; ${diverged} runs diverged (${report.kinds.length} kinds); ` +
      `${report.failedRuns.length} resets failed; shrinking ${report.shrinkCalls} calls in ${seconds(report.shrinkMs)}; capabilities used: ${caps}`,
  );
  for (const line of avoidedLines(options.avoid, report.avoided, report.notHoldable, report.notInjectable)) io.out(line);
  // A campaign with `in-flight` says how many calls it really held: refused holds alone prove nothing.
  if (report.capabilities.includes('in-flight')) io.out(`held in flight: ${report.held} calls held on both sides, in ${report.runsWithHolds} of ${report.runs} runs`);
  if (report.stopped !== undefined) io.err(`ese-conformance fuzz: the campaign stopped early: ${neutralise(report.stopped)}`);
  for (const f of report.failedRuns) io.out(`run ${f.run}: ${neutralise(f.reason)}`);
  fs.mkdirSync(options.reportDir, { recursive: true });
  let n = 0;
  for (const k of report.kinds) {
    n++;
    io.out(`kind ${n}: ${neutralise(k.kind)} in ${k.runs.length} runs (${k.runs.slice(0, 20).join(', ')}${k.runs.length > 20 ? ', ...' : ''})`);
    const finding = k.shrunk?.finding;
    if (finding === undefined) {
      io.out(`  not shrunk: ${k.shrunk?.error !== undefined ? neutralise(k.shrunk.error) : 'run ' + k.runs[0] + ' did not diverge again (nondeterministic implementation?)'}`);
      continue;
    }
    const oneLine = { ...finding, divergence: { ...finding.divergence, message: neutralise(finding.divergence.message) } };
    const ctx: FeatureContext = { finding: oneLine, seed: options.seed, maxSteps: options.maxSteps, adapter: options.adapter, command: options.command };
    const notes = [finding.reproduced ? '' : 'WARNING: did not diverge the same way again', k.shrunk?.shrinkBudgetSpent ? 'shrink budget spent' : ''].filter((x) => x !== '');
    io.out(`  shrunk (${finding.trace.length} steps, ${finding.shrinks} shrinks${notes.length > 0 ? '; ' + notes.join('; ') : ''}):`);
    for (const line of traceLines(finding.trace)) io.out(`    ${neutralise(line, { keepTabs: true })}`);
    io.out(`  replay: ${replayCommand(ctx)}`);
    const feature = renderFeature(ctx);
    const file = path.join(options.reportDir, feature.fileName);
    fs.writeFileSync(file, feature.text);
    io.out(`  feature: ${path.relative(io.cwd, file) || file} (${feature.tags.join(' ')})`);
    if (feature.missingSteps.length === 0 && options.verify) {
      const v = await verifyFeature(file, sut, options.adapter);
      io.out(v.ok ? `  verified: PASS against the reference, ${v.implementation} against ${options.adapter}` : `  NOT verified: ${neutralise(v.detail)}`);
    }
  }
  const json = path.join(options.reportDir, `campaign-${options.seed}.json`);
  fs.writeFileSync(json, JSON.stringify(record(report, options), null, 2) + '\n');
  io.out(`record: ${path.relative(io.cwd, json) || json}`);
  if (report.stopped !== undefined) return 1;
  return report.divergences.length > 0 || report.failedRuns.length > 0 ? 1 : 0;
}
