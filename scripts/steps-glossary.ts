/**
 * docs/steps.md: every step the features may use, generated from the step definitions (their regex
 * and the doc comment above each). `npm test` fails when the file is stale; refresh it with
 * `node -r ts-node/register/transpile-only scripts/steps-glossary.ts`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

// The doc comment directly above a definition: it may not contain the end of another comment.
const definition = /\/\*\*((?:(?!\*\/)[\s\S])*?)\*\/\s*(Given|When|Then|postcondition)\(\s*(\/\^.*?\$\/)/g;

export function renderGlossary(root: string): string {
  const dir = path.join(root, 'steps');
  const lines = [
    '# Step glossary',
    '',
    'Generated from `steps/*.steps.ts` by `scripts/steps-glossary.ts`; `npm test` checks it is current.',
    'Patterns are regular expressions. Keywords (Given/When/Then/And) are interchangeable in Gherkin;',
    'the one shown is the one the definition uses. Calls use the syntax of `harness/call-syntax.ts`:',
    '`JetEndSession(sesid=s1, grbit=JET_bitForceSessionClosed)`, with saved names (`s1`, `i1`, `s1.t1`),',
    'forged handles (`<nil>`, `<zero>`, `<never-issued>`), numbers, ESE constant names and JSON values.',
    'Postconditions also exist in two conditional forms: `if the outcome was NAME, ...` (NAME is declared',
    'in the `outcome` column of an earlier by-tier table of the scenario, once per scenario; the step runs',
    'when that row matched) and `if the call returned CODE, ...` (the last call). A condition that cannot',
    'be evaluated (an undeclared outcome, an unknown code or grbit name) is a SUITE_ERROR, and the lint in',
    '`npm test` (harness/feature-lint.ts) rejects it before any run. Every When-step must be followed by a',
    'Then-step that compares something; a conditional whose condition does not hold is not a check.',
    '',
  ];
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.steps.ts')).sort()) {
    const source = fs.readFileSync(path.join(dir, file), 'utf8');
    const header = /^\/\*\*([\s\S]*?)\*\//.exec(source);
    lines.push(`## ${file}`, '');
    if (header) lines.push(clean(header[1]), '');
    lines.push('| step | meaning |', '|---|---|');
    for (const m of source.matchAll(definition)) {
      const keyword = m[2] === 'postcondition' ? 'Then (postcondition)' : m[2];
      lines.push(`| ${keyword} \`${m[3].replace(/\|/g, '\\|')}\` | ${clean(m[1]).replace(/\|/g, '\\|')} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}

function clean(comment: string): string {
  return comment
    .split('\n')
    .map((l) => l.replace(/^\s*\*\s?/, '').trim())
    .filter((l) => l !== '')
    .join(' ');
}

if (require.main === module) {
  const root = path.join(__dirname, '..');
  fs.writeFileSync(path.join(root, 'docs', 'steps.md'), renderGlossary(root));
  process.stdout.write('docs/steps.md written\n');
}
