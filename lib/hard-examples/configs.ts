/**
 * Hard-sample configurations (HiLens `get_hard_sample_config`), one per device and/or skill: which
 * cameras may upload, the upload quota (`data_count`) and the count so far (`datacur_count`,
 * incremented atomically by every accepted upload and refused past the quota), the dataset the
 * frames land in, and `dataset_path` — the capability URL a device hands to `upload_jpeg`
 * (built from IRIS_PUBLIC_URL, with a random upload key; knowing the URL is what allows uploading).
 *
 * Iris addition: a config may name a classification service (`service_id`). Its answer then
 * gives that service's *current* model as `model_id` / `model_name` (with `model_version`), so
 * after the service is switched to a new version the devices read the same model the cloud
 * predicts with. If the service is deleted, the model last stored on the config is answered.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { getModel } from '../classify/models';
import { getService } from '../classify/services';
import { config } from '../config';
import { getDataset } from '../datasets/datasets';
import { IrisError, isIrisError } from '../errors';
import { datasetKeys } from '../store/keys';
import type { Item, MetadataStore, Stores } from '../store/ports';
import { queryAll } from '../store/query';
import { configNotFound, type ModelAlgorithm } from './contract';

export { MAX_DATA_COUNT, MODEL_ALGORITHMS, configNotFound, type ModelAlgorithm } from './contract';

export interface HardSampleConfig {
  projectId: string;
  configId: string;
  deviceId?: string;
  skillId?: string;
  datasetId: string;
  datasetName: string;
  cameraNames: string[];
  dataCount: number;
  datacurCount: number;
  modelAlgorithm: ModelAlgorithm;
  modelId: string;
  modelName: string;
  /** The classification service whose current model the config names (Iris addition). */
  serviceId?: string;
  thr: number;
  uploadKey: string;
  createdAt: string;
}

export interface HardSampleConfigInput {
  dataset_id: string;
  device_id?: string;
  skill_id?: string;
  camera_names?: string[];
  data_count: number;
  model_algorithm: ModelAlgorithm;
  model_id?: string;
  /** Required unless `service_id` names a service (its model's name is used). */
  model_name?: string;
  service_id?: string;
  setting_config?: { thr?: number };
}

const toConfig = (i: Item): HardSampleConfig => ({
  projectId: String(i.projectId),
  configId: String(i.configId),
  deviceId: i.deviceId as string | undefined,
  skillId: i.skillId as string | undefined,
  datasetId: String(i.datasetId),
  datasetName: String(i.datasetName),
  cameraNames: (i.cameraNames as string[]) ?? [],
  dataCount: Number(i.dataCount),
  datacurCount: Number(i.datacurCount ?? 0),
  modelAlgorithm: i.modelAlgorithm as ModelAlgorithm,
  modelId: String(i.modelId ?? ''),
  modelName: String(i.modelName),
  serviceId: i.serviceId ? String(i.serviceId) : undefined,
  thr: Number(i.thr),
  uploadKey: String(i.uploadKey),
  createdAt: String(i.createdAt),
});

/** The device's upload URL (HiLens `dataset_path`). */
export function uploadUrl(c: Pick<HardSampleConfig, 'projectId' | 'configId' | 'uploadKey'>): string {
  const base = (config().publicUrl ?? '').replace(/\/+$/, '');
  return `${base}/v1/${c.projectId}/hard-examples/${c.configId}/${c.uploadKey}`;
}

/** A service's current model, as a config names it. */
export interface ServiceModel {
  serviceId: string;
  modelId: string;
  modelName: string;
  modelVersion: string;
}

/** The current model of a service; `null` when the service (or its model) is gone. */
export async function serviceModel(s: Stores, projectId: string, serviceId: string): Promise<ServiceModel | null> {
  try {
    const sv = await getService(s, projectId, serviceId);
    const m = await getModel(s, projectId, sv.modelId);
    return { serviceId, modelId: m.modelId, modelName: m.modelName, modelVersion: m.modelVersion };
  } catch (e) {
    if (isIrisError(e) && e.kind === 'NOT_FOUND') return null;
    throw e;
  }
}

/** The model a config names now: its service's current model when it names a live service. */
export async function liveModel(s: Stores, c: HardSampleConfig): Promise<ServiceModel | null> {
  return c.serviceId ? serviceModel(s, c.projectId, c.serviceId) : null;
}

/** The `hard_sample_setting` entry as HiLens returns it (plus Iris's ids); `live` is the service's current model. */
export function configView(c: HardSampleConfig, live: ServiceModel | null = null): Record<string, unknown> {
  return {
    config_id: c.configId,
    ...(c.deviceId ? { device_id: c.deviceId } : {}),
    ...(c.skillId ? { skill_id: c.skillId } : {}),
    camera_names: c.cameraNames,
    data_count: c.dataCount,
    datacur_count: c.datacurCount,
    dataset_id: c.datasetId,
    dataset_name: c.datasetName,
    dataset_path: uploadUrl(c),
    model_algorithm: c.modelAlgorithm,
    model_id: live?.modelId ?? c.modelId,
    model_name: live?.modelName ?? c.modelName,
    ...(live ? { model_version: live.modelVersion } : {}),
    ...(c.serviceId ? { service_id: c.serviceId } : {}),
    setting_config: { thr: c.thr },
  };
}

