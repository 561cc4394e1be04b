/**
 * One training run: what the training function (functions/training/run) does with a job spec
 * object `jobs/{project}/{jobId}/run-{attempt}.json`.
 *
 *   1. claim the job for this attempt (conditional update: attempt n-1 → n, a runner token);
 *      a redelivered spec finds the attempt taken and does nothing, unless the run that took
 *      it has been silent for STALE_MS (it died), then it takes over;
 *   2. choose the samples (lib/classify/jobs.ts trainingSet) — refusals fail the job with their code;
 *   3. embed them through the feature cache, with a heartbeat (progress, and the stop flag read
 *      back) after every few samples. When the invocation nears its end (RESERVE_MS left), the run
 *      writes the next spec, `run-{n+1}.json`, and returns: the next invocation claims attempt
 *      n+1, finds every feature embedded so far in the cache and goes on from there;
 *   4. train the softmax head, evaluate, and store the model through the write protocol:
 *      artefact object, then one transaction (model item, model-name version, job Completed —
 *      conditional on this runner still owning the job and no stop request) — the commit point.
 *      A stopped, deleted or failed job therefore never leaves a model.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { IrisError } from '../errors';
import type { Stores } from '../store/ports';
import { runWrite, newWriteId } from '../store/write';
import { CODES, TERMINAL, newId } from './contract';
import { embedder, featureName, featuresOf } from './features';
import { getJob, trainingSet, type Job, toJob } from './jobs';
import { classifyKeys, classifyObjects } from './keys';
import { evaluate } from './metrics';
import { modelItem, type ModelArtefact } from './models';
import { epochsFor, predictProba, toJson, trainingMsEstimate, trainSoftmax } from './softmax';

/**
 * Time kept for training and the commit after the last embedding: at least 120 s, more when the
 * estimated training time of the head needs it (IRIS_TRAIN_RESERVE_MS overrides, for tests).
 */
export const reserveMs = (estimateMs = 0): number => Number(process.env.IRIS_TRAIN_RESERVE_MS ?? Math.max(120_000, estimateMs + 60_000));
/** A claimed attempt whose heartbeat is older than this is taken over by a redelivered spec. */
export const STALE_MS = 5 * 60 * 1000;

export interface JobSpec {
  project_id: string;
  job_id: string;
  attempt: number;
}

export type RunOutcome = 'completed' | 'continued' | 'stopped' | 'failed' | 'duplicate' | 'gone';

class Abandoned extends Error {}

