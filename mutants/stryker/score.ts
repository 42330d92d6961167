/**
 * Reads Stryker's reports/mutation/mutation.json and prints the mutation score overall and on the
 * JetEndSession path (the files JetEndSession's code runs through, and the state they keep), then
 * every surviving or uncovered mutant of that path (each must be listed in docs/mutants.md as
 * equivalent, with the reason, or be killed by a test).
 *
 *   node -r ts-node/register/transpile-only mutants/stryker/score.ts [mutation.json]
 */
import * as crypto from 'node:crypto';
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
  readonly location: { readonly start: { readonly line: number; readonly column: number }; readonly end: { readonly line: number; readonly column: number } };
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

/** A mutant as docs/mutants.md and equivalents.json name it: file, place, mutator, replacement. */
export function mutantKey(file: string, m: StrykerMutant): string {
  return `${file}:${m.location.start.line}:${m.location.start.column} ${m.mutatorName} => ${(m.replacement ?? '').replace(/\s+/g, ' ')}`;
}

/**
 * A mutant's identity across Stryker runs of the same sources: the key plus where the mutated code
 * ends. Two mutants can share a key (`a === b && c` → true, for the whole condition and for its
 * left operand, both start at the same column); one run's kill of the one must not count for the other.
 */
function mutantIdentity(file: string, m: StrykerMutant): string {
  return `${mutantKey(file, m)} @${m.location.end.line}:${m.location.end.column}`;
}

/** A mutant not detected by any run, with the line it sits on. */
export interface Undetected {
  readonly key: string;
  readonly status: string;
  readonly source: string;
}

export interface MergedScore {
  readonly files: readonly { readonly file: string; readonly detected: number; readonly total: number }[];
  readonly detected: number;
  readonly total: number;
  /** Detected by the suite's run alone. */
  readonly bySuite: number;
  readonly undetected: readonly Undetected[];
}

/**
 * Merges runs over the same sources (the suite through cucumber, the oracle's unit tests through
 * the tap runner): a mutant is detected when any run detected it. Only the JetEndSession path.
 */
export function merge(suite: StrykerReport, ...others: StrykerReport[]): MergedScore {
  const files: { file: string; detected: number; total: number }[] = [];
  const undetected: Undetected[] = [];
  let bySuite = 0;
  for (const file of endSessionPath) {
    const f = findFile(suite, file);
    if (f === undefined) continue;
    const otherDetected = new Set<string>();
    for (const o of others) for (const m of findFile(o, file)?.mutants ?? []) if (detected.has(m.status)) otherDetected.add(mutantIdentity(file, m));
    const src = f.source.split('\n');
    let hits = 0;
    let total = 0;
    for (const m of f.mutants) {
      if (!counted.has(m.status)) continue;
      total++;
      const key = mutantKey(file, m);
      if (detected.has(m.status)) bySuite++;
      if (detected.has(m.status) || otherDetected.has(mutantIdentity(file, m))) hits++;
      else undetected.push({ key, status: m.status, source: src[m.location.start.line - 1].trim().slice(0, 120) });
    }
    files.push({ file, detected: hits, total });
  }
  const detectedAll = files.reduce((a, f) => a + f.detected, 0);
  const totalAll = files.reduce((a, f) => a + f.total, 0);
  return { files, detected: detectedAll, total: totalAll, bySuite, undetected };
}

function findFile(report: StrykerReport, file: string) {
  return Object.entries(report.files).find(([name]) => name.replace(/\\/g, '/').endsWith(file))?.[1];
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

/** Where the merged result is kept for docs/mutants.md (mutants/docs.ts renders it). */
export const resultFile = path.join(__dirname, 'result.json');

if (require.main === module) {
  const root = path.join(__dirname, '..', '..');
  const suiteFile = path.resolve(process.argv[2] ?? path.join(root, 'reports', 'mutation', 'mutation.json'));
  const unitFile = path.resolve(process.argv[3] ?? path.join(root, 'reports', 'mutation-unit', 'mutation.json'));
  for (const f of [suiteFile, unitFile]) {
    if (!fs.existsSync(f)) {
      process.stderr.write(`${f}: no Stryker report; run npm run mutation and npm run mutation:unit first\n`);
      process.exit(2);
    }
  }
  const read = (f: string) => JSON.parse(fs.readFileSync(f, 'utf8')) as StrykerReport;
  const suite = read(suiteFile);
  for (const line of summarise(suite)) process.stdout.write(line + '\n');
  const merged = merge(suite, read(unitFile));
  process.stdout.write(`\nsuite and oracle unit tests, JetEndSession path: ${fmt({ detected: merged.detected, total: merged.total, pct: ((100 * merged.detected) / merged.total).toFixed(2) + ' %' })}\n`);
  for (const u of merged.undetected) process.stdout.write(`  ${u.status.padEnd(10)} ${u.key}   | ${u.source}\n`);
  if (process.argv.includes('--write')) {
    fs.writeFileSync(resultFile, JSON.stringify({ sources: sourceHash(root), ...merged }, null, 2) + '\n');
    process.stdout.write(`written: ${path.relative(process.cwd(), resultFile)}\n`);
  }
}

/**
 * A hash of the mutated sources: a result is only current for the sources it was made from. Import
 * lines are left out (moving a module changes them, not the code Stryker mutated, nor its lines).
 */
export function sourceHash(root: string): string {
  const h = crypto.createHash('sha256');
  for (const f of endSessionPath) {
    const code = fs.readFileSync(path.join(root, f), 'utf8').split('\n').map((l) => (/^import\b/.test(l) ? '' : l)).join('\n');
    h.update(f).update('\0').update(code);
  }
  return h.digest('hex').slice(0, 16);
}
