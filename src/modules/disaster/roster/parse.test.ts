// The roster file reader: RFC 4180 §2 (platform/csv.ts, tested there) and the columns of 災害対策基本法 第49条の10第2項 (parse.ts).
import { describe, expect, it } from 'vitest';
import { encodeCp932 } from '../../../../test/cp932.ts';
import { parseRoster, readBirthDate } from './parse.ts';

describe('readBirthDate', () => {
  it.each([
    ['1940-03-04', '1940-03-04'],
    ['1940/3/4', '1940-03-04'],
    ['１９４０年３月４日', '1940-03-04'],
    ['昭和15年3月4日', '1940-03-04'],
    ['S15.3.4', '1940-03-04'],
    ['平成元年1月8日', '1989-01-08'],
    ['大正14年12月31日', '1925-12-31'],
  ])('%s → %s', (raw, iso) => expect(readBirthDate(raw)).toBe(iso));
  it.each(['1940-02-30', '昭和15年13月1日', '2999-01-01', '1700-01-01', '40/3/4', '不明'])('refuses %s', (raw) =>
    expect(readBirthDate(raw)).toBeUndefined(),
  );
});

describe('parseRoster', () => {
  const header = '住所,氏名,事由,生年月日,地区,支援者1氏名,支援者1電話';
  it('takes the columns in any order and by their short names, UTF-8 or CP932', () => {
    const text = `${header}\r\n青森市1,架空 一,高齢独居,1940-01-01,架空町,試験 花子,０１７－０００－１００１\r\n`;
    for (const bytes of [new TextEncoder().encode(text), encodeCp932(text)]) {
      const r = parseRoster(bytes);
      expect(r.errors).toEqual([]);
      expect(r.people).toEqual([
        {
          row: 2,
          name: '架空 一',
          kana: '',
          birthDate: '1940-01-01',
          sex: '',
          address: '青森市1',
          district: '架空町',
          phone: '',
          reason: '高齢独居',
          supporters: [{ name: '試験 花子', phone: '017-000-1001' }],
          plan: '',
        },
      ]);
    }
  });
  it('refuses a supporter phone without a name, and a line break in a name', () => {
    const r = parseRoster(new TextEncoder().encode(`${header}\r\n"青森市1","架空\n一",高齢独居,1940-01-01,,,017-000-1001\r\n`));
    expect(r.errors.map((e) => e.message)).toEqual(['氏名: 改行が含まれています', '避難支援等関係者1の氏名がありません']);
    expect(r.people).toEqual([]);
  });
});
