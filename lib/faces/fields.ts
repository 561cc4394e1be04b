/**
 * The `external_fields` schema of a face set: declared at creation (up to 10 typed fields),
 * validated on every add and update, stored as LanceDB columns `ef0..ef9` (field keys may hold
 * '-', which is not a plain SQL identifier) so that filters run inside the vector query.
 */
import { FIELD_KEY, FIELD_TYPES, MAX_EXTERNAL_FIELDS, MAX_STRING_VALUE, frsError, type FieldType } from './contract';

export interface FieldSpec {
  key: string;
  type: FieldType;
  /** LanceDB column. */
  column: string;
}

export type FieldSchema = FieldSpec[];
export type FieldValue = string | number | boolean;

const NUMERIC: ReadonlySet<FieldType> = new Set(['long', 'integer', 'double', 'float']);
export const isNumeric = (t: FieldType): boolean => NUMERIC.has(t);

/** Parses the create-time schema `{key: {type}}`. */
export function parseSchema(raw: unknown): FieldSchema {
  if (raw === undefined || raw === null) return [];
  if (typeof raw !== 'object' || Array.isArray(raw)) throw frsError.badParam('external_fields', 'must be an object of {field: {"type": …}}');
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length > MAX_EXTERNAL_FIELDS) throw frsError.badParam('external_fields', `at most ${MAX_EXTERNAL_FIELDS} fields`);
  return entries.map(([key, def], i) => {
    if (!FIELD_KEY.test(key)) throw frsError.badParam('external_fields', `field name "${key}" must be 1-36 letters, digits, '-' or '_'`);
    if (key === 'external_image_id' || key === 'face_id') throw frsError.badParam('external_fields', `field name "${key}" is reserved`);
    const type = def && typeof def === 'object' ? (def as Record<string, unknown>).type : undefined;
    if (typeof type !== 'string' || !(FIELD_TYPES as readonly string[]).includes(type)) {
      throw frsError.badParam(`external_fields.${key}.type`, `must be one of ${FIELD_TYPES.join(', ')}`);
    }
    return { key, type: type as FieldType, column: `ef${i}` };
  });
}

/** The schema as FRS shows it. */
export const schemaView = (schema: FieldSchema): Record<string, { type: FieldType }> =>
  Object.fromEntries(schema.map((f) => [f.key, { type: f.type }]));

const INT32 = [-(2 ** 31), 2 ** 31 - 1] as const;

/** Checks one value against its declared type (FRS.0406 on a mismatch). */
export function checkValue(spec: FieldSpec, value: unknown): FieldValue {
  const { key, type } = spec;
  switch (type) {
    case 'string':
      if (typeof value !== 'string') throw frsError.fieldType(key, 'expected a string');
      if (value.length < 1 || value.length > MAX_STRING_VALUE) throw frsError.fieldType(key, `string must be 1-${MAX_STRING_VALUE} characters`);
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw frsError.fieldType(key, 'expected a boolean');
      return value;
    case 'integer':
    case 'long': {
      // FRS clients send longs as JSON numbers or as digit strings (the example of the FRS API reference "Updating a Face": "id": "300018629384756").
      const n = typeof value === 'string' && /^-?\d{1,19}$/.test(value) ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isInteger(n)) throw frsError.fieldType(key, `expected an ${type}`);
      if (type === 'integer' && (n < INT32[0] || n > INT32[1])) throw frsError.fieldType(key, 'integer out of range');
      if (!Number.isSafeInteger(n)) throw frsError.fieldType(key, 'long out of the supported range (±2^53)');
      return n;
    }
    case 'double':
    case 'float': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isFinite(n)) throw frsError.fieldType(key, `expected a ${type}`);
      return n;
    }
  }
}

/** Validates a request's `external_fields` against the schema; unknown keys are refused. */
export function checkFields(schema: FieldSchema, raw: unknown): Record<string, FieldValue> {
  if (raw === undefined || raw === null) return {};
  let obj = raw;
  if (typeof obj === 'string') {
    // Multipart and form bodies carry it as a JSON string.
    try {
      obj = JSON.parse(obj);
    } catch {
      throw frsError.badParam('external_fields', 'must be a JSON object');
    }
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw frsError.badParam('external_fields', 'must be a JSON object');
  const out: Record<string, FieldValue> = {};
  for (const [key, value] of Object.entries(obj as Record<string, unknown>)) {
    const spec = schema.find((f) => f.key === key);
    if (!spec) throw frsError.fieldType(key, 'field is not declared in the face set');
    out[key] = checkValue(spec, value);
  }
  return out;
}

/** A typed placeholder per column, used once to give a new LanceDB table its schema. */
export function placeholderColumns(schema: FieldSchema): Record<string, FieldValue> {
  // Booleans are stored as 0/1 numbers: Arrow JS writes an all-null boolean column without its
  // validity bitmap, which Lance refuses (a batch of faces that all lack a boolean field).
  return Object.fromEntries(schema.map((f) => [f.column, f.type === 'string' ? '' : 0.5]));
}

/** A value as its column stores it (booleans as 0/1, see placeholderColumns). */
export const columnValue = (v: FieldValue): string | number => (typeof v === 'boolean' ? (v ? 1 : 0) : v);

/** Columns of a face's row (absent fields are null). */
export function toColumns(schema: FieldSchema, values: Record<string, FieldValue>): Record<string, string | number | null> {
  return Object.fromEntries(schema.map((f) => [f.column, values[f.key] === undefined ? null : columnValue(values[f.key])]));
}
