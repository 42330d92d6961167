// A parallel worker of a run from source (ts-node, not dist/) loads the TypeScript step definitions:
// ts-node is registered here unless the worker inherited it (node -r ts-node/register).
'use strict';
if (require.extensions['.ts'] === undefined) require('ts-node/register/transpile-only');
