import { httpApi } from '../../../lib/http/handler';
import { createFaceSet, faceSetInfo } from '../../../lib/faces/face-sets';
import { schema } from './schema';

/** POST /v2/{project_id}/face-sets */
export const main = httpApi({
  family: 'frs',
  auth: 'huawei-token',
  schema,
  handler: async ({ input, projectId, stores }) => {
    const { face_set_name, face_set_capacity, external_fields } = input.body;
    const set = await createFaceSet(stores, { projectId, name: face_set_name, capacity: face_set_capacity, externalFields: external_fields });
    return { face_set_info: faceSetInfo(set) };
  },
});
