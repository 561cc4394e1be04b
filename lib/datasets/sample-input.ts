/**
 * One sample of an add-samples batch (ModelArts API reference, "Adding Samples in Batches", tables 4–10), validated on its own so that one bad
 * sample is reported in its result entry and never fails the others.
 */
import { z } from 'zod';
import {
  DATA_SOURCE_TYPES,
  DETECTION_LABEL,
  ENCODINGS,
  HARD_REASON_MAX,
  LABEL_PROPERTY_KEYS,
  LABEL_TYPES,
  SAMPLE_NAME_FORBIDDEN,
  SAMPLE_NAME_MAX,
  SAMPLE_TYPES,
  SHAPES,
  UNCHECK_LABEL_TYPES,
} from './contract';

const oneOf = <T extends readonly (string | number)[]>(values: T, what: string) =>
  z.custom<T[number]>((v) => (values as readonly unknown[]).includes(v), { message: `${what} must be one of ${values.join(', ')}` });

const unit = z.number().min(0, 'must be in [0,1]').max(1, 'must be in [0,1]');
/** "0"/"1"/"true"/"false" (the label property is a String in table 9); numbers and booleans too. */
const hardFlag = z.union([z.literal('0'), z.literal('1'), z.literal('true'), z.literal('false'), z.literal(0), z.literal(1), z.boolean()], {
  message: '@modelarts:hard must be 0/false or 1/true',
});
const reasonId = z.number().int().min(0).max(HARD_REASON_MAX, `hard reason ids are 0–${HARD_REASON_MAX}`);
/** Table 9: reasons as "3-20-21-19". */
const reasonString = z
  .string()
  .regex(/^\d{1,2}(-\d{1,2})*$/, 'hard_reasons must be ids joined by "-", e.g. 3-20-21-19')
  .refine((s) => s.split('-').every((n) => Number(n) <= HARD_REASON_MAX), `hard reason ids are 0–${HARD_REASON_MAX}`);
const numericString = (inner: z.ZodNumber) => z.union([inner, z.string().regex(/^\d+(\.\d+)?$/, 'must be a number').transform(Number).pipe(inner)]);
const time = z.string().regex(/^\d{2}:[0-5]\d:[0-5]\d\.\d{3}$/, 'must be hh:mm:ss.SSS');

const coord = z.number().min(0, 'coordinates must be ≥ 0');
const point = z.tuple([coord, coord], { message: 'a point is [x, y]' });

/** Geometry of `@modelarts:feature` for a given `@modelarts:shape` (table 9). Returns an error or null. */
export function checkFeature(shape: string, feature: unknown): string | null {
  const pts = (n: number, atLeast: boolean): string | null => {
    if (!Array.isArray(feature)) return `${shape} feature must be a list of points`;
    if (atLeast ? feature.length < n : feature.length !== n) return `${shape} needs ${atLeast ? 'at least ' : ''}${n} point${n > 1 ? 's' : ''}`;
    for (const p of feature) if (!point.safeParse(p).success) return `${shape} points must be [x, y] with x, y ≥ 0`;
    return null;
  };
  switch (shape) {
    case 'bndbox': {
      const e = pts(2, false);
      if (e) return e;
      const [[x1, y1], [x2, y2]] = feature as number[][];
      // Upper-left then lower-right, as the example of "Adding Samples in Batches" ([[0,10],[50,95]]) shows.
      return x1 < x2 && y1 < y2 ? null : 'bndbox is [upper-left, lower-right]: x1 < x2 and y1 < y2';
    }
    case 'polygon':
      return pts(3, true);
    case 'circle': {
      const f = feature as unknown[];
      if (!Array.isArray(f) || f.length !== 2 || !point.safeParse(f[0]).success) return 'circle is [[x, y], [radius]]';
      const r = f[1];
      return Array.isArray(r) && r.length === 1 && typeof r[0] === 'number' && r[0] > 0 ? null : 'circle radius must be one number > 0';
    }
    case 'line':
    case 'dashed':
      return pts(2, false);
    case 'point':
      return pts(1, false);
    case 'polyline':
      return pts(2, true);
    default:
      return `unknown shape ${shape}`;
  }
}

const labelProperty = z
  .object({
    '@modelarts:content': z.string().optional(),
    '@modelarts:start_index': z.number().int().min(0).optional(),
    '@modelarts:end_index': z.number().int().min(0).optional(),
    '@modelarts:start_time': time.optional(),
    '@modelarts:end_time': time.optional(),
    '@modelarts:feature': z.unknown().optional(),
    '@modelarts:from': z.string().optional(),
    '@modelarts:to': z.string().optional(),
    '@modelarts:hard': hardFlag.optional(),
    '@modelarts:hard_coefficient': numericString(unit).optional(),
    '@modelarts:hard_reasons': reasonString.optional(),
    '@modelarts:shape': oneOf(SHAPES, '@modelarts:shape').optional(),
    '@modelarts:source': z.string().optional(),
  })
  .catchall(z.unknown())
  .superRefine((p, ctx) => {
    for (const k of Object.keys(p)) {
      if (k.startsWith('@modelarts:') && !(LABEL_PROPERTY_KEYS as readonly string[]).includes(k)) {
        ctx.addIssue({ code: 'custom', path: [k], message: `unknown label property ${k}` });
      }
    }
    const shape = p['@modelarts:shape'];
    const feature = p['@modelarts:feature'];
    if (feature !== undefined && !shape) ctx.addIssue({ code: 'custom', path: ['@modelarts:shape'], message: '@modelarts:feature needs @modelarts:shape' });
    if (shape && feature === undefined) ctx.addIssue({ code: 'custom', path: ['@modelarts:feature'], message: `@modelarts:shape ${shape} needs @modelarts:feature` });
    if (shape && feature !== undefined) {
      const e = checkFeature(shape, feature);
      if (e) ctx.addIssue({ code: 'custom', path: ['@modelarts:feature'], message: e });
    }
    const s = p['@modelarts:start_index'];
    const e = p['@modelarts:end_index'];
    if (s !== undefined && e !== undefined && e < s) ctx.addIssue({ code: 'custom', path: ['@modelarts:end_index'], message: 'end_index must be ≥ start_index' });
  });

