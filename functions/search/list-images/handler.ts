/** Lambda entry: the operation declared in ./index.ts. */
import { lambdaHandler } from '../../../lib/http/handler';
import operation from '.';

export const main = lambdaHandler(operation);
