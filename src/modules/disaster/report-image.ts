// A resident's photo made safe to publish: JPEG, PNG, WebP or HEIC (iPhone) in, at most 15 MB and
// 50 million pixels (counted before decoding: a small file can expand to gigabytes), turned upright by
// its EXIF orientation, reduced to 1600 px on the long side and written as a JPEG with no metadata at
// all (sharp writes none unless asked: no EXIF, GPS, XMP, IPTC or ICC). The location and time the
// photo carried are read first (exifr), for the report, and never written into the published file.
import { createHash } from 'node:crypto';
import exifr from 'exifr';
import heicConvert from 'heic-convert';
import sharp, { type OutputInfo } from 'sharp';
import { AppError, badRequest } from '../../platform/errors.ts';

export const imageLimits = { bytes: 15 * 1024 * 1024, pixels: 50_000_000, longSide: 1600 } as const;

export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'heic';

export interface PreparedImage {
  jpeg: Uint8Array;
  hash: string;
  width: number;
  height: number;
  /** From the photo's EXIF, when it had them. */
  gps?: [number, number];
  takenAt?: string;
}

const unreadable = () => badRequest('画像として読めませんでした。JPEG・PNG・WebP・HEIC の写真を選んでください。');
const tooManyPixels = () => new AppError(413, 'too_large', '画像の画素数が大きすぎます（5000万画素まで）。');

/** The format by its first bytes (the file name and the browser's type are not trusted). */
export function sniff(b: Uint8Array): ImageFormat | undefined {
  const ascii = (from: number, to: number) => String.fromCharCode(...b.subarray(from, to));
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (ascii(0, 8) === '\x89PNG\r\n\x1a\n') return 'png';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
  // ISO BMFF 'ftyp' with a HEIF brand (ISO/IEC 23008-12 Annex B): heic/heix (iPhone), mif1 (generic).
  if (ascii(4, 8) === 'ftyp' && ['heic', 'heix', 'heim', 'heis', 'mif1'].includes(ascii(8, 12))) return 'heic';
  return undefined;
}

/** The largest image size a HEIF file declares (its 'ispe' boxes), read before anything is decoded. */
export function heifPixels(b: Uint8Array): number {
  let max = 0;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 4; i + 16 <= b.length; i++) {
    // 'ispe' full box: size, 'ispe', version/flags (4), width (4), height (4)
    if (b[i] === 0x69 && b[i + 1] === 0x73 && b[i + 2] === 0x70 && b[i + 3] === 0x65)
      max = Math.max(max, view.getUint32(i + 8) * view.getUint32(i + 12));
  }
  return max;
}

/** EXIF DateTimeOriginal ("YYYY:MM:DD hh:mm:ss", local time) with its offset, else Japan's (+09:00). */
export function exifTime(raw: unknown, offset: unknown): string | undefined {
  const m = typeof raw === 'string' ? /^(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})/.exec(raw) : null;
  if (!m) return undefined;
  const zone = typeof offset === 'string' && /^[+-]\d{2}:\d{2}$/.test(offset) ? offset : '+09:00';
  const t = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${zone}`);
  return Number.isNaN(t.getTime()) ? undefined : t.toISOString();
}

async function readExif(b: Uint8Array): Promise<Pick<PreparedImage, 'gps' | 'takenAt'>> {
  try {
    // Raw values: exifr would read the zone-less time in the server's zone (UTC), not the phone's.
    const tags = (await exifr.parse(Buffer.from(b), { gps: true, reviveValues: false, pick: undefined })) as
      Record<string, unknown> | undefined;
    const gps = (await exifr.gps(Buffer.from(b)).catch(() => undefined)) as { latitude?: number; longitude?: number } | undefined;
    const lon = gps?.longitude;
    const lat = gps?.latitude;
    return {
      gps: Number.isFinite(lon) && Number.isFinite(lat) ? [lon!, lat!] : undefined,
      takenAt: exifTime(tags?.DateTimeOriginal, tags?.OffsetTimeOriginal),
    };
  } catch {
    return {}; // no or broken metadata: the form's location and time are used
  }
}

/** HEIC is decoded one at a time: a 48-megapixel photo takes ~200 MB while it is (heic-convert holds all of it). */
let heicTurn: Promise<unknown> = Promise.resolve();
function heicToJpeg(b: Uint8Array): Promise<Uint8Array> {
  const run = heicTurn.then(async () => new Uint8Array(await heicConvert({ buffer: b, format: 'JPEG', quality: 0.92 })));
  heicTurn = run.catch(() => undefined);
  return run;
}

export async function prepareImage(input: Uint8Array): Promise<PreparedImage> {
  if (input.length === 0) throw badRequest('写真を選んでください。');
  if (input.length > imageLimits.bytes) throw new AppError(413, 'too_large', '写真のファイルが大きすぎます（15MBまで）。');
  const format = sniff(input);
  if (!format) throw unreadable();
  const exif = await readExif(input);
  let source = input;
  if (format === 'heic') {
    const pixels = heifPixels(input);
    if (pixels === 0) throw unreadable();
    if (pixels > imageLimits.pixels) throw tooManyPixels();
    source = await heicToJpeg(input).catch(() => {
      throw unreadable();
    });
  }
  let out: { data: Buffer; info: OutputInfo };
  try {
    out = await sharp(source, { limitInputPixels: imageLimits.pixels, failOn: 'error', animated: false })
      .rotate() // upright by EXIF Orientation, before the metadata is dropped
      .resize(imageLimits.longSide, imageLimits.longSide, { fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .jpeg({ quality: 82, mozjpeg: true })
      .toBuffer({ resolveWithObject: true });
  } catch (err) {
    if (err instanceof Error && /pixel limit/i.test(err.message)) throw tooManyPixels();
    throw unreadable();
  }
  const jpeg = new Uint8Array(out.data);
  return {
    jpeg,
    hash: createHash('sha256').update(jpeg).digest('hex'),
    width: out.info.width,
    height: out.info.height,
    ...exif,
  };
}
