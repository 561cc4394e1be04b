import { defineOperation } from '../../../lib/http/operation';
import { createFaceSet, faceSetInfo } from '../../../lib/faces/face-sets';
import { createFaceSetSchema } from '../../../lib/faces/schema';

/** POST /v2/{project_id}/face-sets */
export default defineOperation({
  name: 'facesCreateSet',
  description: 'FRS create face set',
  method: 'POST',
  path: '/v2/{project_id}/face-sets',
  family: 'frs',
  auth: 'huawei-token',
  schema: createFaceSetSchema,
  run: async ({ input, projectId, stores }) => {
    const { face_set_name, face_set_capacity, external_fields } = input.body;
    const set = await createFaceSet(stores, { projectId, name: face_set_name, capacity: face_set_capacity, externalFields: external_fields });
    return { face_set_info: faceSetInfo(set) };
  },
  access: { table: ['read', 'write'], vectors: ['read', 'write'], nativeLayer: true },
  memory: 512,
  timeout: 10,
});
