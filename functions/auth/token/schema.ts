import { z } from 'zod';

/** Baidu's OAuth 2.0 client-credentials request (query string or form body). */
export const schema = z.object({
  grant_type: z.literal('client_credentials', { message: 'grant_type must be client_credentials' }),
  client_id: z.string().min(1).max(128),
  client_secret: z.string().min(1).max(256),
});
