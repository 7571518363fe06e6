// マイページ's consent pages: every purpose with its status, the notice and the giving form, the
// resident's records (JSON-LD and signed receipt downloads) and their withdrawal.
import { Hono, type Context } from 'hono';
import type { Db } from '../../platform/db.ts';
import { isFormError, notFound, toAppError } from '../../platform/errors.ts';
import type { OrgUnit } from '../organisations/index.ts';
import { categoryOf } from './categories.ts';
import { Notice, type Refused, type Ticked } from './consent-notice.tsx';
import { consentRecordJsonLd } from './consent-record.ts';
import { consentState, giveConsent, operatorUnitId, ownConsent, withdrawConsent, type ConsentRow, type Units } from './consents.ts';
import { myPage, Csrf, type Env } from './page.tsx';
import { purposeOf, purposes, type Purpose } from './purposes.ts';
import { signReceipt, type receiptKeys } from './receipts.ts';
import { findProfileRow } from './repository.ts';
import { listConsentRows } from './repository-consents.ts';

const dateFormat = new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', dateStyle: 'long' });
export const jaDate = (d: Date) => dateFormat.format(d);

/** The purpose's status for the list: the current version's records decide; older versions no longer count. */
export function purposeStatus(rows: ConsentRow[], purpose: Purpose, at: Date): string {
  const current = rows.filter((r) => r.purposeId === purpose.id && r.purposeVersion === purpose.version);
  const given = current.filter((r) => consentState(r, at) === 'given');
  if (given.length > 0) return `同意中（${jaDate(new Date(Math.max(...given.map((r) => r.expiresAt.getTime()))))}まで）`;
  const newest = current[0];
  if (newest) return consentState(newest, at) === 'withdrawn' ? '撤回済み' : '期限切れ';
  return rows.some((r) => r.purposeId === purpose.id) ? '同意していません（目的の内容が変わりました）' : '同意していません';
}

const stateLabel = { given: '同意中', withdrawn: '撤回済み', expired: '期限切れ' } as const;

