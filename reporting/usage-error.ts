/**
 * A user error: the message is one line that says what to do, and a stable code
 * (harness/error-codes.ts, docs/errors.md); the command prints `message [CODE]` and exits 2.
 * Declared here, below cli/, because reading a user's files (expectations, matrix.json) raises it
 * too and reporting/ never imports the CLI; cli/command.ts re-exports it.
 */
import { withCode, type UsageErrorCode } from '../harness/error-codes';

export class UsageError extends Error {
  constructor(
    readonly code: UsageErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }

  /** The line a command prints: the message, then the code. */
  get line(): string {
    return withCode(this.message, this.code);
  }
}
