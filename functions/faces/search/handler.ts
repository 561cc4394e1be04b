import { httpApi } from '../../../lib/http/handler';
import { config } from '../../../lib/config';
import { frsError } from '../../../lib/faces/contract';
import { searchFaces } from '../../../lib/faces/faces';
import { hasImage, readImage } from '../../../lib/faces/image-source';
import { faceModel } from '../../../lib/vision/face-model';
import { schema } from './schema';

void faceModel();

/** POST /v2/{project_id}/face-sets/{face_set_name}/search — the largest face of the image, or a stored face. */
export const main = httpApi({
  family: 'frs',
  auth: 'huawei-token',
  schema,
  handler: async ({ input, projectId, stores }) => {
    const b = input.body;
    if (b.face_id !== undefined && hasImage(b)) throw frsError.badParam('face_id', 'give either face_id or an image, not both');
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
});
