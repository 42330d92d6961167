/**
 * The report files of a run, written from its matrix after the last tier: junit.xml always; in full
 * mode also matrix.md, matrix.html and the Allure single-file report (from the allure-results the
 * tiers' cucumber runs left in the report directory).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Matrix } from '../harness/results';
import { generateAllure } from './allure-generate';
import { scoreLine } from './score';
import { reportFiles, type ReportMode } from './formats';
import { renderJunit } from './junit';
import { renderMatrixHtml } from './matrix-html';
import { renderMatrixMarkdown } from './matrix-md';

export interface WrittenReports {
  /** Absolute paths, in the order worth showing (matrix page first). */
  readonly written: string[];
  /** Reports that could not be made (one line each); the run's verdict does not depend on them. */
  readonly warnings: string[];
}

export async function writeReports(
  matrix: Matrix,
  opts: { reportDir: string; mode: ReportMode; allureTimeoutMs?: number },
): Promise<WrittenReports> {
  const dir = path.resolve(opts.reportDir);
  fs.mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  const warnings: string[] = [];
  const allureResults = path.join(dir, reportFiles.allureResults);
  // Allure takes about a second to start: it runs while the other files are written.
  const allure =
    opts.mode === 'full'
      ? generateAllure({
          resultsDir: allureResults,
          outDir: path.join(dir, reportFiles.allureReport),
          configPath: path.join(dir, reportFiles.allureConfig),
          reportName: `ESE conformance: ${matrix.implementation.name} ${matrix.implementation.version}`,
          variables: {
            implementation: matrix.implementation.name,
            version: matrix.implementation.version,
            target: matrix.implementation.target,
            adapter: matrix.adapter,
            tiers: matrix.tiers.join(', '),
            suite: `${matrix.suite.name} ${matrix.suite.version}`,
            // Allure's ring counts scenarios; this is the score every other report shows.
            ...Object.fromEntries(matrix.tiers.map((t) => [`score (${t})`, scoreLine(matrix, t)])),
          },
          timeoutMs: opts.allureTimeoutMs,
        })
      : undefined;
  const write = (name: string, content: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, content);
    written.push(file);
  };
  if (opts.mode === 'full') {
    write(reportFiles.matrixHtml, renderMatrixHtml([matrix]));
    write(reportFiles.matrixMd, renderMatrixMarkdown([matrix]));
  }
  write(reportFiles.junit, renderJunit(matrix));
  if (opts.mode === 'full') {
    for (const tier of matrix.tiers) {
      for (const name of [reportFiles.cucumberHtml(tier), reportFiles.cucumberMessages(tier)]) {
        if (fs.existsSync(path.join(dir, name))) written.push(path.join(dir, name));
      }
    }
  }
  if (allure !== undefined) {
    const outcome = await allure;
    if (outcome.ok) written.push(outcome.index);
    else warnings.push(`Allure report not generated: ${outcome.error}`);
  }
  return { written, warnings };
}
