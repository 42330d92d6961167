/**
 * The kind of a divergence, for grouping a campaign's findings: the operation, the reference's
 * answer and the implementation's, without what varies from run to run (request ids, exit
 * details, handle values).
 */
import type { Divergence } from './trace';

export function divergenceKind(d: Divergence): string {
  const op = /^(\w+)/.exec(d.message)?.[1] ?? '?';
  if (d.kind === 'out') return `${op}: ${d.out?.name ?? 'out-value'} differs (expected ${d.expected})`;
  let actual = d.actual;
  if (d.kind === 'fault' || d.kind === 'held' || d.kind === 'status' || d.kind === 'waiting') actual = /^[A-Z_]+/.exec(d.actual)?.[0] ?? d.kind;
  if (d.kind === 'alias') actual = 'a handle still in use';
  return `${op}: expected ${d.expected}, got ${actual}`;
}
