/**
 * matrix.html escapes by construction (JSX rendered by Preact): markup put into every string of a
 * matrix.json (implementation name, version, target, capabilities, adapter, tiers, suite, IDs,
 * statuses, scenario names, reasons, expected/actual, tags, doc, features, stderr, trace) comes out
 * as text, never as an element or an attribute, and control characters come out visible.
 */
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { Matrix } from '../../harness/results';
import { renderMatrixHtml } from '../../reporting/matrix-html';
import { loadFixture } from './helpers';

const markup = `"'><i class="injected" onmouseover="x()">&amp;</i><script>alert(1)</script>\u001b[31m`;

/** The fields that link results to scenarios and columns: poisoned in one pass, kept in the other. */
const structural = new Set(['tiers', 'tier', 'status', 'id', 'catalogueId', 'scenarios', 'ids']);

/** Every string value (not the keys) with the markup appended, except under `keep`; numbers and booleans as they are. */
function poison<T>(value: T, keep: ReadonlySet<string> = new Set()): T {
  if (typeof value === 'string') return (value + markup) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => poison(v, keep)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, keep.has(k) && (typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'))) ? v : poison(v, keep)])) as T;
  }
  return value;
}

/**
 * The page read as an HTML tokenizer reads it: tags (name and attribute names; attribute values are
 * double-quoted) and text. A '<' that does not open a well-formed tag throws.
 */
function tokens(html: string): { elements: Set<string>; attributes: Set<string>; text: string } {
  const elements = new Set<string>();
  const attributes = new Set<string>();
  let text = '';
  const tag = /<(\/?)([a-z][a-z0-9]*)((?:\s+[a-z][a-z-]*(?:="[^"]*")?)*)\s*\/?>|<!DOCTYPE html>|[^<]+/giy;
  let at = 0;
  while (at < html.length) {
    tag.lastIndex = at;
    const m = tag.exec(html);
    if (m === null) throw new Error(`not a well-formed tag at ${at}: ${html.slice(at, at + 80)}`);
    at = tag.lastIndex;
    if (m[2] === undefined) {
      if (!m[0].startsWith('<')) text += m[0];
      continue;
    }
    elements.add(m[2].toLowerCase());
    for (const a of m[3].matchAll(/\s+([a-z][a-z-]*)(?:="[^"]*")?/gi)) attributes.add(a[1].toLowerCase());
  }
  return { elements, attributes, text: decode(text) };
}

function decode(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
}

test('markup in every string of matrix.json is shown as text, never becomes markup', () => {
  const clean = loadFixture('mixed.json');
  const plain = tokens(renderMatrixHtml([clean, loadFixture('reference.json')]));
  assert.ok(plain.elements.has('details') && plain.attributes.has('href'), 'the tokenizer reads the clean page');
  // Everything poisoned (IDs, tiers and statuses no longer link up), then everything but those links.
  for (const [matrix, linked] of [[poison(clean), false], [poison(clean, structural), true]] as const) {
    const html = renderMatrixHtml([matrix, loadFixture('reference.json')]);
    const page = tokens(html);
    assert.deepEqual([...page.elements].filter((e) => !plain.elements.has(e)), [], 'only elements the clean page has');
    assert.deepEqual([...page.attributes].filter((a) => !plain.attributes.has(a)), [], 'only attributes the clean page has');
    assert.ok(!page.elements.has('script') && !page.elements.has('i') && !page.attributes.has('onmouseover'));
    assert.ok(!html.includes('\u001b'), 'no raw control character');
    const text = page.text;
    assert.ok(text.includes(`${clean.implementation.name}${markup.replace('\u001b', '\\x1b')}`), 'the name is shown, as text');
    if (!linked) continue;
    const reasons = clean.scenarios.flatMap((s) => (s.reason === undefined ? [] : [s.reason]));
    assert.ok(reasons.length > 0);
    for (const r of reasons) assert.ok(text.includes(r + markup.replace('\u001b', '\\x1b')), `reason shown as text: ${r}`);
  }
});

test('the tier of a column, shown in headings and labels, is escaped too (it was printed raw once)', () => {
  const m = loadFixture('mixed.json');
  const tier = `esent<img src=x>` as Matrix['tiers'][number];
  const html = renderMatrixHtml([{ ...m, tiers: [tier], scenarios: m.scenarios.map((s) => ({ ...s, tier })) }]);
  assert.ok(!tokens(html).elements.has('img'));
  assert.ok(tokens(html).text.includes('esent<img src=x>'), 'shown as text');
});
