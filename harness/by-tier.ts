/**
 * Expectations keyed by tier: the tables under "Then the call returns, by tier:". A tier may allow
 * several outcomes (the documented tier's sets); each row may name its outcome so that later steps
 * check the postcondition of the member that happened ("if the outcome was ended, ...").
 */
import { describeErr, parseErr } from './codes';
import { SuiteError } from './errors';
import type { Tier } from './results';
import { tiers } from './results';

export interface TierRow {
  readonly tier: Tier;
  readonly returns: string;
  readonly outcome?: string;
}

export type Allowed = { readonly kind: 'anything' } | { readonly kind: 'any-error' } | { readonly kind: 'codes'; readonly codes: readonly number[] };

/** Cells parsed so far: a run checks the same few hundred cells thousands of times (an Allowed is never changed). */
const parsedCells = new Map<string, Allowed>();

export function parseAllowed(cell: string): Allowed {
  let allowed = parsedCells.get(cell);
  if (allowed === undefined) {
    allowed = parseCell(cell);
    parsedCells.set(cell, allowed);
  }
  return allowed;
}

function parseCell(cell: string): Allowed {
  const text = cell.trim();
  if (text === 'anything') return { kind: 'anything' };
  if (text === 'any error') return { kind: 'any-error' };
  const codes = text.split(/\s+or\s+/).map((part) => {
    const code = parseErr(part);
    if (code === undefined) throw new SuiteError(`'${part}' is not a JET_err name of the catalogue copy or a number (in '${cell}')`);
    return code;
  });
  return { kind: 'codes', codes };
}

export function allows(allowed: Allowed, err: number): boolean {
  switch (allowed.kind) {
    case 'anything':
      return true;
    case 'any-error':
      return err < 0;
    case 'codes':
      return allowed.codes.includes(err);
  }
}

export function describeAllowed(allowed: Allowed): string {
  switch (allowed.kind) {
    case 'anything':
      return 'anything';
    case 'any-error':
      return 'any error (a negative JET_err)';
    case 'codes':
      return allowed.codes.map(describeErr).join(' or ');
  }
}

export function parseTierRows(rows: readonly Record<string, string>[]): TierRow[] {
  return rows.map((row) => {
    const tier = row.tier?.trim() as Tier;
    if (!tiers.includes(tier)) throw new SuiteError(`'${row.tier}' is not a tier; use ${tiers.join(' or ')}`);
    if (row.returns === undefined) throw new SuiteError('a by-tier table needs a "returns" column');
    parseAllowed(row.returns);
    const outcome = row.outcome?.trim();
    // With an outcome column, every row names its outcome: a row without one could never be referred to.
    if ('outcome' in row && !outcome) throw new SuiteError(`the ${tier} row allowing ${row.returns.trim()} names no outcome`);
    return { tier, returns: row.returns, ...(outcome ? { outcome } : {}) };
  });
}

/** The row of `tier` that allows `err`, or a description of what was allowed. */
export function matchTier(rows: readonly TierRow[], tier: Tier, err: number): { row?: TierRow; expected: string } {
  const mine = rows.filter((r) => r.tier === tier);
  if (mine.length === 0) throw new SuiteError(`the scenario states no expectation for the ${tier} tier`);
  const row = mine.find((r) => allows(parseAllowed(r.returns), err));
  // Described when read: only a failure reads it.
  const expected = () => `${mine.map((r) => describeAllowed(parseAllowed(r.returns)) + (r.outcome ? ` [${r.outcome}]` : '')).join(', or ')} (${tier} tier)`;
  return {
    ...(row ? { row } : {}),
    get expected() {
      return expected();
    },
  };
}
