import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { termMap } from './context.ts';
import type { StoredEntity } from './entity.ts';
import { AppError } from '../../platform/errors.ts';
import { matches, parseQ, printQ, toJsonPath, type Literal, type Op, type Query } from './q.ts';

const map = termMap(undefined, () => undefined);
const V = 'https://uri.etsi.org/ngsi-ld/default-context/';
const now = '2025-01-31T00:00:00Z';
const prop = (value: unknown, sub?: Record<string, unknown>) => [
  { type: 'Property' as const, value, createdAt: now, modifiedAt: now, ...(sub ? { sub: sub as never } : {}) },
];
const shelter: StoredEntity = {
  id: 'urn:ngsi-ld:Shelter:1',
  types: [`${V}Shelter`],
  createdAt: now,
  modifiedAt: now,
  attrs: {
    [`${V}capacity`]: prop(500, { [`${V}reliability`]: prop(0.9) }),
    [`${V}name`]: prop('浦町小学校'),
    [`${V}hazards`]: prop(['flood', 'tsunami']),
    [`${V}address`]: prop({ city: '青森市', zip: '030-0801' }),
    [`${V}openedAt`]: prop('2024-04-01T09:00:00Z'),
    [`${V}municipality`]: [{ type: 'Relationship', object: 'urn:ngsi-ld:Municipality:02201', createdAt: now, modifiedAt: now }],
  },
};
const q = (s: string) => matches(shelter, parseQ(s), map);

describe('the q language', () => {
  it.each([
    ['capacity>100', true],
    ['capacity>=500;capacity<=500', true],
    ['capacity<100', false],
    ['capacity==400..600', true],
    ['capacity!=400..600', false],
    ['capacity==100,500,900', true],
    ['name=="浦町小学校"', true],
    ['name~=".*小学校$"', true],
    ['name!~=".*中学校$"', true],
    ['hazards=="tsunami"', true],
    ['address[city]=="青森市"', true],
    ['capacity.reliability>0.5', true],
    ['municipality==urn:ngsi-ld:Municipality:02201', true],
    ['openedAt>2024-01-01T00:00:00Z', true],
    ['capacity', true],
    ['nothere', false],
    ['capacity<100|name=="浦町小学校"', true],
    ['(capacity<100|capacity>400);name=="x"', false],
    ['capacity<100;name=="x"|capacity==500', true],
  ])('%s -> %s', (query, expected) => {
    expect(q(query)).toBe(expected);
  });

  it.each(['', 'capacity>', 'capacity>>1', '(capacity>1', 'name=="open', 'capacity>1..2', 'a;', '[x]'])(
    'refuses %j with BadRequestData',
    (bad) => {
      expect(() => parseQ(bad)).toThrow(AppError);
    },
  );

  // Property-based: any query tree prints to q text that parses back to the same tree, and no
  // input whatsoever makes the parser fail with anything but a BadRequestData.
  const name = fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9_]{0,8}$/);
  const noNegativeZero = (n: number) => (Object.is(n, -0) ? 0 : n); // "-0" and "0" are the same number in q text
  const literal: fc.Arbitrary<Literal> = fc.oneof(
    fc.integer({ min: -1e6, max: 1e6 }).map(noNegativeZero),
    fc
      .double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true })
      .filter((d) => Number.isFinite(d) && !/e/i.test(String(d)))
      .map(noNegativeZero),
    fc.string({ maxLength: 10 }).filter((s) => !s.includes('"') && !s.includes('\\')),
    fc.boolean(),
    fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }).map((d) => ({ dateTime: d.toISOString() })),
  );
  const op = fc.constantFrom<Op>('==', '!=', '>', '>=', '<', '<=');
  const leaf: fc.Arbitrary<Query> = fc.oneof(
    fc.record({ path: fc.record({ attrs: fc.array(name, { minLength: 1, maxLength: 3 }), keys: fc.array(name, { maxLength: 2 }) }) }),
    fc.record({
      path: fc.record({ attrs: fc.array(name, { minLength: 1, maxLength: 2 }), keys: fc.constant([]) }),
      op,
      operand: fc.record({ value: literal }),
    }),
    fc.record({
      path: fc.record({ attrs: fc.array(name, { minLength: 1, maxLength: 1 }), keys: fc.constant([]) }),
      op: fc.constantFrom<Op>('==', '!='),
      operand: fc.oneof(
        fc.record({ list: fc.array(literal, { minLength: 2, maxLength: 4 }) }),
        fc.record({ range: fc.tuple(fc.integer(), fc.integer()) }),
      ),
    }),
  ) as fc.Arbitrary<Query>;
  const tree = fc.letrec<{ q: Query; and: Query; or: Query }>((tie) => ({
    q: fc.oneof({ depthSize: 'small' }, leaf, tie('and'), tie('or')),
    and: fc.array(fc.oneof(leaf, tie('or')), { minLength: 2, maxLength: 3 }).map((and) => ({ and })),
    or: fc.array(fc.oneof(leaf, tie('and')), { minLength: 2, maxLength: 3 }).map((or) => ({ or })),
  })).q;

  it('parse(print(tree)) is the tree', () => {
    fc.assert(
      fc.property(tree, (t) => {
        expect(parseQ(printQ(t))).toEqual(t);
      }),
      { numRuns: Number(process.env.Q_RUNS ?? 500) },
    );
  });

  it('any text is parsed or refused as BadRequestData, never crashes', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        try {
          parseQ(s);
        } catch (e) {
          expect(e).toBeInstanceOf(AppError);
        }
      }),
      { numRuns: 4 * Number(process.env.Q_RUNS ?? 500) },
    );
  });
});

