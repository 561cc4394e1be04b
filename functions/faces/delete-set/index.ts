import { defineOperation } from '../../../lib/http/operation';
import { deleteFaceSet } from '../../../lib/faces/face-sets';
import { faceSetOnlySchema } from '../../../lib/faces/schema';

/** DELETE /v2/{project_id}/face-sets/{face_set_name} — removes every face, vector and stored image. */
export default defineOperation({
  name: 'facesDeleteSet',
  description: 'FRS delete face set (faces, vectors, images)',
  method: 'DELETE',
  path: '/v2/{project_id}/face-sets/{face_set_name}',
  family: 'frs',
  auth: 'huawei-token',
  schema: faceSetOnlySchema,
  run: async ({ input, projectId, stores }) => {
    await deleteFaceSet(stores, projectId, input.path.face_set_name);
    return { face_set_name: input.path.face_set_name };
  },
  access: { objects: [{ prefix: 'data/', actions: ['read', 'delete', 'list'] }], table: ['read', 'write'], vectors: ['read', 'write'], nativeLayer: true },
  memory: 512,
  timeout: 30,
});
