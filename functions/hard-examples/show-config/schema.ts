import { z } from 'zod';
import { configPath } from '../../../lib/hard-examples/params';

/** GET /v1/{project_id}/hard-sample-configs/{config_id} */
export const schema = z.object({ path: configPath });
