// Staff pages for editing a plan's structure: the DX plan's fields, KPIs and indicators, and the
// regional vision's revisions, projects and partners. Administrators only.
import { Hono, type Context } from 'hono';
import type { Child } from 'hono/jsx';
import { notFound, type FormStatus } from '../../platform/errors.ts';
import { parse } from '../../platform/http.ts';
import { submitForm } from './form.ts';
import { formatNumber } from '../../web/format.ts';
import {
  addNodeInput,
  addProjectInput,
  canEditStructure,
  endProjectInput,
  indicatorInput,
  partnersInput,
  renameInput,
  retireInput,
  revisionInput,
  type PlansModule,
} from '../plans/index.ts';
import { Alert, Csrf, Reason, staffPage, type Env } from './page.tsx';
/** The name and unit a new indicator is added with, on the DX plan's and a city plan's pages. */
export const NewIndicatorNameUnit = () => (
  <>
    <label>
      名称
      <input name="name" required />
    </label>
    <label>
      単位
      <input name="unit" required />
    </label>
  </>
);
const directions = { higher: '高いほどよい', lower: '低いほどよい', change_from_base: '基準値からの変化' };

export function structureRoutes(deps: { plans: Pick<PlansModule, 'commands' | 'queries'> }) {
  const { plans } = deps;
  const app = new Hono<Env>();
  /** The plan in the URL, when it is of this kind (a dashboard's structure, a vision's revisions). */
  const planOf = async (c: Context, kind: 'dashboard' | 'vision') => {
    const plan = await plans.queries.plan(c.req.param('planId') ?? '');
    if (plan.kind !== kind) throw notFound('ページ');
    return plan.id;
  };
  app.use('/staff/structure/*', async (c, next) => {
    if (!canEditStructure(c.get('actor'))) throw notFound('ページ');
    await next();
  });
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
    const DX = await planOf(c, 'dashboard');
    const tree = await plans.queries.tree(DX, 'dashboard');
    const kids = (id: number | null, kind: string) => tree.nodes.filter((n) => n.parentId === id && n.kind === kind);
    return render(
      c,
      `構成の編集（${tree.plan.name}）`,
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
                    <NewIndicatorNameUnit />
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
    const VISION = await planOf(c, 'vision');
    const { name } = await plans.queries.plan(VISION);
    const v = await plans.queries.vision(VISION);
    const current = v.versions.find((x) => x.isCurrent)!;
    const partners = v.municipalities.filter((m) => m.role === 'partner');
    return render(
      c,
      `版と事業の編集（${name}）`,
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

  // Each form: the plan from the URL, the form parsed into the command's typed input, the command.
  const attempt = (
    c: Context<Env>,
    kind: 'dashboard' | 'vision',
    run: (planId: string, body: Record<string, unknown>) => Promise<unknown>,
    page: typeof dxPage,
    to: (planId: string) => string,
  ) =>
    submitForm(
      c,
      async () => run(await planOf(c, kind), await c.req.parseBody({ all: true })),
      (message, status) => page(c, message, status),
      to(c.req.param('planId') ?? ''),
    );
  const partnersOf = (body: Record<string, unknown>) => ({ ...body, partners: [body.partners ?? []].flat() });
  const code = (c: Context) => c.req.param('code') ?? '';
  const top = (planId: string) => `/staff/structure/${planId}`;

  app.get('/staff/structure/:planId', async (c) =>
    (await plans.queries.plan(c.req.param('planId'))).kind === 'vision' ? visionPage(c) : dxPage(c),
  );
  app.post('/staff/structure/:planId/indicators/:code', (c) =>
    attempt(
      c,
      'dashboard',
      (planId, b) => plans.commands.editIndicator(c.get('actor'), { planId, code: code(c), ...parse(indicatorInput, b, '指標') }),
      dxPage,
      (planId) => `${top(planId)}#i-${code(c)}`,
    ),
  );
  app.post('/staff/structure/:planId/rename/:code', (c) =>
    attempt(
      c,
      'dashboard',
      (planId, b) => plans.commands.renameNode(c.get('actor'), { planId, code: code(c), ...parse(renameInput, b, '名称') }),
      dxPage,
      top,
    ),
  );
  app.post('/staff/structure/:planId/add', (c) =>
    attempt(
      c,
      'dashboard',
      (planId, b) => {
        const v = parse(addNodeInput, b, '追加');
        const indicator = v.kind === 'indicator' ? parse(indicatorInput, b, '指標') : undefined;
        return plans.commands.addNode(c.get('actor'), { planId, ...v, indicator });
      },
      dxPage,
      top,
    ),
  );
  app.post('/staff/structure/:planId/retire/:code', (c) =>
    attempt(
      c,
      'dashboard',
      (planId, b) => plans.commands.retire(c.get('actor'), { planId, code: code(c), ...parse(retireInput, b, '廃止') }),
      dxPage,
      top,
    ),
  );
  app.post('/staff/structure/:planId/revisions', (c) =>
    attempt(
      c,
      'vision',
      (planId, b) => plans.commands.startRevision(c.get('actor'), { planId, ...parse(revisionInput, b, '版') }),
      visionPage,
      top,
    ),
  );
  app.post('/staff/structure/:planId/projects', (c) =>
    attempt(
      c,
      'vision',
      (planId, b) => plans.commands.addProject(c.get('actor'), { planId, ...parse(addProjectInput, b, '事業') }),
      visionPage,
      top,
    ),
  );
  app.post('/staff/structure/:planId/projects/:code/end', (c) =>
    attempt(
      c,
      'vision',
      (planId, b) => plans.commands.endProject(c.get('actor'), { planId, code: code(c), ...parse(endProjectInput, b, '終了') }),
      visionPage,
      top,
    ),
  );
  app.post('/staff/structure/:planId/projects/:code/partners', (c) =>
    attempt(
      c,
      'vision',
      (planId, b) =>
        plans.commands.setProjectPartners(c.get('actor'), { planId, code: code(c), ...parse(partnersInput, partnersOf(b), '連携町村') }),
      visionPage,
      (planId) => `${top(planId)}#p-${code(c)}`,
    ),
  );
  return app;
}
