/**
 * Hard-sample configurations (HiLens `get_hard_sample_config`), one per device and/or skill: which
 * cameras may upload, the upload quota (`data_count`) and the count so far (`datacur_count`,
 * incremented atomically by every accepted upload and refused past the quota), the dataset the
 * frames land in, and `dataset_path` — the capability URL a device hands to `upload_jpeg`
 * (built from IRIS_PUBLIC_URL, with a random upload key; knowing the URL is what allows uploading).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { config } from '../config';
import { getDataset } from '../datasets/datasets';
import { IrisError } from '../errors';
import { datasetKeys } from '../store/keys';
import type { Item, MetadataStore } from '../store/ports';
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
  model_name: string;
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
  thr: Number(i.thr),
  uploadKey: String(i.uploadKey),
  createdAt: String(i.createdAt),
});

/** The device's upload URL (HiLens `dataset_path`). */
export function uploadUrl(c: Pick<HardSampleConfig, 'projectId' | 'configId' | 'uploadKey'>): string {
  const base = (config().publicUrl ?? '').replace(/\/+$/, '');
  return `${base}/v1/${c.projectId}/hard-examples/${c.configId}/${c.uploadKey}`;
}

/** The `hard_sample_setting` entry as HiLens returns it (plus Iris's ids). */
export function configView(c: HardSampleConfig): Record<string, unknown> {
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
    model_id: c.modelId,
    model_name: c.modelName,
    setting_config: { thr: c.thr },
  };
}

export async function createConfig(metadata: MetadataStore, projectId: string, input: HardSampleConfigInput, now = new Date()): Promise<HardSampleConfig> {
  const ds = await getDataset(metadata, projectId, input.dataset_id);
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
    modelId: input.model_id ?? '',
    modelName: input.model_name,
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
  setting_config?: { thr?: number };
  /** Issue a new upload key (the old dataset_path stops working). */
  rotate_upload_key?: boolean;
}

export async function updateConfig(metadata: MetadataStore, projectId: string, configId: string, u: HardSampleConfigUpdate): Promise<HardSampleConfig> {
  const set: Record<string, unknown> = {
    cameraNames: u.camera_names,
    dataCount: u.data_count,
    datacurCount: u.datacur_count,
    modelAlgorithm: u.model_algorithm,
    modelId: u.model_id,
    modelName: u.model_name,
    thr: u.setting_config?.thr,
    uploadKey: u.rotate_upload_key ? randomBytes(24).toString('base64url') : undefined,
  };
  const item = await metadata.update(datasetKeys.hardConfig(projectId, configId), { set }, { ifExists: true });
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
