/**
 * `run`'s summary and usage text, apart from the command: `ese-conformance run --help` prints them
 * without loading the run's module graph (cucumber's glue, the adapters, the reports).
 */
import { targetVersions } from '../../api/capabilities';
import { defaultBudgetMs, defaultScenarioTimeoutMs, defaultTimeoutMs } from '../../adapters/process/wire';

export const summary = 'run the suite against an implementation and write the reports';

export const usage = `Usage: ese-conformance run [options] [-- COMMAND [ARGS...]]

Runs the JetEndSession conformance suite against one implementation and writes the reports.

Options:
  --adapter NAME        reference (default), process (needs -- COMMAND), or mutant:NAME
  --adapter-module FILE your own adapter: a CommonJS module exporting createImplementation(options) (or a
                        default export) that returns an Implementation (see README, 'Your own adapter')
  --tier TIER           documented, esent or all (default: all; all runs the suite once per tier)
  --id ID               only this catalogue ID (repeatable), e.g. --id ES-SUCCESS-IDLE
  --tags EXPR           a cucumber tag expression, e.g. "not @needs:threads"
  --order ORDER         defined (default), random, or random:SEED
  --parallel N          run the scenarios in N worker processes (cucumber's parallel workers), each with its
                        own implementation (its own process, for --adapter process); same matrix as a serial run
  --report-dir DIR      where the reports go (default: reports)
  --reports MODE        full (default: matrix, JUnit, cucumber HTML, Allure) or minimal (matrix.json, JUnit)
  --expectations FILE   gate on expected results: exit 0 only when every result matches its entry
  --timeout-ms N        time limit of one request to a process implementation (default ${defaultTimeoutMs})
  --scenario-timeout-ms N
                        time limit of one scenario, from its reset to its last call (default ${defaultScenarioTimeoutMs})
  --budget DURATION     time budget of the whole run, e.g. 90m, 2h, 600s (default ${defaultBudgetMs / 60_000}m); the
                        scenarios after it are TIMEOUT, not run
  --target VERSION      override the implementation's declared target version (${targetVersions.join(', ')})
  --annotations MODE    github (default when GITHUB_ACTIONS=true) or none (default elsewhere): print GitHub
                        workflow annotations (errors for what fails the run, notices for expected failures)
                        and append a Markdown summary to $GITHUB_STEP_SUMMARY when it is set
  -h, --help            this text

Exit codes: 0 every applicable scenario passed (or, with --expectations, every result is as expected);
1 a FAIL, CRASH, TIMEOUT or PROTOCOL_ERROR (or an unexpected result or stale expectation);
2 usage or setup error (nothing selected, nothing applicable, adapter failed to start, report folder
unusable) or a SUITE_ERROR (the suite could not reach a verdict: a defect of the suite); 130 / 143 interrupted by SIGINT / SIGTERM (matrix.json then holds the finished scenarios,
marked "interrupted": true).`;
