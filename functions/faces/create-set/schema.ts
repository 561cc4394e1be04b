/** FRS create face set: ../shared/REFERENCE.md "Face sets". */
export { createFaceSetSchema as schema } from '../../../lib/faces/schema';
