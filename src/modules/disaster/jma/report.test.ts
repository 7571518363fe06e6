// Reading 防災情報XML documents (report.ts) and feeds (feed.ts): pure, table-tested.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseFeed } from './feed.ts';
import { readReport, type Report } from './report.ts';
import { warningClass } from './classes.ts';

const fixture = (name: string) => readFile(new URL(`../../../../test/fixtures/jma/${name}`, import.meta.url), 'utf8');
/** 青森市's first kind in vpww53-issued.xml (大雨警報 発表), to be replaced. */
const aomoriKind = /<Code>03<\/Code>\s*<Status>発表<\/Status>\s*<\/Kind>\s*<Area>\s*<Name>青森市/;
const read = async (name: string, edit: (s: string) => string = (s) => s) => readReport(edit(await fixture(name))) as Report;

describe('JMA report reading', () => {
  it('VPWW53: only the 7-digit 市町村等 areas, each kind with its class; 発表警報・注意報はなし as an area with no class', async () => {
    const r = await read('vpww53-issued.xml');
    expect(r).toMatchObject({
      series: 'VPWW53',
      office: '青森地方気象台',
      infoType: '発表',
      eventId: '',
      reportDateTime: '2026-12-01T01:00:00.000Z',
    });
    expect(r.areas).toEqual([
      {
        area: '0220100',
        areaName: '青森市',
        class: { phenomenon: 'heavyRain', severity: 'high', kind: 'weatherWarning', code: '03', name: '大雨警報', active: true },
      },
      { area: '0220200', areaName: '弘前市' },
    ]);
  });

  it.each([
    ['発表', '03', true, 'high'],
    ['継続', '03', true, 'high'],
    ['特別警報から警報', '03', true, 'high'],
    ['発表', '33', true, 'critical'],
    ['警報から注意報', '10', true, 'medium'],
    ['解除', '10', false, 'medium'],
  ])('VPWW53 Kind Status %s, code %s: in force %s, severity %s', async (status, code, active, severity) => {
    const r = await read('vpww53-issued.xml', (s) =>
      s.replace(aomoriKind, `<Code>${code}</Code><Status>${status}</Status></Kind><Area><Name>青森市`),
    );
    expect(r.areas[0]!.class).toMatchObject({ code, active, severity });
  });

  it('a kind code not in the table is left out; drills (訓練) and other titles are not reports taken', async () => {
    const r = await read('vpww53-issued.xml', (s) =>
      s.replace(aomoriKind, '<Code>99</Code><Status>発表</Status></Kind><Area><Name>青森市'),
    );
    expect(r.areas.map((a) => a.areaName)).toEqual(['弘前市']);
    const doc = await fixture('vpww53-issued.xml');
    expect(readReport(doc.replace('<Status>通常</Status>', '<Status>訓練</Status>'))).toMatch(/Control\/Status 訓練/);
    expect(readReport(doc.replace('<Title>気象特別警報・警報・注意報</Title>', '<Title>府県天気予報（Ｒ１）</Title>'))).toMatch(
      /not a report the adapter takes/,
    );
  });

  it('VXSE53: the cities with an intensity and the maximum; its 取消 has none', async () => {
    expect((await read('vxse53-issued.xml')).earthquake).toEqual({
      cities: [
        { code: '0220100', name: '青森市' },
        { code: '0220300', name: '八戸市' },
      ],
      maxIntensity: '4',
    });
    const cancelled = await read('vxse53-cancelled.xml');
    expect(cancelled).toMatchObject({ infoType: '取消', eventId: '20261201123000' });
    expect(cancelled.earthquake).toBeUndefined();
  });

  it('a report key differs for each of EventID, ReportDateTime, Serial and InfoType', async () => {
    const base = (await read('vxse53-issued.xml')).key;
    const edits = [
      (s: string) => s.replace('<EventID>20261201123000', '<EventID>20261201123001'),
      (s: string) => s.replace('<ReportDateTime>2026-12-01T12:35', '<ReportDateTime>2026-12-01T12:36'),
      (s: string) => s.replace('<Serial>1</Serial>', '<Serial>2</Serial>'),
      (s: string) => s.replace('<InfoType>発表</InfoType>', '<InfoType>訂正</InfoType>'),
    ];
    const keys = await Promise.all(edits.map(async (edit) => (await read('vxse53-issued.xml', edit)).key));
    expect(new Set([base, ...keys]).size).toBe(5);
  });

  it('an Atom feed (RFC 4287): entries oldest first, links resolved against the feed, entries without a link left out', async () => {
    const feed = (await fixture('feed-3.xml')).replaceAll('{base}', 'https://feeds.example.jp');
    const withoutLink = feed.replace('<link type="application/xml" href="https://feeds.example.jp/data/other-vpfd51.xml"/>', '');
    expect(parseFeed(withoutLink, 'https://feeds.example.jp/feed/extra.xml').map((e) => e.link)).toEqual([
      'https://feeds.example.jp/data/vpww53-issued.xml',
      'https://feeds.example.jp/data/vpww53-downgraded.xml',
      'https://feeds.example.jp/data/vpww53-cleared.xml',
    ]);
    expect(() => parseFeed('<rss/>', 'https://feeds.example.jp/')).toThrow(/not an Atom feed/);
  });
});

describe('JMA warning classes', () => {
  it.each([
    ['VXKO', '', '氾濫発生情報', 'critical'],
    ['VXKO', '', '氾濫危険情報', 'high'],
    ['VXKO', '', '氾濫警戒情報', 'high'],
    ['VXKO', '', '氾濫注意情報', 'medium'],
    ['VXWW50', '3', '土砂災害警戒', 'high'],
    ['VPWW53', '38', '高潮特別警報', 'critical'],
    ['VPWW53', '19', '高潮注意報', 'medium'],
  ])('%s %s %s: severity %s', (series, code, name, severity) => {
    expect(warningClass(series, code, name)?.severity).toBe(severity);
  });

  it('a 指定河川洪水予報 kind that is not a flood stage, and a VPWW53 code outside the table, are not taken', () => {
    expect(warningClass('VXKO', '', '洪水予報')).toBeUndefined();
    expect(warningClass('VPWW53', '00', '解除')).toBeUndefined();
  });
});
