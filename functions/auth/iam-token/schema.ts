import { z } from 'zod';

/**
 * Huawei IAM `POST /v3/auth/tokens`, password method: the user name is the API key and the
 * password the secret key; the scope names the project (by id).
 */
export const schema = z.object({
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