/** A named service must exist in the project (ModelArts' not-found code otherwise). */
async function requireService(s: Stores, projectId: string, serviceId: string): Promise<ServiceModel> {
  const m = await serviceModel(s, projectId, serviceId);
  if (!m) await getService(s, projectId, serviceId); // throws the service's not-found error
  if (!m) throw new IrisError('NOT_FOUND', `the model of service ${serviceId} does not exist`, { status: 404 });
  return m;
}

export async function createConfig(s: Stores, projectId: string, input: HardSampleConfigInput, now = new Date()): Promise<HardSampleConfig> {
  const metadata = s.metadata;
  const ds = await getDataset(metadata, projectId, input.dataset_id);
  const sm = input.service_id ? await requireService(s, projectId, input.service_id) : null;
  const configId = randomBytes(10).toString('hex');
  const item = {
    ...datasetKeys.hardConfig(projectId, configId),
    projectId,
    configId,
    ...(input.device_id ? { deviceId: input.device_id } : {}),
    ...(input.skill_id ? { skillId: input.skill_id } : {}),
    datasetId: ds.datasetId,
    datasetName: ds.name,
    cameraNames: input.camera_names ?? [],
    dataCount: input.data_count,
    datacurCount: 0,
    modelAlgorithm: input.model_algorithm,
    modelId: sm?.modelId ?? input.model_id ?? '',
    modelName: sm?.modelName ?? input.model_name ?? '',
    ...(sm ? { serviceId: sm.serviceId } : {}),
    thr: input.setting_config?.thr ?? 0.5,
    uploadKey: randomBytes(24).toString('base64url'),
    createdAt: now.toISOString(),
  };
  await metadata.put(item, { ifNotExists: true });
  return toConfig(item);
}

export async function getConfig(metadata: MetadataStore, projectId: string, configId: string): Promise<HardSampleConfig> {
  const item = await metadata.get(datasetKeys.hardConfig(projectId, configId));
  if (!item) throw configNotFound(configId);
  return toConfig(item);
}

/** Checks an upload key in constant time; a wrong key looks like a missing config. */
export async function configForUpload(metadata: MetadataStore, projectId: string, configId: string, key: string): Promise<HardSampleConfig> {
  const c = await getConfig(metadata, projectId, configId).catch(() => null);
  const a = Buffer.from(c?.uploadKey ?? ''), b = Buffer.from(key);
  if (!c || a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new IrisError('AUTH_INVALID', 'unknown hard-example upload URL', { status: 401 });
  }
  return c;
}

export async function listConfigs(metadata: MetadataStore, projectId: string, filter: { deviceId?: string; skillId?: string }): Promise<HardSampleConfig[]> {
  return (await queryAll(metadata, { pk: datasetKeys.hardConfigs(projectId) }))
    .map(toConfig)
    .filter((c) => (filter.deviceId ? c.deviceId === filter.deviceId : true))
    .filter((c) => (filter.skillId ? c.skillId === filter.skillId : true))
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

export interface HardSampleConfigUpdate {
  camera_names?: string[];
  data_count?: number;
  datacur_count?: number;
  model_algorithm?: ModelAlgorithm;
  model_id?: string;
  model_name?: string;
  /** Name a service (its current model is answered), or `null` to stop naming one. */
  service_id?: string | null;
  setting_config?: { thr?: number };
  /** Issue a new upload key (the old dataset_path stops working). */
  rotate_upload_key?: boolean;
}

export async function updateConfig(s: Stores, projectId: string, configId: string, u: HardSampleConfigUpdate): Promise<HardSampleConfig> {
  const sm = u.service_id ? await requireService(s, projectId, u.service_id) : null;
  const set: Record<string, unknown> = {
    cameraNames: u.camera_names,
    dataCount: u.data_count,
    datacurCount: u.datacur_count,
    modelAlgorithm: u.model_algorithm,
    modelId: sm?.modelId ?? u.model_id,
    modelName: sm?.modelName ?? u.model_name,
    serviceId: sm?.serviceId,
    thr: u.setting_config?.thr,
    uploadKey: u.rotate_upload_key ? randomBytes(24).toString('base64url') : undefined,
  };
  const item = await s.metadata.update(datasetKeys.hardConfig(projectId, configId), { set, ...(u.service_id === null ? { remove: ['serviceId'] } : {}) }, { ifExists: true });
  if (!item) throw configNotFound(configId);
  return toConfig(item);
}

export async function deleteConfig(metadata: MetadataStore, projectId: string, configId: string): Promise<void> {
  if (!(await metadata.delete(datasetKeys.hardConfig(projectId, configId), { ifExists: true }))) throw configNotFound(configId);
}

/** Takes one upload from the quota atomically; false when datacur_count has reached data_count. */
export async function reserveUpload(metadata: MetadataStore, c: HardSampleConfig): Promise<number | null> {
  const key = datasetKeys.hardConfig(c.projectId, c.configId);
  const current = await metadata.get(key);
  if (!current) throw configNotFound(c.configId);
  const after = await metadata.update(key, { add: { datacurCount: 1 } }, { ifMatch: { dataCount: current.dataCount }, ifBelow: { attr: 'datacurCount', limit: Number(current.dataCount) } });
  return after ? Number(after.datacurCount) : null;
}

export async function releaseUpload(metadata: MetadataStore, c: HardSampleConfig): Promise<void> {
  await metadata.update(datasetKeys.hardConfig(c.projectId, c.configId), { add: { datacurCount: -1 } }, { ifExists: true });
}
