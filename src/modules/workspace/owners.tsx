// Owners of a reportable plan's indicators (the DX plan unless ?plan= names the city plan) (/staff/owners), for plan and prefecture administrators:
// every indicator with its owner, filtered (unassigned, by owner, by KPI), checkboxes and one unit
// select that assigns all the checked ones at once (plans' assignOwner: one transaction, an audit
// entry per indicator). Owners the registry does not know (free text the migration could not
// match) are listed to be fixed.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { notFound, type FormStatus } from '../../platform/errors.ts';
import { parse } from '../../platform/http.ts';
import { TableScroll } from '../../web/layout.tsx';
import { unitNames, type OrganisationsModule, type OrgUnit } from '../organisations/index.ts';
import { canAssignOwner, ownerInput, type PlansModule } from '../plans/index.ts';
import { refusedField, type Refused } from './entry-form.tsx';
import { submitForm } from './form.ts';
import { Csrf, staffPage, type Env } from './page.tsx';
import { reportablePlan, reportablePlans } from './plan-of-kind.ts';

const PATH = '/staff/owners';

const code = z.string().max(100);
const filterInput = z.object({
  plan: code.optional(),
  filter: z.enum(['all', 'unassigned', 'owner']).default('all'),
  owner: z.string().max(200).optional(),
  kpi: code.optional(),
});
type Filter = z.output<typeof filterInput>;
const selection = z.object({ indicators: z.array(code).max(1000, '一度に選べる指標は1000件までです。') });

const queryString = (f: Filter) => {
  const q = new URLSearchParams();
  if (f.plan) q.set('plan', f.plan);
  if (f.filter !== 'all') q.set('filter', f.filter);
  if (f.filter === 'owner' && f.owner) q.set('owner', f.owner);
  if (f.kpi) q.set('kpi', f.kpi);
  const s = q.toString();
  return s ? `?${s}` : '';
};

/** Active departments, each followed by its active sections, then the municipalities (for what a municipality reports itself, as a city's own plan): what a new owner is chosen from. */
function UnitOptions(props: { units: OrgUnit[]; selected?: string }) {
  const departments = props.units.filter((u) => u.kind === 'department' && !u.retired);
  return (
    <>
      {departments.map((d) => (
        <optgroup label={d.name}>
          <option value={d.id} selected={props.selected === d.id}>
            {d.name}（部局全体）
          </option>
          {props.units
            .filter((s) => s.parentId === d.id && !s.retired)
            .map((s) => (
              <option value={s.id} selected={props.selected === s.id}>
                {s.fullName}
              </option>
            ))}
        </optgroup>
      ))}
      <optgroup label="市町村">
        {props.units
          .filter((m) => m.kind === 'municipality' && !m.retired)
          .map((m) => (
            <option value={m.id} selected={props.selected === m.id}>
              {m.name}
            </option>
          ))}
      </optgroup>
    </>
  );
}

