import { z } from 'zod';
import { samplePath } from '../../../lib/datasets/params';

/** GET …/data-annotations/samples/{sample_id}?process_parameter=image/resize,m_lfit,h_200 */
export const schema = z.object({
  path: samplePath,
  query: z.object({ process_parameter: z.string().min(1).max(256).optional() }),
});
