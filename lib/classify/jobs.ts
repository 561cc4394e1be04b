/**
 * Training jobs (ModelArts dialect): create, show, list, stop, delete; and what a job trains on.
 *
 * A create call checks the dataset (it exists, it is image classification, it has ≥ 2 labels with
 * ≥ 2 confirmed samples each), writes the job item (Pending) and then the job spec object
 * `jobs/{project}/{jobId}/run-1.json`, whose creation triggers the training function
 * (functions/training/run) in another invocation; the call returns at once.
 */
import { createHash } from 'node:crypto';
import { getDataset } from '../datasets/datasets';
import { datasetKeys } from '../store/keys';
import { queryPages } from '../store/query';
import type { Item, Stores } from '../store/ports';
import { IrisError } from '../errors';
import { CODES, DEFAULT_EVAL_RATIO, TERMINAL, newId, notFound, refuse, type JobStatus } from './contract';
import type { TrainingSample } from './features';
import { classifyKeys, classifyObjects } from './keys';
import type { Metrics } from './metrics';

export interface TrainParameters {
  l2?: number;
  learning_rate?: number;
  max_epochs?: number;
  seed?: number;
}

export interface Job {
  projectId: string;
  jobId: string;
  jobName: string;
  datasetId: string;
  modelName: string;
  evalRatio: number;
  parameters: TrainParameters;
  status: JobStatus;
  progress: number;
  createTime: number;
  updateTime: number;
  /** The last run attempt that claimed the job (0: none yet); each run's spec names its attempt. */
  attempt: number;
  runner?: string;
  heartbeat?: number;
  stopRequested: boolean;
  modelId?: string;
  metrics?: Metrics;
  errorCode?: string;
  errorMsg?: string;
  /** Embedding progress: samples whose features are in the cache. */
  embedded?: number;
  total?: number;
}

export const toJob = (i: Item): Job => ({
  projectId: String(i.projectId),
  jobId: String(i.jobId),
  jobName: String(i.jobName),
  datasetId: String(i.datasetId),
  modelName: String(i.modelName ?? i.jobName),
  evalRatio: Number(i.evalRatio ?? DEFAULT_EVAL_RATIO),
  parameters: (i.parameters as TrainParameters) ?? {},
  status: i.status as JobStatus,
  progress: Number(i.progress ?? 0),
  createTime: Number(i.createTime),
  updateTime: Number(i.updateTime),
  attempt: Number(i.attempt ?? 0),
  ...(typeof i.runner === 'string' ? { runner: i.runner } : {}),
  ...(i.heartbeat !== undefined ? { heartbeat: Number(i.heartbeat) } : {}),
  stopRequested: i.stopRequested === true,
  ...(typeof i.modelId === 'string' ? { modelId: i.modelId } : {}),
  ...(i.metrics ? { metrics: i.metrics as Metrics } : {}),
  ...(typeof i.errorCode === 'string' ? { errorCode: i.errorCode, errorMsg: String(i.errorMsg ?? '') } : {}),
  ...(i.embedded !== undefined ? { embedded: Number(i.embedded), total: Number(i.total ?? 0) } : {}),
});

export function jobView(j: Job): Record<string, unknown> {
  return {
    job_id: j.jobId,
    job_name: j.jobName,
    dataset_id: j.datasetId,
    model_algorithm: 'image_classification',
    model_name: j.modelName,
    eval_ratio: j.evalRatio,
    parameters: j.parameters,
    status: j.status,
    progress: j.progress,
    create_time: j.createTime,
    update_time: j.updateTime,
    ...(j.modelId ? { model_id: j.modelId } : {}),
    ...(j.metrics ? { metrics: j.metrics } : {}),
    ...(j.errorCode ? { error_code: j.errorCode, error_msg: j.errorMsg } : {}),
  };
}

/** What a job trains and evaluates on, chosen from the dataset's confirmed classification samples. */
export interface TrainingSet {
  labels: string[];
  train: TrainingSample[];
  eval: TrainingSample[];
  /** 'usage': the dataset's EVAL samples; 'split': a deterministic stratified split. */
  evalSource: 'usage' | 'split';
}

const hashOf = (s: string) => createHash('md5').update(s).digest('hex');

