import { CODES } from '../../../lib/datasets/contract';
import { getDataset } from '../../../lib/datasets/datasets';
import { getSample, sampleView } from '../../../lib/datasets/samples';
import { parseProcessParameter, thumbnailUrl } from '../../../lib/datasets/thumbnail';
import { IrisError } from '../../../lib/errors';
import { httpApi } from '../../../lib/http/handler';
import { schema } from './schema';

/** GET …/samples/{sample_id} → the sample with `url` (presigned GET) and `preview` (thumbnail) when asked. */
export const main = httpApi({
  family: 'modelarts',
  auth: 'huawei-token',
  schema,
  handler: async ({ input, projectId, stores }) => {
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
});
