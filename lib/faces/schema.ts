/** zod request schemas of the face-set operations (one per function folder re-exports its own). */
import { z } from 'zod';
import {
  DEFAULT_CAPACITY,
  EXTERNAL_IMAGE_ID,
  FACE_ID,
  FACE_ID_MAX,
  FACE_SET_NAME_MAX,
  FIELD_KEY,
  MAX_BASE64_CHARS,
  MAX_CAPACITY,
  MAX_EXTERNAL_FIELDS,
  MAX_FIELD_LIST,
  MAX_STRING_VALUE,
  MAX_URL_CHARS,
  PROJECT_ID_MAX,
  QUERY_LIMIT_DEFAULT,
  QUERY_WINDOW,
  TOP_N_DEFAULT,
  TOP_N_MAX,
} from './contract';

/** Multipart and form bodies carry every value as a string: JSON-decode those that are structured. */
const jsonish = <T extends z.ZodType>(inner: T) =>
  z.preprocess((v) => {
    if (typeof v !== 'string') return v;
    try {
      return JSON.parse(v);
    } catch {
      return v;
    }
  }, inner);

const boolish = z.preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean());

/**
 * Every id, name and value that becomes part of a DynamoDB key or a LanceDB predicate is bounded
 * here (FRS.0012 on failure), so nothing over-long reaches a store.
 */
const projectId = z.string().min(1).max(PROJECT_ID_MAX);
const faceId = z.string().max(FACE_ID_MAX).regex(FACE_ID, 'a face_id is 1-64 letters, digits, "-" or "_"');
/** Empty means "generate one" on add (FRS: 1–36 characters of letters, digits, "-", "_"). */
const externalImageId = z.string().max(36).regex(/^[A-Za-z0-9_-]*$/, 'must be 1-36 letters, digits, "-" or "_"');
const fieldName = z.string().max(36).regex(FIELD_KEY, 'a field name is 1-36 letters, digits, "-" or "_"');
/** external_fields: at most the schema's 10 keys (the domain checks names and types against the face set). */
const externalFields = z
  .record(z.string().max(36), z.unknown())
  .refine((r) => Object.keys(r).length <= MAX_EXTERNAL_FIELDS, `at most ${MAX_EXTERNAL_FIELDS} external fields`);

export const faceSetPath = z.object({ project_id: projectId, face_set_name: z.string().min(1).max(FACE_SET_NAME_MAX) });
export const projectPath = z.object({ project_id: projectId });

export const createFaceSetSchema = z.object({
  path: projectPath,
  body: z.object({
    face_set_name: z.string().min(1).max(FACE_SET_NAME_MAX).regex(/^[^/\s]+$/, 'no "/" or spaces'),
    face_set_capacity: z.number().int().min(1).max(MAX_CAPACITY).default(DEFAULT_CAPACITY),
    external_fields: z.record(z.string().max(36), z.unknown()).refine((r) => Object.keys(r).length <= MAX_EXTERNAL_FIELDS, `at most ${MAX_EXTERNAL_FIELDS} external fields`).optional(),
  }),
});

export const faceSetOnlySchema = z.object({ path: faceSetPath });
export const projectOnlySchema = z.object({ path: projectPath });

const imageFields = {
  // The decoder caps base64 itself (FRS.0013); this bound only stops a multi-megabyte non-image string early.
  image_base64: z.string().max(MAX_BASE64_CHARS * 2).optional(),
  image_url: z.string().min(1).max(MAX_URL_CHARS).optional(),
  image_file: z.unknown().optional(),
};

export const addFacesSchema = z.object({
  path: faceSetPath,
  body: z.object({
    ...imageFields,
    external_image_id: externalImageId.optional(),
    external_fields: jsonish(externalFields).optional(),
    single: boolish.default(false),
  }),
});

export const searchFacesSchema = z.object({
  path: faceSetPath,
  body: z.object({
    ...imageFields,
    face_id: faceId.optional(),
    top_n: z.coerce.number().int().min(0).max(TOP_N_MAX).default(TOP_N_DEFAULT),
    threshold: z.coerce.number().min(0).max(1).default(0),
    filter: z.string().min(1).max(4096).optional(),
    sort: jsonish(z.array(z.record(z.string().max(36), z.string().max(8))).max(MAX_FIELD_LIST)).optional(),
    return_fields: jsonish(z.array(z.string().max(36)).max(MAX_FIELD_LIST)).optional(),
  }),
});

export const queryFacesSchema = z.object({
  path: faceSetPath,
  query: z.object({
    face_id: faceId.optional(),
    offset: z.coerce.number().int().min(0).max(QUERY_WINDOW).default(0),
    limit: z.coerce.number().int().min(1).max(QUERY_WINDOW).default(QUERY_LIMIT_DEFAULT),
    /** Iris addition: each face with a presigned URL of its photo. */
    with_image_url: z.enum(['true', 'false'], { message: 'with_image_url must be true or false' }).optional(),
  }),
});

export const updateFaceSchema = z.object({
  path: faceSetPath,
  body: z.object({
    face_id: faceId.min(1),
    external_image_id: externalImageId.optional(),
    external_fields: externalFields.optional(),
  }),
});

/**
 * Delete by `face_id`, `external_image_id` or one external field (`?{field}=value`); the handler
 * picks which. Each is bounded here: ids by their shape, field names as declared at create
 * (1–36 of `[A-Za-z0-9_-]`), values as a string field's (≤ 256 characters).
 */
export const deleteFacesSchema = z.object({
  path: faceSetPath,
  query: z.record(z.string(), z.string()).superRefine((q, ctx) => {
    for (const [key, value] of Object.entries(q)) {
      const check = key === 'face_id' ? faceId : key === 'external_image_id' ? externalImageId.min(1) : z.string().max(MAX_STRING_VALUE);
      if (key !== 'face_id' && key !== 'external_image_id' && !fieldName.safeParse(key).success) {
        ctx.addIssue({ code: 'custom', path: [key.slice(0, 40)], message: 'a field name is 1-36 letters, digits, "-" or "_"' });
        continue;
      }
      const r = check.safeParse(value);
      if (!r.success) ctx.addIssue({ code: 'custom', path: [key], message: r.error.issues[0].message });
    }
  }),
});

export const batchDeleteSchema = z.object({ path: faceSetPath, body: z.object({ filter: z.string().min(1).max(4096) }) });
