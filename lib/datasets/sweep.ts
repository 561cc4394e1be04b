/**
 * The dataset side of the one sweep (lib/store/sweep.ts): an object in a dataset's folder is live
 * when the sample of its path exists and names it. Thumbnails are derived copies with their own
 * lifetime and are left alone.
 */
import { datasetKeys } from '../store/keys';
import type { Stores } from '../store/ports';
import { sweep, type SweepOptions, type SweepResult } from '../store/sweep';
import type { Dataset } from './datasets';
import { datasetFolder, objectKeyOf, thumbnailFolder } from './paths';
import { sampleIdOf } from './samples';

export function sweepDataset(stores: Stores, ds: Pick<Dataset, 'projectId' | 'datasetId' | 'workPath'>, opts: SweepOptions = {}): Promise<SweepResult> {
  const root = objectKeyOf(ds.projectId, '');
  const thumbnails = objectKeyOf(ds.projectId, thumbnailFolder(ds.workPath, ds.datasetId));
  return sweep(
    stores,
    {
      objects: {
        prefix: objectKeyOf(ds.projectId, datasetFolder(ds.workPath, ds.datasetId)),
        skip: (key) => key.startsWith(thumbnails),
        owner: (key) => datasetKeys.sample(ds.datasetId, sampleIdOf(ds.datasetId, key.slice(root.length))),
        alive: (key, item) => item.objectKey === key,
      },
    },
    opts,
  );
}
