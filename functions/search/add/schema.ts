export { addSchema as schema } from '../../../lib/search/schema';
