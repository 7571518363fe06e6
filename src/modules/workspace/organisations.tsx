// The organisation registry on the staff screens (/staff/organisations), for prefecture
// administrators: the departments with their sections and the municipalities; add a department or
// a section, rename, retire and restore. The writes are the organisations module's commands.
import { Hono, type Context } from 'hono';
import { notFound, type FormStatus } from '../../platform/errors.ts';
import { parse } from '../../platform/http.ts';
import { TableScroll } from '../../web/layout.tsx';
import { addUnitInput, canManageUnits, renameUnitInput, type OrganisationsModule, type OrgUnit } from '../organisations/index.ts';
import { invalidIf, refusedField, typedValues, type Refused } from './entry-form.tsx';
import { submitForm } from './form.ts';
import { Alert, Csrf, staffPage, type Env } from './page.tsx';

const PATH = '/staff/organisations';

function FieldError(props: { refused?: Refused; form: string }) {
  return props.refused?.form === props.form ? (
    <p id={`err-${props.form}`} class="differs" role="alert">
      {props.refused.message}
    </p>
  ) : null;
}

function UnitRow(props: { c: Context<Env>; unit: OrgUnit; label: string; refused?: Refused }) {
  const { c, unit: u, refused } = props;
  const form = `rename-${u.id}`;
  const mine = refused?.form === form ? refused : undefined;
  return (
    <tr>
      <th scope="row">
        {props.label}
        {u.retired && <span class="badge">廃止</span>}
      </th>
      <td>
        <FieldError refused={refused} form={form} />
        <form method="post" action={`${PATH}/${encodeURIComponent(u.id)}/rename`} class="filters">
          <Csrf c={c} />
          <label>
            名称
            <input name="name" required maxlength={50} value={mine?.values.name ?? u.name} {...invalidIf(mine, 'name', `err-${form}`)} />
          </label>
          <button type="submit">名称を変える</button>
        </form>
      </td>
      <td>
        <form method="post" action={`${PATH}/${encodeURIComponent(u.id)}/${u.retired ? 'restore' : 'retire'}`}>
          <Csrf c={c} />
          <button type="submit">{u.retired ? '復活させる' : '廃止する'}</button>
        </form>
      </td>
    </tr>
  );
}

export function organisationRoutes(deps: { organisations: Pick<OrganisationsModule, 'queries' | 'commands'> }) {
  const { organisations } = deps;
  const app = new Hono<Env>();

  const admin = (c: Context<Env>) => {
    const actor = c.get('actor');
    if (!canManageUnits(actor)) throw notFound('ページ');
    return actor;
  };

  async function page(c: Context<Env>, status: 200 | FormStatus = 200, refused?: Refused, error?: string) {
    admin(c);
    const units = await organisations.queries.units();
    const departments = units.filter((u) => u.kind === 'department');
    const municipalities = units.filter((u) => u.kind === 'municipality');
    const add = refused?.form === 'add' ? refused : undefined;
    return staffPage(
      c,
      '組織一覧',
      <>
        <h1>組織一覧</h1>
        <p>
          担当部局・アカウントの所属はここにある部局・課から選びます。廃止した組織は履歴と今の割り当てに残りますが、新しく選ぶことはできません。
        </p>
        <Alert message={error} />
        <h2>部局・課を加える</h2>
        <FieldError refused={refused} form="add" />
        <form method="post" action={PATH} class="filters">
          <Csrf c={c} />
          <label>
            部局（課を加えるとき）
            <select name="parentId" {...invalidIf(add, 'parentId', 'err-add')}>
              <option value="">（新しい部局として加える）</option>
              {departments
                .filter((d) => !d.retired)
                .map((d) => (
                  <option value={d.id} selected={add?.values.parentId === d.id}>
                    {d.name}
                  </option>
                ))}
            </select>
          </label>
          <label>
            名称
            <input name="name" required maxlength={50} value={add?.values.name ?? ''} {...invalidIf(add, 'name', 'err-add')} />
          </label>
          <button type="submit">加える</button>
        </form>
        <h2>部局と課</h2>
        <TableScroll label="部局と課">
          <table>
            <thead>
              <tr>
                <th scope="col">組織</th>
                <th scope="col">名称の変更</th>
                <th scope="col">廃止・復活</th>
              </tr>
            </thead>
            <tbody>
              {departments.flatMap((d) => [
                <UnitRow c={c} unit={d} label={d.name} refused={refused} />,
                ...units
                  .filter((s) => s.parentId === d.id)
                  .map((s) => <UnitRow c={c} unit={s} label={`${d.name} › ${s.name}`} refused={refused} />),
              ])}
            </tbody>
          </table>
        </TableScroll>
        <h2>市町村（{municipalities.length}）</h2>
        <TableScroll label="市町村">
          <table>
            <thead>
              <tr>
                <th scope="col">市町村</th>
                <th scope="col">名称の変更</th>
                <th scope="col">廃止・復活</th>
              </tr>
            </thead>
            <tbody>
              {municipalities.map((m) => (
                <UnitRow c={c} unit={m} label={`${m.name}（${m.id}）`} refused={refused} />
              ))}
            </tbody>
          </table>
        </TableScroll>
      </>,
      status,
    );
  }

  const unitId = (c: Context) => c.req.param('id') ?? '';
  app.get(PATH, (c) => page(c));
  app.post(PATH, async (c) => {
    const form = await c.req.parseBody();
    return submitForm(
      c,
      () => organisations.commands.addUnit(admin(c), parse(addUnitInput, form, '組織')),
      (message, s, details) => page(c, s, { form: 'add', values: typedValues(form), message, field: refusedField(details) }),
      PATH,
    );
  });
  app.post(`${PATH}/:id/rename`, async (c) => {
    const form = await c.req.parseBody();
    return submitForm(
      c,
      () => organisations.commands.renameUnit(admin(c), { id: unitId(c), ...parse(renameUnitInput, form, '組織') }),
      (message, s, details) =>
        page(c, s, { form: `rename-${unitId(c)}`, values: typedValues(form), message, field: refusedField(details) }),
      PATH,
    );
  });
  for (const verb of ['retire', 'restore'] as const)
    app.post(`${PATH}/:id/${verb}`, async (c) =>
      submitForm(
        c,
        () => organisations.commands[verb === 'retire' ? 'retireUnit' : 'restoreUnit'](admin(c), { id: unitId(c) }),
        (message, s) => page(c, s, undefined, message),
        PATH,
      ),
    );
  return app;
}
