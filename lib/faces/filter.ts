/**
 * FRS filter expressions → LanceDB SQL `where` predicates over the face table's columns.
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
 * against the field's type and rendered by this module (strings through sqlString), so a
 * filter can never inject SQL.
 */
import { sqlString } from '../store/lancedb';
import { frsError } from './contract';
import { checkValue, isNumeric, type FieldSchema, type FieldSpec } from './fields';

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

  parse(): string {
    if (this.tokens.length === 0) throw bad('empty filter');
    const sql = this.or();
    if (this.pos < this.tokens.length) throw bad(`unexpected "${this.tokens[this.pos].v}"`);
    return sql;
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

  private or(): string {
    const parts = [this.and()];
    while (this.isOp('||') || this.isWord('OR')) {
      this.pos++;
      parts.push(this.and());
    }
    return parts.length === 1 ? parts[0] : `(${parts.join(' OR ')})`;
  }

  private and(): string {
    const parts = [this.unary()];
    while (this.isOp('&&') || this.isWord('AND')) {
      this.pos++;
      parts.push(this.unary());
    }
    return parts.length === 1 ? parts[0] : `(${parts.join(' AND ')})`;
  }

  private unary(): string {
    if (this.isOp('!') || this.isWord('NOT')) {
      this.pos++;
      const inner = this.unary();
      // NOT over a NULL comparison is NULL (false); a face without the field matches "!f:x".
      return `(NOT coalesce(${inner}, false))`;
    }
    if (this.isOp('(')) {
      this.pos++;
      const inner = this.or();
      this.expectOp(')');
      return inner;
    }
    return this.term();
  }

  private term(): string {
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
    return `(${spec.column} = ${literal(spec, v)})`;
  }

  private range(spec: FieldSpec): string {
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
    const parts: string[] = [];
    if (low !== null) parts.push(`${spec.column} ${lowInclusive ? '>=' : '>'} ${low}`);
    if (high !== null) parts.push(`${spec.column} ${highInclusive ? '<=' : '<'} ${high}`);
    return parts.length ? `(${parts.join(' AND ')})` : `(${spec.column} IS NOT NULL)`;
  }

  private bound(spec: FieldSpec): string | null {
    const t = this.peek();
    if (!t || t.t !== 'word') throw bad(`expected a number or * in the range of ${spec.key}`);
    this.pos++;
    if (t.v === '*') return null;
    return literal(spec, t);
  }
}

function literal(spec: FieldSpec, tok: Token): string {
  const raw = tok.v;
  let value: unknown = raw;
  if (tok.t === 'word') {
    if (spec.type === 'boolean') value = raw === 'true' ? true : raw === 'false' ? false : raw;
    else if (isNumeric(spec.type)) value = raw.trim() === '' ? raw : Number(raw);
  }
  try {
    const v = checkValue(spec, value);
    if (typeof v === 'string') return sqlString(v);
    if (typeof v === 'boolean') return v ? '1' : '0'; // stored as 0/1 (fields.ts)
    return String(v);
  } catch {
    throw bad(`"${raw}" is not a ${spec.type} value for ${spec.key}`);
  }
}

/** Translates a filter into a SQL predicate (throws BAD_PARAM / FRS.0012 when it does not parse). */
export function filterToSql(filter: string, schema: FieldSchema): string {
  return new Parser(tokenize(filter), schema).parse();
}
