// The checks of validate.ts and pattern.ts, case by case (ETSI GS CIM 009 v1.8, RFC 7946, RE2).
import { describe, expect, it } from 'vitest';
import { isDateTime } from './entity.ts';
import { compilePattern } from './pattern.ts';
import { checkName, checkText, isIri, ringIntersectsItself } from './validate.ts';

const closed = (...pts: number[][]) => [...pts, pts[0]!];

describe('RFC 7946 3.1.6 simple polygon rings', () => {
  it.each([
    ['a triangle', closed([0, 0], [1, 0], [0, 1]), false],
    ['a square', closed([0, 0], [1, 0], [1, 1], [0, 1]), false],
    ['a concave ring', closed([0, 0], [4, 0], [4, 4], [2, 1], [0, 4]), false],
    ['a bow tie', closed([0, 0], [1, 1], [1, 0], [0, 1]), true],
    ['a figure eight through one vertex', closed([0, 0], [1, 1], [2, 0], [2, 2], [1, 1], [0, 2]), true],
    ['a spike back along the previous edge', closed([0, 0], [2, 0], [1, 0], [1, 1]), true],
    ['a vertex on another edge', closed([0, 0], [4, 0], [4, 4], [2, 0], [0, 4]), true],
    ['the closing edge crossing the first ones', closed([0, 0], [2, 2], [2, 0], [0, 2]), true],
  ])('%s', (_title, ring, crosses) => {
    expect(ringIntersectsItself(ring)).toBe(crosses);
  });

  it('a 10,000-position circle is checked in well under a second', () => {
    const n = 10_000;
    const ring = closed(...Array.from({ length: n }, (_, k) => [Math.cos((2 * Math.PI * k) / n), Math.sin((2 * Math.PI * k) / n)]));
    const start = performance.now();
    expect(ringIntersectsItself(ring)).toBe(false);
    expect(performance.now() - start).toBeLessThan(500);
  });
});

describe('4.6.2 names and URIs (ETSI GS CIM 009 v1.8)', () => {
  it.each(['Shelter', 'name', '_x', 'a-b.c', '避難所', 'https://schema.org/name', 'ngsi-ld:location'])('%s is a name', (n) => {
    expect(() => checkName(n, 'type')).not.toThrow();
  });
  it.each([' ', 'a b', '', '1abc', 'x"y', 'a;b', '(a)', 'a\u0000'])('%j is not a name', (n) => {
    expect(() => checkName(n, 'type')).toThrow(/type/);
  });
  it.each(['urn:ngsi-ld:Shelter:1', 'https://example.jp/a?b=c#d', 'urn:ngsi-ld:避難所:1', 'urn:x:%41'])('%s is a URI', (u) => {
    expect(isIri(u)).toBe(true);
  });
  it.each(['urn:x: 1', 'no-scheme', 'urn:', 'urn:x:\u0000', 'urn:x:<a>', 'urn:x:%4', '1urn:x'])('%j is not a URI', (u) => {
    expect(isIri(u)).toBe(false);
  });
});

describe('date-times within what PostgreSQL stores', () => {
  it.each([
    ['2025-01-31T09:00:00Z', true],
    ['2025-01-31T09:00:00.123456789+09:00', true],
    ['0001-01-01T00:00:00Z', true],
    ['9999-12-31T23:59:59Z', true],
    ['2024-02-29T00:00:00-14:00', true],
    ['0000-01-01T00:00:00Z', false],
    ['0001-01-01T00:00:00+01:00', false],
    ['9999-12-31T23:59:59-01:00', false],
    ['2025-01-01T00:00:00+23:00', false],
    ['2025-01-01T00:00:00+14:30', false],
    ['2025-02-29T00:00:00Z', false],
    ['2025-01-01T00:00:00.1234567890Z', false],
    ['2025-01-01T00:00:00', false],
  ])('%s: %s', (s, ok) => {
    expect(isDateTime(s)).toBe(ok);
  });
});

describe('text PostgreSQL can store', () => {
  it.each(['plain', 'tab\tand\nlines\r', '😀 絵文字'])('%j passes', (s) => expect(() => checkText(s, 'x')).not.toThrow());
  it.each(['\u0000', 'a\u0007', '\u001f', '\ud800', 'x\udc00y'])('%j is refused', (s) => expect(() => checkText(s, 'x')).toThrow(/^x: /));
});

describe('4.9 patterns (RE2)', () => {
  it('compiles what RE2 can, refuses the rest naming the parameter', () => {
    expect(compilePattern('^urn:ngsi-ld:Shelter:.*', 'idPattern').test('urn:ngsi-ld:Shelter:1')).toBe(true);
    expect(() => compilePattern('(a)\\1', 'idPattern')).toThrow(/^idPattern: /);
    expect(() => compilePattern('(?<=a)b', 'q')).toThrow(/^q: /);
    expect(() => compilePattern('(.|a){999}', 'q')).toThrow(/too complex/);
  });

  it('matches the classic catastrophic patterns in linear time', () => {
    const text = 'a'.repeat(100_000) + '!';
    for (const p of ['(a+)+$', '(a|aa)+b', '(.*.*)*#', '([a-z]+)*$']) {
      const start = performance.now();
      compilePattern(p, 'q').test(text);
      expect(performance.now() - start, p).toBeLessThan(500);
    }
  });
});
