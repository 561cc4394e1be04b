import { defineOperation } from '../../../lib/http/operation';
import { updateFace } from '../../../lib/faces/faces';
import { updateFaceSchema } from '../../../lib/faces/schema';

/** PUT /v2/{project_id}/face-sets/{face_set_name}/faces (FRS API reference, "Updating a Face"). */
export default defineOperation({
  name: 'facesUpdate',
  description: 'FRS update face',
  method: 'PUT',
  path: '/v2/{project_id}/face-sets/{face_set_name}/faces',
  family: 'frs',
  auth: 'huawei-token',
  schema: updateFaceSchema,
  run: async ({ input, projectId, stores }) =>
    updateFace(stores, {
      projectId,
      name: input.path.face_set_name,
      faceId: input.body.face_id,
      externalImageId: input.body.external_image_id,
      externalFields: input.body.external_fields,
    }),
  access: { table: ['read', 'write'], vectors: ['read', 'write'], nativeLayer: true },
  memory: 512,
  timeout: 10,
});
