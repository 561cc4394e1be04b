import { httpApi } from '../../../lib/http/handler';
import { deleteFaces } from '../../../lib/faces/faces';
import { schema } from './schema';

/** DELETE /v2/{project_id}/face-sets/{face_set_name}/faces/batch — FRS.0407 when nothing matches. */
export const main = httpApi({
  family: 'frs',
  auth: 'huawei-token',
  schema,
  handler: async ({ input, projectId, stores }) =>
    deleteFaces(stores, { projectId, name: input.path.face_set_name, by: { filter: input.body.filter } }),
});
