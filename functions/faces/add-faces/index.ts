import { defineOperation } from '../../../lib/http/operation';
import { config } from '../../../lib/config';
import { addFaces } from '../../../lib/faces/faces';
import { readImage } from '../../../lib/faces/image-source';
import { faceModel } from '../../../lib/vision/face-model';
import { addFacesSchema } from '../../../lib/faces/schema';

// Start loading the model during the container's init phase.
/** POST /v2/{project_id}/face-sets/{face_set_name}/faces */
export default defineOperation({
  name: 'facesAdd',
  description: 'FRS add faces',
  method: 'POST',
  path: '/v2/{project_id}/face-sets/{face_set_name}/faces',
  family: 'frs',
  auth: 'huawei-token',
  // FRS takes an image as base64 or URL in JSON, or as a file in a multipart form.
  bodyTypes: ['json', 'multipart'],
  files: ['image_file'],
  schema: addFacesSchema,
  // Load the face model while the first request is on its way.
  warm: faceModel,
  run: async ({ input, projectId, stores, deadline }) => {
    const b = input.body;
    const image = await readImage(b, { projectId, bucket: config().bucket, objects: stores.objects });
    return addFaces(stores, await faceModel(), {
      projectId,
      name: input.path.face_set_name,
      image,
      externalImageId: b.external_image_id,
      externalFields: b.external_fields,
      single: b.single,
      deadline,
    });
  },
  access: { objects: [{ prefix: 'data/', actions: ['read', 'write', 'delete'] }, { prefix: 'ingest/', actions: ['read'] }], table: ['read', 'write'], vectors: ['read', 'write'], nativeLayer: true },
  memory: 2048,
  timeout: 30,
});
