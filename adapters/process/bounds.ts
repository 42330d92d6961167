/**
 * Bounds of one untrusted protocol line, checked on its text before JSON.parse or anything else
 * walks it: nesting depth, number of values, and integers only (the protocol has no fractions or
 * exponents, docs/protocol.md section 5; JSON.parse would turn `1E2` into 100 and `0.0` into 0
 * unseen). A single linear pass without recursion, so a line of 100,000 `[` costs nothing.
 */

export interface JsonBounds {
  /** Deepest nesting of objects and arrays (the protocol's deepest answer has 3). */
  readonly maxDepth: number;
  /** Values of any kind in the line, keys included. */
  readonly maxValues: number;
}

export const answerBounds: JsonBounds = { maxDepth: 16, maxValues: 10_000 };

export interface ScanResult {
  /** The line exceeds the depth or value bounds (checked before JSON.parse). */
  readonly shape?: string;
  /** A number token with a fraction or exponent (meaningful once the line parsed as JSON). */
  readonly number?: string;
}

/** How `text` exceeds the bounds, as phrases for a reason; empty when within them. */
export function scanJson(text: string, bounds: JsonBounds = answerBounds): ScanResult {
  let depth = 0;
  let badNumber: string | undefined;
  let values = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      values++;
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === 0x5c /* \ */) i += 2;
        else if (d === 0x22) break;
        else i++;
      }
      i++;
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      values++;
      depth++;
      if (depth > bounds.maxDepth) return { shape: `a line nested deeper than ${bounds.maxDepth} levels (the protocol's limit)` };
      i++;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
      i++;
    } else if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
      const start = i;
      i++;
      while (i < n && /[0-9.eE+-]/.test(text[i])) i++;
      const token = text.slice(start, i);
      values++;
      if (badNumber === undefined && /[.eE]/.test(token)) {
        badNumber = `a number with a fraction or an exponent (${token.length > 40 ? `${token.slice(0, 40)}...` : token}); the protocol's numbers are integers`;
      }
    } else {
      if (c === 0x74 || c === 0x66 || c === 0x6e) values++; // true, false, null
      i++;
      // Skip the rest of a literal in one go.
      while (i < n && text.charCodeAt(i) >= 0x61 && text.charCodeAt(i) <= 0x7a) i++;
    }
    if (values > bounds.maxValues) return { shape: `a line with more than ${bounds.maxValues} values (the protocol's limit)` };
  }
  return badNumber === undefined ? {} : { number: badNumber };
}
