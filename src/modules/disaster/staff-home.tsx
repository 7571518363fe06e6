// The disaster module's staff front page, 災害情報管理ダッシュボード (/staff/disaster): the screens in
// the order a disaster needs them, then the dashboard (dashboard.ts) as tables and a map, kept live by
// server-sent events (/staff/disaster/events: an `update` event whenever the data version moves; the
// script fetches the page again and swaps the dashboard in). Without JavaScript it is a page to reload.
// Staff without a disaster role get a 404 here and no link from the staff home.
import { Hono, type MiddlewareHandler } from 'hono';
import { streamSSE } from 'hono/streaming';
import { notFound } from '../../platform/errors.ts';
import { TableScroll } from '../../web/layout.tsx';
import type { Actor } from '../identity/index.ts';
import { staffPage, type StaffEnv } from '../workspace/index.ts';
import { kindLabel } from './alerts.ts';
import { jst } from './alerts-public.tsx';
import { ageGroups, OUTSIDE_PREFECTURE } from './checkin-attributes.ts';
import { dashboardData, type Dashboard, type DashboardDeps } from './dashboard.ts';
import { damageCsv, shelterCsv } from './dashboard-export.ts';
import { infoCategories, summary } from './information.ts';
import { STALE_TEXT } from './information-public.tsx';
import { mapCsp, MapView } from './map-view.tsx';
import { reportCategories } from './reports.ts';
import { canUseAlerts, canUseRoster } from './rules.ts';

/** The screens, each with what it is for: parts add theirs here (one line each). */
export const staffDisasterScreens: readonly { href: string; label: string; what: string; only?: (a: Actor) => boolean }[] = [
  { href: '/staff/disaster/alerts', label: '避難情報の発令', what: '避難指示・高齢者等避難などを発令し、プッシュ通知で届けます。' },
  { href: '/staff/disaster/shelters', label: '避難所の運営', what: '開設・閉鎖、収容人数、物資・不足、傷病者、出来事を記録します。' },
  {
    href: '/staff/disaster/information',
    label: '災害情報',
    what: '浸水・震度・火災・通行止め・公共交通・ライフラインの情報を地図に載せます。',
  },
  { href: '/staff/disaster/reports', label: '写真投稿の確認', what: '住民の写真投稿を確認し、公開または却下します。' },
  {
    href: '/staff/disaster/safety',
    label: '安否確認',
    what: '安否の状況を集計し、PFIF 1.4 で書き出し・取り込みます（パーソンファインダー互換）。',
  },
  {
    href: '/staff/disaster/roster',
    label: '避難行動要支援者名簿',
    what: '名簿を取り込み、まだ無事が確認できていない人を地区ごとに確かめ、確認の記録を残します。',
    only: (a: Actor) => !!a.municipalityCode && canUseRoster(a, a.municipalityCode),
  },
  {
    href: '/staff/disaster/certificates',
    label: '罹災証明書',
    what: '申請を確認し、調査日を決め、被害の程度を判定して交付します。県は市町村ごとの件数を見られます。',
  },
  { href: '/staff/disaster/layers', label: '防災レイヤーの取り込み', what: '医療機関・AED・ハザード区域・高台・道路網を取り込みます。' },
];

export const staffDisasterLinks = (actor: Actor) =>
  canUseAlerts(actor) ? [{ href: '/staff/disaster', label: '防災・災害情報管理ダッシュボード' }] : [];

const count = (n: number | null) => (n === null ? '－' : `${n}人`);
/** Server-sent events: how often a connection compares the version, and how long it lives before the browser reconnects. */
const TICK_MS = 1000;
const LIFETIME_MS = 10 * 60_000;

/** 避難行動要支援者名簿's counts for the dashboard: for the roster's own staff only (canUseRoster), nothing opened. */
export type RosterSummary = (actor: Actor) => Promise<{ total: number; confirmed: number } | undefined>;

/** 取り残された住民の有無 (issue 14 point 7): counts only; the names and 地区 are on the roster's page (opened there, logged). */
function LeftBehind({ r }: { r: { total: number; confirmed: number } }) {
  return (
    <section aria-labelledby="left-behind-h" id="left-behind">
      <h2 id="left-behind-h">取り残された住民の有無（避難行動要支援者名簿）</h2>
      {r.total === 0 ? (
        <p>名簿はまだ取り込まれていません。</p>
      ) : (
        <p>
          {`名簿の${r.total}人のうち、まだ無事が確認できていない人は${r.total - r.confirmed}人です（確認済み${r.confirmed}人）。`}
          <a href="/staff/disaster/roster">地区ごとに確かめる</a>
        </p>
      )}
    </section>
  );
}