export async function runJob(s: Stores, spec: JobSpec, ctx: { remainingMs(): number; log?: Logger }): Promise<RunOutcome> {
  const { project_id: projectId, job_id: jobId } = spec;
  const key = classifyKeys.job(projectId, jobId);
  let job: Job;
  try {
    job = await getJob(s, projectId, jobId, true);
  } catch {
    return 'gone';
  }
  if (TERMINAL.includes(job.status)) return 'duplicate';
  const token = newWriteId();
  const now = Date.now();
  let claimed = null;
  if (job.attempt === spec.attempt - 1) {
    claimed = await s.metadata.update(key, { set: { attempt: spec.attempt, runner: token, status: 'Running', heartbeat: now, updateTime: now } }, { ifMatch: { attempt: job.attempt, status: job.status } });
  } else if (job.attempt === spec.attempt && now - (job.heartbeat ?? 0) > STALE_MS) {
    claimed = await s.metadata.update(key, { set: { runner: token, heartbeat: now, updateTime: now } }, { ifMatch: { attempt: job.attempt, runner: job.runner } });
  }
  if (!claimed) {
    // A pending job stopped before any run claimed it is already Stopped (lib/classify/jobs.ts stopJob).
    return 'duplicate';
  }

  /** Heartbeat with progress; answers the stop flag; throws Abandoned when the job is gone or taken over. */
  const beat = async (set: Record<string, unknown>): Promise<boolean> => {
    const after = await s.metadata.update(key, { set: { ...set, heartbeat: Date.now(), updateTime: Date.now() } }, { ifMatch: { runner: token } });
    if (!after) throw new Abandoned();
    return toJob(after).stopRequested;
  };
  const finish = async (set: Record<string, unknown>) => {
    await s.metadata.update(key, { set: { ...set, heartbeat: Date.now(), updateTime: Date.now() } }, { ifMatch: { runner: token } });
  };

  try {
    // Stopped between two invocations of the run: the claim takes it only to say so.
    if (toJob(claimed).stopRequested) {
      await finish({ status: 'Stopped' });
      return 'stopped';
    }
    const set = await trainingSet(s, projectId, job.datasetId, job.evalRatio);
    const all = [...set.train, ...set.eval];
    const epochs = job.parameters.max_epochs ?? epochsFor(set.train.length);
    const reserve = reserveMs(trainingMsEstimate(set.train.length, 1344, set.labels.length, epochs));
    let stop = await beat({ progress: Math.max(job.progress, 1), total: all.length });
    const { features, stats, complete } = await featuresOf(s, projectId, job.datasetId, all, {
      shouldStop: () => stop || ctx.remainingMs() < reserve,
      onProgress: async (done) => {
        stop = await beat({ progress: Math.max(1, Math.floor((done / all.length) * 85)), embedded: done });
      },
    });
    if (stop) {
      await finish({ status: 'Stopped' });
      return 'stopped';
    }
    if (!complete) {
      await s.objects.put(classifyObjects.jobSpec(projectId, jobId, spec.attempt + 1), Buffer.from(JSON.stringify({ ...spec, attempt: spec.attempt + 1 })), { contentType: 'application/json' });
      ctx.log?.info('training continues in the next invocation', { jobId, attempt: spec.attempt + 1, cached: stats.cached, embedded: stats.embedded });
      return 'continued';
    }
    // Samples that cannot be decoded are left out (and named in the model's training report).
    set.train = set.train.filter((t) => features.has(t.sampleId));
    set.eval = set.eval.filter((t) => features.has(t.sampleId));
    const trained = new Set(set.train.map((t) => t.label));
    const lost = set.labels.filter((l) => !trained.has(l));
    if (lost.length || set.eval.length === 0) {
      throw new IrisError('BAD_PARAM', `too many samples could not be decoded (${stats.skipped.length}): ${lost.length ? `label(s) ${lost.slice(0, 5).join(', ')} have no training sample left` : 'no evaluation sample left'}`, { codes: { modelarts: CODES.sampleUnreadable } });
    }
    const index = new Map(set.labels.map((l, i) => [l, i]));
    const X = set.train.map((t) => features.get(t.sampleId)!);
    const y = set.train.map((t) => index.get(t.label)!);
    const started = Date.now();
    const p = job.parameters;
    const { model, report } = trainSoftmax(set.labels, X, y, { l2: p.l2, learningRate: p.learning_rate, maxEpochs: epochs, seed: p.seed });
    const truth = set.eval.map((t) => index.get(t.label)!);
    const predicted = set.eval.map((t) => {
      const pr = predictProba(model, features.get(t.sampleId)!);
      let best = 0;
      for (let k = 1; k < pr.length; k++) if (pr[k] > pr[best]) best = k;
      return best;
    });
    const metrics = evaluate(set.labels, truth, predicted, set.train.length);
    // Per label: the centroid of its training features and the 5th percentile of their cosine to it
    // (hard reason 3 at predict time: an image much less like its predicted label than its training samples).
    const e = await embedder();
    const centroids = set.labels.map((_, k) => {
      const mine = X.filter((_, i) => y[i] === k);
      const c = new Float64Array(model.dim);
      for (const v of mine) for (let d = 0; d < model.dim; d++) c[d] += v[d];
      const norm = Math.sqrt(c.reduce((a, v) => a + v * v, 0)) || 1;
      const unit = [...c].map((v) => v / norm);
      const sims = mine.map((v) => unit.reduce((a, u, d) => a + u * v[d], 0)).sort((a, b) => a - b);
      return { vector: unit.map((v) => Math.round(v * 1e6) / 1e6), p5: sims[Math.floor(sims.length * 0.05)] ?? 0 };
    });
    if (await beat({ progress: 95 })) {
      await finish({ status: 'Stopped' });
      return 'stopped';
    }
    const modelId = newId();
    const artefact: ModelArtefact = {
      format: 'iris-softmax-1',
      embedder: featureName(e),
      labels: set.labels,
      softmax: toJson(model),
      centroids,
      training: { ...report, train_ms: Date.now() - started, embedded: stats.embedded, cached: stats.cached, skipped: stats.skipped.slice(0, 100), eval_source: set.evalSource },
    };
    const left = ctx.remainingMs();
    const outcome = await runWrite(s, { deadline: Number.isFinite(left) ? Date.now() + left - 1000 : undefined }, async (w) => {
      const objectKey = classifyObjects.model(projectId, modelId, w.id);
      const body = Buffer.from(JSON.stringify(artefact));
      await w.putObject(objectKey, body, { contentType: 'application/json' });
      for (let attempt = 0; attempt < 5; attempt++) {
        const nameKey = classifyKeys.modelName(projectId, job.modelName);
        const name = await s.metadata.get(nameKey, { consistent: true });
        const n = Number(name?.n ?? 0) + 1;
        const t = Date.now();
        const item = modelItem({
          projectId,
          modelId,
          modelName: job.modelName,
          modelVersion: `0.0.${n}`,
          labels: set.labels,
          metrics,
          datasetId: job.datasetId,
          jobId,
          createTime: t,
          size: body.length,
          objectKey,
          writeId: w.id,
          embedder: featureName(e),
        });
        const ok = await w.commit(
          [
            { put: item, condition: { ifNotExists: true } },
            { put: { ...nameKey, n, modelId }, condition: name ? { ifMatch: { n: name.n } } : { ifNotExists: true } },
            { update: key, spec: { set: { status: 'Completed', progress: 100, modelId, metrics, heartbeat: t, updateTime: t } }, condition: { ifMatch: { runner: token, stopRequested: false } } },
          ],
          classifyKeys.model(projectId, modelId),
        );
        if (ok) return 'completed' as const;
        const now = await s.metadata.get(key, { consistent: true });
        if (!now || now.runner !== token) return 'gone' as const;
        if (now.stopRequested === true) return 'stopped' as const;
        // Otherwise another model of the same name took this version number: try the next one.
      }
      throw new IrisError('CONFLICT', 'could not register the model version, retry');
    });
    if (outcome === 'stopped') await finish({ status: 'Stopped' });
    return outcome;
  } catch (e) {
    if (e instanceof Abandoned) return 'gone';
    const known = e instanceof IrisError && e.kind !== 'INTERNAL';
    if (!known) ctx.log?.error('training failed', { jobId, error: e as Error });
    const code = known ? String((e as IrisError).codes.modelarts ?? CODES.sampleUnreadable) : CODES.internal;
    const msg = known ? (e as IrisError).message : 'internal error while training';
    await finish({ status: 'Failed', errorCode: code, errorMsg: msg }).catch(() => undefined);
    return 'failed';
  }
}
