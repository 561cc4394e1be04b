/**
 * The Baidu envelope, `{error_code: int, error_msg, log_id}` with HTTP 200 even on errors (the
 * official SDKs read the body, not the status), built from the codes of lib/search/contract.ts.
 */
import type { IrisError } from '../../errors';
import { baiduCodes } from '../../search/contract';

export { BAIDU, baiduCodes } from '../../search/contract';

/** Baidu's log_id is an unsigned integer; keep it within JS's safe range. */
export const newLogId = (): number => Math.floor(1e15 + Math.random() * 8e15);

export const baiduEnvelope = (err: IrisError, message: string, logId: number) => ({
  status: 200,
  body: { error_code: Number(err.codes.baidu ?? baiduCodes[err.kind]), error_msg: message, log_id: logId },
});
