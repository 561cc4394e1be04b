import { httpApi } from '../../../lib/http/handler';
import { deleteFaceSet } from '../../../lib/faces/face-sets';
import { schema } from './schema';

/** DELETE /v2/{project_id}/face-sets/{face_set_name} — removes every face, vector and stored image. */
export const main = httpApi({
  family: 'frs',
  auth: 'huawei-token',
  schema,
  handler: async ({ input, projectId, stores }) => {
    await deleteFaceSet(stores, projectId, input.path.face_set_name);
    return { face_set_name: input.path.face_set_name };
  },
});
