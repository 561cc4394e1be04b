/** The OpenAPI description of this bundle: every declared HTTP operation (functions/index.ts). */
import { functions } from '../../functions';
import { openApiDocument } from '../../lib/http/openapi';
import pkg from '../../package.json';

const AREA_TAGS: Record<string, string> = {
  auth: 'Auth',
  search: 'Image search (Baidu) and image libraries',
  faces: 'Face sets (Huawei FRS)',
  datasets: 'Datasets (ModelArts)',
  'hard-examples': 'Hard examples (HiLens)',
  ingest: 'Ingest records',
  system: 'System',
};

export function irisDocument(): Record<string, any> {
  const area = new Map(functions.map((f) => [f.operation, f.folder.split('/')[0]]));
  return openApiDocument(
    functions.map((f) => f.operation),
    { title: 'Iris', version: pkg.version, tagOf: (op) => AREA_TAGS[area.get(op) ?? ''] },
  );
}
