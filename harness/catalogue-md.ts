/**
 * Reads the catalogue tables of outcomes.md (the spec) into the shape of catalogue/outcomes.json, so
 * that a test can prove the project's copy still matches the spec, and `npm run catalogue:sync` can
 * refresh it.
 */
import type { Tier } from './results';

export interface CatalogueEntry {
  readonly id: string;
  readonly group: string;
  /** † in the spec: ESENT deviates from the documentation. */
  readonly deviates: boolean;
  /** The tier cells verbatim; null where the spec says "—" (not part of that tier). */
  readonly documented: string | null;
  readonly esent: string | null;
  readonly needs: string;
  readonly tiers: readonly Tier[];
  /** Capabilities named in the needs cell. */
  readonly capabilities: readonly string[];
}

const capabilityWords = ['threads', 'in-flight', 'instance-state', 'fault-injection'];

export function parseOutcomesMarkdown(markdown: string): CatalogueEntry[] {
  const entries: CatalogueEntry[] = [];
  let group = '';
  for (const line of markdown.split('\n')) {
    const heading = /^### (.+)$/.exec(line);
    if (heading) group = heading[1].trim();
    const row = /^\| (ES-[A-Z0-9-]+)( †)? \|(.*)\|\s*$/.exec(line);
    if (!row) continue;
    const cells = row[3].split('|').map((c) => c.trim());
    const [documentedCell, esentCell, needs = ''] = cells;
    const documented = documentedCell === '—' ? null : documentedCell;
    const esent = esentCell === '—' ? null : esentCell;
    const tiers: Tier[] = [];
    if (documented !== null) tiers.push('documented');
    if (esent !== null) tiers.push('esent');
    entries.push({
      id: row[1],
      group,
      deviates: row[2] !== undefined,
      documented,
      esent,
      needs,
      tiers,
      capabilities: capabilityWords.filter((c) => new RegExp(`(^|[^a-z-])${c}([^a-z-]|$)`).test(needs)),
    });
  }
  return entries;
}
