// heic-convert 2.1.0 ships no types: the one call used here (report-image.ts).
declare module 'heic-convert' {
  export default function convert(o: { buffer: Uint8Array; format: 'JPEG' | 'PNG'; quality?: number }): Promise<ArrayBuffer>;
}
