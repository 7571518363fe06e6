// Staff screens for shelter operations: /staff/disaster/shelters (the shelters the staff member
// operates: their municipality's; the prefecture sees all) and /staff/disaster/shelters/{slug} with
// three forms — 開設状況 (public), 物資・傷病者 and 出来事 (staff-only). Work without JavaScript; a
// shelter the actor does not operate is 404.
import { Hono, type Context } from 'hono';
import type { FormStatus } from '../../platform/errors.ts';
import type { Actor } from '../identity/index.ts';
import { TableScroll } from '../../web/layout.tsx';
import { Csrf, FormAlert, staffPage, submitForm, type StaffEnv } from '../workspace/index.ts';
import { jst } from './alerts-public.tsx';
import { kindLabels, occupancyText, statusLabels } from './public.tsx';
import { parseIncidentForm, parseNeedsForm, parseStatusForm } from './shelter-ops-input.ts';
import type { ShelterOpsService, Timed } from './shelter-ops.ts';

const BASE = '/staff/disaster/shelters';
const dash = '－';
type C = Context<StaffEnv>;
const when = (t: Timed<unknown> | null) => (t?.at ? `（${jst(t.at)}）` : '');
const form = async (c: C) =>
  Object.fromEntries(Object.entries(await c.req.parseBody()).map(([k, v]) => [k, typeof v === 'string' ? v : '']));

