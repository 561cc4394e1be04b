/** FRS batch delete faces by filter: ../shared/REFERENCE.md "Face sets". */
export { batchDeleteSchema as schema } from '../../../lib/faces/schema';
