// The disaster staff front page: reached from the staff home by those with a disaster role only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp } from '../../../test/db.ts';
import { staffHttp } from '../../../test/staff-http.ts';
import { staffDisasterScreens } from './staff-home.tsx';

let t: Awaited<ReturnType<typeof createTestApp>>;
let http: ReturnType<typeof staffHttp>;

beforeAll(async () => {
  t = await createTestApp('empty');
  http = staffHttp(t);
  await http.account('aomori', ['municipality_editor'], { municipalityCode: '02201' });
  await http.account('admin', ['prefecture_admin']);
  await http.account('viewer', ['viewer']);
});
afterAll(() => t.database.close());

describe('/staff/disaster', () => {
  it.each(['aomori', 'admin'])('%s: linked from the staff home, lists every disaster screen', async (who) => {
    expect(await (await http.get(who, '/staff')).text()).toContain('href="/staff/disaster"');
    const res = await http.get(who, '/staff/disaster');
    expect(res.status).toBe(200);
    const html = await res.text();
    for (const s of staffDisasterScreens) expect(html).toContain(`href="${s.href}"`.slice(0, s.only && who === 'admin' ? 0 : undefined));
    // The roster is the municipality's own (災害対策基本法): not offered to the prefecture.
    expect(html.includes('href="/staff/disaster/roster"')).toBe(who === 'aomori');
  });

  it('is a 404 without a disaster role, and not linked', async () => {
    expect(await (await http.get('viewer', '/staff')).text()).not.toContain('href="/staff/disaster"');
    expect((await http.get('viewer', '/staff/disaster')).status).toBe(404);
  });
});
