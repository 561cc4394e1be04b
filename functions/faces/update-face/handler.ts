import { httpApi } from '../../../lib/http/handler';
import { updateFace } from '../../../lib/faces/faces';
import { schema } from './schema';

/** PUT /v2/{project_id}/face-sets/{face_set_name}/faces — seed 004. */
export const main = httpApi({
  family: 'frs',
  auth: 'huawei-token',
  schema,
  handler: async ({ input, projectId, stores }) =>
    updateFace(stores, {
      projectId,
      name: input.path.face_set_name,
      faceId: input.body.face_id,
      externalImageId: input.body.external_image_id,
      externalFields: input.body.external_fields,
    }),
});