/** The confirmed (`__ALL__`) image samples with a classification label, read from the dataset's time index. */
async function labelledSamples(s: Stores, datasetId: string): Promise<TrainingSample[]> {
  const out: TrainingSample[] = [];
  for await (const items of queryPages(s.metadata, { index: 'gsi1', pk: datasetKeys.allIndex(datasetId), limit: 1000 })) {
    for (const i of items) {
      if (i.state !== '__ALL__' || Number(i.sampleType) !== 0) continue;
      const usage = typeof i.usage === 'string' ? i.usage : undefined;
      if (usage && usage !== 'TRAIN' && usage !== 'EVAL') continue;
      const label = ((i.labels as Array<{ name?: string; type?: number }>) ?? []).find((l) => (l.type ?? 0) === 0 && typeof l.name === 'string');
      if (!label) continue;
      out.push({
        sampleId: String(i.sampleId),
        objectKey: String(i.objectKey),
        version: typeof i.writeId === 'string' ? `${i.writeId}` : `v${Number(i.version ?? 0)}-${Number(i.size ?? 0)}`,
        label: label.name!,
        ...(usage ? { usage } : {}),
      });
    }
  }
  return out;
}

/**
 * A deterministic stratified split: per label, the samples ordered by the md5 of their id, the first
 * `ratio` of them (at least 1, at most all but 1) for evaluation. Adding samples moves few others.
 */
export function stratifiedSplit<T extends { sampleId: string; label: string }>(items: T[], ratio: number): { train: T[]; eval: T[] } {
  const byLabel = new Map<string, T[]>();
  for (const t of items) byLabel.set(t.label, [...(byLabel.get(t.label) ?? []), t]);
  const train: T[] = [];
  const evalSet: T[] = [];
  for (const label of [...byLabel.keys()].sort()) {
    const list = [...byLabel.get(label)!].sort((a, b) => (hashOf(a.sampleId) < hashOf(b.sampleId) ? -1 : 1));
    const n = list.length < 2 ? 0 : Math.min(list.length - 1, Math.max(1, Math.round(list.length * ratio)));
    evalSet.push(...list.slice(0, n));
    train.push(...list.slice(n));
  }
  return { train, eval: evalSet };
}

/** Chooses the training and evaluation samples, or refuses with the family's code. */
export async function trainingSet(s: Stores, projectId: string, datasetId: string, evalRatio: number): Promise<TrainingSet> {
  const ds = await getDataset(s.metadata, projectId, datasetId);
  if (ds.type !== 0) {
    throw refuse(CODES.notClassification, `dataset ${datasetId} is of type ${ds.type}: image_classification trains on image classification datasets (dataset_type 0) only`, 'dataset_id');
  }
  const all = await labelledSamples(s, datasetId);
  const byLabel = new Map<string, TrainingSample[]>();
  for (const t of all) byLabel.set(t.label, [...(byLabel.get(t.label) ?? []), t]);
  if (byLabel.size < 2) {
    throw refuse(CODES.tooFewLabels, `dataset ${datasetId} has ${byLabel.size} label(s) with confirmed classification samples: at least 2 are needed`, 'dataset_id');
  }
  const small = [...byLabel].filter(([, v]) => v.length < 2).map(([k]) => k);
  if (small.length) {
    throw refuse(CODES.tooFewSamples, `label(s) ${small.slice(0, 5).join(', ')} of dataset ${datasetId} have fewer than 2 confirmed samples: every label needs at least 2`, 'dataset_id');
  }
  const labels = [...byLabel.keys()].sort();
  const usageEval = all.filter((t) => t.usage === 'EVAL');
  if (usageEval.length) {
    const train = all.filter((t) => t.usage !== 'EVAL');
    const trainLabels = new Set(train.map((t) => t.label));
    const missing = labels.filter((l) => !trainLabels.has(l));
    if (missing.length) throw refuse(CODES.tooFewSamples, `label(s) ${missing.slice(0, 5).join(', ')} have EVAL samples only: every label needs training samples`, 'dataset_id');
    return { labels, train, eval: usageEval, evalSource: 'usage' };
  }
  const { train, eval: evalSet } = stratifiedSplit(all, evalRatio);
  return { labels, train, eval: evalSet, evalSource: 'split' };
}

export interface JobCreate {
  job_name: string;
  dataset_id: string;
  model_name?: string;
  eval_ratio?: number;
  parameters?: TrainParameters;
}

