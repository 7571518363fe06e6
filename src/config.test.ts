import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('configuration: JMA feeds', () => {
  it('JMA_FEEDS is a comma-separated list of http(s) URLs, off when unset; JMA_POLL_SECONDS defaults to 60', () => {
    expect(loadConfig({})).toMatchObject({ JMA_FEEDS: [], JMA_POLL_SECONDS: 60 });
    expect(
      loadConfig({ JMA_FEEDS: ' https://a.example.jp/feed/extra.xml, https://a.example.jp/feed/eqvol.xml ,', JMA_POLL_SECONDS: '120' }),
    ).toMatchObject({
      JMA_FEEDS: ['https://a.example.jp/feed/extra.xml', 'https://a.example.jp/feed/eqvol.xml'],
      JMA_POLL_SECONDS: 120,
    });
  });

  it('refuses a feed that is not an http(s) URL, and a poll interval under 10 s', () => {
    expect(() => loadConfig({ JMA_FEEDS: 'file:///etc/passwd' })).toThrow(ConfigError);
    expect(() => loadConfig({ JMA_FEEDS: 'not a url' })).toThrow(/JMA_FEEDS: "not a url" is not an http\(s\) URL/);
    expect(() => loadConfig({ JMA_POLL_SECONDS: '5' })).toThrow(/JMA_POLL_SECONDS/);
  });

  it('JMA_MIN_INTENSITY is a 震度 as 防災情報XML writes it, default 4; 「5弱」 or 8 are refused', () => {
    expect(loadConfig({})).toMatchObject({ JMA_MIN_INTENSITY: '4' });
    expect(loadConfig({ JMA_MIN_INTENSITY: '5-' })).toMatchObject({ JMA_MIN_INTENSITY: '5-' });
    expect(() => loadConfig({ JMA_MIN_INTENSITY: '5弱' })).toThrow(/JMA_MIN_INTENSITY/);
    expect(() => loadConfig({ JMA_MIN_INTENSITY: '8' })).toThrow(/JMA_MIN_INTENSITY/);
  });
});
