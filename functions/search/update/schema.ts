export { updateSchema as schema } from '../../../lib/search/schema';
