/** zod request schemas of the face-set operations (one per function folder re-exports its own). */
import { z } from 'zod';
import { DEFAULT_CAPACITY, FACE_SET_NAME_MAX, MAX_CAPACITY, QUERY_LIMIT_DEFAULT, QUERY_WINDOW, TOP_N_DEFAULT, TOP_N_MAX } from './contract';

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

export const faceSetPath = z.object({ project_id: z.string(), face_set_name: z.string().min(1).max(FACE_SET_NAME_MAX) });
export const projectPath = z.object({ project_id: z.string() });

export const createFaceSetSchema = z.object({
  path: projectPath,
  body: z.object({
    face_set_name: z.string().min(1).max(FACE_SET_NAME_MAX).regex(/^[^/\s]+$/, 'no "/" or spaces'),
    face_set_capacity: z.number().int().min(1).max(MAX_CAPACITY).default(DEFAULT_CAPACITY),
    external_fields: z.record(z.string(), z.unknown()).optional(),
  }),
});

export const faceSetOnlySchema = z.object({ path: faceSetPath });
export const projectOnlySchema = z.object({ path: projectPath });

const imageFields = {
  image_base64: z.string().optional(),
  image_url: z.string().min(1).optional(),
  image_file: z.unknown().optional(),
};

export const addFacesSchema = z.object({
  path: faceSetPath,
  body: z.object({
    ...imageFields,
    external_image_id: z.string().optional(),
    external_fields: jsonish(z.record(z.string(), z.unknown())).optional(),
    single: boolish.default(false),
  }),
});

export const searchFacesSchema = z.object({
  path: faceSetPath,
  body: z.object({
    ...imageFields,
    face_id: z.string().min(1).optional(),
    top_n: z.coerce.number().int().min(0).max(TOP_N_MAX).default(TOP_N_DEFAULT),
    threshold: z.coerce.number().min(0).max(1).default(0),
    filter: z.string().min(1).max(4096).optional(),
    sort: jsonish(z.array(z.record(z.string(), z.string()))).optional(),
    return_fields: jsonish(z.array(z.string())).optional(),
  }),
});

export const queryFacesSchema = z.object({
  path: faceSetPath,
  query: z.object({
    face_id: z.string().min(1).optional(),
    offset: z.coerce.number().int().min(0).max(QUERY_WINDOW).default(0),
    limit: z.coerce.number().int().min(1).max(QUERY_WINDOW).default(QUERY_LIMIT_DEFAULT),
  }),
});

export const updateFaceSchema = z.object({
  path: faceSetPath,
  body: z.object({
    face_id: z.string().min(1),
    external_image_id: z.string().optional(),
    external_fields: z.record(z.string(), z.unknown()).optional(),
  }),
});

export const deleteFacesSchema = z.object({ path: faceSetPath, query: z.record(z.string(), z.string()) });

export const batchDeleteSchema = z.object({ path: faceSetPath, body: z.object({ filter: z.string().min(1).max(4096) }) });
