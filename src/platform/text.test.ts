import { describe, expect, it } from 'vitest';
import { encodeCp932 } from '../../test/cp932.ts';
import { decodeText, detectEncoding } from './text.ts';

const csv = '事業コード,事業名,計\r\np9,連携中枢都市圏ビジョン推進事業（①～③）,"1,234"\r\n';
const utf8 = new TextEncoder().encode(csv);
const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8]);
const cp932 = encodeCp932(csv);

describe('CSV text as offices send it', () => {
  it('the fixture is CP932 per the code page (事 = 0x8E96, ① = 0x8740)', () => {
    expect([...encodeCp932('事①')]).toEqual([0x8e, 0x96, 0x87, 0x40]);
    expect(cp932.length).toBeLessThan(utf8.length);
  });

  it.each([
    ['UTF-8 without a BOM', utf8, 'utf-8'],
    ['UTF-8 with a BOM', bom, 'utf-8'],
    ['CP932 (Excel in Japan)', cp932, 'shift_jis'],
    ['ASCII only', new TextEncoder().encode('code,total\r\np9,1234\r\n'), 'utf-8'],
    ['CP932 half-width katakana', encodeCp932('ｱｵﾓﾘ,1\r\n'), 'shift_jis'],
  ])('%s', (_what, bytes, encoding) => {
    expect(detectEncoding(bytes)).toBe(encoding);
    const { text } = decodeText(bytes);
    expect(text).not.toContain('\uFFFD');
    expect(text.startsWith('\uFEFF')).toBe(false);
  });

  it('decodes each to the same text', () => {
    for (const bytes of [utf8, bom, cp932]) expect(decodeText(bytes).text).toBe(csv);
  });
});
