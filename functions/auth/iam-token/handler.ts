import { IAM_TOKEN_SECONDS, getProject, issueToken, verifyKeyPair } from '../../../lib/auth/credentials';
import { IrisError } from '../../../lib/errors';
import { httpApi } from '../../../lib/http/handler';
import { schema } from './schema';

/** POST /v3/auth/tokens — Huawei IAM-style token in the X-Subject-Token header. */
export const main = httpApi({
  family: 'iam',
  auth: 'none',
  schema,
  handler: async ({ input, stores }) => {
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
});
