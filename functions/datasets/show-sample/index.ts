import { defineOperation } from '../../../lib/http/operation';
import { CODES } from '../../../lib/datasets/contract';
import { getDataset } from '../../../lib/datasets/datasets';
import { getSample, sampleView } from '../../../lib/datasets/samples';
import { parseProcessParameter, thumbnailUrl } from '../../../lib/datasets/thumbnail';
import { IrisError } from '../../../lib/errors';
import { z } from 'zod';
import { samplePath } from '../../../lib/datasets/params';

/** GET …/data-annotations/samples/{sample_id}?process_parameter=image/resize,m_lfit,h_200 */
const schema = z.object({
  path: samplePath,
  query: z.object({ process_parameter: z.string().min(1).max(256).optional() }),
});

/** GET …/samples/{sample_id} → the sample with `url` (presigned GET) and `preview` (thumbnail) when asked. */
export default defineOperation({
  name: 'showSample',
  description: 'Shows a sample with a presigned URL and an optional thumbnail (ModelArts)',
  method: 'GET',
  path: '/v2/{project_id}/datasets/{dataset_id}/data-annotations/samples/{sample_id}',
  family: 'modelarts',
  auth: 'huawei-token',
  schema,
  run: async ({ input, projectId, stores }) => {
    const resize = input.query.process_parameter ? parseProcessParameter(input.query.process_parameter) : undefined;
    const ds = await getDataset(stores.metadata, projectId, input.path.dataset_id);
    const sample = await getSample(stores.metadata, ds.datasetId, input.path.sample_id);
    if (!sample) {
      throw new IrisError('NOT_FOUND', `sample ${input.path.sample_id} does not exist in dataset ${ds.datasetId}`, { codes: { modelarts: CODES.sampleNotFound }, status: 404 });
    }
    const url = await stores.objects.presignGet(sample.objectKey);
    const preview = resize ? await thumbnailUrl(stores, projectId, ds.workPath, sample, resize) : undefined;
    return sampleView(sample, { url, ...(preview ? { preview } : {}) });
  },
  access: { objects: [{ prefix: 'data/', actions: ['read', 'write'] }], table: ['read'], nativeLayer: true },
  memory: 1024,
  timeout: 29,
});