function DashboardView({ d, roster }: { d: Dashboard; roster?: { total: number; confirmed: number } }) {
  const { totals } = d;
  return (
    <>
      <h2>発令中の避難情報（{d.alerts.length}件）</h2>
      {d.alerts.length === 0 ? (
        <p>発令中の避難情報はありません。</p>
      ) : (
        <ul>
          {d.alerts.map((a) => (
            <li>
              <a href={`/disaster/alerts/${a.slug}`}>{a.headline}</a>（{kindLabel(a.kind as never)}、
              {a.municipalities.map((m) => d.scope.get(m) ?? m).join('・')}、{jst(a.updated)}）
            </li>
          ))}
        </ul>
      )}
      <p>
        <a href="/staff/disaster/alerts">避難情報を発令する（対象地域の住民にプッシュ通知）</a>
      </p>
      <h2>開設中の避難所（{totals.open}か所）</h2>
      <p class="dashboard-totals">
        {`避難者数 ${totals.occupancy}人／収容人数 ${totals.capacity}人`}
        {totals.unknownOccupancy > 0 && `（避難者数が未記録の避難所 ${totals.unknownOccupancy}か所）`}
      </p>
      {d.shelters.length > 0 && (
        <TableScroll label="開設中の避難所の一覧">
          <table>
            <thead>
              <tr>
                <th scope="col">避難所</th>
                <th scope="col">避難者数/収容人数</th>
                <th scope="col">不足している物資</th>
                <th scope="col">体調不良・負傷</th>
                <th scope="col">出来事</th>
              </tr>
            </thead>
            <tbody>
              {d.shelters.map((r) => (
                <tr>
                  <th scope="row">
                    <a href={`/staff/disaster/shelters/${r.shelter.slug}`}>{r.shelter.name}</a>
                    {d.scope.size > 1 && `（${d.scope.get(r.shelter.municipality) ?? r.shelter.municipality}）`}
                  </th>
                  <td>{`${count(r.shelter.occupancy)}/${count(r.shelter.capacity)}`}</td>
                  <td>{r.shortages?.value || '－'}</td>
                  <td>{`${count(r.sickCount?.value ?? null)}・${count(r.injuredCount?.value ?? null)}`}</td>
                  <td>{r.incidents.length ? `${r.incidents[0]!.text}（全${r.incidents.length}件）` : '－'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <h2>避難者の内訳（受付の記録から、人数のみ）</h2>
      <TableScroll label="避難者の内訳">
        <table>
          <tbody>
            <tr>
              <th scope="row">受付済みの世帯・人数</th>
              <td>{`${d.evacuees.households}世帯・${d.evacuees.people}人`}</td>
            </tr>
            <tr>
              <th scope="row">避難カードで受付</th>
              <td>{`${d.evacuees.byCard}世帯`}</td>
            </tr>
            <tr>
              <th scope="row">手書きで受付</th>
              <td>{`${d.evacuees.walkIns}世帯`}</td>
            </tr>
          </tbody>
        </table>
      </TableScroll>
      <EvacueeAttributes d={d} />
      {roster && <LeftBehind r={roster} />}
      <h2>確認待ちの写真投稿（{d.reports.pending}件）</h2>
      {d.reports.latest.length > 0 && (
        <ul>
          {d.reports.latest.map((r) => (
            <li>
              {`${reportCategories[r.category as keyof typeof reportCategories] ?? r.category}（${d.scope.get(r.municipality) ?? r.municipality}、${jst(new Date(r.createdAt).toISOString())}）`}
              {r.note && `：${r.note}`}
            </li>
          ))}
        </ul>
      )}
      <p>
        <a href="/staff/disaster/reports">写真投稿を確認する</a>
      </p>
      <h2>災害情報（{d.information.length}件）</h2>
      {d.information.length === 0 ? (
        <p>登録されている災害情報はありません。</p>
      ) : (
        <ul>
          {d.information.map((i) => (
            <li>
              {`【${infoCategories[i.category].label}】${i.name}（${summary(i) || '－'}、${i.source}、${jst(i.observed)}）`}
              {i.stale && <strong class="info-stale">{`・${STALE_TEXT}`}</strong>}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

export function staffHomeRoutes(deps: DashboardDeps & { version: () => Promise<string>; basemapUrl?: string; roster?: RosterSummary }) {
  const app = new Hono<StaffEnv>();
  const staffOnly: MiddlewareHandler<StaffEnv> = async (c, next) => {
    if (!canUseAlerts(c.get('actor'))) throw notFound('ページ');
    await next();
  };
  app.use('/staff/disaster', staffOnly);
  app.use('/staff/disaster/events', staffOnly);
  app.use('/staff/disaster/export/*', staffOnly);

  // EEI-shaped CSV (dashboard-export.ts): the same scope as the page.
  for (const [name, csv] of [
    ['shelters', shelterCsv],
    ['damage', damageCsv],
  ] as const)
    app.get(`/staff/disaster/export/${name}.csv`, async (c) => {
      const d = await dashboardData(deps, c.get('actor'));
      c.header('Cache-Control', 'no-store');
      c.header('Content-Type', 'text/csv; charset=utf-8');
      c.header('Content-Disposition', `attachment; filename="disaster-${name}.csv"`);
      return c.body(csv(d, new Date().toISOString()));
    });

  app.get('/staff/disaster', async (c) => {
    const actor = c.get('actor');
    const [d, version, roster] = await Promise.all([dashboardData(deps, actor), deps.version(), deps.roster?.(actor)]);
    const own = d.scope.size === 1 ? [...d.scope.keys()][0] : undefined;
    c.header('content-security-policy', mapCsp(deps.basemapUrl));
    return staffPage(
      c,
      '災害情報管理ダッシュボード',
      <>
        <h1>災害情報管理ダッシュボード</h1>
        <p>{own ? `${d.scope.get(own)}の状況です。` : '青森県内すべての市町村の状況です。'}</p>
        <nav aria-label="防災の画面">
          <ul>
            {staffDisasterScreens
              .filter((s) => !s.only || s.only(actor))
              .map((s) => (
                <li>
                  <a href={s.href}>{s.label}</a>：{s.what}
                </li>
              ))}
          </ul>
        </nav>
        <MapView
          shelters={`/api/v1/disaster/shelters${own ? `?municipality=${own}` : ''}`}
          municipality={own}
          basemapUrl={deps.basemapUrl}
          label="避難所と災害情報の地図"
        />
        <p class="dashboard-live" role="status" aria-live="polite" data-events="/staff/disaster/events" data-version={version}>
          {`${jst(new Date().toISOString())} 時点`}
        </p>
        <div id="dashboard">
          <DashboardView d={d} roster={roster} />
        </div>
        <h2>書き出し（EEI の項目に沿った CSV）</h2>
        <ul>
          <li>
            <a href="/staff/disaster/export/shelters.csv">避難所の開設状況・避難者数（CSV）</a>
          </li>
          <li>
            <a href="/staff/disaster/export/damage.csv">被害・ライフライン・交通の情報（CSV）</a>
          </li>
        </ul>
        <p>SOBO-WEB（国の総合防災情報システム）には公開された API がないため、これらのファイルを取り込みや転記に使ってください。</p>
        <script type="module" src="/assets/disaster-dashboard.js" />
      </>,
    );
  });

  // One `update` event whenever the version moves (every process sees every writer's bump within TICK_MS).
  app.get('/staff/disaster/events', (c) =>
    streamSSE(c, async (stream) => {
      // A reconnecting browser says what it saw last (Last-Event-ID); a first connection, the page's version.
      let seen = c.req.header('last-event-id') || c.req.query('since') || (await deps.version());
      const ends = Date.now() + LIFETIME_MS;
      while (!stream.aborted && Date.now() < ends) {
        const now = await deps.version().catch(() => seen);
        if (now !== seen) {
          seen = now;
          await stream.writeSSE({ event: 'update', data: now, id: now });
        }
        await stream.sleep(TICK_MS);
      }
    }),
  );
  return app;
}

/** Evacuees by age group and 要配慮, and those from outside the shelter's municipality: counted, never listed. */
function EvacueeAttributes({ d }: { d: Dashboard }) {
  const a = d.attributes.ages;
  const name = (code: string) => (code === OUTSIDE_PREFECTURE ? '県外' : (d.municipalityNames.get(code) ?? code));
  const outsideTotal = d.attributes.outside.reduce((n, r) => n + r.people, 0);
  return (
    <>
      <h2>避難者の年齢と要配慮（同意を得た登録情報と受付の記録から、人数のみ）</h2>
      <TableScroll label="避難者の年齢と要配慮">
        <table>
          <tbody>
            {ageGroups.map((g) => (
              <tr>
                <th scope="row">{g.label}</th>
                <td>{`${a?.[g.key] ?? 0}人`}</td>
              </tr>
            ))}
            <tr>
              <th scope="row">年齢を数えた世帯</th>
              <td>{`${a?.counted ?? 0}世帯（ほかの世帯の年齢は不明）`}</td>
            </tr>
            <tr>
              <th scope="row">要配慮あり／なし／不明</th>
              <td>{`${a?.careYes ?? 0}世帯／${a?.careNo ?? 0}世帯／${a?.careUnknown ?? 0}世帯`}</td>
            </tr>
          </tbody>
        </table>
      </TableScroll>
      <h2>{`市町村外からの避難者（${outsideTotal}人）`}</h2>
      {d.attributes.outside.length === 0 ? (
        <p>受付で住所の市町村が聞き取られた避難者のうち、ほかの市町村から来た人はいません。</p>
      ) : (
        <TableScroll label="市町村外からの避難者">
          <table id="outside-evacuees">
            <thead>
              <tr>
                <th scope="col">避難所の市町村</th>
                <th scope="col">住所の市町村</th>
                <th scope="col">人数</th>
              </tr>
            </thead>
            <tbody>
              {d.attributes.outside.map((r) => (
                <tr>
                  <td>{name(r.municipality)}</td>
                  <td>{name(r.home)}</td>
                  <td>{`${r.people}人`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </>
  );
}
