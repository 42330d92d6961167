/**
 * A user error: the message is one line that says what to do; the command exits 2. Declared here,
 * below cli/, because reading a user's files (expectations, matrix.json) raises it too and
 * reporting/ never imports the CLI; cli/command.ts re-exports it.
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
