// The audit log for people, over HTTP: who sees which entries, the filters and the CSV.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp } from '../../../test/db.ts';
import { appendAudit } from '../../platform/audit.ts';
import { createAccount } from '../identity/index.ts';
import { AUDIT_PAGE_SIZE } from './audit.tsx';
import { insertSession } from './repository.ts';

let t: Awaited<ReturnType<typeof createTestApp>>;
const ids: Record<string, string> = {};
const cookies: Record<string, string> = {};

async function account(key: string, name: string, roles: string[], extra: { department?: string; municipalityCode?: string } = {}) {
  const a = await createAccount(t.database.db, { email: `${key}@example.jp`, name, password: 'a long enough password', roles, ...extra });
  const sid = randomBytes(16).toString('hex');
  await insertSession(t.database.db, { id: sid, accountId: a.id, csrf: 'x', expiresAt: new Date(Date.now() + 3600_000) });
  ids[key] = a.id;
  cookies[key] = `renkei_staff=${sid}`;
}
const get = (key: string, path: string) => t.app.request(path, { headers: { cookie: cookies[key]! } });

/** An entry written at a given instant (only Date is faked: the database keeps its own clock). */
async function entryAt(iso: string, e: Parameters<typeof appendAudit>[1]) {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date(iso));
  try {
    await appendAudit(t.database.db, e);
  } finally {
    vi.useRealTimers();
  }
}

beforeAll(async () => {
  t = await createTestApp();
  await account('admin', '県 管理子', ['prefecture_admin']);
  await account('approver', '承認 太郎', ['approver']);
  await account('dx', 'DX 花子', ['department_editor'], { department: 'sogo-seisaku.dx-suishin' });
  await account('tourism', '観光 次郎', ['department_editor'], { department: 'kanko-koryu.kanko-seisaku' });
  // 2026-11-30 23:30 JST and 2026-12-01 14:05 JST
  await entryAt('2026-11-30T14:30:00.000Z', {
    actorId: ids.dx!,
    action: 'submit_entry',
    entity: 'indicator',
    entityId: 'industry-1-1',
    before: null,
    after: { value: 150, status: 'submitted', source: '=HYPERLINK("x")' },
    reason: '半期の実績, "速報"',
  });
  await entryAt('2026-12-01T05:05:00.000Z', {
    actorId: ids.tourism!,
    action: 'rename_kpi',
    entity: 'kpi',
    entityId: 'tourism-1',
    before: { name: '観光客数', components: 'a' },
    after: { name: '観光入込客数', components: 'a' },
  });
});
afterAll(() => t.close());

// As a row of the table (the labels are also the filter's choices).
const submitted = '<th scope="row">実績値の提出</th>';
const renamed = '<th scope="row">KPIの名称変更</th>';

