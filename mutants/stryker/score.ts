/**
 * Reads Stryker's reports/mutation/mutation.json and prints the mutation score overall and on the
 * JetEndSession path (the files JetEndSession's code runs through, and the state they keep), then
 * every surviving or uncovered mutant of that path (each must be listed in docs/mutants.md as
 * equivalent, with the reason, or be killed by a test).
 *
 *   node -r ts-node/register/transpile-only mutants/stryker/score.ts [mutation.json]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** endsession.ts and everything it calls or keeps its state in. */
export const endSessionPath = [
  'oracle/endsession.ts',
  'oracle/entry.ts',
  'oracle/transaction.ts',
  'oracle/resources.ts',
  'oracle/versions.ts',
  'oracle/session.ts',
  'oracle/cursor.ts',
  'oracle/instance.ts',
  'oracle/injection.ts',
  'oracle/handles.ts',
];

interface StrykerMutant {
  readonly mutatorName: string;
  readonly replacement?: string;
  readonly status: string;
  readonly location: { readonly start: { readonly line: number; readonly column: number } };
}

interface StrykerReport {
  readonly files: Readonly<Record<string, { readonly source: string; readonly mutants: readonly StrykerMutant[] }>>;
}

const detected = new Set(['Killed', 'Timeout']);
const counted = new Set(['Killed', 'Timeout', 'Survived', 'NoCoverage']);

function score(mutants: readonly StrykerMutant[]): { detected: number; total: number; pct: string } {
  const relevant = mutants.filter((m) => counted.has(m.status));
  const hits = relevant.filter((m) => detected.has(m.status)).length;
  return { detected: hits, total: relevant.length, pct: relevant.length === 0 ? 'n/a' : ((100 * hits) / relevant.length).toFixed(2) + ' %' };
}

export function summarise(report: StrykerReport): string[] {
  const all = Object.values(report.files).flatMap((f) => f.mutants);
  const lines = [`all mutated files: ${fmt(score(all))}`];
  const onPath: StrykerMutant[] = [];
  const detail: string[] = [];
  for (const file of endSessionPath) {
    const f = Object.entries(report.files).find(([name]) => name.replace(/\\/g, '/').endsWith(file))?.[1];
    if (f === undefined) continue;
    const src = f.source.split('\n');
    onPath.push(...f.mutants);
    lines.push(`  ${file.padEnd(24)} ${fmt(score(f.mutants))}`);
    for (const m of f.mutants) {
      if (!counted.has(m.status) || detected.has(m.status)) continue;
      const { line, column } = m.location.start;
      detail.push(`${file}:${line}:${column}  ${m.status.padEnd(10)} ${m.mutatorName.padEnd(22)} ${src[line - 1].trim().slice(0, 90)}  =>  ${(m.replacement ?? '').replace(/\s+/g, ' ').slice(0, 60)}`);
    }
  }
  lines.splice(1, 0, `JetEndSession path: ${fmt(score(onPath))}`);
  return [...lines, '', 'not detected on the JetEndSession path:', ...detail];
}

function fmt(s: { detected: number; total: number; pct: string }): string {
  return `${s.pct} (${s.detected} of ${s.total} detected)`;
}

if (require.main === module) {
  const file = path.resolve(process.argv[2] ?? path.join(__dirname, '..', '..', 'reports', 'mutation', 'mutation.json'));
  if (!fs.existsSync(file)) {
    process.stderr.write(`${file}: no Stryker report; run npm run mutation first\n`);
    process.exit(2);
  }
  for (const line of summarise(JSON.parse(fs.readFileSync(file, 'utf8')) as StrykerReport)) process.stdout.write(line + '\n');
}
