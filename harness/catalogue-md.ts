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

/** One named number of the catalogue: a JET_err/JET_wrn code, a parameter, a grbit or a constant. */
export interface CatalogueCode {
  readonly name: string;
  readonly kind: 'err' | 'param' | 'bit' | 'constant';
  readonly value: number;
  /** Where the number comes from: the spec's "Codes used", or jethdr.w for a code the suite uses beyond it. */
  readonly source: string;
}

/**
 * Codes the scenarios name that outcomes.md "Codes used" does not list (a JetOpenTable of a table a
 * rolled-back transaction created). Numbers from ESE's published/inc/jethdr.w, like the spec's.
 */
export const codesBeyondSpec: readonly CatalogueCode[] = [
  { name: 'JET_errObjectNotFound', kind: 'err', value: -1305, source: 'jethdr.w (JET_errObjectNotFound, "No such table or object")' },
  { name: 'JET_bitNil', kind: 'bit', value: 0, source: 'jethdr.w (JET_bitNil); ese-source-notes.md' },
  { name: 'JET_bitColumnTTKey', kind: 'bit', value: 0x40, source: 'jethdr.w 4556 (JET_bitColumnTTKey): a temp table with a key column stays a sort (sortapi.cxx 3296-3311)' },
  // Named by features/regressions/ese-engine.feature: what the fuzzer found the ESE engine answering.
  { name: 'JET_errInvalidName', kind: 'err', value: -1002, source: 'jethdr.w (JET_errInvalidName): JetOpenTable of an empty name (fileopen.cxx 1455)' },
  { name: 'JET_errInvalidBufferSize', kind: 'err', value: -1047, source: 'jethdr.w (JET_errInvalidBufferSize): a fixed column given another size (fldmod.cxx 2423-2440)' },
  { name: 'JET_errIllegalOperation', kind: 'err', value: -1312, source: 'jethdr.w (JET_errIllegalOperation): JetAddColumn on a temp table, JetDupCursor of a sort (sortapi.cxx)' },
  { name: 'JET_errPermissionDenied', kind: 'err', value: -1809, source: 'jethdr.w (JET_errPermissionDenied): JetSetColumn on a read-only cursor (fldmod.cxx 1947-1963)' },
  { name: 'JET_errUpdateNotPrepared', kind: 'err', value: -1609, source: 'jethdr.w (JET_errUpdateNotPrepared): JET_prepCancel with nothing prepared (fldmod.cxx 786-790)' },
  { name: 'JET_errDatabaseDuplicate', kind: 'err', value: -1201, source: 'jethdr.w (JET_errDatabaseDuplicate): JetCreateDatabase of a name this instance has, or of an existing file (db.cxx 1788-1791)' },
  { name: 'JET_errDatabaseSharingViolation', kind: 'err', value: -1215, source: 'jethdr.w (JET_errDatabaseSharingViolation): a database another instance has attached (fmp.cxx 1190-1233)' },
  { name: 'JET_prepInsertCopy', kind: 'constant', value: 5, source: 'jethdr.w 4938 (JET_prepInsertCopy): needs a transaction (lv.cxx 6054-6058)' },
  { name: 'JET_errTableDuplicate', kind: 'err', value: -1303, source: 'jethdr.w 6473 (JET_errTableDuplicate): JetCreateTable of a taken name, whose undo drops an exclusive open (cat.cxx 2598, ver.cxx 5132-5176)' },
  { name: 'JET_errColumnNotFound', kind: 'err', value: -1507, source: 'jethdr.w 6553 (JET_errColumnNotFound): another session\'s uncommitted column (fldext.cxx 234-270)' },
];

const codesSource = 'outcomes.md "Codes used"';

/**
 * Reads the "Codes used" paragraph of outcomes.md. It abbreviates: "-506 RestoreInProgress" is
 * JET_errRestoreInProgress, "+1327 wrnTableInUseBySystem" JET_wrnTableInUseBySystem, and after
 * "JET_bitTableDenyWrite 0x1" the names "DenyRead", "ReadOnly" continue the family JET_bitTable.
 * Constants (cRow, prep, coltyp: signed longs) are kept as signed 32-bit numbers.
 */
export function parseCodesUsed(markdown: string): CatalogueCode[] {
  const start = markdown.indexOf('## Codes used');
  if (start < 0) throw new Error('outcomes.md has no "## Codes used" section');
  const end = markdown.indexOf('\n## ', start + 1);
  const text = markdown.slice(start, end < 0 ? undefined : end).replace(/^## [^\n]*\n/, '').replace(/\s+/g, ' ');
  const split = text.indexOf('Parameters:');
  const errorsPart = split < 0 ? text : text.slice(0, split);
  const rest = split < 0 ? '' : text.slice(split);
  const codes: CatalogueCode[] = [];
  for (const [, number, name] of errorsPart.matchAll(/([+-]?\d+) ((?:JET_)?[A-Za-z]+)/g)) {
    const full = name.startsWith('JET_') ? name : /^(err|wrn)/.test(name) ? `JET_${name}` : `JET_err${name}`;
    codes.push({ name: full, kind: 'err', value: Number(number), source: codesSource });
  }
  let last = '';
  let family: string | undefined;
  for (const [, name, valueText] of rest.matchAll(/((?:JET_)?[A-Za-z]+) (0x[0-9a-fA-F]+|-?\d+)\b/g)) {
    let full: string;
    if (name.startsWith('JET_')) {
      full = name;
      last = name;
      family = undefined;
    } else if (/^[a-z]/.test(name)) {
      full = `JET_${name}`;
    } else {
      family ??= familyOf(last, name);
      if (family === undefined) throw new Error(`"Codes used": cannot tell the family of the abbreviated name ${name} (after ${last || 'nothing'})`);
      full = family + name;
    }
    const kind = full.startsWith('JET_param') ? 'param' : full.startsWith('JET_bit') ? 'bit' : 'constant';
    const value = kind === 'constant' ? Number(valueText) | 0 : Number(valueText);
    codes.push({ name: full, kind, value, source: codesSource });
  }
  return codes;
}

/** "JET_bitTableDenyWrite" and "DenyRead": the abbreviation takes over at the word it starts with. */
function familyOf(full: string, abbreviated: string): string | undefined {
  const m = /^(JET_[a-z]*)(.*)$/.exec(full);
  if (m === null) return undefined;
  const words: string[] = m[2].match(/[A-Z][a-z0-9]*/g) ?? [];
  const first = /^[A-Z][a-z0-9]*/.exec(abbreviated)?.[0];
  const at = words.indexOf(first ?? '');
  return at < 0 ? undefined : m[1] + words.slice(0, at).join('');
}
