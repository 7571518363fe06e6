// 職員の個人データ保護ページ (/staff/data-protection), for prefecture administrators: consents by
// purpose and recipient, the access log (filters, pages, CSV) with the bulk-read alert, and a
// resident's disclosure (開示, a JSON download) or deletion on request. The reads and writes are the
// residents module's; every disclosure and deletion is audited there.
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { badRequest, notFound, type FormStatus } from '../../platform/errors.ts';
import { parse } from '../../platform/http.ts';
import type { IdentityModule } from '../identity/index.ts';
import { unitNames, type OrganisationsModule } from '../organisations/index.ts';
import {
  BULK_READ_THRESHOLD,
  DISCLOSURE,
  heldPurposes,
  purposeLabel,
  purposes,
  requestInput,
  type AccessLogFilter,
  type ResidentsModule,
} from '../residents/index.ts';
import { jstDayStart, toCsv } from './audit-format.ts';
import { AccessLogTable, BulkReadAlert, ConsentTable, accessCsvHeader, accessCsvRow } from './data-protection-view.tsx';
import { LegalBasisForm } from './data-protection-legal-basis.tsx';
import { invalidIf, refusedField, typedValues, type Refused } from './entry-form.tsx';
import { FilterForm, FilterSelect } from './filters.tsx';
import { submitForm } from './form.ts';
import { Csrf, staffPage, type Env } from './page.tsx';
import { canProtectData } from './rules.ts';

const PATH = '/staff/data-protection';
export const ACCESS_PAGE_SIZE = 100;
const CSV_LIMIT = 50_000;
// Every purpose the log may name: consentable, held (an id in both lists is one choice, both titles), the disclosure export.
const purposeChoices = [...new Set([...purposes.map((p) => p.id), ...heldPurposes.map((p) => p.id), DISCLOSURE])].map((id) => {
  const [consent, held] = [purposeLabel(id, 'consent'), purposeLabel(id, 'held')];
  return { value: id, label: consent === held ? consent : `${consent}／${held}` };
});

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日付は 2026-12-01 の形で入力してください。')
  .refine((d) => !Number.isNaN(Date.parse(d)), '日付が正しくありません。');
const filterInput = z.object({
  organisation: z.string().max(200).optional(),
  purpose: z.string().max(200).optional(),
  allowed: z.enum(['yes', 'no'], { message: '結果は「許可」か「拒否」を選んでください。' }).optional(),
  from: day.optional(),
  to: day.optional(),
  page: z.coerce.number().int('ページは整数です。').min(1).max(1_000_000).default(1),
});
type FilterInput = z.infer<typeof filterInput>;
const filterKeys = ['organisation', 'purpose', 'allowed', 'from', 'to'] as const;

const toFilter = (f: FilterInput): AccessLogFilter => ({
  organisationId: f.organisation,
  purposeId: f.purpose,
  allowed: f.allowed === undefined ? undefined : f.allowed === 'yes',
  from: f.from === undefined ? undefined : jstDayStart(f.from),
  to: f.to === undefined ? undefined : new Date(Date.parse(jstDayStart(f.to)) + 86_400_000).toISOString(),
});

function queryString(f: FilterInput, page?: number) {
  const q = new URLSearchParams();
  for (const k of filterKeys) if (f[k]) q.set(k, f[k]);
  if (page && page > 1) q.set('page', String(page));
  const s = q.toString();
  return s ? `?${s}` : '';
}

function FieldError(props: { refused?: Refused; form: string }) {
  return props.refused?.form === props.form ? (
    <p id={`err-${props.form}`} class="differs" role="alert">
      {props.refused.message}
    </p>
  ) : null;
}

