import { describe, expect, it } from 'vitest';
import { exifTime, heifPixels, sniff } from './report-image.ts';

const bytes = (s: string) => new Uint8Array([...s].map((c) => c.charCodeAt(0)));

describe('photo formats by their first bytes', () => {
  it.each([
    ['JPEG', new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0]), 'jpeg'],
    ['PNG', bytes('\x89PNG\r\n\x1a\n....'), 'png'],
    ['WebP', bytes('RIFF....WEBPVP8 '), 'webp'],
    ['HEIC (iPhone, ISO/IEC 23008-12 brand heic)', bytes('\0\0\0\x24ftypheic\0\0\0\0'), 'heic'],
    ['HEIF (brand mif1)', bytes('\0\0\0\x18ftypmif1\0\0\0\0'), 'heic'],
    ['MP4 (brand isom)', bytes('\0\0\0\x18ftypisom\0\0\0\0'), undefined],
    ['AVIF (not offered)', bytes('\0\0\0\x18ftypavif\0\0\0\0'), undefined],
    ['HTML', bytes('<html>'), undefined],
    ['empty', new Uint8Array(), undefined],
  ])('%s', (_l, b, format) => expect(sniff(b)).toBe(format));

  it("reads a HEIF's declared size from its ispe box before decoding", () => {
    const ispe = new Uint8Array(20);
    ispe.set(bytes('ispe'), 4);
    new DataView(ispe.buffer).setUint32(12, 8064);
    new DataView(ispe.buffer).setUint32(16, 6048);
    expect(heifPixels(ispe)).toBe(8064 * 6048);
    expect(heifPixels(bytes('no boxes here'))).toBe(0);
  });
});

describe('EXIF time (DateTimeOriginal has no zone: OffsetTimeOriginal, else Japan time)', () => {
  it.each([
    ['2026:12:01 10:20:30', undefined, '2026-12-01T01:20:30.000Z'],
    ['2026:12:01 10:20:30', '+00:00', '2026-12-01T10:20:30.000Z'],
    ['2026:12:01 10:20:30', 'junk', '2026-12-01T01:20:30.000Z'],
    ['2026:13:45 99:99:99', undefined, undefined],
    ['', undefined, undefined],
    [12345, undefined, undefined],
  ])('%s %s', (raw, offset, iso) => expect(exifTime(raw, offset)).toBe(iso));
});
