// Migration 0020 brings a database loaded before issue 11 to the public text a fresh load has: the
// records are put back to their old text (seed files, line numbers, transcription remarks), the
// migration runs again, and every record must equal the fresh load's.
import { readFile } from 'node:fs/promises';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, rows } from '../../../test/db.ts';
import type { Database } from '../../platform/db.ts';
import { readCityPlan, readVision } from './vision-data.ts';

let database: Database;
beforeAll(async () => {
  database = await createTestDb();
});
afterAll(() => database.close());

const run = (q: ReturnType<typeof sql>) => database.db.execute(q);
const snapshot = async () => ({
  plans: await rows(database, sql`select id, provenance from plans order by id`),
  nodes: await rows(database, sql`select id, provenance, details from plan_nodes order by id`),
  observations: await rows(database, sql`select id, provenance from observations order by id`),
  versions: await rows(database, sql`select id, provenance, note from plan_versions order by id`),
  changes: await rows(database, sql`select id, provenance, note from version_changes order by id`),
  evaluations: await rows(database, sql`select id, provenance from evaluations order by id`),
  notes: await rows(database, sql`select node_id, notes from indicators order by node_id`),
});

describe('migration 0020: public provenance for a database loaded before it', () => {
  it('turns the old text (seed files, lines, remarks) into what a fresh load has', async () => {
    const fresh = await snapshot();
    const { sheets } = await readVision();
    const city = await readCityPlan();

    // The text the data files had before (git history of data/aomori).
    const seeds: Record<string, string> = { 'aomori-dx': '004', 'aomori-city-plan': '003' };
    for (const [id, seed] of Object.entries(seeds))
      await run(sql`update plans set provenance = provenance || ${`(shared/seeds/${seed})`} where id = ${id}`);
    await run(
      sql`update plans set provenance = '青森圏域連携中枢都市圏ビジョン（変更案）資料3-2 第4章 連携協約に基づき推進する具体的取組 (shared/seeds/000)、同ビジョン（変更案）の概要 (shared/seeds/002)、令和2年度の取組実績 (shared/seeds/001)' where id = 'aomori-regional-vision'`,
    );
    for (const s of sheets) {
      const old = `資料3-2 具体的取組の個表（seed 000 ${s.transcribedFrom.lines[0]}–${s.transcribedFrom.lines[1]}行）`;
      await run(sql`update plan_nodes set provenance = ${old} where code = ${`p${s.number}`} or code like ${`p${s.number}-%`}`);
      await run(
        sql`update observations set provenance = ${old} where indicator_id in (select id from plan_nodes where code like ${`p${s.number}-%`})`,
      );
    }
    await run(sql`update plan_nodes set details = details || '{"budgetNote": "2020年度は空欄", "doubts": ["x"]}'::jsonb where code = 'p4'`);
    const oldCity = `${city.provenance}(shared/seeds/003)`;
    for (const c of city.chapters) {
      await run(
        sql`update plan_nodes set provenance = ${`${oldCity} ${c.line}行`} where plan_id = 'aomori-city-plan' and code = ${c.code}`,
      );
      for (const p of c.policies) {
        await run(
          sql`update plan_nodes set provenance = ${`${oldCity} ${p.line}行`} where plan_id = 'aomori-city-plan' and code = ${p.code}`,
        );
        for (const m of p.measures)
          await run(
            sql`update plan_nodes set provenance = ${`${oldCity} ${m.line}行`} where plan_id = 'aomori-city-plan' and code = ${m.code}`,
          );
      }
    }
    await run(
      sql`update plan_versions set provenance = '資料（seed 002）「具体的取組の総数 : [現在] 44事業」', note = 'x' where code = 'v44'`,
    );
    await run(sql`update plan_versions set provenance = 'x (seed 002)、y (seed 001) の事業番号', note = 'x' where code = 'v48'`);
    await run(
      sql`update plan_versions set provenance = '青森圏域連携中枢都市圏ビジョン（変更案）資料3-2 (seed 000)', note = 'x' where code = 'v55'`,
    );
    await run(
      sql`update version_changes set provenance = regexp_replace(provenance, '^ビジョン（変更案）の概要', 'seed 002 ') where provenance like 'ビジョン（変更案）の概要%'`,
    );
    await run(
      sql`update version_changes set provenance = 'seed 000 個表の「新規」表示（2299・2750・3158行）', note = 'x' where provenance like '%「新規」表示'`,
    );
    await run(sql`update evaluations set provenance = 'seed 001「ビジョンに記載している取組」令和2年度の実績'`);
    await run(sql`update indicators set notes = notes || '（直近の値は資料では「▲0.3%」と表記）' where notes like 'R4年時間当たり給与%'`);
    const old = await snapshot();
    expect(JSON.stringify(old)).toMatch(/seed 000 673–714行/);
    expect(JSON.stringify(old)).toMatch(/shared\/seeds\/003\) 3行/);

    const migration = await readFile(new URL('../../../migrations/0020_public-provenance.sql', import.meta.url), 'utf8');
    for (const statement of migration.split('--> statement-breakpoint')) await run(sql.raw(statement));
    expect(await snapshot()).toEqual(fresh);
  });
});