export function shelterOpsScreens(ops: ShelterOpsService) {
  const app = new Hono<StaffEnv>();

  app.get(BASE, async (c) => {
    const q = (c.req.query('q') ?? '').slice(0, 100);
    const all = await ops.list(c.get('actor'));
    const shown = (q ? all.filter((s) => s.name.includes(q) || (s.address ?? '').includes(q)) : all).slice(0, 500);
    const open = all.filter((s) => s.status === 'open').length;
    return staffPage(
      c,
      '避難所の運営',
      <>
        <h1>避難所の運営</h1>
        <p>{`担当する避難所 ${all.length}か所（開設中 ${open}か所）。開設・閉鎖、収容人数、物資、傷病者、出来事を記録します。`}</p>
        <form method="get" action={BASE} class="filters">
          <label>
            名称・住所で絞り込む
            <input type="search" name="q" value={q} maxlength={100} />
          </label>
          <button type="submit">絞り込む</button>
        </form>
        {shown.length === 0 ? (
          <p>該当する避難所がありません。</p>
        ) : (
          <TableScroll label="避難所の一覧">
            <table>
              <thead>
                <tr>
                  <th scope="col">名称</th>
                  <th scope="col">種別</th>
                  <th scope="col">開設状況</th>
                  <th scope="col">避難者数/収容人数</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((s) => (
                  <tr>
                    <th scope="row">
                      <a href={`${BASE}/${s.slug}`}>{s.name}</a>
                    </th>
                    <td>{kindLabels[s.kind]}</td>
                    <td>{s.status ? statusLabels[s.status] : dash}</td>
                    <td>{occupancyText(s)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        )}
        {shown.length < (q ? all.filter((s) => s.name.includes(q) || (s.address ?? '').includes(q)).length : all.length) && (
          <p>最初の500か所を表示しています。絞り込んでください。</p>
        )}
      </>,
    );
  });

  async function page(c: C, error?: { form: string; message: string }, status: 200 | FormStatus = 200) {
    const slug = c.req.param('slug')!;
    const { shelter: s, ops: o } = await ops.read(c.get('actor'), slug);
    const done = c.req.query('done');
    const alert = (f: string) => error?.form === f && <FormAlert message={error.message} />;
    return staffPage(
      c,
      s.name,
      <>
        <h1>{s.name}</h1>
        {done && (
          <p role="status">
            {{ status: '開設状況を記録しました。', needs: '物資・傷病者を記録しました。', incident: '出来事を記録しました。' }[done] ?? ''}
          </p>
        )}
        <dl class="shelter-facts">
          <dt>種別</dt>
          <dd>{kindLabels[s.kind]}</dd>
          <dt>住所</dt>
          <dd>{s.address ?? dash}</dd>
          <dt>開設状況</dt>
          <dd>{s.status ? statusLabels[s.status] : dash}</dd>
          <dt>開設日時</dt>
          <dd>{o.openedAt ? jst(o.openedAt) : dash}</dd>
          <dt>避難者数/収容人数</dt>
          <dd>{occupancyText(s)}</dd>
        </dl>
        <p>
          <a href={`/disaster/shelters/${s.slug}`}>公開ページを見る</a>
        </p>

        <section aria-labelledby="ops-status">
          <h2 id="ops-status">開設状況と収容人数（公開）</h2>
          <p>ここで記録した内容は、防災マップと公開ページにすぐ表示されます。</p>
          {alert('status')}
          <form method="post" action={`${BASE}/${s.slug}/status`}>
            <Csrf c={c} />
            <fieldset>
              <legend>開設状況</legend>
              <label>
                <input type="radio" name="status" value="open" checked={s.status === 'open'} required /> 開設中
              </label>
              <label>
                <input type="radio" name="status" value="closed" checked={s.status === 'closed'} /> 閉鎖
              </label>
            </fieldset>
            <label>
              収容人数（人）
              <input type="text" name="capacity" inputmode="numeric" value={s.capacity === null ? '' : String(s.capacity)} maxlength={7} />
            </label>
            <button type="submit">開設状況を記録する</button>
          </form>
        </section>

        <section aria-labelledby="ops-needs">
          <h2 id="ops-needs">物資と傷病者（職員のみ）</h2>
          {alert('needs')}
          <form method="post" action={`${BASE}/${s.slug}/needs`}>
            <Csrf c={c} />
            <label>
              {`備蓄・届いた物資${when(o.supplies)}`}
              <textarea name="supplies" rows={3} maxlength={1000}>
                {o.supplies?.value ?? ''}
              </textarea>
            </label>
            <label>
              {`不足している物資${when(o.shortages)}`}
              <textarea name="shortages" rows={3} maxlength={1000}>
                {o.shortages?.value ?? ''}
              </textarea>
            </label>
            <label>
              {`体調不良の人数${when(o.sickCount)}`}
              <input type="text" name="sickCount" inputmode="numeric" maxlength={7} value={o.sickCount ? String(o.sickCount.value) : ''} />
            </label>
            <label>
              {`負傷者数${when(o.injuredCount)}`}
              <input
                type="text"
                name="injuredCount"
                inputmode="numeric"
                maxlength={7}
                value={o.injuredCount ? String(o.injuredCount.value) : ''}
              />
            </label>
            <button type="submit">物資・傷病者を記録する</button>
          </form>
        </section>

        <section aria-labelledby="ops-incidents">
          <h2 id="ops-incidents">出来事（職員のみ）</h2>
          {alert('incident')}
          <form method="post" action={`${BASE}/${s.slug}/incidents`}>
            <Csrf c={c} />
            <label>
              出来事（500文字まで）
              <textarea name="text" rows={2} maxlength={500} required></textarea>
            </label>
            <button type="submit">出来事を記録する</button>
          </form>
          {o.incidents.length ? (
            <ul class="incident-list">
              {o.incidents.map((i) => (
                <li>
                  <time datetime={i.at}>{jst(i.at)}</time> {i.text}
                </li>
              ))}
            </ul>
          ) : (
            <p>記録はまだありません。</p>
          )}
        </section>
      </>,
      status,
    );
  }

  app.get(`${BASE}/:slug`, (c) => page(c));
  const refused = (c: C, f: string) => (message: string, status: FormStatus) => page(c, { form: f, message }, status);
  const back = (c: C, done: string) => () => c.redirect(`${BASE}/${c.req.param('slug')}?done=${done}`, 303);

  const forms: Record<string, (a: Actor, slug: string, body: Record<string, string>) => Promise<unknown>> = {
    status: (a: Actor, slug: string, body: Record<string, string>) => ops.setStatus(a, slug, parseStatusForm(body)),
    needs: (a: Actor, slug: string, body: Record<string, string>) => ops.setNeeds(a, slug, parseNeedsForm(body)),
    incidents: (a: Actor, slug: string, body: Record<string, string>) => ops.addIncident(a, slug, parseIncidentForm(body)),
  };
  for (const [path, run] of Object.entries(forms)) {
    const name = path === 'incidents' ? 'incident' : path;
    app.post(`${BASE}/:slug/${path}`, async (c) => {
      const body = await form(c);
      return submitForm(c, () => run(c.get('actor'), c.req.param('slug'), body), refused(c, name), back(c, name));
    });
  }
  return app;
}
