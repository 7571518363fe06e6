// PDFs read back with poppler (poppler-utils, scripts/install-system.sh): the text by pdftotext, the
// first page as an image by pdftoppm — what a person would see, not what the writer meant to write.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
