// Reading 防災情報XML documents (report.ts) and feeds (feed.ts): pure, table-tested.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseFeed } from './feed.ts';
import { readReport, type Report } from './report.ts';
import { intensityName, intensityRank, isCleared, warningClass } from './classes.ts';

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

  it('VXSE53: the cities, each with its 震度 (City/MaxInt), and the maximum; its 取消 has none', async () => {
    expect((await read('vxse53-issued.xml')).earthquake).toEqual({
      cities: [
        { code: '0220100', name: '青森市', intensity: '4' },
        { code: '0220300', name: '八戸市', intensity: '3' },
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
    // Since 2026 (警戒レベル names): the code's first digit is the level.
    ['VXKO', '50', 'レベル５氾濫発生情報', 'critical'],
    ['VXKO', '40', 'レベル４氾濫危険警報', 'high'],
    ['VXKO', '30', 'レベル３氾濫警報', 'high'],
    ['VXKO', '20', 'レベル２氾濫注意報', 'medium'],
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

describe('指定河川洪水予報 (VXKO) and 震度', () => {
  it("reads the river's level and the 浸水想定地区 municipalities (7-digit 市町村等) of each report", async () => {
    const issued = await read('vxko-issued.xml');
    expect(issued).toMatchObject({ series: 'VXKO', office: '青森地方気象台', eventId: '8202070001', serial: '1' });
    expect(issued.ended).toBeUndefined();
    expect(issued.areas.map((a) => [a.area, a.areaName, a.subject, a.class?.code, a.class?.active])).toEqual([
      ['0220200', '弘前市', '岩木川', '20', true],
      ['0220500', '五所川原市', '岩木川', '20', true],
      ['0238100', '板柳町', '岩木川', '20', true],
    ]);
    expect((await read('vxko-raised.xml')).areas[0]!.class).toMatchObject({ code: '30', severity: 'high', active: true });
    const cleared = await read('vxko-cleared.xml');
    expect(cleared).toMatchObject({ ended: true, areas: [] });
  });

  it.each([
    ['10', 'レベル２氾濫注意報解除', '解除', true],
    ['20', 'レベル２氾濫注意報', '発表', false],
    ['', '氾濫注意情報解除', '', true],
    ['30', 'レベル３氾濫警報', '継続', false],
  ])('VXKO code %s %s (%s): a 解除 %s', (code, name, status, cleared) => {
    expect(isCleared('VXKO', code, name, status)).toBe(cleared);
  });

  it('a 浸水想定地区 without a 7-digit code, and a river item without a level, give no area', async () => {
    const r = await read('vxko-issued.xml', (s) => s.replaceAll(/<(Code|CityCode)>0220200<\/\1>/g, '<$1>02202</$1>'));
    expect(r.areas.map((a) => a.area)).toEqual(['0220500', '0238100']);
    const noLevel = await read('vxko-issued.xml', (s) =>
      s.replaceAll('<Code>20</Code>', '<Code>99</Code>').replaceAll('レベル２氾濫注意報', '水位情報'),
    );
    expect(noLevel.areas).toEqual([]);
  });

  it.each([
    ['1', 0, '1'],
    ['4', 3, '4'],
    ['5-', 4, '5弱'],
    ['5+', 5, '5強'],
    ['6-', 6, '6弱'],
    ['6+', 7, '6強'],
    ['7', 8, '7'],
    ['5-以上未入電', 4, '5弱'],
    ['', -1, ''],
  ])('震度 %s: rank %i, %s', (v, rank, name) => {
    expect(intensityRank(v)).toBe(rank);
    expect(intensityName(v)).toBe(name);
  });

  it('震度速報 (VXSE51: Pref/Area only, no City) names no municipality', async () => {
    const vxse51 = await read('vxse53-issued.xml', (s) =>
      s.replaceAll('震源・震度に関する情報', '震度速報').replace(/<City>[\s\S]*?<\/City>/g, ''),
    );
    expect(vxse51).toMatchObject({ series: 'VXSE', title: '震度速報', areas: [] });
    expect(vxse51.earthquake).toBeUndefined();
  });
});
