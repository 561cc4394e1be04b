/** FRS delete face set (faces, vectors, images): ../shared/REFERENCE.md "Face sets". */
export { faceSetOnlySchema as schema } from '../../../lib/faces/schema';
