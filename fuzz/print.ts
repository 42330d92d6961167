/** The shrunk sequence for the terminal: one line per step, the diverging one marked. */
import { describeErr } from '../api/codes';
import { callText } from './gherkin';
import type { TraceStep } from './trace';

function describeStep(step: TraceStep): string {
  switch (step.kind) {
    case 'call':
      return `${callText(step.call)} -> ${describeErr(step.err)}${step.save ? `, ${step.save.out} as ${step.save.as}` : ''}`;
    case 'hold':
      return `${callText(step.call)} held in flight`;
    case 'release':
      return `release of ${callText(step.call)} -> ${describeErr(step.err)}`;
    case 'start':
      return `${callText(step.call)} started (waits for the held calls)`;
    case 'waiting':
      return 'the started call is still waiting';
    case 'returned':
      return `the started ${step.call.op} -> ${describeErr(step.err)}`;
    case 'inject':
      return `inject: clean-up step ${step.fault.step} fails with ${describeErr(step.fault.err)} ${step.fault.times}x`;
    case 'force':
      return `force: i1 into a fatal error caused by ${describeErr(step.cause)}`;
  }
}

export function traceLines(trace: readonly TraceStep[]): string[] {
  const width = String(trace.length).length;
  return trace.map((step, i) => {
    const mark = step.divergence ? '>' : ' ';
    const head = step.kind === 'call' || step.kind === 'hold' || step.kind === 'start' ? callText(step.call) : describeStep(step);
    const text = step.divergence ? `${head}  <-- ${step.divergence.message}` : describeStep(step);
    return `${mark}${String(i + 1).padStart(width)} ${step.thread.padEnd(2)} ${text}`;
  });
}
