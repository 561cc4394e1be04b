import { IrisError } from '../../../lib/errors';
import { newLogId } from '../../../lib/http/families/baidu';
import { errorEnvelope } from '../../../lib/http/envelope';
import { defineFallback } from '../../../lib/http/operation';
import { familyOf, ROUTE_FAMILIES_ENV, type RouteFamilies } from '../../../lib/http/routes';

/** The family table derived from every declared route (lib/http/routes.ts), handed over by serverless.ts. */
let table: RouteFamilies | undefined;
const families = (): RouteFamilies => (table ??= JSON.parse(process.env[ROUTE_FAMILIES_ENV] ?? '[]') as RouteFamilies);

/** The HTTP API's $default route: unknown routes and wrong methods, in the error format of the path's API family. */
export default defineFallback({
  name: 'notFound',
  description: 'Answers unknown routes in the error format of the API family the path belongs to',
  run: async (event, context) => {
    const path = event.rawPath ?? '/';
    const method = event.requestContext?.http?.method ?? 'GET';
    const err = new IrisError('ROUTE_NOT_FOUND', `no operation at ${method} ${path}`);
    return errorEnvelope(familyOf(path, families()), err, { logId: newLogId(), requestId: event.requestContext?.requestId ?? context.awsRequestId });
  },
  access: {},
  memory: 128,
});
