/**
 * Services: a published model behind a predict URL. A service names one model; creating,
 * switching and deleting a service changes the models' `refs` in the same DynamoDB transaction as
 * the service item (each model update conditional on the model existing), so a service never
 * points at a missing model and a used model can never be deleted (lib/classify/models.ts).
 * Switching to another model version is one transaction: predict reads the service item on each
 * call (a cheap GetItem) and the new model's artefact, so there is no downtime.
 */
import { config } from '../config';
import { getDataset } from '../datasets/datasets';
import { IrisError } from '../errors';
import type { Item, Stores, TransactOp } from '../store/ports';
import { queryPages } from '../store/query';
import { CODES, HARD_DEFAULTS, newId, notFound, refuse } from './contract';
import { classifyKeys } from './keys';
import { getModel, type Model } from './models';

export interface HardExampleSetting {
  dataset_id: string;
  confidence_below: number;
  margin_below?: number;
  daily_quota: number;
}

export interface Service {
  projectId: string;
  serviceId: string;
  serviceName: string;
  modelId: string;
  hardExamples?: HardExampleSetting;
  description?: string;
  createTime: number;
  updateTime: number;
}

const toService = (i: Item): Service => ({
  projectId: String(i.projectId),
  serviceId: String(i.serviceId),
  serviceName: String(i.serviceName),
  modelId: String(i.modelId),
  ...(i.hardExamples ? { hardExamples: i.hardExamples as HardExampleSetting } : {}),
  ...(typeof i.description === 'string' ? { description: i.description } : {}),
  createTime: Number(i.createTime),
  updateTime: Number(i.updateTime),
});

export const predictPath = (projectId: string, serviceId: string): string => `/v1/${projectId}/predict/${serviceId}`;

export function serviceView(sv: Service, model?: Model): Record<string, unknown> {
  const base = (config().publicUrl ?? '').replace(/\/+$/, '');
  return {
    service_id: sv.serviceId,
    service_name: sv.serviceName,
    model_id: sv.modelId,
    ...(model ? { model_name: model.modelName, model_version: model.modelVersion } : {}),
    predict_url: `${base}${predictPath(sv.projectId, sv.serviceId)}`,
    status: 'running',
    ...(sv.description !== undefined ? { description: sv.description } : {}),
    ...(sv.hardExamples ? { hard_examples: sv.hardExamples } : {}),
    create_time: sv.createTime,
    update_time: sv.updateTime,
  };
}

export async function getService(s: Stores, projectId: string, serviceId: string, consistent = false): Promise<Service> {
  const item = await s.metadata.get(classifyKeys.service(projectId, serviceId), { consistent });
  if (!item) throw notFound('service', serviceId);
  return toService(item);
}

export async function listServices(s: Stores, projectId: string, q: { offset: number; limit: number; modelId?: string }): Promise<{ total: number; services: Service[] }> {
  const all: Service[] = [];
  for await (const items of queryPages(s.metadata, { pk: classifyKeys.services(projectId), forward: false })) {
    for (const sv of items.map(toService)) if (!q.modelId || sv.modelId === q.modelId) all.push(sv);
  }
  return { total: all.length, services: all.slice(q.offset * q.limit, q.offset * q.limit + q.limit) };
}

export interface HardExampleInput {
  dataset_id: string;
  confidence_below?: number;
  margin_below?: number;
  daily_quota?: number;
}

async function hardSetting(s: Stores, projectId: string, h: HardExampleInput | undefined): Promise<HardExampleSetting | undefined> {
  if (!h) return undefined;
  const ds = await getDataset(s.metadata, projectId, h.dataset_id);
  if (ds.type !== 0) throw refuse(CODES.notClassification, `hard examples of a classification service go to an image classification dataset (dataset_type 0); dataset ${h.dataset_id} is of type ${ds.type}`, 'hard_examples.dataset_id');
  return {
    dataset_id: h.dataset_id,
    confidence_below: h.confidence_below ?? HARD_DEFAULTS.confidence_below,
    ...(h.margin_below !== undefined ? { margin_below: h.margin_below } : {}),
    daily_quota: h.daily_quota ?? HARD_DEFAULTS.daily_quota,
  };
}

