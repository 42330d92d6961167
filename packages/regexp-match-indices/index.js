'use strict';
// regexp-match-indices@1.0.2's default export, exec(regexp, string), on the engine's own match
// indices: every Node.js that cucumber 12 supports has the RegExp `d` flag (hasIndices), which the
// polyfill's feature test never sees (it tests a regexp without `d`, so it always takes its own
// implementation, which rebuilds a measurement regexp from a regexp-tree AST on every match).
// Same results: the match as `regexp` gives it, `indices` as the ECMAScript spec defines them.
// Why and what it saves: docs/reports.md, "Step matching".

/** regexp -> the same pattern with `d`, made once per regexp. */
const withIndices = new WeakMap();

function measuring(regexp) {
  if (regexp.hasIndices) return regexp;
  let d = withIndices.get(regexp);
  if (d === undefined) {
    d = new RegExp(regexp.source, `${regexp.flags}d`);
    withIndices.set(regexp, d);
  }
  return d;
}

function exec(regexp, string) {
  const d = measuring(regexp);
  if (d === regexp || !(regexp.global || regexp.sticky)) return RegExp.prototype.exec.call(d, string);
  // A global or sticky regexp starts at, and moves, its own lastIndex.
  d.lastIndex = regexp.lastIndex;
  const match = RegExp.prototype.exec.call(d, string);
  regexp.lastIndex = d.lastIndex;
  return match;
}

/** Marks this package for test/cucumber/match-indices.test.ts (the override still applies). */
exec.nativeIndices = true;

module.exports = exec;
