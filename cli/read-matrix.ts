/** Reading a matrix.json for a command that prints: its error may quote the file's values. */
import { UsageError } from './command';
import type { Matrix } from '../harness/results';
import { readMatrix } from '../reporting/matrix-file';
import { neutralise } from '../text/terminal';

/** readMatrix, with the one-line error neutralised for terminals and CI logs. */
export function readMatrixForLog(file: string): Matrix {
  try {
    return readMatrix(file);
  } catch (e) {
    if (e instanceof UsageError) throw new UsageError(e.code, neutralise(e.message));
    throw e;
  }
}
