// One 防災情報XML document (気象庁防災情報XMLフォーマット: Report / Control (管理部) / Head (ヘッダ部) / Body
// (内容部)) read into what the adapter acts on: which report it is, and per area what is in force or has
// ended. Areas are 「市町村等」 codes (7 digits, the municipality's 5-digit code + 2); earthquakes name
// municipalities in Body/Intensity/Observation/Pref/Area/City. Pure: no I/O.
import { isCleared, nothingInForce, reportTitles, warningClass, type WarningClass } from './classes.ts';
import { node, nodes, parseXml, text } from './xml.ts';

export interface AreaStatement {
  /** The 7-digit 市町村等 code. */
  area: string;
  areaName: string;
  /** undefined: nothing of this series is in force in the area (発表警報・注意報はなし). */
  class?: WarningClass & { code: string; name: string; active: boolean };
  /** What the kind is about when it is not the area itself (指定河川洪水予報: the rivers' names). */
  subject?: string;
}

export interface EarthquakeStatement {
  /** The 7-digit 市町村等 where an intensity was observed, each with its 震度 (City/MaxInt). */
  cities: { code: string; name: string; intensity: string }[];
  /** The report's highest 震度 (Observation/MaxInt). */
  maxIntensity: string;
}

export interface Report {
  series: 'VPWW53' | 'VXWW50' | 'VXKO' | 'VXSE';
  title: string;
  office: string;
  /** 発表, 訂正, 取消 (遅延 is read as 発表). */
  infoType: string;
  eventId: string;
  serial: string;
  reportDateTime: string;
  headline: string;
  /** The report's identity: never acted on twice. */
  key: string;
  areas: AreaStatement[];
  /** Every kind in the report is a 解除 (指定河川洪水予報): all of the series' alerts end. */
  ended?: boolean;
  earthquake?: EarthquakeStatement;
}

/** The report, or a reason it is not one the adapter takes (another title, a drill, a test). */
export function readReport(xml: string): Report | string {
  const root = node(parseXml(xml).Report);
  const control = node(root.Control);
  const head = node(root.Head);
  const title = text(control.Title);
  const series = reportTitles[title];
  if (!series) return `not a report the adapter takes (${title.slice(0, 40) || 'no Control/Title'})`;
  // 訓練 and 試験 are drills and tests: never alerts.
  if (text(control.Status) !== '通常') return `a report with Control/Status ${text(control.Status).slice(0, 10)}`;
  const reportDateTime = text(head.ReportDateTime);
  if (!Number.isFinite(Date.parse(reportDateTime))) return 'a report without a valid Head/ReportDateTime';
  const office = text(control.EditorialOffice) || text(control.PublishingOffice);
  const infoType = text(head.InfoType);
  const eventId = text(head.EventID);
  const serial = text(head.Serial);
  const body = node(root.Body);
  return {
    series,
    title,
    office,
    infoType,
    eventId,
    serial,
    reportDateTime: new Date(reportDateTime).toISOString(),
    headline: text(node(head.Headline).Text),
    key: [title, office, eventId, reportDateTime, serial, infoType].join('|'),
    ...(series === 'VXSE'
      ? { areas: [], ...earthquake(body) }
      : series === 'VXKO'
        ? riverAreas(body)
        : { areas: warningAreas(series, body) }),
  };
}

function warningAreas(series: Report['series'], body: Record<string, unknown>): AreaStatement[] {
  const out: AreaStatement[] = [];
  for (const warning of nodes(body.Warning)) {
    for (const item of nodes(warning.Item)) {
      const areas = [...nodes(item.Area), ...nodes(node(item.Areas).Area)]
        .map((a) => ({ area: text(a.Code), areaName: text(a.Name) }))
        .filter((a) => /^\d{7}$/.test(a.area));
      for (const a of areas) {
        for (const k of nodes(item.Kind)) {
          const status = text(k.Status);
          if (status === nothingInForce) {
            out.push(a);
            continue;
          }
          const code = text(k.Code);
          const name = text(k.Name);
          const c = warningClass(series, code, name);
          if (c) out.push({ ...a, class: { ...c, code, name, active: !isCleared(series, code, name, status) } });
        }
      }
    }
  }
  return out;
}

/**
 * 指定河川洪水予報: Body/Warning (type 指定河川洪水予報…) Items whose Areas are rivers (codeType 河川) carry the
 * level kinds; the Item whose Kind is 「浸水想定地区」 names the municipalities (Area Code or CityCode, 7-digit
 * 市町村等). Each municipality gets the highest level in force; when every level kind is a 解除 the report
 * ends the series.
 */
function riverAreas(body: Record<string, unknown>): Pick<Report, 'areas' | 'ended'> {
  const levels: { code: string; name: string; status: string; rivers: string[] }[] = [];
  const places: { area: string; areaName: string }[] = [];
  for (const warning of nodes(body.Warning)) {
    if (!String(warning['@type'] ?? '').startsWith('指定河川洪水予報')) continue;
    for (const item of nodes(warning.Item)) {
      const areas = [...nodes(item.Area), ...nodes(node(item.Areas).Area)];
      for (const k of nodes(item.Kind)) {
        const name = text(k.Name);
        if (name === '浸水想定地区') {
          for (const a of areas) {
            const code = [text(a.Code), text(a.CityCode)].find((c) => /^\d{7}$/.test(c));
            if (code && !places.some((p) => p.area === code)) places.push({ area: code, areaName: text(a.City) || text(a.Name) });
          }
        } else if (String(node(item.Areas)['@codeType'] ?? '') === '河川' && warningClass('VXKO', text(k.Code), name))
          levels.push({ code: text(k.Code), name, status: text(k.Status), rivers: areas.map((a) => text(a.Name)).filter(Boolean) });
      }
    }
  }
  if (!levels.length) return { areas: [] };
  const inForce = levels.filter((l) => !isCleared('VXKO', l.code, l.name, l.status));
  const rank = (l: (typeof levels)[number]) => Number(l.code[0]) || 0;
  const top = inForce.reduce<(typeof levels)[number] | undefined>((a, l) => (!a || rank(l) > rank(a) ? l : a), undefined);
  const shown = top ?? levels[0]!;
  const c = warningClass('VXKO', shown.code, shown.name)!;
  const subject = [...new Set((top ? inForce : levels).flatMap((l) => l.rivers))].join('・');
  return {
    areas: places.map((p) => ({ ...p, ...(subject && { subject }), class: { ...c, code: shown.code, name: shown.name, active: !!top } })),
    ...(!top && { ended: true }),
  };
}

function earthquake(body: Record<string, unknown>): Pick<Report, 'earthquake'> | undefined {
  const observation = node(node(body.Intensity).Observation);
  const cities = nodes(observation.Pref)
    .flatMap((p) => nodes(p.Area))
    .flatMap((a) => nodes(a.City))
    .map((c) => ({ code: text(c.Code), name: text(c.Name), intensity: text(c.MaxInt) }))
    .filter((c) => /^\d{7}$/.test(c.code));
  if (!cities.length) return undefined;
  return { earthquake: { cities, maxIntensity: text(observation.MaxInt) } };
}
