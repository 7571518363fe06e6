// The public check of a 罹災証明書 (/disaster/certificates/verify?code=…): whoever is shown the paper (an
// insurer, a bank, another office) types its code and learns whether it was issued, by which
// municipality, with which grade, cause, date of damage and date of issue — never the name or the
// address, which the paper itself shows. A GET form, so the QR code on the paper opens the answer.
import { Hono } from 'hono';
import type { Db } from '../../../platform/db.ts';
import { disasterPage } from '../page.tsx';
import type { MapDataSource } from '../shelters.ts';
import { damageGrades, damageTypes, normaliseCode } from './certificates.ts';
import { warekiDate } from './pdf.ts';
import { findVerification } from './repository.ts';

export const verifyPath = '/disaster/certificates/verify';

export function verifyRoutes(db: Db, map: MapDataSource['get']) {
  const app = new Hono();
  app.get(verifyPath, async (c) => {
    const typed = (c.req.query('code') ?? '').slice(0, 64);
    const code = typed ? normaliseCode(typed) : undefined;
    const found = code ? await findVerification(db, code) : undefined;
    const { municipalities } = await map();
    const answer = !typed ? undefined : found ? 'valid' : 'invalid';
    return disasterPage(
      c,
      '罹災証明書の確認',
      <>
        <h1>罹災証明書の確認</h1>
        <p>
          罹災証明書の右上にある証明番号を入力すると、その証明書が市町村から交付されたものかを確かめられます。氏名や住所は表示しません。
        </p>
        <form method="get" action={verifyPath}>
          <p class="field">
            <label for="verify-code">証明番号（例: AB12-CD34-EF56）</label>
            <input id="verify-code" name="code" value={typed} maxlength={64} autocomplete="off" required />
          </p>
          <button type="submit" class="button">
            確認する
          </button>
        </form>
        {answer === 'valid' && found && (
          <section aria-labelledby="verify-result" class="verify-result">
            <h2 id="verify-result">有効: この証明書は交付されています</h2>
            <dl>
              <dt>証明番号</dt>
              <dd>{found.code}</dd>
              <dt>交付した市町村</dt>
              <dd>{municipalities.get(found.municipality)?.name ?? found.municipality}</dd>
              <dt>住家の被害の程度</dt>
              <dd>{damageGrades[found.grade as keyof typeof damageGrades]?.label ?? found.grade}</dd>
              <dt>被害の原因</dt>
              <dd>{damageTypes[found.damageType as keyof typeof damageTypes] ?? found.damageType}</dd>
              <dt>被災年月日</dt>
              <dd>{warekiDate(found.damagedOn)}</dd>
              <dt>交付日</dt>
              <dd>{warekiDate(found.issuedAt)}</dd>
            </dl>
            <p>氏名・住所は証明書の記載と、提示した人の本人確認書類とで確かめてください。</p>
          </section>
        )}
        {answer === 'invalid' && (
          <section aria-labelledby="verify-result" role="alert">
            <h2 id="verify-result">無効: この証明番号の証明書はありません</h2>
            <p>番号を確かめて入力し直してください。それでも見つからないときは、証明書にある市町村にお問い合わせください。</p>
          </section>
        )}
      </>,
      { maxAge: 0, status: answer === 'invalid' ? 404 : 200 },
    );
  });
  return app;
}
