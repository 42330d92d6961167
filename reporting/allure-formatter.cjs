// Lets cucumber import() the TypeScript formatter when the suite runs from source under ts-node:
// Node's import() does not load .ts files, but require() from here goes through ts-node.
// From dist/, cucumberFormats points at the compiled allure-formatter.js instead.
module.exports = require('./allure-formatter.ts');
