/**
 * What cucumber writes during one tier's run, and where in the report directory. In full mode it
 * also starts loading Allure's command line in the background (allure-generate.ts). Cucumber runs
 * once per tier; both runs write into the same allure-results, where the `tier` parameter that
 * annotateAllure adds keeps a scenario's two results apart (distinct history ids, not retries).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { IConfiguration } from '@cucumber/cucumber/api';
import type { Tier } from '../harness/results';
import { warmAllure } from './allure-generate';

export type ReportMode = 'full' | 'minimal';

export interface CucumberFormats {
  /** For cucumber's `format` option: [formatter, target] pairs, targets absolute. */
  readonly format: (string | [string, string])[];
  /** Cucumber's own type (JSON values only), so it can be passed to loadConfiguration as is. */
  readonly formatOptions: IConfiguration['formatOptions'];
}

/** The files a full report directory holds, relative to it. */
export const reportFiles = {
  junit: 'junit.xml',
  matrixMd: 'matrix.md',
  matrixHtml: 'matrix.html',
  allureResults: 'allure-results',
  allureReport: 'allure',
  allureConfig: 'allurerc.json',
  cucumberHtml: (tier: Tier) => `cucumber-${tier}.html`,
  cucumberMessages: (tier: Tier) => `cucumber-${tier}.ndjson`,
} as const;

/**
 * allure-cucumberjs's formatter with a writer that skips its per-file fsync (allure-formatter.ts):
 * the compiled module when running from dist/, the .cjs bridge to the .ts source otherwise.
 */
export function allureFormatterPath(): string {
  const compiled = path.join(__dirname, 'allure-formatter.js');
  // A file URL: cucumber import()s formatters, and import() takes no Windows path.
  return pathToFileURL(fs.existsSync(compiled) ? compiled : path.join(__dirname, 'allure-formatter.cjs')).href;
}

export function cucumberFormats(opts: { reportDir: string; tier: Tier; mode: ReportMode }): CucumberFormats {
  if (opts.mode === 'minimal') return { format: [], formatOptions: {} };
  const dir = path.resolve(opts.reportDir);
  // Allure's command line loads while cucumber runs, so writeReports finds it ready.
  warmAllure(dir);
  return {
    format: [
      ['html', path.join(dir, reportFiles.cucumberHtml(opts.tier))],
      ['message', path.join(dir, reportFiles.cucumberMessages(opts.tier))],
      // The Allure formatter writes its results into resultsDir and nothing into its stream; it
      // still needs a stream, and stdout is not ours to take (the runner prints progress there).
      [allureFormatterPath(), os.devNull],
    ],
    formatOptions: { resultsDir: path.join(dir, reportFiles.allureResults) },
  };
}

/**
 * Removes what an earlier run left in the report directory. Call it once before the first tier:
 * allure-results accumulates across runs (old results would show up as retries), and a report of
 * a tier not run this time would mislead. matrix.json is the runner's and is left alone.
 */
export function clearReports(reportDir: string): void {
  const dir = path.resolve(reportDir);
  if (!fs.existsSync(dir)) return;
  for (const name of [reportFiles.allureResults, reportFiles.allureReport]) {
    fs.rmSync(path.join(dir, name), { recursive: true, force: true });
  }
  const ours = new Set<string>([reportFiles.junit, reportFiles.matrixMd, reportFiles.matrixHtml, reportFiles.allureConfig]);
  for (const name of fs.readdirSync(dir)) {
    if (ours.has(name) || /^cucumber-.*\.(html|ndjson)$/.test(name)) fs.rmSync(path.join(dir, name), { force: true });
  }
}
