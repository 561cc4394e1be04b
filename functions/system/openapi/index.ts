import { defineOperation } from '../../../lib/http/operation';
// Derived from the declarations by `npm run generate:client`; a test fails when it is stale.
import document from '../../../clients/iris/openapi.json';

/** GET /openapi.json — the OpenAPI 3.1 description of every HTTP operation. */
export default defineOperation({
  name: 'openapi',
  description: 'The OpenAPI 3.1 description of the API',
  method: 'GET',
  path: '/openapi.json',
  family: 'plain',
  auth: 'none',
  run: async () => ({ headers: { 'cache-control': 'no-cache' }, body: document }),
  access: {},
  memory: 128,
});
