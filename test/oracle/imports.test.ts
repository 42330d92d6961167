/**
 * oracle/ is a model, not a test: no module under it may import a test framework (cucumber,
 * fast-check, node:test, node:assert, ...), so that the engine runs wherever the suite runs.
 */
import { test } from 'node:test';
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';

const oracleDir = path.join(__dirname, '..', '..', 'oracle');
const forbidden = [/@cucumber\//, /^fast-check$/, /^node:test$/, /^node:assert/, /^assert$/, /^mocha$/, /^chai$/, /^jest/, /^vitest/, /^allure/, /^@stryker-mutator\//];

function specifiers(source: string): string[] {
  const out: string[] = [];
  const re = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*['"]([^'"]+)['"]|require\(\s*['"]([^'"]+)['"]\s*\)|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (let m = re.exec(source); m !== null; m = re.exec(source)) out.push(m[1] ?? m[2] ?? m[3] ?? m[4]);
  return out;
}

test('no module under oracle/ imports a test framework', () => {
  const files = fs.readdirSync(oracleDir).filter((f) => f.endsWith('.ts'));
  assert.ok(files.length >= 10, 'the oracle modules are there');
  const offences: string[] = [];
  for (const file of files) {
    for (const spec of specifiers(fs.readFileSync(path.join(oracleDir, file), 'utf8'))) {
      if (forbidden.some((re) => re.test(spec))) offences.push(`${file}: ${spec}`);
      // relative imports must stay inside oracle/ or reach only the ESE vocabulary (api/)
      if (spec.startsWith('.') && !spec.startsWith('./') && !/^\.\.\/api(\/[\w-]+)?$/.test(spec)) offences.push(`${file}: ${spec}`);
    }
  }
  assert.deepEqual(offences, []);
});

test('the import scan recognises the forms it must catch', () => {
  const sample = `import fc from 'fast-check';\nimport { x } from "@cucumber/cucumber";\nconst a = require('node:assert');\nimport type { T } from '../adapters/types';`;
  assert.deepEqual(specifiers(sample), ['fast-check', '@cucumber/cucumber', 'node:assert', '../adapters/types']);
});
