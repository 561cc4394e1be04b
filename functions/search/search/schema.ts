export { searchSchema as schema } from '../../../lib/search/schema';
