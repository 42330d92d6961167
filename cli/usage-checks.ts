/** Checks of `run`'s selection made before anything starts, each failing as one line (exit 2). */
import parseTagExpression from '@cucumber/tag-expressions';
import { UsageError } from './command';
import type { Tier } from '../harness/results';

/** A malformed cucumber tag expression, reported as cucumber's parser words it. */
export function checkTagExpression(tags: string | undefined): void {
  if (tags === undefined) return;
  try {
    parseTagExpression(tags);
  } catch (e) {
    const why = (e instanceof Error ? e.message : String(e)).split('\n')[0].replace(/^Tag expression "[^"]*" could not be parsed because of syntax error: /, '');
    throw new UsageError('ERR_ESE_TAG_EXPRESSION', `--tags ${JSON.stringify(tags)}: not a tag expression (${why}); e.g. --tags "@ES-SESSION-IN-USE and not @needs:threads"`);
  }
}

/** An --id that is not part of any tier the run makes would select nothing: name the tiers it has. */
export function checkIdsInTiers(ids: readonly string[], tiers: readonly Tier[], catalogue: readonly { id: string; tiers: readonly Tier[] }[]): void {
  for (const id of ids) {
    const entry = catalogue.find((e) => e.id === id);
    if (entry === undefined || entry.tiers.some((t) => tiers.includes(t))) continue;
    throw new UsageError('ERR_ESE_ID_NOT_IN_TIER', `--id ${id} is not part of the ${tiers.join(' or ')} tier (its tiers: ${entry.tiers.join(', ')}); use --tier ${entry.tiers[0]} or --tier all`);
  }
}

/** The words for an adapter name that resolved to nothing. */
export function unknownAdapterMessage(name: string, known: readonly string[]): string {
  if (name.startsWith('mutant:')) return `--adapter ${name}: no mutant named '${name.slice('mutant:'.length)}'; 'ese-conformance mutants --list' lists them`;
  return `--adapter ${name}: unknown adapter; use ${known.join(', ')} or mutant:NAME`;
}
