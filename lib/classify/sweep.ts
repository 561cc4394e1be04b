/**
 * The classification side of the one sweep (lib/store/sweep.ts): a model artefact
 * (`data/{project}/models/{modelId}.{writeId}.json`) is live while the committed model item names it;
 * artefacts of runs that died before their commit, or of jobs stopped at the commit, are removed once
 * older than the grace period. The feature cache (`models/.features/`) is not the sweep's: its keys
 * are derived data, valid as long as the sample's write is.
 */
import { PREFIX } from '../deploy/types';
import type { Stores } from '../store/ports';
import { sweep, type SweepOptions, type SweepResult } from '../store/sweep';
import { classifyKeys } from './keys';

export function sweepModels(stores: Stores, projectId: string, opts: SweepOptions = {}): Promise<SweepResult> {
  const prefix = `${PREFIX.data}${projectId}/models/`;
  return sweep(
    stores,
    {
      objects: {
        prefix,
        skip: (key) => key.startsWith(`${prefix}.features/`),
        owner: (key) => {
          const m = /^([a-z0-9]{20})\.(w[0-9a-z]{15})\.json$/.exec(key.slice(prefix.length));
          return m ? classifyKeys.model(projectId, m[1]) : null;
        },
        alive: (key, item) => item.objectKey === key,
      },
    },
    opts,
  );
}
