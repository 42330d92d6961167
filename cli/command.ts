/**
 * The contract of one `ese-conformance` sub-command: a module under cli/commands/ that exports
 * `command`. Exit codes follow outcomes.md "Exit codes"; usage errors are one line and exit 2.
 */
export interface CliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

export interface Command {
  readonly name: string;
  /** One line for `--help`. */
  readonly summary: string;
  /** The full usage text, printed by `ese-conformance <name> --help`. */
  readonly usage: string;
  /** argv after the command name. Resolves to the exit code; never throws for a user error. */
  run(argv: readonly string[], io: CliIo): Promise<number>;
}

/** A user error: the message is one line that says what to do; the command exits 2. */
export { UsageError } from '../reporting/usage-error';
