/**
 * Once a command has decided a failing exit code, nothing left running in this process (an
 * in-process implementation's timer, or its beforeExit or exit handler at shutdown) may change it:
 * a late process.exit(0) would read as a passing run. A decided 0 is left alone: a later failure
 * may still show. An interruption (130 / 143, run's own SIGINT / SIGTERM handler) still ends the
 * process with its code: with --parallel the workers it stops may end the run first, with the
 * SUITE_ERROR of the scenarios they did not finish, and the run was interrupted all the same.
 */
export function keepExitCode(code: number, report: (line: string) => void): void {
  process.exitCode = code;
  if (code === 0) return;
  let said = false;
  const say = (other: number | string | null | undefined) => {
    if (said || other === code) return;
    said = true;
    report(`ese-conformance: something in this process (an in-process implementation, --adapter-module?) set exit code ${String(other ?? 0)} after the command had ended with exit ${code}; the exit code stays ${code}`);
  };
  const exit = process.exit.bind(process);
  // Also a call from an exit handler, which would end the process before the listener below runs.
  process.exit = (other?: number | string | null): never => {
    if (other === 130 || other === 143) return exit(other);
    say(other ?? process.exitCode);
    process.exitCode = code;
    return exit(code);
  };
  // Registered last: it runs after the exit handlers registered so far (process.exitCode = 0 in one).
  process.on('exit', () => {
    if (process.exitCode === 130 || process.exitCode === 143) return;
    say(process.exitCode);
    process.exitCode = code;
  });
}
