/** A ModelArts dataset for tests: input under /bucket/in/{name}/, work path /bucket/out/{name}/. */
import { createDataset, type Dataset } from '../../lib/datasets/datasets';
import type { MetadataStore } from '../../lib/store/ports';

export const bucketDataset = (metadata: MetadataStore, projectId: string, name: string, labels?: Array<{ name: string }>): Promise<Dataset> =>
  createDataset(metadata, projectId, {
    dataset_name: name,
    dataset_type: 0,
    data_sources: [{ data_type: 0, data_path: `/bucket/in/${name}/` }],
    work_path: `/bucket/out/${name}/`,
    ...(labels ? { labels } : {}),
  } as Parameters<typeof createDataset>[2]);
