/**
 * Every function of the bundle. A new operation is one new folder and one line here.
 */
import type { IrisFunction } from '../lib/deploy/types';
import authToken from './auth/token';
import iamToken from './auth/iam-token';
import health from './system/health';
import notFound from './system/not-found';
import consolePage from './system/console';
import sweep from './system/sweep';
import ingestObject from './ingest/on-object';
import listIngestRecords from './ingest/list-records';
import searchAdd from './search/add';
import searchSearch from './search/search';
import searchUpdate from './search/update';
import searchDelete from './search/delete';
import searchCreateLibrary from './search/create-library';
import searchListLibraries from './search/list-libraries';
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

export const functions: IrisFunction[] = [
  health, notFound, consolePage, sweep, authToken, iamToken, ingestObject, listIngestRecords,
  searchAdd, searchSearch, searchUpdate, searchDelete,
  searchCreateLibrary, searchListLibraries, searchUpdateLibrary, searchDeleteLibrary, searchSweepLibrary,
  searchMaintainLibraries,
  createDataset, listDatasets, showDataset, updateDataset, deleteDataset,
  addSamples, listSamples, showSample, deleteSamples, updateSamples,
  createHardSampleConfig, listHardSampleConfigs, showHardSampleConfig, updateHardSampleConfig, deleteHardSampleConfig,
  hardExampleUploadUrl, uploadHardExample,
  facesCreateSet, facesListSets, facesShowSet, facesDeleteSet,
  facesAdd, facesSearch, facesQuery, facesUpdate, facesDelete, facesBatchDelete,
];
