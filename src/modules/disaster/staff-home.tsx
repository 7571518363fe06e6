// The disaster module's staff front page (/staff/disaster): the screens a municipality's staff (or a
// prefecture administrator) use, in the order a disaster needs them, and the link the staff home shows.
// Staff without a disaster role get a 404 here and no link.
import { Hono } from 'hono';
import { notFound } from '../../platform/errors.ts';
import type { Actor } from '../identity/index.ts';
import { staffPage, type StaffEnv } from '../workspace/index.ts';
import { canUseAlerts } from './rules.ts';

/** The screens, each with what it is for: parts add theirs here (one line each). */
export const staffDisasterScreens: readonly { href: string; label: string; what: string }[] = [
  { href: '/staff/disaster/alerts', label: '避難情報の発令', what: '避難指示・高齢者等避難などを発令し、プッシュ通知で届けます。' },
  { href: '/staff/disaster/shelters', label: '避難所の運営', what: '開設・閉鎖、収容人数、物資・不足、傷病者、出来事を記録します。' },
  {
    href: '/staff/disaster/information',
    label: '災害情報',
    what: '浸水・震度・火災・通行止め・公共交通・ライフラインの情報を地図に載せます。',
  },
  { href: '/staff/disaster/reports', label: '写真投稿の確認', what: '住民の写真投稿を確認し、公開または却下します。' },
  { href: '/staff/disaster/layers', label: '防災レイヤーの取り込み', what: '医療機関・AED・ハザード区域・高台・道路網を取り込みます。' },
];

export const staffDisasterLinks = (actor: Actor) =>
  canUseAlerts(actor) ? [{ href: '/staff/disaster', label: '防災（避難情報・避難所・災害情報・写真投稿）' }] : [];

export function staffHomeRoutes() {
  const app = new Hono<StaffEnv>();
  app.get('/staff/disaster', (c) => {
    if (!canUseAlerts(c.get('actor'))) throw notFound('ページ');
    return staffPage(
      c,
      '防災（職員用）',
      <>
        <h1>防災（職員用）</h1>
        <ul>
          {staffDisasterScreens.map((s) => (
            <li>
              <a href={s.href}>{s.label}</a>：{s.what}
            </li>
          ))}
        </ul>
      </>,
    );
  });
  return app;
}
