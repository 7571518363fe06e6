// Photos as a phone writes them, for the 写真投稿 tests: a JPEG with EXIF GPS (near 青森市役所,
// 40°49'20"N 140°44'50"E), an EXIF time, an orientation and an XMP packet, made here with sharp.
import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import type { Db } from '../src/platform/db.ts';
import { insertReport } from '../src/modules/disaster/repository-reports.ts';

export function photoWithGps(o: { width?: number; height?: number; orientation?: number } = {}) {
  return sharp({ create: { width: o.width ?? 2400, height: o.height ?? 1800, channels: 3, background: '#3366cc' } })
    .jpeg()
    .withMetadata({ orientation: o.orientation ?? 1 })
    .withExif({
      IFD0: { Make: 'TestPhone', Model: 'X' },
      IFD2: { DateTimeOriginal: '2026:12:01 10:20:30' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '40/1 49/1 20/1', GPSLongitudeRef: 'E', GPSLongitude: '140/1 44/1 50/1' },
    })
    .withXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></x:xmpmeta>')
    .toBuffer();
}

/** A resident's pending 写真投稿 of 浸水 in 青森市 written directly (no location; taken 2026-11-30 10:00 in Japan): its id. */
export async function insertPhotoReport(db: Db, residentId: string): Promise<string> {
  const id = randomUUID();
  const jpeg = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#336699' } })
    .jpeg()
    .toBuffer();
  await insertReport(db, {
    ...{ id, residentId, clientId: `c-${id}`, municipality: '02201', lon: null, lat: null, locationSource: 'none' },
    ...{ category: 'flood', note: '床上浸水', takenAt: '2026-11-30T01:00:00.000Z', createdAt: new Date().toISOString() },
    ...{ status: 'pending', image: new Uint8Array(jpeg), imageHash: 'x', width: 64, height: 48 },
  });
  return id;
}
