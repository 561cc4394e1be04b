import { defineOperation } from '../../../lib/http/operation';
import { BAIDU_SCOPE, BAIDU_TOKEN_SECONDS, issueToken, verifyKeyPair } from '../../../lib/auth/credentials';
import { IrisError } from '../../../lib/errors';
import { z } from 'zod';

/** Baidu's OAuth 2.0 client-credentials request (query string or form body). */
const schema = z.object({
  grant_type: z.literal('client_credentials', { message: 'grant_type must be client_credentials' }),
  client_id: z.string().min(1).max(128),
  client_secret: z.string().min(1).max(256),
});

/** POST /oauth/2.0/token — Baidu-style client-credentials token. */
export default defineOperation({
  name: 'authToken',
  description: 'Baidu-style OAuth client-credentials token endpoint',
  method: ['GET', 'POST'],
  path: '/oauth/2.0/token',
  family: 'oauth',
  auth: 'none',
  schema: schema.partial().passthrough(),
  run: async ({ input, stores }) => {
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
  access: { table: ['read', 'write'] },
  memory: 256,
});
