/** FRS query faces: ../shared/REFERENCE.md "Face sets". */
export { queryFacesSchema as schema } from '../../../lib/faces/schema';
