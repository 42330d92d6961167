/**
 * A miniature of the suite runner for the reporting tests and bench: cucumber's API once per tier
 * with cucumberFormats(), verdicts gathered into a Matrix, then writeReports(). Run it as a child
 * process (cucumber loads support code once per process):
 *   node -r ts-node/register/transpile-only test/reporting/cucumber-fixture/run.ts DIR full|minimal [copies]
 * It prints one JSON line: { matrixPath, written, warnings, cucumberMs, reportsMs }.
 * `copies` repeats the feature file to make a run of realistic size.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { loadConfiguration, loadSupport, runCucumber } from '@cucumber/cucumber/api';
import { matrixSchemaVersion, summarise, tiers, type Matrix, type ScenarioResult } from '../../../harness/results';
import { clearReports, cucumberFormats, type ReportMode } from '../../../reporting/formats';
import { writeReports } from '../../../reporting/write';
import { fixtureCatalogue, setFixtureState } from './state';

export const evilName = '<script>alert(1)</script>';

export interface FixtureRun {
  readonly matrixPath: string;
  readonly written: string[];
  readonly warnings: string[];
  /** Both tiers' cucumber runs, formatters included. */
  readonly cucumberMs: number;
  /** writeReports alone. */
  readonly reportsMs: number;
}

const sink = () => new Writable({ write: (_c, _e, done) => done() });

export async function runFixture(reportDir: string, mode: ReportMode, copies = 1): Promise<FixtureRun> {
  const here = __dirname;
  const featureDir = path.join(reportDir, '..', `features-${path.basename(reportDir)}`);
  fs.rmSync(featureDir, { recursive: true, force: true });
  fs.mkdirSync(featureDir, { recursive: true });
  const source = fs.readFileSync(path.join(here, 'features', 'ending.feature'), 'utf8');
  for (let i = 0; i < copies; i++) fs.writeFileSync(path.join(featureDir, `ending-${i}.feature`), source.replace(/^Feature: (.*)$/m, `Feature: $1 #${i}`));
  fs.mkdirSync(reportDir, { recursive: true });
  clearReports(reportDir);
  const results: ScenarioResult[] = [];
  const started = Date.now();
  let support: Awaited<ReturnType<typeof loadSupport>> | undefined;
  for (const tier of tiers) {
    const formats = cucumberFormats({ reportDir, tier, mode });
    const { runConfiguration } = await loadConfiguration(
      { file: false, provided: { paths: [featureDir], require: [path.join(here, 'steps.ts')], format: formats.format, formatOptions: formats.formatOptions } },
      { cwd: here, stdout: sink(), stderr: process.stderr },
    );
    setFixtureState({ tier, results, annotate: mode === 'full' });
    support ??= await loadSupport(runConfiguration, { cwd: here, stderr: process.stderr });
    await runCucumber({ ...runConfiguration, support }, { cwd: here, stdout: sink(), stderr: process.stderr });
    setFixtureState(undefined);
  }
  const cucumberMs = Date.now() - started;
  const { ids, scores } = summarise(results, fixtureCatalogue, tiers);
  const matrix: Matrix = {
    schemaVersion: matrixSchemaVersion,
    suite: { name: 'ese-conformance', version: '0.0.0-fixture' },
    catalogueVersion: 'fixture',
    adapter: 'fixture',
    implementation: { name: evilName, version: '1.0 & <b>beta</b>', target: 'current', pointerWidth: 64, capabilities: ['threads'] },
    tiers,
    startedAt: new Date(started).toISOString(),
    durationMs: cucumberMs,
    scores,
    ids,
    scenarios: results,
  };
  const matrixPath = path.join(reportDir, 'matrix.json');
  fs.writeFileSync(matrixPath, JSON.stringify(matrix, null, 2) + '\n');
  const t = Date.now();
  const { written, warnings } = await writeReports(matrix, { reportDir, mode });
  const reportsMs = Date.now() - t;
  fs.rmSync(featureDir, { recursive: true, force: true });
  return { matrixPath, written, warnings, cucumberMs, reportsMs };
}

if (require.main === module) {
  const [dir, mode = 'full', copies = '1'] = process.argv.slice(2);
  if (dir === undefined || (mode !== 'full' && mode !== 'minimal')) {
    process.stderr.write('usage: run.ts REPORT_DIR full|minimal [copies]\n');
    process.exit(2);
  }
  runFixture(path.resolve(dir), mode, Number(copies)).then(
    (r) => process.stdout.write(JSON.stringify(r) + '\n'),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
