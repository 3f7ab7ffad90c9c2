import { FixRequestError } from '../core/errors.js';

/**
 * A data file that cannot be used as it is. It names the place to fix: the source (a file name or label), the
 * 1-based line (CSV) or record (JSON, feather), and the 1-based column when one field is at fault.
 */
export class DataFileError extends FixRequestError {
  constructor(
    code: string,
    message: string,
    readonly source: string,
    readonly line: number | undefined,
    readonly column: number | undefined = undefined,
  ) {
    super(code, message);
  }
}
