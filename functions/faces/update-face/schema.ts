/** FRS update face (seed 004): ../shared/REFERENCE.md "Face sets". */
export { updateFaceSchema as schema } from '../../../lib/faces/schema';