export const labelSchema = z
  .object({
    annotated_by: z.enum(['human', 'auto']).optional(),
    id: z.string().max(128).optional(),
    name: z.string().min(1).max(1024).optional(),
    property: labelProperty.optional(),
    score: unit.optional(),
    type: oneOf(LABEL_TYPES, 'label type'),
  })
  .refine((l) => l.name !== undefined || l.id !== undefined, { message: 'a label needs a name or an id', path: ['name'] })
  .refine((l) => l.type !== DETECTION_LABEL || (l.property?.['@modelarts:shape'] && l.property['@modelarts:feature'] !== undefined), {
    message: 'an object detection label needs @modelarts:shape and @modelarts:feature',
    path: ['property'],
  });

export const metadataSchema = z
  .object({
    '@modelarts:hard': z.union([z.literal(0), z.literal(1)], { message: '@modelarts:hard must be 0 or 1' }).optional(),
    '@modelarts:hard_coefficient': unit.optional(),
    '@modelarts:hard_reasons': z.array(reasonId).optional(),
    '@modelarts:size': z
      .array(z.number().int().positive('sizes are positive integers'))
      .min(2, '@modelarts:size is [width, height] or [width, height, depth]')
      .max(3, '@modelarts:size is [width, height] or [width, height, depth]')
      .optional(),
  })
  .catchall(z.unknown())
  .superRefine((m, ctx) => {
    for (const k of Object.keys(m)) {
      if (k.startsWith('@modelarts:') && !['@modelarts:hard', '@modelarts:hard_coefficient', '@modelarts:hard_reasons', '@modelarts:size'].includes(k)) {
        ctx.addIssue({ code: 'custom', path: [k], message: `unknown metadata attribute ${k}` });
      }
    }
  });

export const dataSourceSchema = z.object({
  data_path: z.string().min(1).max(4096).optional(),
  data_type: oneOf(DATA_SOURCE_TYPES, 'data_type').default(0),
  schema_maps: z.array(z.object({ dest_name: z.string().optional(), src_name: z.string().optional() })).optional(),
  source_info: z.record(z.string(), z.unknown()).optional(),
  with_column_header: z.boolean().optional(),
});

export const sampleSchema = z
  .object({
    data: z.string().min(1, 'data is empty').optional(),
    data_source: dataSourceSchema.optional(),
    encoding: oneOf(ENCODINGS, 'encoding').optional(),
    labels: z.array(labelSchema).max(1000).optional(),
    metadata: metadataSchema.optional(),
    name: z
      .string()
      .max(SAMPLE_NAME_MAX, `name is 0–${SAMPLE_NAME_MAX} characters`)
      .refine((n) => !SAMPLE_NAME_FORBIDDEN.test(n), 'name must not contain any of !<>=&"\'')
      .refine((n) => !n.split('/').some((p) => p === '..' || p === '.'), 'name must not contain . or .. path segments')
      .optional(),
    sample_type: oneOf(SAMPLE_TYPES, 'sample_type').optional(),
  })
  .refine((s) => (s.data === undefined) !== (s.data_source === undefined), {
    message: 'give exactly one of data (base64) and data_source',
    path: ['data'],
  })
  .refine((s) => !s.labels?.some((l) => l.type === DETECTION_LABEL) || s.metadata?.['@modelarts:size'] !== undefined, {
    message: '@modelarts:size is required when the sample has an object detection label',
    path: ['metadata', '@modelarts:size'],
  });

export type SampleInput = z.infer<typeof sampleSchema>;
export type LabelInput = z.infer<typeof labelSchema>;

/** Validates one sample; returns the parsed sample or a message naming the field. */
export function parseSample(raw: unknown, finalAnnotation: boolean): { ok: true; sample: SampleInput } | { ok: false; message: string } {
  const r = sampleSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    const field = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
    return { ok: false, message: `param ${field || 'sample'} invalid: ${issue.message}` };
  }
  if (!finalAnnotation && r.data.labels?.some((l) => !UNCHECK_LABEL_TYPES.includes(l.type))) {
    return { ok: false, message: 'final_annotation=false (to be confirmed) supports image classification and object detection labels only' };
  }
  return { ok: true, sample: r.data };
}
