/**
 * Stable codes for every error the suite reports about its input or itself (as vitest's ERR_...
 * and Node's ERR_... codes): a user's script or CI can match the code while the wording improves.
 * Usage errors (exit 2, one line) end with `[CODE]`; a SUITE_ERROR's reason ends with its code.
 * docs/errors.md is the table for users; test/cli/error-codes.test.ts keeps the two equal. A code,
 * once published, keeps its meaning; a retired code is not reused.
 */

/** A user error of a command: a bad flag, value, path or file. Exit code 2. */
export const usageErrorCodes = {
  ERR_ESE_UNKNOWN_COMMAND: 'the command is not one of ese-conformance\'s',
  ERR_ESE_UNKNOWN_OPTION: 'an option or argument the command does not have',
  ERR_ESE_UNEXPECTED_ARGUMENT: 'an argument where the command takes none (the implementation\'s command goes after --)',
  ERR_ESE_MISSING_ARGUMENT: 'a required option, value or argument is missing',
  ERR_ESE_INVALID_VALUE: 'an option\'s value is not one it accepts',
  ERR_ESE_CONFLICTING_OPTIONS: 'options or arguments that exclude each other',
  ERR_ESE_UNKNOWN_ID: '--id names no catalogue ID',
  ERR_ESE_ID_NOT_IN_TIER: '--id names an ID that no selected tier has',
  ERR_ESE_TAG_EXPRESSION: '--tags is not a cucumber tag expression',
  ERR_ESE_NOTHING_SELECTED: 'the tier, --id and --tags select no scenario',
  ERR_ESE_UNKNOWN_ADAPTER: '--adapter names no adapter (or mutant:NAME no mutant)',
  ERR_ESE_UNKNOWN_MUTANT: '--mutant names no mutant',
  ERR_ESE_ADAPTER_MODULE: '--adapter-module cannot be loaded or exports no adapter',
  ERR_ESE_ADAPTER_START: 'the implementation did not start, or its handshake failed',
  ERR_ESE_FILE_NOT_FOUND: 'a file given does not exist',
  ERR_ESE_FILE_UNREADABLE: 'a file given cannot be read',
  ERR_ESE_NOT_A_MATRIX: 'a file given is not a matrix.json of this suite',
  ERR_ESE_EXPECTATIONS_SYNTAX: 'a line of an expectations file is not an entry',
  ERR_ESE_REPORT_DIR: '--report-dir cannot hold the reports',
  ERR_ESE_OUTPUT_EXISTS: 'the output file exists (--force overwrites it)',
  ERR_ESE_CANNOT_WRITE: 'an output file or folder cannot be written',
} as const;

/** The suite could not reach a verdict on a scenario (status SUITE_ERROR; `run` exits 2). */
export const suiteErrorCodes = {
  ERR_ESE_SUITE_NO_CHECK: 'a When-block (or the whole scenario) was followed by no check',
  ERR_ESE_SUITE_STEP_UNDEFINED: 'a step has no step definition',
  ERR_ESE_SUITE_STEP_AMBIGUOUS: 'a step matches more than one step definition',
  ERR_ESE_SUITE_STEP_PENDING: 'a step definition is pending',
  ERR_ESE_SUITE_DEFINITION: 'a step names what the suite cannot evaluate (an unknown code, grbit or parameter name, an outcome no table declares)',
  ERR_ESE_SUITE_INTERNAL: 'a step failed with an unexpected error of the harness',
} as const;

/** Neither: a bug of ese-conformance itself (exit 70, with the stack). */
export const internalErrorCodes = {
  ERR_ESE_INTERNAL: 'an internal error of ese-conformance (please report it, with the stack)',
} as const;

export type UsageErrorCode = keyof typeof usageErrorCodes;
export type SuiteErrorCode = keyof typeof suiteErrorCodes;
export type ErrorCode = UsageErrorCode | SuiteErrorCode | keyof typeof internalErrorCodes;

/** `message [CODE]`: the code last, so that the line still starts with what to do. */
export function withCode(message: string, code: ErrorCode): string {
  return `${message} [${code}]`;
}
