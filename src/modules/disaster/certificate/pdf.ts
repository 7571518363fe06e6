// The 罹災証明書 as a PDF (pdfkit), in Japanese, with its verification code, URL and a QR code of the
// URL. The font is IPAexゴシック from Debian's fonts-ipaexfont-gothic (scripts/install-system.sh): a
// TrueType (glyf) font, subset cleanly by fontkit — pdfkit's CJK troubles are with CFF-based OpenType
// (Noto Sans CJK, foliojs/pdfkit#1106, #1135) and collections that need a PostScript name (.ttc, #706).
import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { AppError } from '../../../platform/errors.ts';
import { damageGrades, damageTypes } from './certificates.ts';

/** Where Debian puts IPAexゴシック, then the IPA font of fonts-ipafont-gothic; PDF_FONT overrides. */
const FONT_CANDIDATES = [
  '/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf',
  '/usr/share/fonts/truetype/ipaexfont-gothic/ipaexg.ttf',
  '/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf',
];

export function japaneseFont(candidates = [process.env.PDF_FONT, ...FONT_CANDIDATES]): string {
  const found = candidates.find((p): p is string => Boolean(p) && existsSync(p!));
  if (!found)
    throw new AppError(
      503,
      'pdf_font_missing',
      'PDF に使う日本語フォント（IPAexゴシック）がこのサーバーにありません。管理者が `sudo apt-get install fonts-ipaexfont-gothic`（scripts/install-system.sh）でインストールしてください。',
    );
  return found;
}

const era = new Intl.DateTimeFormat('ja-JP-u-ca-japanese', {
  era: 'long',
  year: 'numeric',
  month: 'long',
  day: 'numeric',
  timeZone: 'Asia/Tokyo',
});
/** 令和8年12月2日: a date (YYYY-MM-DD, Japan) or an instant, in the Japanese calendar as official papers write it. */
export const warekiDate = (v: string) => era.format(new Date(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T12:00:00+09:00` : v));

export interface CertificateContent {
  code: string;
  verifyUrl: string;
  municipalityName: string;
  name: string;
  address: string;
  damageType: string;
  damagedOn: string;
  grade: string;
  issuedAt: string;
}

export async function certificatePdf(c: CertificateContent): Promise<Buffer> {
  const font = japaneseFont();
  const qr = await QRCode.toBuffer(c.verifyUrl, { errorCorrectionLevel: 'M', margin: 1, width: 240 });
  const doc = new PDFDocument({
    size: 'A4',
    margin: 64,
    lang: 'ja',
    info: { Title: '罹災証明書', Author: `${c.municipalityName}長`, Subject: `証明番号 ${c.code}` },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (b: Buffer) => chunks.push(b));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('jp', font);
  doc.font('jp');
  const width = doc.page.width - 128;
  doc.fontSize(10).text(`証明番号\u3000${c.code}`, { align: 'right' });
  doc.moveDown(1.5).fontSize(24).text('罹災証明書', { align: 'center', characterSpacing: 8 });
  doc.moveDown(1.5).fontSize(12);
  const grade = damageGrades[c.grade as keyof typeof damageGrades];
  const rows: [string, string][] = [
    ['世帯主氏名', c.name],
    ['被災住家の所在地', c.address],
    ['被災年月日', warekiDate(c.damagedOn)],
    ['被害の原因', damageTypes[c.damageType as keyof typeof damageTypes] ?? c.damageType],
    ['住家の被害の程度', grade?.label ?? c.grade],
  ];
  for (const [label, value] of rows) {
    const y = doc.y;
    doc.text(label, 64, y, { width: 130 });
    doc.text(value, 200, y, { width: width - 136 });
    doc.moveDown(0.8);
  }
  doc.moveDown(0.5).fontSize(9);
  doc.text('被害の程度は、内閣府（防災担当）「災害に係る住家の被害認定基準運用指針」に基づき判定しました。', 64, doc.y, { width });
  doc.moveDown(2).fontSize(12).text('上記のとおり相違ないことを証明します。', { width });
  doc.moveDown(1).text(warekiDate(c.issuedAt), { width });
  doc.moveDown(1).fontSize(14).text(`${c.municipalityName}長`, { width, align: 'right' });
  const top = doc.page.height - 64 - 110;
  doc.image(qr, 64, top, { width: 96 });
  doc
    .fontSize(9)
    .text(
      'この証明書が交付されたものであることは、右のURLまたはQRコードから証明番号で確かめられます（氏名・住所は表示されません）。',
      172,
      top,
      {
        width: width - 108,
      },
    )
    .moveDown(0.5)
    .text(c.verifyUrl, { width: width - 108 });
  doc.end();
  return done;
}
