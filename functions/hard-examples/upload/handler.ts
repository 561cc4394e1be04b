import { IrisError } from '../../../lib/errors';
import { configForUpload } from '../../../lib/hard-examples/configs';
import { acceptHardExample, type Frame } from '../../../lib/hard-examples/upload';
import { httpApi } from '../../../lib/http/handler';
import { schema } from './schema';

/**
 * The device's `upload_jpeg` target. The URL itself is the credential (random upload key, checked
 * in constant time), as HiLens hands `dataset_path` to the device. Answers `{ success: true, … }`;
 * any failure is an error envelope with a non-2xx status, which the client maps to False.
 */
export const main = httpApi({
  family: 'modelarts',
  auth: 'none',
  schema,
  handler: async ({ input, stores }) => {
    const { path, body } = input;
    const c = await configForUpload(stores.metadata, path.project_id, path.config_id, path.upload_key);
    let frame: Frame;
    if (body.format === 'jpeg') frame = { format: 'jpeg', bytes: body.frame };
    else {
      if (body.width === undefined || body.height === undefined) {
        throw new IrisError('MISSING_PARAM', 'an NV21 frame needs width and height', { field: 'width' });
      }
      frame = { format: body.format, bytes: body.frame, width: body.width, height: body.height };
    }
    const sample = await acceptHardExample(stores, c, {
      index: body.index,
      modelName: body.model_name,
      cameraName: body.camera_name,
      frame,
      hardCoefficient: body.hard_coefficient,
      hardReasons: body.hard_reasons,
    });
    return { success: true, sample_id: sample.sampleId, name: sample.path, datacur_count: sample.datacurCount, data_count: c.dataCount };
  },
});
