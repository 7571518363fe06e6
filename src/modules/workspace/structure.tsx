// Staff pages for editing a plan's structure: the DX plan's fields, KPIs and indicators, and the
// regional vision's revisions, projects and partners. Administrators only.
import { Hono, type Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { Db } from '../../platform/db.ts';
import { notFound, type FormStatus } from '../../platform/errors.ts';
import { submitForm } from './form.ts';
import { formatNumber } from '../../web/format.ts';
import type { PlanTree } from '../plans/repository.ts';
import type { Vision } from '../plans/vision.ts';
import { addNode, editIndicator, renameNode, retire } from './commands/edit-structure.ts';
import { addProject, endProject, setProjectPartners, startRevision } from './commands/revise-vision.ts';
import { Alert, Csrf, staffPage, type Env } from './page.tsx';
import { canEditStructure } from './rules.ts';

export interface StructureDeps {
  db: Db;
  tree: (planId: string) => Promise<PlanTree>;
  vision: (planId: string) => Promise<Vision>;
  onChanged: () => void;
}

const DX = 'aomori-dx';
const VISION = 'aomori-regional-vision';
const directions = { higher: '高いほどよい', lower: '低いほどよい', change_from_base: '基準値からの変化' };

export function structureRoutes(deps: StructureDeps) {
  const app = new Hono<Env>();
  app.use('/staff/structure/*', async (c, next) => {
    if (!canEditStructure(c.get('actor'))) throw notFound('ページ');
    await next();
  });
  const Reason = () => (
    <label>
      理由
      <input name="reason" required />
    </label>
  );

  const render = (c: Context<Env>, title: string, body: Child, error?: string, status: 200 | FormStatus = 200) =>
    staffPage(
      c,
      title,
      <>
        <h1>{title}</h1>
        <Alert message={error} />
        {body}
      </>,
      status,
    );

  async function dxPage(c: Context<Env>, error?: string, status: 200 | FormStatus = 200) {
    const tree = await deps.tree(DX);
    const kids = (id: number | null, kind: string) => tree.nodes.filter((n) => n.parentId === id && n.kind === kind);
    return render(
      c,
      '構成の編集（青森県DX推進プラン）',
      <>
        <p>変更と廃止は次の公表から反映されます。公表済みの公表版は変わりません。</p>
        {kids(null, 'field').map((f) => (
          <section aria-labelledby={`f-${f.code}`}>
            <h2 id={`f-${f.code}`}>{f.name}分野</h2>
            <details>
              <summary>{f.name}分野の名称を変更する</summary>
              <form method="post" action={`/staff/structure/${DX}/rename/${f.code}`} class="filters">
                <Csrf c={c} />
                <label>
                  名称
                  <input name="name" value={f.name} required />
                </label>
                <Reason />
                <button type="submit">変更する</button>
              </form>
            </details>
            {kids(f.id, 'kpi').map((k) => (
              <section aria-labelledby={`k-${k.code}`}>
                <h3 id={`k-${k.code}`}>
                  {k.code} {k.name}
                </h3>
                <details>
                  <summary>{k.code} の名称・構成要素を変更する</summary>
                  <form method="post" action={`/staff/structure/${DX}/rename/${k.code}`} class="filters">
                    <Csrf c={c} />
                    <label>
                      名称
                      <input name="name" value={k.name} required />
                    </label>
                    <label>
                      指標の構成要素
                      <input name="components" value={k.description ?? ''} />
                    </label>
                    <Reason />
                    <button type="submit">変更する</button>
                  </form>
                  <p>
                    <a href={`/staff/audit/kpi/${k.code}`}>変更履歴</a>
                  </p>
                </details>
                {kids(k.id, 'indicator').map((i) => {
                  const ind = tree.indicators.get(i.id)!;
                  return (
                    <details id={`i-${i.code}`}>
                      <summary>
                        {i.code} {i.name}（目標 {formatNumber(ind.targetValue)}
                        {ind.unit}）
                      </summary>
                      <form method="post" action={`/staff/structure/${DX}/indicators/${i.code}`} class="filters">
                        <Csrf c={c} />
                        <label>
                          名称
                          <input name="name" value={i.name} required />
                        </label>
                        <label>
                          単位
                          <input name="unit" value={ind.unit} required />
                        </label>
                        <label>
                          目標値
                          <input name="target" value={ind.targetValue === null ? '' : String(ind.targetValue)} required />
                        </label>
                        <label>
                          目標年
                          <input name="targetYear" value={ind.targetYear ? String(ind.targetYear) : ''} />
                        </label>
                        <label>
                          方向
                          <select name="direction">
                            {Object.entries(directions).map(([v, l]) => (
                              <option value={v} selected={ind.direction === v}>
                                {l}
                              </option>
                            ))}
                          </select>
                        </label>
                        <Reason />
                        <button type="submit">変更する</button>
                      </form>
                      <form method="post" action={`/staff/structure/${DX}/retire/${i.code}`} class="filters">
                        <Csrf c={c} />
                        <Reason />
                        <button type="submit">この指標を廃止する</button>
                      </form>
                      <p>
                        <a href={`/staff/audit/indicator/${i.code}`}>変更履歴</a>
                      </p>
                    </details>
                  );
                })}
                <details>
                  <summary>{k.code} に指標を追加する</summary>
                  <form method="post" action={`/staff/structure/${DX}/add`} class="filters">
                    <Csrf c={c} />
                    <input type="hidden" name="kind" value="indicator" />
                    <input type="hidden" name="parent" value={k.code} />
                    <label>
                      名称
                      <input name="name" required />
                    </label>
                    <label>
                      単位
                      <input name="unit" required />
                    </label>
                    <label>
                      目標値
                      <input name="target" required />
                    </label>
                    <label>
                      目標年
                      <input name="targetYear" />
                    </label>
                    <input type="hidden" name="direction" value="higher" />
                    <Reason />
                    <button type="submit">追加する</button>
                  </form>
                </details>
              </section>
            ))}
            <details>
              <summary>{f.name}分野にKPIを追加する</summary>
              <form method="post" action={`/staff/structure/${DX}/add`} class="filters">
                <Csrf c={c} />
                <input type="hidden" name="kind" value="kpi" />
                <input type="hidden" name="parent" value={f.code} />
                <label>
                  名称
                  <input name="name" required />
                </label>
                <Reason />
                <button type="submit">追加する</button>
              </form>
            </details>
          </section>
        ))}
      </>,
      error,
      status,
    );
  }

  async function visionPage(c: Context<Env>, error?: string, status: 200 | FormStatus = 200) {
    const v = await deps.vision(VISION);
    const current = v.versions.find((x) => x.isCurrent)!;
    const partners = v.municipalities.filter((m) => m.role === 'partner');
    return render(
      c,
      '版と事業の編集（青森圏域連携中枢都市圏ビジョン）',
      <>
        <p>
          現在の版: <strong>{current.label}</strong>
          。資料から転記した版は記録として変更できません。事業の追加・終了・連携町村の変更は、新しい版を作成してから行います。
        </p>
        <h2>新しい版を作成する</h2>
        <form method="post" action={`/staff/structure/${VISION}/revisions`} class="filters">
          <Csrf c={c} />
          <label>
            コード
            <input name="code" required placeholder="v2026" />
          </label>
          <label>
            名称
            <input name="label" required placeholder="変更（2026年度）" />
          </label>
          <Reason />
          <button type="submit">現在の版から作成する</button>
        </form>
        <h2>事業を追加する</h2>
        <form method="post" action={`/staff/structure/${VISION}/projects`} class="filters">
          <Csrf c={c} />
          <label>
            事業番号
            <input name="number" required inputmode="numeric" />
          </label>
          <label>
            事業名
            <input name="name" required />
          </label>
          <label>
            分類
            <select name="category">
              {v.categories.map((k) => (
                <option value={k.code}>
                  {k.number} {k.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            内容
            <input name="description" />
          </label>
          <label>
            連携効果
            <input name="effect" />
          </label>
          <Reason />
          <button type="submit">追加する</button>
        </form>
        <h2>事業（{v.projects.length}事業）</h2>
        {v.projects.map((p) => (
          <details id={`p-${p.code}`}>
            <summary>
              No.{p.number} {p.name}
            </summary>
            <form method="post" action={`/staff/structure/${VISION}/projects/${p.code}/partners`} class="filters">
              <Csrf c={c} />
              <fieldset>
                <legend>連携町村</legend>
                {partners.map((m) => (
                  <label>
                    <input type="checkbox" name="partners" value={m.code} checked={p.partners.some((x) => x.code === m.code)} />
                    {m.name}
                  </label>
                ))}
              </fieldset>
              <Reason />
              <button type="submit">連携町村を変更する</button>
            </form>
            <form method="post" action={`/staff/structure/${VISION}/projects/${p.code}/end`} class="filters">
              <Csrf c={c} />
              <Reason />
              <button type="submit">この版で終了する</button>
            </form>
          </details>
        ))}
      </>,
      error,
      status,
    );
  }

  const attempt = (c: Context<Env>, run: (body: Record<string, unknown>) => Promise<unknown>, page: typeof dxPage, to: string) =>
    submitForm(
      c,
      async () => {
        await run(await c.req.parseBody({ all: true }));
        deps.onChanged();
      },
      (message, status) => page(c, message, status),
      to,
    );
  const partnersOf = (body: Record<string, unknown>) => ({ ...body, partners: [body.partners ?? []].flat() });

  app.get(`/staff/structure/${DX}`, (c) => dxPage(c));
  app.post(`/staff/structure/${DX}/indicators/:code`, (c) =>
    attempt(
      c,
      (b) => editIndicator(deps.db, c.get('actor'), DX, c.req.param('code'), b),
      dxPage,
      `/staff/structure/${DX}#i-${c.req.param('code')}`,
    ),
  );
  app.post(`/staff/structure/${DX}/rename/:code`, (c) =>
    attempt(c, (b) => renameNode(deps.db, c.get('actor'), DX, c.req.param('code'), b), dxPage, `/staff/structure/${DX}`),
  );
  app.post(`/staff/structure/${DX}/add`, (c) =>
    attempt(c, (b) => addNode(deps.db, c.get('actor'), DX, b), dxPage, `/staff/structure/${DX}`),
  );
  app.post(`/staff/structure/${DX}/retire/:code`, (c) =>
    attempt(c, (b) => retire(deps.db, c.get('actor'), DX, c.req.param('code'), b), dxPage, `/staff/structure/${DX}`),
  );
  app.get(`/staff/structure/${VISION}`, (c) => visionPage(c));
  app.post(`/staff/structure/${VISION}/revisions`, (c) =>
    attempt(c, (b) => startRevision(deps.db, c.get('actor'), VISION, b), visionPage, `/staff/structure/${VISION}`),
  );
  app.post(`/staff/structure/${VISION}/projects`, (c) =>
    attempt(c, (b) => addProject(deps.db, c.get('actor'), VISION, b), visionPage, `/staff/structure/${VISION}`),
  );
  app.post(`/staff/structure/${VISION}/projects/:code/end`, (c) =>
    attempt(c, (b) => endProject(deps.db, c.get('actor'), VISION, c.req.param('code'), b), visionPage, `/staff/structure/${VISION}`),
  );
  app.post(`/staff/structure/${VISION}/projects/:code/partners`, (c) =>
    attempt(
      c,
      (b) => setProjectPartners(deps.db, c.get('actor'), VISION, c.req.param('code'), partnersOf(b)),
      visionPage,
      `/staff/structure/${VISION}#p-${c.req.param('code')}`,
    ),
  );
  return app;
}
