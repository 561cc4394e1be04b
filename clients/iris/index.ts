/**
 * A typed client for Iris's own operations (image libraries, datasets and samples, hard-example
 * configurations, face sets, ingest records): openapi-fetch over the types that
 * `npm run generate:client` derives from the OpenAPI description (./schema.d.ts).
 *
 *   const token = await iamToken(url, { apiKey, secretKey, projectId });
 *   const iris = createIrisClient({ baseUrl: url, token });
 *   const { data, error } = await iris.GET('/v1/{project_id}/image-libraries', { params: { path: { project_id } } });
 */
import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { paths } from './schema';

export type { paths, components, operations } from './schema';
export type IrisClient = Client<paths>;

export interface IrisClientOptions extends Omit<ClientOptions, 'baseUrl'> {
  /** e.g. http://localhost:3000 or the HTTP API's endpoint. */
  baseUrl: string;
  /** An X-Subject-Token from POST /v3/auth/tokens (see `iamToken`). */
  token?: string;
}

export function createIrisClient({ baseUrl, token, headers, ...rest }: IrisClientOptions): IrisClient {
  return createClient<paths>({
    baseUrl: baseUrl.replace(/\/$/, ''),
    headers: { ...(token ? { 'X-Auth-Token': token } : {}), ...(headers as Record<string, string> | undefined) },
    ...rest,
  });
}

/** Signs in with a project's key pair (Huawei IAM password method) and returns the token. */
export async function iamToken(
  baseUrl: string,
  keys: { apiKey: string; secretKey: string; projectId: string },
  options: Pick<ClientOptions, 'fetch'> = {},
): Promise<string> {
  const client = createClient<paths>({ baseUrl: baseUrl.replace(/\/$/, ''), ...options });
  const { response, error } = await client.POST('/v3/auth/tokens', {
    body: {
      auth: {
        identity: { methods: ['password'], password: { user: { name: keys.apiKey, password: keys.secretKey } } },
        scope: { project: { id: keys.projectId } },
      },
    },
  });
  const token = response.headers.get('x-subject-token');
  if (!response.ok || !token) throw new Error(`sign-in failed (${response.status}): ${JSON.stringify(error)}`);
  return token;
}
