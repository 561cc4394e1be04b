/**
 * The scheduled sweep over every family of every project (functions/system/sweep in AWS; the
 * local stack runs it at start): image libraries, face sets, datasets and model artefacts, each
 * swept by its own family's rules (lib/store/sweep.ts), and the training-job watchdog. A run stops before its time budget and the next one
 * resumes after the last project it finished, so a deployment of any size is covered in turn.
 */
import { listProjectIds } from '../auth/credentials';
import { listDatasets } from '../datasets/datasets';
import { sweepDataset } from '../datasets/sweep';
import { listFaceSets } from '../faces/face-sets';
import { sweepFaceSet } from '../faces/sweep';
import { listLibraries } from '../search/library';
import { sweepLibrary } from '../search/sweep';
import { failStalledJobs } from '../classify/jobs';
import { sweepModels } from '../classify/sweep';
import { keys } from '../store/keys';
import type { Stores } from '../store/ports';
import type { SweepOptions } from '../store/sweep';

export interface SweepReport {
  projects: number;
  /** What was removed, per swept thing that had leftovers. */
  removed: Array<{ projectId: string; what: string; rows: number; objects: number }>;
  /** False when the run stopped at its deadline (the next run resumes). */
  complete: boolean;
}

export async function sweepProject(stores: Stores, projectId: string, opts: SweepOptions = {}): Promise<SweepReport['removed']> {
  const out: SweepReport['removed'] = [];
  const note = (what: string, r: { rows: number; objects: number }) => {
    if (r.rows || r.objects) out.push({ projectId, what, ...r });
  };
  for (const lib of await listLibraries(stores.metadata, projectId)) note(`library ${lib.kind}`, await sweepLibrary(stores, lib, opts));
  for (const set of await listFaceSets(stores, projectId)) note(`face set ${set.name}`, await sweepFaceSet(stores, set, opts));
  const { datasets } = await listDatasets(stores.metadata, projectId, { offset: 0, limit: Number.MAX_SAFE_INTEGER });
  for (const ds of datasets) note(`dataset ${ds.datasetId}`, await sweepDataset(stores, ds, opts));
  note('models', await sweepModels(stores, projectId, opts));
  // The training-job watchdog: jobs whose every run delivery failed are ended, not left Running.
  for (const jobId of await failStalledJobs(stores, projectId)) out.push({ projectId, what: `training job ${jobId} (stalled: marked Failed)`, rows: 0, objects: 0 });
  return out;
}

export async function sweepAll(stores: Stores, opts: SweepOptions & { deadline?: number } = {}): Promise<SweepReport> {
  const cursor = await stores.metadata.get(keys.sweepCursor);
  const after = typeof cursor?.after === 'string' ? cursor.after : undefined;
  let ids = await listProjectIds(stores.metadata, after);
  // Past the last project: start over from the first.
  if (ids.length === 0 && after) ids = await listProjectIds(stores.metadata);
  const report: SweepReport = { projects: 0, removed: [], complete: true };
  for (const id of ids) {
    if (opts.deadline !== undefined && Date.now() > opts.deadline) {
      report.complete = false;
      break;
    }
    report.removed.push(...(await sweepProject(stores, id, opts)));
    report.projects++;
    await stores.metadata.put({ ...keys.sweepCursor, after: id });
  }
  if (report.complete) await stores.metadata.delete(keys.sweepCursor);
  return report;
}
