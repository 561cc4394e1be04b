import { defineOperation } from '../../../lib/http/operation';
import { IAM_TOKEN_SECONDS, getProject, issueToken, verifyKeyPair } from '../../../lib/auth/credentials';
import { IrisError } from '../../../lib/errors';
import { z } from 'zod';

/**
 * Huawei IAM `POST /v3/auth/tokens`, password method: the user name is the API key and the
 * password the secret key; the scope names the project (by id).
 */
const schema = z.object({
  body: z.object({
    auth: z.object({
      identity: z.object({
        methods: z.array(z.literal('password')).min(1),
        password: z.object({
          user: z.object({
            name: z.string().min(1).max(128),
            password: z.string().min(1).max(256),
            domain: z.object({ name: z.string().optional(), id: z.string().optional() }).optional(),
          }),
        }),
      }),
      scope: z.object({ project: z.object({ id: z.string().max(64).optional(), name: z.string().max(64).optional() }) }).optional(),
    }),
  }),
});

/** POST /v3/auth/tokens — Huawei IAM-style token in the X-Subject-Token header. */
export default defineOperation({
  name: 'iamToken',
  description: 'Huawei IAM-style token endpoint (X-Subject-Token)',
  method: 'POST',
  path: '/v3/auth/tokens',
  family: 'iam',
  auth: 'none',
  schema,
  status: 201,
  run: async ({ input, stores }) => {
    const { user } = input.body.auth.identity.password;
    const projectId = await verifyKeyPair(stores.metadata, user.name, user.password);
    if (!projectId) throw new IrisError('AUTH_INVALID', 'the username or password is wrong');
    const scoped = input.body.auth.scope?.project.id;
    if (scoped && scoped !== projectId) throw new IrisError('AUTH_INVALID', 'the key pair has no access to that project', { status: 401 });
    const project = await getProject(stores.metadata, projectId);
    const grant = await issueToken(stores.metadata, projectId, IAM_TOKEN_SECONDS, 'MII');
    return {
      statusCode: 201,
      headers: { 'x-subject-token': grant.token },
      body: {
        token: {
          methods: ['password'],
          expires_at: new Date(grant.expiresAt * 1000).toISOString(),
          issued_at: new Date(grant.issuedAt * 1000).toISOString(),
          project: { id: projectId, name: project?.name ?? projectId },
          user: { name: user.name },
        },
      },
    };
  },
  access: { table: ['read', 'write'] },
  memory: 256,
});