const refOp = (projectId: string, modelId: string, by: number): TransactOp => ({ update: classifyKeys.model(projectId, modelId), spec: { add: { refs: by } }, condition: { ifExists: true } });

const duplicate = (name: string) => new IrisError('CONFLICT', `service name ${name} already exists`, { field: 'service_name', codes: { modelarts: CODES.duplicateName } });

export async function createService(
  s: Stores,
  projectId: string,
  input: { service_name: string; model_id: string; description?: string; hard_examples?: HardExampleInput },
  now = Date.now(),
): Promise<{ service: Service; model: Model }> {
  const model = await getModel(s, projectId, input.model_id);
  const hard = await hardSetting(s, projectId, input.hard_examples);
  const sv: Service = {
    projectId,
    serviceId: newId(now),
    serviceName: input.service_name,
    modelId: model.modelId,
    ...(hard ? { hardExamples: hard } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
    createTime: now,
    updateTime: now,
  };
  const ok = await s.metadata.transact([
    { put: { ...classifyKeys.service(projectId, sv.serviceId), kind: 'service', ...sv }, condition: { ifNotExists: true } },
    { put: { ...classifyKeys.serviceName(projectId, sv.serviceName), serviceId: sv.serviceId }, condition: { ifNotExists: true } },
    refOp(projectId, model.modelId, 1),
  ]);
  if (!ok) {
    if (await s.metadata.get(classifyKeys.serviceName(projectId, sv.serviceName), { consistent: true })) throw duplicate(sv.serviceName);
    throw notFound('model', model.modelId);
  }
  return { service: sv, model };
}

/** Switches the model (no downtime) and / or changes the hard-example setting (`null` removes it). */
export async function updateService(
  s: Stores,
  projectId: string,
  serviceId: string,
  input: { model_id?: string; description?: string; hard_examples?: HardExampleInput | null },
  now = Date.now(),
): Promise<{ service: Service; model: Model }> {
  const hard = input.hard_examples ? await hardSetting(s, projectId, input.hard_examples) : undefined;
  for (let attempt = 0; attempt < 5; attempt++) {
    const sv = await getService(s, projectId, serviceId, true);
    const modelId = input.model_id ?? sv.modelId;
    const model = await getModel(s, projectId, modelId, true);
    const next: Service = {
      ...sv,
      modelId,
      ...(input.description !== undefined ? { description: input.description } : {}),
      updateTime: now,
    };
    if (input.hard_examples === null) delete next.hardExamples;
    else if (hard) next.hardExamples = hard;
    const ops: TransactOp[] = [{ put: { ...classifyKeys.service(projectId, serviceId), kind: 'service', ...next }, condition: { ifMatch: { modelId: sv.modelId, updateTime: sv.updateTime } } }];
    if (modelId !== sv.modelId) ops.push(refOp(projectId, modelId, 1), refOp(projectId, sv.modelId, -1));
    if (await s.metadata.transact(ops)) return { service: next, model };
    // The service changed meanwhile, or the new model was deleted: look again.
  }
  throw new IrisError('CONFLICT', 'the service is being changed concurrently, retry', { codes: { modelarts: CODES.duplicateName } });
}

export async function deleteService(s: Stores, projectId: string, serviceId: string): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const sv = await getService(s, projectId, serviceId, true);
    const ok = await s.metadata.transact([
      { delete: classifyKeys.service(projectId, serviceId), condition: { ifMatch: { modelId: sv.modelId } } },
      { delete: classifyKeys.serviceName(projectId, sv.serviceName) },
      refOp(projectId, sv.modelId, -1),
    ]);
    if (ok) return;
  }
  throw new IrisError('CONFLICT', 'the service is being changed concurrently, retry', { codes: { modelarts: CODES.duplicateName } });
}
