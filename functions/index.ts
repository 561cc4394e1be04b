/**
 * Every function of the bundle. A new operation is one new folder and one line here.
 */
import type { IrisFunction } from '../lib/deploy/types';
import authToken from './auth/token';
import iamToken from './auth/iam-token';
import health from './system/health';
import notFound from './system/not-found';
import ingestObject from './ingest/on-object';
import listIngestRecords from './ingest/list-records';

export const functions: IrisFunction[] = [health, notFound, authToken, iamToken, ingestObject, listIngestRecords];