export function ownerRoutes(deps: {
  plans: Pick<PlansModule, 'commands' | 'queries'>;
  organisations: Pick<OrganisationsModule, 'queries'>;
}) {
  const { plans, organisations } = deps;
  const app = new Hono<Env>();

  const readFilter = (c: Context<Env>) => {
    if (!canAssignOwner(c.get('actor'))) throw notFound('ページ');
    const q = Object.fromEntries(Object.entries(c.req.query()).filter(([, v]) => v !== ''));
    return parse(filterInput, q, '絞り込み');
  };

  async function page(c: Context<Env>, f: Filter, status: 200 | FormStatus = 200, refused?: Refused & { checked: string[] }) {
    const reportable = await reportablePlans(plans);
    const plan = await reportablePlan(plans, f.plan);
    const [indicators, units, tree] = await Promise.all([
      plans.queries.indicatorsForEntry(plan.id),
      organisations.queries.units(),
      plans.queries.tree(plan.id, plan.kind),
    ]);
    const name = unitNames(units);
    const known = new Set(units.map((u) => u.id));
    const unknown = [
      ...new Set(indicators.flatMap((i) => (i.ownerDepartment && !known.has(i.ownerDepartment) ? [i.ownerDepartment] : []))),
    ];
    const kpis = tree.nodes.filter((n) => n.kind === 'kpi');
    const owners = [...new Set(indicators.flatMap((i) => (i.ownerDepartment ? [i.ownerDepartment] : [])))];
    const shown = indicators.filter(
      (i) =>
        (f.filter === 'all' || (f.filter === 'unassigned' ? !i.ownerDepartment : i.ownerDepartment === f.owner)) &&
        (!f.kpi || i.kpiCode === f.kpi),
    );
    const checked = new Set(refused?.checked ?? []);
    const kpiName = new Map(kpis.map((k) => [k.code, k.name]));
    return staffPage(
      c,
      '担当部局の設定',
      <>
        <h1>担当部局の設定（{plan.name}）</h1>
        <p>指標を選び、担当する部局・課を一度に割り当てます。部局を選ぶと、その部局の編集者全員が入力できます。</p>
        {unknown.length > 0 && (
          <ul class="differs" aria-label="組織一覧にない担当部局">
            {unknown.map((u) => (
              <li>組織一覧にない担当部局: {u}（該当する指標を選び、組織一覧の部局・課を割り当ててください）</li>
            ))}
          </ul>
        )}
        <form method="get" action={PATH} class="filters" aria-label="絞り込み">
          {reportable.length > 1 && (
            <label>
              計画
              <select name="plan">
                {reportable.map((p) => (
                  <option value={p.id} selected={p.id === plan.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          <label>
            表示
            <select name="filter">
              <option value="all" selected={f.filter === 'all'}>
                すべての指標
              </option>
              <option value="unassigned" selected={f.filter === 'unassigned'}>
                担当部局が未設定
              </option>
              <option value="owner" selected={f.filter === 'owner'}>
                次の担当部局の指標
              </option>
            </select>
          </label>
          <label>
            担当部局
            <select name="owner">
              <option value="">－</option>
              {owners.map((o) => (
                <option value={o} selected={f.owner === o}>
                  {name(o)}
                </option>
              ))}
            </select>
          </label>
          <label>
            KPI
            <select name="kpi">
              <option value="">すべて</option>
              {kpis.map((k) => (
                <option value={k.code} selected={f.kpi === k.code}>
                  {k.name}
                </option>
              ))}
            </select>
          </label>
          <button type="submit">絞り込む</button>
        </form>
        <form method="post" action={`${PATH}${queryString(f)}`}>
          <Csrf c={c} />
          {refused && (
            <p id="err-owners" class="differs" role="alert">
              {refused.message}（選んだ指標と担当部局はそのまま残っています）
            </p>
          )}
          <TableScroll label={`指標（${shown.length}件）`}>
            <table>
              <thead>
                <tr>
                  <th scope="col">選択</th>
                  <th scope="col">指標</th>
                  <th scope="col">KPI</th>
                  <th scope="col">現在の担当部局</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((i) => (
                  <tr>
                    <td>
                      <input
                        type="checkbox"
                        name="indicators"
                        value={i.code}
                        id={`o-${i.code}`}
                        checked={checked.has(i.code)}
                        aria-label={`${i.name}を選ぶ`}
                      />
                    </td>
                    <th scope="row">
                      <label for={`o-${i.code}`}>{i.name}</label>
                      <span class="period">{i.code}</span>
                    </th>
                    <td>{(i.kpiCode && kpiName.get(i.kpiCode)) ?? '－'}</td>
                    <td>{i.ownerDepartment ? name(i.ownerDepartment) : '未設定'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
          {shown.length === 0 && <p>該当する指標はありません。</p>}
          <p class="filters">
            <label>
              選んだ指標の担当部局
              <select
                name="department"
                {...(refused?.field === 'department' || refused?.field === 'indicators'
                  ? { 'aria-invalid': 'true' as const, 'aria-describedby': 'err-owners' }
                  : {})}
              >
                <option value="">（未設定にする）</option>
                <UnitOptions units={units} selected={refused?.values.department} />
              </select>
            </label>
            <button type="submit">選んだ指標に割り当てる</button>
          </p>
        </form>
      </>,
      status,
    );
  }

  app.get(PATH, (c) => page(c, readFilter(c)));
  app.post(PATH, async (c) => {
    const f = readFilter(c);
    const body = await c.req.parseBody({ all: true });
    const list = body.indicators === undefined ? [] : ([] as unknown[]).concat(body.indicators);
    const department = typeof body.department === 'string' ? body.department : '';
    const checked = list.filter((x): x is string => typeof x === 'string');
    return submitForm(
      c,
      async () => {
        const { indicators } = parse(selection, { indicators: list }, '指標');
        const plan = await reportablePlan(plans, f.plan);
        return plans.commands.assignOwner(c.get('actor'), {
          planId: plan.id,
          indicatorCodes: indicators,
          ...parse(ownerInput, { department }, '担当部局'),
        });
      },
      (message, s, details) =>
        page(c, f, s, { form: 'owners', values: { department }, message, field: refusedField(details), checked: checked.slice(0, 1000) }),
      `${PATH}${queryString(f)}`,
    );
  });
  return app;
}
