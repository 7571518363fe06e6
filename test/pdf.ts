// PDFs read back with poppler (poppler-utils, scripts/install-system.sh): the text by pdftotext, the
// first page as an image by pdftoppm — what a person would see, not what the writer meant to write.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';

function written(pdf: Uint8Array) {
  const dir = mkdtempSync(join(tmpdir(), 'pdf-'));
  writeFileSync(join(dir, 'in.pdf'), pdf);
  return { dir, file: join(dir, 'in.pdf') };
}

/** The text, laid out as on the page (pdftotext -layout, UTF-8). */
export const pdfText = (pdf: Uint8Array) =>
  execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', written(pdf).file, '-'], { encoding: 'utf8' });

/** The first page as a greyscale PNG at `dpi` (pdftoppm). */
export function pdfPage(pdf: Uint8Array, dpi = 50): Buffer {
  const { dir, file } = written(pdf);
  execFileSync('pdftoppm', ['-png', '-gray', '-r', String(dpi), '-f', '1', '-l', '1', '-singlefile', file, join(dir, 'page')]);
  return readFileSync(join(dir, 'page.png'));
}

/** How many pixels of a greyscale PNG are dark (< 128) between two heights, given as fractions of the page. */
export async function darkPixels(png: Buffer, from = 0, to = 1): Promise<number> {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  let n = 0;
  for (let y = Math.round(info.height * from); y < Math.round(info.height * to); y++)
    for (let x = 0; x < info.width; x++) if (data[(y * info.width + x) * info.channels]! < 128) n++;
  return n;
}
