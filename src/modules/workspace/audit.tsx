// The audit trail on the staff screens: entries filtered by who, what, when and organisation (a plain GET form,
// a page at a time, and the same rows as CSV), one record's history, and whether the hash chain
// holds. Administrators and approvers see everything; other staff their own entries (rules.ts).
import type { Context } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod';
import { auditActions, searchAudit, verifyAuditChain, type AuditFilter } from '../../platform/audit.ts';
import type { Db } from '../../platform/db.ts';
import { notFound } from '../../platform/errors.ts';
import { parse } from '../../platform/http.ts';
import type { Actor, IdentityModule, StaffAccount } from '../identity/index.ts';
import { covers, unitNames, type OrganisationsModule } from '../organisations/index.ts';
import { actionLabel, entityCodes, entityLabel, jstDayStart, toCsv } from './audit-format.ts';
import { FilterForm, FilterSelect } from './filters.tsx';
import { AuditTable, ChainStatus, csvHeader, csvRow, organisationOf, whoMap } from './audit-view.tsx';
import { staffPage, type Env } from './page.tsx';
import { auditScope } from './rules.ts';

export const AUDIT_PAGE_SIZE = 100;
/** A CSV holds at most this many entries; a longer period is exported in parts. */
const CSV_LIMIT = 50_000;

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日付は 2026-12-01 の形で入力してください。')
  .refine((d) => !Number.isNaN(Date.parse(d)), '日付が正しくありません。');
const text = z.string().max(200);
const filterInput = z.object({
  who: text.optional(),
  action: text.optional(),
  entity: text.optional(),
  /** The organisation of the actors: a unit's id (a department includes its sections). */
  unit: text.optional(),
  from: day.optional(),
  to: day.optional(),
  page: z.coerce.number().int('ページは整数です。').min(1).max(1_000_000).default(1),
});
type FilterInput = z.infer<typeof filterInput>;

/** The form's fields, without the empty ones (an unset select sends ""). */
const filled = (q: Record<string, string>) => Object.fromEntries(Object.entries(q).filter(([, v]) => v.trim() !== ''));

/** Whether an account belongs to a unit: its department or section (a department covers its sections), or its municipality. */
const inUnit = (a: StaffAccount, unit: string) => covers(unit, a.department) || a.municipalityCode === unit;

function toFilter(actor: Actor, f: FilterInput, accounts: StaffAccount[]): AuditFilter {
  const nextDay = (d: string) => new Date(Date.parse(jstDayStart(d)) + 86_400_000).toISOString();
  return {
    // Staff who see only their own entries get only those, whatever the URL asks for.
    actorId: auditScope(actor) === 'all' ? f.who : actor.id,
    actorIds: f.unit === undefined ? undefined : accounts.filter((a) => inUnit(a, f.unit!)).map((a) => a.id),
    action: f.action,
    entity: f.entity,
    from: f.from === undefined ? undefined : jstDayStart(f.from),
    to: f.to === undefined ? undefined : nextDay(f.to),
  };
}

function queryString(f: FilterInput, page?: number) {
  const q = new URLSearchParams();
  for (const k of ['who', 'action', 'entity', 'unit', 'from', 'to'] as const) if (f[k]) q.set(k, f[k]);
  if (page && page > 1) q.set('page', String(page));
  const s = q.toString();
  return s ? `?${s}` : '';
}