const list = (v: unknown): string[] =>
  (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string');

export function consentRoutes(db: Db, units: Units, key: ReturnType<typeof receiptKeys>) {
  const app = new Hono<Env>();
  const unitName = (all: OrgUnit[]) => (id: string) => all.find((u) => u.id === id)?.fullName ?? id;

  app.get('/my/consents', async (c) => {
    const rows = await listConsentRows(db, c.get('residentId'));
    const now = new Date();
    return myPage(
      c,
      '利用目的と同意',
      <>
        <h1>利用目的と同意</h1>
        <p>あなたが登録した情報を、どの組織が何のために使えるかを決めます。目的を選ぶと、説明を読んでから同意または撤回できます。</p>
        <ul class="purposes">
          {purposes.map((p) => (
            <li>
              <a href={`/my/consents/${p.id}`}>{p.title}</a>：<span>{purposeStatus(rows, p, now)}</span>
            </li>
          ))}
        </ul>
      </>,
    );
  });

  const noticePage = async (c: Context<Env>, purpose: Purpose, ticked?: Ticked, refused?: Refused & { status: 400 | 409 | 422 }) => {
    const residentId = c.get('residentId');
    const [rows, profile, all] = await Promise.all([
      listConsentRows(db, residentId, purpose.id),
      findProfileRow(db, residentId),
      units.units(),
    ]);
    const live = all.filter((u) => !u.retired);
    const home = profile ? live.find((u) => u.id === profile.municipalityCode && u.kind === 'municipality') : undefined;
    const recipient =
      purpose.recipient.kind === 'unit' ? live.find((u) => u.id === (purpose.recipient as { unitId: string }).unitId) : home;
    const name = unitName(all);
    const now = new Date();
    return myPage(
      c,
      purpose.title,
      <>
        <h1>{purpose.title}</h1>
        <Notice
          c={c}
          purpose={purpose}
          recipient={purpose.recipient.kind === 'any-municipality' ? undefined : recipient}
          municipalities={live.filter((u) => u.kind === 'municipality')}
          operator={all.find((u) => u.id === operatorUnitId)}
          ticked={ticked ?? { recipients: home ? [home.id] : [], categories: purpose.categories }}
          refused={refused}
        />
        <h2>あなたの同意の記録</h2>
        {rows.length === 0 ? <p>まだ同意していません。</p> : null}
        <ul class="records">
          {rows.map((r) => {
            const state = consentState(r, now);
            return (
              <li>
                <p>
                  {name(r.recipientId)}：{stateLabel[state]}（{jaDate(r.givenAt)}に同意
                  {state === 'withdrawn' ? `、${jaDate(r.withdrawnAt!)}に撤回` : `、${jaDate(r.expiresAt)}まで`}
                  {r.purposeVersion !== purpose.version ? '、以前の内容への同意' : ''}）
                </p>
                <p>{r.categories.map((id) => categoryOf(id)?.label ?? id).join('、')}</p>
                <p>
                  <a href={`/my/consents/records/${r.id}`} download>
                    同意記録（JSON-LD）
                  </a>{' '}
                  <a href={`/my/consents/records/${r.id}/receipt.jws`} download>
                    署名付きの控え（JWS）
                  </a>
                </p>
                {state === 'given' ? (
                  <form method="post" action={`/my/consents/records/${r.id}/withdraw`}>
                    <Csrf c={c} />
                    <button type="submit">同意を撤回する（{name(r.recipientId)}）</button>
                  </form>
                ) : null}
              </li>
            );
          })}
        </ul>
        <p>
          控えが本物かどうかは <a href="/consent/verify">控えの検証</a> で確かめられます。
        </p>
      </>,
      refused?.status ?? 200,
    );
  };

  const purposeFrom = (c: Context) => {
    const purpose = purposeOf(c.req.param('purposeId') ?? '');
    if (!purpose) throw notFound('利用目的');
    return purpose;
  };

  app.get('/my/consents/:purposeId', (c) => noticePage(c, purposeFrom(c)));

  app.post('/my/consents/:purposeId', async (c) => {
    const purpose = purposeFrom(c);
    const body = await c.req.parseBody({ all: true });
    const ticked = { recipients: list(body.recipient), categories: list(body.category) };
    try {
      await giveConsent(db, units, c.get('residentId'), { purposeId: purpose.id, ...ticked });
    } catch (err) {
      const e = toAppError(err);
      if (!isFormError(e)) throw err;
      const field = (e.details as { field?: string } | undefined)?.field;
      return noticePage(c, purpose, ticked, { message: e.message, field, status: e.status });
    }
    return c.redirect(`/my/consents/${purpose.id}`, 303);
  });

  app.post('/my/consents/records/:id/withdraw', async (c) => {
    const row = await withdrawConsent(db, c.get('residentId'), c.req.param('id'));
    return c.redirect(`/my/consents/${row.purposeId}`, 303);
  });

  const parties = async (row: ConsentRow) => Promise.all([units.unit(row.recipientId), units.unit(operatorUnitId)]);

  app.get('/my/consents/records/:id', async (c) => {
    const row = await ownConsent(db, c.get('residentId'), c.req.param('id'));
    const [recipient, operator] = await parties(row);
    c.header('Cache-Control', 'no-store');
    c.header('Content-Disposition', `attachment; filename="consent-${row.id}.jsonld"`);
    return c.body(JSON.stringify(consentRecordJsonLd(row, recipient, operator), null, 2), 200, { 'Content-Type': 'application/ld+json' });
  });

  app.get('/my/consents/records/:id/receipt.jws', async (c) => {
    const row = await ownConsent(db, c.get('residentId'), c.req.param('id'));
    const [recipient, operator] = await parties(row);
    c.header('Cache-Control', 'no-store');
    c.header('Content-Disposition', `attachment; filename="consent-${row.id}.jws"`);
    return c.body(await signReceipt(key, row, recipient, operator), 200, { 'Content-Type': 'application/jose' });
  });

  return app;
}
