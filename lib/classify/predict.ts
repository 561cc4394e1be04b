/**
 * Predict (the classification predict API): `{"base64": "…"}` → `{code: 10000, predictResult:
 * {prediction, thresholdList: [{name, threshold}]}}`, every label of the service's model with its
 * probability (they sum to 1), in the model's label order; `top_num` (Iris's addition) keeps the
 * N most probable, most probable first.
 *
 * Credentials: `X-Auth-Token` or `?access_token=` of the path's project, else 2000. Image rules:
 * JPG/JPEG/PNG (10440), ≤ 4 MB (10441), 30–4096 px a side (10442; an image whose header declares
 * more than 4096 × 4096 pixels is refused as 10442 before a pixel is decoded), aspect within 3:1
 * (10443); a missing `base64` is 10310, bad base64, a `data:` header, bad JSON or an unknown field
 * 10311; an unknown service 10311.
 *
 * Hard examples: when the service has a hard-example setting and the prediction is uncertain, the
 * image is handed to the ingest path (one S3 PUT under `ingest/{project}/classify-hard/…` with the
 * prediction in the object's metadata); the importer (lib/classify/hard-importer.ts) stores it as a
 * sample of the dataset, asynchronously, under the daily quota.
 */
import { createHash } from 'node:crypto';
import type { Logger } from '@aws-lambda-powertools/logger';
import { resolveToken } from '../auth/credentials';
import { IrisError, isIrisError } from '../errors';
import { decodeBase64Image, intakeImage } from '../images';
import type { Stores } from '../store/ports';
import { HARD_REASONS, PREDICT_LIMITS } from './contract';
import { embedder, featureName, featureOf, layoutWeight } from './features';
import { classifyKeys, classifyObjects } from './keys';
import { getModel, loadModel } from './models';
import { getService, type Service } from './services';
import { predictProba } from './softmax';

export const PREDICT_FIELDS = ['base64', 'top_num'] as const;

const p = (kind: ConstructorParameters<typeof IrisError>[0], message: string, code?: number) =>
  new IrisError(kind, message, code === undefined ? {} : { codes: { predict: code } });

/** The caller's project from either credential; 2000 for anything wrong. */
export async function predictCaller(s: Stores, headers: Record<string, string | undefined>, query: Record<string, string | undefined>, pathProject: string): Promise<string> {
  const header = headers['x-auth-token'];
  const raw = header ?? query.access_token;
  const token = typeof raw === 'string' ? raw.split('?')[0] : undefined;
  if (!token) throw p('AUTH_MISSING', 'credentials missing: send the X-Auth-Token header or ?access_token=');
  const { projectId } = await resolveToken(s.metadata, token);
  if (projectId !== pathProject) throw p('FORBIDDEN_PROJECT', 'the credentials do not belong to the project in the URL');
  return projectId;
}

export interface PredictBody {
  base64: string;
  top_num?: number;
}

export function parsePredictBody(body: unknown): PredictBody {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw p('BODY_NOT_JSON', 'the body must be a JSON object {"base64": "…"}');
  const b = body as Record<string, unknown>;
  const extra = Object.keys(b).filter((k) => !(PREDICT_FIELDS as readonly string[]).includes(k));
  if (extra.length) throw p('BAD_PARAM', `unknown field(s) ${extra.slice(0, 3).map((k) => JSON.stringify(k.slice(0, 40))).join(', ')}: the body is {"base64": "…"} (and optionally "top_num")`);
  if (b.base64 === undefined || b.base64 === null || b.base64 === '') throw p('MISSING_PARAM', 'missing required parameter base64');
  if (typeof b.base64 !== 'string') throw p('BAD_PARAM', 'base64 must be a string');
  let top: number | undefined;
  if (b.top_num !== undefined) {
    top = typeof b.top_num === 'string' && /^\d{1,4}$/.test(b.top_num) ? Number(b.top_num) : (b.top_num as number);
    if (!Number.isInteger(top) || top < 1) throw p('BAD_PARAM', 'top_num must be an integer ≥ 1');
  }
  return { base64: b.base64, ...(top !== undefined ? { top_num: top } : {}) };
}

const MAX_ENCODED = Math.ceil((PREDICT_LIMITS.maxBytes * 4) / 3) + 16;

