import { httpApi } from '../../../lib/http/handler';
import { config } from '../../../lib/config';
import { addFaces } from '../../../lib/faces/faces';
import { readImage } from '../../../lib/faces/image-source';
import { faceModel } from '../../../lib/vision/face-model';
import { schema } from './schema';

// Start loading the model during the container's init phase.
void faceModel();

/** POST /v2/{project_id}/face-sets/{face_set_name}/faces */
export const main = httpApi({
  family: 'frs',
  auth: 'huawei-token',
  schema,
  handler: async ({ input, projectId, stores }) => {
    const b = input.body;
    const image = await readImage(b, { projectId, bucket: config().bucket, objects: stores.objects });
    return addFaces(stores, await faceModel(), {
      projectId,
      name: input.path.face_set_name,
      image,
      externalImageId: b.external_image_id,
      externalFields: b.external_fields,
      single: b.single,
    });
  },
});
