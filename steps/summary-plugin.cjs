'use strict';
// cucumber imports a plugin as an ES module, which cannot load TypeScript: this CommonJS file loads
// steps/summary-plugin.ts through ts-node (cucumber.js loads the step definitions the same way).
require('ts-node/register/transpile-only');
module.exports = require('./summary-plugin.ts').summaryPlugin;
