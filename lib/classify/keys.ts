/**
 * Key design of the classification family (single table, see lib/store/keys.ts for the others):
 *
 *   training job   pk TJOB#{project}              sk JOB#{jobId}       (list = Query pk, newest first)
 *   model          pk MODEL#{project}             sk M#{modelId}       (list = Query pk; `refs` counts
 *                                                                        the services that use it)
 *   model name     pk MODELNAME#{project}#{name}  sk NAME              (`n`: last version number)
 *   service        pk SVC#{project}               sk S#{serviceId}
 *   service name   pk SVCNAME#{project}#{name}    sk NAME              (unique names)
 *   hard quota     pk SVCHARD#{serviceId}         sk DAY#{yyyy-mm-dd}  (`n` stored today; TTL)
 *   hard image     pk SVCHARDIMG#{datasetId}      sk H#{sha256}        (one per image: stored once)
 *
 * Objects:
 *   jobs/{project}/{jobId}/run-{attempt}.json          job specs: the training trigger's input
 *   data/{project}/models/{modelId}.{writeId}.json     model artefacts (weights, labels)
 *   data/{project}/models/.features/{embedder}/{datasetId}/{sampleId}.{writeId}.f32   embedding cache
 *   ingest/{project}/classify-hard/{serviceId}/{sha256}.{jpg|png}  hard predictions for import
 */
import { PREFIX } from '../deploy/types';

export const classifyKeys = {
  jobs: (projectId: string) => `TJOB#${projectId}`,
  job: (projectId: string, jobId: string) => ({ pk: `TJOB#${projectId}`, sk: `JOB#${jobId}` }),
  models: (projectId: string) => `MODEL#${projectId}`,
  model: (projectId: string, modelId: string) => ({ pk: `MODEL#${projectId}`, sk: `M#${modelId}` }),
  modelName: (projectId: string, name: string) => ({ pk: `MODELNAME#${projectId}#${name}`, sk: 'NAME' }),
  services: (projectId: string) => `SVC#${projectId}`,
  service: (projectId: string, serviceId: string) => ({ pk: `SVC#${projectId}`, sk: `S#${serviceId}` }),
  serviceName: (projectId: string, name: string) => ({ pk: `SVCNAME#${projectId}#${name}`, sk: 'NAME' }),
  hardQuota: (serviceId: string, day: string) => ({ pk: `SVCHARD#${serviceId}`, sk: `DAY#${day}` }),
  hardImage: (datasetId: string, sha: string) => ({ pk: `SVCHARDIMG#${datasetId}`, sk: `H#${sha}` }),
} as const;

export const CLASSIFY_HARD_IMPORTER = 'classify-hard';

export const classifyObjects = {
  jobSpec: (projectId: string, jobId: string, attempt: number) => `${PREFIX.jobs}${projectId}/${jobId}/run-${attempt}.json`,
  model: (projectId: string, modelId: string, writeId: string) => `${PREFIX.data}${projectId}/models/${modelId}.${writeId}.json`,
  feature: (projectId: string, embedder: string, datasetId: string, sampleId: string, version: string) =>
    `${PREFIX.data}${projectId}/models/.features/${embedder}/${datasetId}/${sampleId}.${version}.f32`,
  hardIngest: (projectId: string, serviceId: string, sha: string, ext: string) => `${PREFIX.ingest}${projectId}/${CLASSIFY_HARD_IMPORTER}/${serviceId}/${sha}.${ext}`,
} as const;
