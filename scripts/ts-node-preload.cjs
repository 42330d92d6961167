// npm test's preload (NODE_OPTIONS, set by scripts/test.js, so every node process the tests start
// has it): a require that resolves to this checkout's ts-node/register/transpile-only (by name or
// by path) loads ts-node-cached.cjs instead. Anything else, and a process that does not ask for
// ts-node, is left as it is.
'use strict';
const Module = require('node:module');
const path = require('node:path');

let ours;
try {
  ours = require.resolve('ts-node/register/transpile-only');
} catch {
  // No ts-node here (an install without dev dependencies): nothing to redirect.
}
if (ours !== undefined) {
  const cached = path.join(__dirname, 'ts-node-cached.cjs');
  const resolve = Module._resolveFilename;
  Module._resolveFilename = function resolveFilename(...args) {
    const file = resolve.apply(this, args);
    return file === ours ? cached : file;
  };
}
