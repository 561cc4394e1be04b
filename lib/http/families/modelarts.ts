/**
 * The ModelArts envelope, `{error_code: "ModelArts.xxxx", error_msg}` with an HTTP status, built
 * from the codes of lib/datasets/contract.ts (the HiLens hard-example routes answer in it too).
 */
import { modelartsCodes } from '../../datasets/contract';
import type { IrisError } from '../../errors';

export { modelartsCodes } from '../../datasets/contract';

export function modelartsEnvelope(err: IrisError, message: string) {
  const [code, status] = modelartsCodes[err.kind];
  return { status: err.status ?? status, body: { error_code: err.codes.modelarts ?? code, error_msg: message } };
}
