/**
 * The terminal during and after a run: a progress line the runner updates per finished scenario,
 * and the closing summary (per-tier score, failures with their catalogue IDs, report paths).
 */
import * as path from 'node:path';
import type { Matrix, Status, Tier } from '../harness/results';
import { scoreLine } from './score';
import { terminalLine as safe } from '../text/terminal';

export interface ProgressSink {
  /** Writes text as is (no newline added). */
  readonly write: (text: string) => void;
  /** On a TTY the line is redrawn in place; otherwise lines are printed now and then. */
  readonly isTTY: boolean;
}

export interface FinishedScenario {
  readonly tier: Tier;
  readonly catalogueId: string;
  readonly scenario: string;
  readonly status: Status;
}

export interface Progress {
  /** Call when a tier's cucumber run starts; total = scenarios selected for it, when known. */
  tierStarted(tier: Tier, total?: number): void;
  /** Call once per finished scenario. */
  scenarioFinished(result: FinishedScenario): void;
  /** Call after the last tier: ends the progress line. */
  finish(): void;
}

const bad = (s: Status) => s !== 'PASS' && s !== 'NOT_APPLICABLE';

/**
 * On a TTY: one line redrawn at most every 100 ms. Elsewhere (CI logs): a line per failing
 * scenario, every `everyN` scenarios and at the end of each tier, never a flood.
 */
export function createProgress(sink: ProgressSink, opts: { now?: () => number; everyN?: number } = {}): Progress {
  const now = opts.now ?? Date.now;
  const everyN = opts.everyN ?? 25;
  const start = now();
  let tier: Tier | undefined;
  let total: number | undefined;
  let done = 0;
  let failed = 0;
  let lastDraw = -Infinity;
  let drawn = false;

  const elapsed = () => `${((now() - start) / 1000).toFixed(1)} s`;
  const status = () => `[${tier ?? '-'}] ${done}${total === undefined ? '' : `/${total}`} scenarios, ${failed} not passing, ${elapsed()}`;
  const line = (text: string) => {
    if (sink.isTTY && drawn) sink.write('\r\x1b[2K');
    drawn = false;
    sink.write(text + '\n');
  };
  const endTier = () => {
    if (tier !== undefined && (done > 0 || drawn)) line(status());
  };

  return {
    tierStarted(next, count) {
      endTier();
      tier = next;
      total = count;
      done = 0;
      failed = 0;
      lastDraw = -Infinity;
    },
    scenarioFinished(result) {
      if (tier === undefined) tier = result.tier;
      done++;
      if (bad(result.status)) {
        failed++;
        line(`  ${result.status} ${result.tier} ${result.catalogueId}: ${safe(result.scenario, 120)}`);
      }
      if (sink.isTTY) {
        if (now() - lastDraw >= 100 || done === total) {
          sink.write(`\r\x1b[2K${status()}`);
          drawn = true;
          lastDraw = now();
        }
      } else if (done % everyN === 0 && done !== total) line(status());
    },
    finish() {
      endTier();
      tier = undefined;
    },
  };
}

/** The closing lines of a run. `written` are the report paths (shown relative to cwd). */
export function summaryLines(matrix: Matrix, written: readonly string[], opts: { cwd?: string } = {}): string[] {
  const cwd = opts.cwd ?? process.cwd();
  const impl = matrix.implementation;
  const lines = [
    `${safe(impl.name, 80)} ${safe(impl.version, 40)} (${safe(impl.target, 40)}, ${impl.pointerWidth}-bit) through the ${safe(matrix.adapter, 40)} adapter: ${matrix.scenarios.length} scenario results in ${(matrix.durationMs / 1000).toFixed(1)} s${matrix.interrupted ? ' (INTERRUPTED: partial results)' : ''}`,
  ];
  const width = Math.max(...matrix.tiers.map((t) => t.length));
  for (const tier of matrix.tiers) {
    const score = matrix.scores.find((s) => s.tier === tier);
    const sc = matrix.scenarios.filter((s) => s.tier === tier);
    const byStatus = (['PASS', 'SUITE_ERROR', 'FAIL', 'CRASH', 'TIMEOUT', 'PROTOCOL_ERROR', 'NOT_APPLICABLE'] as const)
      .map((st) => [st, sc.filter((s) => s.status === st).length] as const)
      .filter(([, n]) => n > 0)
      .map(([st, n]) => `${n} ${st}`);
    const scored = scoreLine(matrix, tier);
    const partial = score?.partial === true && !scored.includes('partial run') ? ' (partial run: some scenarios not selected)' : '';
    lines.push(`  ${(tier + ':').padEnd(width + 1)} ${scored}${partial}; scenarios: ${byStatus.join(', ') || 'none'}`);
  }
  const failures = matrix.scenarios.filter((s) => bad(s.status));
  if (failures.length > 0) {
    lines.push('Not passing:');
    for (const s of failures) {
      const deviates = matrix.ids.some((r) => r.id === s.catalogueId && r.deviates) ? ' †' : '';
      // Expected and actual codes by name and number, beside the reason.
      const codes = [s.expected && `expected ${s.expected}`, s.actual && `actual ${s.actual}`].filter(Boolean).join(', ');
      const detail = s.reason === undefined ? codes : codes === '' ? s.reason : `${s.reason} (${codes})`;
      lines.push(`  ${s.status} ${s.tier} ${s.catalogueId}${deviates}: ${safe(s.scenario, 100)} (${s.feature}:${s.line})${detail ? `: ${safe(detail, 300)}` : ''}`);
    }
  }
  if (written.length > 0) {
    lines.push('Reports:');
    for (const file of written) {
      const rel = path.relative(cwd, file);
      lines.push(`  ${rel.startsWith('..') || path.isAbsolute(rel) ? file : rel}`);
    }
  }
  return lines;
}
