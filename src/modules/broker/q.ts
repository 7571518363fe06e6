// The NGSI-LD query language (ETSI GS CIM 009, clause 4.9): parsed into a tree and evaluated
// against stored (expanded) entities. Pure: no I/O. `;` is AND and binds tighter than `|` (OR).
import { expand, type TermMap } from './context.ts';
import type { Instance, StoredEntity } from './entity.ts';
import { problem } from './errors.ts';
import { compilePattern } from './pattern.ts';

export type Op = '==' | '!=' | '>' | '>=' | '<' | '<=' | '~=' | '!~=';
export type Literal = number | string | boolean | { dateTime: string };
export type Operand = { value: Literal } | { list: Literal[] } | { range: [Literal, Literal] };

export interface Path {
  /** Attribute, then sub-attributes (a.b.c). */
  attrs: string[];
  /** Keys inside the value (a[x][y]). */
  keys: string[];
}

export type Query =
  | { and: Query[] }
  | { or: Query[] }
  | { path: Path; op?: undefined } // the attribute exists
  | { path: Path; op: Op; operand: Operand };

const fail = (detail: string): never => {
  throw problem('BadRequestData', `q: ${detail}`);
};

const NAME = /[A-Za-z0-9_@#:/-]/;
/** Bounds on the parser's work: a q is a few conditions, not a program. */
export const MAX_Q_LENGTH = 4096;
export const MAX_Q_DEPTH = 32;

export function parseQ(input: string): Query {
  if (input.length > MAX_Q_LENGTH) fail(`the query is longer than ${MAX_Q_LENGTH} characters`);
  let i = 0;
  let depth = 0;
  const peek = (s: string) => input.startsWith(s, i);
  const eat = (s: string) => (peek(s) ? ((i += s.length), true) : false);

  const name = () => {
    const start = i;
    while (i < input.length && NAME.test(input[i]!)) i++;
    if (i === start) fail(`an attribute name is expected at position ${start}`);
    return input.slice(start, i);
  };

  const path = (): Path => {
    const attrs = [name()];
    while (eat('.')) attrs.push(name());
    const keys: string[] = [];
    while (eat('[')) {
      keys.push(name());
      if (!eat(']')) fail(`"]" is expected at position ${i}`);
    }
    return { attrs, keys };
  };

  const literal = (): Literal => {
    if (eat('"')) {
      let s = '';
      while (i < input.length && input[i] !== '"') {
        if (input[i] === '\\' && i + 1 < input.length) i++;
        s += input[i++];
      }
      if (!eat('"')) fail('a string is not closed');
      return s;
    }
    const m = /^(-?\d+(\.\d+)?([eE][-+]?\d+)?)(?![\d.:TZ-]*[T:])/.exec(input.slice(i));
    const dt = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})/.exec(input.slice(i));
    if (dt) {
      i += dt[0].length;
      return { dateTime: dt[0] };
    }
    if (m) {
      i += m[1]!.length;
      return Number(m[1]);
    }
    if (eat('true')) return true;
    if (eat('false')) return false;
    // Otherwise an unquoted value, such as a URI: it starts with a letter.
    const start = i;
    if (!/[A-Za-z]/.test(input[i] ?? '')) fail(`a value is expected at position ${start}`);
    while (i < input.length && !/[;|)(,"]/.test(input[i]!) && !input.startsWith('..', i)) i++;
    return input.slice(start, i);
  };

  const operand = (op: Op): Operand => {
    const first = literal();
    if (eat('..')) {
      if (op !== '==' && op !== '!=') fail('a range is only allowed with == or !=');
      return { range: [first, literal()] };
    }
    if (peek(',')) {
      if (op !== '==' && op !== '!=') fail('a list is only allowed with == or !=');
      const list = [first];
      while (eat(',')) list.push(literal());
      return { list };
    }
    return { value: first };
  };

  const ops: Op[] = ['==', '!=', '>=', '<=', '>', '<', '~=', '!~='];
  const term = (): Query => {
    if (eat('(')) {
      if (++depth > MAX_Q_DEPTH) fail(`parentheses are nested more than ${MAX_Q_DEPTH} deep`);
      const q = or();
      if (!eat(')')) fail(`")" is expected at position ${i}`);
      depth--;
      return q;
    }
    const p = path();
    const op = ops.find((o) => peek(o));
    if (!op) return { path: p };
    i += op.length;
    const o = operand(op);
    // Patterns are compiled now: a bad one is refused before any entity is read.
    if ((op === '~=' || op === '!~=') && 'value' in o && typeof o.value === 'string') compilePattern(o.value, 'q');
    return { path: p, op, operand: o };
  };

  const and = (): Query => {
    const parts = [term()];
    while (eat(';')) parts.push(term());
    return parts.length === 1 ? parts[0]! : { and: parts };
  };

  const or = (): Query => {
    const parts = [and()];
    while (eat('|')) parts.push(and());
    return parts.length === 1 ? parts[0]! : { or: parts };
  };

  if (!input) fail('the query is empty');
  const q = or();
  if (i !== input.length) fail(`unexpected "${input.slice(i, i + 10)}" at position ${i}`);
  return q;
}

/** Writes a query back in the q syntax (used by tests: parse(print(q)) is q). */
export function printQ(q: Query): string {
  const lit = (l: Literal) => (typeof l === 'string' ? JSON.stringify(l) : typeof l === 'object' ? l.dateTime : String(l));
  if ('and' in q) return q.and.map((x) => ('or' in x ? `(${printQ(x)})` : printQ(x))).join(';');
  if ('or' in q) return q.or.map(printQ).join('|');
  const p = q.path.attrs.join('.') + q.path.keys.map((k) => `[${k}]`).join('');
  if (!q.op) return p;
  const o = q.operand;
  return `${p}${q.op}${'value' in o ? lit(o.value) : 'list' in o ? o.list.map(lit).join(',') : `${lit(o.range[0])}..${lit(o.range[1])}`}`;
}

/**
 * One value against the operand. Types must agree (a number with a number, a string with a string,
 * a boolean with a boolean); a date-time literal compares with strings that are date-times.
 */
function compare(v: unknown, op: Op, o: Operand): boolean {
  const as = (l: Literal): number | string | boolean | null => {
    if (typeof l === 'object') return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(v) ? Date.parse(l.dateTime) : null;
    return typeof v === typeof l ? l : null;
  };
  const x = (l: Literal) => (typeof l === 'object' ? Date.parse(v as string) : (v as number | string | boolean));
  if ('list' in o) return (op === '==') === o.list.some((l) => as(l) !== null && as(l) === x(l));
  if ('range' in o) {
    const [lo, hi] = o.range;
    if (as(lo) === null || as(hi) === null || typeof v === 'boolean') return false;
    const inside = x(lo) >= as(lo)! && x(hi) <= as(hi)!;
    return op === '==' ? inside : !inside;
  }
  const y = as(o.value);
  if (y === null) return false;
  const xv = x(o.value);
  switch (op) {
    case '==':
      return xv === y;
    case '!=':
      return xv !== y;
    case '>':
      return xv > y;
    case '>=':
      return xv >= y;
    case '<':
      return xv < y;
    case '<=':
      return xv <= y;
    case '~=':
    case '!~=':
      return (op === '~=') === (typeof xv === 'string' && compilePattern(String(y), 'q').test(xv));
  }
}

function valuesAt(e: StoredEntity, p: Path, map: TermMap): unknown[] {
  let level: Instance[] = e.attrs[expand(p.attrs[0]!, map)] ?? [];
  for (const sub of p.attrs.slice(1)) level = level.flatMap((i) => i.sub?.[expand(sub, map)] ?? []);
  return level
    .map((i) => (i.type === 'Relationship' ? i.object : i.value))
    .map((v) => p.keys.reduce<unknown>((acc, k) => (acc && typeof acc === 'object' ? (acc as Record<string, unknown>)[k] : undefined), v))
    .filter((v) => v !== undefined);
}

export function matches(e: StoredEntity, q: Query, map: TermMap): boolean {
  if ('and' in q) return q.and.every((x) => matches(e, x, map));
  if ('or' in q) return q.or.some((x) => matches(e, x, map));
  const values = valuesAt(e, q.path, map);
  if (!q.op) return values.length > 0;
  return values.some((v) => (Array.isArray(v) ? v.some((x) => compare(x, q.op!, q.operand)) : compare(v, q.op!, q.operand)));
}

/**
 * A SQL/JSON path predicate (for `jsonb_path_match(attrs, …)`) that holds for every entity the query matches, so the
 * database can narrow the candidates before `matches` decides exactly; null when it cannot narrow.
 * Only comparisons whose meaning is the same in both are translated: numbers, booleans, and the
 * equality of strings; date-times, patterns and the order of strings are left to `matches`.
 */
export function toJsonPath(q: Query, map: TermMap): string | null {
  if ('and' in q) {
    const parts = q.and.map((x) => toJsonPath(x, map)).filter((x) => x !== null);
    return parts.length ? `(${parts.join(' && ')})` : null;
  }
  if ('or' in q) {
    const parts = q.or.map((x) => toJsonPath(x, map));
    return parts.every((x) => x !== null) ? `(${parts.join(' || ')})` : null;
  }
  const name = (n: string) => JSON.stringify(expand(n, map));
  const instance = `$.${name(q.path.attrs[0]!)}[*]${q.path.attrs
    .slice(1)
    .map((a) => `.sub.${name(a)}[*]`)
    .join('')}`;
  if (!q.op) return `exists(${instance})`;
  const keys = q.path.keys.map((k) => `.${JSON.stringify(k)}`).join('');
  const lit = (l: Literal) => {
    if (typeof l === 'number') return /^-?\d+(\.\d+)?$/.test(String(l)) ? String(l) : null;
    return typeof l === 'boolean' || typeof l === 'string' ? JSON.stringify(l) : null;
  };
  // Relationships keep their target in `object`, a string: only string literals can match it.
  const test = (op: string, l: Literal) => {
    const v = lit(l);
    if (v === null) return null;
    return typeof l === 'string' && !keys ? `@.value ${op} ${v} || @.object ${op} ${v}` : `@.value${keys} ${op} ${v}`;
  };
  const o = q.operand;
  let cond: string | null = null;
  if ('list' in o) {
    const each = o.list.map((l) => test('==', l));
    if (q.op === '==' && each.every((e) => e !== null)) cond = each.join(' || ');
  } else if ('range' in o) {
    const [lo, hi] = o.range.map((l) => (typeof l === 'number' ? lit(l) : null));
    if (q.op === '==' && lo && hi) cond = `@.value${keys} >= ${lo} && @.value${keys} <= ${hi}`;
  } else if (q.op === '==' || q.op === '!=') {
    cond = test(q.op, o.value);
  } else if (['>', '>=', '<', '<='].includes(q.op) && typeof o.value === 'number') {
    cond = test(q.op, o.value);
  }
  return `exists(${instance}${cond ? ` ? (${cond})` : ''})`;
}
