/** FRS list face sets: ../shared/REFERENCE.md "Face sets". */
export { projectOnlySchema as schema } from '../../../lib/faces/schema';
