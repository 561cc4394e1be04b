/**
 * Request schemas of the image-search operations (one flat parameter set: query + form/JSON
 * body). Numbers are accepted where clients send them unquoted in JSON (class ids, pn, rn); the
 * rules that need more than a type (tags, cont_sign, brief bytes, paging window) live in
 * params.ts so that their messages name the field.
 */
import { z } from 'zod';
import { MAX_URL_BYTES } from './contract';

const text = z.union([z.string(), z.number().transform(String)]);
const optionalText = text.optional();

const common = {
  image: z.string().optional(),
  url: z.string().max(MAX_URL_BYTES).optional(),
};

export const addSchema = z.object({
  ...common,
  brief: z.string({ message: 'param brief not exist' }).min(1),
  tags: optionalText,
  class_id1: optionalText,
  class_id2: optionalText,
});

export const searchSchema = z.object({
  ...common,
  tags: optionalText,
  tag_logic: optionalText,
  class_id1: optionalText,
  class_id2: optionalText,
  pn: optionalText,
  rn: optionalText,
});

export const updateSchema = z.object({
  ...common,
  cont_sign: z.string().optional(),
  brief: z.string().optional(),
  tags: optionalText,
  class_id1: optionalText,
  class_id2: optionalText,
});

export const deleteSchema = z.object({
  ...common,
  cont_sign: z.string().optional(),
});

export type AddInput = z.infer<typeof addSchema>;
export type SearchInput = z.infer<typeof searchSchema>;
export type UpdateInput = z.infer<typeof updateSchema>;
export type DeleteInput = z.infer<typeof deleteSchema>;
