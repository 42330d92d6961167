// The buildCommand of Stryker's unit-test run (mutants/stryker/unit.config.json): transpiles the
// (instrumented) oracle, the adapters and the oracle's unit tests to JavaScript in .stryker-build/,
// so that each test file runs as plain node, without a TypeScript loader starting per mutant and
// per file. No type check: Stryker's instrumented code is not meant to type-check.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

const root = process.cwd();
const out = path.join(root, '.stryker-build');
const dirs = ['api', 'oracle', 'adapters', path.join('test', 'oracle')].filter((d) => fs.existsSync(path.join(root, d)));
const options = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true };

function walk(dir) {
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(rel);
    else if (entry.name.endsWith('.ts')) {
      const source = fs.readFileSync(path.join(root, rel), 'utf8');
      const js = ts.transpileModule(source, { compilerOptions: options, fileName: rel }).outputText;
      fs.mkdirSync(path.dirname(path.join(out, rel)), { recursive: true });
      fs.writeFileSync(path.join(out, rel.replace(/\.ts$/, '.js')), js);
      fs.writeFileSync(path.join(out, rel), source); // imports.test.ts reads the sources
    }
  }
}

fs.rmSync(out, { recursive: true, force: true });
for (const d of dirs) walk(d);
fs.copyFileSync(path.join(root, 'package.json'), path.join(out, 'package.json'));
