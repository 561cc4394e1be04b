/**
 * A small device-side client for hard examples, the TypeScript counterpart of HiLens'
 * `get_hard_sample_config()` and `upload_jpeg(upload_url, index, model_name, camera_name, frame)`:
 *
 *   const hilens = new HardExampleClient({ endpoint, projectId, token, deviceId: 'cam-box-1' });
 *   const [setting] = (await hilens.getHardSampleConfig()).hard_sample_setting;
 *   if (isHardClassification(probs, setting.setting_config.thr).hard && setting.datacur_count < setting.data_count)
 *     await hilens.uploadJpeg(setting.dataset_path, i, setting.model_name, 'front', { data: nv21, width, height });
 *
 * Uses only `fetch` (Node ≥ 18, browsers, Deno), so it runs on a device without the AWS SDK.
 */

export interface HardSampleSetting {
  config_id: string;
  device_id?: string;
  skill_id?: string;
  camera_names: string[];
  data_count: number;
  datacur_count: number;
  dataset_id: string;
  dataset_name: string;
  dataset_path: string;
  model_algorithm: 'image_classification' | 'object_detection';
  model_id: string;
  model_name: string;
  setting_config: { thr: number };
}

/** An NV21 frame (the HiLens `frame` mat): Y plane then interleaved V,U. */
export interface Nv21Frame {
  data: Uint8Array;
  width: number;
  height: number;
}

export interface ClientOptions {
  /** Base URL of the Iris HTTP API. */
  endpoint: string;
  projectId: string;
  /** X-Auth-Token, for reading the configuration (uploads need only the dataset_path URL). */
  token?: string;
  deviceId?: string;
  skillId?: string;
  fetch?: typeof fetch;
  /** Per-request timeout (default 15 s). */
  timeoutMs?: number;
}

export class HardExampleClient {
  private readonly fetch: typeof fetch;

  constructor(private readonly opts: ClientOptions) {
    this.fetch = opts.fetch ?? globalThis.fetch.bind(globalThis);
  }

  /** `get_hard_sample_config()`: `{ hard_sample_setting: [...] }` for this device / skill. */
  async getHardSampleConfig(): Promise<{ hard_sample_setting: HardSampleSetting[] }> {
    const q = new URLSearchParams();
    if (this.opts.deviceId) q.set('device_id', this.opts.deviceId);
    if (this.opts.skillId) q.set('skill_id', this.opts.skillId);
    const url = `${this.opts.endpoint.replace(/\/+$/, '')}/v1/${encodeURIComponent(this.opts.projectId)}/hard-sample-configs${q.size ? `?${q}` : ''}`;
    const res = await this.fetch(url, { headers: this.opts.token ? { 'x-auth-token': this.opts.token } : {}, signal: AbortSignal.timeout(this.opts.timeoutMs ?? 15_000) });
    const body = (await res.json()) as { hard_sample_setting?: HardSampleSetting[]; error_msg?: string };
    if (!res.ok) throw new Error(`get_hard_sample_config failed (${res.status}): ${body.error_msg ?? 'unknown error'}`);
    return { hard_sample_setting: body.hard_sample_setting ?? [] };
  }

  /**
   * `upload_jpeg(upload_url, index, model_name, camera_name, frame)`: sends the NV21 frame; the
   * service stores it as model_name-camera_name-index.jpg. True when it was stored; false on any
   * refusal (quota used up, bad frame, unknown camera) or network failure — never throws.
   */
  async uploadJpeg(
    uploadUrl: string,
    index: number,
    modelName: string,
    cameraName: string,
    frame: Nv21Frame,
    /** Optional: what the is-hard filter found (stored as @modelarts:hard_coefficient / hard_reasons). */
    hardness?: { coefficient?: number; reasons?: number[] },
  ): Promise<boolean> {
    try {
      const form = new FormData();
      form.set('index', String(index));
      form.set('model_name', modelName);
      form.set('camera_name', cameraName);
      form.set('width', String(frame.width));
      form.set('height', String(frame.height));
      form.set('format', 'nv21');
      if (hardness?.coefficient !== undefined) form.set('hard_coefficient', String(hardness.coefficient));
      if (hardness?.reasons?.length) form.set('hard_reasons', hardness.reasons.join('-'));
      form.set('frame', new Blob([frame.data as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }), 'frame.nv21');
      const res = await this.fetch(uploadUrl, { method: 'POST', body: form, signal: AbortSignal.timeout(this.opts.timeoutMs ?? 15_000) });
      if (!res.ok) return false;
      const body = (await res.json()) as { success?: boolean };
      return body.success === true;
    } catch {
      return false;
    }
  }

  /**
   * The direct-to-S3 path: asks for a presigned PUT and sends the frame there (the ingest trigger
   * makes it a sample). True when S3 accepted the object.
   */
  async uploadToS3(configId: string, index: number, modelName: string, cameraName: string, frame: Nv21Frame): Promise<boolean> {
    try {
      const url = `${this.opts.endpoint.replace(/\/+$/, '')}/v1/${encodeURIComponent(this.opts.projectId)}/hard-sample-configs/${configId}/upload-url`;
      const res = await this.fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(this.opts.token ? { 'x-auth-token': this.opts.token } : {}) },
        body: JSON.stringify({ index, model_name: modelName, camera_name: cameraName, format: 'nv21', width: frame.width, height: frame.height }),
      });
      if (!res.ok) return false;
      const grant = (await res.json()) as { url: string; headers: Record<string, string> };
      const put = await this.fetch(grant.url, { method: 'PUT', headers: grant.headers, body: frame.data as Uint8Array<ArrayBuffer> });
      return put.ok;
    } catch {
      return false;
    }
  }
}
