/** FRS search faces: ../shared/REFERENCE.md "Face sets". */
export { searchFacesSchema as schema } from '../../../lib/faces/schema';
