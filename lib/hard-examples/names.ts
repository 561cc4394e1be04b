/** Hard-example object names (no image code here: the presign function runs without the native layer). */
import { PREFIX } from '../deploy/types';
import { SAMPLE_NAME_FORBIDDEN } from '../datasets/contract';
import { IrisError } from '../errors';
import { FILE_NAME_MAX, HARD_EXAMPLE_CODES, badParam } from './contract';

export { badParam };

export const HARD_EXAMPLE_IMPORTER = 'hard-examples';

export const hardExampleIngestKey = (projectId: string, configId: string, baseName: string, ext: 'jpg' | 'nv21' | 'nv12'): string =>
  `${PREFIX.ingest}${projectId}/${HARD_EXAMPLE_IMPORTER}/${configId}/${baseName}.${ext}`;

/** `model_name-camera_name-index.jpg`; refused when longer than an OBS name may be (1024). */
export function hardExampleFileName(modelName: string, cameraName: string, index: number): string {
  if (!Number.isInteger(index) || index < 0) throw badParam('index', 'must be an integer ≥ 0');
  const name = `${modelName}-${cameraName}-${index}.jpg`;
  if (name.length > FILE_NAME_MAX) throw new IrisError('PARAM_TOO_LONG', `file name ${name.slice(0, 40)}… is ${name.length} characters, over the ${FILE_NAME_MAX} allowed`, { field: 'model_name', codes: { modelarts: HARD_EXAMPLE_CODES.badParam } });
  if (SAMPLE_NAME_FORBIDDEN.test(name) || name.includes('/') || name.includes('\\')) throw badParam('model_name', 'model_name and camera_name must not contain / \\ ! < > = & " \'');
  return name;
}

