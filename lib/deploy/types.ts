/**
 * The deploy-side view of the declared operations (lib/http/operation.ts): each function's
 * serverless config plus the data it may touch, derived by lib/deploy/functions.ts.
 * serverless.ts turns `access` into that function's own least-privilege IAM role.
 */
import type { Operation } from '../http/operation';

export type ObjectAction = 'read' | 'write' | 'delete' | 'list';

export interface Access {
  /** Object keys (prefixes within the bucket) and what the function may do with them. */
  objects?: Array<{ prefix: string; actions: ObjectAction[] }>;
  /** The metadata table. */
  table?: Array<'read' | 'write' | 'describe'>;
  /** LanceDB tables (stored under the bucket's `vectors/` prefix in AWS). */
  vectors?: Array<'read' | 'write'>;
  /** Needs the native layer (sharp, LanceDB, TensorFlow.js, models). */
  nativeLayer?: boolean;
}

export interface HttpApiEvent {
  httpApi: { method: string; path: string } | '*';
}

export interface S3Event {
  s3: { bucket: string; event: string; rules?: Array<{ prefix?: string; suffix?: string }>; existing?: boolean };
}

/** An EventBridge schedule, e.g. `rate(1 hour)` (maintenance jobs). */
export interface ScheduleEvent {
  schedule: string;
}

export interface FunctionConfig {
  handler: string;
  description?: string;
  events?: Array<HttpApiEvent | S3Event | ScheduleEvent>;
  memorySize?: number;
  timeout?: number;
  environment?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface IrisFunction {
  /** Function key in serverless.ts (camelCase, unique). */
  name: string;
  /** Its folder under functions/ (`faces/search`), which holds the Lambda entry `handler.ts`. */
  folder: string;
  config: FunctionConfig;
  access: Access;
  operation: Operation;
}

/** The bucket's key layout; IAM scopes and triggers are built from these prefixes. */
export const PREFIX = {
  /** LanceDB tables. */
  vectors: 'vectors/',
  /** Objects dropped here are processed by the ingest trigger (bulk import, hard examples). */
  ingest: 'ingest/',
  /** Stored images of libraries, face sets and datasets. */
  data: 'data/',
  /** Training job specs: objects written here start (or continue) a training run (functions/training/run). */
  jobs: 'jobs/',
} as const;