export async function decodePredictImage(base64: string) {
  const bytes = decodeBase64Image(base64, { field: 'base64', dataUrl: 'reject', maxEncodedBytes: MAX_ENCODED });
  try {
    return await intakeImage(bytes, {
      formats: ['jpeg', 'png'],
      maxBytes: PREDICT_LIMITS.maxBytes,
      minSide: PREDICT_LIMITS.minSide,
      maxSide: PREDICT_LIMITS.maxSide,
      maxAspect: PREDICT_LIMITS.maxAspect,
      maxPixels: PREDICT_LIMITS.maxSide * PREDICT_LIMITS.maxSide,
    }, 'base64');
  } catch (e) {
    // The bomb guard's refusal (declared pixels over 4096 × 4096) is a pixel limit, 10442.
    if (isIrisError(e) && e.kind === 'IMAGE_TOO_LARGE' && bytes.length <= PREDICT_LIMITS.maxBytes) throw new IrisError('IMAGE_DIMENSIONS', e.message, { field: 'base64' });
    throw e;
  }
}

export interface Prediction {
  prediction: string;
  thresholdList: Array<{ name: string; threshold: number }>;
}

export async function predict(
  s: Stores,
  projectId: string,
  serviceId: string,
  body: PredictBody,
  log?: Logger,
): Promise<{ result: Prediction; hard?: { reasons: number[]; coefficient: number; handedOff: boolean } }> {
  let sv: Service;
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(serviceId)) throw p('NOT_FOUND', `service ${serviceId.slice(0, 64)} does not exist`, 10311);
  try {
    sv = await getService(s, projectId, serviceId);
  } catch (e) {
    if (isIrisError(e) && e.kind === 'NOT_FOUND') throw p('NOT_FOUND', `service ${serviceId} does not exist`, 10311);
    throw e;
  }
  const img = await decodePredictImage(body.base64);
  const [model, e] = await Promise.all([getModel(s, projectId, sv.modelId).then((m) => loadModel(s, m)), embedder()]);
  // Features in the layout the model was trained on; one from another embedder cannot be computed here.
  if (layoutWeight(e, model.model.embedder) === undefined) throw new Error(`model ${model.model.modelId} was trained on ${model.model.embedder} features, which this container (${featureName(e)}) cannot compute`);
  const x = await featureOf(e, img, model.model.embedder);
  const probs = predictProba(model.softmax, x);
  const labels = model.softmax.labels;
  let best = 0;
  for (let k = 1; k < probs.length; k++) if (probs[k] > probs[best]) best = k;
  let list = labels.map((name, k) => ({ name, threshold: probs[k] }));
  if (body.top_num !== undefined) list = [...list].sort((a, b) => b.threshold - a.threshold).slice(0, body.top_num);
  const result: Prediction = { prediction: labels[best], thresholdList: list };

  const h = sv.hardExamples;
  if (!h) return { result };
  const sorted = [...probs].sort((a, b) => b - a);
  const top = sorted[0];
  const margin = top - (sorted[1] ?? 0);
  const low = top < h.confidence_below || (h.margin_below !== undefined && margin < h.margin_below);
  if (!low) return { result };
  const reasons: number[] = [HARD_REASONS.lowConfidence];
  const c = model.centroids?.[best];
  if (c) {
    let sim = 0;
    for (let d = 0; d < c.vector.length; d++) sim += c.vector[d] * x[d];
    if (sim < c.p5) reasons.push(HARD_REASONS.unlikeClass);
  }
  const coefficient = Math.round((1 - top) * 1e4) / 1e4;
  let handedOff = false;
  try {
    handedOff = await handOff(s, sv, img.bytes, img.format, { label: labels[best], score: top, coefficient, reasons, modelId: sv.modelId });
  } catch (err) {
    // The prediction is answered whatever happens to its hard example.
    log?.warn('hard example not handed off', { serviceId, error: err as Error });
  }
  return { result, hard: { reasons, coefficient, handedOff } };
}

export const utcDay = (t = Date.now()): string => new Date(t).toISOString().slice(0, 10);

/** One S3 PUT, skipped when today's quota is known to be used up. */
async function handOff(s: Stores, sv: Service, bytes: Buffer, format: string, f: { label: string; score: number; coefficient: number; reasons: number[]; modelId: string }): Promise<boolean> {
  const h = sv.hardExamples!;
  const used = await s.metadata.get(classifyKeys.hardQuota(sv.serviceId, utcDay()));
  if (Number(used?.n ?? 0) >= h.daily_quota) return false;
  const sha = createHash('sha256').update(bytes).digest('hex');
  const ext = format === 'png' ? 'png' : 'jpg';
  await s.objects.put(classifyObjects.hardIngest(sv.projectId, sv.serviceId, sha, ext), bytes, {
    contentType: format === 'png' ? 'image/png' : 'image/jpeg',
    metadata: {
      'dataset-id': h.dataset_id,
      'daily-quota': String(h.daily_quota),
      'model-id': f.modelId,
      label: encodeURIComponent(f.label),
      score: String(Math.round(f.score * 1e6) / 1e6),
      'hard-coefficient': String(f.coefficient),
      'hard-reasons': f.reasons.join('-'),
      'predicted-at': String(Date.now()),
    },
  });
  return true;
}
