// Public checks of a signed receipt: the JWKS, a JSON API and a page without JavaScript. The answer
// names the record and its current status, never the resident.
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Db } from '../../platform/db.ts';
import { Layout } from '../../web/layout.tsx';
import { categoryOf } from './categories.ts';
import { consentState, type Units } from './consents.ts';
import { jaDate } from './consents.tsx';
import { purposeOf } from './purposes.ts';
import { invalidMessages, jwks, MAX_RECEIPT_BYTES, verifyReceipt, type InvalidReason, type receiptKeys } from './receipts.ts';
import { findConsentRowById } from './repository-consents.ts';

export type ReceiptCheck =
  | {
      valid: true;
      receipt: { id: string; issuedAt: string };
      record: {
        id: string;
        purpose: { id: string; title: string | null; version: number };
        recipient: { id: string; name: string | null };
        categories: string[];
        givenAt: string;
        expiresAt: string;
      };
      status: { state: 'given' | 'withdrawn' | 'expired'; withdrawnAt: string | null; checkedAt: string };
    }
  | { valid: false; reason: InvalidReason; message: string };

const invalid = (reason: InvalidReason): ReceiptCheck => ({ valid: false, reason, message: invalidMessages[reason] });

/** The signature first, then the record's status as stored now (a withdrawal after issue shows). */
export async function checkReceipt(db: Db, units: Units, key: ReturnType<typeof receiptKeys>, text: unknown): Promise<ReceiptCheck> {
  const v = await verifyReceipt(key, text);
  if (!v.valid) return invalid(v.reason);
  const row = await findConsentRowById(db, v.recordId);
  if (!row) return invalid('unknown-record');
  const now = new Date();
  const recipient = await units.unit(row.recipientId);
  return {
    valid: true,
    receipt: { id: v.receiptId, issuedAt: v.issuedAt },
    record: {
      id: row.id,
      purpose: { id: row.purposeId, title: purposeOf(row.purposeId)?.title ?? null, version: row.purposeVersion },
      recipient: { id: row.recipientId, name: recipient?.fullName ?? null },
      categories: row.categories,
      givenAt: row.givenAt.toISOString(),
      expiresAt: row.expiresAt.toISOString(),
    },
    status: { state: consentState(row, now), withdrawnAt: row.withdrawnAt?.toISOString() ?? null, checkedAt: now.toISOString() },
  };
}

const stateLabel = { given: '同意中（有効）', withdrawn: '撤回済み', expired: '期限切れ' } as const;

function Result(props: { check: ReceiptCheck }) {
  const r = props.check;
  if (!r.valid)
    return (
      <section aria-labelledby="result">
        <h2 id="result">検証の結果：無効な控えです</h2>
        <p role="alert">{r.message}</p>
      </section>
    );
  return (
    <section aria-labelledby="result">
      <h2 id="result">検証の結果：この基盤が発行した正しい控えです</h2>
      <dl>
        <dt>利用目的</dt>
        <dd>
          {r.record.purpose.title ?? r.record.purpose.id}（第{r.record.purpose.version}版）
        </dd>
        <dt>受け取る組織</dt>
        <dd>{r.record.recipient.name ?? r.record.recipient.id}</dd>
        <dt>提供する情報</dt>
        <dd>{r.record.categories.map((c) => categoryOf(c)?.label ?? c).join('、')}</dd>
        <dt>同意した日</dt>
        <dd>{jaDate(new Date(r.record.givenAt))}</dd>
        <dt>期限</dt>
        <dd>{jaDate(new Date(r.record.expiresAt))}</dd>
        <dt>現在の状態</dt>
        <dd>
          {stateLabel[r.status.state]}
          {r.status.withdrawnAt ? `（${jaDate(new Date(r.status.withdrawnAt))}に撤回）` : ''}
        </dd>
      </dl>
    </section>
  );
}

async function verifyPage(c: Context, text: string, check?: ReceiptCheck, status: 200 | 400 | 413 = 200) {
  const doc = (
    <Layout lang="ja" title="同意の控えの検証" path={c.req.path} crumbs={[{ label: '同意の控えの検証' }]}>
      <h1>同意の控えの検証</h1>
      <p>
        マイページでダウンロードした「署名付きの控え（JWS）」の中身を貼り付けると、この基盤が発行したものか、いまも有効かを確かめられます。
      </p>
      <form method="post" action="/consent/verify">
        <label for="receipt">控え（JWS）</label>
        <textarea id="receipt" name="receipt" rows={6} required>
          {text}
        </textarea>
        <button type="submit">検証する</button>
      </form>
      {check ? <Result check={check} /> : null}
    </Layout>
  );
  return c.html(`<!DOCTYPE html>${await doc.toString()}`, status);
}

export function receiptRoutes(db: Db, units: Units, key: ReturnType<typeof receiptKeys>) {
  const app = new Hono();
  // Beyond this the body is not read at all: a receipt is a few kilobytes.
  const limit = (onTooLarge: (c: Context) => Response | Promise<Response>) =>
    bodyLimit({ maxSize: MAX_RECEIPT_BYTES + 1024, onError: onTooLarge });

  app.get('/consent/jwks.json', async (c) => {
    c.header('Cache-Control', 'public, max-age=300');
    return c.json(await jwks(key), 200, { 'Content-Type': 'application/jwk-set+json' });
  });

  app.post(
    '/api/v1/consent-receipts/verify',
    limit((c) => c.json(invalid('too-large'), 413)),
    async (c) => {
      const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      let text: unknown;
      if (type === 'application/json') {
        const body: unknown = await c.req.json().catch(() => undefined);
        text = body && typeof body === 'object' ? (body as { receipt?: unknown }).receipt : undefined;
      } else if (type === 'application/jose') text = await c.req.text();
      else return c.json(invalid('malformed'), 415);
      const check = await checkReceipt(db, units, key, text);
      return c.json(check, check.valid || check.reason !== 'malformed' ? 200 : 400);
    },
  );

  app.get('/consent/verify', (c) => verifyPage(c, ''));
  app.post(
    '/consent/verify',
    limit((c) => verifyPage(c, '', invalid('too-large'), 413)),
    async (c) => {
      const body = await c.req.parseBody();
      const text = typeof body.receipt === 'string' ? body.receipt : '';
      const check = await checkReceipt(db, units, key, text);
      return verifyPage(c, text.slice(0, MAX_RECEIPT_BYTES), check);
    },
  );
  return app;
}
