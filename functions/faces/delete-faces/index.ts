import { defineOperation } from '../../../lib/http/operation';
import { frsError } from '../../../lib/faces/contract';
import { deleteFaces, type DeleteSelector } from '../../../lib/faces/faces';
import { deleteFacesSchema } from '../../../lib/faces/schema';

/** DELETE /v2/{project_id}/face-sets/{face_set_name}/faces?face_id= | ?external_image_id= | ?{field}=value */
export default defineOperation({
  name: 'facesDelete',
  description: 'FRS delete faces by face_id / external_image_id / field',
  method: 'DELETE',
  path: '/v2/{project_id}/face-sets/{face_set_name}/faces',
  family: 'frs',
  auth: 'huawei-token',
  schema: deleteFacesSchema,
  run: async ({ input, projectId, stores }) => {
    const entries = Object.entries(input.query);
    if (entries.length === 0) throw frsError.missingParam('face_id', 'give face_id, external_image_id or one external field');
    if (entries.length > 1) throw frsError.badParam(entries[1][0], 'give only one of face_id, external_image_id or an external field');
    const [[key, value]] = entries;
    const by: DeleteSelector =
      key === 'face_id' ? { faceId: value } : key === 'external_image_id' ? { externalImageId: value } : { field: key, value };
    return deleteFaces(stores, { projectId, name: input.path.face_set_name, by });
  },
  access: { objects: [{ prefix: 'data/', actions: ['read', 'delete'] }], table: ['read', 'write'], vectors: ['read', 'write'], nativeLayer: true },
  memory: 512,
  timeout: 30,
});
