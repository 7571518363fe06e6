// The NGSI-LD query language (ETSI GS CIM 009, clause 4.9): parsed into a tree and evaluated
// against stored (expanded) entities. Pure: no I/O. `;` is AND and binds tighter than `|` (OR).
import { expand, type TermMap } from './context.ts';
import type { Instance, StoredEntity } from './entity.ts';
import { BrokerError } from './errors.ts';

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
  throw new BrokerError('BadRequestData', `q: ${detail}`);
};

const NAME = /[A-Za-z0-9_@#:/-]/;

export function parseQ(input: string): Query {
  let i = 0;
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
      const q = or();
      if (!eat(')')) fail(`")" is expected at position ${i}`);
      return q;
    }
    const p = path();
    const op = ops.find((o) => peek(o));
    if (!op) return { path: p };
    i += op.length;
    return { path: p, op, operand: operand(op) };
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

const comparable = (v: unknown): number | string | boolean | null =>
  typeof v === 'number' || typeof v === 'boolean' ? v : typeof v === 'string' ? (/^\d{4}-\d{2}-\d{2}T/.test(v) ? Date.parse(v) : v) : null;
const litValue = (l: Literal) => (typeof l === 'object' ? Date.parse(l.dateTime) : l);

function compare(v: unknown, op: Op, o: Operand): boolean {
  const x = comparable(v);
  if (x === null) return false;
  if ('list' in o) return (op === '==') === o.list.some((l) => litValue(l) === x);
  if ('range' in o) {
    const [lo, hi] = o.range.map(litValue) as [number | string, number | string];
    const inside = typeof x !== 'boolean' && x >= lo && x <= hi;
    return op === '==' ? inside : !inside;
  }
  const y = litValue(o.value);
  switch (op) {
    case '==':
      return x === y;
    case '!=':
      return x !== y;
    case '>':
      return x > y;
    case '>=':
      return x >= y;
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '~=':
    case '!~=': {
      let re: RegExp;
      try {
        re = new RegExp(String(y));
      } catch {
        return fail(`"${String(y)}" is not a valid pattern`);
      }
      return (op === '~=') === (typeof x === 'string' && re.test(x));
    }
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

/** Attributes (as written in the query) that an entity must have for the query to match it. */
export function topLevelAttributes(q: Query): string[] {
  if ('and' in q) return [...new Set(q.and.flatMap(topLevelAttributes))];
  if ('or' in q) {
    const [first, ...rest] = q.or.map(topLevelAttributes);
    return first!.filter((a) => rest.every((r) => r.includes(a)));
  }
  return [q.path.attrs[0]!];
}
