/**
 * FRS filter expressions → typed filters (lib/store/filter.ts) over the face table's columns.
 *
 *   expr   := or
 *   or     := and (('||' | 'OR') and)*
 *   and    := unary (('&&' | 'AND') unary)*
 *   unary  := ('!' | 'NOT') unary | '(' expr ')' | term
 *   term   := field ':' value
 *   value  := range | "quoted string" | true | false | number | bare-word
 *   range  := ('[' | '{') (number | '*') 'TO' (number | '*') (']' | '}')   — [] inclusive, {} exclusive
 *
 * Fields are the face set's external fields plus `external_image_id`. Every literal is checked
 * against the field's type and becomes a typed value (booleans as their stored 0/1); the vector
 * adapter renders the result, so a filter can never inject a query.
 */
import type { VectorFilter, VectorScalar } from '../store/ports';
import { frsError } from './contract';
import { checkValue, columnValue, isNumeric, type FieldSchema, type FieldSpec } from './fields';

type Token =
  | { t: 'op'; v: '&&' | '||' | '!' | '(' | ')' | ':' | '[' | ']' | '{' | '}' }
  | { t: 'str'; v: string }
  | { t: 'word'; v: string };

const bad = (message: string) => frsError.badParam('filter', message);

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
    } else if (src.startsWith('&&', i) || src.startsWith('||', i)) {
      out.push({ t: 'op', v: src.slice(i, i + 2) as '&&' | '||' });
      i += 2;
    } else if ('!():[]{}'.includes(c)) {
      out.push({ t: 'op', v: c as '!' });
      i++;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      let s = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\' && j + 1 < src.length) j++;
        s += src[j++];
      }
      if (j >= src.length) throw bad('unterminated string');
      out.push({ t: 'str', v: s });
      i = j + 1;
    } else {
      let j = i;
      while (j < src.length && !/[\s!():[\]{}"']/.test(src[j]) && !src.startsWith('&&', j) && !src.startsWith('||', j)) j++;
      out.push({ t: 'word', v: src.slice(i, j) });
      i = j;
    }
  }
  return out;
}

const EXTERNAL_IMAGE_ID: FieldSpec = { key: 'external_image_id', type: 'string', column: 'external_image_id' };

class Parser {
  private pos = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly schema: FieldSchema,
  ) {}

  parse(): VectorFilter {
    if (this.tokens.length === 0) throw bad('empty filter');
    const filter = this.or();
    if (this.pos < this.tokens.length) throw bad(`unexpected "${this.tokens[this.pos].v}"`);
    return filter;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }
  private isOp(v: string): boolean {
    const t = this.peek();
    return !!t && t.t === 'op' && t.v === v;
  }
  private isWord(v: string): boolean {
    const t = this.peek();
    return !!t && t.t === 'word' && t.v === v;
  }
  private expectOp(v: string): void {
    if (!this.isOp(v)) throw bad(`expected "${v}"${this.peek() ? ` before "${this.peek()!.v}"` : ' at the end'}`);
    this.pos++;
  }

  private or(): VectorFilter {
    return this.chain('||', 'OR', () => this.and(), (or) => ({ or }));
  }

  private and(): VectorFilter {
    return this.chain('&&', 'AND', () => this.unary(), (and) => ({ and }));
  }

  /** `next (op next)*`, one operand as itself. */
  private chain(op: '||' | '&&', word: 'OR' | 'AND', next: () => VectorFilter, combine: (parts: VectorFilter[]) => VectorFilter): VectorFilter {
    const parts = [next()];
    while (this.isOp(op) || this.isWord(word)) {
      this.pos++;
      parts.push(next());
    }
    return parts.length === 1 ? parts[0] : combine(parts);
  }

  private unary(): VectorFilter {
    if (this.isOp('!') || this.isWord('NOT')) {
      this.pos++;
      // A face without the field matches "!f:x" (`not` is true wherever its filter is not).
      return { not: this.unary() };
    }
    if (this.isOp('(')) {
      this.pos++;
      const inner = this.or();
      this.expectOp(')');
      return inner;
    }
    return this.term();
  }

  private term(): VectorFilter {
    const name = this.peek();
    if (!name || name.t !== 'word') throw bad(`expected a field name${name ? ` before "${name.v}"` : ' at the end'}`);
    this.pos++;
    const spec = name.v === 'external_image_id' ? EXTERNAL_IMAGE_ID : this.schema.find((f) => f.key === name.v);
    if (!spec) throw bad(`unknown field "${name.v}"`);
    this.expectOp(':');
    if (this.isOp('[') || this.isOp('{')) return this.range(spec);
    const v = this.peek();
    if (!v || v.t === 'op') throw bad(`expected a value for ${spec.key}`);
    this.pos++;
    return { eq: { [spec.column]: literal(spec, v) } };
  }

  private range(spec: FieldSpec): VectorFilter {
    if (!isNumeric(spec.type)) throw bad(`ranges apply to numeric fields only (${spec.key} is ${spec.type})`);
    const lowInclusive = this.isOp('[');
    this.pos++;
    const low = this.bound(spec);
    if (!this.isWord('TO')) throw bad('expected TO in a range');
    this.pos++;
    const high = this.bound(spec);
    const close = this.peek();
    if (!close || close.t !== 'op' || (close.v !== ']' && close.v !== '}')) throw bad('expected "]" or "}" closing a range');
    this.pos++;
    const highInclusive = close.v === ']';
    // No bounds ([* TO *]): every face that has the field.
    const bounds: { gt?: number; gte?: number; lt?: number; lte?: number } = {};
    if (low !== null) bounds[lowInclusive ? 'gte' : 'gt'] = low;
    if (high !== null) bounds[highInclusive ? 'lte' : 'lt'] = high;
    return { range: { [spec.column]: bounds } };
  }

  private bound(spec: FieldSpec): number | null {
    const t = this.peek();
    if (!t || t.t !== 'word') throw bad(`expected a number or * in the range of ${spec.key}`);
    this.pos++;
    if (t.v === '*') return null;
    return literal(spec, t) as number; // a numeric field's value (range() checked the type)
  }
}

function literal(spec: FieldSpec, tok: Token): VectorScalar {
  const raw = tok.v;
  let value: unknown = raw;
  if (tok.t === 'word') {
    if (spec.type === 'boolean') value = raw === 'true' ? true : raw === 'false' ? false : raw;
    else if (isNumeric(spec.type)) value = raw.trim() === '' ? raw : Number(raw);
  }
  try {
    return columnValue(checkValue(spec, value)); // booleans as their stored 0/1

  } catch {
    throw bad(`"${raw}" is not a ${spec.type} value for ${spec.key}`);
  }
}

/** Translates a filter into a typed filter over the face table (throws BAD_PARAM / FRS.0012 when it does not parse). */
export function parseFaceFilter(filter: string, schema: FieldSchema): VectorFilter {
  return new Parser(tokenize(filter), schema).parse();
}
