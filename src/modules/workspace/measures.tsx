// Staff page for a comprehensive plan's indicators (総合計画, e.g. 青森市総合計画): the document leaves
// every 目標とする指標 table blank, so the city adds its indicators under each 施策 here (target blank
// until set), and reports them in rounds like the DX plan's. Administrators only.
import { Hono, type Context } from 'hono';
import { notFound, type FormStatus } from '../../platform/errors.ts';
import { parse } from '../../platform/http.ts';
import { formatNumber } from '../../web/format.ts';
import { addNodeInput, canEditStructure, measureIndicatorInput, type PlansModule } from '../plans/index.ts';
import { submitForm } from './form.ts';
import { Alert, Csrf, Reason, staffPage, type Env } from './page.tsx';
import { NewIndicatorNameUnit } from './structure.tsx';

export function measureRoutes(deps: { plans: Pick<PlansModule, 'commands' | 'queries'> }) {
  const { plans } = deps;
  const app = new Hono<Env>();
  app.use('/staff/measures/*', async (c, next) => {
    if (!canEditStructure(c.get('actor'))) throw notFound('ページ');
    await next();
  });
  const planId = (c: Context) => c.req.param('planId') ?? '';

  async function page(c: Context<Env>, error?: string, status: 200 | FormStatus = 200) {
    const tree = await plans.queries.tree(planId(c), 'policy_tree');
    const kids = (id: number, kind: string) => tree.nodes.filter((n) => n.parentId === id && n.kind === kind);
    const measures = tree.nodes.filter((n) => n.kind === 'measure');
    return staffPage(
      c,
      `指標の登録（${tree.plan.name}）`,
      <>
        <h1>指標の登録（{tree.plan.name}）</h1>
        <Alert message={error} />
        <p>
          資料の「目標とする指標」の表は空欄です。施策ごとに指標を登録すると、報告ラウンドで値を入力・承認・公表できます。目標値は資料にない限り空欄のままにしてください（公開ページでは「資料に目標値の記載なし」と表示します）。
        </p>
        {measures.map((m) => (
          <section aria-labelledby={`m-${m.code}`}>
            <h2 id={`m-${m.code}`}>
              {m.code} {m.name}
            </h2>
            <ul>
              {kids(m.id, 'indicator').map((i) => {
                const ind = tree.indicators.get(i.id);
                return (
                  <li>
                    {i.name}（{i.code}、単位 {ind?.unit}、目標値{' '}
                    {ind?.targetValue === null || ind?.targetValue === undefined
                      ? '資料に記載なし'
                      : `${formatNumber(ind.targetValue)}${ind.unit}`}
                    ）
                  </li>
                );
              })}
              {kids(m.id, 'indicator').length === 0 && <li>指標はまだありません。</li>}
            </ul>
            <details>
              <summary>{m.code} に指標を追加する</summary>
              <form method="post" action={`/staff/measures/${tree.plan.id}/add`} class="filters">
                <Csrf c={c} />
                <input type="hidden" name="parent" value={m.code} />
                <NewIndicatorNameUnit />
                <label>
                  目標値（資料にない場合は空欄）
                  <input name="target" inputmode="decimal" />
                </label>
                <label>
                  目標年
                  <input name="targetYear" inputmode="numeric" />
                </label>
                <Reason />
                <button type="submit">追加する</button>
              </form>
            </details>
          </section>
        ))}
      </>,
      status,
    );
  }

  app.get('/staff/measures/:planId', (c) => page(c));
  app.post('/staff/measures/:planId/add', async (c) => {
    const form = await c.req.parseBody();
    return submitForm(
      c,
      async () => {
        await plans.queries.tree(planId(c), 'policy_tree');
        // This page adds indicators only, whatever the form says.
        const v = parse(addNodeInput, { ...form, kind: 'indicator' }, '追加');
        return plans.commands.addNode(c.get('actor'), { planId: planId(c), ...v, indicator: parse(measureIndicatorInput, form, '指標') });
      },
      (m, s) => page(c, m, s),
      () => c.redirect(`/staff/measures/${planId(c)}#m-${encodeURIComponent(String(form.parent))}`, 303),
    );
  });
  return app;
}
