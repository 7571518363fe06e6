// The registry's Aomori data: every department and section is named in the document it cites, and the
// municipalities are the 40 of the N03 data.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../test/db.ts';

const seedsDir = process.env.SEEDS_DIR ?? fileURLToPath(new URL('../../../../shared/seeds', import.meta.url));
const seedFile = existsSync(seedsDir) ? readdirSync(seedsDir).find((f) => f.startsWith('004_')) : undefined;
/** NFKC, no white space: the PDF's extraction breaks lines inside names (「観光政策\n課調べ」). */
const norm = (s: string) => s.normalize('NFKC').replace(/\s+/g, '');

let t: Awaited<ReturnType<typeof createTestApp>>;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('organisation registry (Aomori data)', () => {
  it('has the 40 municipalities of the N03 data, by their 5-digit codes', async () => {
    const municipalities = await t.organisations.queries.units('municipality');
    expect(municipalities).toHaveLength(40);
    expect(municipalities.every((m) => /^02\d{3}$/.test(m.id))).toBe(true);
    const n03 = JSON.parse(readFileSync(new URL('../../../data/aomori/N03-21_02_210101.geojson', import.meta.url), 'utf8')) as {
      features: { properties: { N03_004: string; N03_007: string } }[];
    };
    const expected = new Map(n03.features.map((f) => [f.properties.N03_007, f.properties.N03_004]));
    expect(new Map(municipalities.map((m) => [m.id, m.name]))).toEqual(expected);
    expect(expected.get('02201')).toBe('青森市');
  });

  it('gives a section its department in the full name, and finds one unit by id', async () => {
    const unit = await t.organisations.queries.unit('sogo-seisaku.dx-suishin');
    expect(unit).toMatchObject({
      kind: 'section',
      name: 'DX推進課',
      fullName: '総合政策部DX推進課',
      parentId: 'sogo-seisaku',
      retired: false,
    });
    expect(await t.organisations.queries.unit('no-such-unit')).toBeUndefined();
    const sections = await t.organisations.queries.units('section');
    expect(sections.every((s) => s.id.startsWith(`${s.parentId}.`))).toBe(true);
  });

  describe.skipIf(!seedFile)('against seed 004', () => {
    const text = seedFile ? norm(readFileSync(join(seedsDir, seedFile), 'utf8')) : '';
    // 別表第１ lists posts (総務部長, 会計管理者, 教育長 …): the unit is the organisation the post heads.
    const annex1 = text.slice(text.indexOf('別表第1(第3条関係)'), text.indexOf('別表第2(第5条関係)'));
    const posts: Record<string, string> = { 会計管理者: '会計管理者', 病院局: '病院事業管理者', 教育庁: '教育長' };

    it('names every department as 別表第１ of the 設置要綱 does, in its order', async () => {
      const departments = await t.organisations.queries.units('department');
      expect(departments).toHaveLength(23);
      const at = departments.map((d) => annex1.indexOf(posts[d.name] ?? `${d.name}長`));
      expect(at.every((i) => i >= 0)).toBe(true);
      expect([...at].sort((a, b) => a - b)).toEqual(at);
    });

    it('names every section as the document does (別表第２, 第６条 or a データの出所)', async () => {
      const sections = await t.organisations.queries.units('section');
      expect(sections.length).toBeGreaterThan(20);
      for (const s of sections) expect(text.includes(norm(s.name)), s.fullName).toBe(true);
    });
  });
});
