/**
 * Bulk import without API Gateway's size limits: objects put under
 * `ingest/{project_id}/libraries/{kind}/{anything}` are added to the project's library of that
 * kind by the ingest trigger. The object's user metadata carries what the add API takes in its
 * form: `x-amz-meta-brief` (or `x-amz-meta-brief-base64`, UTF-8 in base64, for briefs that are
 * not ASCII, which S3 metadata cannot carry), `x-amz-meta-tags`, `x-amz-meta-class_id1` /
 * `x-amz-meta-class_id2` (product).
 *
 * Idempotent: the ledger skips a redelivered event for the same object version, and an image
 * already in the library counts as done (it was added by an earlier delivery or upload).
 * Bad input throws an IrisError, which the ledger records as a permanent failure.
 */
import { IrisError } from '../errors';
import { intakeImage } from '../images';
import type { Importer } from '../ingest/port';
import { LIBRARY_KINDS, imageLimits } from './contract';
import type { LibraryKind } from './engine';
import { addImage, type Labels } from './images';
import { getLibrary } from './library';
import type { EngineOf } from './provider';
import { checkBrief, parseClassId, parseTags } from './params';

export const LIBRARIES_IMPORTER = 'libraries';

function briefOf(metadata: Record<string, string>): string {
  const b64 = metadata['brief-base64'];
  const brief = b64 !== undefined ? Buffer.from(b64, 'base64').toString('utf8') : metadata.brief;
  if (brief === undefined || brief === '') {
    throw new IrisError('MISSING_PARAM', 'param brief not exist: set x-amz-meta-brief (or x-amz-meta-brief-base64) on the object', { field: 'brief' });
  }
  return checkBrief(brief);
}

export function librariesImporter(engineFor: EngineOf): Importer {
  return async (obj, stores) => {
    const kind = obj.rest.split('/')[0] as LibraryKind;
    if (!LIBRARY_KINDS.includes(kind) || obj.rest.split('/').length < 2) {
      throw new IrisError('BAD_PARAM', `import key must be ingest/{project_id}/libraries/{kind}/{name} with kind one of ${LIBRARY_KINDS.join(', ')}`);
    }
    const meta = Object.fromEntries(Object.entries(obj.head.metadata).map(([k, v]) => [k.toLowerCase(), v]));
    const brief = briefOf(meta);
    const labels: Labels =
      kind === 'product'
        ? { classId1: parseClassId(meta.class_id1, 'class_id1'), classId2: parseClassId(meta.class_id2, 'class_id2') }
        : { tags: parseTags(meta.tags) };
    const lib = await getLibrary(stores.metadata, obj.projectId, kind);
    const object = await stores.objects.get(obj.bucketKey);
    if (!object) throw new IrisError('NOT_FOUND', `object ${obj.bucketKey} disappeared before it was imported`);
    const image = await intakeImage(object.body, imageLimits(kind, 'add'), 'image');
    try {
      const { contSign } = await addImage(stores, await engineFor(lib), lib, { image, brief, labels });
      return { kind, cont_sign: contSign };
    } catch (e) {
      // Already in the library: a redelivery or a re-upload of the same picture adds nothing twice.
      if (e instanceof IrisError && e.codes.baidu === 216681) return { kind, duplicate: true, message: e.message };
      throw e;
    }
  };
}
