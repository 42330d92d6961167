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
import { neutralise } from '../text/terminal';

/**
 * Makes the report folder if needed and proves it writable, before a run starts. Returns the
 * problem as a phrase for one line (undefined when usable). The folders are made one level at a
 * time: a recursive mkdir under /proc can spin for minutes instead of failing.
 */
export function prepareReportDir(reportDir: string): string | undefined {
  const dir = path.resolve(reportDir);
  const missing: string[] = [];
  let at = dir;
  for (;;) {
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(at);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      // ENOTDIR: a file on the way up, named below.
      if (code !== 'ENOENT' && code !== 'ENOTDIR') return `cannot use ${at} (${code ?? String(e)}); choose another folder`;
    }
    if (stat !== undefined) {
      if (!stat.isDirectory()) return `${at} is not a folder; choose another --report-dir`;
      break;
    }
    missing.unshift(at);
    const parent = path.dirname(at);
    if (parent === at) return `no part of ${dir} exists; choose another --report-dir`;
    at = parent;
  }
  for (const folder of missing) {
    try {
      fs.mkdirSync(folder);
    } catch (e) {
      return `cannot create ${folder} (${(e as NodeJS.ErrnoException).code ?? String(e)}); choose a writable folder`;
    }
  }
  const probe = path.join(dir, `.ese-conformance-probe-${process.pid}`);
  try {
    fs.writeFileSync(probe, '');
    fs.rmSync(probe, { force: true });
  } catch (e) {
    return `cannot write in ${dir} (${(e as NodeJS.ErrnoException).code ?? String(e)}); choose a writable folder`;
  }
  return undefined;
}

/** Writes a file under a temporary name and renames it: a reader never sees it half written. */
export function writeFileAtomic(file: string, content: string): void {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(temp, content);
    fs.renameSync(temp, file);
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

export interface WrittenReports {
  /** Absolute paths, in the order worth showing (matrix page first). */
  readonly written: string[];
  /** Reports that could not be made (one line each); the run's verdict does not depend on them. */
  readonly warnings: string[];
}

export async function writeReports(
  matrix: Matrix,
  opts: { reportDir: string; mode: ReportMode; allureTimeoutMs?: number; /** false: no Allure report (an interrupted run). */ allure?: boolean },
): Promise<WrittenReports> {
  const dir = path.resolve(opts.reportDir);
  fs.mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  const warnings: string[] = [];
  const allureResults = path.join(dir, reportFiles.allureResults);
  // Allure takes about a second to start: it runs while the other files are written.
  const allure =
    opts.mode === 'full' && opts.allure !== false
      ? generateAllure({
          resultsDir: allureResults,
          outDir: path.join(dir, reportFiles.allureReport),
          configPath: path.join(dir, reportFiles.allureConfig),
          // The page title: implementation-supplied text, no control characters (ESC, CR, LF) in it.
          reportName: neutralise(`ESE conformance: ${matrix.implementation.name.slice(0, 200)} ${matrix.implementation.version.slice(0, 100)}`),
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
    writeFileAtomic(file, content);
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
