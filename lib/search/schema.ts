/**
 * Request schemas of the image-search operations (one flat parameter set: query + form/JSON
 * body). Numbers are accepted where clients send them unquoted in JSON (class ids, pn, rn); the
 * rules that need more than a type (tags, cont_sign, brief bytes, paging window) live in
 * params.ts so that their messages name the field.
 */
import { z } from 'zod';
import { MAX_DELETE_SIGNS, MAX_URL_BYTES } from './contract';

/**
 * Every field is bounded here (216103 "too long" past the bound) so that nothing oversized is
 * parsed further; the exact rules (brief ≤ 256 bytes, tags, class ids, cont_sign shape) are in
 * params.ts. The bounds are far above any valid value: two tags "65535,65535" are 11 characters.
 */
const SHORT = 64;
const text = (max = SHORT) => z.union([z.string().max(max), z.number().transform(String)]);
const optionalText = text().optional();
/** One cont_sign is "<uint32>,<uint32>" (≤ 21 characters); a batch delete takes up to 100, ';'-separated. */
const CONT_SIGN_CHARS = 32;

const common = {
  image: z.string().optional(),
  url: z.string().max(MAX_URL_BYTES).optional(),
};

export const addSchema = z.object({
  ...common,
  // checkBrief counts the 256-byte limit in UTF-8; this only stops megabytes early.
  brief: z.string({ message: 'param brief not exist' }).min(1).max(4096),
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
  /** Iris addition (similar, product): "left,top,width,height" of the subject to search for. */
  subject: optionalText,
});

export const updateSchema = z.object({
  ...common,
  cont_sign: z.string().max(CONT_SIGN_CHARS).optional(),
  // checkBrief counts the 256-byte limit in UTF-8; this bound only stops megabytes early.
  brief: z.string().max(4096).optional(),
  tags: optionalText,
  class_id1: optionalText,
  class_id2: optionalText,
});

export const deleteSchema = z.object({
  ...common,
  cont_sign: z.string().max(MAX_DELETE_SIGNS * CONT_SIGN_CHARS).optional(),
});

export type AddInput = z.infer<typeof addSchema>;
export type SearchInput = z.infer<typeof searchSchema>;
export type UpdateInput = z.infer<typeof updateSchema>;
export type DeleteInput = z.infer<typeof deleteSchema>;

/**
 * Iris's addition to a same-image (and picture-book) hit: where the query lies in the matched
 * stored image — the query's outline (corners top-left, top-right, bottom-right, bottom-left of
 * the query) mapped by the verification's transform into the stored image's pixel coordinates;
 * `width` and `height` are the stored image's size. Baidu's clients ignore the field.
 */
export const hitRegionSchema = z
  .object({
    points: z.array(z.tuple([z.number(), z.number()])).length(4),
    width: z.number().int(),
    height: z.number().int(),
  })
  .describe("Iris addition: the query's outline in the matched stored image's pixels (same_hq, picturebook)");

/** A box in an image's pixels (Iris addition, similar and product libraries). */
const box = (what: string) =>
  z
    .object({ left: z.number().int(), top: z.number().int(), width: z.number().int(), height: z.number().int() })
    .describe(what);

export const searchResponseSchema = z.object({
  log_id: z.number().int(),
  result_num: z.number().int(),
  has_more: z.boolean(),
  result: z.array(
    z.object({
      cont_sign: z.string(),
      score: z.number(),
      brief: z.string(),
      region: hitRegionSchema.optional(),
      subject: box('Iris addition (similar, product): the main subject of the stored image, in its pixels').optional(),
    }),
  ),
  query_subject: box('Iris addition (similar, product): the main subject found in the query, in its pixels').optional(),
});
