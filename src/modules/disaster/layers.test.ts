// CSV layouts of 医療機関一覧 and AED設置箇所一覧: the 推奨データセット headers (都道府県コード又は市区町村コード,
// NO; test/fixtures/disaster) and デジタル庁's 自治体標準オープンデータセット headers (全国地方公共団体コード, ID)
// both read, in any column order; the publishing body's code checked against the municipality. Pure.
import { describe, expect, it } from 'vitest';
import { bodyCodeFits, parseLayerFile } from './layers.ts';

const csv = (lines: string[]) => ({ name: 'aed.csv', bytes: new TextEncoder().encode(lines.join('\r\n')) });
/** An AED設置箇所一覧 in the 自治体標準オープンデータセット's names, columns in another order than the fixtures'. */
const standard = [
  '全国地方公共団体コード,ID,地方公共団体名,名称,名称_カナ,住所,方書,緯度,経度,設置位置,電話番号,利用可能曜日,開始時間,終了時間,利用可能日時特記事項,小児対応設備の有無,URL,備考',
  '022012,AED-7,青森県青森市,テスト公民館,テストコウミンカン,青森県青森市架空町7-7,,40.8210,140.7480,2階,017-000-0007,月火水,09:00,17:00,祝日は休み,有,https://example.jp/aed,架空のデータ',
];

describe('layer CSV layouts', () => {
  it('reads the 自治体標準オープンデータセット headers (ID, 名称_カナ, 利用可能日時特記事項, URL) as the older ones', () => {
    const r = parseLayerFile('aed', '02201', csv(standard));
    expect(r.errors).toEqual([]);
    expect(r.entities).toHaveLength(1);
    expect(r.entities[0]).toMatchObject({
      id: 'urn:ngsi-ld:Aed:02201-AED-7',
      name: { value: 'テスト公民館' },
      nameKana: { value: 'テストコウミンカン' },
      placement: { value: '2階' },
      hoursNote: { value: '祝日は休み' },
      pediatric: { value: '有' },
      url: { value: 'https://example.jp/aed' },
    });
  });

  it("a row whose 全国地方公共団体コード is another municipality is a row error; the prefecture's code is accepted", () => {
    const other = standard[1]!.replace(/^022012/, '022039');
    const pref = standard[1]!.replace(/^022012,AED-7/, '020001,AED-8');
    const r = parseLayerFile('aed', '02201', csv([standard[0]!, other, pref]));
    expect(r.errors).toEqual([{ row: 2, message: '全国地方公共団体コード「022039」がこの市町村（02201）のものではありません' }]);
  });

  it('reads a quoted cell with a comma and a line break (RFC 4180 §2 rule 6); rows are named by the line they start on', () => {
    const quoted = standard[1]!.replace(',2階,', ',"2階,\r\n正面玄関"",右""",').replace('AED-7', 'AED-9');
    const r = parseLayerFile('aed', '02201', csv([standard[0]!, quoted]));
    expect(r.errors).toEqual([]);
    expect(r.entities[0]).toMatchObject({ placement: { value: '2階,\r\n正面玄関",右"' } });
    const after = parseLayerFile('aed', '02201', csv([standard[0]!, quoted, standard[1]!.replace(/^022012/, '022039')]));
    expect(after.errors).toEqual([{ row: 4, message: '全国地方公共団体コード「022039」がこの市町村（02201）のものではありません' }]);
  });

  it('stops at a file past the row limit, or an unclosed quote, with one error', () => {
    const many = Array<string>(5001).fill(standard[1]!);
    expect(parseLayerFile('aed', '02201', csv([standard[0]!, ...many])).errors).toEqual([
      { row: 0, message: '行が多すぎます（5000件まで）' },
    ]);
    expect(parseLayerFile('aed', '02201', csv([standard[0]!, `"${standard[1]!}`])).errors).toEqual([
      { row: 0, message: '2行目: 「"」で始まる欄が閉じられていません' },
    ]);
  });

  it.each([
    ['022012', '02201', true],
    ['02201', '02201', true],
    ['020001', '02201', true],
    ['022039', '02201', false],
    ['022013', '02201', false],
    ['010006', '02201', false],
    ['2201', '02201', false],
    ['０２２０１２', '02201', false],
  ])('全国地方公共団体コード %s for %s: %s', (value, municipality, fits) => {
    expect(bodyCodeFits(value, municipality)).toBe(fits);
  });
});
