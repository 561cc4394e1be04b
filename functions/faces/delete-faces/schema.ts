/** FRS delete faces by face_id / external_image_id / field: ../shared/REFERENCE.md "Face sets". */
export { deleteFacesSchema as schema } from '../../../lib/faces/schema';
