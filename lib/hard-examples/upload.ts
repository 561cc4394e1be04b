/**
 * Taking a hard example (HiLens `upload_jpeg`): an NV21 frame (or a JPEG, for the S3 path) is
 * turned into a BT.601 JPEG, stored as `model_name-camera_name-index.jpg` in the dataset's
 * hard-example folder (the same name overwrites the same sample), and recorded as a sample with
 * `@modelarts:hard` = 1. Each accepted upload takes one from the configuration's quota first
 * (atomically, refused past `data_count`) and gives it back if storing fails.
 */
import sharp from 'sharp';
import { getDataset } from '../datasets/datasets';
import { hardExampleFolder } from '../datasets/paths';
import { putSample, type StoredSample } from '../datasets/samples';
import { contentTypeOf } from '../images/formats';
import { sniffFormat } from '../images/sniff';
import { checkNv21, nv21ToJpeg, type ChromaOrder } from '../images/nv21';
import type { Stores } from '../store/ports';
import { releaseUpload, reserveUpload, type HardSampleConfig } from './configs';
import { badParam, notJpeg, quotaUsedUp } from './contract';
import { hardExampleFileName } from './names';

export type Frame =
  | { format: 'nv21' | 'nv12'; bytes: Buffer; width: number; height: number }
  | { format: 'jpeg'; bytes: Buffer };

export interface HardExampleUpload {
  index: number;
  modelName: string;
  cameraName: string;
  frame: Frame;
  /** Optional metadata the device sends along (ModelArts "Adding Samples in Batches", table 10: hard-example attributes). */
  hardCoefficient?: number;
  hardReasons?: number[];
}

async function toJpeg(frame: Frame): Promise<{ jpeg: Buffer; width?: number; height?: number }> {
  if (frame.format === 'jpeg') {
    if (sniffFormat(frame.bytes) !== 'jpeg') throw notJpeg();
    const meta = await sharp(frame.bytes).metadata().catch(() => null);
    if (!meta?.width || !meta.height) throw notJpeg();
    return { jpeg: frame.bytes, width: meta.width, height: meta.height };
  }
  checkNv21(frame.bytes, frame.width, frame.height);
  const order: ChromaOrder = frame.format === 'nv21' ? 'vu' : 'uv';
  return { jpeg: await nv21ToJpeg(frame.bytes, frame.width, frame.height, { order }), width: frame.width, height: frame.height };
}

export async function acceptHardExample(s: Stores, c: HardSampleConfig, u: HardExampleUpload, opts: { deadline?: number } = {}): Promise<StoredSample & { datacurCount: number }> {
  const file = hardExampleFileName(u.modelName, u.cameraName, u.index);
  if (c.cameraNames.length > 0 && !c.cameraNames.includes(u.cameraName)) {
    throw badParam('camera_name', `camera ${u.cameraName} is not one of this configuration's camera_names (${c.cameraNames.join(', ')})`);
  }
  const ds = await getDataset(s.metadata, c.projectId, c.datasetId);
  const { jpeg, width, height } = await toJpeg(u.frame);
  const count = await reserveUpload(s.metadata, c);
  if (count === null) {
    throw quotaUsedUp(c.dataCount);
  }
  try {
    const sample = await putSample(s, ds, {
      path: `${hardExampleFolder(ds.workPath, ds.datasetId)}${file}`,
      bytes: jpeg,
      contentType: contentTypeOf('jpeg'),
      owned: true,
      sampleType: 0,
      labels: [],
      metadata: {
        '@modelarts:hard': 1,
        ...(width && height ? { '@modelarts:size': [width, height, 3] } : {}),
        ...(u.hardCoefficient !== undefined ? { '@modelarts:hard_coefficient': u.hardCoefficient } : {}),
        ...(u.hardReasons ? { '@modelarts:hard_reasons': u.hardReasons } : {}),
        camera_name: u.cameraName,
        model_name: u.modelName,
        index: u.index,
      },
      finalAnnotation: true,
    }, new Date(), { deadline: opts.deadline });
    return { ...sample, datacurCount: count };
  } catch (e) {
    await releaseUpload(s.metadata, c).catch(() => undefined);
    throw e;
  }
}