describe('who sees what', () => {
  it('an administrator sees every entry with names, organisations, Japanese labels, JST times and the chain', async () => {
    const html = await (await get('admin', '/staff/audit')).text();
    expect(html).toContain('DX 花子');
    expect(html).toContain('総合政策部DX推進課');
    expect(html).toContain('観光 次郎');
    expect(html).toContain(submitted);
    expect(html).toContain(renamed);
    expect(html).toContain('名称: 観光客数 → 観光入込客数');
    expect(html).toContain('<time datetime="2026-12-01T05:05:00.000Z">2026年12月1日 14:05</time>');
    expect(html).toContain('ハッシュチェーンの検証');
    expect(html).toContain('<td>DX 花子<br/><small>総合政策部DX推進課</small></td>');
    expect(html).not.toContain(`<td>${ids.dx!}`);
    expect(html).not.toMatch(/>rename_kpi<|\{"/);
  });

  it('an approver sees all entries too', async () => {
    const html = await (await get('approver', '/staff/audit')).text();
    expect(html).toContain('DX 花子');
    expect(html).toContain('観光 次郎');
  });

  it('an editor sees only their own entries, without the chain, whatever the URL asks', async () => {
    for (const path of ['/staff/audit', `/staff/audit?who=${ids.tourism}`]) {
      const html = await (await get('dx', path)).text();
      expect(html).toContain(submitted);
      expect(html).not.toContain('観光 次郎');
      expect(html).not.toContain(renamed);
      expect(html).not.toContain('ハッシュチェーンの検証');
    }
    const csv = await (await get('dx', `/staff/audit.csv?who=${ids.tourism}`)).text();
    expect(csv).not.toContain('観光 次郎');
    expect(csv).toContain('DX 花子');
  });

  it('one record’s history: an editor gets 404 for another’s, as for a missing one; an approver sees it', async () => {
    expect((await get('dx', '/staff/audit/kpi/tourism-1')).status).toBe(404);
    expect((await get('dx', '/staff/audit/kpi/no-such')).status).toBe(404);
    const never = await get('admin', '/staff/audit/kpi/no-such');
    expect(never.status).toBe(200);
    expect(await never.text()).toContain('該当する記録はありません。');
    expect((await get('dx', '/staff/audit/indicator/industry-1-1')).status).toBe(200);
    const res = await get('approver', '/staff/audit/kpi/tourism-1');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('観光入込客数');
  });
});

describe('filters, pages and CSV', () => {
  const listed = async (query: string) => {
    const html = await (await get('admin', `/staff/audit${query}`)).text();
    return { dx: html.includes(submitted), tourism: html.includes(renamed) };
  };

  it.each([
    ['by who', () => `?who=${ids.tourism}`, { dx: false, tourism: true }],
    ['by action', () => '?action=submit_entry', { dx: true, tourism: false }],
    ['by entity', () => '?entity=kpi', { dx: false, tourism: true }],
    ['from a JST day', () => '?from=2026-12-01', { dx: false, tourism: true }],
    ['to a JST day (inclusive)', () => '?to=2026-11-30', { dx: true, tourism: false }],
    ['a day with both', () => '?from=2026-11-30&to=2026-12-01&who=&action=', { dx: true, tourism: true }],
    ['a day with nothing', () => '?from=2026-12-02', { dx: false, tourism: false }],
  ])('%s', async (_label, query, expected) => {
    expect(await listed(query())).toEqual(expected);
  });

  it('a bad date is a 400 in Japanese', async () => {
    const res = await get('admin', '/staff/audit?from=yesterday');
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('日付は');
  });

  it('pages a hundred at a time with next and previous links', async () => {
    for (let i = 0; i < AUDIT_PAGE_SIZE; i++) {
      await appendAudit(t.database.db, {
        actorId: ids.admin!,
        action: 'assign_owner',
        entity: 'indicator',
        entityId: `bulk-${i}`,
        after: { ownerDepartment: 'x' },
      });
    }
    const first = await (await get('admin', '/staff/audit?entity=indicator')).text();
    expect(first).toContain('href="/staff/audit?entity=indicator&amp;page=2"');
    expect(first).not.toContain('前の');
    expect(first).not.toContain(submitted);
    const second = await (await get('admin', '/staff/audit?entity=indicator&page=2')).text();
    expect(second).toContain(submitted);
    expect(second).toContain('href="/staff/audit?entity=indicator"');
    expect(second).not.toContain('次の');
  });

  it('exports the filtered rows as CSV for Excel', async () => {
    const res = await get('admin', '/staff/audit.csv?action=submit_entry');
    expect(res.headers.get('content-type')).toContain('text/csv');
    const csv = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer());
    expect(csv.startsWith('\uFEFF日時,日時（ISO 8601）,操作者,所属,操作,対象,対象ID,')).toBe(true);
    const lines = csv.split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain('2026年11月30日 23:30,2026-11-30T14:30:00.000Z,DX 花子,総合政策部DX推進課,実績値の提出,指標,industry-1-1');
    expect(lines[1]).toContain('"半期の実績, ""速報"""');
    expect(lines[1]).toContain('データの出所: － → =HYPERLINK(""x"")');
    expect(lines[2]).toBe('');
  });

  it('filters by organisation (a department includes its sections) and names units, not ids or codes', async () => {
    await account('aomori', '青森 三郎', ['municipality_editor'], { municipalityCode: '02201' });
    await appendAudit(t.database.db, {
      actorId: ids.aomori!,
      action: 'update_budget',
      entity: 'project',
      entityId: 'v44',
      after: { amount: 1 },
    });
    await appendAudit(t.database.db, {
      actorId: ids.admin!,
      action: 'assign_owner',
      entity: 'indicator',
      entityId: 'industry-1-2',
      before: { ownerDepartment: null },
      after: { ownerDepartment: 'sogo-seisaku.dx-suishin' },
    });
    await appendAudit(t.database.db, { actorId: ids.admin!, action: 'retire_unit', entity: 'organisation_unit', entityId: 'somu.jinji' });
    const dept = await (await get('admin', '/staff/audit?unit=sogo-seisaku')).text();
    expect(dept).toContain('DX 花子');
    expect(dept).not.toContain('観光 次郎<br');
    expect(dept).toMatch(/<option value="sogo-seisaku" selected="">総合政策部<\/option>/);
    const city = await (await get('admin', '/staff/audit?unit=02201')).text();
    expect(city).toContain('青森 三郎<br/><small>青森市</small>');
    expect(city).not.toContain('DX 花子<br');
    expect(await (await get('admin', '/staff/audit?unit=no-such-unit')).text()).toContain('該当する記録はありません');
    const all = await (await get('admin', '/staff/audit')).text();
    expect(all).toContain('担当部局: － → 総合政策部DX推進課');
    expect(all).toContain('組織 総務部人事課');
    expect(all).toContain('組織の廃止');
  });
});
