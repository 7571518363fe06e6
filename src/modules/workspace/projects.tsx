// Project budgets of the regional vision (事業費見込額): the lead municipality's editors.
import { Hono, type Context } from 'hono';
import { notFound, type FormStatus } from '../../platform/errors.ts';
import { parse } from '../../platform/http.ts';
import type { AmountCell } from '../../platform/columns.ts';
import { budgetInput, canEditProjectOf, totalWarning, type PlansModule } from '../plans/index.ts';
import { invalidIf, refusedField, typedValues, type Refused } from './entry-form.tsx';
import { submitForm } from './form.ts';
import { Alert, Csrf, staffPage, type Env } from './page.tsx';
import { planOfKind } from './plan-of-kind.ts';

export function projectRoutes(deps: { plans: Pick<PlansModule, 'commands' | 'queries'> }) {
  const { plans } = deps;
  const app = new Hono<Env>();
  const projectNumberOf = (c: Context) => {
    const n = Number(c.req.param('number'));
    if (!Number.isInteger(n) || n < 1) throw notFound('事業');
    return n;
  };

  async function projectPage(c: Context<Env>, number: number, error?: string, status: 200 | FormStatus = 200, refused?: Refused) {
    const vision = await planOfKind(plans, 'vision');
    const p = await plans.queries.projectForEdit(vision.id, number);
    if (!p || !p.leadMunicipality || !canEditProjectOf(c.get('actor'), p.leadMunicipality)) throw notFound('事業');
    const cell = (fy: number | null) => {
      const b = p.budgets.find((x) => x.fiscalYear === fy);
      return !b || b.cell === 'blank' ? '' : b.cell === 'dash' ? '－' : String(b.amount);
    };
    const errorId = 'budget-error';
    const years = await plans.queries.fiscalYears(vision.id);
    const amountOf = (fy: number | null): AmountCell => {
      const b = p.budgets.find((x) => x.fiscalYear === fy);
      return b ? { amount: b.amount, cell: b.cell as AmountCell['cell'] } : { amount: null, cell: 'blank' };
    };
    // A year saved while 計 was left: said here, as the public page shows it as a difference.
    const warning = totalWarning(p, years.map(amountOf), amountOf(null));
    const fields: [string, string, number | null][] = [
      ...years.map((fy): [string, string, number] => [`y${fy}`, `${fy}年度`, fy]),
      ['total', '計', null],
    ];
    return staffPage(
      c,
      `No.${p.number} ${p.name}`,
      <>
        <h1>
          No.{p.number} {p.name}：事業費見込額（千円）
        </h1>
        <Alert message={error ?? (refused && `No.${p.number} ${p.name}の事業費見込額を保存しませんでした。${refused.message}`)} />
        {warning && <p class="differs">{warning}</p>}
        <p>整数（千円）、「－」、または空欄で入力してください。空欄と「－」は 0 とは扱いません。</p>
        <form method="post" action={`/staff/projects/${p.number}`} class="filters">
          <Csrf c={c} />
          {fields.map(([name, label, fy]) => (
            <label>
              {label}
              <input name={name} value={refused?.values[name] ?? cell(fy)} inputmode="numeric" {...invalidIf(refused, name, errorId)} />
              {refused?.field === name && (
                <span id={errorId} class="differs">
                  {refused.message}
                </span>
              )}
            </label>
          ))}
          <label>
            変更の理由
            <input name="reason" required value={refused?.values.reason ?? ''} {...invalidIf(refused, 'reason', errorId)} />
            {refused?.field === 'reason' && (
              <span id={errorId} class="differs">
                {refused.message}
              </span>
            )}
          </label>
          <button type="submit">保存する</button>
        </form>
        <p>
          <a href={`/plans/${vision.id}/projects/${p.number}`}>公開ページで見る</a>・<a href={`/staff/audit/project/${p.code}`}>変更履歴</a>
        </p>
      </>,
      status,
    );
  }

  app.get('/staff/projects/:number', (c) => projectPage(c, projectNumberOf(c)));
  app.post('/staff/projects/:number', async (c) => {
    const form = await c.req.parseBody();
    return submitForm(
      c,
      async () => {
        const vision = await planOfKind(plans, 'vision');
        const input = parse(budgetInput(await plans.queries.fiscalYears(vision.id)), form, '事業費見込額');
        await plans.commands.updateBudget(c.get('actor'), { planId: vision.id, number: projectNumberOf(c), ...input });
      },
      // The form again with everything typed, the message beside the field that caused it.
      (message, s, details) =>
        projectPage(c, projectNumberOf(c), undefined, s, {
          form: 'budget',
          values: typedValues(form),
          message: message.replace(/^事業費見込額: /, ''),
          field: refusedField(details),
        }),
      `/staff/projects/${projectNumberOf(c)}`,
    );
  });
  return app;
}
