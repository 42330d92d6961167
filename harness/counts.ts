/** Count cells of the steps' tables, checked exactly as written: "exactly N" is exact, "at least N" a lower bound. */
import { SuiteError } from './errors';

export type Count =
  | { readonly kind: 'any' }
  | { readonly kind: 'exactly' | 'at least' | 'at most'; readonly n: number };

export function parseCount(cell: string): Count {
  const text = cell.trim();
  if (text === 'any') return { kind: 'any' };
  const m = /^(?:(exactly|at least|at most) )?(\d+)$/.exec(text);
  if (m === null) throw new SuiteError(`'${cell}' is not a count: write any, N, exactly N, at least N or at most N`);
  return { kind: (m[1] ?? 'exactly') as 'exactly' | 'at least' | 'at most', n: Number(m[2]) };
}

export function countHolds(count: Count, actual: number): boolean {
  switch (count.kind) {
    case 'any':
      return true;
    case 'exactly':
      return actual === count.n;
    case 'at least':
      return actual >= count.n;
    case 'at most':
      return actual <= count.n;
  }
}
