import { defineOperation } from '../../../lib/http/operation';
import { config } from '../../../lib/config';
import { frsError } from '../../../lib/faces/contract';
import { searchFaces } from '../../../lib/faces/faces';
import { hasImage, readImage } from '../../../lib/faces/image-source';
import { faceModel } from '../../../lib/vision/face-model';
import { searchFacesSchema } from '../../../lib/faces/schema';
import { rule } from '../../../lib/http/validate';

/** POST /v2/{project_id}/face-sets/{face_set_name}/search — the largest face of the image, or a stored face. */
export default defineOperation({
  name: 'facesSearch',
  description: 'FRS search faces',
  method: 'POST',
  path: '/v2/{project_id}/face-sets/{face_set_name}/search',
  family: 'frs',
  auth: 'huawei-token',
  // FRS takes an image as base64 or URL in JSON, or as a file in a multipart form.
  bodyTypes: ['json', 'multipart'],
  files: ['image_file'],
  schema: searchFacesSchema.superRefine(
    rule(({ body }) => body.face_id === undefined || !hasImage(body), () => frsError.badParam('face_id', 'give either face_id or an image, not both')),
  ),
  // Load the face model while the first request is on its way.
  warm: faceModel,
  run: async ({ input, projectId, stores }) => {
    const b = input.body;
    const image = b.face_id === undefined ? await readImage(b, { projectId, bucket: config().bucket, objects: stores.objects }) : undefined;
    return searchFaces(stores, image ? await faceModel() : null, {
      projectId,
      name: input.path.face_set_name,
      image,
      faceId: b.face_id,
      topN: b.top_n,
      threshold: b.threshold,
      filter: b.filter,
      sort: b.sort,
      returnFields: b.return_fields,
    });
  },
  access: { objects: [{ prefix: 'data/', actions: ['read'] }, { prefix: 'ingest/', actions: ['read'] }], table: ['read'], vectors: ['read'], nativeLayer: true },
  memory: 2048,
  timeout: 30,
});
