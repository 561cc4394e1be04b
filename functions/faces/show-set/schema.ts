/** FRS show face set: ../shared/REFERENCE.md "Face sets". */
export { faceSetOnlySchema as schema } from '../../../lib/faces/schema';
