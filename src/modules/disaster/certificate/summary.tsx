// The prefecture's view of 罹災証明書 (/staff/disaster/certificates/summary): applications and issued
// certificates per municipality, counted, never listed — a table, and the same figures as JSON and CSV
// (…/summary.json, …/summary.csv) that a plan's KPI (「罹災証明書の交付件数」) can take. The prefecture's
// administrators see every municipality, a municipality's editors their own.
import { Hono } from 'hono';
import type { Db } from '../../../platform/db.ts';
import { TableScroll } from '../../../web/layout.tsx';
import { toCsv } from '../../workspace/audit-format.ts';
import { staffPage, type StaffEnv } from '../../workspace/index.ts';
import { alertMunicipalitiesOf } from '../rules.ts';
import type { MapDataSource } from '../shelters.ts';
import { applicationCounts, issuedCounts } from './repository.ts';

export interface MunicipalityFigures {
  code: string;
  name: string;
  /** Applications of accounts that still exist, by status. */
  received: number;
  scheduled: number;
  decided: number;
  issued: number;
  applications: number;
  /** Certificates issued, from the verification records (kept when an account is deleted). */
  issuedTotal: number;
}

export async function certificateFigures(db: Db, map: MapDataSource['get'], only?: string[]): Promise<MunicipalityFigures[]> {
  const { municipalities } = await map();
  const [apps, issued] = await Promise.all([applicationCounts(db), issuedCounts(db)]);
  const rows = [...municipalities.values()]
    .filter((m) => !only || only.includes(m.code))
    .map((m) => {
      const by = (s: string) => apps.find((a) => a.municipality === m.code && a.status === s)?.n ?? 0;
      const f = { received: by('received'), scheduled: by('scheduled'), decided: by('decided'), issued: by('issued') };
      return {
        code: m.code,
        name: m.name,
        ...f,
        applications: f.received + f.scheduled + f.decided + f.issued,
        issuedTotal: issued.find((i) => i.municipality === m.code)?.n ?? 0,
      };
    });
  return rows;
}

const columns = [
  ['code', '市町村コード'],
  ['name', '市町村'],
  ['applications', '申請'],
  ['received', '受付'],
  ['scheduled', '調査予定'],
  ['decided', '判定済'],
  ['issued', '交付（申請中の記録）'],
  ['issuedTotal', '交付件数'],
] as const;

export function certificateSummaryRoutes(db: Db, map: MapDataSource['get']) {
  const app = new Hono<StaffEnv>();
  const figures = (actor: StaffEnv['Variables']['actor']) => certificateFigures(db, map, alertMunicipalitiesOf(actor));

  app.get('/staff/disaster/certificates/summary', async (c) => {
    const rows = await figures(c.get('actor'));
    const total = (k: 'applications' | 'issuedTotal') => rows.reduce((n, r) => n + r[k], 0);
    return staffPage(
      c,
      '罹災証明書の件数',
      <>
        <h1>罹災証明書の件数</h1>
        <p>{`市町村ごとの申請と交付の件数です（申請 ${total('applications')}件、交付 ${total('issuedTotal')}件）。`}</p>
        <p>
          <a href="/staff/disaster/certificates/summary.csv">CSV</a>・<a href="/staff/disaster/certificates/summary.json">JSON</a>
          （計画のKPI「罹災証明書の交付件数」に使えます）
        </p>
        <TableScroll label="市町村ごとの罹災証明書の件数">
          <table>
            <thead>
              <tr>
                {columns.slice(1).map(([, h]) => (
                  <th scope="col">{h}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <th scope="row">{r.name}</th>
                  {columns.slice(2).map(([k]) => (
                    <td class="number">{r[k]}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
        <p>
          <a href="/staff/disaster/certificates">申請の一覧へ</a>
        </p>
      </>,
    );
  });

  app.get('/staff/disaster/certificates/summary.json', async (c) => {
    const rows = await figures(c.get('actor'));
    c.header('Cache-Control', 'no-store');
    return c.json({ asOf: new Date().toISOString(), municipalities: rows });
  });

  app.get('/staff/disaster/certificates/summary.csv', async (c) => {
    const rows = await figures(c.get('actor'));
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', 'attachment; filename="disaster-certificates.csv"');
    c.header('Cache-Control', 'no-store');
    return c.body(toCsv([columns.map(([, h]) => h), ...rows.map((r) => columns.map(([k]) => String(r[k])))]));
  });
  return app;
}
