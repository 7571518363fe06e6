// Photos as a phone writes them, for the 写真投稿 tests: a JPEG with EXIF GPS (near 青森市役所,
// 40°49'20"N 140°44'50"E), an EXIF time, an orientation and an XMP packet, made here with sharp.
import sharp from 'sharp';

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