/** 受付番号 + 理由, the same for a disclosure and a deletion. */
function RequestForm(props: { c: Context<Env>; form: 'export' | 'delete'; refused?: Refused; button: string; confirm?: boolean }) {
  const mine = props.refused?.form === props.form ? props.refused : undefined;
  const err = `err-${props.form}`;
  return (
    <>
      <FieldError refused={props.refused} form={props.form} />
      <form method="post" action={`${PATH}/${props.form}`} class="filters">
        <Csrf c={props.c} />
        <label>
          受付番号
          <input name="residentId" required maxlength={80} value={mine?.values.residentId ?? ''} {...invalidIf(mine, 'residentId', err)} />
        </label>
        <label>
          理由
          <input name="reason" required maxlength={500} value={mine?.values.reason ?? ''} {...invalidIf(mine, 'reason', err)} />
        </label>
        {props.confirm ? (
          <label class="choice">
            <input type="checkbox" name="confirm" value="yes" required {...invalidIf(mine, 'confirm', err)} />
            この住民の個人データを削除します（元に戻せません）
          </label>
        ) : null}
        <button type="submit">{props.button}</button>
      </form>
    </>
  );
}

export function dataProtectionRoutes(deps: {
  identity: Pick<IdentityModule, 'queries'>;
  organisations: Pick<OrganisationsModule, 'queries'>;
  residents: Pick<ResidentsModule, 'queries' | 'commands'>;
}) {
  const { identity, organisations, residents } = deps;
  const app = new Hono<Env>();

  const admin = (c: Context<Env>) => {
    const actor = c.get('actor');
    if (!canProtectData(actor)) throw notFound('ページ');
    return actor;
  };

  async function names() {
    const [accounts, units] = await Promise.all([identity.queries.listAccounts(), organisations.queries.units()]);
    const byId = new Map(accounts.map((a) => [a.id, a.name]));
    return { units, unitName: unitNames(units), who: (id: string) => byId.get(id) ?? id };
  }

  async function page(c: Context<Env>, status: 200 | FormStatus = 200, refused?: Refused, checked: string[] = []) {
    admin(c);
    const input = parse(filterInput, Object.fromEntries(Object.entries(c.req.query()).filter(([, v]) => v.trim() !== '')), '絞り込み');
    const [{ units, unitName, who }, counts, bulk, found] = await Promise.all([
      names(),
      residents.queries.consentCounts(),
      residents.queries.bulkReads(),
      residents.queries.accessLog(toFilter(input), { limit: ACCESS_PAGE_SIZE + 1, offset: (input.page - 1) * ACCESS_PAGE_SIZE }),
    ]);
    const more = found.length > ACCESS_PAGE_SIZE;
    return staffPage(
      c,
      '個人データの保護',
      <>
        <h1>個人データの保護</h1>
        <BulkReadAlert rows={bulk} who={who} unitName={unitName} threshold={BULK_READ_THRESHOLD} />
        <h2>同意と撤回</h2>
        <ConsentTable rows={counts} unitName={unitName} />
        <h2>閲覧記録</h2>
        <FilterForm action={PATH} label="閲覧記録の絞り込み" from={input.from} to={input.to}>
          <FilterSelect
            name="organisation"
            label="組織"
            selected={input.organisation}
            choices={units.map((u) => ({ value: u.id, label: u.fullName }))}
          />
          <FilterSelect name="purpose" label="利用目的" selected={input.purpose} choices={purposeChoices} />
          <FilterSelect
            name="allowed"
            label="結果"
            selected={input.allowed}
            choices={[
              { value: 'yes', label: '許可' },
              { value: 'no', label: '拒否' },
            ]}
          />
        </FilterForm>
        <p>
          <a href={`${PATH}/access-log.csv${queryString(input)}`}>CSVで書き出す</a>（絞り込んだ記録すべて、Excel で開けます）
        </p>
        <AccessLogTable
          rows={found.slice(0, ACCESS_PAGE_SIZE)}
          who={who}
          unitName={unitName}
          label={`閲覧記録（新しい順、${input.page}ページ目）`}
        />
        <nav aria-label="ページ送り" class="pager">
          {input.page > 1 ? <a href={`${PATH}${queryString(input, input.page - 1)}`}>前の{ACCESS_PAGE_SIZE}件</a> : null}{' '}
          {more ? <a href={`${PATH}${queryString(input, input.page + 1)}`}>次の{ACCESS_PAGE_SIZE}件</a> : null}
        </nav>
        <h2>開示の請求（個人データの書き出し）</h2>
        <p>
          住民がマイページに表示された受付番号で請求したとき、その住民の登録内容・同意・閲覧記録を JSON
          で書き出します。書き出しも閲覧記録と監査ログに残ります。
        </p>
        <RequestForm c={c} form="export" refused={refused} button="書き出す" />
        <h2>削除の請求</h2>
        <p>登録された個人データを削除し、アカウントを閉じます。同意の記録と閲覧記録は法令に基づき保存します。</p>
        <RequestForm c={c} form="delete" refused={refused} button="削除する" confirm />
        <h2>法令に基づく提供の記録</h2>
        <p>同意がなくても、法令に基づき組織が読めるようにします（災害時の人命の保護など）。記録は住民のマイページにも表示されます。</p>
        <LegalBasisForm c={c} units={units} refused={refused} checked={checked} />
      </>,
      status,
    );
  }

  app.get(PATH, (c) => page(c));

  app.get(`${PATH}/access-log.csv`, async (c) => {
    admin(c);
    const input = parse(filterInput, Object.fromEntries(Object.entries(c.req.query()).filter(([, v]) => v.trim() !== '')), '絞り込み');
    const [{ who, unitName }, rows] = await Promise.all([
      names(),
      residents.queries.accessLog(toFilter(input), { limit: CSV_LIMIT, offset: 0 }),
    ]);
    c.header('Cache-Control', 'no-store');
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', 'attachment; filename="access-log.csv"');
    return c.body(toCsv([accessCsvHeader, ...rows.map((r) => accessCsvRow(r, who, unitName))]));
  });

  app.post(`${PATH}/export`, async (c) => {
    const actor = admin(c);
    const form = await c.req.parseBody();
    return submitForm(
      c,
      () => residents.commands.exportResidentData(actor, parse(requestInput, form, '開示の請求')),
      (message, s, details) => page(c, s, { form: 'export', values: typedValues(form), message, field: refusedField(details) }),
      (data) => {
        c.header('Cache-Control', 'no-store');
        // The resident id is Renkei's own, not personal data; the file name says whose export it is.
        c.header('Content-Disposition', `attachment; filename="disclosure-${data.residentId}.json"`);
        return c.json(data);
      },
    );
  });

  app.post(`${PATH}/delete`, async (c) => {
    const actor = admin(c);
    const form = await c.req.parseBody();
    return submitForm(
      c,
      async () => {
        const input = parse(requestInput, form, '削除の請求');
        if (form.confirm !== 'yes') throw badRequest('削除するには、確認の欄に印を付けてください。', { field: 'confirm' });
        return residents.commands.deleteResidentData(actor, input);
      },
      (message, s, details) => page(c, s, { form: 'delete', values: typedValues(form), message, field: refusedField(details) }),
      PATH,
    );
  });
  app.post(`${PATH}/legal-basis`, async (c) => {
    const actor = admin(c);
    const form = await c.req.parseBody({ all: true });
    const one = (v: unknown) => (typeof v === 'string' ? v : undefined);
    const categories = ([] as unknown[]).concat(form.categories ?? []).filter((x): x is string => typeof x === 'string');
    const input = {
      ...Object.fromEntries(
        ['organisationId', 'purposeId', 'legalBasis', 'reason', 'residentId', 'municipalityCode', 'days'].map((k) => [k, one(form[k])]),
      ),
      categories,
    };
    return submitForm(
      c,
      () => residents.commands.recordLegalBasis(actor, input as Parameters<typeof residents.commands.recordLegalBasis>[1]),
      (message, s, details) =>
        page(c, s, { form: 'legal-basis', values: typedValues(form), message, field: refusedField(details) }, categories),
      PATH,
    );
  });
  return app;
}
