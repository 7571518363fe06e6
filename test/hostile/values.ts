// Hostile values for fuzz tests (issue 9): the classes of input the platform must refuse, and
// helpers to put a few of them at a time into requests.
import fc from 'fast-check';

// Hostile strings: the classes of the issue, and random ones (any UTF-16, lone surrogates included).
export const nasty = [
  '',
  ' ',
  'a b',
  '\u0000',
  'x\u0000y',
  '\u0007',
  '\ud800',
  '\udfff x',
  '😀',
  '\u202e',
  '\ufeff',
  'ｱ',
  '0000-01-01T00:00:00Z',
  '2025-01-01T00:00:00+23:00',
  '+10000-01-01T00:00:00Z',
  '2025-02-30T00:00:00Z',
  '1e308',
  '-1',
  '1.5',
  'NaN',
  'Infinity',
  '0x10',
  '9'.repeat(400),
  'a'.repeat(5000),
  '(.*.*)*!',
  '(a+)+$',
  '(a)\\1',
  '(?=a)',
  '[',
  '"',
  "'",
  '\\',
  '%',
  '%00',
  '../',
  '<script>',
  '{}',
  '[]',
  'null',
  'true',
  'urn:',
  'http:///x',
  '@context',
  '__proto__',
  'constructor',
  'name==',
  'name~="(a|aa)+$"',
  ';;',
  '||',
];
export const hostile = fc.oneof(fc.constantFrom(...nasty), fc.string({ unit: 'binary', maxLength: 40 }), fc.string({ maxLength: 10 }));

export const numberish = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom('1e308', '-1', '1.5', '99999999999999999999', '0x10', ' 5', '', '1000000', '2147483648', '-0', '１'),
  },
  { weight: 1, arbitrary: fc.integer().map(String) },
  { weight: 1, arbitrary: hostile },
);
export const dateish = fc.oneof(
  fc.constantFrom(
    '0000-01-01T00:00:00Z',
    '2025-01-01T00:00:00+23:00',
    '2025-01-01T00:00:00-15:00',
    '+010000-01-01T00:00:00Z',
    '9999-12-31T23:59:59-01:00',
  ),
  fc.constantFrom('2025-01-01T00:00:00.' + '1'.repeat(50) + 'Z', '2025-13-01T00:00:00Z', '2025-01-01', '1e308'),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  hostile,
);

/** Sometimes the value, mostly absent (1 in `rarity`): a few hostile members at a time, not all at once. */
export const some = <T>(arb: fc.Arbitrary<T>, rarity = 3) =>
  fc.oneof({ weight: rarity - 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });

/** Mostly the value, sometimes absent. */
export const often = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ weight: 1, arbitrary: fc.constant(undefined) }, { weight: 7, arbitrary: arb });

/** Query strings percent-encoded byte by byte (also invalid UTF-8, which encodeURIComponent cannot write). */
export const enc = (s: string) =>
  s === '%ED%A0%80' ? s : [...Buffer.from(s, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
export const query = (params: [string, string | undefined][]) =>
  params
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${enc(v!)}`)
    .join('&');

/** A request as the fuzz tests send it. */
export interface Req {
  method: string;
  path: string;
  body?: string;
  headers?: Record<string, string>;
}