export async function createJob(s: Stores, projectId: string, input: JobCreate, now = Date.now()): Promise<Job> {
  const evalRatio = input.eval_ratio ?? DEFAULT_EVAL_RATIO;
  // Refusals are answered at once; the run checks again (the dataset may change meanwhile).
  await trainingSet(s, projectId, input.dataset_id, evalRatio);
  const job: Job = {
    projectId,
    jobId: newId(now),
    jobName: input.job_name,
    datasetId: input.dataset_id,
    modelName: input.model_name ?? input.job_name,
    evalRatio,
    parameters: input.parameters ?? {},
    status: 'Pending',
    progress: 0,
    createTime: now,
    updateTime: now,
    attempt: 0,
    stopRequested: false,
  };
  await s.metadata.put({ ...classifyKeys.job(projectId, job.jobId), kind: 'trainingJob', ...job }, { ifNotExists: true });
  try {
    await s.objects.put(classifyObjects.jobSpec(projectId, job.jobId, 1), Buffer.from(JSON.stringify({ project_id: projectId, job_id: job.jobId, attempt: 1 })), { contentType: 'application/json' });
  } catch (e) {
    // No spec, no run: the job would stay Pending for ever, so it is not kept.
    await s.metadata.delete(classifyKeys.job(projectId, job.jobId)).catch(() => undefined);
    throw e;
  }
  return job;
}

export async function getJob(s: Stores, projectId: string, jobId: string, consistent = false): Promise<Job> {
  const item = await s.metadata.get(classifyKeys.job(projectId, jobId), { consistent });
  if (!item) throw notFound('training job', jobId);
  return toJob(item);
}

export async function listJobs(s: Stores, projectId: string, offset: number, limit: number): Promise<{ total: number; jobs: Job[] }> {
  const all: Job[] = [];
  for await (const items of queryPages(s.metadata, { pk: classifyKeys.jobs(projectId), forward: false })) all.push(...items.map(toJob));
  return { total: all.length, jobs: all.slice(offset * limit, offset * limit + limit) };
}

/**
 * A job whose run has given no sign of life for this long is dead: one invocation lasts at most
 * 15 minutes and beats at its start and every few samples, and Lambda retries a failed
 * asynchronous delivery twice within minutes. So when every delivery failed (a crash, a timeout,
 * a missing permission) nothing else would ever end the job.
 */
export const STALL_MS = 30 * 60 * 1000;

/**
 * The watchdog (run by the hourly sweep): fails the project's Pending / Running jobs that have been
 * silent for STALL_MS, each conditionally on the state it was read in (a run that wakes up at the
 * same moment wins). A late delivery of the run finds the job Failed and does nothing.
 */
export async function failStalledJobs(s: Stores, projectId: string, now = Date.now()): Promise<string[]> {
  const failed: string[] = [];
  for await (const items of queryPages(s.metadata, { pk: classifyKeys.jobs(projectId) })) {
    for (const job of items.map(toJob)) {
      if (TERMINAL.includes(job.status)) continue;
      const lastSign = Math.max(job.heartbeat ?? 0, job.updateTime, job.createTime);
      if (now - lastSign < STALL_MS) continue;
      const after = await s.metadata.update(
        classifyKeys.job(projectId, job.jobId),
        {
          set: {
            status: 'Failed',
            errorCode: CODES.stalled,
            errorMsg: `the training run gave no sign of life for ${Math.round((now - lastSign) / 60_000)} minutes (every delivery of its run failed); create the job again`,
            updateTime: now,
          },
        },
        { ifMatch: { status: job.status, attempt: job.attempt, updateTime: job.updateTime } },
      );
      if (after) failed.push(job.jobId);
    }
  }
  return failed;
}

/** Stop: a pending job stops at once; a running one is asked to, and stops at its next check. */
export async function stopJob(s: Stores, projectId: string, jobId: string, now = Date.now()): Promise<Job> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const job = await getJob(s, projectId, jobId, true);
    if (TERMINAL.includes(job.status)) {
      throw new IrisError('BAD_PARAM', `training job ${jobId} is ${job.status} and cannot be stopped`, { codes: { modelarts: CODES.jobState } });
    }
    const set = job.status === 'Pending' ? { status: 'Stopped', stopRequested: true, updateTime: now } : { stopRequested: true, updateTime: now };
    const after = await s.metadata.update(classifyKeys.job(projectId, jobId), { set }, { ifMatch: { status: job.status, attempt: job.attempt } });
    if (after) return toJob(after);
  }
  throw new IrisError('CONFLICT', 'the job is changing state, retry', { codes: { modelarts: CODES.duplicateName } });
}

/** Delete: the job disappears; a run still going notices at its next check and stores nothing. */
export async function deleteJob(s: Stores, projectId: string, jobId: string): Promise<void> {
  const gone = await s.metadata.delete(classifyKeys.job(projectId, jobId));
  if (!gone) throw notFound('training job', jobId);
}
