/**
 * Models: what a completed training job registers. The artefact (labels, weights, label
 * centroids) is an object in the bucket under a key carrying its write id; the model item in
 * DynamoDB is the commit point (lib/classify/runner.ts), so a model whose artefact upload failed is
 * never listed. `refs` counts the services that use the model; it changes only in the same
 * transaction as the service, and a delete is conditional on `refs = 0` — so a model can never be
 * deleted under a service, whatever the interleaving.
 */
import type { Item, Stores } from '../store/ports';
import { queryPages } from '../store/query';
import { removeCommitted } from '../store/write';
import { IrisError } from '../errors';
import { CODES, notFound } from './contract';
import { classifyKeys } from './keys';
import type { Metrics } from './metrics';
import { fromJson, type SoftmaxJson, type SoftmaxModel } from './softmax';

export interface ModelArtefact {
  format: 'iris-softmax-1';
  embedder: string;
  labels: string[];
  softmax: SoftmaxJson;
  centroids: Array<{ vector: number[]; p5: number }>;
  training: Record<string, unknown>;
}

export interface Model {
  projectId: string;
  modelId: string;
  modelName: string;
  modelVersion: string;
  labels: string[];
  metrics: Metrics;
  datasetId: string;
  jobId: string;
  createTime: number;
  size: number;
  objectKey: string;
  writeId: string;
  embedder: string;
  refs?: number;
}

export const modelItem = (m: Model): Item => ({ ...classifyKeys.model(m.projectId, m.modelId), kind: 'model', refs: 0, ...m });

const toModel = (i: Item): Model => ({
  projectId: String(i.projectId),
  modelId: String(i.modelId),
  modelName: String(i.modelName),
  modelVersion: String(i.modelVersion),
  labels: (i.labels as string[]) ?? [],
  metrics: i.metrics as Metrics,
  datasetId: String(i.datasetId),
  jobId: String(i.jobId),
  createTime: Number(i.createTime),
  size: Number(i.size ?? 0),
  objectKey: String(i.objectKey),
  writeId: String(i.writeId),
  embedder: String(i.embedder),
  refs: Number(i.refs ?? 0),
});

export const modelView = (m: Model): Record<string, unknown> => ({
  model_id: m.modelId,
  model_name: m.modelName,
  model_version: m.modelVersion,
  model_algorithm: 'image_classification',
  labels: m.labels,
  metrics: m.metrics,
  dataset_id: m.datasetId,
  job_id: m.jobId,
  create_time: m.createTime,
  size: m.size,
  service_count: m.refs ?? 0,
});

export async function getModel(s: Stores, projectId: string, modelId: string, consistent = false): Promise<Model> {
  const item = await s.metadata.get(classifyKeys.model(projectId, modelId), { consistent });
  if (!item) throw notFound('model', modelId);
  return toModel(item);
}

export async function listModels(s: Stores, projectId: string, q: { offset: number; limit: number; modelName?: string }): Promise<{ total: number; models: Model[] }> {
  const all: Model[] = [];
  for await (const items of queryPages(s.metadata, { pk: classifyKeys.models(projectId), forward: false })) {
    for (const m of items.map(toModel)) if (q.modelName === undefined || m.modelName === q.modelName) all.push(m);
  }
  return { total: all.length, models: all.slice(q.offset * q.limit, q.offset * q.limit + q.limit) };
}

export async function deleteModel(s: Stores, projectId: string, modelId: string): Promise<void> {
  const m = await getModel(s, projectId, modelId, true);
  const ok = await removeCommitted(s, { ops: [{ delete: classifyKeys.model(projectId, modelId), condition: { ifMatch: { refs: 0 } } }], objects: [m.objectKey] });
  if (!ok) {
    const now = await s.metadata.get(classifyKeys.model(projectId, modelId), { consistent: true });
    if (!now) throw notFound('model', modelId);
    throw new IrisError('BAD_PARAM', `model ${modelId} is used by ${Number(now.refs)} service(s): switch or delete them first`, { codes: { modelarts: CODES.modelInUse } });
  }
}

export interface LoadedModel {
  model: Model;
  softmax: SoftmaxModel;
  centroids: ModelArtefact['centroids'];
}

/** Loaded artefacts, per container (an artefact never changes: its key carries its write id). */
const cache = new Map<string, Promise<LoadedModel>>();

export function loadModel(s: Stores, model: Model): Promise<LoadedModel> {
  const key = `${model.objectKey}`;
  let p = cache.get(key);
  if (!p) {
    p = (async () => {
      const obj = await s.objects.get(model.objectKey);
      if (!obj) throw new Error(`artefact of model ${model.modelId} is missing`);
      const a = JSON.parse(obj.body.toString('utf8')) as ModelArtefact;
      return { model, softmax: fromJson(a.softmax), centroids: a.centroids };
    })();
    cache.set(key, p);
    p.catch(() => cache.delete(key));
    if (cache.size > 32) cache.delete(cache.keys().next().value!);
  }
  return p;
}
