import { describe, expect, it } from 'vitest';
import { crumbTrail, Layout } from './layout.tsx';

describe('crumbTrail', () => {
  it.each([
    ['the staff home repeats its parent', [{ href: '/staff', label: '職員ページ' }, { label: '職員ページ' }], ['職員ページ']],
    [
      'a plan overview repeats the plan',
      [{ href: '/', label: 'トップ' }, { href: '/plans/v', label: 'ビジョン' }, { label: 'ビジョン' }],
      ['トップ', 'ビジョン'],
    ],
    ['different labels stay', [{ href: '/', label: 'トップ' }, { label: 'KPI' }], ['トップ', 'KPI']],
    ['nothing stays nothing', [], []],
  ])('%s', (_why, crumbs, labels) => {
    const trail = crumbTrail(crumbs);
    expect(trail.map((c) => c.label)).toEqual(labels);
    // The page itself is last, never a link to somewhere else.
    if (trail.length) expect(trail[trail.length - 1]).toBe(crumbs[crumbs.length - 1]);
  });
});

describe('the language switch', () => {
  const render = async (bilingual: boolean) =>
    (await (
      <Layout lang="ja" title="t" path="/plans/x?asOf=2025-01-31" bilingual={bilingual}>
        {'body'}
      </Layout>
    ).toString()) as string;

  it('links a bilingual page to its English version, with the query kept', async () => {
    expect(await render(true)).toContain('<a class="lang" href="/plans/x?asOf=2025-01-31&amp;lang=en" lang="en" hreflang="en">English</a>');
  });

  it('is absent on a page that exists only in Japanese (staff, sign-in)', async () => {
    expect(await render(false)).not.toContain('hreflang');
  });
});
