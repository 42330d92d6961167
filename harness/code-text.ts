/**
 * Codes in prose, by name and number: the catalogue's cells say "-1104" and the steps say
 * "JET_errInvalidSesid"; what a person reads (docs/catalogue.md, `ese-conformance list`) says both.
 */
export interface NamedCode {
  readonly name: string;
  readonly kind: string;
  readonly value: number;
}

/** "-1104" → "JET_errInvalidSesid (-1104)"; a bare 0 outcome → "JET_errSuccess (0)" ("level 0" stays). */
export function nameCodes(text: string, codes: readonly NamedCode[]): string {
  const byValue = new Map(codes.filter((c) => c.kind === 'err').map((c) => [c.value, c.name]));
  return text
    .replace(/(?<![\w.])([-+]\d{3,4})(?!\d| JET_)/g, (m, n: string) => {
      const name = byValue.get(Number(n));
      return name === undefined ? m : `${name} (${n})`;
    })
    .replace(/(?<=(?:^|[:;,] |gives |either |returns? |to ))0(?=$|[,;.) ]|: )(?! JET_)/g, 'JET_errSuccess (0)');
}

/** "JET_errTableLocked" → "JET_errTableLocked (-1302)" where the text does not give the number already. */
export function numberNames(text: string, codes: readonly NamedCode[]): string {
  const byName = new Map(codes.map((c) => [c.name, c.value]));
  return text.replace(/\b(JET_(?:err|wrn)\w+)\b(?! \()/g, (m, name: string) => {
    const value = byName.get(name);
    return value === undefined ? m : `${name} (${value})`;
  });
}
