// The household's evacuation card in マイページ (/my/disaster/card): a QR code and a short code to show
// at a shelter's reception (checkin-staff.tsx). Nothing personal is in it (card.ts). The image is in
// the page itself (a data: URL), so a loaded or printed page works without a network, and it can be
// saved as a picture (/my/disaster/card.png). Renewing makes the old card stop working.
import { Hono } from 'hono';
import QRCode from 'qrcode';
import type { Db } from '../../platform/db.ts';
import { notFound } from '../../platform/errors.ts';
import { myPage, Csrf, type ResidentEnv } from '../residents/index.ts';
import { jst } from './alerts-public.tsx';
import { cardOf, formatShortCode, issueCard, payloadOf, type CardKey } from './card.ts';

export const cardSections = [{ href: '/my/disaster/card', label: '避難カード（避難所の受付用QRコード）' }] as const;

// ISO/IEC 18004: level M (15 % restorable) stands a creased or smudged print; 4 modules of quiet zone.
const qrOptions = { errorCorrectionLevel: 'M' as const, margin: 4, scale: 8 };

export function myCardRoutes(db: Db, key: CardKey) {
  const app = new Hono<ResidentEnv>();

  app.get('/my/disaster/card', async (c) => {
    const card = await cardOf(db, c.get('residentId'));
    const renewed = c.req.query('done') === 'issued';
    const png = card && (await QRCode.toDataURL(await payloadOf(key, card), qrOptions));
    return myPage(
      c,
      '避難カード',
      <>
        <h1>避難カード</h1>
        {renewed && <p role="status">避難カードを発行しました。</p>}
        <p>
          避難所の受付でこのQRコードを見せると、名前などを書かずに受付できます。QRコードには個人情報は入っていません。事前に登録した要配慮事項は、
          <a href="/my/consents/shelter-reception">共有に同意</a>した市町村の避難所の職員だけが見られます。
        </p>
        {card ? (
          <>
            <figure class="evacuation-card">
              <img src={png as string} width={264} height={264} alt="避難カードのQRコード" />
              <figcaption>
                カードの番号 <strong id="card-short-code">{formatShortCode(card.shortCode)}</strong>
                <br />
                {`発行 ${jst(card.issuedAt)}`}
              </figcaption>
            </figure>
            <p>このページを印刷するか、画像を保存しておくと、インターネットにつながらないときも使えます。</p>
            <p>
              <a href="/my/disaster/card.png" download="避難カード.png">
                QRコードを画像として保存する
              </a>
            </p>
            <form method="post" action="/my/disaster/card">
              <Csrf c={c} />
              <p>カードをなくしたときや人に見られたときは更新してください。古いカードは使えなくなります。</p>
              <button type="submit">避難カードを更新する</button>
            </form>
          </>
        ) : (
          <form method="post" action="/my/disaster/card">
            <Csrf c={c} />
            <button type="submit" class="button">
              避難カードを発行する
            </button>
          </form>
        )}
      </>,
    );
  });

  app.get('/my/disaster/card.png', async (c) => {
    const card = await cardOf(db, c.get('residentId'));
    if (!card) throw notFound('避難カード');
    const png = await QRCode.toBuffer(await payloadOf(key, card), qrOptions);
    c.header('Cache-Control', 'no-store');
    return c.body(new Uint8Array(png), 200, { 'Content-Type': 'image/png' });
  });

  app.post('/my/disaster/card', async (c) => {
    await issueCard(db, c.get('residentId'));
    return c.redirect('/my/disaster/card?done=issued', 303);
  });
  return app;
}
