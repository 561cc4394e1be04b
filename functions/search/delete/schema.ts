export { deleteSchema as schema } from '../../../lib/search/schema';
