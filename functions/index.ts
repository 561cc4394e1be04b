/**
 * Every function of the bundle: `folder: declaration`. The folder (under functions/) holds the
 * operation's declaration (index.ts) and its Lambda entry (handler.ts); everything else — the
 * serverless config, the IAM role, the middy stack, the unknown-route table, the OpenAPI
 * description — is derived from the declaration. A new operation is one new folder and one
 * entry here (its import and its key).
 */
import { catalog } from '../lib/deploy/functions';
import health from './system/health';
import notFound from './system/not-found';
import consolePage from './system/console';
import sweep from './system/sweep';
import openapi from './system/openapi';
import apiDocs from './system/docs';
import authToken from './auth/token';
import iamToken from './auth/iam-token';
import ingestObject from './ingest/on-object';
import listIngestRecords from './ingest/list-records';
import searchAdd from './search/add';
import searchSearch from './search/search';
import searchUpdate from './search/update';
import searchDelete from './search/delete';
import searchCreateLibrary from './search/create-library';
import searchListLibraries from './search/list-libraries';
import searchListImages from './search/list-images';
import searchUpdateLibrary from './search/update-library';
import searchDeleteLibrary from './search/delete-library';
import searchSweepLibrary from './search/sweep-library';
import searchMaintainLibraries from './search/maintain-libraries';
import createDataset from './datasets/create-dataset';
import listDatasets from './datasets/list-datasets';
import showDataset from './datasets/show-dataset';
import updateDataset from './datasets/update-dataset';
import deleteDataset from './datasets/delete-dataset';
import addSamples from './datasets/add-samples';
import listSamples from './datasets/list-samples';
import showSample from './datasets/show-sample';
import deleteSamples from './datasets/delete-samples';
import updateSamples from './datasets/update-samples';
import createHardSampleConfig from './hard-examples/create-config';
import listHardSampleConfigs from './hard-examples/list-configs';
import showHardSampleConfig from './hard-examples/show-config';
import updateHardSampleConfig from './hard-examples/update-config';
import deleteHardSampleConfig from './hard-examples/delete-config';
import hardExampleUploadUrl from './hard-examples/upload-url';
import uploadHardExample from './hard-examples/upload';
import facesCreateSet from './faces/create-set';
import facesListSets from './faces/list-sets';
import facesShowSet from './faces/show-set';
import facesDeleteSet from './faces/delete-set';
import facesAdd from './faces/add-faces';
import facesSearch from './faces/search';
import facesQuery from './faces/query-faces';
import facesUpdate from './faces/update-face';
import facesDelete from './faces/delete-faces';
import facesBatchDelete from './faces/batch-delete';
import trainingCreateJob from './training/create-job';
import trainingListJobs from './training/list-jobs';
import trainingShowJob from './training/show-job';
import trainingStopJob from './training/stop-job';
import trainingDeleteJob from './training/delete-job';
import trainingRun from './training/run';
import modelsList from './models/list-models';
import modelsShow from './models/show-model';
import modelsDelete from './models/delete-model';
import servicesCreate from './services/create-service';
import servicesList from './services/list-services';
import servicesShow from './services/show-service';
import servicesUpdate from './services/update-service';
import servicesDelete from './services/delete-service';
import servicesPredict from './services/predict';

/** Each folder's declaration. */
export const declarations = {
  'system/health': health,
  'system/not-found': notFound,
  'system/console': consolePage,
  'system/sweep': sweep,
  'system/openapi': openapi,
  'system/docs': apiDocs,
  'auth/token': authToken,
  'auth/iam-token': iamToken,
  'ingest/on-object': ingestObject,
  'ingest/list-records': listIngestRecords,
  'search/add': searchAdd,
  'search/search': searchSearch,
  'search/update': searchUpdate,
  'search/delete': searchDelete,
  'search/create-library': searchCreateLibrary,
  'search/list-libraries': searchListLibraries,
  'search/list-images': searchListImages,
  'search/update-library': searchUpdateLibrary,
  'search/delete-library': searchDeleteLibrary,
  'search/sweep-library': searchSweepLibrary,
  'search/maintain-libraries': searchMaintainLibraries,
  'datasets/create-dataset': createDataset,
  'datasets/list-datasets': listDatasets,
  'datasets/show-dataset': showDataset,
  'datasets/update-dataset': updateDataset,
  'datasets/delete-dataset': deleteDataset,
  'datasets/add-samples': addSamples,
  'datasets/list-samples': listSamples,
  'datasets/show-sample': showSample,
  'datasets/delete-samples': deleteSamples,
  'datasets/update-samples': updateSamples,
  'hard-examples/create-config': createHardSampleConfig,
  'hard-examples/list-configs': listHardSampleConfigs,
  'hard-examples/show-config': showHardSampleConfig,
  'hard-examples/update-config': updateHardSampleConfig,
  'hard-examples/delete-config': deleteHardSampleConfig,
  'hard-examples/upload-url': hardExampleUploadUrl,
  'hard-examples/upload': uploadHardExample,
  'faces/create-set': facesCreateSet,
  'faces/list-sets': facesListSets,
  'faces/show-set': facesShowSet,
  'faces/delete-set': facesDeleteSet,
  'faces/add-faces': facesAdd,
  'faces/search': facesSearch,
  'faces/query-faces': facesQuery,
  'faces/update-face': facesUpdate,
  'faces/delete-faces': facesDelete,
  'faces/batch-delete': facesBatchDelete,
  'training/create-job': trainingCreateJob,
  'training/list-jobs': trainingListJobs,
  'training/show-job': trainingShowJob,
  'training/stop-job': trainingStopJob,
  'training/delete-job': trainingDeleteJob,
  'training/run': trainingRun,
  'models/list-models': modelsList,
  'models/show-model': modelsShow,
  'models/delete-model': modelsDelete,
  'services/create-service': servicesCreate,
  'services/list-services': servicesList,
  'services/show-service': servicesShow,
  'services/update-service': servicesUpdate,
  'services/delete-service': servicesDelete,
  'services/predict': servicesPredict,
};

export const functions = catalog(declarations);
