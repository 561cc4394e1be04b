import { BAIDU_SCOPE, BAIDU_TOKEN_SECONDS, issueToken, verifyKeyPair } from '../../../lib/auth/credentials';
import { IrisError } from '../../../lib/errors';
import { httpApi } from '../../../lib/http/handler';
import { schema } from './schema';

/** POST /oauth/2.0/token — Baidu-style client-credentials token. */
export const main = httpApi({
  family: 'oauth',
  auth: 'none',
  schema: schema.partial().passthrough(),
  handler: async ({ input, stores }) => {
    // Read from query and body alike (docs show the query; the Node SDK sends a form body).
    const parsed = schema.safeParse(input);
    if (!parsed.success) {
      if (input.grant_type !== undefined && input.grant_type !== 'client_credentials') {
        throw new IrisError('BAD_PARAM', 'unsupported grant_type: use client_credentials', { status: 400 });
      }
      throw new IrisError('MISSING_PARAM', 'grant_type, client_id and client_secret are required');
    }
    const projectId = await verifyKeyPair(stores.metadata, parsed.data.client_id, parsed.data.client_secret);
    if (!projectId) throw new IrisError('AUTH_INVALID', 'unknown client id or wrong client secret');
    const grant = await issueToken(stores.metadata, projectId, BAIDU_TOKEN_SECONDS);
    return {
      access_token: grant.token,
      expires_in: BAIDU_TOKEN_SECONDS,
      scope: BAIDU_SCOPE,
      session_key: '',
      session_secret: '',
      refresh_token: '',
    };
  },
});
