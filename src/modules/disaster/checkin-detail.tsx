// One check-in's page at the reception (checkin-staff.tsx): a walk-in's sealed name opened (logged), and a
// card holder's support needs read through the consent gate for the shelter's municipality (logged).
import { Hono } from 'hono';
import { categoryOf } from '../residents/index.ts';
import { staffPage, type StaffEnv } from '../workspace/index.ts';
import { jst } from './alerts-public.tsx';
import type { CheckinService } from './checkin.ts';

export const BASE = '/staff/disaster/shelters';
export const methodLabels: Record<string, string> = { card: '避難カード', mynumber: 'マイナンバーカード', 'walk-in': '手書き' };

/** A consented data item as text: strings as they are, lists joined, records as 「項目: 値」. */
export function itemText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return v === true ? 'はい' : v === false ? 'いいえ' : String(v);
  if (Array.isArray(v)) return v.map(itemText).filter(Boolean).join('、');
  if (typeof v === 'object')
    return Object.values(v as Record<string, unknown>)
      .map(itemText)
      .filter(Boolean)
      .join(' ');
  return '';
}

export function receptionDetail(svc: CheckinService) {
  const app = new Hono<StaffEnv>();
  app.get(`${BASE}/:slug/reception/checkins/:id`, async (c) => {
    const d = await svc.detail(c.get('actor'), c.req.param('slug'), c.req.param('id'));
    const here = `${BASE}/${d.shelter.slug}/reception`;
    return staffPage(
      c,
      '受付の詳細',
      <>
        <h1>受付の詳細</h1>
        <dl class="shelter-facts">
          <dt>避難所</dt>
          <dd>{d.shelter.name}</dd>
          <dt>受付日時</dt>
          <dd>{jst(d.row.checkedInAt)}</dd>
          <dt>方法</dt>
          <dd>{methodLabels[d.row.method] ?? d.row.method}</dd>
          <dt>人数</dt>
          <dd>{`${d.row.people}人`}</dd>
          {d.name !== null && (
            <>
              <dt>代表者の氏名</dt>
              <dd>{d.name}</dd>
              <dt>要配慮</dt>
              <dd>{d.row.needsCare ? 'あり' : 'なし'}</dd>
            </>
          )}
        </dl>
        {d.row.method !== 'walk-in' && (
          <section aria-labelledby="support-h">
            <h2 id="support-h">事前に登録された要配慮情報</h2>
            {d.support === null || Object.keys(d.support).length === 0 ? (
              <p>
                {d.support === null
                  ? 'この世帯からこの市町村への共有の同意がないため、表示できません。'
                  : '同意はありますが、登録された情報はありません。'}
              </p>
            ) : (
              <>
                <p>世帯の同意にもとづいて表示しています。この表示は世帯の閲覧記録に残ります。</p>
                <dl>
                  {Object.entries(d.support).map(([k, v]) => (
                    <>
                      <dt>{categoryOf(k)?.label ?? k}</dt>
                      <dd>{itemText(v)}</dd>
                    </>
                  ))}
                </dl>
              </>
            )}
          </section>
        )}
        <p>
          <a href={here}>受付に戻る</a>
        </p>
      </>,
    );
  });

  return app;
}
