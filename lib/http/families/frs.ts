/**
 * The FRS envelope, `{error_code: "FRS.xxxx", error_msg}` with an HTTP status, built from the
 * codes of lib/faces/contract.ts.
 */
import type { IrisError } from '../../errors';
import { frsCodes } from '../../faces/contract';

export { frsCodes } from '../../faces/contract';

/** HTTP status of each FRS code in the family table (codes an operation passes explicitly default to 400). */
const FRS_STATUS = new Map<string, number>(Object.values(frsCodes).filter(([, st]) => st !== 404 && st !== 405));

export function frsEnvelope(err: IrisError, message: string) {
  const [code, status] = frsCodes[err.kind];
  const wire = String(err.codes.frs ?? code);
  return { status: err.status ?? FRS_STATUS.get(wire) ?? status, body: { error_code: wire, error_msg: message } };
}