describe('q narrowed in SQL', () => {
  // The database's SQL/JSON path predicate must keep every entity that `matches` keeps: checked on
  // random queries against entities with numbers, strings, booleans, arrays, sub-attributes and a
  // Relationship, in the real database engine (PGlite).
  it('toJsonPath never drops an entity that matches', async () => {
    const { PGlite } = await import('@electric-sql/pglite');
    const db = await PGlite.create();
    const value = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.constantFrom('a', 'b', 'urn:x:1', '2024-01-01T00:00:00Z'), fc.boolean());
    const entity = fc
      .record({
        a: fc.oneof(value, fc.array(value, { maxLength: 3 })),
        b: value,
        rel: fc.constantFrom('urn:x:1', 'urn:x:2'),
        sub: value,
      })
      .map(({ a, b, rel, sub }): StoredEntity => ({
        id: 'urn:e:1',
        types: [`${V}T`],
        createdAt: now,
        modifiedAt: now,
        attrs: {
          [`${V}a`]: prop(a, { [`${V}s`]: prop(sub) }),
          [`${V}b`]: prop({ k: b }),
          [`${V}rel`]: [{ type: 'Relationship', object: rel, createdAt: now, modifiedAt: now }],
        },
      }));
    const literal = fc.oneof(
      fc.integer({ min: -3, max: 3 }),
      fc.constantFrom('"a"', '"urn:x:1"', 'urn:x:1', 'true', '2024-01-01T00:00:00Z'),
    );
    const leaf = fc.oneof(
      fc
        .tuple(fc.constantFrom('a', 'b[k]', 'rel', 'a.s', 'missing'), fc.constantFrom('==', '!=', '>', '>=', '<', '<='), literal)
        .map(([p, o, l]) => `${p}${o}${l}`),
      fc.constantFrom('a==1..2', 'a!=1..2', 'a==1,"a"', 'a!=1,2', 'rel', 'a~="a"', 'a.s'),
    );
    const query = fc
      .array(fc.array(leaf, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 })
      .map((or) => or.map((and) => and.join(';')).join('|'));
    await fc.assert(
      fc.asyncProperty(entity, query, async (e, text) => {
        const parsed = parseQ(text);
        const path = toJsonPath(parsed, map);
        if (!matches(e, parsed, map) || path === null) return;
        const { rows } = await db.query<{ ok: boolean }>(`select jsonb_path_match($1::jsonb, $2::jsonpath, '{}', true) as ok`, [
          JSON.stringify(e.attrs),
          path,
        ]);
        expect(rows[0]!.ok, `${text} -> ${path}`).toBe(true);
      }),
      { numRuns: Number(process.env.Q_RUNS ?? 1000) },
    );
    await db.close();
  });
});
