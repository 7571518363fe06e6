// The 罹災証明書 PDF, checked with poppler (poppler-utils): pdftotext reads its Japanese text back
// (the embedded IPAex subset carries a ToUnicode map, PDF 32000-1 §9.10.3), pdftoppm rasterises the
// page, and the raster has ink where the text is — so the glyphs themselves were embedded, not only
// their Unicode (a broken subset extracts fine but renders blank).
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { darkPixels, pdfPage, pdfText } from '../../../../test/pdf.ts';
import { certificatePdf, japaneseFont, warekiDate } from './pdf.ts';

const content = {
  code: 'AB12-CD34-EF56',
  verifyUrl: 'https://renkei.example.jp/disaster/certificates/verify?code=AB12-CD34-EF56',
  municipalityName: '弘前市',
  name: '津軽 花子',
  address: '青森県弘前市大字下白銀町1番地1',
  damageType: 'flood',
  damagedOn: '2026-11-30',
  grade: 'mediumHalf',
  issuedAt: '2026-12-02T03:00:00.000Z',
};

describe('罹災証明書 PDF', () => {
  it('writes the dates in the Japanese calendar (令和)', () => {
    expect(warekiDate('2026-11-30')).toBe('令和8年11月30日');
    expect(warekiDate('2026-12-01T16:00:00.000Z')).toBe('令和8年12月2日'); // 01:00 in Japan
  });

  it('has its Japanese text: title, name, address, grade, municipality, code and URL (pdftotext)', async () => {
    const pdf = await certificatePdf(content);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(pdf).replace(/[ \t]+/g, ' ');
    for (const s of [
      '罹災証明書',
      '世帯主氏名 津軽 花子',
      '青森県弘前市大字下白銀町1番地1',
      '被災年月日 令和8年11月30日',
      '被害の原因 浸水',
      '住家の被害の程度 中規模半壊',
      '上記のとおり相違ないことを証明します。',
      '令和8年12月2日',
      '弘前市長',
      '証明番号 AB12-CD34-EF56',
      'https://renkei.example.jp/disaster/certificates/verify?code=AB12-CD34-EF56',
    ])
      expect(text).toContain(s);
  });

  it('renders with ink in the title band (pdftoppm), the glyphs embedded, not only their Unicode', async () => {
    const png = pdfPage(await certificatePdf(content));
    expect((await sharp(png).metadata()).width).toBe(Math.ceil((595.28 / 72) * 50)); // A4 at 50 dpi
    // The title 「罹災証明書」 at 24 pt sits about 1.5 inch down the page; the band above the code is blank.
    expect(await darkPixels(png, 0.12, 0.2)).toBeGreaterThan(200);
    expect(await darkPixels(png, 0, 0.05)).toBe(0);
  });

  it('says what to install when no Japanese font is there', () => {
    expect(() => japaneseFont(['/nonexistent/font.ttf'])).toThrow(/fonts-ipaexfont-gothic/);
  });
});
