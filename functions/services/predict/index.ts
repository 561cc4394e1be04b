import { z } from 'zod';
import { defineOperation } from '../../../lib/http/operation';
import { PREFIX } from '../../../lib/deploy/types';
import { embedder } from '../../../lib/classify/features';
import { parsePredictBody, predict, predictCaller } from '../../../lib/classify/predict';
import { PREDICT_OK } from '../../../lib/http/families/predict';

/**
 * Described for the API document only: nothing here can fail, so that the credentials are checked
 * before the body (2000 before 10310 / 10311); the body is checked in `run`.
 */
const schema = z.object({
  path: z.object({ project_id: z.string(), service_id: z.string() }),
  query: z.object({ access_token: z.any().optional().describe('a Baidu-style access token of the project (instead of X-Auth-Token)') }).loose(),
  body: z
    .object({
      base64: z.any().optional().describe('the image (JPG/JPEG/PNG, ≤ 4 MB, 30–4096 px, aspect within 3:1) in base64, without a data: header'),
      top_num: z.any().optional().describe('how many entries of thresholdList, most probable first (default: every label, in model order)'),
    })
    .loose(),
});

/** POST /v1/{project_id}/predict/{service_id} (the service's predict_url) {"base64"} → {code: 10000, predictResult: {prediction, thresholdList}}. */
export default defineOperation({
  name: 'predict',
  description: 'Classifies an image with a service\'s model (the classification predict API)',
  method: 'POST',
  path: '/v1/{project_id}/predict/{service_id}',
  family: 'predict',
  auth: 'none',
  schema,
  response: z.object({
    code: z.literal(PREDICT_OK),
    predictResult: z.object({ prediction: z.string(), thresholdList: z.array(z.object({ name: z.string(), threshold: z.number() })) }),
  }),
  run: async ({ input, headers, event, stores, log }) => {
    const projectId = await predictCaller(stores, headers, (event.queryStringParameters ?? {}) as Record<string, string | undefined>, input.path.project_id);
    const body = parsePredictBody(event.body);
    const { result } = await predict(stores, projectId, input.path.service_id, body, log);
    return { code: PREDICT_OK, predictResult: result };
  },
  warm: () => embedder(),
  access: {
    table: ['read'],
    objects: [
      { prefix: PREFIX.data, actions: ['read'] },
      { prefix: PREFIX.ingest, actions: ['write'] },
    ],
    nativeLayer: true,
  },
  memory: 2048,
  timeout: 29,
});
