/**
 * OBS-style bucket paths (`/bucket/dir/file.jpg`, as ModelArts shows them) ↔ keys in Iris's one
 * bucket. A project's paths live under `data/{project_id}/`, so one project never reaches another's
 * objects and nothing lands under `ingest/` (which would re-trigger the importer).
 */
import { IrisError } from '../errors';
import { CODES } from './contract';
import { objectKeys } from '../store/keys';

const SEGMENT = /^[^\\\u0000-\u001f]+$/;

/** Normalizes a bucket path; `dir` makes it end with '/'. Refuses `.`/`..`/empty segments. */
export function normalizeBucketPath(path: string, field: string, dir: boolean): string {
  const bad = (why: string) => new IrisError('BAD_PARAM', `param ${field} invalid: ${why}`, { field, codes: { modelarts: CODES.badParam } });
  if (!path.startsWith('/')) throw bad('a bucket path starts with "/", e.g. /my-bucket/datasets/cats/');
  const parts = path.slice(1).split('/');
  if (parts[parts.length - 1] === '') parts.pop();
  if (parts.length === 0) throw bad('the path is empty');
  for (const p of parts) {
    if (p === '' || p === '.' || p === '..' || !SEGMENT.test(p)) throw bad(`bad path segment "${p}"`);
  }
  return `/${parts.join('/')}${dir ? '/' : ''}`;
}

export const objectKeyOf = (projectId: string, bucketPath: string): string => objectKeys.bucketPath(projectId, bucketPath);

/** The folder a dataset owns inside its work path: uploaded samples, hard examples, thumbnails. */
export const datasetFolder = (workPath: string, datasetId: string): string => `${workPath}dataset-${datasetId}/`;
export const samplesFolder = (workPath: string, datasetId: string): string => `${datasetFolder(workPath, datasetId)}samples/`;
export const hardExampleFolder = (workPath: string, datasetId: string): string => `${datasetFolder(workPath, datasetId)}hard_examples/`;
export const thumbnailFolder = (workPath: string, datasetId: string): string => `${datasetFolder(workPath, datasetId)}.thumbnails/`;

export const splitPath = (path: string): { dir: string; base: string } => {
  const i = path.lastIndexOf('/');
  return { dir: path.slice(0, i + 1), base: path.slice(i + 1) };
};
