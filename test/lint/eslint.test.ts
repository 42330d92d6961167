/**
 * `npm run lint` inside `npm test`: typescript-eslint's recommended type-checked rules
 * (eslint.config.mjs) over every TypeScript file the type check covers, through ESLint's own API, with
 * zero findings allowed. A finding is printed as file:line:column rule message. A probe first shows
 * that the configuration is live: a floating promise and an `any` added to a real file are found
 * (both rules need the type information that a wrong parser set-up would lose silently).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { ESLint } from 'eslint';

const root = path.join(__dirname, '..', '..');
/** One instance: the TypeScript program it builds is the cost, so both tests share it. */
const eslint = new ESLint({ cwd: root });

test('the lint configuration is live: a type-aware finding in a probe is reported', async () => {
  const file = path.join(root, 'reporting', 'score.ts');
  const text = `${fs.readFileSync(file, 'utf8')}\nexport const probe: any = 1;\nexport function floating(): void {\n  Promise.resolve(1);\n}\n`;
  const [result] = await eslint.lintText(text, { filePath: file });
  const rules = result.messages.map((m) => m.ruleId).sort();
  assert.deepEqual(rules, ['@typescript-eslint/no-explicit-any', '@typescript-eslint/no-floating-promises'], JSON.stringify(result.messages));
});

test('npm run lint: no finding in the project', async () => {
  const results = await eslint.lintFiles(['.']);
  assert.ok(results.length > 250, `only ${results.length} files linted`);
  assert.ok(results.some((r) => r.filePath.endsWith(path.join('reporting', 'matrix-html.tsx'))), 'the .tsx pages are linted');
  const findings = results.flatMap((r) => r.messages.map((m) => `${path.relative(root, r.filePath)}:${m.line}:${m.column} ${m.ruleId ?? '(parse)'} ${m.message}`));
  assert.deepEqual(findings, [], `${findings.length} lint finding(s); \`npm run lint\` shows them`);
});
