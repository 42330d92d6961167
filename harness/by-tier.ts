/**
 * Expectations keyed by tier: the tables under "Then the call returns, by tier:". A tier may allow
 * several outcomes (the documented tier's sets); each row may name its outcome so that later steps
 * check the postcondition of the member that happened ("if the outcome was ended, ...").
 */
import { describeErr, parseErr } from '../oracle/codes';
import type { Tier } from './results';
import { tiers } from './results';

export interface TierRow {
  readonly tier: Tier;
  readonly returns: string;
  readonly outcome?: string;
}

export type Allowed = { readonly kind: 'anything' } | { readonly kind: 'any-error' } | { readonly kind: 'codes'; readonly codes: readonly number[] };

export function parseAllowed(cell: string): Allowed {
  const text = cell.trim();
  if (text === 'anything') return { kind: 'anything' };
  if (text === 'any error') return { kind: 'any-error' };
  const codes = text.split(/\s+or\s+/).map((part) => {
    const code = parseErr(part);
    if (code === undefined) throw new Error(`'${part}' is not a JET_err name or number (in '${cell}')`);
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
    if (!tiers.includes(tier)) throw new Error(`'${row.tier}' is not a tier; use ${tiers.join(' or ')}`);
    if (row.returns === undefined) throw new Error('a by-tier table needs a "returns" column');
    parseAllowed(row.returns);
    const outcome = row.outcome?.trim();
    return { tier, returns: row.returns, ...(outcome ? { outcome } : {}) };
  });
}

/** The row of `tier` that allows `err`, or a description of what was allowed. */
export function matchTier(rows: readonly TierRow[], tier: Tier, err: number): { row?: TierRow; expected: string } {
  const mine = rows.filter((r) => r.tier === tier);
  if (mine.length === 0) throw new Error(`the scenario states no expectation for the ${tier} tier`);
  const row = mine.find((r) => allows(parseAllowed(r.returns), err));
  const expected = mine.map((r) => describeAllowed(parseAllowed(r.returns)) + (r.outcome ? ` [${r.outcome}]` : '')).join(', or ');
  return { ...(row ? { row } : {}), expected: `${expected} (${tier} tier)` };
}
