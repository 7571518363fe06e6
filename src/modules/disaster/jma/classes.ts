// What the adapter takes from JMA and how a report's kinds become alerts: the report titles (each
// document's Control/Title and its feed entry's title), the warning class codes of 気象警報・注意報
// (コード表「気象警報・注意報」), their phenomenon (a 注意報 and the 警報 and 特別警報 of one phenomenon are
// one alert, updated as the class changes), severity per class (特別警報 critical, 警報 high, 注意報
// medium), and the やさしい日本語 per kind. Pure: no I/O.
import type { AlertKind, Severity } from '../alert.ts';
import type { HazardType } from '../hazards.ts';

/** The reports taken, by Control/Title, and the series each belongs to (VXSE51/52/53 share an EventID). */
export const reportTitles: Record<string, 'VPWW53' | 'VXWW50' | 'VXKO' | 'VXSE'> = {
  気象特別警報・警報・注意報: 'VPWW53',
  土砂災害警戒情報: 'VXWW50',
  指定河川洪水予報: 'VXKO',
  震度速報: 'VXSE',
  震源に関する情報: 'VXSE',
  震源・震度に関する情報: 'VXSE',
};

export interface WarningClass {
  /** The phenomenon: one alert per area and phenomenon. */
  phenomenon: string;
  severity: Severity;
  kind: AlertKind;
  hazard?: HazardType;
}

const w = (phenomenon: string, severity: Severity, hazard?: HazardType): WarningClass => ({
  phenomenon,
  severity,
  kind: severity === 'medium' ? 'weatherAdvisory' : 'weatherWarning',
  ...(hazard && { hazard }),
});

/** 気象警報・注意報 by code: 3x 特別警報, 0x 警報, 1x–2x 注意報. */
const weatherClasses: Record<string, WarningClass> = {
  '32': w('snowstorm', 'critical'),
  '33': w('heavyRain', 'critical'),
  '35': w('storm', 'critical'),
  '36': w('heavySnow', 'critical'),
  '37': w('waves', 'critical'),
  '38': w('stormSurge', 'critical', 'stormSurge'),
  '02': w('snowstorm', 'high'),
  '03': w('heavyRain', 'high'),
  '04': w('flood', 'high', 'flood'),
  '05': w('storm', 'high'),
  '06': w('heavySnow', 'high'),
  '07': w('waves', 'high'),
  '08': w('stormSurge', 'high', 'stormSurge'),
  '10': w('heavyRain', 'medium'),
  '12': w('heavySnow', 'medium'),
  '13': w('snowstorm', 'medium'),
  '14': w('thunder', 'medium'),
  '15': w('storm', 'medium'),
  '16': w('waves', 'medium'),
  '17': w('snowmelt', 'medium'),
  '18': w('flood', 'medium', 'flood'),
  '19': w('stormSurge', 'medium', 'stormSurge'),
  '20': w('fog', 'medium'),
  '21': w('dryAir', 'medium'),
  '22': w('avalanche', 'medium'),
  '23': w('lowTemperature', 'medium'),
  '24': w('frost', 'medium'),
  '25': w('icing', 'medium'),
  '26': w('snowAccretion', 'medium'),
};

/** The class of a kind in a Warning of the given series, or undefined for one the adapter does not take. */
export function warningClass(series: string, code: string, name: string): WarningClass | undefined {
  if (series === 'VPWW53') return weatherClasses[code];
  if (series === 'VXWW50') return { phenomenon: 'landslide', severity: 'high', kind: 'landslideWarning', hazard: 'landslide' };
  if (series === 'VXKO') {
    // 指定河川洪水予報 Kind/Code: the first digit is the level — 5 氾濫発生, 4 氾濫危険, 3 氾濫警戒 (since 2026:
    // レベル３氾濫警報), 2 氾濫注意; 1x is a 解除. Older documents without a code are read by name.
    const level = /^[1-5]\d$/.test(code)
      ? Number(code[0])
      : name.includes('発生')
        ? 5
        : name.includes('危険')
          ? 4
          : name.includes('警')
            ? 3
            : name.includes('注意')
              ? 2
              : 0;
    if (!level) return undefined;
    const severity: Severity = level === 5 ? 'critical' : level >= 3 ? 'high' : 'medium';
    return { phenomenon: 'riverFlood', severity, kind: 'floodForecast', hazard: 'flood' };
  }
  return undefined;
}

/**
 * 震度 as 防災情報XML writes it (MaxInt: 1–4, 5-, 5+, 6-, 6+, 7), in order; 「震度５弱以上未入電」 (5-以上未入電)
 * counts as 5-. Unknown values rank below 1.
 */
const intensities = ['1', '2', '3', '4', '5-', '5+', '6-', '6+', '7'];
export const intensityRank = (v: string): number => intensities.indexOf(v.replace(/以上未入電$/, ''));
/** 震度 in Japanese: 5- → 5弱, 6+ → 6強. */
export const intensityName = (v: string): string =>
  v
    .replace(/以上未入電$/, '')
    .replace(/^(\d)-$/, '$1弱')
    .replace(/^(\d)\+$/, '$1強');
/** The default lowest 震度 in a municipality that alerts it (JMA_MIN_INTENSITY): 4. */
export const defaultMinIntensity = '4';

/** Kind statuses that end a kind in an area (a 「解除」, or 土砂災害警戒情報's 「なし」). */
export const clearedStatuses = new Set(['解除', 'なし']);
/** Whether a kind is a 解除: its Status, or (指定河川洪水予報) a code 1x or a name ending in 解除. */
export const isCleared = (series: string, code: string, name: string, status: string): boolean =>
  clearedStatuses.has(status) || clearedStatuses.has(name) || (series === 'VXKO' && (/^1\d$/.test(code) || name.endsWith('解除')));
/** The status of an area with nothing in force: every alert of the series there ends. */
export const nothingInForce = '発表警報・注意報はなし';

/** やさしい日本語 (short sentences, everyday words) per kind; `name` is the document's kind name. */
export function easyJapanese(kind: AlertKind, area: string, name: string): string {
  switch (kind) {
    case 'weatherWarning':
      return `${area}に「${name}」が でました。あぶない 天気です。外に 出ないで ください。テレビや ラジオで 情報を 見て ください。`;
    case 'weatherAdvisory':
      return `${area}に「${name}」が でました。天気に 気をつけて ください。`;
    case 'landslideWarning':
      return `${area}で 山や がけが くずれる きけんが あります。がけの 近くに いる 人は 安全な ところへ にげて ください。`;
    case 'floodForecast':
      return `${area}で 川の 水が ふえて います。川に 近づかないで ください。にげる じゅんびを して ください。`;
    case 'earthquake':
      return `${area}で じしんが ありました。つぎの ゆれに 気をつけて ください。`;
    default:
      return `${area}に「${name}」が でました。`;
  }
}

/** やさしい日本語 for an alert that ended (解除・取消); `headline` is the alert's before it ended. */
export const easyJapaneseEnded = (headline: string) => `「${headline}」は おわりました。`;
