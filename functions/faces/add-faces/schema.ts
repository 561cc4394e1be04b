/** FRS add faces: ../shared/REFERENCE.md "Face sets". */
export { addFacesSchema as schema } from '../../../lib/faces/schema';