export function auditRoutes(deps: {
  db: Db;
  identity: Pick<IdentityModule, 'queries'>;
  organisations: Pick<OrganisationsModule, 'queries'>;
}) {
  const { db, identity, organisations } = deps;
  const app = new Hono<Env>();

  /** Names for the actors an actor may see: everyone for overseers, just themselves otherwise. */
  async function names(actor: Actor) {
    if (auditScope(actor) === 'all') return identity.queries.listAccounts();
    const self = await identity.queries.findAccount(actor.id);
    return self ? [self] : [];
  }

  async function readFilter(c: Context<Env>) {
    const actor = c.get('actor');
    if (auditScope(actor) === 'none') throw notFound('ページ');
    const input = parse(filterInput, filled(c.req.query()), '絞り込み');
    const [accounts, units] = await Promise.all([names(actor), organisations.queries.units()]);
    const unitName = unitNames(units);
    return { actor, input, accounts, units, unitName, who: whoMap(accounts, unitName), filter: toFilter(actor, input, accounts) };
  }

  app.get('/staff/audit', async (c) => {
    const { actor, input, filter, accounts, units, unitName, who } = await readFilter(c);
    const all = auditScope(actor) === 'all';
    const [found, actions, chain] = await Promise.all([
      searchAudit(db, filter, { limit: AUDIT_PAGE_SIZE + 1, offset: (input.page - 1) * AUDIT_PAGE_SIZE }),
      auditActions(db),
      all ? verifyAuditChain(db) : null,
    ]);
    const rows = found.slice(0, AUDIT_PAGE_SIZE);
    const more = found.length > AUDIT_PAGE_SIZE;
    return staffPage(
      c,
      '監査ログ',
      <>
        <h1>監査ログ</h1>
        {all ? <ChainStatus chain={chain!} /> : <p>あなたが行った操作の記録です。</p>}
        <FilterForm action="/staff/audit" label="絞り込み" from={input.from} to={input.to}>
          {all ? (
            <FilterSelect
              name="who"
              label="操作者"
              selected={input.who}
              choices={[...accounts]
                .sort((a, b) => a.name.localeCompare(b.name, 'ja'))
                .map((a) => {
                  const org = organisationOf(a, unitName);
                  return { value: a.id, label: org ? `${a.name}（${org}）` : a.name };
                })}
            />
          ) : null}
          {all ? (
            <FilterSelect
              name="unit"
              label="組織"
              selected={input.unit}
              choices={units.map((u) => ({
                value: u.id,
                label: `${u.kind === 'section' ? `\u3000${u.fullName}` : u.fullName}${u.retired ? '（廃止）' : ''}`,
              }))}
            />
          ) : null}
          <FilterSelect
            name="action"
            label="操作"
            selected={input.action}
            choices={actions.map((a) => ({ value: a, label: actionLabel(a) }))}
          />
          <FilterSelect
            name="entity"
            label="対象"
            selected={input.entity}
            choices={entityCodes.map((e) => ({ value: e, label: entityLabel(e) }))}
          />
        </FilterForm>
        <p>
          <a href={`/staff/audit.csv${queryString(input)}`}>CSVで書き出す</a>（絞り込んだ記録すべて、Excel で開けます）
        </p>
        <AuditTable label={`監査ログ（新しい順、${input.page}ページ目）`} rows={rows} who={who} unitName={unitName} showHash={all} />
        <nav aria-label="ページ送り" class="pager">
          {input.page > 1 ? <a href={`/staff/audit${queryString(input, input.page - 1)}`}>前の{AUDIT_PAGE_SIZE}件</a> : null}{' '}
          {more ? <a href={`/staff/audit${queryString(input, input.page + 1)}`}>次の{AUDIT_PAGE_SIZE}件</a> : null}
        </nav>
      </>,
    );
  });

  app.get('/staff/audit.csv', async (c) => {
    const { filter, who, unitName } = await readFilter(c);
    const rows = await searchAudit(db, filter, { limit: CSV_LIMIT, offset: 0 });
    c.header('Cache-Control', 'no-store');
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="audit-log.csv"`);
    return c.body(toCsv([csvHeader, ...rows.map((r) => csvRow(r, who, unitName))]));
  });

  app.get('/staff/audit/:entity/:id', async (c) => {
    const actor = c.get('actor');
    const scope = auditScope(actor);
    if (scope === 'none') throw notFound('変更履歴');
    const entity = c.req.param('entity');
    const entityId = c.req.param('id');
    const filter = { entity, entityId, actorId: scope === 'all' ? undefined : actor.id };
    const [rows, accounts, units] = await Promise.all([
      searchAudit(db, filter, { limit: 1000, offset: 0 }),
      names(actor),
      organisations.queries.units(),
    ]);
    const unitName = unitNames(units);
    const title = `変更履歴: ${entityLabel(entity)} ${entity === 'organisation_unit' ? unitName(entityId) : entityId}`;
    // Nothing of theirs, because there is nothing or because it is another's: the same answer. For
    // those who see everything an empty history is only a record never changed (the staff pages link to it).
    if (rows.length === 0 && scope !== 'all') throw notFound('変更履歴');

    return staffPage(
      c,
      '変更履歴',
      <>
        <h1>{title}</h1>
        {scope === 'all' ? <ChainStatus chain={await verifyAuditChain(db)} /> : <p>あなたが行った操作だけを表示しています。</p>}
        <AuditTable label={title} rows={rows} who={whoMap(accounts, unitName)} unitName={unitName} showHash={scope === 'all'} />
        <p>
          <a href="/staff/audit">監査ログへ戻る</a>
        </p>
      </>,
    );
  });
  return app;
}
